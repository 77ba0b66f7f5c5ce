// The store's learning records: contact restrictions as an append-only
// history of versions, question sets written once, lessons checked against
// a held question set, actions marked done later, the upgrade from schema
// version 1, retention and subject access of restrictions, and the report
// from a store equal to the one from the same records in memory.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "learning_fixture.h"
#include "store_testing.h"
#include "tellus/proto_io.h"
#include "tellus/render.h"
#include "tellus/report.h"
#include "tellus/store.h"

namespace tellus {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kMessy = TELLUS_TEST_DATA_DIR "/messy/";

StoreImportCounts Counts(int64_t added, int64_t extended, int64_t present) {
  StoreImportCounts c;
  c.added = added;
  c.extended = extended;
  c.present = present;
  return c;
}

void ExpectCounts(const absl::StatusOr<StoreImportCounts>& got,
                  const StoreImportCounts& want) {
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->added, want.added);
  EXPECT_EQ(got->extended, want.extended);
  EXPECT_EQ(got->present, want.present);
}

std::vector<std::string> Ids(const std::vector<v1::Restriction>& rs) {
  std::vector<std::string> out;
  for (const v1::Restriction& r : rs) out.push_back(r.id());
  return out;
}

// RS3 of the fixture (never reviewed) after its review on 2023-03-10.
v1::Restriction ReviewedRs3() {
  v1::Restriction r = MakeLearningFixture().restrictions[2];
  EXPECT_EQ(r.id(), "RS3");
  v1::RestrictionReview& rv = *r.add_reviews();
  *rv.mutable_date() = Day(2023, 3, 10);
  rv.set_outcome(v1::REVIEW_OUTCOME_CONTINUED);
  *rv.mutable_next_review() = Day(2024, 3, 10);
  rv.set_notes("calls reduced");
  return r;
}

TEST(StoreRestrictionsTest, AVersionedHistoryWhoseLatestIsInForce) {
  Store store = OpenOrDie(TempPath("restrictions.db"));
  const LearningFixture f = MakeLearningFixture();
  ExpectCounts(store.AddRestrictions(f.restrictions), Counts(5, 0, 0));
  // The same again adds nothing.
  ExpectCounts(store.AddRestrictions(f.restrictions), Counts(0, 0, 5));

  // A review is a new version; the rest are present.
  std::vector<v1::Restriction> later = f.restrictions;
  later[2] = ReviewedRs3();
  ExpectCounts(store.AddRestrictions(later), Counts(0, 1, 4));
  absl::StatusOr<std::vector<v1::Restriction>> held = store.Restrictions();
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_THAT(Ids(*held), ElementsAre("RS1", "RS2", "RS3", "RS4", "RS5"));
  EXPECT_EQ((*held)[2].reviews_size(), 1);

  // The old file again never rolls the restriction back.
  ExpectCounts(store.AddRestrictions(f.restrictions), Counts(0, 0, 5));
  absl::StatusOr<std::vector<StoredRestriction>> history =
      store.RestrictionHistory("RS3");
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].version, 1);
  EXPECT_EQ((*history)[0].record.reviews_size(), 0);
  EXPECT_EQ((*history)[1].version, 2);
  EXPECT_EQ(store.Restrictions()->at(2).reviews_size(), 1);
  EXPECT_EQ(store.RestrictionHistory("RS9").status().code(),
            absl::StatusCode::kNotFound);

  // What was held at a recorded time.
  LoadOptions then;
  then.recorded_by = (*history)[0].recorded_at;
  EXPECT_EQ(store.Restrictions(then)->at(2).reviews_size(), 0);

  // The source takes no part in the comparison.
  v1::Restriction sourced = ReviewedRs3();
  sourced.mutable_source()->set_file("restrictions.binpb");
  sourced.mutable_source()->set_line(3);
  ExpectCounts(store.AddRestrictions({sourced}), Counts(0, 0, 1));
  absl::StatusOr<StoreStats> stats = store.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->restrictions, 5);
}

TEST(StoreRestrictionsTest, BadInputWritesNothingAndSaysWhy) {
  Store store = OpenOrDie(TempPath("restrictions-bad.db"));
  const LearningFixture f = MakeLearningFixture();
  v1::Restriction bad = f.restrictions[0];
  bad.set_id("RS9");
  *bad.mutable_review() = Day(2022, 1, 1);
  absl::StatusOr<StoreImportCounts> added =
      store.AddRestrictions({f.restrictions[1], bad});
  EXPECT_EQ(added.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(added.status().message(),
            "restriction RS9: review date 2022-01-01 precedes the start "
            "2023-01-10");
  EXPECT_TRUE(store.Restrictions()->empty());  // RS2 was not written either

  added = store.AddRestrictions({f.restrictions[0], f.restrictions[0]});
  EXPECT_THAT(added.status().message(),
              HasSubstr("restriction RS1: the id is given twice"));

  ASSERT_TRUE(store.AddRestrictions(f.restrictions).ok());
  v1::Restriction other = f.restrictions[0];
  other.set_customer("CUST-99");
  added = store.AddRestrictions({other});
  EXPECT_EQ(added.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(added.status().message(),
              HasSubstr("restriction RS1: the store holds it for customer "
                        "CUST-1, not CUST-99"));
}

TEST(StoreRestrictionsTest, TheSchemaRefusesUpdatesAndDeletes) {
  const std::string path = TempPath("restrictions-fixed.db");
  {
    Store store = OpenOrDie(path);
    ASSERT_TRUE(store.AddRestrictions(MakeLearningFixture().restrictions).ok());
    v1::QuestionSet set;
    set.set_id("lessons-learnt");
    set.set_version(1);
    v1::Question& q = *set.add_questions();
    q.set_id("cause");
    q.set_text("What went wrong?");
    ASSERT_TRUE(store.PutQuestionSet(set).ok());
  }
  EXPECT_THAT(ExecRaw(path, "UPDATE restrictions SET customer = 'X'"),
              HasSubstr("a restriction is never changed in place"));
  EXPECT_THAT(ExecRaw(path, "DELETE FROM restrictions"),
              HasSubstr("restrictions are never deleted"));
  EXPECT_THAT(ExecRaw(path, "UPDATE question_sets SET record = x''"),
              HasSubstr("a question set version is never changed"));
  EXPECT_THAT(ExecRaw(path, "DELETE FROM question_sets"),
              HasSubstr("question sets are never deleted"));
}

TEST(StoreRestrictionsTest, AStoreOfSchemaVersion1Upgrades) {
  const std::string path = TempPath("upgrade.db");
  {
    Store store = OpenOrDie(path);
    ASSERT_TRUE(store.ImportCsv(kMessy + "cases.csv", "").ok());
  }
  // Back to version 1: what version 2 added goes (its triggers with its
  // tables), as a store written by the previous tellus has it.
  ASSERT_EQ(ExecRaw(path,
                    "DROP TABLE restrictions; DROP TABLE question_sets; "
                    "PRAGMA user_version = 1"),
            "");
  ASSERT_EQ(Scalar(path, "PRAGMA user_version"), 1);
  ASSERT_EQ(Scalar(path,
                   "SELECT count(*) FROM sqlite_schema WHERE name = "
                   "'restrictions'"),
            0);
  Store store = OpenOrDie(path);
  EXPECT_EQ(store.Stats()->schema_version, 2);
  EXPECT_EQ(store.Stats()->cases, 5);
  EXPECT_EQ(store.GetCase("CMP-001")->customer(), "CUST-1");
  ExpectCounts(store.AddRestrictions(MakeLearningFixture().restrictions),
               Counts(5, 0, 0));
  absl::StatusOr<std::vector<AuditEntry>> audit = store.AuditLog();
  ASSERT_TRUE(audit.ok());
  int upgrades = 0;
  for (const AuditEntry& e : *audit) {
    if (e.action == "schema" && absl::StrContains(e.detail, "version 2")) {
      ++upgrades;
    }
  }
  EXPECT_EQ(upgrades, 2);  // at creation, and again on the upgrade
  EXPECT_TRUE(store.CheckIntegrity().ok());
}

v1::QuestionSet Form(int version) {
  v1::QuestionSet set;
  set.set_id("lessons-learnt");
  set.set_version(version);
  set.set_title("Lessons Learnt");
  v1::Question& q = *set.add_questions();
  q.set_id("what_went_wrong");
  q.set_text("What went wrong?");
  q.set_required(true);
  return set;
}

TEST(StoreQuestionSetsTest, WrittenOnceAndConflictsRefused) {
  Store store = OpenOrDie(TempPath("question-sets.db"));
  EXPECT_EQ(store.PutQuestionSet(Form(1)).value_or(false), true);
  EXPECT_EQ(store.PutQuestionSet(Form(1)).value_or(true), false);
  v1::QuestionSet changed = Form(1);
  changed.mutable_questions(0)->set_text("What happened?");
  absl::StatusOr<bool> put = store.PutQuestionSet(changed);
  EXPECT_EQ(put.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(put.status().message(),
              HasSubstr("question set lessons-learnt version 1 is already "
                        "held with other content"));
  EXPECT_THAT(put.status().message(), HasSubstr("What happened?"));
  changed.set_version(2);
  EXPECT_EQ(store.PutQuestionSet(changed).value_or(false), true);
  v1::QuestionSet empty = Form(3);
  empty.clear_questions();
  EXPECT_THAT(store.PutQuestionSet(empty).status().message(),
              HasSubstr("question set lessons-learnt version 3: asks no "
                        "questions"));

  absl::StatusOr<std::vector<v1::QuestionSet>> sets = store.QuestionSets();
  ASSERT_TRUE(sets.ok());
  ASSERT_EQ(sets->size(), 2u);
  EXPECT_EQ(store.GetQuestionSet("lessons-learnt", 2)->questions(0).text(),
            "What happened?");
  EXPECT_EQ(store.GetQuestionSet("lessons-learnt", 7).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store.Stats()->question_sets, 2);
}

TEST(StoreQuestionSetsTest, LessonsAreCheckedAgainstTheHeldSet) {
  Store store = OpenOrDie(TempPath("question-sets-lessons.db"));
  ASSERT_TRUE(store.PutQuestionSet(Form(1)).ok());
  // L1's lesson answers lessons-learnt version 1: it fits.
  const LearningFixture f = MakeLearningFixture();
  ASSERT_TRUE(store.AddCase(f.cases[0]).ok());

  v1::Case unanswered = f.cases[0];
  unanswered.set_ref("L1B");
  unanswered.mutable_events(unanswered.events_size() - 1)
      ->mutable_lesson_learnt()
      ->clear_answers();
  absl::Status added = store.AddCase(unanswered);
  EXPECT_EQ(added.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(added.message(),
            "case L1B: Lessons Learnt record on 2023-05-20 leaves the "
            "required question 'what_went_wrong' of question set "
            "lessons-learnt version 1 unanswered (the store's question set)");

  v1::Event lesson;
  *lesson.mutable_when()->mutable_date() = Day(2023, 6, 1);
  v1::LessonLearnt& l = *lesson.mutable_lesson_learnt();
  l.set_question_set_id("lessons-learnt");
  l.set_question_set_version(1);
  v1::LessonAnswer& a = *l.add_answers();
  a.set_question_id("cost");
  a.set_text("£300");
  EXPECT_THAT(store.AppendEvent("L1", lesson).message(),
              HasSubstr("answers question 'cost', which question set "
                        "lessons-learnt version 1 does not ask"));
  // A set the store does not hold: accepted, as in a data directory.
  l.set_question_set_version(5);
  EXPECT_TRUE(store.AppendEvent("L1", lesson).ok());
}

TEST(StoreLessonActionsTest, AnActionMarkedDoneLaterIsANewEvent) {
  Store store = OpenOrDie(TempPath("action-done.db"));
  LearningFixture f = MakeLearningFixture();
  for (const v1::Case& c : f.cases) ASSERT_TRUE(store.AddCase(c).ok());
  // L1's action 2 (target 2024-01-31) done on 2024-03-01.
  v1::Event done;
  *done.mutable_when()->mutable_date() = Day(2024, 3, 1);
  done.mutable_lesson_action_done()->set_lesson(1);
  done.mutable_lesson_action_done()->set_action(2);
  ASSERT_TRUE(store.AppendEvent("L1", done).ok());
  absl::Status again = store.AppendEvent("L1", done);
  EXPECT_EQ(again.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(again.message(),
              HasSubstr("case L1: action 2 of Lessons Learnt record 1 marked "
                        "done on 2024-03-01 marks action 2 (Retrain the "
                        "repairs desk) of Lessons Learnt record 1 (on "
                        "2023-05-20) done again"));
  done.mutable_lesson_action_done()->set_action(9);
  EXPECT_THAT(store.AppendEvent("L1", done).message(),
              HasSubstr("names action 9, but Lessons Learnt record 1 (on "
                        "2023-05-20) has 4 actions"));

  absl::StatusOr<Dataset> data = store.LoadDataset();
  ASSERT_TRUE(data.ok()) << data.status();
  absl::StatusOr<v1::AnnualReport> r = BuildReport(*data, LearningRequest(), 1);
  ASSERT_TRUE(r.ok());
  // A4 only (learning_report_test.cc's working, less A2).
  EXPECT_EQ(
      FindMetric(r->metrics(), "lessons_actions_overdue")->current().count(),
      1);
}

std::string Json(const Dataset& data) {
  absl::StatusOr<v1::AnnualReport> r = BuildReport(data, LearningRequest(), 1);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return "";
  return RenderJson(*r).value_or("");
}

TEST(StoreRestrictionsTest, TheReportFromTheStoreIsTheReportInMemory) {
  Store store = OpenOrDie(TempPath("learning-report.db"));
  const LearningFixture f = MakeLearningFixture();
  for (const v1::Case& c : f.cases) ASSERT_TRUE(store.AddCase(c).ok());
  ASSERT_TRUE(store.AddRestrictions(f.restrictions).ok());
  absl::StatusOr<Dataset> data = store.LoadDataset();
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(Json(*data), Json(f.Build()));

  // Exported with its restrictions, and read back into another store.
  const std::string dir = TempPath("learning-export");
  ASSERT_TRUE(store.ExportTo(dir).ok());
  absl::StatusOr<DataDirFiles> files = FindDataDirFiles(dir);
  ASSERT_TRUE(files.ok());
  EXPECT_FALSE(files->restrictions.empty());
  Store copy = OpenOrDie(TempPath("learning-copy.db"));
  absl::StatusOr<StoreImportSummary> imported = copy.ImportDataDir(dir);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->restrictions.added, 5);
  EXPECT_THAT(FormatStoreImportSummary(*imported),
              HasSubstr("Restrictions: 5 new, 0 with a new version, 0 "
                        "already present"));
  EXPECT_EQ(Json(*copy.LoadDataset()), Json(f.Build()));
}

TEST(StoreRestrictionsTest, AnImportAddsRestrictionsAndWarnsOfThem) {
  const std::string csv = TempPath("warn-cases.csv");
  WriteFile(csv,
            "case_ref,type,received,directorate,service,customer\n"
            "C-1,complaint,2023-05-02,Housing,Repairs,CUST-1\n"
            "C-2,complaint,2023-05-02,Housing,Repairs,CUST-7\n");
  Store store = OpenOrDie(TempPath("warn.db"));
  StoreImportOptions options;
  options.restrictions = MakeLearningFixture().restrictions;
  std::vector<std::string> warnings;
  options.warn = [&](const std::string& w) { warnings.push_back(w); };
  absl::StatusOr<StoreImportSummary> s = store.ImportCsv(csv, "", options);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->restrictions.added, 5);
  EXPECT_EQ(s->restriction_warnings, 1);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], HasSubstr("case C-1: customer CUST-1 has a "
                                     "restriction in force (written contact "
                                     "only, restriction RS1)"));
  // Again: the cases are present, so no warning; the restrictions too.
  warnings.clear();
  s = store.ImportCsv(csv, "", options);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->restrictions.present, 5);
  EXPECT_TRUE(warnings.empty());
  // A restriction that fails fails the whole import.
  options.restrictions[0].clear_reason();
  s = store.ImportCsv(csv, "", options);
  EXPECT_THAT(s.status().message(), HasSubstr("restriction RS1: gives no "
                                              "reason"));
}

TEST(StoreRestrictionsTest, RetentionAndSubjectAccessCoverRestrictions) {
  Store store = OpenOrDie(TempPath("restrictions-retention.db"));
  const LearningFixture f = MakeLearningFixture();
  ASSERT_TRUE(store.AddRestrictions(f.restrictions).ok());
  ASSERT_TRUE(store.AddRestrictions({ReviewedRs3()}).ok());
  absl::StatusOr<v1::SubjectAccessExport> sar = store.SubjectAccess("CUST-3");
  ASSERT_TRUE(sar.ok()) << sar.status();
  ASSERT_EQ(sar->restrictions_size(), 2);  // both versions of RS3
  EXPECT_EQ(sar->restrictions(1).reviews(0).notes(), "calls reduced");
  EXPECT_THAT(*SubjectAccessJson(*sar), HasSubstr("\"id\": \"RS3\""));
  ASSERT_EQ(store.SubjectAccess("CUST-5")->restrictions_size(), 1);
  const std::string before = Json(*store.LoadDataset());

  // RS5 ended on 2022-06-01; RS2 ends 2024-05-31, after the day.
  RetentionRequest request;
  request.closed_before = absl::CivilDay(2024, 1, 1);
  absl::StatusOr<RetentionSummary> done = store.Anonymise(request);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_THAT(done->restrictions, ElementsAre("RS5"));
  EXPECT_EQ(done->fields_cleared, 2);  // customer and reason
  EXPECT_EQ(store.SubjectAccess("CUST-5")->restrictions_size(), 0);
  absl::StatusOr<std::vector<StoredRestriction>> rs5 =
      store.RestrictionHistory("RS5");
  ASSERT_TRUE(rs5.ok());
  EXPECT_EQ((*rs5)[0].record.customer(), "anonymised");
  EXPECT_EQ((*rs5)[0].record.reason(), "anonymised");
  EXPECT_TRUE((*rs5)[0].anonymised_at.has_value());
  EXPECT_EQ(Json(*store.LoadDataset()), before);  // figures unchanged
  // Again: nothing more to do.
  EXPECT_TRUE(store.Anonymise(request)->restrictions.empty());

  // The original again adds nothing; other content is refused.
  ExpectCounts(store.AddRestrictions({f.restrictions[4]}), Counts(0, 0, 1));
  v1::Restriction changed = f.restrictions[4];
  changed.set_arrangement("letters only");
  EXPECT_THAT(store.AddRestrictions({changed}).status().message(),
              HasSubstr("restriction RS5: was anonymised under retention"));
  absl::StatusOr<std::vector<AuditEntry>> audit = store.AuditLog();
  ASSERT_TRUE(audit.ok());
  bool audited = false;
  for (const AuditEntry& e : *audit) {
    EXPECT_THAT(e.detail, ::testing::Not(HasSubstr("CUST-")));
    audited = audited || absl::StrContains(e.detail,
                                           "restriction RS5 "
                                           "anonymised");
  }
  EXPECT_TRUE(audited);
}

}  // namespace
}  // namespace tellus
