// Runs the built `tellus` program on a store end to end: import, report,
// case show, add-event, overdue, retention, subject access, check.
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_runner.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kMessy = TELLUS_TEST_DATA_DIR "/messy/";
const std::string kInput = "--cases '" + kMessy +
                           "cases.csv' --interactions '" + kMessy +
                           "interactions.csv'";
const std::string kReport =
    " --period 2023/24 --as-of 2024-06-30 --format json";

// A new store holding the messy export.
std::string ImportedStore(const std::string& name) {
  const std::string path = ::testing::TempDir() + "tellus-cli-store-" + name;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path + suffix);
  }
  const CommandResult run =
      RunTellus("import --store '" + path + "' " + kInput, true);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  return "'" + path + "'";
}

TEST(CliStoreTest, ImportTwiceAddsNothingTheSecondTime) {
  const std::string store = ImportedStore("twice.db");
  const CommandResult again =
      RunTellus("import --store " + store + " " + kInput, true);
  ASSERT_EQ(again.exit_code, 0);
  EXPECT_THAT(again.output, HasSubstr("0 new cases, 5 already present"));
  EXPECT_THAT(again.output, HasSubstr("0 new interactions, 6 already present"));
  EXPECT_THAT(again.output, HasSubstr("imported before (import #1"));
  EXPECT_THAT(again.output, HasSubstr("nothing new"));
}

TEST(CliStoreTest, ReportFromTheStoreIsTheReportFromTheCsv) {
  const std::string store = ImportedStore("report.db");
  const CommandResult from_csv = RunTellus("report " + kInput + kReport);
  const CommandResult from_store =
      RunTellus("report --store " + store + kReport);
  ASSERT_EQ(from_store.exit_code, 0);
  EXPECT_EQ(from_store.output, from_csv.output);
  EXPECT_NE(
      RunTellus("report --store " + store + " " + kInput + kReport).exit_code,
      0);
}

TEST(CliStoreTest, CaseShowTellsTheStoryWithItsDeadlines) {
  const std::string store = ImportedStore("show.db");
  const CommandResult run =
      RunTellus("case show CMP-002 --store " + store + " --on 2024-06-30");
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.output, HasSubstr("Case CMP-002: complaint, Housing / "
                                    "Repairs"));
  EXPECT_THAT(run.output, HasSubstr("Status:    responded at stage 2"));
  EXPECT_THAT(run.output,
              HasSubstr("stage 1 response (not upheld); due 2023-06-22: LATE "
                        "by 7 working days; never acknowledged (due "
                        "2023-06-08)"));
  EXPECT_THAT(run.output,
              HasSubstr("escalation request; stage 2 acknowledgement due "
                        "2023-07-17, response due 2023-08-09"));
  EXPECT_THAT(run.output,
              HasSubstr("stage 2 acknowledgement; due 2023-07-17: on time"));
  EXPECT_THAT(run.output, HasSubstr("remedy of £150.00"));
  EXPECT_THAT(run.output, HasSubstr("I-1 follow_up by phone"));

  const CommandResult open =
      RunTellus("case show CMP-011 --store " + store + " --on 2024-04-20");
  EXPECT_THAT(open.output,
              HasSubstr("stage 1 acknowledgement due 2024-04-08: OVERDUE by "
                        "9 working days"));
  EXPECT_THAT(open.output,
              HasSubstr("stage 1 response due 2024-04-22: 1 working day "
                        "left"));
  const CommandResult missing =
      RunTellus("case show NOPE --store " + store, true);
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.output, HasSubstr("case NOPE is not held"));
}

TEST(CliStoreTest, AddEventIsCheckedByTheStateMachine) {
  const std::string store = ImportedStore("add-event.db");
  CommandResult run = RunTellus("case add-event CMP-011 --store " + store +
                                    " --kind acknowledged --stage 1 --date "
                                    "2024-04-03",
                                true);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  run = RunTellus("case add-event CMP-011 --store " + store +
                      " --kind responded --stage 2 --outcome upheld --date "
                      "2024-04-10",
                  true);
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.output,
              HasSubstr("case CMP-011: stage 2 response (upheld) on "
                        "2024-04-10 has no escalation request before it"));
  run = RunTellus("case add-event CMP-011 --store " + store +
                      " --kind responded --stage 1 --date 2024-04-10",
                  true);
  EXPECT_THAT(run.output, HasSubstr("give --outcome"));
  run = RunTellus("case add-event CMP-011 --store " + store +
                      " --kind lesson --date 2024-05-01 --theme 'out of "
                      "hours calls'",
                  true);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  run = RunTellus("case add-event CMP-011 --store " + store +
                      " --kind remedy --amount 75.50",
                  true);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const CommandResult show =
      RunTellus("case show CMP-011 --store " + store + " --on 2024-05-02");
  EXPECT_THAT(show.output,
              HasSubstr("stage 1 acknowledgement; due 2024-04-08: on time"));
  EXPECT_THAT(show.output,
              HasSubstr("Lessons Learnt record: out of hours calls"));
  EXPECT_THAT(show.output, HasSubstr("remedy of £75.50"));
  EXPECT_THAT(show.output, HasSubstr("[recorded "));
  EXPECT_THAT(show.output, HasSubstr("stage 1 response due 2024-04-17: "
                                     "OVERDUE by 11 working days"));
}

TEST(CliStoreTest, OverdueListsWhatIsLateOnADay) {
  const std::string store = ImportedStore("overdue.db");
  CommandResult run =
      RunTellus("overdue --store " + store + " --on 2024-05-01");
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.output,
            "CMP-011\tHousing\tTenancy\t2024-04-01\tstage 1 acknowledgement "
            "due 2024-04-08, 17 working days late\n"
            "CMP-011\tHousing\tTenancy\t2024-04-01\tstage 1 response due "
            "2024-04-22, 7 working days late\n");
  run = RunTellus("overdue --store " + store + " --on 2024-04-05");
  EXPECT_EQ(run.output, "");
  run = RunTellus("overdue --store " + store + " --on 2024-05-01 --stage 2");
  EXPECT_EQ(run.output, "");
}

TEST(CliStoreTest, RetentionKeepsEveryFigureAndSubjectAccessSeesIt) {
  const std::string store = ImportedStore("retention.db");
  CommandResult sar =
      RunTellus("subject-access --store " + store + " --customer CUST-2");
  ASSERT_EQ(sar.exit_code, 0);
  EXPECT_THAT(sar.output, HasSubstr("\"ref\": \"CMP-002\""));
  EXPECT_THAT(sar.output, HasSubstr("\"id\": \"I-2\""));
  const CommandResult before = RunTellus("report --store " + store + kReport);
  CommandResult run =
      RunTellus("retention --store " + store +
                    " --anonymise-after 6y --on 2030-06-30 --dry-run",
                true);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("Dry run: 4 cases closed before "
                                    "2024-06-30"));
  run = RunTellus(
      "retention --store " + store + " --anonymise-after 6y --on 2030-06-30",
      true);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("4 cases closed before 2024-06-30"));
  const CommandResult after = RunTellus("report --store " + store + kReport);
  EXPECT_EQ(after.output, before.output);
  sar = RunTellus("subject-access --store " + store + " --customer CUST-2");
  EXPECT_THAT(sar.output, Not(HasSubstr("CMP-002")));
  const CommandResult audit = RunTellus("store audit --store " + store);
  EXPECT_THAT(audit.output, HasSubstr("retention\tCMP-002\tanonymised"));
  EXPECT_THAT(audit.output, HasSubstr("subject_access"));
  EXPECT_THAT(
      RunTellus("retention --store " + store + " --anonymise-after six", true)
          .output,
      HasSubstr("e.g. 6y, 18m or 400d"));
}

TEST(CliStoreTest, ExportThenReportFromTheDataDirectory) {
  const std::string store = ImportedStore("export.db");
  const std::string dir = ::testing::TempDir() + "tellus-cli-store-export";
  std::filesystem::remove_all(dir);
  const CommandResult run =
      RunTellus("store export --store " + store + " --out '" + dir + "'", true);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("Wrote 5 cases and 6 interactions"));
  EXPECT_EQ(RunTellus("report --data '" + dir + "'" + kReport).output,
            RunTellus("report --store " + store + kReport).output);
}

TEST(CliStoreTest, CheckAndClearErrors) {
  const std::string store = ImportedStore("check.db");
  CommandResult run = RunTellus("store check --store " + store);
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.output, HasSubstr("ok (schema version 2): 5 cases"));

  const std::string garbage = ::testing::TempDir() + "tellus-cli-garbage.db";
  {
    std::ofstream out(garbage, std::ios::binary);
    out << std::string(10000, '#');
  }
  run = RunTellus("report --store '" + garbage + "'" + kReport, true);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.output, HasSubstr("damaged or is not a tellus store"));
  run = RunTellus("report --store /nonexistent/store.db" + kReport, true);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.output, HasSubstr("no store here"));
  run = RunTellus("import --store " + store + " --out /tmp/x " + kInput, true);
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.output, HasSubstr("one of them"));
}

}  // namespace
