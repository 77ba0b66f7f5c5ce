// Test helpers for the store's tests: fresh paths, opening, and SQL run on
// the file behind the store's back.
#ifndef TELLUS_TESTS_STORE_TESTING_H_
#define TELLUS_TESTS_STORE_TESTING_H_

#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "tellus/store.h"

namespace tellus {

// A path in the test's temporary folder, with any earlier file (and its
// WAL) removed.
inline std::string TempPath(const std::string& name) {
  const std::string path = ::testing::TempDir() + "tellus-store-" + name;
  std::filesystem::remove_all(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  return path;
}

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline Store OpenOrDie(const std::string& path, StoreOptions options = {}) {
  absl::StatusOr<Store> store = Store::Open(path, options);
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) std::abort();
  return *std::move(store);
}

// The first column of the first row of `sql`, run read-only on the file
// (waiting for a writer's lock, as readers beside an import must).
inline int64_t Scalar(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_busy_timeout(db, 10000);
  sqlite3_stmt* stmt = nullptr;
  int64_t out = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    out = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

// Runs SQL on the file directly; returns SQLite's message, "" on success.
inline std::string ExecRaw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  char* error = nullptr;
  std::string message;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    message = error ? error : "error";
  }
  sqlite3_free(error);
  sqlite3_close(db);
  return message;
}

}  // namespace tellus

#endif  // TELLUS_TESTS_STORE_TESTING_H_
