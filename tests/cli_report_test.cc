// Runs the built `tellus` program end to end: import, validate, report.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli_runner.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tellus/report.h"
#include "tellus/v1/report.pb.h"

namespace {

using ::testing::HasSubstr;

const std::string kMessy = TELLUS_TEST_DATA_DIR "/messy/";
const std::string kInput = "--cases '" + kMessy +
                           "cases.csv' --interactions '" + kMessy +
                           "interactions.csv'";

std::string TempDir(const std::string& name) {
  const std::string dir = ::testing::TempDir() + "tellus-cli-" + name;
  std::filesystem::remove_all(dir);
  return dir;
}

tellus::v1::AnnualReport ParseReport(const std::string& json) {
  tellus::v1::AnnualReport report;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &report).ok());
  return report;
}

int64_t CurrentCount(const tellus::v1::AnnualReport& r, const char* key) {
  const tellus::v1::Metric* m = tellus::FindMetric(r.metrics(), key);
  return m ? m->current().count() : -1;
}

TEST(CliReportTest, JsonReportOfTheMessyExport) {
  const CommandResult run =
      RunTellus("report " + kInput +
                " --period 2023/24 --as-of 2024-06-30 --format json");
  ASSERT_EQ(run.exit_code, 0);
  const tellus::v1::AnnualReport report = ParseReport(run.output);
  EXPECT_EQ(report.period().label(), "2023/24");
  // CMP-001 and CMP-002; CMP-011 is 1 April 2024 in London.
  EXPECT_EQ(CurrentCount(report, "complaints_received"), 2);
  EXPECT_EQ(CurrentCount(report, "compliments"), 1);
  EXPECT_EQ(CurrentCount(report, "interactions"), 6);
}

TEST(CliReportTest, RejectsAreSummarisedOnStderr) {
  const CommandResult run = RunTellus(
      "report " + kInput + " --period 2023/24 --as-of 2024-06-30", true);
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.output, HasSubstr("16 rows read, 5 accepted, 11 rejected"));
  EXPECT_THAT(run.output, HasSubstr("2 interactions name a case_ref"));
}

TEST(CliReportTest, TextReadsLikeTheCouncilsReport) {
  const CommandResult run =
      RunTellus("report " + kInput + " --period 2023/24 --as-of 2024-06-30");
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.output,
              HasSubstr("2 complaints were received in 2023/24, compared with "
                        "0 in 2022/23."));
  EXPECT_THAT(run.output, HasSubstr("1 compliment was received"));
}

TEST(CliReportTest, ImportThenReportFromTheDataDirectoryGivesTheSameReport) {
  const std::string dir = TempDir("import");
  ASSERT_EQ(RunTellus("import " + kInput + " --out '" + dir + "'").exit_code,
            0);
  EXPECT_TRUE(std::filesystem::exists(dir + "/cases.binpb"));
  std::ifstream rejects(dir + "/rejects.csv");
  std::stringstream text;
  text << rejects.rdbuf();
  EXPECT_THAT(text.str(), HasSubstr("file,line,column,reason,record\n"));
  const std::string args = " --period 2023/24 --as-of 2024-06-30 --format json";
  const CommandResult from_csv = RunTellus("report " + kInput + args);
  const CommandResult from_data =
      RunTellus("report --data '" + dir + "'" + args);
  ASSERT_EQ(from_data.exit_code, 0);
  EXPECT_EQ(from_data.output, from_csv.output);
}

TEST(CliReportTest, StrictImportWritesNothing) {
  const std::string dir = TempDir("strict");
  const CommandResult run =
      RunTellus("import --strict " + kInput + " --out '" + dir + "'", true);
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.output, HasSubstr("nothing was written"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/cases.binpb"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/rejects.csv"));
}

TEST(CliReportTest, ValidateListsEveryBadRowAndExitsOne) {
  const CommandResult run = RunTellus("validate " + kInput);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.output,
              HasSubstr("cases.csv:6: received: '31/02/2023' is not a "
                        "calendar date"));
  EXPECT_THAT(run.output, HasSubstr("interactions.csv:7: interaction_id I-1 is "
                                    "already used by an earlier row"));
}

TEST(CliReportTest, ClearErrors) {
  CommandResult run = RunTellus("report " + kInput + " --period 2023/25", true);
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.output, HasSubstr("period '2023/25'"));
  run = RunTellus("report " + kInput + " --period 2023/24 --as-of 2024-01-01",
                  true);
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.output, HasSubstr("before the end of the period"));
  run = RunTellus("report --cases /nonexistent.csv --period 2023/24", true);
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.output, HasSubstr("/nonexistent.csv: cannot be read"));
  run = RunTellus("report --data /nonexistent-dir --period 2023/24", true);
  EXPECT_NE(run.exit_code, 0);
  run = RunTellus("report --period 2023/24", true);
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.output, HasSubstr("no input"));
}

TEST(CliReportTest, GenerateListsItsProfiles) {
  const CommandResult run = RunTellus("generate --list");
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.output, HasSubstr("sandwell-2023-24"));
}

// A GOV.UK holidays file moves the working-day deadlines: complaint A,
// received Monday 5 June 2023, is due an acknowledgement by Monday 12 June
// (5 working days) and was acknowledged on Tuesday 13 June: late. With a
// (made-up) holiday on Wednesday 7 June added, the due date is 13 June and
// the acknowledgement is on time.
TEST(CliReportTest, HolidaysFileMovesTheDeadlines) {
  const std::string dir = TempDir("holidays");
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/cases.csv")
      << "case_ref,type,received,directorate,s1_acknowledged\n"
         "A,complaint,2023-06-05,Housing,2023-06-13\n";
  std::ofstream(dir + "/interactions.csv")
      << "interaction_id,at,channel,kind\n";
  std::ofstream(dir + "/holidays.json")
      << R"({"england-and-wales": {"division": "england-and-wales", )"
         R"("events": [{"title": "Made-up day", "date": "2023-06-07"}]}})";
  const std::string input =
      " --cases '" + dir + "/cases.csv' --interactions '" + dir +
      "/interactions.csv'" +
      " --period 2023/24 --as-of 2024-06-30 --format json";
  auto ack_on_time = [](const tellus::v1::AnnualReport& r) {
    const tellus::v1::Metric* m =
        tellus::FindMetric(r.metrics(), "stage1_ack_on_time");
    return m ? m->current().ratio().numerator() : -1;
  };

  const CommandResult built_in = RunTellus("report" + input);
  ASSERT_EQ(built_in.exit_code, 0) << built_in.output;
  const tellus::v1::AnnualReport plain = ParseReport(built_in.output);
  EXPECT_EQ(ack_on_time(plain), 0);
  EXPECT_EQ(plain.settings().holidays_sha256(), "");

  const CommandResult with_file =
      RunTellus("report" + input + " --holidays '" + dir + "/holidays.json'");
  ASSERT_EQ(with_file.exit_code, 0) << with_file.output;
  const tellus::v1::AnnualReport added = ParseReport(with_file.output);
  EXPECT_EQ(ack_on_time(added), 1);
  // The report names the file by its digest, not by its text.
  EXPECT_EQ(added.settings().holidays_json(), "");
  EXPECT_EQ(added.settings().holidays_sha256().size(), 64u);
  EXPECT_FALSE(added.settings().replace_holidays());

  // Replacing 2023's holidays with the file's one day keeps it on time.
  const CommandResult replaced = RunTellus("report" + input + " --holidays '" +
                                           dir + "/holidays.json' --replace");
  ASSERT_EQ(replaced.exit_code, 0) << replaced.output;
  EXPECT_EQ(ack_on_time(ParseReport(replaced.output)), 1);
  EXPECT_TRUE(ParseReport(replaced.output).settings().replace_holidays());
}

TEST(CliReportTest, HolidaysFileErrorsNameTheProblem) {
  const std::string dir = TempDir("holidays-bad");
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/bad.json") << R"({"england-and-wales": )";
  const std::string args = "report " + kInput + " --period 2023/24";
  const CommandResult missing =
      RunTellus(args + " --holidays '" + dir + "/none.json'", true);
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.output, HasSubstr("cannot read bank holidays file"));
  const CommandResult malformed =
      RunTellus(args + " --holidays '" + dir + "/bad.json'", true);
  EXPECT_NE(malformed.exit_code, 0);
  EXPECT_THAT(malformed.output, HasSubstr("bank holidays: "));
  const CommandResult replace_alone = RunTellus(args + " --replace", true);
  EXPECT_NE(replace_alone.exit_code, 0);
  EXPECT_THAT(replace_alone.output, HasSubstr("--holidays"));
}

}  // namespace
