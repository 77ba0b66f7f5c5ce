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
#include "tellus/v1/report.pb.h"
#include "tellus/v1/store.pb.h"

namespace {

using ::testing::HasSubstr;

const std::string kMessy = TELLUS_TEST_DATA_DIR "/messy/";

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

class CApiStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TempPath(
        std::string(
            ::testing::UnitTest::GetInstance()->current_test_info()->name()) +
        ".db");
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

}  // namespace
