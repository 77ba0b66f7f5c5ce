// The report on a hand-built fixture, every figure worked out by hand from
// METRICS.md (the comments show the working).
#include "tellus/report.h"

#include <map>

#include "absl/strings/match.h"
#include "case_builder.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tellus/render.h"

namespace tellus {
namespace {

using v1::OMBUDSMAN_BODY_HOS;
using v1::OMBUDSMAN_BODY_LGSCO;
using v1::OUTCOME_NOT_UPHELD;
using v1::OUTCOME_PARTLY_UPHELD;
using v1::OUTCOME_UPHELD;
using v1::STAGE_1;
using v1::STAGE_2;

constexpr auto kFollowUp = v1::INTERACTION_KIND_FOLLOW_UP;
constexpr auto kContact = v1::INTERACTION_KIND_CONTACT;

Dataset Fixture() {
  DatasetBuilder b;
  auto add = [&](const CaseBuilder& c) {
    absl::Status s = b.AddCase(c.get());
    ASSERT_TRUE(s.ok()) << s;
  };
  // C1: acknowledged and answered on time (ack due 10 May: the coronation
  // on 8 May is no working day; response due 18 May). Upheld.
  add(CaseBuilder("C1")
          .In("Housing", "Repairs")
          .Received(2023, 5, 2)
          .Ack(STAGE_1, 2023, 5, 3)
          .Respond(STAGE_1, 2023, 5, 12, OUTCOME_UPHELD));
  // C2: never acknowledged (ack due 8 June, late), stage 1 late (due 22
  // June), escalated 10 July, stage 2 late (due 9 August), partly upheld at
  // stage 2 with £150 redress; a lesson; an LGSCO referral and decision.
  add(CaseBuilder("C2")
          .In("Housing", "Repairs")
          .Received(2023, 6, 1)
          .Respond(STAGE_1, 2023, 7, 3, OUTCOME_NOT_UPHELD)
          .Escalate(2023, 7, 10)
          .Ack(STAGE_2, 2023, 7, 12)
          .Respond(STAGE_2, 2023, 8, 30, OUTCOME_PARTLY_UPHELD)
          .Remedy(15000)
          .Lesson(2023, 9, 1)
          .Refer(OMBUDSMAN_BODY_LGSCO, 2023, 10, 1)
          .Decide(v1::OMBUDSMAN_DECISION_UPHELD_SATISFACTORY_REMEDY, 2024, 1,
                  15));
  // C3: late against 18 July, but within its agreed extension (1 August,
  // which is also due + 10 working days). Partly upheld.
  add(CaseBuilder("C3")
          .In("Environment", "Waste")
          .Received(2023, 7, 3)
          .Ack(STAGE_1, 2023, 7, 4)
          .Extend(STAGE_1, 2023, 8, 1)
          .Respond(STAGE_1, 2023, 7, 28, OUTCOME_PARTLY_UPHELD));
  // C4: an extension beyond the cap: due 19 September, capped at 3 October,
  // answered 20 October: late.
  add(CaseBuilder("C4")
          .In("Environment", "Waste")
          .Received(2023, 9, 4)
          .Ack(STAGE_1, 2023, 9, 5)
          .Extend(STAGE_1, 2023, 10, 31)
          .Respond(STAGE_1, 2023, 10, 20, OUTCOME_NOT_UPHELD));
  // C5: withdrawn before its ack due date without an acknowledgement: out of
  // the acknowledgement denominator; never resolved.
  add(CaseBuilder("C5")
          .In("Housing", "Repairs")
          .Received(2023, 10, 2)
          .Withdraw(2023, 10, 4));
  // C6: acknowledged, then withdrawn: counts as acknowledged on time.
  add(CaseBuilder("C6")
          .In("Housing", "Repairs")
          .Received(2023, 10, 2)
          .Ack(STAGE_1, 2023, 10, 3)
          .Withdraw(2023, 10, 5));
  // C7: escalation requested in the next year (before the as-of time): the
  // final response is then the awaited stage 2 one, so it is unresolved.
  add(CaseBuilder("C7")
          .In("Housing", "Repairs")
          .Received(2024, 3, 1)
          .Ack(STAGE_1, 2024, 3, 4)
          .Respond(STAGE_1, 2024, 3, 15, OUTCOME_UPHELD)
          .Escalate(2024, 4, 10));
  // C8: a lesson recorded after the period end but before the as-of time.
  add(CaseBuilder("C8")
          .In("Housing", "Repairs")
          .Received(2024, 2, 1)
          .Ack(STAGE_1, 2024, 2, 2)
          .Respond(STAGE_1, 2024, 2, 9, OUTCOME_NOT_UPHELD)
          .Lesson(2024, 5, 1));
  // C9: events after the as-of time are not seen: resolved at stage 1.
  add(CaseBuilder("C9")
          .In("Housing", "Repairs")
          .Received(2024, 1, 10)
          .Ack(STAGE_1, 2024, 1, 11)
          .Respond(STAGE_1, 2024, 1, 19, OUTCOME_UPHELD)
          .Escalate(2024, 7, 15)
          .Lesson(2024, 8, 1));
  // C10: 2023-03-31T23:30Z is 00:30 BST on 1 April: in 2023/24. Never
  // acknowledged (due 11 April, after Easter).
  add(CaseBuilder("C10")
          .In("Housing", "Repairs")
          .ReceivedAt(AtUtc(2023, 3, 31, 23, 30)));
  // C11: 2024-03-31T23:30Z is 1 April 2024 in London: not in 2023/24.
  add(CaseBuilder("C11")
          .In("Housing", "Repairs")
          .ReceivedAt(AtUtc(2024, 3, 31, 23, 30)));
  // 2022/23: C12 upheld, with an LGSCO referral not upheld; C13 received in
  // March 2023 and answered (not upheld) in April 2023; C14 not upheld, with
  // a Housing Ombudsman referral in 2023/24.
  add(CaseBuilder("C12")
          .In("Housing", "Repairs")
          .Received(2022, 6, 1)
          .Ack(STAGE_1, 2022, 6, 2)
          .Respond(STAGE_1, 2022, 6, 10, OUTCOME_UPHELD)
          .Refer(OMBUDSMAN_BODY_LGSCO, 2022, 9, 1)
          .Decide(v1::OMBUDSMAN_DECISION_NOT_UPHELD, 2022, 12, 1));
  add(CaseBuilder("C13")
          .In("Housing", "Repairs")
          .Received(2023, 3, 20)
          .Ack(STAGE_1, 2023, 3, 21)
          .Respond(STAGE_1, 2023, 4, 3, OUTCOME_NOT_UPHELD));
  add(CaseBuilder("C14")
          .In("Housing", "Repairs")
          .Received(2022, 11, 1)
          .Ack(STAGE_1, 2022, 11, 2)
          .Respond(STAGE_1, 2022, 11, 10, OUTCOME_NOT_UPHELD)
          .Refer(OMBUDSMAN_BODY_HOS, 2023, 5, 15)
          .Decide(v1::OMBUDSMAN_DECISION_MALADMINISTRATION, 2023, 12, 1));
  add(CaseBuilder("K1", v1::CASE_TYPE_COMPLIMENT)
          .In("Housing", "Repairs")
          .Received(2023, 5, 5));
  add(CaseBuilder("K2", v1::CASE_TYPE_COMPLIMENT)
          .In("Housing", "Repairs")
          .Received(2022, 5, 5));
  add(CaseBuilder("E1", v1::CASE_TYPE_ENQUIRY)
          .In("Environment", "Waste")
          .Received(2023, 6, 1));
  add(CaseBuilder("E2", v1::CASE_TYPE_ENQUIRY)
          .In("Environment", "Waste")
          .Received(2024, 4, 2));

  auto interact = [&](std::string id, const v1::When& at,
                      v1::InteractionKind kind, std::string ref = "",
                      std::string directorate = "Housing") {
    absl::Status s = b.AddInteraction(MakeInteraction(
        std::move(id), at, kind, directorate, "Repairs", std::move(ref)));
    ASSERT_TRUE(s.ok()) << s;
  };
  interact("I1", On(2023, 6, 15), kContact);
  interact("I2", On(2023, 6, 5), kFollowUp, "C2");     // chasing stage 1
  interact("I3", On(2023, 7, 5), kFollowUp, "C2");     // 2 days after s1
  interact("I4", On(2023, 7, 11), kFollowUp, "C2");    // chasing stage 2
  interact("I5", On(2023, 10, 10), kFollowUp, "C2");   // 41 days: neither
  interact("I6", On(2023, 8, 30), kFollowUp, "C2");    // response day: after
  interact("I7", On(2023, 10, 6), kFollowUp, "C6");    // after withdrawal
  interact("I8", On(2023, 6, 20), kFollowUp, "K1");    // a compliment's
  interact("I9", On(2023, 6, 21), kFollowUp, "NOPE");  // unlinked
  interact("I10", On(2023, 6, 22), v1::INTERACTION_KIND_ENQUIRY, "", "");
  interact("I11", On(2022, 6, 15), kContact);
  interact("I12", AtUtc(2024, 3, 31, 23, 30), kContact);  // 1 April 2024
  interact("I13", AtUtc(2023, 3, 31, 23, 30), kContact);  // 1 April 2023
  return std::move(b).Build();
}

v1::ReportSettings Request() {
  v1::ReportSettings r;
  r.set_period("2023/24");
  r.set_as_of("2024-06-30");
  return r;
}

struct Figure {
  int64_t numerator;
  int64_t denominator;  // -1 for a count
};

Figure Of(const v1::Value& v) {
  if (v.has_ratio()) return {v.ratio().numerator(), v.ratio().denominator()};
  return {v.count(), -1};
}

bool operator==(const Figure& a, const Figure& b) {
  return a.numerator == b.numerator && a.denominator == b.denominator;
}

void PrintTo(const Figure& f, std::ostream* os) {
  *os << f.numerator;
  if (f.denominator >= 0) *os << "/" << f.denominator;
}

class ReportFixtureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = Fixture();
    auto r = BuildReport(data_, Request(), 1);
    ASSERT_TRUE(r.ok()) << r.status();
    report_ = *r;
  }

  Figure Current(absl::string_view key) const {
    const v1::Metric* m = FindMetric(report_.metrics(), key);
    EXPECT_NE(m, nullptr) << key;
    return m ? Of(m->current()) : Figure{-99, -99};
  }
  Figure Previous(absl::string_view key) const {
    const v1::Metric* m = FindMetric(report_.metrics(), key);
    EXPECT_NE(m, nullptr) << key;
    return m ? Of(m->previous()) : Figure{-99, -99};
  }

  Dataset data_;
  v1::AnnualReport report_;
};

constexpr int64_t kCount = -1;

TEST_F(ReportFixtureTest, PeriodsAndAsOf) {
  EXPECT_EQ(report_.period().label(), "2023/24");
  EXPECT_EQ(report_.period().start(), "2023-04-01");
  EXPECT_EQ(report_.period().end(), "2024-03-31");
  EXPECT_EQ(report_.previous_period().label(), "2022/23");
  // The last second of 30 June in London (BST).
  EXPECT_EQ(report_.as_of().seconds(), 1719788399);
}

TEST_F(ReportFixtureTest, CountsOfTheCurrentPeriod) {
  const std::map<std::string, int64_t> expected = {
      {"interactions", 11},         // I1-I10 and I13 (1 April 2023 in London)
      {"enquiries", 1},             // E1
      {"compliments", 1},           // K1
      {"complaints_received", 10},  // C1-C10
      {"stage1_received", 10},
      {"stage2_received", 1},  // C2; C7's escalation is in 2024/25
      {"ombudsman_enquiries", 2},
      {"ombudsman_enquiries_lgsco", 1},  // C2
      {"ombudsman_enquiries_hos", 1},    // C14, a 2022/23 complaint
      {"stage1_responses", 8},           // C1-C4, C7-C9, C13
      {"stage2_responses", 1},
      {"follow_up_contacts", 7},        // I2-I8; I9 is unlinked
      {"follow_up_chasing", 2},         // I2, I4
      {"follow_up_after_response", 2},  // I3, I6
      {"lessons_actions_overdue", 0},
      {"remedy_pence", 15000},
      {"ombudsman_decisions_lgsco_upheld_satisfactory_remedy", 1},
      {"ombudsman_decisions_lgsco_not_upheld", 0},
      {"ombudsman_decisions_hos_maladministration", 1},
      {"ombudsman_decisions_hos_redress", 0},
      {"restrictions_active", 0},
      {"restriction_reviews_overdue", 0},
  };
  for (const auto& [key, n] : expected) {
    EXPECT_EQ(Current(key), (Figure{n, kCount})) << key;
  }
}

TEST_F(ReportFixtureTest, RatiosOfTheCurrentPeriod) {
  const std::map<std::string, Figure> expected = {
      {"enquiries_share", {1, 11}},
      // Resolved: C1 C2 C3 C4 C8 C9 C13; upheld to some degree C1 C2 C3 C9.
      {"upheld_rate", {4, 7}},
      {"escalation_rate", {1, 10}},
      {"escalation_rate_cohort", {2, 10}},  // C2, C7 (C9 escalated after T)
      {"lessons_learnt_rate", {2, 10}},     // C2, C8 (C9's is after T)
      {"stage1_on_time", {6, 8}},           // C2 and C4 late
      {"stage2_on_time", {0, 1}},
      {"stage1_ack_on_time", {7, 9}},  // C5 left out; C2, C10 late
      {"follow_ups_per_complaint", {6, 10}},
      {"ombudsman_upheld_rate", {1, 1}},
      {"ombudsman_satisfactory_remedy_rate", {1, 1}},
  };
  for (const auto& [key, f] : expected) EXPECT_EQ(Current(key), f) << key;
}

TEST_F(ReportFixtureTest, ThePreviousPeriod) {
  EXPECT_EQ(Previous("interactions"), (Figure{1, kCount}));
  EXPECT_EQ(Previous("compliments"), (Figure{1, kCount}));
  EXPECT_EQ(Previous("complaints_received"), (Figure{3, kCount}));
  EXPECT_EQ(Previous("ombudsman_enquiries_lgsco"), (Figure{1, kCount}));
  EXPECT_EQ(Previous("stage1_responses"), (Figure{2, kCount}));
  EXPECT_EQ(Previous("upheld_rate"), (Figure{1, 2}));
  EXPECT_EQ(Previous("stage1_on_time"), (Figure{2, 2}));
  EXPECT_EQ(Previous("stage2_on_time"), (Figure{0, 0}));
  EXPECT_EQ(Previous("stage1_ack_on_time"), (Figure{3, 3}));
  EXPECT_EQ(Previous("ombudsman_decisions_lgsco_not_upheld"),
            (Figure{1, kCount}));
  EXPECT_EQ(Previous("ombudsman_upheld_rate"), (Figure{0, 1}));
  EXPECT_EQ(Previous("ombudsman_satisfactory_remedy_rate"), (Figure{0, 0}));
}

TEST_F(ReportFixtureTest, Changes) {
  const v1::Metric* complaints =
      FindMetric(report_.metrics(), "complaints_received");
  ASSERT_TRUE(complaints->change().has_relative());
  EXPECT_DOUBLE_EQ(complaints->change().relative(), (10.0 - 3.0) / 3.0);
  EXPECT_FALSE(complaints->change().has_percentage_points());
  const v1::Metric* upheld = FindMetric(report_.metrics(), "upheld_rate");
  EXPECT_DOUBLE_EQ(upheld->change().percentage_points(),
                   100.0 * (4.0 / 7.0 - 0.5));
  EXPECT_DOUBLE_EQ(upheld->change().relative(), (4.0 / 7.0 - 0.5) / 0.5);
  // Undefined: no previous enquiries.
  EXPECT_FALSE(
      FindMetric(report_.metrics(), "enquiries")->change().has_relative());
}

TEST_F(ReportFixtureTest, EveryDirectorateNamedByAnyRowWhateverItsDate) {
  ASSERT_EQ(report_.by_directorate_size(), 2);
  EXPECT_EQ(report_.by_directorate(0).directorate(), "Environment");
  EXPECT_EQ(report_.by_directorate(1).directorate(), "Housing");
  const auto& env = report_.by_directorate(0).metrics();
  EXPECT_EQ(Of(FindMetric(env, "complaints_received")->current()),
            (Figure{2, kCount}));
  EXPECT_EQ(Of(FindMetric(env, "upheld_rate")->current()), (Figure{1, 2}));
  EXPECT_EQ(Of(FindMetric(env, "enquiries_share")->current()), (Figure{1, 0}));
  // Learning figures and CH01 are in the totals only.
  EXPECT_EQ(FindMetric(env, "follow_up_chasing"), nullptr);
  EXPECT_EQ(FindMetric(env, "remedy_pence"), nullptr);
  const auto& housing = report_.by_directorate(1).metrics();
  EXPECT_EQ(Of(FindMetric(housing, "complaints_received")->current()),
            (Figure{8, kCount}));
  EXPECT_EQ(Of(FindMetric(housing, "interactions")->current()),
            (Figure{10, kCount}));  // I10 names no directorate
  ASSERT_EQ(report_.by_directorate(1).services_size(), 1);
  EXPECT_EQ(report_.by_directorate(1).services(0).service(), "Repairs");
}

TEST_F(ReportFixtureTest, FiveYearSeriesOldestFirst) {
  ASSERT_EQ(report_.five_year_size(), 5);
  EXPECT_EQ(report_.five_year(0).period().label(), "2019/20");
  EXPECT_EQ(report_.five_year(3).stage1_received(), 3);
  EXPECT_EQ(report_.five_year(4).period().label(), "2023/24");
  EXPECT_EQ(report_.five_year(4).stage1_received(), 10);
  EXPECT_EQ(report_.five_year(4).stage2_received(), 1);
  EXPECT_EQ(report_.five_year(4).escalation_rate().denominator(), 10);
}

TEST_F(ReportFixtureTest, MonthlyCounts) {
  ASSERT_EQ(report_.monthly_size(), 12);
  EXPECT_EQ(report_.monthly(0).month(), "2023-04");
  EXPECT_EQ(report_.monthly(11).month(), "2024-03");
  auto count = [&](int month, absl::string_view key) -> int64_t {
    for (const v1::Count& c : report_.monthly(month).counts()) {
      if (c.key() == key) return c.count();
    }
    return -1;
  };
  EXPECT_EQ(count(0, "complaints_received"), 1);  // C10
  EXPECT_EQ(count(0, "interactions"), 1);         // I13
  EXPECT_EQ(count(6, "complaints_received"), 2);  // October: C5, C6
  EXPECT_EQ(count(3, "stage2_received"), 1);      // July: C2
  int64_t total = 0;
  for (int m = 0; m < 12; ++m) total += count(m, "complaints_received");
  EXPECT_EQ(total, 10);
}

TEST_F(ReportFixtureTest, TopServices) {
  ASSERT_EQ(report_.top_services_size(), 2);
  EXPECT_EQ(report_.top_services(0).service(), "Repairs");
  EXPECT_EQ(report_.top_services(0).complaints_received().count(), 8);
  EXPECT_EQ(report_.top_services(1).service(), "Waste");
}

TEST(ReportTest, Ch01CountsTheLandlordDirectoratesOnly) {
  v1::ReportSettings r = Request();
  r.set_homes(1000);
  r.add_landlord_directorates("Housing");
  auto report = BuildReport(Fixture(), r, 1);
  ASSERT_TRUE(report.ok()) << report.status();
  const v1::Metric* s1 =
      FindMetric(report->metrics(), "ch01_stage1_per_1000_homes");
  ASSERT_NE(s1, nullptr);
  EXPECT_EQ(Of(s1->current()), (Figure{8000, 1000}));
  EXPECT_EQ(Of(s1->previous()), (Figure{3000, 1000}));
  EXPECT_EQ(Of(FindMetric(report->metrics(), "ch01_stage2_per_1000_homes")
                   ->current()),
            (Figure{1000, 1000}));
  for (const auto& d : report->by_directorate()) {
    EXPECT_EQ(FindMetric(d.metrics(), "ch01_stage1_per_1000_homes"), nullptr);
  }
}

TEST(ReportTest, Ch01IsOmittedWithoutHomes) {
  auto report = BuildReport(Fixture(), Request(), 1);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(FindMetric(report->metrics(), "ch01_stage1_per_1000_homes"),
            nullptr);
}

TEST(ReportTest, PublishSuppressesSmallBreakdownCellsButNeverTotals) {
  v1::ReportSettings r = Request();
  r.set_publish(true);
  auto report = BuildReport(Fixture(), r, 1);
  ASSERT_TRUE(report.ok());
  const auto& env = report->by_directorate(0).metrics();
  const v1::Metric* complaints = FindMetric(env, "complaints_received");
  ASSERT_TRUE(complaints->current().has_suppressed());
  EXPECT_EQ(complaints->current().suppressed().shown_as(), "<5");
  EXPECT_TRUE(FindMetric(env, "upheld_rate")->current().has_suppressed());
  // Zero is not small: it is shown.
  EXPECT_EQ(FindMetric(env, "stage2_received")->current().count(), 0);
  EXPECT_FALSE(complaints->change().has_relative());
  // Totals are never suppressed.
  EXPECT_EQ(FindMetric(report->metrics(), "stage2_received")->current().count(),
            1);
}

TEST(ReportTest, AsOfBeforeThePeriodEndsIsAnError) {
  v1::ReportSettings r = Request();
  r.set_as_of("2024-03-30");
  auto report = BuildReport(Fixture(), r, 1);
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(std::string(report.status().message()),
              ::testing::HasSubstr("before the end of the period 2023/24"));
  r.set_as_of("2024-03-31");  // the end of the last day is fine
  EXPECT_TRUE(BuildReport(Fixture(), r, 1).ok());
  r.set_as_of("2024-03-31T20:00:00Z");
  EXPECT_FALSE(BuildReport(Fixture(), r, 1).ok());
  r.set_as_of("yesterday");
  EXPECT_FALSE(BuildReport(Fixture(), r, 1).ok());
  r.set_as_of("2024-06-30");
  r.set_period("2023/25");
  EXPECT_FALSE(BuildReport(Fixture(), r, 1).ok());
}

TEST(ReportTest, AsOfAsADateTime) {
  v1::ReportSettings r = Request();
  r.set_as_of("2024-06-30T22:59:59Z");
  auto report = BuildReport(Fixture(), r, 1);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->as_of().seconds(), 1719788399);
}

TEST(ReportTest, AnAsOfLaterSeesLaterEvents) {
  v1::ReportSettings r = Request();
  r.set_as_of("2024-08-31");
  auto report = BuildReport(Fixture(), r, 1);
  ASSERT_TRUE(report.ok());
  // C9's escalation (15 July) and lesson (1 August) are now seen: C9 is no
  // longer resolved (stage 2 awaited).
  EXPECT_EQ(
      Of(FindMetric(report->metrics(), "escalation_rate_cohort")->current()),
      (Figure{3, 10}));
  EXPECT_EQ(Of(FindMetric(report->metrics(), "lessons_learnt_rate")->current()),
            (Figure{3, 10}));
  EXPECT_EQ(Of(FindMetric(report->metrics(), "upheld_rate")->current()),
            (Figure{3, 6}));
}

TEST(ReportTest, JsonContract) {
  auto report = BuildReport(Fixture(), Request(), 1);
  ASSERT_TRUE(report.ok());
  auto json = RenderJson(*report);
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json,
              ::testing::HasSubstr("\"as_of\": \"2024-06-30T22:59:59Z\""));
  EXPECT_THAT(*json, ::testing::HasSubstr("\"label\": \"2023/24\""));
  EXPECT_THAT(*json, ::testing::HasSubstr("\"key\": \"stage2_on_time\""));
  // Zeros are printed; int64 as strings.
  EXPECT_THAT(*json, ::testing::HasSubstr("\"count\": \"0\""));
  EXPECT_THAT(*json, ::testing::HasSubstr("\"denominator\": \"0\""));
  EXPECT_THAT(*json, ::testing::HasSubstr("\"previous_period\""));
  EXPECT_THAT(*json, ::testing::HasSubstr("\"by_directorate\""));
  EXPECT_THAT(*json, ::testing::HasSubstr("\"five_year\""));
  // And it reads back.
  v1::AnnualReport back;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(*json, &back).ok());
  EXPECT_EQ(back.SerializeAsString(), report->SerializeAsString());
}

TEST(ReportTest, MetricKeysFollowMetricsMd) {
  auto report = BuildReport(Fixture(), Request(), 1);
  ASSERT_TRUE(report.ok());
  std::vector<std::string> keys;
  for (const auto& m : report->metrics()) keys.push_back(m.key());
  std::vector<std::string> expected;
  for (absl::string_view k : ReportMetricKeys(false)) expected.emplace_back(k);
  EXPECT_EQ(keys, expected);
  // 13 Ombudsman body/decision pairs, zeros included.
  int pairs = 0;
  for (const std::string& k : keys) {
    pairs += absl::StartsWith(k, "ombudsman_decisions_");
  }
  EXPECT_EQ(pairs, 13);
}

}  // namespace
}  // namespace tellus
