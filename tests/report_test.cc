// The report on a hand-built fixture, every figure worked out by hand from
// METRICS.md (the comments show the working).
#include "tellus/report.h"

#include <map>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "report_fixture.h"
#include "tellus/render.h"

namespace tellus {
namespace {

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
    auto r = BuildReport(data_, FixtureRequest(), 1);
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
  v1::ReportSettings r = FixtureRequest();
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
  // Names are matched as imported, trimmed of spaces ("Housing, Adults").
  r.clear_landlord_directorates();
  r.add_landlord_directorates(" Housing ");
  r.add_landlord_directorates(" ");
  auto trimmed = BuildReport(Fixture(), r, 1);
  ASSERT_TRUE(trimmed.ok()) << trimmed.status();
  EXPECT_EQ(Of(FindMetric(trimmed->metrics(), "ch01_stage1_per_1000_homes")
                   ->current()),
            (Figure{8000, 1000}));
}

TEST(ReportTest, Ch01IsOmittedWithoutHomes) {
  auto report = BuildReport(Fixture(), FixtureRequest(), 1);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(FindMetric(report->metrics(), "ch01_stage1_per_1000_homes"),
            nullptr);
}

TEST(ReportTest, PublishSuppressesSmallBreakdownCellsButNeverTotals) {
  v1::ReportSettings r = FixtureRequest();
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

TEST(ReportTest, OnAnArenaTheReportIsTheSame) {
  const Dataset data = Fixture();
  v1::ReportSettings plain = FixtureRequest();
  v1::ReportSettings published = plain;
  published.set_publish(true);
  published.set_homes(2000);
  published.add_landlord_directorates("Environment");
  for (const v1::ReportSettings& request : {plain, published}) {
    auto on_heap = BuildReport(data, request, 1);
    ASSERT_TRUE(on_heap.ok()) << on_heap.status();
    google::protobuf::Arena arena;
    auto on_arena = BuildReport(data, request, arena, 1);
    ASSERT_TRUE(on_arena.ok()) << on_arena.status();
    EXPECT_EQ((*on_arena)->GetArena(), &arena);
    EXPECT_EQ((*on_arena)->SerializeAsString(), on_heap->SerializeAsString())
        << request.ShortDebugString();
    // From a partial too, and its errors.
    absl::StatusOr<AggregationSettings> settings =
        ResolveSettings(request, absl::Now());
    ASSERT_TRUE(settings.ok());
    auto merged = Aggregate(data, *settings, 1);
    ASSERT_TRUE(merged.ok());
    auto from_partial = BuildReport(*merged, request, arena);
    ASSERT_TRUE(from_partial.ok());
    EXPECT_EQ((*from_partial)->SerializeAsString(),
              on_heap->SerializeAsString());
  }
  v1::ReportSettings bad = plain;
  bad.set_homes(-1);
  google::protobuf::Arena arena;
  EXPECT_FALSE(BuildReport(data, bad, arena, 1).ok());
}

TEST(ReportTest, AsOfBeforeThePeriodEndsIsAnError) {
  v1::ReportSettings r = FixtureRequest();
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
  v1::ReportSettings r = FixtureRequest();
  r.set_as_of("2024-06-30T22:59:59Z");
  auto report = BuildReport(Fixture(), r, 1);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->as_of().seconds(), 1719788399);
}

// METRICS.md: T may be a date-time or a date, in FORMATS.md's forms: the
// seconds and the offset are optional, and without an offset the time is
// London's.
TEST(ReportTest, AsOfInEveryDateTimeFormOfFormatsMd) {
  v1::ReportSettings r = FixtureRequest();
  const absl::Time end_of_june = absl::FromUnixSeconds(1719788399);
  for (const auto& [text, want] :
       std::vector<std::pair<std::string, absl::Time>>{
           {"2024-06-30", end_of_june},
           {"30/6/2024", end_of_june},
           {"2024-06-30T22:59:59Z", end_of_june},
           {"2024-06-30T23:59:59", end_of_june},
           {"2024-06-30 23:59:59", end_of_june},
           {"2024-06-30T23:59:59+01:00", end_of_june},
           {"2024-06-30T23:00Z", end_of_june + absl::Seconds(1)},
           {"2024-06-30T23:00+00:00", end_of_june + absl::Seconds(1)},
           {"2024-07-01 00:00", end_of_june + absl::Seconds(1)},
           {"2024-06-30T22:59:59.5Z", end_of_june + absl::Milliseconds(500)},
       }) {
    r.set_as_of(text);
    auto report = BuildReport(Fixture(), r, 1);
    ASSERT_TRUE(report.ok()) << text << ": " << report.status();
    EXPECT_EQ(report->as_of().seconds(), absl::ToUnixSeconds(want)) << text;
  }
  r.set_as_of("2024-06-30T23:00Q");
  EXPECT_FALSE(BuildReport(Fixture(), r, 1).ok());
  // The report's as_of is the Timestamp of T, fractions of a second too.
  r.set_as_of("2024-06-30T22:59:59.5Z");
  auto report = BuildReport(Fixture(), r, 1);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->as_of().nanos(), 500000000);
  EXPECT_THAT(*RenderJson(*report),
              ::testing::HasSubstr("\"as_of\": \"2024-06-30T22:59:59.500Z\""));
}

TEST(ReportTest, AnAsOfLaterSeesLaterEvents) {
  v1::ReportSettings r = FixtureRequest();
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
  auto report = BuildReport(Fixture(), FixtureRequest(), 1);
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
  auto report = BuildReport(Fixture(), FixtureRequest(), 1);
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
