// Done when: from one store, the `tellus` program gives the directorate
// digest, the compliments about one team, the overdue restriction reviews
// and the Ombudsman figures, each checked against values worked out by hand
// from METRICS.md on the learning fixture (tests/data/learning, which
// learning_io_test.cc checks is learning_fixture.h's), and each the same as
// from the data directory. Then an action marked done later, a restriction's
// new version and the import's warning, all through the store.
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_runner.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "learning_fixture.h"
#include "tellus/proto_io.h"
#include "tellus/report.h"

namespace tellus {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kFixture = TELLUS_TEST_DATA_DIR "/learning";

class CliLearningStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "tellus-cli-learning-store-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    CommandResult r = RunTellus(
        "import --store '" + Db() + "' --data '" + kFixture + "'", true);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("Store: 9 new cases"));
    EXPECT_THAT(r.output, HasSubstr("Restrictions: 5 new, 0 with a new "
                                    "version, 0 already present"));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Db() const { return dir_ + "/council.db"; }
  std::string Store() const { return " --store '" + Db() + "'"; }
  std::string Data() const { return " --data '" + kFixture + "'"; }

  // The command's output from the store, checked to be the data
  // directory's too.
  std::string Both(const std::string& command) {
    CommandResult from_store = RunTellus(command + Store());
    CommandResult from_data = RunTellus(command + Data());
    EXPECT_EQ(from_store.exit_code, 0) << command;
    EXPECT_EQ(from_data.exit_code, 0) << command;
    EXPECT_EQ(from_store.output, from_data.output) << command;
    return from_store.output;
  }

  v1::AnnualReport Report(const std::string& source) {
    CommandResult r = RunTellus(
        "report --period 2023/24 --as-of 2024-06-30 --format json" + source);
    EXPECT_EQ(r.exit_code, 0);
    v1::AnnualReport report;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(r.output, &report).ok());
    return report;
  }

  std::string dir_;
};

struct Pair {
  int64_t current;
  int64_t previous;
  friend bool operator==(const Pair&, const Pair&) = default;
};

Pair Counts(const v1::AnnualReport& report, absl::string_view key) {
  const v1::Metric* m = FindMetric(report.metrics(), key);
  EXPECT_NE(m, nullptr) << key;
  if (m == nullptr) return {-99, -99};
  return {m->current().count(), m->previous().count()};
}

TEST_F(CliLearningStoreTest, TheDirectorateDigest) {
  const std::string out =
      Both("digest --directorate Housing --month 2024-01 --format markdown");
  EXPECT_THAT(out, HasSubstr("Records as of 2024-01-31 23:59 GMT"));
  // No Housing complaint was received in January 2024 (L5 came on 1 Feb).
  EXPECT_THAT(out, HasSubstr("Received: 0"));
  // Overdue at the end of 2024-01-31: L1's action 4 (target 2023-06-01,
  // done only 2024-07-15): 244 days (30 + 31 + 31 + 30 + 31 + 30 + 31 +
  // 30). Action 2's target is 2024-01-31 itself, not yet passed.
  EXPECT_THAT(out, HasSubstr("| L1 #4 | Audit open jobs | Repairs Manager | "
                             "2023-06-01 | overdue by 244 days |"));
  EXPECT_THAT(out, Not(HasSubstr("Retrain the repairs desk")));
  // L3's LGSCO decision of 2024-01-10, none of its four recommendations
  // complied with by then.
  EXPECT_THAT(out, HasSubstr("2024-01-10 L3: LGSCO, upheld"));
  EXPECT_THAT(out, HasSubstr("recommendation 1, due 2024-02-10 (open)"));
}

TEST_F(CliLearningStoreTest, TheComplimentsAboutOneTeam) {
  const std::string out =
      Both("compliments --team 'Repairs North' --period 2023/24");
  // K1 (2023-05-05) and K2 (2023-08-05); K3 is Crews', in 2022/23.
  EXPECT_THAT(out, HasSubstr("2 compliments received from 2023-04-01 to "
                             "2024-03-31."));
  EXPECT_THAT(out, HasSubstr("2023-05-05  K1"));
  EXPECT_THAT(out, HasSubstr("2023-08-05  K2"));
  EXPECT_THAT(out, Not(HasSubstr("K3")));
  EXPECT_THAT(out, HasSubstr("Council values shown: caring 2, listening 1."));
}

TEST_F(CliLearningStoreTest, TheOverdueRestrictionReviews) {
  const std::string out = Both("restrictions --on 2024-06-30");
  // In force: RS1, RS3, RS4 (RS2 ended 2024-05-31, RS5 in 2022). Overdue:
  // RS3 (first review 2023-03-01, never held: 487 days) and RS1 (next
  // review 2024-01-05: 177 days), longest first.
  EXPECT_THAT(out, HasSubstr("3 restrictions in force; 2 reviews overdue."));
  const size_t rs3 = out.find("RS3  CUST-3");
  const size_t rs1 = out.find("RS1  CUST-1");
  ASSERT_NE(rs3, std::string::npos);
  ASSERT_NE(rs1, std::string::npos);
  EXPECT_LT(rs3, rs1);
  EXPECT_THAT(out, HasSubstr("overdue by 487 days"));
  EXPECT_THAT(out, HasSubstr("overdue by 177 days"));
  EXPECT_THAT(out, HasSubstr("not yet due"));  // RS4, review 2024-10-10
}

TEST_F(CliLearningStoreTest, TheOmbudsmanAndLearningFigures) {
  const v1::AnnualReport report = Report(Store());
  // Due in 2023/24: R1, R2, R4; complied by the due date: R1 = 1 of 3.
  const v1::Metric* complied =
      FindMetric(report.metrics(), "ombudsman_recommendations_complied");
  ASSERT_NE(complied, nullptr);
  EXPECT_EQ(complied->current().ratio().numerator(), 1);
  EXPECT_EQ(complied->current().ratio().denominator(), 3);
  // Overdue at 2024-06-30: R3 and R4; the previous column is taken at the
  // same T (one T per report).
  EXPECT_EQ(Counts(report, "ombudsman_recommendations_overdue"), (Pair{2, 2}));
  EXPECT_EQ(Counts(report, "ombudsman_decisions_lgsco_upheld"), (Pair{1, 0}));
  // learning_report_test.cc's working: actions A2, A4 at T (both columns);
  // restrictions in force at the periods' ends RS1-3 / RS1, RS3; reviews
  // overdue at T RS1, RS3 (both columns).
  EXPECT_EQ(Counts(report, "lessons_actions_overdue"), (Pair{2, 2}));
  EXPECT_EQ(Counts(report, "restrictions_active"), (Pair{3, 2}));
  EXPECT_EQ(Counts(report, "restriction_reviews_overdue"), (Pair{2, 2}));
  // The whole report is the data directory's.
  std::string from_store, from_data;
  ASSERT_TRUE(
      google::protobuf::util::MessageToJsonString(report, &from_store).ok());
  ASSERT_TRUE(
      google::protobuf::util::MessageToJsonString(Report(Data()), &from_data)
          .ok());
  EXPECT_EQ(from_store, from_data);
}

TEST_F(CliLearningStoreTest, AnActionMarkedDoneLater) {
  const std::string add =
      "case add-event L1" + Store() + " --kind action-done --lesson 1 ";
  CommandResult r = RunTellus(add + "--action 2 --date 2024-03-01", true);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("case L1: action 2 of Lessons Learnt "
                                  "record 1 marked done recorded"));
  r = RunTellus(add + "--action 2 --date 2024-03-02", true);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("done again: it was done on 2024-03-01"));
  r = RunTellus(add + "--action 7 --date 2024-03-02", true);
  EXPECT_THAT(r.output, HasSubstr("names action 7, but Lessons Learnt record "
                                  "1 (on 2023-05-20) has 4 actions"));
  r = RunTellus(
      "case add-event L1" + Store() + " --kind action-done --date 2024-03-02",
      true);
  EXPECT_THAT(r.output, HasSubstr("give --lesson N"));
  // A2 is no longer overdue at 2024-06-30: only A4 = 1, in both columns
  // (one T per report).
  EXPECT_EQ(Counts(Report(Store()), "lessons_actions_overdue"), (Pair{1, 1}));
  r = RunTellus("digest --directorate Housing --month 2024-06" + Store());
  EXPECT_THAT(r.output, HasSubstr("Audit open jobs"));
  EXPECT_THAT(r.output, Not(HasSubstr("Retrain the repairs desk")));
  // As of before the day it was done, it still was overdue.
  r = RunTellus(
      "digest --directorate Housing --month 2024-02 --as-of "
      "2024-02-29" +
      Store());
  EXPECT_THAT(r.output, HasSubstr("Retrain the repairs desk"));
}

TEST_F(CliLearningStoreTest, ARestrictionsNewVersion) {
  // RS3 reviewed on 2024-03-10, next review 2024-09-10.
  v1::Restriction rs3 = MakeLearningFixture().restrictions[2];
  v1::RestrictionReview& rv = *rs3.add_reviews();
  *rv.mutable_date() = Day(2024, 3, 10);
  rv.set_outcome(v1::REVIEW_OUTCOME_CONTINUED);
  *rv.mutable_next_review() = Day(2024, 9, 10);
  ASSERT_TRUE(WriteRestrictions(dir_, {rs3}).ok());
  const std::string import = "import --store '" + Db() + "' --restrictions '" +
                             dir_ + "/restrictions.binpb'";
  CommandResult r = RunTellus(import, true);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("Restrictions: 0 new, 1 with a new "
                                  "version, 0 already present"));
  r = RunTellus(import, true);
  EXPECT_THAT(r.output, HasSubstr("Restrictions: 0 new, 0 with a new "
                                  "version, 1 already present"));
  r = RunTellus("restrictions --on 2024-06-30" + Store());
  EXPECT_THAT(r.output, HasSubstr("3 restrictions in force; 1 review "
                                  "overdue."));
  EXPECT_EQ(Counts(Report(Store()), "restriction_reviews_overdue"),
            (Pair{1, 1}));
}

TEST_F(CliLearningStoreTest, AStoreImportWarnsAboutRestrictedCustomers) {
  const std::string csv = dir_ + "/cases.csv";
  std::ofstream(csv) << kRestrictedCustomersCsv;
  CommandResult r =
      RunTellus("import --store '" + Db() + "' --cases '" + csv + "'", true);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr(kC1Warning));
  EXPECT_THAT(r.output, Not(HasSubstr("case C-2")));
  EXPECT_THAT(r.output, Not(HasSubstr("case C-3")));
}

TEST_F(CliLearningStoreTest, RetentionAndSubjectAccessCoverRestrictions) {
  CommandResult r =
      RunTellus("subject-access" + Store() + " --customer CUST-5");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("\"id\": \"RS5\""));
  // RS5 ended on 2022-06-01: more than a year before 2023-07-01.
  r = RunTellus("retention" + Store() +
                " --anonymise-after 1y --on 2023-07-01");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("restriction RS5"));
  r = RunTellus("subject-access" + Store() + " --customer CUST-5", true);
  EXPECT_THAT(r.output, HasSubstr("0 cases, 0 interactions and 0 restriction "
                                  "versions held about CUST-5"));
  r = RunTellus("store check" + Store());
  EXPECT_THAT(r.output, HasSubstr("ok (schema version 2): 9 cases"));
  EXPECT_THAT(r.output, HasSubstr("5 restrictions"));
}

}  // namespace
}  // namespace tellus
