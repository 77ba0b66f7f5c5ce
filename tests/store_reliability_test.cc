// The store under crashes, damage and concurrency: a writer killed at
// random points of an import, readers reporting while a writer imports, a
// truncated or corrupted file, and two writers at once. Every test forks
// child processes; each keeps its imports small so that it runs in seconds,
// sanitizers included.
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store_testing.h"
#include "tellus/render.h"
#include "tellus/report.h"
#include "tellus/status_macros.h"
#include "tellus/store.h"

namespace tellus {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;

std::string TempPath(const std::string& name) {
  const std::string path = ::testing::TempDir() + "tellus-reliability-" + name;
  std::filesystem::remove_all(path);
  for (const char* suffix : {"-wal", "-shm"}) {
    std::filesystem::remove(path + suffix);
  }
  return path;
}

// A batch of `cases` complaints and `interactions` contacts whose references
// and ids all start with "B<k>-", so that a batch can be counted.
struct Batch {
  std::string cases;
  std::string interactions;
  int case_count;
  int interaction_count;
};

Batch WriteBatch(const std::string& dir, int k, int cases, int interactions) {
  Batch b{absl::StrCat(dir, "/b", k, "-cases.csv"),
          absl::StrCat(dir, "/b", k, "-interactions.csv"), cases, interactions};
  std::ofstream c(b.cases, std::ios::binary);
  c << "case_ref,type,received,directorate,service,customer,"
       "s1_acknowledged,s1_responded,s1_outcome\n";
  for (int j = 0; j < cases; ++j) {
    const int day = 1 + j % 28;
    c << absl::StrFormat("B%d-C%05d,complaint,2023-06-%02d,%s,Repairs,C%d,", k,
                         j, day, j % 3 ? "Housing" : "Environment", j % 97);
    if (j % 4) {
      c << absl::StrFormat("2023-06-%02d,2023-07-%02d,%s\n", day, day,
                           j % 2 ? "upheld" : "not upheld");
    } else {
      c << ",,\n";
    }
  }
  std::ofstream i(b.interactions, std::ios::binary);
  i << "interaction_id,at,channel,directorate,service,kind,customer,case_ref\n";
  for (int j = 0; j < interactions; ++j) {
    i << absl::StrFormat(
        "B%d-I%07d,2023-%02d-%02dT%02d:%02d:00,phone,Housing,Repairs,%s,C%d,"
        "%s\n",
        k, j, 4 + j % 9, 1 + j % 28, 8 + j % 9, j % 60,
        j % 10 ? "contact" : "follow_up", j % 500,
        j % 10 ? "" : absl::StrFormat("B%d-C%05d", k, j % cases));
  }
  return b;
}

// How many of batch k's cases and interactions the store holds.
std::pair<int64_t, int64_t> Held(const std::string& path, int k) {
  return {Scalar(path, absl::StrCat("SELECT count(*) FROM cases WHERE ref "
                                    "LIKE 'B",
                                    k, "-%'")),
          Scalar(path, absl::StrCat("SELECT count(*) FROM interactions WHERE "
                                    "id LIKE 'B",
                                    k, "-%'"))};
}

// Runs `fn` in a child process; returns its pid. The child exits with 0
// when `fn` returns OK, else prints the status and exits with 1.
template <typename Fn>
pid_t Spawn(Fn fn) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    const absl::Status status = fn();
    if (!status.ok())
      std::fprintf(stderr, "child: %s\n", status.ToString().c_str());
    std::fflush(nullptr);
    _exit(status.ok() ? 0 : 1);
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

absl::Status ImportBatch(const std::string& path, const Batch& b,
                         StoreOptions options = {}) {
  absl::StatusOr<Store> store = Store::Open(path, options);
  if (!store.ok()) return store.status();
  return store->ImportCsv(b.cases, b.interactions).status();
}

std::string ReportJson(const std::string& path) {
  absl::StatusOr<Store> store = Store::Open(path);
  if (!store.ok()) return store.status().ToString();
  absl::StatusOr<Dataset> data = store->LoadDataset();
  if (!data.ok()) return data.status().ToString();
  v1::ReportSettings request;
  request.set_period("2023/24");
  request.set_as_of("2024-06-30");
  absl::StatusOr<v1::AnnualReport> report = BuildReport(*data, request, 1);
  if (!report.ok()) return report.status().ToString();
  return RenderJson(*report).value_or("");
}

// The report of CSV batches read straight from their files.
std::string CsvReportJson(const std::vector<Batch>& batches) {
  DatasetSink sink;
  Importer importer(sink, nullptr);
  for (const Batch& b : batches) {
    EXPECT_TRUE(importer.ImportCases(b.cases).ok());
  }
  for (const Batch& b : batches) {
    EXPECT_TRUE(importer.ImportInteractions(b.interactions).ok());
  }
  v1::ReportSettings request;
  request.set_period("2023/24");
  request.set_as_of("2024-06-30");
  absl::StatusOr<v1::AnnualReport> report =
      BuildReport(std::move(sink).Build(), request, 1);
  return report.ok() ? RenderJson(*report).value_or("") : "";
}

// --- Killed at random points
// --------------------------------------------------

TEST(StoreReliabilityTest, AnImportKilledAnywhereIsWhollyPresentOrAbsent) {
  const std::string path = TempPath("kill.db");
  const std::string dir = path + "-batches";
  std::filesystem::create_directories(dir);
  constexpr int kKills = 24;
  constexpr int kCases = 150;
  constexpr int kInteractions = 6000;  // more than one batch of the writer
  std::vector<Batch> batches;
  for (int k = 0; k <= kKills + 1; ++k) {
    batches.push_back(WriteBatch(dir, k, kCases, kInteractions));
  }
  // The first batch, then a timed one: how long an import takes here.
  ASSERT_EQ(Wait(Spawn([&] { return ImportBatch(path, batches[0]); })), 0);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(Wait(Spawn([&] { return ImportBatch(path, batches[1]); })), 0);
  const auto duration = std::chrono::steady_clock::now() - start;
  const int64_t micros =
      std::chrono::duration_cast<std::chrono::microseconds>(duration).count();

  std::vector<Batch> committed = {batches[0], batches[1]};
  std::string before = ReportJson(path);
  ASSERT_EQ(before, CsvReportJson(committed));

  const uint32_t seed = std::random_device()();
  SCOPED_TRACE(
      absl::StrCat("seed ", seed, ", an import takes ", micros, " us"));
  std::mt19937 rng(seed);
  // Kill anywhere from before the transaction begins to after it commits.
  std::uniform_int_distribution<int64_t> when(0, micros * 6 / 5);
  int present = 0, absent = 0;
  for (int k = 2; k < kKills + 2; ++k) {
    const pid_t child = Spawn([&] { return ImportBatch(path, batches[k]); });
    std::this_thread::sleep_for(std::chrono::microseconds(when(rng)));
    kill(child, SIGKILL);
    const int exit = Wait(child);
    ASSERT_THAT(exit, AnyOf(0, 128 + SIGKILL)) << "batch " << k;

    // It opens, it is whole, and every batch is all there or not there.
    {
      absl::StatusOr<Store> store = Store::Open(path);
      ASSERT_TRUE(store.ok())
          << "after killing batch " << k << ": " << store.status();
      const absl::Status integrity = store->CheckIntegrity();
      ASSERT_TRUE(integrity.ok()) << "batch " << k << ": " << integrity;
    }
    for (int j = 0; j <= k; ++j) {
      const auto [cases, interactions] = Held(path, j);
      const bool whole = cases == kCases && interactions == kInteractions;
      const bool none = cases == 0 && interactions == 0;
      ASSERT_TRUE(whole || none)
          << "batch " << j << " after killing batch " << k << ": " << cases
          << " cases, " << interactions << " interactions";
      if (j < k) {
        const bool was_committed = std::any_of(
            committed.begin(), committed.end(),
            [&](const Batch& b) { return b.cases == batches[j].cases; });
        ASSERT_EQ(whole, was_committed) << "batch " << j;
      }
    }
    const bool landed = Held(path, k).first == kCases;
    // The import's own record commits with it.
    EXPECT_EQ(Scalar(path, absl::StrCat("SELECT count(*) FROM imports WHERE "
                                        "cases_file = '",
                                        batches[k].cases, "'")),
              landed ? 1 : 0);
    if (landed) {
      ++present;
      committed.push_back(batches[k]);
      before = ReportJson(path);
    } else {
      ++absent;
      // Killed mid-way: the store reports exactly what it did before.
      EXPECT_EQ(ReportJson(path), before) << "batch " << k;
    }
  }
  // Then an import that completes: the report is the union's.
  ASSERT_EQ(Wait(Spawn([&] { return ImportBatch(path, batches.back()); })), 0);
  committed.push_back(batches.back());
  EXPECT_EQ(ReportJson(path), CsvReportJson(committed));
  std::printf("killed %d imports: %d were committed, %d left nothing\n", kKills,
              present, absent);
  EXPECT_GT(absent, 0) << "no kill landed before a commit";
}

// --- Readers and a writer
// ------------------------------------------------------

TEST(StoreReliabilityTest, ReadersReportWhileAWriterImports) {
  const std::string path = TempPath("readers.db");
  const std::string dir = path + "-batches";
  std::filesystem::create_directories(dir);
  std::vector<Batch> batches;
  for (int k = 0; k < 6; ++k) batches.push_back(WriteBatch(dir, k, 100, 3000));
  ASSERT_TRUE(ImportBatch(path, batches[0]).ok());
  const pid_t writer = Spawn([&]() -> absl::Status {
    for (int k = 1; k < 6; ++k) {
      TELLUS_RETURN_IF_ERROR(ImportBatch(path, batches[k]));
    }
    return absl::OkStatus();
  });
  // Every read sees whole batches: 3000 interactions a batch.
  absl::StatusOr<Store> reader = Store::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  v1::ReportSettings request;
  request.set_period("2023/24");
  request.set_as_of("2024-06-30");
  int reads = 0;
  int status = -1;
  while (true) {
    absl::StatusOr<Dataset> data = reader->LoadDataset();
    ASSERT_TRUE(data.ok()) << data.status();
    EXPECT_EQ(data->interactions().size() % 3000, 0u);
    EXPECT_EQ(data->cases().size() % 100, 0u);
    EXPECT_EQ(data->cases().size() / 100, data->interactions().size() / 3000);
    ASSERT_TRUE(BuildReport(*data, request, 1).ok());
    ++reads;
    if (waitpid(writer, &status, WNOHANG) == writer) break;
  }
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  absl::StatusOr<Dataset> all = reader->LoadDataset();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->interactions().size(), 6u * 3000);
  EXPECT_GT(reads, 1);
  EXPECT_TRUE(reader->CheckIntegrity().ok());
}

// --- Damaged files
// -------------------------------------------------------------

// Opens, checks, reads and loads a damaged store: whatever the damage,
// nothing crashes. Returns the first failure (a case the damage took away
// is not one).
absl::Status Exercise(const std::string& path) {
  absl::StatusOr<Store> store = Store::Open(path);
  if (!store.ok()) return store.status();
  const absl::Status check = store->CheckIntegrity();
  absl::StatusOr<Dataset> data = store->LoadDataset();
  absl::StatusOr<v1::Case> c = store->GetCase("B0-C00001");
  absl::StatusOr<StoredCase> stored = store->GetStoredCase("B0-C00010");
  if (!check.ok()) return check;
  if (!data.ok()) return data.status();
  if (!c.ok() && !absl::IsNotFound(c.status())) return c.status();
  if (!stored.ok() && !absl::IsNotFound(stored.status())) {
    return stored.status();
  }
  return absl::OkStatus();
}

void Damage(const std::string& path, int64_t offset, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(pwrite(fd, bytes.data(), bytes.size(), offset),
            static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

TEST(StoreReliabilityTest, ADamagedFileGivesAClearErrorNotACrash) {
  const std::string dir = TempPath("damaged");
  std::filesystem::create_directories(dir);
  const Batch batch = WriteBatch(dir, 0, 300, 6000);
  const std::string good = dir + "/good.db";
  ASSERT_TRUE(ImportBatch(good, batch).ok());  // closed: WAL checkpointed
  const int64_t size = std::filesystem::file_size(good);
  ASSERT_GT(size, 100000);

  auto copy = [&](const std::string& name) {
    const std::string path = dir + "/" + name;
    std::filesystem::copy_file(
        good, path, std::filesystem::copy_options::overwrite_existing);
    return path;
  };
  auto expect_clear = [](const absl::Status& status, const std::string& what) {
    EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss)
        << what << ": " << status;
    EXPECT_THAT(status.message(), HasSubstr("the store is damaged")) << what;
    EXPECT_THAT(status.message(), HasSubstr("restore it from a backup"))
        << what;
  };

  // Cut in half.
  const std::string truncated = copy("truncated.db");
  std::filesystem::resize_file(truncated, size / 2);
  expect_clear(Exercise(truncated), "truncated");

  // Garbage over the header.
  const std::string header = copy("header.db");
  Damage(header, 0, std::string(100, '\x5a'));
  expect_clear(Exercise(header), "header");

  // Garbage in the middle, and at random places.
  const std::string middle = copy("middle.db");
  Damage(middle, size / 2, std::string(8192, '\xab'));
  expect_clear(Exercise(middle), "middle");

  std::mt19937 rng(20240630);
  int clear_errors = 0;
  for (int n = 0; n < 20; ++n) {
    const std::string random = copy("random.db");
    std::uniform_int_distribution<int64_t> at(100, size - 600);
    std::string junk(512, '\0');
    for (char& ch : junk) ch = static_cast<char>(rng());
    Damage(random, at(rng), junk);
    // Damage may fall in free space; whatever happens, nothing crashes and
    // any error is a clear one.
    const absl::Status status = Exercise(random);
    if (!status.ok()) {
      expect_clear(status, absl::StrCat("random damage ", n));
      ++clear_errors;
    }
  }
  EXPECT_GT(clear_errors, 0);

  // An empty file is an empty database: it becomes a new store.
  const std::string empty = dir + "/empty.db";
  std::ofstream(empty).close();
  EXPECT_TRUE(Store::Open(empty).ok());
}

// --- Two writers
// ---------------------------------------------------------------

TEST(StoreReliabilityTest, ASecondWriterWaitsOrFailsClearly) {
  const std::string path = TempPath("writers.db");
  const std::string dir = path + "-batches";
  std::filesystem::create_directories(dir);
  const Batch base = WriteBatch(dir, 0, 50, 500);
  const Batch more = WriteBatch(dir, 1, 50, 500);
  ASSERT_TRUE(ImportBatch(path, base).ok());

  // Another process holds the write lock for a second and a half.
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t holder = Spawn([&]() -> absl::Status {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_exec(db,
                 "INSERT INTO audit(at, action, detail) VALUES(0, 'test', "
                 "'holding the write lock')",
                 nullptr, nullptr, nullptr);
    const char byte = 1;
    if (write(ready[1], &byte, 1) != 1) return absl::InternalError("pipe");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    return absl::OkStatus();
  });
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);

  StoreOptions impatient;
  impatient.busy_timeout = absl::Milliseconds(200);
  absl::StatusOr<Store> store = Store::Open(path, impatient);
  ASSERT_TRUE(store.ok()) << store.status();  // readers never wait
  v1::Event lesson;
  *lesson.mutable_when()->mutable_date() = ToProto(absl::CivilDay(2023, 8, 1));
  lesson.mutable_lesson_learnt();
  absl::Status busy = store->AppendEvent("B0-C00001", lesson);
  EXPECT_EQ(busy.code(), absl::StatusCode::kAborted);
  EXPECT_THAT(busy.message(), HasSubstr("the database is busy"));
  absl::StatusOr<StoreImportSummary> import =
      store->ImportCsv(more.cases, more.interactions);
  EXPECT_EQ(import.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(import.status().message(), HasSubstr("the database is busy"));
  EXPECT_EQ(Held(path, 1), std::make_pair(int64_t{0}, int64_t{0}));

  // A patient writer waits for the lock and then writes.
  absl::StatusOr<Store> patient = Store::Open(path);
  ASSERT_TRUE(patient.ok());
  EXPECT_TRUE(patient->AppendEvent("B0-C00001", lesson).ok());
  EXPECT_EQ(Wait(holder), 0);
  EXPECT_TRUE(patient->CheckIntegrity().ok());
}

TEST(StoreReliabilityTest, TwoImportingProcessesTakeTurns) {
  const std::string path = TempPath("two-imports.db");
  const std::string dir = path + "-batches";
  std::filesystem::create_directories(dir);
  std::vector<Batch> batches;
  for (int k = 0; k < 5; ++k) batches.push_back(WriteBatch(dir, k, 80, 2500));
  ASSERT_TRUE(ImportBatch(path, batches[0]).ok());
  const pid_t a = Spawn([&]() -> absl::Status {
    TELLUS_RETURN_IF_ERROR(ImportBatch(path, batches[1]));
    return ImportBatch(path, batches[3]);
  });
  const pid_t b = Spawn([&]() -> absl::Status {
    TELLUS_RETURN_IF_ERROR(ImportBatch(path, batches[2]));
    return ImportBatch(path, batches[4]);
  });
  EXPECT_EQ(Wait(a), 0);
  EXPECT_EQ(Wait(b), 0);
  for (int k = 0; k < 5; ++k) {
    EXPECT_EQ(Held(path, k), std::make_pair(int64_t{80}, int64_t{2500}))
        << "batch " << k;
  }
  EXPECT_EQ(Scalar(path, "SELECT count(*) FROM imports"), 5);
  absl::StatusOr<Store> store = Store::Open(path);
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE(store->CheckIntegrity().ok());
  EXPECT_EQ(ReportJson(path), CsvReportJson(batches));
}

}  // namespace
}  // namespace tellus
