// Runs the built `tellus` program: tellus workdays ... and tellus due.
#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "cli_runner.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

TEST(CliWorkdaysTest, HolidaysOf2022InEnglandAndWales) {
  const CommandResult run = RunTellus("workdays holidays 2022");
  ASSERT_EQ(run.exit_code, 0);
  std::vector<std::string> dates;
  for (const std::string& line : Lines(run.output)) {
    const std::vector<std::string> fields = absl::StrSplit(line, '\t');
    ASSERT_EQ(fields.size(), 2u) << line;
    EXPECT_THAT(fields[1], Not(IsEmpty())) << line;
    dates.push_back(fields[0]);
  }
  EXPECT_THAT(
      dates, ElementsAre("2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02",
                         "2022-06-02", "2022-06-03", "2022-08-29", "2022-09-19",
                         "2022-12-26", "2022-12-27"));
  EXPECT_THAT(run.output, HasSubstr("2022-12-27\tChristmas Day\n"));
}

TEST(CliWorkdaysTest, HolidaysOfAnotherRegion) {
  const CommandResult run =
      RunTellus("workdays holidays 2023 --region Scotland");
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.output, HasSubstr("2023-11-30\tSt Andrew's Day\n"));
  EXPECT_THAT(run.output, Not(HasSubstr("Easter Monday")));
}

TEST(CliWorkdaysTest, AddOverTheCoronation) {
  EXPECT_EQ(RunTellus("workdays add 2023-05-05 1").output, "2023-05-09\n");
  EXPECT_EQ(RunTellus("workdays add 5/5/2023 1").output, "2023-05-09\n");
  EXPECT_EQ(RunTellus("workdays add 2023-05-05 0").output, "2023-05-05\n");
}

TEST(CliWorkdaysTest, Between) {
  const CommandResult run = RunTellus("workdays between 2023-05-05 2023-05-12");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.output, "4\n");
}

TEST(CliWorkdaysTest, HolidaysFileReplacesTheListedYears) {
  const std::string file = std::string(" --holidays '") + TELLUS_TEST_DATA_DIR +
                           "/bank-holidays.json'";
  const CommandResult replaced =
      RunTellus("workdays holidays 2030 --replace" + file);
  ASSERT_EQ(replaced.exit_code, 0);
  EXPECT_THAT(replaced.output, HasSubstr("2030-06-04\t"));
  EXPECT_THAT(replaced.output, Not(HasSubstr("2030-05-27")));
  const CommandResult extended = RunTellus("workdays holidays 2030" + file);
  ASSERT_EQ(extended.exit_code, 0);
  EXPECT_THAT(extended.output, HasSubstr("2030-06-04\t"));
  EXPECT_THAT(extended.output, HasSubstr("2030-05-27\t"));
}

TEST(CliWorkdaysTest, BadDateFailsWithAMessage) {
  const CommandResult out = RunTellus("workdays add 2023-02-30 1");
  EXPECT_NE(out.exit_code, 0);
  EXPECT_THAT(out.output, IsEmpty());
  const CommandResult err = RunTellus("workdays add 2023-02-30 1", true);
  EXPECT_NE(err.exit_code, 0);
  EXPECT_THAT(err.output, HasSubstr("2023-02-30"));
  EXPECT_THAT(err.output, HasSubstr("YYYY-MM-DD"));
}

TEST(CliWorkdaysTest, OtherErrorsFailWithAMessage) {
  const CommandResult region =
      RunTellus("workdays holidays 2023 --region wales", true);
  EXPECT_NE(region.exit_code, 0);
  EXPECT_THAT(region.output, HasSubstr("unknown region"));
  const CommandResult file =
      RunTellus("workdays holidays 2023 --holidays /nonexistent.json", true);
  EXPECT_NE(file.exit_code, 0);
  EXPECT_THAT(file.output, HasSubstr("/nonexistent.json"));
  const CommandResult stage =
      RunTellus("due --received 2023-05-05 --stage 3", true);
  EXPECT_NE(stage.exit_code, 0);
  EXPECT_THAT(stage.output, Not(IsEmpty()));
}

TEST(CliWorkdaysTest, DueDates) {
  const CommandResult run = RunTellus(
      "due --received 2023-05-05 --acknowledged 2023-05-20 "
      "--extended-to 2023-07-01 --responded 2023-06-14");
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.output, HasSubstr("acknowledgement_due: 2023-05-15\n"));
  EXPECT_THAT(run.output, HasSubstr("acknowledged_on_time: no\n"));
  EXPECT_THAT(run.output, HasSubstr("response_due: 2023-05-30\n"));
  EXPECT_THAT(run.output, HasSubstr("extended_due: 2023-06-13\n"));
  EXPECT_THAT(run.output, HasSubstr("on_time: no\n"));
}

TEST(CliWorkdaysTest, DueDatesAtStageTwo) {
  const CommandResult run =
      RunTellus("due --stage 2 --received 10/1/2024 --responded 2024-02-14");
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.output, HasSubstr("acknowledgement_due: 2024-01-17\n"));
  EXPECT_THAT(run.output, HasSubstr("response_due: 2024-02-14\n"));
  EXPECT_THAT(run.output, HasSubstr("on_time: yes\n"));
}

TEST(CliWorkdaysTest, EveryCommandHasHelp) {
  for (const char* command :
       {"workdays --help", "workdays add --help", "workdays holidays --help",
        "workdays between --help", "due --help"}) {
    const CommandResult run = RunTellus(command);
    EXPECT_EQ(run.exit_code, 0) << command;
    EXPECT_THAT(run.output, HasSubstr("Usage")) << command;
  }
}

}  // namespace
