// Runs the built `tellus` program end to end on the learning fixture: the
// digest, the compliments and the restrictions listings, the report's
// learning figures, and the import's warning for a restricted customer.
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_runner.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "learning_fixture.h"
#include "tellus/proto_io.h"

namespace tellus {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class CliLearningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "tellus-cli-learning-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    const LearningFixture f = MakeLearningFixture();
    ASSERT_TRUE(WriteDataDir(dir_ + "/data", f.cases, {}).ok());
    ASSERT_TRUE(WriteRestrictions(dir_ + "/data", f.restrictions).ok());
    ASSERT_TRUE(WriteRestrictions(dir_, f.restrictions).ok());  // a file
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Data() const { return " --data '" + dir_ + "/data'"; }

  std::string dir_;
};

TEST_F(CliLearningTest, Digest) {
  CommandResult r =
      RunTellus("digest --directorate Housing --month 2024-01" + Data());
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("Housing: customer feedback digest, "
                                  "January 2024"));
  EXPECT_THAT(r.output, HasSubstr("Audit open jobs"));
  EXPECT_THAT(r.output, HasSubstr("2024-01-10 L3: LGSCO, upheld"));

  r = RunTellus(
      "digest --directorate Housing --month 2023-05 --format "
      "markdown" +
      Data());
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("## Lessons Learnt recorded"));
  EXPECT_THAT(r.output, HasSubstr("Stage 1 responses on time: 1 of 1 (100%)"));

  r = RunTellus("digest --directorate Parks --month 2024-01" + Data(), true);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("tellus digest: no case or lesson names the "
                                  "directorate \"Parks\""));
  r = RunTellus("digest --directorate Housing --month 2024-13" + Data(), true);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("month '2024-13' is not of the form "
                                  "YYYY-MM"));
  r = RunTellus("digest --directorate Housing --month 2024-01", true);
  EXPECT_THAT(r.output,
              HasSubstr("no input: give --data DIR, --store DB or --cases"));
}

TEST_F(CliLearningTest, Compliments) {
  CommandResult r =
      RunTellus("compliments --team 'Repairs North' --period 2023/24" + Data());
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("2 compliments received"));
  EXPECT_THAT(r.output, HasSubstr("K1"));
  EXPECT_THAT(r.output, HasSubstr("K2"));
  r = RunTellus("compliments --staff S-7 --period 2022/23" + Data());
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("1 compliment received"));
  EXPECT_THAT(r.output, HasSubstr("K3"));
  r = RunTellus("compliments --period 2023/24" + Data(), true);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("a staff id or a team"));
}

TEST_F(CliLearningTest, Restrictions) {
  CommandResult r = RunTellus("restrictions --on 2024-06-30" + Data());
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("3 restrictions in force; 2 reviews "
                                  "overdue."));
  // The same from a restrictions file.
  r = RunTellus("restrictions --on 2023-07-01 --restrictions '" + dir_ +
                "/restrictions.binpb' --format markdown");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("# Contact restrictions in force on "
                                  "2023-07-01"));
  EXPECT_THAT(r.output, HasSubstr("3 restrictions in force; 1 review "
                                  "overdue."));
  r = RunTellus("restrictions --on 2024-06-31 --data x", true);
  EXPECT_EQ(r.exit_code, 1);
}

TEST_F(CliLearningTest, TheReportShowsTheLearningFigures) {
  CommandResult r =
      RunTellus("report --period 2023/24 --as-of 2024-06-30" + Data());
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("Lessons Learnt actions overdue"));
  EXPECT_THAT(r.output, HasSubstr("Contact restrictions in force"));
  EXPECT_THAT(r.output, HasSubstr("33.3% of the Ombudsman's recommendations"));
  EXPECT_THAT(r.output, HasSubstr("Lessons Learnt themes"));
}

TEST_F(CliLearningTest, ImportWarnsAboutRestrictedCustomers) {
  const std::string csv = dir_ + "/cases.csv";
  std::ofstream(csv) << kRestrictedCustomersCsv;
  CommandResult r = RunTellus("import --cases '" + csv + "' --out '" + dir_ +
                                  "/imported' --restrictions '" + dir_ +
                                  "/restrictions.binpb'",
                              true);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr(kC1Warning));
  EXPECT_THAT(r.output, Not(HasSubstr("case C-2")));
  EXPECT_THAT(r.output, Not(HasSubstr("case C-3")));  // RS2 ended, Housing's
  // The restrictions went into the data directory; a later import into it
  // warns from them without --restrictions.
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/imported/restrictions.binpb"));
  r = RunTellus("import --cases '" + csv + "' --out '" + dir_ + "/imported'",
                true);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("warning: case C-1"));
  r = RunTellus("restrictions --on 2024-06-30 --data '" + dir_ + "/imported'");
  EXPECT_THAT(r.output, HasSubstr("3 restrictions in force"));
}

}  // namespace
}  // namespace tellus
