#include "tellus/aggregate.h"

#include <random>
#include <set>
#include <tuple>

#include "case_builder.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "learning_fixture.h"
#include "tellus/report.h"
#include "tellus/timescales.h"

namespace tellus {
namespace {

// Random learning records on a random case: actions on its lessons,
// recommendations on its Ombudsman decision, non-financial remedies, and a
// route and values when it is a compliment (which may get a lesson too).
void AddRandomLearning(std::mt19937_64& rng, v1::Case& c) {
  auto days = [&](int max) { return static_cast<int>(rng() % (max + 1)); };
  const char* themes[] = {"Communication", "Delay", "Policy", ""};
  if (c.type() == v1::CASE_TYPE_COMPLIMENT) {
    c.set_compliment_route(static_cast<v1::ComplimentRoute>(rng() % 8));
    if (rng() % 2) c.add_council_values("caring");
    if (rng() % 3 == 0) c.add_council_values("listening");
  }
  if (c.type() != v1::CASE_TYPE_COMPLAINT && rng() % 5 == 0) {
    const absl::CivilDay received = FromProto(c.received().date());
    AddLesson(c, received + days(30), themes[rng() % 4]);
  }
  for (v1::Event& e : *c.mutable_events()) {
    if (e.has_lesson_learnt()) {
      const absl::CivilDay on = FromProto(e.when().date());
      e.mutable_lesson_learnt()->set_theme(themes[rng() % 4]);
      if (rng() % 4 == 0) e.mutable_lesson_learnt()->set_directorate("Adults");
      for (int a = static_cast<int>(rng() % 4); a > 0; --a) {
        v1::LessonAction& action = *e.mutable_lesson_learnt()->add_actions();
        action.set_description("action");
        action.set_owner("owner");
        *action.mutable_target() = ToProto(on + days(300));
        if (rng() % 2) *action.mutable_done() = ToProto(on + days(600));
      }
    }
    if (e.has_ombudsman_decided()) {
      const absl::CivilDay on = FromProto(e.when().date());
      for (int n = static_cast<int>(rng() % 4); n > 0; --n) {
        v1::OmbudsmanRecommendation& r =
            *e.mutable_ombudsman_decided()->add_recommendations();
        r.set_description("recommendation");
        *r.mutable_due() = ToProto(on + days(90));
        if (rng() % 3) *r.mutable_complied() = ToProto(on + days(120));
      }
    }
    if (e.has_remedy()) {
      for (int k = 1; k <= 4; ++k) {
        if (rng() % 3 == 0) {
          e.mutable_remedy()->add_non_financial(static_cast<v1::RemedyKind>(k));
        }
      }
    }
  }
  if (c.type() == v1::CASE_TYPE_COMPLAINT && rng() % 4 == 0) {
    AddRemedy(c, 0, {v1::REMEDY_KIND_APOLOGY});
  }
}

// A random valid restriction over 2021-2025, with reviews kept or missed.
v1::Restriction RandomRestriction(std::mt19937_64& rng, int n) {
  auto days = [&](int max) { return static_cast<int>(rng() % (max + 1)); };
  const absl::CivilDay start = absl::CivilDay(2021, 1, 1) + days(1400);
  const absl::CivilDay review = start + 30 + days(180);
  std::optional<absl::CivilDay> end;
  if (rng() % 3 == 0) end = start + 30 + days(900);
  std::vector<ReviewSpec> reviews;
  absl::CivilDay on = review;
  while (rng() % 2 && (!end || on <= *end)) {
    const absl::CivilDay next = on + 30 + days(180);
    reviews.push_back({on, v1::REVIEW_OUTCOME_CONTINUED, next});
    on = next + days(60);
  }
  const bool service = rng() % 2;
  return MakeRestriction(
      "RS" + std::to_string(n), "CUST-" + std::to_string(rng() % 50),
      v1::RESTRICTION_TYPE_WRITTEN_CONTACT_ONLY, start, review, end, reviews,
      service ? "Housing" : "", service ? "A" : "");
}

// A random data set: complaints, compliments and enquiries over 2022-2024
// in three directorates, and interactions linked to some of them.
Dataset RandomDataset(uint64_t seed, int cases, int interactions) {
  std::mt19937_64 rng(seed);
  const char* directorates[] = {"Housing", "Environment", "Adults"};
  const char* services[] = {"A", "B", ""};
  DatasetBuilder b;
  std::vector<std::string> refs;
  for (int n = 0; n < cases; ++n) {
    v1::Case c = RandomHistory(rng, n);
    const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
    if (kind == 0 || kind == 1) {
      c.set_type(kind == 0 ? v1::CASE_TYPE_COMPLIMENT : v1::CASE_TYPE_ENQUIRY);
      c.clear_events();
    }
    c.set_directorate(directorates[rng() % 3]);
    c.set_service(services[rng() % 3]);
    AddRandomLearning(rng, c);
    refs.push_back(c.ref());
    EXPECT_TRUE(b.AddCase(c).ok());
  }
  for (int n = 0; n < cases / 10; ++n) {
    EXPECT_TRUE(b.AddRestriction(RandomRestriction(rng, n)).ok());
  }
  for (int n = 0; n < interactions; ++n) {
    absl::CivilDay day = absl::CivilDay(2022, 1, 1) + rng() % 1000;
    const auto kind = static_cast<v1::InteractionKind>(1 + rng() % 5);
    std::string ref;
    if (rng() % 3 == 0) ref = refs[rng() % refs.size()];
    if (rng() % 50 == 0) ref = "UNKNOWN";
    std::string directorate = rng() % 10 == 0 ? "" : directorates[rng() % 3];
    EXPECT_TRUE(
        b.AddInteraction(MakeInteraction("I" + std::to_string(n),
                                         On(day.year(), day.month(), day.day()),
                                         kind, directorate, services[rng() % 3],
                                         ref))
            .ok());
  }
  return std::move(b).Build();
}

v1::ReportSettings Request() {
  v1::ReportSettings r;
  r.set_period("2023/24");
  r.set_as_of("2024-06-30");
  r.set_homes(5000);
  return r;
}

AggregationSettings Settings() {
  auto s = ResolveSettings(Request(), absl::Now());
  EXPECT_TRUE(s.ok()) << s.status();
  return *s;
}

// Partials over random chunks of the rows, each serialized and read back,
// merged in a random order.
PartialAggregate MergedOverRandomSplit(const Dataset& data,
                                       std::mt19937_64& rng) {
  const AggregationSettings settings = Settings();
  auto cuts = [&](size_t n, int parts) {
    std::vector<size_t> c = {0, n};
    for (int i = 1; i < parts; ++i) c.push_back(rng() % (n + 1));
    std::sort(c.begin(), c.end());
    return c;
  };
  const int parts = 1 + static_cast<int>(rng() % 6);
  const auto case_cuts = cuts(data.cases().size(), parts);
  const auto interaction_cuts = cuts(data.interactions().size(), parts);
  const auto restriction_cuts =
      cuts(data.learning().restrictions.size(), parts);
  std::vector<PartialAggregate> partials;
  for (int i = 0; i < parts; ++i) {
    PartialAggregate p(settings);
    p.AddCases(data, case_cuts[i], case_cuts[i + 1]);
    p.AddInteractions(data, interaction_cuts[i], interaction_cuts[i + 1]);
    p.AddRestrictions(data, restriction_cuts[i], restriction_cuts[i + 1]);
    v1::PartialAggregate wire;
    EXPECT_TRUE(wire.ParseFromString(p.ToProto().SerializeAsString()));
    auto back = PartialAggregate::FromProto(wire);
    EXPECT_TRUE(back.ok()) << back.status();
    partials.push_back(*std::move(back));
  }
  std::shuffle(partials.begin(), partials.end(), rng);
  PartialAggregate merged = partials[0];
  for (size_t i = 1; i < partials.size(); ++i) {
    EXPECT_TRUE(merged.Merge(partials[i]).ok());
  }
  return merged;
}

TEST(AggregateTest, AnySplitMergesToTheIdenticalReport) {
  const Dataset data = RandomDataset(7, 3000, 20000);
  PartialAggregate whole(Settings());
  whole.AddCases(data, 0, data.cases().size());
  whole.AddInteractions(data, 0, data.interactions().size());
  whole.AddRestrictions(data, 0, data.learning().restrictions.size());
  auto expected = BuildReport(whole, Request());
  ASSERT_TRUE(expected.ok()) << expected.status();
  // The data must exercise the figures, or the property says little.
  ASSERT_GT(
      FindMetric(expected->metrics(), "stage2_received")->current().count(),
      10);
  ASSERT_GT(
      FindMetric(expected->metrics(), "follow_up_chasing")->current().count(),
      10);
  for (const char* key :
       {"lessons_actions_overdue", "restrictions_active",
        "restriction_reviews_overdue", "ombudsman_recommendations_overdue",
        "lessons_recorded", "remedies_apology", "compliments_route_mp"}) {
    ASSERT_GT(FindMetric(expected->metrics(), key)->current().count(), 3)
        << key;
    ASSERT_GT(FindMetric(expected->metrics(), key)->previous().count(), 3)
        << key;
  }
  ASSERT_GT(
      FindMetric(expected->metrics(), "ombudsman_recommendations_complied")
          ->current()
          .ratio()
          .denominator(),
      3);
  ASSERT_GT(expected->learning().themes_size(), 2);

  std::mt19937_64 rng(42);
  for (int trial = 0; trial < 25; ++trial) {
    PartialAggregate merged = MergedOverRandomSplit(data, rng);
    EXPECT_TRUE(merged == whole) << "trial " << trial;
    auto report = BuildReport(merged, Request());
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->SerializeAsString(), expected->SerializeAsString())
        << "trial " << trial;
  }
}

TEST(AggregateTest, ThreadsGiveTheSameReport) {
  const Dataset data = RandomDataset(11, 2000, 10000);
  auto one = BuildReport(data, Request(), 1);
  ASSERT_TRUE(one.ok());
  for (int threads : {2, 3, 8}) {
    auto many = BuildReport(data, Request(), threads);
    ASSERT_TRUE(many.ok());
    EXPECT_EQ(many->SerializeAsString(), one->SerializeAsString()) << threads;
  }
  EXPECT_FALSE(BuildReport(data, Request(), -1).ok());
}

// Ranges handed out in any order and size, empty ones too, count as one
// range of every row.
TEST(AggregateTest, InteractionsFromRangesCountAsOneRange) {
  const Dataset data = RandomDataset(19, 1500, 30000);
  const size_t n = data.interactions().size();
  PartialAggregate whole(Settings());
  whole.AddCases(data, 0, data.cases().size());
  whole.AddInteractions(data, 0, n);
  auto expected = BuildReport(whole, Request());
  ASSERT_TRUE(expected.ok()) << expected.status();

  std::mt19937_64 rng(23);
  std::vector<size_t> cuts = {0, n, n / 2, n / 2};  // one empty range
  for (int i = 0; i < 40; ++i) cuts.push_back(rng() % (n + 1));
  std::sort(cuts.begin(), cuts.end());
  std::vector<std::pair<size_t, size_t>> ranges;
  for (size_t i = 0; i + 1 < cuts.size(); ++i) {
    ranges.emplace_back(cuts[i], cuts[i + 1]);
  }
  std::shuffle(ranges.begin(), ranges.end(), rng);
  PartialAggregate from_ranges(Settings());
  from_ranges.AddCases(data, 0, data.cases().size());
  size_t next = 0;
  from_ranges.AddInteractions(data,
                              [&](size_t* begin, size_t* end) {
                                if (next == ranges.size()) return false;
                                std::tie(*begin, *end) = ranges[next++];
                                return true;
                              },
                              {});
  EXPECT_EQ(next, ranges.size());
  auto report = BuildReport(from_ranges, Request());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->SerializeAsString(), expected->SerializeAsString());
}

TEST(AggregateTest, CasesFillTheSameTimelinesAsFillCaseTimelines) {
  const Dataset data = RandomDataset(13, 2000, 100);
  const size_t n = data.cases().size();
  PartialAggregate partial(Settings());
  std::vector<aggregate_internal::CaseTimeline> expected(n), filled(n);
  partial.FillCaseTimelines(data, 0, n, absl::MakeSpan(expected));
  PartialAggregate counting(Settings());
  counting.AddCases(data, 0, n / 3, absl::MakeSpan(filled));
  counting.AddCases(data, n / 3, n, absl::MakeSpan(filled));
  size_t complaints_seen = 0;
  for (size_t row = 0; row < n; ++row) {
    const auto& a = expected[row];
    const auto& b = filled[row];
    EXPECT_EQ(std::tie(a.received, a.s1, a.escalated, a.s2, a.withdrawn,
                       a.is_complaint),
              std::tie(b.received, b.s1, b.escalated, b.s2, b.withdrawn,
                       b.is_complaint))
        << "case row " << row;
    complaints_seen += a.is_complaint && a.s1 != INT32_MAX;
  }
  EXPECT_GT(complaints_seen, 100u);  // the data exercise the timelines
  // Filling them changes no count.
  PartialAggregate plain(Settings());
  plain.AddCases(data, 0, n);
  EXPECT_TRUE(plain == counting);
}

// Interactions in time order are counted a run of rows at a time when the
// run's days share a month (AddInteractions): the same counts as rows in
// any order, with runs that cross a month, a period, the start of the five
// periods and the end of P, and runs broken by a row out of order.
TEST(AggregateTest, InteractionsInTimeOrderCountAsInAnyOrder) {
  std::mt19937_64 rng(17);
  const char* directorates[] = {"Housing", "Environment", "Adults", ""};
  struct Row {
    absl::CivilDay day;
    const char* directorate;
  };
  // 2018-06 to 2025-12: before the five periods (2019/20 to 2023/24) and
  // after P, about 20 rows a day.
  const absl::CivilDay first(2018, 6, 1);
  std::vector<Row> rows;
  for (int n = 0; n < 60000; ++n) {
    rows.push_back(
        {first + static_cast<int>(rng() % 2770), directorates[rng() % 4]});
  }
  std::vector<Row> in_time_order = rows;
  std::stable_sort(in_time_order.begin(), in_time_order.end(),
                   [](const Row& a, const Row& b) { return a.day < b.day; });
  std::vector<Row> out_of_order_now_and_then = in_time_order;
  for (size_t i = 300; i < out_of_order_now_and_then.size(); i += 1500) {
    std::swap(out_of_order_now_and_then[i],
              out_of_order_now_and_then[rng() % rows.size()]);
  }
  auto report_of = [](const std::vector<Row>& ordered) {
    DatasetBuilder b;
    for (size_t n = 0; n < ordered.size(); ++n) {
      const absl::CivilDay d = ordered[n].day;
      EXPECT_TRUE(
          b.AddInteraction(MakeInteraction("I" + std::to_string(n),
                                           On(d.year(), d.month(), d.day()),
                                           v1::INTERACTION_KIND_CONTACT,
                                           ordered[n].directorate, "", ""))
              .ok());
    }
    const Dataset data = std::move(b).Build();
    PartialAggregate partial(Settings());
    partial.AddInteractions(data, 0, data.interactions().size());
    auto report = BuildReport(partial, Request());
    EXPECT_TRUE(report.ok()) << report.status();
    return *report;
  };
  const v1::AnnualReport expected = report_of(rows);
  int64_t in_p = 0;
  for (const Row& r : rows) {
    in_p += r.day >= absl::CivilDay(2023, 4, 1) &&
            r.day <= absl::CivilDay(2024, 3, 31);
  }
  ASSERT_EQ(FindMetric(expected.metrics(), "interactions")->current().count(),
            in_p);
  EXPECT_EQ(report_of(in_time_order).SerializeAsString(),
            expected.SerializeAsString());
  EXPECT_EQ(report_of(out_of_order_now_and_then).SerializeAsString(),
            expected.SerializeAsString());
}

// A policy may give a step 0 working days (timescales.h: the day itself,
// working day or not): a complaint received, acknowledged and answered on a
// Saturday is then on time at both, as timescales.h says.
TEST(AggregateTest, ZeroWorkingDaysIsTheDayItself) {
  DatasetBuilder b;
  ASSERT_TRUE(b.AddCase(CaseBuilder("CMP-SAT")
                            .Received(2023, 5, 6)  // a Saturday
                            .Ack(v1::STAGE_1, 2023, 5, 6)
                            .Respond(v1::STAGE_1, 2023, 5, 6)
                            .get())
                  .ok());
  const Dataset data = std::move(b).Build();
  v1::ReportSettings request = Request();
  v1::StageTimescale& stage1 = *request.mutable_policy()->mutable_stage1();
  stage1.set_acknowledge_days(0);
  stage1.set_respond_days(0);
  stage1.set_max_extension_days(0);
  absl::StatusOr<AggregationSettings> settings =
      ResolveSettings(request, absl::Now());
  ASSERT_TRUE(settings.ok()) << settings.status();
  const absl::CivilDay saturday(2023, 5, 6);
  ASSERT_EQ(AcknowledgementDue(settings->calendar, settings->policy,
                               v1::STAGE_1, saturday),
            saturday);
  ASSERT_EQ(ResponseDue(settings->calendar, settings->policy, v1::STAGE_1,
                        saturday, saturday),
            saturday);
  PartialAggregate partial(*settings);
  partial.AddCases(data, 0, data.cases().size());
  auto report = BuildReport(partial, request);
  ASSERT_TRUE(report.ok()) << report.status();
  for (const char* key : {"stage1_ack_on_time", "stage1_on_time"}) {
    const v1::Ratio& r = FindMetric(report->metrics(), key)->current().ratio();
    EXPECT_EQ(r.numerator(), 1) << key;
    EXPECT_EQ(r.denominator(), 1) << key;
  }
}

// Due dates past the report's day tables (a complaint received long before
// the five periods; a policy of thousands of working days) are worked out
// through the calendar, as timescales.h does.
TEST(AggregateTest, DueDatesBeyondTheDayTablesFollowTheCalendar) {
  struct Answered {
    absl::CivilDay received, acknowledged, responded;
  };
  const Answered cases[] = {
      {absl::CivilDay(2009, 1, 5), absl::CivilDay(2009, 1, 6),
       absl::CivilDay(2023, 5, 10)},
      {absl::CivilDay(2023, 5, 2), absl::CivilDay(2023, 5, 3),
       absl::CivilDay(2023, 6, 1)},
      // 3000 working days after 2015-06-02 fall in 2027; 3000 days, 2023.
      {absl::CivilDay(2015, 6, 1), absl::CivilDay(2015, 6, 2),
       absl::CivilDay(2023, 12, 1)},
  };
  for (const int respond_days : {10, 3000, 6000}) {
    DatasetBuilder b;
    v1::ReportSettings request = Request();
    request.mutable_policy()->mutable_stage1()->set_acknowledge_days(5);
    request.mutable_policy()->mutable_stage1()->set_respond_days(respond_days);
    absl::StatusOr<AggregationSettings> settings =
        ResolveSettings(request, absl::Now());
    ASSERT_TRUE(settings.ok()) << settings.status();
    int64_t on_time = 0;
    int n = 0;
    for (const Answered& a : cases) {
      auto [ay, am, ad] = std::tuple(
          a.acknowledged.year(), a.acknowledged.month(), a.acknowledged.day());
      ASSERT_TRUE(b.AddCase(CaseBuilder("CMP-" + std::to_string(++n))
                                .Received(a.received.year(), a.received.month(),
                                          a.received.day())
                                .Ack(v1::STAGE_1, static_cast<int>(ay), am, ad)
                                .Respond(v1::STAGE_1,
                                         static_cast<int>(a.responded.year()),
                                         a.responded.month(), a.responded.day())
                                .get())
                      .ok());
      const absl::CivilDay due =
          ResponseDue(settings->calendar, settings->policy, v1::STAGE_1,
                      a.received, a.acknowledged);
      on_time += RespondedOnTime(settings->calendar, settings->policy,
                                 v1::STAGE_1, due, a.responded, std::nullopt);
    }
    const Dataset data = std::move(b).Build();
    PartialAggregate partial(*settings);
    partial.AddCases(data, 0, data.cases().size());
    auto report = BuildReport(partial, request);
    ASSERT_TRUE(report.ok()) << report.status();
    const v1::Ratio& r =
        FindMetric(report->metrics(), "stage1_on_time")->current().ratio();
    EXPECT_EQ(r.numerator(), on_time) << respond_days;
    EXPECT_EQ(r.denominator(), 3) << respond_days;
  }
}

// Every way a stage's response can fall against its due dates (before, on
// and after the due date and the extended one; no, a short and an
// overlong extension; no, an early and a late acknowledgement), one
// complaint a report, at both stages: the kernel's on-time figure is
// timescales.h's RespondedOnTime.
TEST(AggregateTest, OnTimeIsRespondedOnTimeAtEveryBoundary) {
  const AggregationSettings settings = Settings();
  const Calendar& cal = settings.calendar;
  const TimescalePolicy& policy = settings.policy;
  auto add = [](CaseBuilder& c,
                void (*event)(CaseBuilder&, v1::Stage, int, int, int),
                v1::Stage stage, absl::CivilDay day) {
    event(c, stage, static_cast<int>(day.year()), day.month(), day.day());
  };
  auto ack = [](CaseBuilder& c, v1::Stage s, int y, int m, int d) {
    c.Ack(s, y, m, d);
  };
  auto extend = [](CaseBuilder& c, v1::Stage s, int y, int m, int d) {
    c.Extend(s, y, m, d);
  };
  auto respond = [](CaseBuilder& c, v1::Stage s, int y, int m, int d) {
    c.Respond(s, y, m, d);
  };
  const absl::CivilDay received(2023, 5, 2);
  const absl::CivilDay s1_answered(2023, 5, 9);  // before stage 2, on time
  const absl::CivilDay escalated(2023, 5, 12);   // a Friday
  int checked = 0;
  for (const v1::Stage stage : {v1::STAGE_1, v1::STAGE_2}) {
    const absl::CivilDay start = stage == v1::STAGE_1 ? received : escalated;
    const absl::CivilDay ack_due =
        AcknowledgementDue(cal, policy, stage, start);
    for (const std::optional<absl::CivilDay> acknowledged :
         {std::optional<absl::CivilDay>(), std::optional(start + 1),
          std::optional(ack_due + 5)}) {
      const absl::CivilDay due =
          ResponseDue(cal, policy, stage, start, acknowledged);
      for (const std::optional<absl::CivilDay> extended_to :
           {std::optional<absl::CivilDay>(), std::optional(due + 3),
            std::optional(due + 120)}) {
        const absl::CivilDay extended_due =
            extended_to ? ExtendedDue(cal, policy, stage, due, *extended_to)
                        : due;
        for (const absl::CivilDay responded :
             {due - 1, due, due + 1, extended_due, extended_due + 1}) {
          if (acknowledged && *acknowledged > responded) continue;
          CaseBuilder c("CMP-1");
          c.Received(2023, 5, 2);
          if (stage == v1::STAGE_2) {
            add(c, respond, v1::STAGE_1, s1_answered);
            c.Escalate(2023, 5, 12);
          }
          if (acknowledged) add(c, ack, stage, *acknowledged);
          if (extended_to) add(c, extend, stage, *extended_to);
          add(c, respond, stage, responded);
          DatasetBuilder b;
          ASSERT_TRUE(b.AddCase(c.get()).ok());
          const Dataset data = std::move(b).Build();
          PartialAggregate partial(settings);
          partial.AddCases(data, 0, data.cases().size());
          auto report = BuildReport(partial, Request());
          ASSERT_TRUE(report.ok()) << report.status();
          const v1::Ratio& r =
              FindMetric(report->metrics(), stage == v1::STAGE_1
                                                ? "stage1_on_time"
                                                : "stage2_on_time")
                  ->current()
                  .ratio();
          ASSERT_EQ(r.denominator(), 1);
          EXPECT_EQ(r.numerator() == 1, RespondedOnTime(cal, policy, stage, due,
                                                        responded, extended_to))
              << "stage " << stage << " acknowledged "
              << (acknowledged ? absl::FormatCivilTime(*acknowledged) : "-")
              << " extended to "
              << (extended_to ? absl::FormatCivilTime(*extended_to) : "-")
              << " responded " << responded << " due " << due;
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 80);
}

TEST(AggregateTest, PartialsOfDifferentSettingsDoNotMerge) {
  PartialAggregate a(Settings());
  v1::ReportSettings other = Request();
  other.set_as_of("2024-07-31");
  auto settings = ResolveSettings(other, absl::Now());
  ASSERT_TRUE(settings.ok());
  PartialAggregate b(*settings);
  absl::Status s = a.Merge(b);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()),
              ::testing::HasSubstr("different settings"));
}

TEST(AggregateTest, PartialsOfDifferentHolidaysDoNotMergeAndKeepThem) {
  v1::ReportSettings with_file = Request();
  with_file.set_holidays_json(
      R"({"england-and-wales": {"events": [{"title": "Made-up day", )"
      R"("date": "2023-06-07"}]}})");
  auto settings = ResolveSettings(with_file, absl::Now());
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_TRUE(settings->calendar.IsHoliday(absl::CivilDay(2023, 6, 7)));
  PartialAggregate a(Settings());
  PartialAggregate b(*settings);
  const absl::Status s = a.Merge(b);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()),
              ::testing::HasSubstr("holidays added from a file"));
  // A serialized partial keeps the holidays it was computed with.
  auto back = PartialAggregate::FromProto(b.ToProto());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(back->settings().calendar.IsHoliday(absl::CivilDay(2023, 6, 7)));
  EXPECT_TRUE(b.Merge(*back).ok());
  // A malformed file is an error that says so.
  with_file.set_holidays_json("{");
  auto bad = ResolveSettings(with_file, absl::Now());
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()),
              ::testing::HasSubstr("bank holidays: "));
}

TEST(AggregateTest, MalformedSerializedPartialsAreRefused) {
  PartialAggregate p(Settings());
  const Dataset data = RandomDataset(3, 50, 100);
  p.AddCases(data, 0, data.cases().size());
  v1::PartialAggregate wire = p.ToProto();

  v1::PartialAggregate bad_version = wire;
  bad_version.set_format_version(99);
  EXPECT_FALSE(PartialAggregate::FromProto(bad_version).ok());

  v1::PartialAggregate unknown_counter = wire;
  unknown_counter.set_counters(0, "no_such_counter");
  EXPECT_THAT(
      std::string(
          PartialAggregate::FromProto(unknown_counter).status().message()),
      ::testing::HasSubstr("unknown counter 'no_such_counter'"));

  v1::PartialAggregate short_cell = wire;
  short_cell.mutable_cells(0)
      ->mutable_periods(0)
      ->mutable_values()
      ->RemoveLast();
  EXPECT_FALSE(PartialAggregate::FromProto(short_cell).ok());

  v1::PartialAggregate no_as_of = wire;
  no_as_of.mutable_settings()->clear_as_of();
  EXPECT_FALSE(PartialAggregate::FromProto(no_as_of).ok());

  v1::PartialAggregate missing_months = wire;
  missing_months.clear_months();
  EXPECT_FALSE(PartialAggregate::FromProto(missing_months).ok());
}

TEST(AggregateTest, CountersHaveStableDistinctNames) {
  std::set<std::string> names;
  for (int c = 0; c < kCounterCount; ++c) {
    names.insert(std::string(CounterName(static_cast<Counter>(c))));
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(kCounterCount));
  EXPECT_EQ(CounterName(kComplaintsReceived), "complaints_received");
}

TEST(ParseAsOfTest, DatesAndEveryDateTimeForm) {
  // A date is the last second of that London day (BST in June).
  EXPECT_EQ(*ParseAsOf("2024-06-30"), absl::FromUnixSeconds(1719788399));
  EXPECT_EQ(*ParseAsOf("30/6/2024"), absl::FromUnixSeconds(1719788399));
  // Date-times: London time without an offset, Z or an offset, with or
  // without seconds, T or a space; RFC 3339 with fractions.
  const absl::Time noon_bst = absl::FromUnixSeconds(1719745200);
  EXPECT_EQ(*ParseAsOf("2024-06-30T12:00"), noon_bst);
  EXPECT_EQ(*ParseAsOf("2024-06-30 12:00:00"), noon_bst);
  EXPECT_EQ(*ParseAsOf("2024-06-30T11:00Z"), noon_bst);
  EXPECT_EQ(*ParseAsOf("2024-06-30T12:00+01:00"), noon_bst);
  EXPECT_EQ(*ParseAsOf("2024-06-30T11:00:00.5Z"),
            noon_bst + absl::Milliseconds(500));
  const absl::StatusOr<absl::Time> bad = ParseAsOf("30 June");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), testing::HasSubstr("as-of '30 June'"));
}

TEST(ResolveSettingsTest, DefaultsAndErrors) {
  v1::ReportSettings r;
  r.set_period("2023/24");
  const absl::Time now = absl::FromUnixSeconds(1750000000);  // June 2025
  auto s = ResolveSettings(r, now);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->as_of, now);
  EXPECT_EQ(s->request.region(), "england-and-wales");
  r.set_region("narnia");
  EXPECT_FALSE(ResolveSettings(r, now).ok());
  r.clear_region();
  r.set_homes(-5);
  EXPECT_FALSE(ResolveSettings(r, now).ok());
}

}  // namespace
}  // namespace tellus
