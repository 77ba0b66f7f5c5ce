// The learning figures on the hand-built learning fixture, each worked out by
// hand from METRICS.md and learning_partial.h (the fixture's comments show
// the dates; the working is here).
#include <map>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "learning_fixture.h"
#include "tellus/render.h"
#include "tellus/report.h"

namespace tellus {
namespace {

using ::testing::HasSubstr;

struct Pair {
  int64_t current;
  int64_t previous;
  friend bool operator==(const Pair&, const Pair&) = default;
};

void PrintTo(const Pair& p, std::ostream* os) {
  *os << p.current << " / " << p.previous;
}

class LearningReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = MakeLearningFixture().Build();
    auto r = BuildReport(data_, LearningRequest(), 1);
    ASSERT_TRUE(r.ok()) << r.status();
    report_ = *r;
  }

  Pair Counts(absl::string_view key) const {
    const v1::Metric* m = FindMetric(report_.metrics(), key);
    EXPECT_NE(m, nullptr) << key;
    if (m == nullptr) return {-99, -99};
    EXPECT_TRUE(m->current().has_count()) << key;
    return {m->current().count(), m->previous().count()};
  }

  const v1::DirectorateLearning* Directorate(absl::string_view name) const {
    for (const auto& d : report_.learning().by_directorate()) {
      if (d.directorate() == name) return &d;
    }
    return nullptr;
  }

  Pair DirectorateCounts(absl::string_view name, absl::string_view key) const {
    const v1::DirectorateLearning* d = Directorate(name);
    EXPECT_NE(d, nullptr) << name;
    if (d == nullptr) return {-99, -99};
    const v1::Metric* m = FindMetric(d->metrics(), key);
    EXPECT_NE(m, nullptr) << key;
    if (m == nullptr) return {-99, -99};
    return {m->current().count(), m->previous().count()};
  }

  Dataset data_;
  v1::AnnualReport report_;
};

TEST_F(LearningReportTest, TheThreeFiguresOfMetricsComeFromTheRecords) {
  // lessons_actions_overdue, at 2024-06-30: A2 (target 2024-01-31, open)
  // and A4 (target 2023-06-01, done only 2024-07-15, after T) = 2. A1 was
  // done in time, A3's target is T's date itself, B1 (target 2022-12-31)
  // was done 2023-08-01. One T per report: the previous column is the same.
  EXPECT_EQ(Counts("lessons_actions_overdue"), (Pair{2, 2}));
  // restrictions_active, on 2024-03-31: RS1, RS2, RS3 = 3 (RS4 starts
  // later, RS5 ended in 2022). On 2023-03-31: RS1 (from 2023-01-10) and RS3
  // = 2.
  EXPECT_EQ(Counts("restrictions_active"), (Pair{3, 2}));
  // restriction_reviews_overdue, at 2024-06-30: RS1 (due 2024-01-05 after
  // its 2023-07-05 review) and RS3 (due 2023-03-01, never reviewed) = 2;
  // RS2 ended 2024-05-31, RS4's review is in October. The same at T for
  // the previous column.
  EXPECT_EQ(Counts("restriction_reviews_overdue"), (Pair{2, 2}));
}

TEST_F(LearningReportTest, OmbudsmanRecommendations) {
  // Due in 2023/24: R1, R2, R4 = 3; complied on or before the due date: R1
  // = 1. Nothing due in 2022/23.
  const v1::Metric* m =
      FindMetric(report_.metrics(), "ombudsman_recommendations_complied");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->current().ratio().numerator(), 1);
  EXPECT_EQ(m->current().ratio().denominator(), 3);
  EXPECT_EQ(m->previous().ratio().denominator(), 0);
  EXPECT_TRUE(IsRatioKey("ombudsman_recommendations_complied"));
  // Overdue at 2024-06-30: R3 (due 2024-05-01) and R4 (due 2024-03-31),
  // both open = 2, in both columns (one T per report).
  EXPECT_EQ(Counts("ombudsman_recommendations_overdue"), (Pair{2, 2}));
}

TEST_F(LearningReportTest, LessonsRemediesAndCompliments) {
  // Lessons dated in P and seen at T: L1 (2023-05-20), L3 (2023-10-25), K1
  // (2023-05-06), E1 (2023-06-02) = 4; L5's (2024-07-05) is after T. In
  // 2022/23: L2's (2022-07-01) = 1.
  EXPECT_EQ(Counts("lessons_recorded"), (Pair{4, 1}));
  // Non-financial remedies of complaints resolved in P: apology L1 (s1
  // 2023-05-12) and L3 (s2 2023-10-20) = 2; action L1 and L5 (2024-02-10)
  // = 2; L4's "other" is withdrawn. In 2022/23: L2's policy change.
  EXPECT_EQ(Counts("remedies_apology"), (Pair{2, 0}));
  EXPECT_EQ(Counts("remedies_action"), (Pair{2, 0}));
  EXPECT_EQ(Counts("remedies_policy_change"), (Pair{0, 1}));
  EXPECT_EQ(Counts("remedies_other"), (Pair{0, 0}));
  // remedy_pence: L1's £50 with its response in P.
  EXPECT_EQ(Counts("remedy_pence"), (Pair{5000, 0}));
  // Compliments by route: K1 contact centre, K2 councillor in P; K3 (route
  // not known) in 2022/23.
  EXPECT_EQ(Counts("compliments"), (Pair{2, 1}));
  EXPECT_EQ(Counts("compliments_route_contact_centre"), (Pair{1, 0}));
  EXPECT_EQ(Counts("compliments_route_councillor"), (Pair{1, 0}));
  EXPECT_EQ(Counts("compliments_route_not_known"), (Pair{0, 1}));
  EXPECT_EQ(Counts("compliments_route_mp"), (Pair{0, 0}));
}

TEST_F(LearningReportTest, NewKeysFollowThoseOfMetricsMd) {
  std::vector<std::string> keys;
  for (const v1::Metric& m : report_.metrics()) keys.push_back(m.key());
  auto at = [&](absl::string_view key) {
    return std::find(keys.begin(), keys.end(), key) - keys.begin();
  };
  EXPECT_LT(at("restriction_reviews_overdue"),
            at("ombudsman_recommendations_complied"));
  EXPECT_EQ(at("ombudsman_recommendations_complied"),
            at("restriction_reviews_overdue") + 1);
  const auto listed = ReportMetricKeys(false);
  EXPECT_EQ(std::vector<std::string>(listed.begin(), listed.end()), keys);
  // Totals only: no learning key by directorate in the main breakdown.
  for (const auto& d : report_.by_directorate()) {
    EXPECT_EQ(FindMetric(d.metrics(), "lessons_recorded"), nullptr);
  }
}

TEST_F(LearningReportTest, ByDirectorate) {
  // Listed: the report's directorates and every lesson's (Adults comes from
  // L2's lesson only), sorted.
  ASSERT_EQ(report_.learning().by_directorate_size(), 3);
  EXPECT_EQ(report_.learning().by_directorate(0).directorate(), "Adults");
  EXPECT_EQ(report_.learning().by_directorate(1).directorate(), "Environment");
  EXPECT_EQ(report_.learning().by_directorate(2).directorate(), "Housing");
  // Lessons count under the lesson's directorate: Housing L1, L3, K1 = 3;
  // Environment E1 = 1; Adults L2's = 1 in 2022/23.
  EXPECT_EQ(DirectorateCounts("Housing", "lessons_recorded"), (Pair{3, 0}));
  EXPECT_EQ(DirectorateCounts("Environment", "lessons_recorded"), (Pair{1, 0}));
  EXPECT_EQ(DirectorateCounts("Adults", "lessons_recorded"), (Pair{0, 1}));
  // Overdue actions at T: Housing A2, A4 (in both columns); Adults' B1 was
  // done by T.
  EXPECT_EQ(DirectorateCounts("Housing", "lessons_actions_overdue"),
            (Pair{2, 2}));
  EXPECT_EQ(DirectorateCounts("Adults", "lessons_actions_overdue"),
            (Pair{0, 0}));
  // Remedies under the case's directorate.
  EXPECT_EQ(DirectorateCounts("Housing", "remedy_pence"), (Pair{5000, 0}));
  EXPECT_EQ(DirectorateCounts("Housing", "remedies_apology"), (Pair{2, 0}));
  EXPECT_EQ(DirectorateCounts("Environment", "remedies_policy_change"),
            (Pair{0, 1}));
  EXPECT_EQ(DirectorateCounts("Housing", "compliments"), (Pair{2, 0}));
  EXPECT_EQ(DirectorateCounts("Environment", "compliments_route_not_known"),
            (Pair{0, 1}));
  const v1::Metric* rec = FindMetric(Directorate("Housing")->metrics(),
                                     "ombudsman_recommendations_complied");
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(rec->current().ratio().numerator(), 1);
  EXPECT_EQ(rec->current().ratio().denominator(), 3);
}

TEST_F(LearningReportTest, ThemesAcrossComplaintsComplimentsAndEnquiries) {
  // Communication: L1, L3 (complaints), E1 (enquiry) = 3; Good practice: K1
  // (compliment) = 1; Policy: L2's in 2022/23 only. Most frequent first.
  const auto& themes = report_.learning().themes();
  ASSERT_EQ(themes.size(), 3);
  EXPECT_EQ(themes[0].theme(), "Communication");
  EXPECT_EQ(themes[0].current().count(), 3);
  EXPECT_EQ(themes[0].complaints().count(), 2);
  EXPECT_EQ(themes[0].enquiries().count(), 1);
  EXPECT_EQ(themes[0].compliments().count(), 0);
  EXPECT_EQ(themes[1].theme(), "Good practice");
  EXPECT_EQ(themes[1].compliments().count(), 1);
  EXPECT_EQ(themes[2].theme(), "Policy");
  EXPECT_EQ(themes[2].current().count(), 0);
  EXPECT_EQ(themes[2].previous().count(), 1);
  // Housing's themes: Communication 2 (L1, L3), Good practice 1 (K1).
  const auto& housing = Directorate("Housing")->themes();
  ASSERT_EQ(housing.size(), 2);
  EXPECT_EQ(housing[0].theme(), "Communication");
  EXPECT_EQ(housing[0].current().count(), 2);
  // Council values of compliments: caring K1, K2 = 2; listening K1 = 1, and
  // K3 in 2022/23.
  const auto& values = report_.learning().compliment_values();
  ASSERT_EQ(values.size(), 2);
  EXPECT_EQ(values[0].label(), "caring");
  EXPECT_EQ(values[0].current().count(), 2);
  EXPECT_EQ(values[1].label(), "listening");
  EXPECT_EQ(values[1].current().count(), 1);
  EXPECT_EQ(values[1].previous().count(), 1);
}

TEST_F(LearningReportTest, PublishSuppressesSmallDirectorateCellsOnly) {
  v1::ReportSettings request = LearningRequest();
  request.set_publish(true);
  auto published = BuildReport(data_, request, 1);
  ASSERT_TRUE(published.ok());
  const v1::DirectorateLearning& housing =
      published->learning().by_directorate(2);
  const v1::Metric* lessons = FindMetric(housing.metrics(), "lessons_recorded");
  ASSERT_NE(lessons, nullptr);
  EXPECT_EQ(lessons->current().suppressed().shown_as(), "<5");
  // Totals are never suppressed.
  EXPECT_EQ(
      FindMetric(published->metrics(), "lessons_recorded")->current().count(),
      4);
  EXPECT_EQ(published->learning().themes(0).current().count(), 3);
}

TEST_F(LearningReportTest, AnEarlierAsOfSeesLess) {
  // As of 2024-04-30: A4 is still open (done 2024-07-15), A2 overdue; R4
  // (due 2024-03-31) overdue, R3 (due 2024-05-01) not yet due.
  v1::ReportSettings request = LearningRequest();
  request.set_as_of("2024-04-30");
  auto r = BuildReport(data_, request, 1);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(
      FindMetric(r->metrics(), "lessons_actions_overdue")->current().count(),
      2);
  EXPECT_EQ(FindMetric(r->metrics(), "ombudsman_recommendations_overdue")
                ->current()
                .count(),
            1);
  // RS1 (due 2024-01-05) and RS3 overdue; RS2 in force (to 2024-05-31),
  // due 2024-06-01: not yet.
  EXPECT_EQ(FindMetric(r->metrics(), "restriction_reviews_overdue")
                ->current()
                .count(),
            2);
}

TEST_F(LearningReportTest, RenderedReportsShowTheOmbudsmanAndLearning) {
  const std::string text = RenderText(report_);
  const std::string markdown = RenderMarkdown(report_);
  auto html = RenderReport(report_, "html");
  ASSERT_TRUE(html.ok());
  const std::string& page = *html;
  for (const std::string* out : {&text, &markdown, &page}) {
    EXPECT_THAT(*out, HasSubstr("LGSCO investigations upheld"));
    EXPECT_THAT(*out, HasSubstr("Ombudsman recommendations complied with"));
    EXPECT_THAT(*out, HasSubstr("Lessons Learnt actions overdue"));
    EXPECT_THAT(*out, HasSubstr("Communication"));
  }
  EXPECT_THAT(markdown, HasSubstr("33.3% of the Ombudsman's recommendations"));
}

}  // namespace
}  // namespace tellus
