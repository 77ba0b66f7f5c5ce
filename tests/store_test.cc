// The store: schema, append-only writes, idempotent imports, exact as-of
// reports, listing, export, retention and subject access.
#include "tellus/store.h"

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "case_builder.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "report_fixture.h"
#include "store_testing.h"
#include "tellus/proto_io.h"
#include "tellus/render.h"
#include "tellus/report.h"

namespace tellus {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string kMessy = TELLUS_TEST_DATA_DIR "/messy/";

std::string ReportJson(const Dataset& data,
                       const v1::ReportSettings& request = FixtureRequest()) {
  absl::StatusOr<v1::AnnualReport> report = BuildReport(data, request, 1);
  EXPECT_TRUE(report.ok()) << report.status();
  if (!report.ok()) return "";
  absl::StatusOr<std::string> json = RenderJson(*report);
  EXPECT_TRUE(json.ok());
  return json.ok() ? *json : "";
}

std::string StoreReportJson(
    Store& store, const v1::ReportSettings& request = FixtureRequest()) {
  absl::StatusOr<Dataset> data = store.LoadDataset();
  EXPECT_TRUE(data.ok()) << data.status();
  return data.ok() ? ReportJson(*data, request) : "";
}

// Adds the report fixture's rows through the store's API.
struct StoreAdder {
  Store& store;
  absl::Status AddCase(const v1::Case& c) { return store.AddCase(c); }
  absl::Status AddInteraction(const v1::Interaction& i) {
    return store.AddInteraction(i);
  }
};

v1::Event Lesson(int y, int m, int d, std::string theme = "") {
  v1::Event e;
  *e.mutable_when() = On(y, m, d);
  e.mutable_lesson_learnt()->set_theme(std::move(theme));
  return e;
}

v1::Event Ack(v1::Stage stage, int y, int m, int d) {
  v1::Event e;
  *e.mutable_when() = On(y, m, d);
  e.mutable_acknowledged()->set_stage(stage);
  return e;
}

v1::Event Respond(v1::Stage stage, int y, int m, int d) {
  v1::Event e;
  *e.mutable_when() = On(y, m, d);
  e.mutable_responded()->set_stage(stage);
  e.mutable_responded()->set_outcome(v1::OUTCOME_UPHELD);
  return e;
}

v1::Event Escalate(int y, int m, int d) {
  v1::Event e;
  *e.mutable_when() = On(y, m, d);
  e.mutable_escalation_requested();
  return e;
}

// --- Opening ---------------------------------------------------------------

TEST(StoreTest, CreatesAVersionedSchemaInWalMode) {
  const std::string path = TempPath("create.db");
  {
    Store store = OpenOrDie(path);
    absl::StatusOr<StoreStats> stats = store.Stats();
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(stats->schema_version, kStoreSchemaVersion);
    EXPECT_EQ(stats->cases, 0);
  }
  EXPECT_EQ(Scalar(path, "PRAGMA user_version"), kStoreSchemaVersion);
  EXPECT_EQ(Scalar(path, "PRAGMA application_id"), 0x544c5553);
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
               "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  // Reopening migrates nothing; the creation audited each migration once.
  Store again = OpenOrDie(path);
  absl::StatusOr<std::vector<AuditEntry>> audit = again.AuditLog();
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), static_cast<size_t>(kStoreSchemaVersion));
  for (const AuditEntry& e : *audit) EXPECT_EQ(e.action, "schema");
}

TEST(StoreTest, ClearErrorsWhenOpening) {
  const std::string missing = TempPath("missing.db");
  StoreOptions no_create;
  no_create.create = false;
  absl::StatusOr<Store> store = Store::Open(missing, no_create);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(store.status().message(), HasSubstr("no store here"));

  const std::string garbage = TempPath("garbage.db");
  WriteFile(garbage, std::string(8192, 'x'));
  store = Store::Open(garbage);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(store.status().message(),
              HasSubstr("damaged or is not a tellus store"));

  const std::string other = TempPath("other.db");
  ASSERT_EQ(ExecRaw(other, "CREATE TABLE t(x)"), "");
  store = Store::Open(other);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("not a tellus store"));

  const std::string newer = TempPath("newer.db");
  { OpenOrDie(newer); }
  ASSERT_EQ(ExecRaw(newer, "PRAGMA user_version = 99"), "");
  store = Store::Open(newer);
  EXPECT_THAT(store.status().message(),
              HasSubstr("schema version 99, newer than this tellus"));
}

// --- Writing ---------------------------------------------------------------

TEST(StoreTest, AddGetAndAppend) {
  Store store = OpenOrDie(TempPath("add.db"));
  const v1::Case c =
      CaseBuilder("C1").Received(2023, 5, 2).Ack(v1::STAGE_1, 2023, 5, 3).get();
  ASSERT_TRUE(store.AddCase(c).ok());
  EXPECT_EQ(store.AddCase(c).code(), absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE(store.AppendEvent("C1", Respond(v1::STAGE_1, 2023, 5, 12)).ok());
  // Back-dated events fold in date order.
  ASSERT_TRUE(store.AppendEvent("C1", Lesson(2023, 5, 10, "repairs")).ok());
  absl::StatusOr<v1::Case> got = store.GetCase("C1");
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->events_size(), 3);
  EXPECT_TRUE(got->events(1).has_responded());
  EXPECT_EQ(got->events(2).lesson_learnt().theme(), "repairs");
  EXPECT_EQ(store.GetCase("NOPE").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store.AppendEvent("NOPE", Lesson(2023, 5, 10)).code(),
            absl::StatusCode::kNotFound);
}

TEST(StoreTest, RefusesAnEventWithTheStateMachinesMessage) {
  Store store = OpenOrDie(TempPath("refuse.db"));
  ASSERT_TRUE(store
                  .AddCase(CaseBuilder("C2")
                               .Received(2023, 6, 1)
                               .Respond(v1::STAGE_1, 2023, 7, 3)
                               .get())
                  .ok());
  // The message FoldCase gives for the same history, as an import would.
  v1::Case bad = CaseBuilder("C2")
                     .Received(2023, 6, 1)
                     .Respond(v1::STAGE_1, 2023, 7, 3)
                     .Respond(v1::STAGE_2, 2023, 8, 30)
                     .get();
  const absl::Status expected = FoldCase(bad).status();
  ASSERT_FALSE(expected.ok());
  const absl::Status status =
      store.AppendEvent("C2", Respond(v1::STAGE_2, 2023, 8, 30));
  EXPECT_EQ(status, expected);
  EXPECT_THAT(status.message(),
              HasSubstr("case C2: stage 2 response (upheld) on 2023-08-30 has "
                        "no escalation request before it"));
  // Nothing was written.
  EXPECT_EQ(store.GetCase("C2")->events_size(), 1);
  EXPECT_THAT(store.AddCase(CaseBuilder("").get()).message(),
              HasSubstr("without a reference"));
}

TEST(StoreTest, TheSchemaRefusesUpdatesAndDeletes) {
  const std::string path = TempPath("append-only.db");
  {
    Store store = OpenOrDie(path);
    ASSERT_TRUE(store
                    .AddCase(CaseBuilder("C1")
                                 .Received(2023, 5, 2)
                                 .Ack(v1::STAGE_1, 2023, 5, 3)
                                 .get())
                    .ok());
    ASSERT_TRUE(store
                    .AddInteraction(MakeInteraction(
                        "I1", On(2023, 6, 1), v1::INTERACTION_KIND_CONTACT))
                    .ok());
  }
  EXPECT_THAT(ExecRaw(path, "UPDATE events SET event = x''"),
              HasSubstr("append-only"));
  EXPECT_THAT(ExecRaw(path, "DELETE FROM events"), HasSubstr("append-only"));
  EXPECT_THAT(ExecRaw(path, "UPDATE cases SET directorate = 'X'"),
              HasSubstr("never changed in place"));
  EXPECT_THAT(ExecRaw(path, "UPDATE cases SET customer = 'X'"),
              HasSubstr("never changed in place"));
  EXPECT_THAT(ExecRaw(path, "DELETE FROM cases"), HasSubstr("never deleted"));
  EXPECT_THAT(ExecRaw(path, "UPDATE interactions SET customer = 'X'"),
              HasSubstr("never changed in place"));
  EXPECT_THAT(ExecRaw(path, "DELETE FROM interactions"),
              HasSubstr("never deleted"));
  EXPECT_THAT(ExecRaw(path, "DELETE FROM audit"), HasSubstr("never changed"));
}

TEST(StoreTest, AddInteractionValidates) {
  Store store = OpenOrDie(TempPath("interaction.db"));
  v1::Interaction i =
      MakeInteraction("I1", On(2023, 6, 1), v1::INTERACTION_KIND_CONTACT);
  ASSERT_TRUE(store.AddInteraction(i).ok());
  EXPECT_EQ(store.AddInteraction(i).code(), absl::StatusCode::kAlreadyExists);
  i.set_id("I2");
  i.set_kind(v1::INTERACTION_KIND_UNSPECIFIED);
  EXPECT_THAT(store.AddInteraction(i).message(), HasSubstr("has no kind"));
  i.set_kind(v1::INTERACTION_KIND_CONTACT);
  i.clear_at();
  EXPECT_THAT(store.AddInteraction(i).message(), HasSubstr("has no time"));
}

// --- Reports ----------------------------------------------------------------

// A store holding the report fixture, written through the API.
class FixtureStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TempPath(
        std::string(
            ::testing::UnitTest::GetInstance()->current_test_info()->name()) +
        ".db");
    StoreOptions options;
    options.clock = [this] { return now_; };
    store_.emplace(OpenOrDie(path_, options));
    StoreAdder adder{*store_};
    AddFixtureRows(adder);
  }

  v1::ReportSettings AsOf(const std::string& date) {
    v1::ReportSettings r = FixtureRequest();
    r.set_as_of(date);
    return r;
  }

  std::string path_;
  absl::Time now_ = absl::FromUnixSeconds(1719792000);  // 2024-07-01
  std::optional<Store> store_;
};

TEST_F(FixtureStoreTest, ReportsWhatTheDataSetReports) {
  EXPECT_EQ(StoreReportJson(*store_), ReportJson(Fixture()));
}

TEST_F(FixtureStoreTest, AsOfReportIsUnchangedByLaterEvents) {
  const std::string before = StoreReportJson(*store_);
  // Everything dated after 2024-06-30: a stage 2 acknowledgement for C7, an
  // escalation for C8, lessons, a new case and new contacts. (The case is
  // in a service the report already lists: a report lists every service
  // any row names, whatever its date.)
  ASSERT_TRUE(store_->AppendEvent("C7", Ack(v1::STAGE_2, 2024, 7, 2)).ok());
  ASSERT_TRUE(store_->AppendEvent("C8", Escalate(2024, 7, 5)).ok());
  ASSERT_TRUE(store_->AppendEvent("C1", Lesson(2024, 8, 1, "roofs")).ok());
  ASSERT_TRUE(store_->AppendEvent("C10", Ack(v1::STAGE_1, 2024, 7, 1)).ok());
  ASSERT_TRUE(store_
                  ->AddCase(CaseBuilder("C20")
                                .In("Housing", "Repairs")
                                .Received(2024, 7, 10)
                                .Ack(v1::STAGE_1, 2024, 7, 11)
                                .get())
                  .ok());
  ASSERT_TRUE(store_
                  ->AddInteraction(MakeInteraction(
                      "I20", On(2024, 7, 15), v1::INTERACTION_KIND_FOLLOW_UP,
                      "Housing", "Repairs", "C8"))
                  .ok());
  const std::string after = StoreReportJson(*store_);
  EXPECT_FALSE(after.empty());
  EXPECT_EQ(after, before);
  // A later as-of time sees them.
  EXPECT_NE(StoreReportJson(*store_, AsOf("2024-08-31")),
            ReportJson(Fixture(), AsOf("2024-08-31")));
}

TEST_F(FixtureStoreTest, LoadsWhatWasHeldAtARecordedTime) {
  const absl::Time first = now_;
  const std::string before = StoreReportJson(*store_);
  now_ += absl::Hours(24);
  // A lesson for C3, back-dated into 2023/24: it changes the report...
  ASSERT_TRUE(store_->AppendEvent("C3", Lesson(2023, 8, 1)).ok());
  EXPECT_NE(StoreReportJson(*store_), before);
  // ...but not what the store held the day before.
  LoadOptions then;
  then.recorded_by = first;
  absl::StatusOr<Dataset> held = store_->LoadDataset(then);
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(ReportJson(*held), before);
}

TEST_F(FixtureStoreTest, ListsByDirectorateAndStatus) {
  CaseFilter filter;
  filter.directorate = "Environment";
  absl::StatusOr<std::vector<ListedCase>> listed = store_->ListCases(filter);
  ASSERT_TRUE(listed.ok()) << listed.status();
  std::vector<std::string> refs;
  for (const ListedCase& c : *listed) refs.push_back(c.record.ref());
  EXPECT_THAT(refs, ElementsAre("C3", "C4", "E1", "E2"));

  filter = {};
  filter.status = CaseStatus::kWithdrawn;
  listed = store_->ListCases(filter);
  refs.clear();
  for (const ListedCase& c : *listed) refs.push_back(c.record.ref());
  EXPECT_THAT(refs, ElementsAre("C5", "C6"));

  filter = {};
  filter.type = v1::CASE_TYPE_COMPLIMENT;
  filter.received_from = absl::CivilDay(2023, 4, 1);
  listed = store_->ListCases(filter);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].record.ref(), "K1");
}

TEST_F(FixtureStoreTest, ListsWhatIsOverdueOnADay) {
  CaseFilter filter;
  filter.on = absl::CivilDay(2023, 6, 20);
  filter.overdue_only = true;
  absl::StatusOr<std::vector<ListedCase>> listed = store_->ListCases(filter);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 2u);
  // C10 (received 1 April 2023, never acknowledged or answered).
  EXPECT_EQ((*listed)[0].record.ref(), "C10");
  ASSERT_EQ((*listed)[0].overdue.size(), 2u);
  EXPECT_EQ(DescribeOverdue((*listed)[0].overdue[0]),
            "stage 1 acknowledgement due 2023-04-11, 47 working days late");
  // C2: acknowledgement due 8 June; response not due until 22 June.
  EXPECT_EQ((*listed)[1].record.ref(), "C2");
  ASSERT_EQ((*listed)[1].overdue.size(), 1u);
  EXPECT_EQ(DescribeOverdue((*listed)[1].overdue[0]),
            "stage 1 acknowledgement due 2023-06-08, 8 working days late");

  // Stage 2 on 2023-08-20: C2 escalated 10 July, acknowledged, response due
  // 9 August.
  filter.on = absl::CivilDay(2023, 8, 20);
  filter.overdue_stage = v1::STAGE_2;
  listed = store_->ListCases(filter);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(DescribeOverdue((*listed)[0].overdue[0]),
            "stage 2 response due 2023-08-09, 7 working days late");

  filter.on.reset();
  EXPECT_EQ(store_->ListCases(filter).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(FixtureStoreTest, ExportsAndReimportsLosslessly) {
  const std::string dir = path_ + "-export";
  ASSERT_TRUE(store_->ExportTo(dir).ok());
  absl::StatusOr<Dataset> exported = LoadDataDir(dir);
  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_EQ(ReportJson(*exported), ReportJson(Fixture()));

  // Into a new store, and again: the second time nothing is new.
  Store copy = OpenOrDie(TempPath("copy.db"));
  absl::StatusOr<StoreImportSummary> first = copy.ImportDataDir(dir);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->cases.added, 18);
  EXPECT_EQ(first->interactions.added, 13);
  absl::StatusOr<StoreImportSummary> second = copy.ImportDataDir(dir);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->cases.added, 0);
  EXPECT_EQ(second->cases.present, 18);
  EXPECT_EQ(second->interactions.present, 13);
  EXPECT_EQ(second->same_content_as, first->import_id);
  EXPECT_EQ(StoreReportJson(copy), ReportJson(Fixture()));
  // Into the store it came from: all present.
  absl::StatusOr<StoreImportSummary> home = store_->ImportDataDir(dir);
  ASSERT_TRUE(home.ok());
  EXPECT_EQ(home->cases.present, 18);
  EXPECT_EQ(home->cases.added + home->cases.extended, 0);
}

// --- CSV imports -------------------------------------------------------------

Dataset CsvDataset(const std::string& cases, const std::string& interactions) {
  DatasetSink sink;
  Importer importer(sink, nullptr);
  EXPECT_TRUE(importer.ImportCases(cases).ok());
  if (!interactions.empty()) {
    EXPECT_TRUE(importer.ImportInteractions(interactions).ok());
  }
  return std::move(sink).Build();
}

TEST(StoreImportTest, CsvImportIsIdempotentAndReportsTheSame) {
  Store store = OpenOrDie(TempPath("messy.db"));
  const std::string cases = kMessy + "cases.csv";
  const std::string interactions = kMessy + "interactions.csv";
  RejectList rejects;
  StoreImportOptions options;
  options.rejects = &rejects;
  absl::StatusOr<StoreImportSummary> first =
      store.ImportCsv(cases, interactions, options);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->cases.added, 5);
  EXPECT_EQ(first->interactions.added, 6);
  EXPECT_EQ(first->rows.cases.rejected, 11);
  EXPECT_EQ(first->rows.unlinked_interactions, 2);
  EXPECT_EQ(rejects.rejects().size(), 11u + 4u);
  EXPECT_EQ(first->cases_sha256.size(), 64u);
  EXPECT_FALSE(first->same_content_as);
  EXPECT_EQ(StoreReportJson(store),
            ReportJson(CsvDataset(cases, interactions)));

  absl::StatusOr<StoreImportSummary> again =
      store.ImportCsv(cases, interactions);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->cases.added, 0);
  EXPECT_EQ(again->cases.present, 5);
  EXPECT_EQ(again->interactions.added, 0);
  EXPECT_EQ(again->interactions.present, 6);
  EXPECT_EQ(again->same_content_as, first->import_id);
  const std::string text = FormatStoreImportSummary(*again);
  EXPECT_THAT(text, HasSubstr("0 new cases, 5 already present"));
  EXPECT_THAT(text, HasSubstr("0 new interactions, 6 already present"));
  EXPECT_THAT(text, HasSubstr("imported before (import #1"));
  EXPECT_THAT(text, HasSubstr("nothing new"));
  EXPECT_EQ(StoreReportJson(store),
            ReportJson(CsvDataset(cases, interactions)));
  absl::StatusOr<StoreStats> stats = store.Stats();
  EXPECT_EQ(stats->imports, 2);
  EXPECT_EQ(stats->cases, 5);
}

TEST(StoreImportTest, StrictImportWritesNothing) {
  const std::string path = TempPath("strict.db");
  Store store = OpenOrDie(path);
  StoreImportOptions options;
  options.strict = true;
  absl::StatusOr<StoreImportSummary> imported = store.ImportCsv(
      kMessy + "cases.csv", kMessy + "interactions.csv", options);
  EXPECT_EQ(imported.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(imported.status().message(), HasSubstr("nothing was imported"));
  EXPECT_EQ(store.Stats()->cases, 0);
  EXPECT_EQ(Scalar(path, "SELECT count(*) FROM imports"), 0);
  EXPECT_EQ(Scalar(path, "SELECT count(*) FROM interactions"), 0);
}

constexpr char kHeader[] =
    "case_ref,type,received,directorate,s1_acknowledged,s1_responded,"
    "s1_outcome,lessons_learnt,remedy_amount\n";

TEST(StoreImportTest, NewEventsAreAppendedAndConflictsRefused) {
  const std::string path = TempPath("merge.db");
  Store store = OpenOrDie(path);
  const std::string v1_csv = path + "-v1.csv";
  const std::string v2_csv = path + "-v2.csv";
  WriteFile(v1_csv, std::string(kHeader) +
                        "C1,complaint,2023-05-02,Housing,2023-05-03,,,,\n"
                        "C2,complaint,2023-05-02,Housing,,,,,\n"
                        "C3,complaint,2023-05-02,Housing,,2023-05-10,upheld,,"
                        "150\n"
                        "C4,complaint,2023-05-02,Housing,,2023-05-10,upheld,,"
                        "\n");
  ASSERT_TRUE(store.ImportCsv(v1_csv, "").ok());
  // C1 gains its response; C2 moved directorate (refused); C3's remedy
  // changed (refused); C4 gains a lesson and a remedy; C5 is new.
  WriteFile(v2_csv, std::string(kHeader) +
                        "C1,complaint,2023-05-02,Housing,2023-05-03,"
                        "2023-05-12,upheld,,\n"
                        "C2,complaint,2023-05-02,Environment,,,,,\n"
                        "C3,complaint,2023-05-02,Housing,,2023-05-10,upheld,,"
                        "200\n"
                        "C4,complaint,2023-05-02,Housing,,2023-05-10,upheld,"
                        "2023-06-01,75\n"
                        "C5,complaint,2023-05-02,Housing,,,,,\n");
  RejectList rejects;
  StoreImportOptions options;
  options.rejects = &rejects;
  absl::StatusOr<StoreImportSummary> merged =
      store.ImportCsv(v2_csv, "", options);
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->cases.added, 1);
  EXPECT_EQ(merged->cases.extended, 2);
  EXPECT_EQ(merged->cases.events_appended, 3);
  EXPECT_EQ(merged->cases.conflicting, 2);
  EXPECT_EQ(merged->rows.cases.accepted, 3);
  EXPECT_EQ(merged->rows.cases.rejected, 2);
  EXPECT_EQ(merged->rows.cases.rejected_by_rule.at("conflicts_with_store"), 2);
  ASSERT_EQ(rejects.rejects().size(), 2u);
  EXPECT_EQ(rejects.rejects()[0].line, 3);
  EXPECT_THAT(rejects.rejects()[0].reason,
              HasSubstr("case C2 is already held with other details "
                        "(directorate: \"Housing\" -> \"Environment\")"));
  EXPECT_THAT(rejects.rejects()[1].reason,
              HasSubstr("case C3: remedy £200.00 in this row, but the store "
                        "holds £150.00"));
  EXPECT_EQ(store.GetCase("C1")->events_size(), 2);
  EXPECT_EQ(store.GetCase("C2")->directorate(), "Housing");
  EXPECT_EQ(store.GetCase("C4")->events_size(), 3);

  // A different response date: the history would hold two responses.
  const std::string v3_csv = path + "-v3.csv";
  WriteFile(v3_csv, std::string(kHeader) +
                        "C1,complaint,2023-05-02,Housing,2023-05-03,"
                        "2023-05-15,upheld,,\n");
  rejects = RejectList();
  absl::StatusOr<StoreImportSummary> third =
      store.ImportCsv(v3_csv, "", options);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->cases.conflicting, 1);
  EXPECT_THAT(rejects.rejects()[0].reason,
              HasSubstr("conflicts with the history the store holds: case C1: "
                        "stage 1 response (upheld) on 2023-05-15 repeats the "
                        "stage 1 response on 2023-05-12"));
  EXPECT_EQ(store.GetCase("C1")->events_size(), 2);
}

TEST(StoreImportTest, AnInteractionHeldWithOtherDetailsIsAConflict) {
  const std::string path = TempPath("interaction-conflict.db");
  Store store = OpenOrDie(path);
  const std::string cases = path + "-cases.csv";
  const std::string a = path + "-a.csv";
  const std::string b = path + "-b.csv";
  WriteFile(cases, std::string(kHeader));
  const std::string header =
      "interaction_id,at,channel,directorate,service,kind,customer,case_ref\n";
  WriteFile(a,
            header + "I1,2023-06-01T10:00,phone,Housing,Repairs,contact,,\n");
  WriteFile(b, header +
                   "I1,2023-06-01T10:00,phone,Housing,Repairs,enquiry,,\n"
                   "I2,2023-06-02T10:00,phone,Housing,Repairs,contact,,\n");
  ASSERT_TRUE(store.ImportCsv(cases, a).ok());
  RejectList rejects;
  StoreImportOptions options;
  options.rejects = &rejects;
  absl::StatusOr<StoreImportSummary> second =
      store.ImportCsv(cases, b, options);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->interactions.conflicting, 1);
  EXPECT_EQ(second->interactions.added, 1);
  ASSERT_EQ(rejects.rejects().size(), 1u);
  EXPECT_THAT(rejects.rejects()[0].reason,
              HasSubstr("interaction I1 is already held with other details "
                        "(kind: INTERACTION_KIND_CONTACT -> "
                        "INTERACTION_KIND_ENQUIRY)"));
  EXPECT_THAT(rejects.rejects()[0].file, HasSubstr("-b.csv"));
  EXPECT_EQ(rejects.rejects()[0].line, 2);
  // --strict refuses a file with a conflict, even without a rejected row.
  options.strict = true;
  absl::StatusOr<StoreImportSummary> strict =
      store.ImportCsv(cases, b, options);
  EXPECT_EQ(strict.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Scalar(path, "SELECT count(*) FROM imports"), 2);
}

// Many batches of interactions, written on the import's second thread:
// counts and conflicts come out right and in file order.
TEST(StoreImportTest, ConflictsAcrossManyBatchesOfInteractions) {
  const std::string path = TempPath("batches.db");
  Store store = OpenOrDie(path);
  const std::string cases = path + "-cases.csv";
  WriteFile(cases, std::string(kHeader));
  auto write = [&](const std::string& file, std::set<int> changed) {
    std::string text =
        "interaction_id,at,channel,directorate,service,kind,customer,"
        "case_ref\n";
    for (int n = 0; n < 10000; ++n) {
      absl::StrAppend(&text, "I", n, ",2023-06-01T10:00,phone,Housing,",
                      n % 7 ? "Repairs" : "Lettings", ",",
                      changed.contains(n) ? "enquiry" : "contact", ",C", n % 13,
                      ",\n");
    }
    WriteFile(file, text);
  };
  write(path + "-a.csv", {});
  write(path + "-b.csv", {100, 5000, 9999});
  absl::StatusOr<StoreImportSummary> first =
      store.ImportCsv(cases, path + "-a.csv");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->interactions.added, 10000);
  RejectList rejects;
  StoreImportOptions options;
  options.rejects = &rejects;
  absl::StatusOr<StoreImportSummary> second =
      store.ImportCsv(cases, path + "-b.csv", options);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->interactions.present, 9997);
  EXPECT_EQ(second->interactions.conflicting, 3);
  EXPECT_EQ(second->rows.interactions.accepted, 9997);
  ASSERT_EQ(rejects.rejects().size(), 3u);
  EXPECT_EQ(rejects.rejects()[0].line, 102);
  EXPECT_EQ(rejects.rejects()[1].line, 5002);
  EXPECT_EQ(rejects.rejects()[2].line, 10001);
  EXPECT_THAT(rejects.rejects()[2].reason, HasSubstr("interaction I9999"));
  EXPECT_EQ(store.Stats()->interactions, 10000);
}

// Every message comes back as the importer produced it: what `tellus import
// --out` writes and what the store exports are the same messages.
TEST(StoreImportTest, ExportGivesBackTheImportedMessages) {
  const std::string path = TempPath("lossless.db");
  Store store = OpenOrDie(path);
  const std::string cases = kMessy + "cases.csv";
  const std::string interactions = kMessy + "interactions.csv";
  ASSERT_TRUE(store.ImportCsv(cases, interactions).ok());
  ASSERT_TRUE(store.ExportTo(path + "-export").ok());
  {
    absl::StatusOr<ProtoStreamSink> sink =
        ProtoStreamSink::Create(path + "-direct");
    ASSERT_TRUE(sink.ok());
    Importer importer(*sink, nullptr);
    ASSERT_TRUE(importer.ImportCases(cases).ok());
    ASSERT_TRUE(importer.ImportInteractions(interactions).ok());
    ASSERT_TRUE(sink->Commit().ok());
  }
  auto read = [](const std::string& dir) {
    std::map<std::string, std::string> out;
    EXPECT_TRUE(ForEachCase(dir + "/cases.binpb", [&](const v1::Case& c) {
                  out["case " + c.ref()] = c.DebugString();
                  return absl::OkStatus();
                }).ok());
    EXPECT_TRUE(ForEachInteraction(dir + "/interactions.binpb",
                                   [&](const v1::Interaction& i) {
                                     out["interaction " + i.id()] =
                                         i.DebugString();
                                     return absl::OkStatus();
                                   })
                    .ok());
    return out;
  };
  const auto exported = read(path + "-export");
  EXPECT_EQ(exported.size(), 11u);
  EXPECT_EQ(exported, read(path + "-direct"));
  EXPECT_THAT(exported.at("interaction I-1"),
              HasSubstr("interactions.csv\"\n  line: 2"));
}

TEST(StoreTest, KeepsAttributesAndFieldsOfNewerSchemas) {
  Store store = OpenOrDie(TempPath("unknown-fields.db"));
  ASSERT_TRUE(store.AddCase(CaseBuilder("C1").get()).ok());
  v1::Interaction i = MakeInteraction("I1", AtUtc(2023, 6, 1, 9, 30),
                                      v1::INTERACTION_KIND_FOLLOW_UP, "Housing",
                                      "Repairs", "C1");
  i.set_customer("CUST-9");
  i.mutable_source()->set_file("export.csv");
  i.mutable_source()->set_line(7);
  v1::Attribute* a = i.add_attributes();
  a->set_name("Notes");
  a->set_value("rang twice");
  // A field a later tellus adds, kept though this one does not know it.
  i.GetReflection()->MutableUnknownFields(&i)->AddVarint(99, 5);
  ASSERT_TRUE(store.AddInteraction(i).ok());
  absl::StatusOr<StoredCase> stored = store.GetStoredCase("C1");
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->interactions.size(), 1u);
  EXPECT_EQ(stored->interactions[0].SerializeAsString(), i.SerializeAsString());
}

// --- Personal data ----------------------------------------------------------

TEST(StoreRetentionTest, AnonymisesClosedCasesAndLeavesEveryFigure) {
  const std::string path = TempPath("retention.db");
  Store store = OpenOrDie(path);
  ASSERT_TRUE(
      store.ImportCsv(kMessy + "cases.csv", kMessy + "interactions.csv").ok());
  v1::ReportSettings by_year = FixtureRequest();
  std::vector<std::string> before;
  for (const char* period : {"2023/24", "2022/23", "2023", "2024"}) {
    v1::ReportSettings r = by_year;
    r.set_period(period);
    r.set_as_of("2025-01-01");
    before.push_back(StoreReportJson(store, r));
  }
  absl::StatusOr<v1::SubjectAccessExport> sar = store.SubjectAccess("CUST-2");
  ASSERT_TRUE(sar.ok()) << sar.status();
  ASSERT_EQ(sar->cases_size(), 1);
  EXPECT_EQ(sar->cases(0).ref(), "CMP-002");
  EXPECT_EQ(sar->cases(0).events_size(), 7);
  ASSERT_EQ(sar->interactions_size(), 2);
  absl::StatusOr<std::string> json = SubjectAccessJson(*sar);
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr("\"customer\": \"CUST-2\""));
  EXPECT_THAT(*json, HasSubstr("\"case_ref\": \"CMP-002\""));

  // A dry run changes nothing.
  RetentionRequest request;
  request.closed_before = absl::CivilDay(2030, 1, 1);
  request.dry_run = true;
  absl::StatusOr<RetentionSummary> dry = store.Anonymise(request);
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_THAT(dry->cases,
              ElementsAre("CMP-001", "CMP-002", "ENQ-001", "KUD-001"));
  EXPECT_EQ(store.GetCase("CMP-001")->customer(), "CUST-1");

  request.dry_run = false;
  absl::StatusOr<RetentionSummary> done = store.Anonymise(request);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_THAT(done->cases,
              ElementsAre("CMP-001", "CMP-002", "ENQ-001", "KUD-001"));
  // Two customers, a staff member, three Notes (ENQ-001's is empty) and
  // the customer of two interactions.
  EXPECT_EQ(done->fields_cleared, 2 + 1 + 3 + 2);
  const v1::Case c1 = *store.GetCase("CMP-001");
  EXPECT_EQ(c1.customer(), "");
  ASSERT_EQ(c1.attributes_size(), 1);
  EXPECT_EQ(c1.attributes(0).name(), "Notes");
  EXPECT_EQ(c1.attributes(0).value(), "");
  EXPECT_EQ(store.GetCase("KUD-001")->staff(), "");
  EXPECT_EQ(store.GetCase("KUD-001")->team(), "Repairs Team");
  // Still open: kept.
  EXPECT_EQ(store.GetCase("CMP-011")->attributes(0).value(), "BST midnight");

  std::vector<std::string> after;
  for (const char* period : {"2023/24", "2022/23", "2023", "2024"}) {
    v1::ReportSettings r = by_year;
    r.set_period(period);
    r.set_as_of("2025-01-01");
    after.push_back(StoreReportJson(store, r));
  }
  EXPECT_EQ(after, before);

  sar = store.SubjectAccess("CUST-2");
  ASSERT_TRUE(sar.ok());
  EXPECT_EQ(sar->cases_size(), 0);
  EXPECT_EQ(sar->interactions_size(), 0);
  EXPECT_EQ(Scalar(path,
                   "SELECT count(*) FROM interactions WHERE customer "
                   "IS NOT NULL"),
            0);

  absl::StatusOr<std::vector<AuditEntry>> audit = store.AuditLog();
  ASSERT_TRUE(audit.ok());
  int retention_entries = 0;
  for (const AuditEntry& e : *audit) {
    if (e.action == "retention") ++retention_entries;
    EXPECT_THAT(e.detail, ::testing::Not(HasSubstr("CUST-")));
  }
  EXPECT_EQ(retention_entries, 5);  // one per case and the run

  // Importing the same export again puts nothing back.
  absl::StatusOr<StoreImportSummary> again =
      store.ImportCsv(kMessy + "cases.csv", kMessy + "interactions.csv");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->cases.present, 5);
  EXPECT_EQ(again->cases.conflicting, 0);
  EXPECT_EQ(again->interactions.present, 6);
  EXPECT_EQ(store.GetCase("CMP-001")->customer(), "");
  EXPECT_TRUE(store.CheckIntegrity().ok());
}

TEST(StoreRetentionTest, RecentlyClosedCasesAreKept) {
  Store store = OpenOrDie(TempPath("retention-recent.db"));
  ASSERT_TRUE(store.ImportCsv(kMessy + "cases.csv", "").ok());
  RetentionRequest request;
  request.closed_before = absl::CivilDay(2017, 6, 30);
  absl::StatusOr<RetentionSummary> done = store.Anonymise(request);
  ASSERT_TRUE(done.ok());
  EXPECT_THAT(done->cases, IsEmpty());
  EXPECT_EQ(store.GetCase("CMP-001")->customer(), "CUST-1");
}

}  // namespace
}  // namespace tellus
