// The store through the C ABI of tellus.h: every tellus_store_* call, its
// messages and its status codes.
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tellus/tellus.h"
#include "tellus/v1/case.pb.h"
#include "tellus/v1/interaction.pb.h"
#include "tellus/v1/question_set.pb.h"
#include "tellus/v1/report.pb.h"
#include "tellus/v1/restriction.pb.h"
#include "tellus/v1/store.pb.h"

namespace {

using ::testing::HasSubstr;

const std::string kMessy = TELLUS_TEST_DATA_DIR "/messy/";
const std::string kLearning = TELLUS_TEST_DATA_DIR "/learning";

std::string TempPath(const std::string& name) {
  const std::string path = ::testing::TempDir() + "tellus-c-store-" + name;
  std::filesystem::remove_all(path);
  for (const char* suffix : {"-wal", "-shm"}) {
    std::filesystem::remove(path + suffix);
  }
  return path;
}

// Takes a buffer the library returned as a message.
template <typename M>
M Take(void* buffer, size_t size) {
  M message;
  EXPECT_TRUE(message.ParseFromArray(buffer, static_cast<int>(size)));
  tellus_buffer_free(buffer);
  return message;
}

// A fresh store file named after the running test.
std::string TestStorePath() {
  return TempPath(
      std::string(
          ::testing::UnitTest::GetInstance()->current_test_info()->name()) +
      ".db");
}

class CApiStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TestStorePath();
    ASSERT_EQ(tellus_store_open(&store_, path_.c_str(), 1, -1), TELLUS_OK)
        << tellus_last_error();
    void* out = nullptr;
    size_t size = 0;
    ASSERT_EQ(tellus_store_import_csv(&out, &size, store_,
                                      (kMessy + "cases.csv").c_str(),
                                      (kMessy + "interactions.csv").c_str(), 0),
              TELLUS_OK)
        << tellus_last_error();
    first_ = Take<tellus::v1::StoreImportSummary>(out, size);
  }
  void TearDown() override { tellus_store_free(store_); }

  std::string path_;
  tellus_store* store_ = nullptr;
  tellus::v1::StoreImportSummary first_;
};

TEST_F(CApiStoreTest, ImportsOnceAndCountsTheSecondTime) {
  EXPECT_EQ(first_.cases().added(), 5);
  EXPECT_EQ(first_.interactions().added(), 6);
  EXPECT_EQ(first_.rows().cases().rejected(), 11);
  EXPECT_EQ(first_.rejects().rejects_size(), 15);
  EXPECT_EQ(first_.import_id(), 1);
  EXPECT_EQ(first_.cases_sha256().size(), 64u);
  void* out = nullptr;
  size_t size = 0;
  ASSERT_EQ(tellus_store_import_csv(&out, &size, store_,
                                    (kMessy + "cases.csv").c_str(),
                                    (kMessy + "interactions.csv").c_str(), 0),
            TELLUS_OK);
  const auto again = Take<tellus::v1::StoreImportSummary>(out, size);
  EXPECT_EQ(again.cases().present(), 5);
  EXPECT_EQ(again.interactions().present(), 6);
  EXPECT_EQ(again.same_content_as(), 1);
  EXPECT_THAT(again.text(), HasSubstr("0 new cases, 5 already present"));
  // --strict with rejected rows writes nothing.
  EXPECT_EQ(tellus_store_import_csv(&out, &size, store_,
                                    (kMessy + "cases.csv").c_str(), nullptr, 1),
            TELLUS_E_FAILED_PRECONDITION);
  EXPECT_THAT(tellus_last_error(), HasSubstr("--strict"));
}

TEST_F(CApiStoreTest, CasesEventsAndInteractions) {
  void* out = nullptr;
  size_t size = 0;
  ASSERT_EQ(tellus_store_get_case(&out, &size, store_, "CMP-001"), TELLUS_OK);
  const auto c = Take<tellus::v1::Case>(out, size);
  EXPECT_EQ(c.customer(), "CUST-1");
  EXPECT_EQ(tellus_store_get_case(&out, &size, store_, "NOPE"),
            TELLUS_E_NOT_FOUND);

  tellus::v1::Event event;
  event.mutable_when()->mutable_date()->set_year(2023);
  event.mutable_when()->mutable_date()->set_month(8);
  event.mutable_when()->mutable_date()->set_day(1);
  event.mutable_responded()->set_stage(tellus::v1::STAGE_2);
  event.mutable_responded()->set_outcome(tellus::v1::OUTCOME_UPHELD);
  const std::string bytes = event.SerializeAsString();
  EXPECT_EQ(
      tellus_store_append_event(store_, "CMP-001", bytes.data(), bytes.size()),
      TELLUS_E_INVALID_ARGUMENT);
  EXPECT_THAT(tellus_last_error(),
              HasSubstr("case CMP-001: stage 2 response (upheld) on 2023-08-01 "
                        "has no escalation request before it"));
  event.mutable_lesson_learnt()->set_theme("roofs");
  const std::string lesson = event.SerializeAsString();
  EXPECT_EQ(tellus_store_append_event(store_, "CMP-001", lesson.data(),
                                      lesson.size()),
            TELLUS_OK)
      << tellus_last_error();

  EXPECT_EQ(tellus_store_add_case(store_, c.SerializeAsString().data(),
                                  c.ByteSizeLong()),
            TELLUS_E_INVALID_ARGUMENT);
  tellus::v1::Case fresh = c;
  fresh.set_ref("CMP-100");
  fresh.clear_events();
  const std::string fresh_bytes = fresh.SerializeAsString();
  EXPECT_EQ(
      tellus_store_add_case(store_, fresh_bytes.data(), fresh_bytes.size()),
      TELLUS_OK);
  tellus::v1::Interaction i;
  i.set_id("I-100");
  i.mutable_at()->mutable_date()->set_year(2023);
  i.mutable_at()->mutable_date()->set_month(9);
  i.mutable_at()->mutable_date()->set_day(1);
  i.set_kind(tellus::v1::INTERACTION_KIND_FOLLOW_UP);
  i.set_case_ref("CMP-100");
  const std::string interaction = i.SerializeAsString();
  EXPECT_EQ(tellus_store_add_interaction(store_, interaction.data(),
                                         interaction.size()),
            TELLUS_OK);
  EXPECT_EQ(tellus_store_add_interaction(store_, "garbage", 7),
            TELLUS_E_MALFORMED);
  EXPECT_EQ(tellus_store_add_case(nullptr, "", 0), TELLUS_E_INVALID_ARGUMENT);
}

TEST_F(CApiStoreTest, ListsWhatIsOverdue) {
  tellus::v1::CaseQuery query;
  query.mutable_on()->set_year(2024);
  query.mutable_on()->set_month(5);
  query.mutable_on()->set_day(1);
  query.set_overdue_only(true);
  const std::string bytes = query.SerializeAsString();
  void* out = nullptr;
  size_t size = 0;
  ASSERT_EQ(
      tellus_store_list_cases(&out, &size, store_, bytes.data(), bytes.size()),
      TELLUS_OK)
      << tellus_last_error();
  const auto listing = Take<tellus::v1::CaseListing>(out, size);
  ASSERT_EQ(listing.cases_size(), 1);
  EXPECT_EQ(listing.cases(0).record().ref(), "CMP-011");
  EXPECT_EQ(listing.cases(0).state().status(),
            tellus::v1::CASE_STATUS_AWAITING_STAGE_1);
  ASSERT_EQ(listing.cases(0).overdue_size(), 2);
  EXPECT_EQ(listing.cases(0).overdue(1).text(),
            "stage 1 response due 2024-04-22, 7 working days late");
  // All cases, by status.
  ASSERT_EQ(tellus_store_list_cases(&out, &size, store_, nullptr, 0),
            TELLUS_OK);
  EXPECT_EQ(Take<tellus::v1::CaseListing>(out, size).cases_size(), 5);
  query.Clear();
  query.set_status(tellus::v1::CASE_STATUS_RECORDED);
  const std::string recorded = query.SerializeAsString();
  ASSERT_EQ(tellus_store_list_cases(&out, &size, store_, recorded.data(),
                                    recorded.size()),
            TELLUS_OK);
  EXPECT_EQ(Take<tellus::v1::CaseListing>(out, size).cases_size(), 2);
}

TEST_F(CApiStoreTest, ReportsFromTheStoreAsFromTheCsv) {
  tellus::v1::ReportSettings settings;
  settings.set_period("2023/24");
  settings.set_as_of("2024-06-30");
  const std::string s = settings.SerializeAsString();
  auto report = [&](tellus_dataset* ds) {
    void* out = nullptr;
    size_t size = 0;
    EXPECT_EQ(tellus_report_build(&out, &size, ds, s.data(), s.size(), 1),
              TELLUS_OK);
    std::string bytes(static_cast<char*>(out), size);
    tellus_buffer_free(out);
    tellus_dataset_free(ds);
    return bytes;
  };
  tellus_dataset* from_store = nullptr;
  ASSERT_EQ(tellus_store_load_dataset(&from_store, store_), TELLUS_OK);
  tellus_dataset* from_csv = nullptr;
  ASSERT_EQ(tellus_dataset_from_csv(&from_csv, (kMessy + "cases.csv").c_str(),
                                    (kMessy + "interactions.csv").c_str()),
            TELLUS_OK);
  EXPECT_EQ(report(from_store), report(from_csv));

  const std::string dir = path_ + "-export";
  ASSERT_EQ(tellus_store_export(store_, dir.c_str()), TELLUS_OK);
  EXPECT_TRUE(std::filesystem::exists(dir + "/cases.binpb"));
  EXPECT_EQ(tellus_store_check(store_), TELLUS_OK);
}

TEST_F(CApiStoreTest, RetentionAndSubjectAccess) {
  void* out = nullptr;
  size_t size = 0;
  ASSERT_EQ(tellus_store_subject_access(&out, &size, store_, "CUST-2"),
            TELLUS_OK);
  EXPECT_EQ(Take<tellus::v1::SubjectAccessExport>(out, size).cases_size(), 1);
  ASSERT_EQ(tellus_store_anonymise(&out, &size, store_, 20300101, 0), TELLUS_OK)
      << tellus_last_error();
  const auto summary = Take<tellus::v1::RetentionSummary>(out, size);
  EXPECT_EQ(summary.cases_size(), 4);
  ASSERT_EQ(tellus_store_subject_access(&out, &size, store_, "CUST-2"),
            TELLUS_OK);
  EXPECT_EQ(Take<tellus::v1::SubjectAccessExport>(out, size).cases_size(), 0);
  EXPECT_EQ(tellus_store_anonymise(&out, &size, store_, 20231340, 0),
            TELLUS_E_INVALID_ARGUMENT);
}

TEST_F(CApiStoreTest, BusyDamagedAndMissing) {
  // Another connection holds the write lock: a writer with a short timeout
  // gets TELLUS_E_BUSY, and nothing changes.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr),
            SQLITE_OK);
  tellus_store* impatient = nullptr;
  ASSERT_EQ(tellus_store_open(&impatient, path_.c_str(), 0, 50), TELLUS_OK);
  void* out = nullptr;
  size_t size = 0;
  EXPECT_EQ(tellus_store_import_csv(&out, &size, impatient,
                                    (kMessy + "cases.csv").c_str(), nullptr, 0),
            TELLUS_E_BUSY);
  EXPECT_THAT(tellus_last_error(), HasSubstr("the database is busy"));
  EXPECT_STREQ(tellus_status_string(TELLUS_E_BUSY), "busy");
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  tellus_store_free(impatient);

  tellus_store* missing = nullptr;
  EXPECT_EQ(tellus_store_open(&missing, (path_ + "-none").c_str(), 0, -1),
            TELLUS_E_NOT_FOUND);
  const std::string garbage = TempPath("garbage.db");
  {
    FILE* f = std::fopen(garbage.c_str(), "wb");
    const std::string junk(4096, 'q');
    std::fwrite(junk.data(), 1, junk.size(), f);
    std::fclose(f);
  }
  EXPECT_EQ(tellus_store_open(&missing, garbage.c_str(), 1, -1),
            TELLUS_E_MALFORMED);
  EXPECT_THAT(tellus_last_error(), HasSubstr("the store is damaged"));
  tellus_store_free(nullptr);
}

// The learning records: restrictions, question sets and the listings, on
// the learning fixture (tests/data/learning) in its own store.
class CApiStoreLearningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TestStorePath();
    ASSERT_EQ(tellus_store_open(&store_, path_.c_str(), 1, -1), TELLUS_OK);
    void* out = nullptr;
    size_t size = 0;
    ASSERT_EQ(
        tellus_store_import_data_dir(&out, &size, store_, kLearning.c_str(), 0),
        TELLUS_OK)
        << tellus_last_error();
    const auto summary = Take<tellus::v1::StoreImportSummary>(out, size);
    EXPECT_EQ(summary.cases().added(), 9);
    EXPECT_EQ(summary.restrictions().added(), 5);
  }
  void TearDown() override { tellus_store_free(store_); }

  tellus::v1::RestrictionList Held() {
    void* out = nullptr;
    size_t size = 0;
    EXPECT_EQ(tellus_store_get_restrictions(&out, &size, store_), TELLUS_OK);
    return Take<tellus::v1::RestrictionList>(out, size);
  }

  // The text a listing call returned in *text (read after the call).
  std::string Text(int rc, char** text) {
    EXPECT_EQ(rc, TELLUS_OK) << tellus_last_error();
    std::string out = *text ? *text : "";
    tellus_buffer_free(*text);
    *text = nullptr;
    return out;
  }

  std::string path_;
  tellus_store* store_ = nullptr;
};

TEST_F(CApiStoreLearningTest, RestrictionsAreVersioned) {
  tellus::v1::RestrictionList list = Held();
  ASSERT_EQ(list.restrictions_size(), 5);
  // RS3 reviewed: its next version.
  tellus::v1::RestrictionList change;
  tellus::v1::Restriction& rs3 = *change.add_restrictions();
  rs3 = list.restrictions(2);
  ASSERT_EQ(rs3.id(), "RS3");
  tellus::v1::RestrictionReview& rv = *rs3.add_reviews();
  rv.mutable_date()->set_year(2024);
  rv.mutable_date()->set_month(3);
  rv.mutable_date()->set_day(10);
  rv.set_outcome(tellus::v1::REVIEW_OUTCOME_CONTINUED);
  *rv.mutable_next_review() = rv.date();
  rv.mutable_next_review()->set_month(9);
  const std::string bytes = change.SerializeAsString();
  void* out = nullptr;
  size_t size = 0;
  ASSERT_EQ(tellus_store_add_restrictions(&out, &size, store_, bytes.data(),
                                          bytes.size()),
            TELLUS_OK)
      << tellus_last_error();
  auto counts = Take<tellus::v1::StoreImportCounts>(out, size);
  EXPECT_EQ(counts.extended(), 1);
  ASSERT_EQ(tellus_store_add_restrictions(&out, &size, store_, bytes.data(),
                                          bytes.size()),
            TELLUS_OK);
  counts = Take<tellus::v1::StoreImportCounts>(out, size);
  EXPECT_EQ(counts.present(), 1);
  EXPECT_EQ(Held().restrictions(2).reviews_size(), 1);

  // Bad input: a message naming the rule; nothing written.
  rs3.clear_reason();
  const std::string bad = change.SerializeAsString();
  out = nullptr;
  EXPECT_EQ(tellus_store_add_restrictions(&out, &size, store_, bad.data(),
                                          bad.size()),
            TELLUS_E_INVALID_ARGUMENT);
  EXPECT_THAT(tellus_last_error(), HasSubstr("restriction RS3: gives no "
                                             "reason"));
  EXPECT_EQ(out, nullptr);
  rs3.set_reason("x");
  rs3.set_customer("CUST-99");
  const std::string other = change.SerializeAsString();
  EXPECT_EQ(tellus_store_add_restrictions(&out, &size, store_, other.data(),
                                          other.size()),
            TELLUS_E_FAILED_PRECONDITION);
  EXPECT_EQ(tellus_store_add_restrictions(&out, &size, store_, "\xff", 1),
            TELLUS_E_MALFORMED);
  EXPECT_EQ(tellus_store_add_restrictions(&out, &size, nullptr, "", 0),
            TELLUS_E_INVALID_ARGUMENT);
  // None: counts of nothing.
  ASSERT_EQ(tellus_store_add_restrictions(&out, &size, store_, nullptr, 0),
            TELLUS_OK);
  EXPECT_EQ(Take<tellus::v1::StoreImportCounts>(out, size).added(), 0);

  // Subject access and retention cover them.
  ASSERT_EQ(tellus_store_subject_access(&out, &size, store_, "CUST-3"),
            TELLUS_OK);
  EXPECT_EQ(
      Take<tellus::v1::SubjectAccessExport>(out, size).restrictions_size(), 2);
  ASSERT_EQ(tellus_store_anonymise(&out, &size, store_, 20230101, 0),
            TELLUS_OK);
  const auto retention = Take<tellus::v1::RetentionSummary>(out, size);
  ASSERT_EQ(retention.restrictions_size(), 1);
  EXPECT_EQ(retention.restrictions(0), "RS5");
}

TEST_F(CApiStoreLearningTest, QuestionSetsAreWrittenOnce) {
  tellus::v1::QuestionSet set;
  set.set_id("lessons-learnt");
  set.set_version(1);
  tellus::v1::Question& q = *set.add_questions();
  q.set_id("what_went_wrong");
  q.set_text("What went wrong?");
  std::string bytes = set.SerializeAsString();
  int added = -1;
  ASSERT_EQ(
      tellus_store_put_question_set(&added, store_, bytes.data(), bytes.size()),
      TELLUS_OK)
      << tellus_last_error();
  EXPECT_EQ(added, 1);
  ASSERT_EQ(
      tellus_store_put_question_set(&added, store_, bytes.data(), bytes.size()),
      TELLUS_OK);
  EXPECT_EQ(added, 0);
  q.set_text("What happened?");
  bytes = set.SerializeAsString();
  EXPECT_EQ(
      tellus_store_put_question_set(&added, store_, bytes.data(), bytes.size()),
      TELLUS_E_FAILED_PRECONDITION);
  EXPECT_THAT(tellus_last_error(), HasSubstr("already held with other "
                                             "content"));
  set.clear_questions();
  bytes = set.SerializeAsString();
  EXPECT_EQ(
      tellus_store_put_question_set(&added, store_, bytes.data(), bytes.size()),
      TELLUS_E_INVALID_ARGUMENT);
  EXPECT_EQ(tellus_store_put_question_set(nullptr, store_, bytes.data(),
                                          bytes.size()),
            TELLUS_E_INVALID_ARGUMENT);
}

TEST_F(CApiStoreLearningTest, TheListings) {
  char* text = nullptr;
  size_t size = 0;
  std::string digest =
      Text(tellus_store_digest(&text, &size, store_, "Housing", 202401, 0,
                               TELLUS_FORMAT_MARKDOWN),
           &text);
  EXPECT_THAT(digest, HasSubstr("# Housing: customer feedback digest, "
                                "January 2024"));
  EXPECT_THAT(digest, HasSubstr("| L1 #4 | Audit open jobs |"));
  EXPECT_THAT(digest, HasSubstr("2024-01-10 L3: LGSCO, upheld"));
  EXPECT_EQ(size, digest.size());
  // As of an earlier day of the month.
  digest = Text(tellus_store_digest(&text, nullptr, store_, "Housing", 202401,
                                    20240105, TELLUS_FORMAT_TEXT),
                &text);
  EXPECT_THAT(digest, HasSubstr("Records as of 2024-01-05"));
  EXPECT_THAT(digest, ::testing::Not(HasSubstr("LGSCO")));

  const std::string praise = Text(
      tellus_store_compliments(&text, &size, store_, nullptr, "Repairs North",
                               "2023/24", TELLUS_FORMAT_TEXT),
      &text);
  EXPECT_THAT(praise, HasSubstr("2 compliments received"));
  const std::string staff =
      Text(tellus_store_compliments(&text, &size, store_, "S-7", "", "2022/23",
                                    TELLUS_FORMAT_TEXT),
           &text);
  EXPECT_THAT(staff, HasSubstr("1 compliment received"));

  const std::string restrictions =
      Text(tellus_store_restrictions_in_force(&text, &size, store_, 20240630,
                                              TELLUS_FORMAT_TEXT),
           &text);
  EXPECT_THAT(restrictions, HasSubstr("3 restrictions in force; 2 reviews "
                                      "overdue."));

  // Errors: a status and a message, nothing returned.
  text = nullptr;
  EXPECT_EQ(tellus_store_digest(&text, &size, store_, "Housing", 202413, 0,
                                TELLUS_FORMAT_TEXT),
            TELLUS_E_INVALID_ARGUMENT);
  EXPECT_THAT(tellus_last_error(), HasSubstr("month 202413 is not a month"));
  EXPECT_EQ(tellus_store_digest(&text, &size, store_, "Parks", 202401, 0,
                                TELLUS_FORMAT_TEXT),
            TELLUS_E_NOT_FOUND);
  EXPECT_THAT(tellus_last_error(), HasSubstr("Parks"));
  EXPECT_EQ(tellus_store_digest(&text, &size, store_, "Housing", 202401, 0,
                                TELLUS_FORMAT_HTML),
            TELLUS_E_INVALID_ARGUMENT);
  EXPECT_EQ(tellus_store_digest(&text, &size, store_, nullptr, 202401, 0,
                                TELLUS_FORMAT_TEXT),
            TELLUS_E_INVALID_ARGUMENT);
  EXPECT_EQ(tellus_store_compliments(&text, &size, store_, nullptr, nullptr,
                                     "2023/24", TELLUS_FORMAT_TEXT),
            TELLUS_E_INVALID_ARGUMENT);
  EXPECT_EQ(tellus_store_compliments(&text, &size, store_, "S-7", nullptr,
                                     "2023/99", TELLUS_FORMAT_TEXT),
            TELLUS_E_INVALID_ARGUMENT);
  EXPECT_EQ(tellus_store_restrictions_in_force(&text, &size, store_, 20240631,
                                               TELLUS_FORMAT_TEXT),
            TELLUS_E_INVALID_ARGUMENT);
  EXPECT_EQ(tellus_store_restrictions_in_force(&text, &size, nullptr, 20240630,
                                               TELLUS_FORMAT_TEXT),
            TELLUS_E_INVALID_ARGUMENT);
  EXPECT_EQ(text, nullptr);
}

TEST_F(CApiStoreLearningTest, TheReportCountsTheStoresRestrictions) {
  tellus_dataset* data = nullptr;
  ASSERT_EQ(tellus_store_load_dataset(&data, store_), TELLUS_OK);
  tellus::v1::ReportSettings settings;
  settings.set_period("2023/24");
  settings.set_as_of("2024-06-30");
  const std::string bytes = settings.SerializeAsString();
  void* out = nullptr;
  size_t size = 0;
  ASSERT_EQ(
      tellus_report_build(&out, &size, data, bytes.data(), bytes.size(), 1),
      TELLUS_OK)
      << tellus_last_error();
  tellus_dataset_free(data);
  const auto report = Take<tellus::v1::AnnualReport>(out, size);
  int found = 0;
  for (const auto& m : report.metrics()) {
    if (m.key() == "restrictions_active") {
      EXPECT_EQ(m.current().count(), 3);
      ++found;
    }
    if (m.key() == "restriction_reviews_overdue") {
      EXPECT_EQ(m.current().count(), 2);
      ++found;
    }
  }
  EXPECT_EQ(found, 2);
}

}  // namespace
