#include "tellus/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <type_traits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "google/protobuf/wire_format_lite.h"
#include "sha256.h"
#include "tellus/learning_rules.h"
#include "tellus/restriction.h"
#include "tellus/restriction_check.h"
#include "tellus/status_macros.h"

namespace tellus {

namespace pb = google::protobuf;
using sha256_internal::Digest;
using sha256_internal::Sha256Of;
using sha256_internal::ToHex;

// --- The schema --------------------------------------------------------------

namespace {

// "TLUS": PRAGMA application_id marks the file as a tellus store.
constexpr int32_t kApplicationId = 0x544c5553;

// Version 1: the case register. Times are unix microseconds (UTC); days are
// London civil days since 1970-01-01 (dates.h). Blobs are deterministic
// protobuf serializations.
constexpr const char kSchemaV1[] = R"sql(
CREATE TABLE imports(
  id INTEGER PRIMARY KEY,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,             -- NULL only inside the import's transaction
  source TEXT NOT NULL,            -- 'csv' or 'protobuf'
  cases_file TEXT NOT NULL,        -- the names as given
  cases_sha256 TEXT NOT NULL,
  interactions_file TEXT NOT NULL,
  interactions_sha256 TEXT NOT NULL,
  cases_read INTEGER NOT NULL DEFAULT 0,
  cases_rejected INTEGER NOT NULL DEFAULT 0,
  cases_added INTEGER NOT NULL DEFAULT 0,
  cases_present INTEGER NOT NULL DEFAULT 0,
  cases_extended INTEGER NOT NULL DEFAULT 0,
  cases_conflicting INTEGER NOT NULL DEFAULT 0,
  events_appended INTEGER NOT NULL DEFAULT 0,
  interactions_read INTEGER NOT NULL DEFAULT 0,
  interactions_rejected INTEGER NOT NULL DEFAULT 0,
  interactions_added INTEGER NOT NULL DEFAULT 0,
  interactions_present INTEGER NOT NULL DEFAULT 0,
  interactions_conflicting INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX imports_by_content ON imports(cases_sha256, interactions_sha256);

-- The (directorate, service) pairs interactions name, so that a row holds a
-- small number instead of two strings.
CREATE TABLE cells(
  id INTEGER PRIMARY KEY,
  directorate TEXT NOT NULL,
  service TEXT NOT NULL,
  UNIQUE(directorate, service)
);

-- A case's header: the tellus.v1.Case without its events, written once.
CREATE TABLE cases(
  ref TEXT PRIMARY KEY,
  type INTEGER NOT NULL,
  directorate TEXT NOT NULL,
  received_day INTEGER NOT NULL,
  customer TEXT,                   -- NULL when not known or anonymised
  header BLOB NOT NULL,
  import_id INTEGER REFERENCES imports(id),  -- NULL when added directly
  recorded_at INTEGER NOT NULL,
  anonymised_at INTEGER
) WITHOUT ROWID;
CREATE INDEX cases_by_directorate ON cases(directorate, received_day);
CREATE INDEX cases_by_type ON cases(type, received_day);
CREATE INDEX cases_by_customer ON cases(customer) WHERE customer IS NOT NULL;

-- The append-only event log: tellus.v1.Event messages in the order
-- recorded. sha256 is the event's idempotency key within its case.
CREATE TABLE events(
  case_ref TEXT NOT NULL REFERENCES cases(ref),
  seq INTEGER NOT NULL,
  event BLOB NOT NULL,
  sha256 BLOB NOT NULL,
  import_id INTEGER REFERENCES imports(id),
  recorded_at INTEGER NOT NULL,
  PRIMARY KEY(case_ref, seq)
) WITHOUT ROWID;

-- Interactions: what the report reads as columns (first, so a scan stops
-- early in each row), then the rest of the tellus.v1.Interaction. A year
-- holds millions, so each field is held once: `message` is the message
-- less the fields in columns, and less its source when that is the import's
-- own file (then `line` holds the source line).
CREATE TABLE interactions(
  id TEXT PRIMARY KEY,
  day INTEGER NOT NULL,            -- London date of `at`
  cell INTEGER NOT NULL,           -- directorate and service
  kind INTEGER NOT NULL,
  case_ref TEXT,                   -- NULL when none
  customer TEXT,                   -- NULL when not known or anonymised
  line INTEGER,
  message BLOB NOT NULL,
  import_id INTEGER,
  recorded_at INTEGER NOT NULL,
  anonymised_at INTEGER
) WITHOUT ROWID;
CREATE INDEX interactions_by_case ON interactions(case_ref)
  WHERE case_ref IS NOT NULL;

CREATE TABLE audit(
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  action TEXT NOT NULL,
  case_ref TEXT,
  detail TEXT NOT NULL
);

-- Holds a row only inside a retention transaction: the one time personal
-- fields may be blanked in place.
CREATE TABLE retention_active(run INTEGER NOT NULL);

-- Nothing is updated in place and nothing is deleted.
CREATE TRIGGER imports_final BEFORE UPDATE ON imports
  WHEN OLD.finished_at IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'a finished import is never changed'); END;
CREATE TRIGGER imports_kept BEFORE DELETE ON imports
  BEGIN SELECT RAISE(ABORT, 'imports are never deleted'); END;
CREATE TRIGGER cells_fixed BEFORE UPDATE ON cells
  BEGIN SELECT RAISE(ABORT, 'cells are never changed'); END;
CREATE TRIGGER cells_kept BEFORE DELETE ON cells
  BEGIN SELECT RAISE(ABORT, 'cells are never deleted'); END;
CREATE TRIGGER cases_kept BEFORE DELETE ON cases
  BEGIN SELECT RAISE(ABORT, 'cases are never deleted'); END;
CREATE TRIGGER cases_keys_fixed
  BEFORE UPDATE OF ref, type, directorate, received_day, import_id,
                   recorded_at ON cases
  BEGIN SELECT RAISE(ABORT, 'a case is never changed in place: a correction is a new event'); END;
CREATE TRIGGER cases_fixed BEFORE UPDATE ON cases
  WHEN NOT EXISTS (SELECT 1 FROM retention_active)
  BEGIN SELECT RAISE(ABORT, 'a case is never changed in place: a correction is a new event'); END;
CREATE TRIGGER events_kept BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only: they are never deleted'); END;
CREATE TRIGGER events_keys_fixed
  BEFORE UPDATE OF case_ref, seq, sha256, import_id, recorded_at ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only: a correction is a new event'); END;
CREATE TRIGGER events_fixed BEFORE UPDATE ON events
  WHEN NOT EXISTS (SELECT 1 FROM retention_active)
  BEGIN SELECT RAISE(ABORT, 'events are append-only: a correction is a new event'); END;
CREATE TRIGGER interactions_kept BEFORE DELETE ON interactions
  BEGIN SELECT RAISE(ABORT, 'interactions are never deleted'); END;
CREATE TRIGGER interactions_keys_fixed
  BEFORE UPDATE OF id, day, cell, kind, case_ref, line, import_id,
                   recorded_at ON interactions
  BEGIN SELECT RAISE(ABORT, 'an interaction is never changed in place'); END;
CREATE TRIGGER interactions_fixed BEFORE UPDATE ON interactions
  WHEN NOT EXISTS (SELECT 1 FROM retention_active)
  BEGIN SELECT RAISE(ABORT, 'an interaction is never changed in place'); END;
CREATE TRIGGER audit_fixed BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit table is never changed'); END;
CREATE TRIGGER audit_kept BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit table is never changed'); END;
)sql";

// Version 2: contact restrictions and question sets. A restriction is an
// append-only history of versions (a review or an end date is a new
// version; the latest is in force), keyed by the SHA-256 of its content so
// that the same content again adds nothing. A question set's (id, version)
// is written once.
constexpr const char kSchemaV2[] = R"sql(
CREATE TABLE restrictions(
  id TEXT NOT NULL,
  version INTEGER NOT NULL,        -- 1, 2, ... in the order recorded
  customer TEXT,                   -- NULL when anonymised
  record BLOB NOT NULL,            -- tellus.v1.Restriction, without source
  sha256 BLOB NOT NULL,            -- of the record as first written
  import_id INTEGER REFERENCES imports(id),  -- NULL when added directly
  recorded_at INTEGER NOT NULL,
  anonymised_at INTEGER,
  PRIMARY KEY(id, version)
) WITHOUT ROWID;
CREATE INDEX restrictions_by_customer ON restrictions(customer)
  WHERE customer IS NOT NULL;

CREATE TABLE question_sets(
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  record BLOB NOT NULL,            -- tellus.v1.QuestionSet
  recorded_at INTEGER NOT NULL,
  PRIMARY KEY(id, version)
) WITHOUT ROWID;

CREATE TRIGGER restrictions_kept BEFORE DELETE ON restrictions
  BEGIN SELECT RAISE(ABORT, 'restrictions are never deleted'); END;
CREATE TRIGGER restrictions_keys_fixed
  BEFORE UPDATE OF id, version, sha256, import_id, recorded_at ON restrictions
  BEGIN SELECT RAISE(ABORT, 'a restriction is never changed in place: a change is a new version'); END;
CREATE TRIGGER restrictions_fixed BEFORE UPDATE ON restrictions
  WHEN NOT EXISTS (SELECT 1 FROM retention_active)
  BEGIN SELECT RAISE(ABORT, 'a restriction is never changed in place: a change is a new version'); END;
CREATE TRIGGER question_sets_fixed BEFORE UPDATE ON question_sets
  BEGIN SELECT RAISE(ABORT, 'a question set version is never changed: give the revision the next version'); END;
CREATE TRIGGER question_sets_kept BEFORE DELETE ON question_sets
  BEGIN SELECT RAISE(ABORT, 'question sets are never deleted'); END;
)sql";

struct Migration {
  int version;
  const char* description;
  const char* sql;
};

// Each migration takes the schema from version - 1 to version, in one
// transaction. Append only: a released migration is never edited.
constexpr Migration kMigrations[] = {
    {1, "schema version 1: cases, event log, interactions, imports, audit",
     kSchemaV1},
    {2, "schema version 2: contact restrictions (versioned), question sets",
     kSchemaV2},
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) ==
              kStoreSchemaVersion);

// Room for a year's import in memory during a bulk import (in KiB, as
// PRAGMA cache_size takes a negative number).
constexpr int kBulkCacheKib = 256 * 1024;
constexpr int kDefaultCacheKib = 2000;

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }
absl::Time FromMicros(int64_t us) { return absl::FromUnixMicros(us); }

absl::string_view ColumnText(sqlite3_stmt* s, int col) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
  return p ? absl::string_view(p, sqlite3_column_bytes(s, col))
           : absl::string_view();
}

absl::string_view ColumnBlob(sqlite3_stmt* s, int col) {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(s, col));
  return p ? absl::string_view(p, sqlite3_column_bytes(s, col))
           : absl::string_view();
}

// A deterministic serialization: the same message always gives the same
// bytes, which the event keys and the content comparisons rely on.
std::string Serialize(const pb::MessageLite& m) {
  std::string out;
  const size_t size = m.ByteSizeLong();
  out.resize(size);
  pb::io::ArrayOutputStream array(out.data(), static_cast<int>(size));
  pb::io::CodedOutputStream coded(&array);
  coded.SetSerializationDeterministic(true);
  m.SerializeWithCachedSizes(&coded);
  return out;
}

std::string FormatUtc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", t, absl::UTCTimeZone());
}

}  // namespace

// --- SQLite plumbing ---------------------------------------------------------

struct store_internal::Connection {
  sqlite3* db = nullptr;
  std::string path;
  StoreOptions options;
  // Prepared statements, kept for the connection's life.
  absl::flat_hash_map<std::string, sqlite3_stmt*> statements;

  ~Connection() {
    for (auto& [sql, stmt] : statements) sqlite3_finalize(stmt);
    if (db != nullptr) sqlite3_close_v2(db);
  }

  int64_t NowMicros() const {
    return Micros(options.clock ? options.clock() : absl::Now());
  }

  // A status an officer can act on for an SQLite result code.
  absl::Status Error(int rc, absl::string_view doing) const {
    const std::string sqlite_message =
        db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    const std::string where = absl::StrCat(path, ": ");
    switch (rc & 0xff) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return absl::AbortedError(absl::StrCat(
            where, "the database is busy: another process is writing to it ",
            "(waited ", absl::FormatDuration(options.busy_timeout), " while ",
            doing, "); try again when it has finished"));
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        return absl::DataLossError(absl::StrCat(
            where, "the store is damaged or is not a tellus store (SQLite: ",
            sqlite_message, ", while ", doing,
            "); restore it from a backup (`tellus store check --store ", path,
            "` shows what is wrong)"));
      case SQLITE_FULL:
        return absl::ResourceExhaustedError(
            absl::StrCat(where, "the disk is full (while ", doing,
                         "); nothing of this change was written"));
      case SQLITE_READONLY:
      case SQLITE_PERM:
      case SQLITE_AUTH:
        return absl::PermissionDeniedError(absl::StrCat(
            where, "cannot write the store (SQLite: ", sqlite_message,
            ", while ", doing, ")"));
      case SQLITE_CANTOPEN:
        return absl::NotFoundError(absl::StrCat(
            where, "cannot open the store (SQLite: ", sqlite_message, ")"));
      case SQLITE_IOERR:
        return absl::UnavailableError(absl::StrCat(
            where, "an input/output error (SQLite: ", sqlite_message,
            ", while ", doing, "); nothing of this change was written"));
      case SQLITE_CONSTRAINT:
        return absl::FailedPreconditionError(
            absl::StrCat(where, sqlite_message, " (while ", doing, ")"));
      default:
        return absl::InternalError(absl::StrCat(
            where, "SQLite: ", sqlite_message, " (while ", doing, ")"));
    }
  }

  absl::Status Exec(const std::string& sql, absl::string_view doing) {
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    return rc == SQLITE_OK ? absl::OkStatus() : Error(rc, doing);
  }

  absl::StatusOr<sqlite3_stmt*> Prepare(const std::string& sql) {
    auto it = statements.find(sql);
    if (it != statements.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return Error(rc, "preparing a query");
    statements.emplace(sql, stmt);
    return stmt;
  }
};

namespace {

using Impl = store_internal::Connection;

// What a store whose contents are not what tellus wrote says.
absl::Status Damaged(const Impl& impl, absl::string_view what) {
  return absl::DataLossError(
      absl::StrCat(impl.path, ": the store is damaged: ", what,
                   "; restore it from a backup (`tellus store check --store ",
                   impl.path, "` lists the problems)"));
}

// One use of a prepared statement. Bound strings must outlive the Query;
// the statement is reset on destruction, so that no read transaction stays
// open behind it.
class Query {
 public:
  Query(Impl& impl, sqlite3_stmt* stmt) : impl_(impl), stmt_(stmt) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  Query& Int(int i, int64_t v) {
    return Check(sqlite3_bind_int64(stmt_, i, v));
  }
  Query& Text(int i, absl::string_view v) {
    return Check(sqlite3_bind_text(stmt_, i, v.data(),
                                   static_cast<int>(v.size()), SQLITE_STATIC));
  }
  // NULL for an empty string.
  Query& TextOrNull(int i, absl::string_view v) {
    return v.empty() ? Null(i) : Text(i, v);
  }
  Query& Blob(int i, absl::string_view v) {
    return Check(sqlite3_bind_blob(stmt_, i, v.data(),
                                   static_cast<int>(v.size()), SQLITE_STATIC));
  }
  Query& Null(int i) { return Check(sqlite3_bind_null(stmt_, i)); }
  Query& IntOrNull(int i, int64_t v) { return v == 0 ? Null(i) : Int(i, v); }

  // True when a row is ready.
  absl::StatusOr<bool> Step(absl::string_view doing) {
    if (bind_rc_ != SQLITE_OK) return impl_.Error(bind_rc_, doing);
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return impl_.Error(rc, doing);
  }
  // Runs a statement that returns no rows.
  absl::Status Run(absl::string_view doing) {
    TELLUS_ASSIGN_OR_RETURN(bool row, Step(doing));
    (void)row;
    return absl::OkStatus();
  }

  int64_t ColumnInt(int c) const { return sqlite3_column_int64(stmt_, c); }
  bool IsNull(int c) const {
    return sqlite3_column_type(stmt_, c) == SQLITE_NULL;
  }
  absl::string_view ColumnText(int c) const {
    return tellus::ColumnText(stmt_, c);
  }
  absl::string_view ColumnBlob(int c) const {
    return tellus::ColumnBlob(stmt_, c);
  }

 private:
  Query& Check(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
    return *this;
  }

  Impl& impl_;
  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;
};

// A statement prepared for one use (SQL built at run time).
class OneOffStatement {
 public:
  static absl::StatusOr<OneOffStatement> Prepare(Impl& impl,
                                                 const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(
        impl.db, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) return impl.Error(rc, "preparing a query");
    return OneOffStatement(stmt);
  }
  OneOffStatement(OneOffStatement&& o) noexcept
      : stmt_(std::exchange(o.stmt_, nullptr)) {}
  OneOffStatement& operator=(OneOffStatement&&) = delete;
  ~OneOffStatement() { sqlite3_finalize(stmt_); }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  explicit OneOffStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  sqlite3_stmt* stmt_;
};

// BEGIN ... COMMIT; rolls back unless committed. A write transaction takes
// the write lock at once (BEGIN IMMEDIATE), so that two writers queue on the
// busy timeout instead of failing when a reader upgrades.
class Transaction {
 public:
  static absl::StatusOr<Transaction> Begin(Impl& impl, bool write,
                                           absl::string_view doing) {
    TELLUS_RETURN_IF_ERROR(
        impl.Exec(write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED", doing));
    return Transaction(&impl);
  }
  Transaction(Transaction&& o) noexcept
      : impl_(std::exchange(o.impl_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction() { Rollback(); }

  absl::Status Commit(absl::string_view doing) {
    if (impl_ == nullptr) return absl::InternalError("no transaction");
    absl::Status status = impl_->Exec("COMMIT", doing);
    if (!status.ok()) {
      Rollback();
      return status;
    }
    impl_ = nullptr;
    return absl::OkStatus();
  }
  void Rollback() {
    if (impl_ == nullptr) return;
    // Fails harmlessly when SQLite has already rolled back (a full disk).
    sqlite3_exec(impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
    impl_ = nullptr;
  }

 private:
  explicit Transaction(Impl* impl) : impl_(impl) {}
  Impl* impl_;
};

absl::StatusOr<int64_t> QueryInt(Impl& impl, const std::string& sql,
                                 absl::string_view doing) {
  TELLUS_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, impl.Prepare(sql));
  Query q(impl, stmt);
  TELLUS_ASSIGN_OR_RETURN(bool row, q.Step(doing));
  return row ? q.ColumnInt(0) : 0;
}

absl::Status Audit(Impl& impl, int64_t at, absl::string_view action,
                   absl::string_view case_ref, absl::string_view detail) {
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * stmt,
      impl.Prepare("INSERT INTO audit(at, action, case_ref, detail) "
                   "VALUES(?, ?, ?, ?)"));
  Query q(impl, stmt);
  q.Int(1, at).Text(2, action).TextOrNull(3, case_ref).Text(4, detail);
  return q.Run("writing the audit table");
}

// --- Opening and migrating ---------------------------------------------------

absl::Status Migrate(Impl& impl) {
  TELLUS_ASSIGN_OR_RETURN(
      int64_t version,
      QueryInt(impl, "PRAGMA user_version", "reading the schema version"));
  if (version >= kStoreSchemaVersion) return absl::OkStatus();
  TELLUS_ASSIGN_OR_RETURN(
      Transaction tx,
      Transaction::Begin(impl, /*write=*/true, "upgrading the schema"));
  // Another process may have migrated while this one waited for the lock.
  TELLUS_ASSIGN_OR_RETURN(version, QueryInt(impl, "PRAGMA user_version",
                                            "reading the schema version"));
  for (const Migration& m : kMigrations) {
    if (m.version <= version) continue;
    TELLUS_RETURN_IF_ERROR(impl.Exec(
        m.sql, absl::StrCat("upgrading the schema to version ", m.version)));
    TELLUS_RETURN_IF_ERROR(
        impl.Exec(absl::StrCat("PRAGMA user_version = ", m.version),
                  "setting the schema version"));
    TELLUS_RETURN_IF_ERROR(
        Audit(impl, impl.NowMicros(), "schema", "", m.description));
  }
  TELLUS_RETURN_IF_ERROR(
      impl.Exec(absl::StrCat("PRAGMA application_id = ", kApplicationId),
                "marking the file as a tellus store"));
  return tx.Commit("upgrading the schema");
}

absl::Status Configure(Impl& impl) {
  sqlite3_extended_result_codes(impl.db, 1);
  sqlite3_busy_timeout(
      impl.db, static_cast<int>(absl::ToInt64Milliseconds(
                   std::max(impl.options.busy_timeout, absl::ZeroDuration()))));
  // Reading the header first: garbage gives "file is not a database" here.
  TELLUS_ASSIGN_OR_RETURN(
      int64_t application_id,
      QueryInt(impl, "PRAGMA application_id", "reading the file header"));
  TELLUS_ASSIGN_OR_RETURN(
      int64_t version,
      QueryInt(impl, "PRAGMA user_version", "reading the schema version"));
  TELLUS_ASSIGN_OR_RETURN(int64_t objects,
                          QueryInt(impl, "SELECT count(*) FROM sqlite_schema",
                                   "reading the schema"));
  if (application_id != kApplicationId &&
      !(application_id == 0 && version == 0 && objects == 0)) {
    return absl::FailedPreconditionError(absl::StrCat(
        impl.path,
        ": is an SQLite database but not a tellus store; give the path of a "
        "store, or a new file name to create one"));
  }
  if (version > kStoreSchemaVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat(impl.path, ": the store has schema version ", version,
                     ", newer than this tellus understands (up to ",
                     kStoreSchemaVersion, "); use a newer tellus"));
  }
  TELLUS_ASSIGN_OR_RETURN(sqlite3_stmt * wal,
                          impl.Prepare("PRAGMA journal_mode = WAL"));
  {
    Query q(impl, wal);
    TELLUS_ASSIGN_OR_RETURN(bool row, q.Step("switching to WAL"));
    if (!row || q.ColumnText(0) != "wal") {
      return absl::FailedPreconditionError(absl::StrCat(
          impl.path, ": cannot use a write-ahead log here (journal mode ",
          row ? q.ColumnText(0) : "unknown",
          "); put the store on a local file system"));
    }
  }
  TELLUS_RETURN_IF_ERROR(impl.Exec(impl.options.full_sync
                                       ? "PRAGMA synchronous = FULL"
                                       : "PRAGMA synchronous = NORMAL",
                                   "setting the sync mode"));
  TELLUS_RETURN_IF_ERROR(
      impl.Exec("PRAGMA foreign_keys = ON", "enabling foreign keys"));
  return Migrate(impl);
}

// --- Records -----------------------------------------------------------------

v1::Case HeaderOf(const v1::Case& c) {
  v1::Case header = c;
  header.clear_events();
  return header;
}

// Blanks what retention removes: the customer, the staff member a
// compliment names, and the values of unknown columns (free text tellus
// cannot vouch for). Returns how many fields held something.
int AnonymiseHeader(v1::Case& c) {
  int cleared = 0;
  if (!c.customer().empty()) ++cleared, c.clear_customer();
  if (!c.staff().empty()) ++cleared, c.clear_staff();
  for (v1::Attribute& a : *c.mutable_attributes()) {
    if (!a.value().empty()) ++cleared, a.clear_value();
  }
  return cleared;
}

int AnonymiseInteraction(v1::Interaction& i) {
  int cleared = 0;
  if (!i.customer().empty()) ++cleared, i.clear_customer();
  for (v1::Attribute& a : *i.mutable_attributes()) {
    if (!a.value().empty()) ++cleared, a.clear_value();
  }
  return cleared;
}

// A Lessons Learnt theme is free text.
int AnonymiseEvent(v1::Event& e) {
  if (e.has_lesson_learnt() && !e.lesson_learnt().theme().empty()) {
    e.mutable_lesson_learnt()->clear_theme();
    return 1;
  }
  return 0;
}

// How a held record and an incoming one differ, for a person; empty when
// they are the same. The source (where each was read) is ignored, and so
// are personal fields when the held record was anonymised.
std::string Difference(const pb::Message& held, const pb::Message& incoming,
                       bool anonymised) {
  pb::util::MessageDifferencer differ;
  const pb::Descriptor* d = held.GetDescriptor();
  for (const char* name : {"source", "events"}) {
    if (const pb::FieldDescriptor* f = d->FindFieldByName(name)) {
      differ.IgnoreField(f);
    }
  }
  std::unique_ptr<pb::Message> a(held.New()), b(incoming.New());
  a->CopyFrom(held);
  b->CopyFrom(incoming);
  if (anonymised) {
    if (auto* c = dynamic_cast<v1::Case*>(b.get())) AnonymiseHeader(*c);
    if (auto* i = dynamic_cast<v1::Interaction*>(b.get())) {
      AnonymiseInteraction(*i);
    }
  }
  std::string report;
  differ.ReportDifferencesToString(&report);
  if (differ.Compare(*a, *b)) return "";
  std::vector<std::string> lines;
  for (absl::string_view line :
       absl::StrSplit(report, '\n', absl::SkipEmpty())) {
    if (absl::StartsWith(line, "ignored: ")) continue;
    absl::ConsumePrefix(&line, "modified: ");
    lines.emplace_back(line);
    if (lines.size() == 3) break;
  }
  return absl::StrJoin(lines, "; ");
}

absl::Status ValidateInteraction(const v1::Interaction& i, EventTime& at) {
  if (i.id().empty()) {
    return absl::InvalidArgumentError("interaction without an id");
  }
  const std::string where = absl::StrCat("interaction ", i.id(), ": ");
  if (!i.has_at()) {
    return absl::InvalidArgumentError(absl::StrCat(where, "has no time"));
  }
  auto parsed = FromProto(i.at());
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, parsed.status().message()));
  }
  if (i.kind() <= v1::INTERACTION_KIND_UNSPECIFIED ||
      i.kind() > v1::INTERACTION_KIND_FOLLOW_UP) {
    return absl::InvalidArgumentError(
        absl::StrCat(where,
                     "has no kind (expected contact, enquiry, "
                     "complaint, compliment or follow_up)"));
  }
  at = *parsed;
  return absl::OkStatus();
}

// Fills `out` with the interaction less the fields the interactions table
// holds in columns (id, directorate, service, kind, case_ref, customer), and
// less its source when that names `import_file`: then the source line is
// returned, for the `line` column. Copying the whole message first keeps
// every field a later schema adds.
std::optional<int64_t> Residual(const v1::Interaction& i,
                                absl::string_view import_file,
                                v1::Interaction& out) {
  out.CopyFrom(i);
  out.clear_id();
  out.clear_directorate();
  out.clear_service();
  out.clear_kind();
  out.clear_case_ref();
  out.clear_customer();
  if (!import_file.empty() && i.has_source() &&
      i.source().file() == import_file) {
    v1::Source bare = i.source();
    bare.clear_file();
    bare.clear_line();
    if (bare.ByteSizeLong() == 0) {
      out.clear_source();
      return i.source().line();
    }
  }
  return std::nullopt;
}

bool HasUnknownFields(const pb::Message& m) {
  return !m.GetReflection()->GetUnknownFields(m).empty();
}

void WriteField(int number, const pb::MessageLite& m,
                pb::io::CodedOutputStream& out) {
  out.WriteTag(pb::internal::WireFormatLite::MakeTag(
      number, pb::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
  out.WriteVarint32(static_cast<uint32_t>(m.ByteSizeLong()));
  m.SerializeWithCachedSizes(&out);
}

// Residual's bytes, as Serialize(residual) gives them. A year's import
// writes a million and a half, so the usual shape (every field known to
// this schema) is written straight from `i` without building the residual
// message; anything else goes through `scratch`.
std::optional<int64_t> ResidualBytes(const v1::Interaction& i,
                                     absl::string_view import_file,
                                     v1::Interaction& scratch,
                                     std::string& out) {
  // Interaction's fields: id, at, channel, directorate, service, kind,
  // customer, case_ref, source, attributes.
  static const bool kKnownFields =
      v1::Interaction::descriptor()->field_count() == 10;
  if (!kKnownFields || HasUnknownFields(i)) {
    const std::optional<int64_t> line = Residual(i, import_file, scratch);
    out = Serialize(scratch);
    return line;
  }
  const bool strip = !import_file.empty() && i.has_source() &&
                     i.source().file() == import_file &&
                     !HasUnknownFields(i.source());
  out.clear();
  {
    pb::io::StringOutputStream stream(&out);
    pb::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    // In field order, as the generated serializer writes them.
    if (i.has_at()) WriteField(2, i.at(), coded);
    if (i.channel() != 0) {
      pb::internal::WireFormatLite::WriteEnum(3, i.channel(), &coded);
    }
    if (i.has_source() && !strip) WriteField(9, i.source(), coded);
    for (const v1::Attribute& a : i.attributes()) WriteField(10, a, coded);
  }
  if (strip) return i.source().line();
  return std::nullopt;
}

// The columns Decoder::Decode reads, in its order.
constexpr const char kInteractionColumns[] =
    "id, cell, kind, case_ref, customer, line, message, import_id, "
    "anonymised_at";

// Rebuilds whole interactions from their rows (see Residual), looking up
// cells and import file names as it meets them.
class Decoder {
 public:
  explicit Decoder(Impl& impl) : impl_(impl) {}

  // Reads the kInteractionColumns starting at column `first` of `stmt`.
  absl::Status Decode(sqlite3_stmt* stmt, int first, v1::Interaction& out,
                      bool* anonymised = nullptr) {
    const absl::string_view id = ColumnText(stmt, first);
    const absl::string_view blob = ColumnBlob(stmt, first + 6);
    if (!out.ParseFromArray(blob.data(), static_cast<int>(blob.size()))) {
      return Damaged(impl_, absl::StrCat("interaction ", id,
                                         ": the stored record does not parse"));
    }
    out.set_id(std::string(id));
    TELLUS_ASSIGN_OR_RETURN(const auto* cell,
                            Cell(sqlite3_column_int64(stmt, first + 1)));
    out.set_directorate(cell->first);
    out.set_service(cell->second);
    out.set_kind(static_cast<v1::InteractionKind>(
        sqlite3_column_int64(stmt, first + 2)));
    out.set_case_ref(std::string(ColumnText(stmt, first + 3)));
    out.set_customer(std::string(ColumnText(stmt, first + 4)));
    if (sqlite3_column_type(stmt, first + 5) != SQLITE_NULL) {
      TELLUS_ASSIGN_OR_RETURN(
          const std::string* file,
          ImportFile(sqlite3_column_int64(stmt, first + 7)));
      out.mutable_source()->set_file(*file);
      out.mutable_source()->set_line(sqlite3_column_int64(stmt, first + 5));
    }
    if (anonymised != nullptr) {
      *anonymised = sqlite3_column_type(stmt, first + 8) != SQLITE_NULL;
    }
    return absl::OkStatus();
  }

 private:
  absl::StatusOr<const std::pair<std::string, std::string>*> Cell(int64_t id) {
    auto it = cells_.find(id);
    if (it != cells_.end()) return &it->second;
    TELLUS_ASSIGN_OR_RETURN(
        sqlite3_stmt * stmt,
        impl_.Prepare("SELECT directorate, service FROM cells WHERE id = ?"));
    Query q(impl_, stmt);
    q.Int(1, id);
    TELLUS_ASSIGN_OR_RETURN(bool row, q.Step("reading the cells"));
    if (!row) {
      return Damaged(impl_, "an interaction names a missing cell");
    }
    return &cells_
                .try_emplace(id, std::string(q.ColumnText(0)),
                             std::string(q.ColumnText(1)))
                .first->second;
  }

  absl::StatusOr<const std::string*> ImportFile(int64_t id) {
    auto it = files_.find(id);
    if (it != files_.end()) return &it->second;
    TELLUS_ASSIGN_OR_RETURN(
        sqlite3_stmt * stmt,
        impl_.Prepare("SELECT interactions_file FROM imports WHERE id = ?"));
    Query q(impl_, stmt);
    q.Int(1, id);
    TELLUS_ASSIGN_OR_RETURN(bool row, q.Step("reading the imports"));
    if (!row) {
      return Damaged(impl_, "an interaction names a missing import");
    }
    return &files_.try_emplace(id, std::string(q.ColumnText(0))).first->second;
  }

  Impl& impl_;
  absl::flat_hash_map<int64_t, std::pair<std::string, std::string>> cells_;
  absl::flat_hash_map<int64_t, std::string> files_;
};

// An interaction as the interactions table holds it (see Residual), made
// without the database, so that an import can prepare rows on one thread
// and write them on another. Reused: its strings keep their buffers.
struct EncodedInteraction {
  std::string id, directorate, service, case_ref, customer;
  std::string residual;
  int32_t day = 0;
  int32_t kind = 0;
  std::optional<int64_t> line;  // the source line, when the residual has none
};

void Encode(const v1::Interaction& i, const EventTime& at,
            absl::string_view import_file, v1::Interaction& scratch,
            EncodedInteraction& out) {
  out.id.assign(i.id());
  out.directorate.assign(i.directorate());
  out.service.assign(i.service());
  out.case_ref.assign(i.case_ref());
  out.customer.assign(i.customer());
  out.day = DayNumber(at.date);
  out.kind = i.kind();
  out.line = ResidualBytes(i, import_file, scratch, out.residual);
}

// The same from the importer's parsed row, without making the message: the
// residual's bytes are those ResidualBytes gives for row.ToProto(). `when`
// is reused from row to row.
void EncodeRow(const InteractionRow& row, absl::string_view import_file,
               v1::When& when, EncodedInteraction& out) {
  using pb::internal::WireFormatLite;
  using pb::io::CodedOutputStream;
  out.id.assign(row.id.data(), row.id.size());
  out.directorate.assign(row.directorate.data(), row.directorate.size());
  out.service.assign(row.service.data(), row.service.size());
  out.case_ref.assign(row.case_ref.data(), row.case_ref.size());
  out.customer.assign(row.customer.data(), row.customer.size());
  out.day = DayNumber(row.at.date);
  out.kind = row.kind;
  // As tellus::ToProto(EventTime) fills a When.
  if (row.at.at) {
    const int64_t ns = absl::ToUnixNanos(*row.at.at);
    int64_t seconds = ns / 1000000000;
    int64_t nanos = ns % 1000000000;
    if (nanos < 0) {
      nanos += 1000000000;
      seconds -= 1;
    }
    when.mutable_at()->set_seconds(seconds);
    when.mutable_at()->set_nanos(static_cast<int32_t>(nanos));
  } else {
    v1::Date* date = when.mutable_date();
    date->set_year(static_cast<int32_t>(row.at.date.year()));
    date->set_month(row.at.date.month());
    date->set_day(row.at.date.day());
  }
  const bool has_source = !row.file.empty() || row.line != 0;
  const bool strip =
      has_source && !import_file.empty() && row.file == import_file;
  // A message of two optional fields, a string (1) and `second` (2), as
  // Source and Attribute are.
  auto write_pair = [](int number, absl::string_view first,
                       absl::string_view second_string,
                       std::optional<int64_t> second_int,
                       CodedOutputStream& coded) {
    size_t size = 0;
    if (!first.empty())
      size += 1 + CodedOutputStream::VarintSize32(first.size()) + first.size();
    if (second_int && *second_int != 0) {
      size += 1 + CodedOutputStream::VarintSize64(*second_int);
    } else if (!second_int && !second_string.empty()) {
      size += 1 + CodedOutputStream::VarintSize32(second_string.size()) +
              second_string.size();
    }
    coded.WriteTag(WireFormatLite::MakeTag(
        number, WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    coded.WriteVarint32(static_cast<uint32_t>(size));
    if (!first.empty()) {
      coded.WriteTag(WireFormatLite::MakeTag(
          1, WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
      coded.WriteVarint32(static_cast<uint32_t>(first.size()));
      coded.WriteRaw(first.data(), static_cast<int>(first.size()));
    }
    if (second_int && *second_int != 0) {
      coded.WriteTag(
          WireFormatLite::MakeTag(2, WireFormatLite::WIRETYPE_VARINT));
      coded.WriteVarint64(static_cast<uint64_t>(*second_int));
    } else if (!second_int && !second_string.empty()) {
      coded.WriteTag(WireFormatLite::MakeTag(
          2, WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
      coded.WriteVarint32(static_cast<uint32_t>(second_string.size()));
      coded.WriteRaw(second_string.data(),
                     static_cast<int>(second_string.size()));
    }
  };
  out.residual.clear();
  {
    pb::io::StringOutputStream stream(&out.residual);
    CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    WriteField(2, when, coded);
    if (row.channel != 0) WireFormatLite::WriteEnum(3, row.channel, &coded);
    if (has_source && !strip) {
      write_pair(9, row.file, "", row.line, coded);
    }
    for (const auto& [name, value] : row.attributes) {
      write_pair(10, name, value, std::nullopt, coded);
    }
  }
  out.line = strip ? std::optional<int64_t>(row.line) : std::nullopt;
}

// The whole interaction again.
absl::Status Rebuild(const EncodedInteraction& row,
                     absl::string_view import_file, v1::Interaction& out) {
  if (!out.ParseFromString(row.residual)) {
    return absl::InternalError(
        absl::StrCat("interaction ", row.id, ": cannot re-read its record"));
  }
  out.set_id(row.id);
  out.set_directorate(row.directorate);
  out.set_service(row.service);
  out.set_kind(static_cast<v1::InteractionKind>(row.kind));
  out.set_case_ref(row.case_ref);
  out.set_customer(row.customer);
  if (row.line) {
    out.mutable_source()->set_file(std::string(import_file));
    out.mutable_source()->set_line(*row.line);
  }
  return absl::OkStatus();
}

// Writes records, keeping statements and the small lookup tables an import
// needs at hand.
class Writer {
 public:
  // `import_file` is the name interactions of this import give as their
  // source file; "" when not importing.
  Writer(Impl& impl, int64_t import_id, int64_t now,
         std::string import_file = "")
      : impl_(impl),
        import_id_(import_id),
        now_(now),
        import_file_(std::move(import_file)) {}

  absl::Status Init() {
    TELLUS_ASSIGN_OR_RETURN(
        insert_case_,
        impl_.Prepare("INSERT INTO cases(ref, type, directorate, "
                      "received_day, customer, header, import_id, "
                      "recorded_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"));
    TELLUS_ASSIGN_OR_RETURN(
        insert_event_,
        impl_.Prepare("INSERT INTO events(case_ref, seq, event, sha256, "
                      "import_id, recorded_at) VALUES(?, ?, ?, ?, ?, ?)"));
    TELLUS_ASSIGN_OR_RETURN(
        insert_interaction_,
        impl_.Prepare("INSERT INTO interactions(id, day, cell, kind, "
                      "case_ref, customer, line, message, import_id, "
                      "recorded_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT(id) DO NOTHING"));
    TELLUS_ASSIGN_OR_RETURN(
        insert_cell_,
        impl_.Prepare("INSERT INTO cells(directorate, service) VALUES(?, ?)"));
    TELLUS_ASSIGN_OR_RETURN(
        sqlite3_stmt * cells,
        impl_.Prepare("SELECT id, directorate, service FROM cells"));
    Query q(impl_, cells);
    while (true) {
      TELLUS_ASSIGN_OR_RETURN(bool row, q.Step("reading the cells"));
      if (!row) break;
      cells_.emplace(CellKey(q.ColumnText(1), q.ColumnText(2)), q.ColumnInt(0));
    }
    return absl::OkStatus();
  }

  // Inserts a new case: its header and its events numbered from 1.
  absl::Status InsertCase(const v1::Case& c, const CaseState& state) {
    const std::string header = Serialize(HeaderOf(c));
    {
      Query q(impl_, insert_case_);
      q.Text(1, c.ref())
          .Int(2, c.type())
          .Text(3, c.directorate())
          .Int(4, DayNumber(state.received.date))
          .TextOrNull(5, c.customer())
          .Blob(6, header)
          .IntOrNull(7, import_id_)
          .Int(8, now_);
      TELLUS_RETURN_IF_ERROR(q.Run(absl::StrCat("writing case ", c.ref())));
    }
    int64_t seq = 0;
    for (const v1::Event& e : c.events()) {
      TELLUS_RETURN_IF_ERROR(InsertEvent(c.ref(), ++seq, e));
    }
    return absl::OkStatus();
  }

  absl::Status InsertEvent(absl::string_view ref, int64_t seq,
                           const v1::Event& e) {
    const std::string bytes = Serialize(e);
    const Digest key = Sha256Of(bytes);
    Query q(impl_, insert_event_);
    q.Text(1, ref)
        .Int(2, seq)
        .Blob(3, bytes)
        .Blob(4, absl::string_view(reinterpret_cast<const char*>(key.data()),
                                   key.size()))
        .IntOrNull(5, import_id_)
        .Int(6, now_);
    return q.Run(absl::StrCat("appending an event to case ", ref));
  }

  // Inserts an interaction unless its id is held; true when inserted.
  absl::StatusOr<bool> InsertInteraction(const v1::Interaction& i,
                                         const EventTime& at) {
    Encode(i, at, import_file_, scratch_, encoded_);
    return InsertEncoded(encoded_);
  }

  absl::StatusOr<bool> InsertEncoded(const EncodedInteraction& row) {
    TELLUS_ASSIGN_OR_RETURN(int64_t cell, Cell(row.directorate, row.service));
    Query q(impl_, insert_interaction_);
    q.Text(1, row.id)
        .Int(2, row.day)
        .Int(3, cell)
        .Int(4, row.kind)
        .TextOrNull(5, row.case_ref)
        .TextOrNull(6, row.customer);
    if (row.line) q.Int(7, *row.line);
    q.Blob(8, row.residual).IntOrNull(9, import_id_).Int(10, now_);
    TELLUS_RETURN_IF_ERROR(q.Run(absl::StrCat("writing interaction ", row.id)));
    last_cell_ = cell;
    return sqlite3_changes(impl_.db) == 1;
  }

  // The cell of the last interaction written.
  int64_t last_cell() const { return last_cell_; }

  // The number of a (directorate, service) pair, added when new.
  absl::StatusOr<int64_t> Cell(absl::string_view directorate,
                               absl::string_view service) {
    key_.assign(directorate.data(), directorate.size());
    key_.push_back('\0');
    key_.append(service.data(), service.size());
    auto it = cells_.find(key_);
    if (it != cells_.end()) return it->second;
    Query q(impl_, insert_cell_);
    q.Text(1, directorate).Text(2, service);
    TELLUS_RETURN_IF_ERROR(q.Run("writing a directorate and service"));
    const int64_t id = sqlite3_last_insert_rowid(impl_.db);
    cells_.emplace(key_, id);
    return id;
  }
  const std::string& import_file() const { return import_file_; }

 private:
  static std::string CellKey(absl::string_view d, absl::string_view s) {
    return absl::StrCat(d, absl::string_view("\0", 1), s);
  }

  Impl& impl_;
  int64_t import_id_;
  int64_t now_;
  std::string import_file_;
  v1::Interaction scratch_;  // reused, as is:
  EncodedInteraction encoded_;
  int64_t last_cell_ = 0;
  sqlite3_stmt* insert_case_ = nullptr;
  sqlite3_stmt* insert_event_ = nullptr;
  sqlite3_stmt* insert_interaction_ = nullptr;
  sqlite3_stmt* insert_cell_ = nullptr;
  absl::flat_hash_map<std::string, int64_t> cells_;
  std::string key_;
};

// A held case's header and log, for a write that builds on it.
struct HeldCase {
  v1::Case header;
  std::string header_bytes;  // as stored
  bool anonymised = false;
  std::vector<v1::Event> events;
  std::vector<std::string> keys;  // the events' sha256, as stored
};

absl::StatusOr<std::optional<HeldCase>> ReadHeldCase(Impl& impl,
                                                     absl::string_view ref) {
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * header_stmt,
      impl.Prepare("SELECT header, anonymised_at FROM cases WHERE ref = ?"));
  HeldCase held;
  {
    Query q(impl, header_stmt);
    q.Text(1, ref);
    TELLUS_ASSIGN_OR_RETURN(bool row,
                            q.Step(absl::StrCat("reading case ", ref)));
    if (!row) return std::nullopt;
    const absl::string_view blob = q.ColumnBlob(0);
    held.header_bytes = std::string(blob);
    if (!held.header.ParseFromArray(blob.data(),
                                    static_cast<int>(blob.size()))) {
      return Damaged(impl, absl::StrCat("case ", ref,
                                        ": the stored header does not parse"));
    }
    held.anonymised = !q.IsNull(1);
  }
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * events_stmt,
      impl.Prepare("SELECT event, sha256 FROM events WHERE case_ref = ? "
                   "ORDER BY seq"));
  Query q(impl, events_stmt);
  q.Text(1, ref);
  while (true) {
    TELLUS_ASSIGN_OR_RETURN(bool row,
                            q.Step(absl::StrCat("reading case ", ref)));
    if (!row) break;
    const absl::string_view blob = q.ColumnBlob(0);
    v1::Event& e = held.events.emplace_back();
    if (!e.ParseFromArray(blob.data(), static_cast<int>(blob.size()))) {
      return Damaged(impl, absl::StrCat("case ", ref, ": stored event ",
                                        held.events.size(), " does not parse"));
    }
    held.keys.emplace_back(q.ColumnBlob(1));
  }
  return held;
}

v1::Case WithEvents(const HeldCase& held) {
  v1::Case c = held.header;
  for (const v1::Event& e : held.events) *c.add_events() = e;
  return c;
}

std::optional<int64_t> RemedyTotal(const v1::Case& c) {
  std::optional<int64_t> total;
  for (const v1::Event& e : c.events()) {
    if (e.has_remedy()) total = total.value_or(0) + e.remedy().pence();
  }
  return total;
}

std::string Pounds(int64_t pence) {
  return absl::StrFormat("£%d.%02d", pence / 100, pence % 100);
}

// --- Restrictions and question sets --------------------------------------

std::string KeyBytes(const Digest& d) {
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

// A restriction's idempotency key: the SHA-256 of its content less the
// source (where it was read takes no part in the comparison).
std::string RestrictionKey(const v1::Restriction& r) {
  v1::Restriction content = r;
  content.clear_source();
  return KeyBytes(Sha256Of(Serialize(content)));
}

// What an anonymised restriction says in place of its customer and reason:
// a restriction must name both (ValidateRestriction), and an anonymised one
// still counts in the figures of its years.
constexpr char kAnonymised[] = "anonymised";

// Removes what retention removes from a restriction: the customer and the
// free text. Returns how many fields held something.
int AnonymiseRestriction(v1::Restriction& r) {
  int cleared = 0;
  if (r.customer() != kAnonymised) ++cleared, r.set_customer(kAnonymised);
  if (r.reason() != kAnonymised) ++cleared, r.set_reason(kAnonymised);
  if (!r.arrangement().empty()) ++cleared, r.clear_arrangement();
  for (v1::RestrictionReview& rv : *r.mutable_reviews()) {
    if (!rv.notes().empty()) ++cleared, rv.clear_notes();
  }
  return cleared;
}

struct HeldRestriction {
  int64_t versions = 0;
  std::set<std::string> keys;
  v1::Restriction latest;
  bool anonymised = false;
};

absl::StatusOr<std::optional<HeldRestriction>> ReadHeldRestriction(
    Impl& impl, absl::string_view id) {
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * stmt,
      impl.Prepare("SELECT version, record, sha256, anonymised_at FROM "
                   "restrictions WHERE id = ? ORDER BY version"));
  Query q(impl, stmt);
  q.Text(1, id);
  HeldRestriction held;
  while (true) {
    TELLUS_ASSIGN_OR_RETURN(bool row,
                            q.Step(absl::StrCat("reading restriction ", id)));
    if (!row) break;
    held.versions = q.ColumnInt(0);
    const absl::string_view blob = q.ColumnBlob(1);
    if (!held.latest.ParseFromArray(blob.data(),
                                    static_cast<int>(blob.size()))) {
      return Damaged(impl, absl::StrCat("restriction ", id, ": version ",
                                        held.versions, " does not parse"));
    }
    held.keys.emplace(q.ColumnBlob(2));
    held.anonymised = held.anonymised || !q.IsNull(3);
  }
  if (held.versions == 0) return std::nullopt;
  return held;
}

enum class RestrictionWrite { kAdded, kNewVersion, kPresent };

// Writes one validated restriction: a new one, its next version, or
// nothing when the store holds the same content.
absl::StatusOr<RestrictionWrite> WriteRestriction(Impl& impl,
                                                  const v1::Restriction& r,
                                                  int64_t import_id,
                                                  int64_t now) {
  const std::string key = RestrictionKey(r);
  TELLUS_ASSIGN_OR_RETURN(std::optional<HeldRestriction> held,
                          ReadHeldRestriction(impl, r.id()));
  if (held && held->keys.contains(key)) return RestrictionWrite::kPresent;
  if (held && held->anonymised) {
    return absl::FailedPreconditionError(absl::StrCat(
        "restriction ", r.id(),
        ": was anonymised under retention, so it takes no new version; the "
        "store keeps what it holds"));
  }
  if (held && held->latest.customer() != r.customer()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "restriction ", r.id(), ": the store holds it for customer ",
        held->latest.customer(), ", not ", r.customer(),
        "; a new version keeps the customer (a restriction on someone else "
        "takes its own id)"));
  }
  const std::string record = Serialize(r);
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * insert,
      impl.Prepare("INSERT INTO restrictions(id, version, customer, record, "
                   "sha256, import_id, recorded_at) VALUES(?, ?, ?, ?, ?, ?, "
                   "?)"));
  Query q(impl, insert);
  q.Text(1, r.id())
      .Int(2, held ? held->versions + 1 : 1)
      .TextOrNull(3, r.customer())
      .Blob(4, record)
      .Blob(5, key)
      .IntOrNull(6, import_id)
      .Int(7, now);
  TELLUS_RETURN_IF_ERROR(q.Run(absl::StrCat("writing restriction ", r.id())));
  return held ? RestrictionWrite::kNewVersion : RestrictionWrite::kAdded;
}

// Validates, then writes each restriction, counting what happened.
absl::StatusOr<StoreImportCounts> PutRestrictions(
    Impl& impl, absl::Span<const v1::Restriction> restrictions,
    int64_t import_id, int64_t now) {
  absl::flat_hash_set<std::string> ids;
  for (const v1::Restriction& r : restrictions) {
    TELLUS_RETURN_IF_ERROR(ValidateRestriction(r));
    if (!ids.insert(r.id()).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "restriction ", r.id(),
          ": the id is given twice; give each version in its own call or "
          "import"));
    }
  }
  StoreImportCounts counts;
  for (const v1::Restriction& r : restrictions) {
    TELLUS_ASSIGN_OR_RETURN(RestrictionWrite done,
                            WriteRestriction(impl, r, import_id, now));
    switch (done) {
      case RestrictionWrite::kAdded:
        ++counts.added;
        break;
      case RestrictionWrite::kNewVersion:
        ++counts.extended;
        break;
      case RestrictionWrite::kPresent:
        ++counts.present;
        break;
    }
  }
  return counts;
}

// The latest version of each restriction recorded by `recorded_by`, by id.
absl::StatusOr<std::vector<v1::Restriction>> ReadLatestRestrictions(
    Impl& impl, std::optional<absl::Time> recorded_by) {
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * stmt,
      impl.Prepare("SELECT id, version, record FROM restrictions WHERE "
                   "recorded_at <= ? ORDER BY id, version"));
  Query q(impl, stmt);
  q.Int(1, recorded_by ? Micros(*recorded_by)
                       : std::numeric_limits<int64_t>::max());
  std::vector<v1::Restriction> out;
  std::string last_id;
  while (true) {
    TELLUS_ASSIGN_OR_RETURN(bool row, q.Step("reading the restrictions"));
    if (!row) break;
    const absl::string_view id = q.ColumnText(0);
    if (out.empty() || id != last_id) {
      out.emplace_back();
      last_id = std::string(id);
    }
    const absl::string_view blob = q.ColumnBlob(2);
    if (!out.back().ParseFromArray(blob.data(),
                                   static_cast<int>(blob.size()))) {
      return Damaged(impl, absl::StrCat("restriction ", id, ": version ",
                                        q.ColumnInt(1), " does not parse"));
    }
  }
  return out;
}

using QuestionSetMap =
    std::map<std::pair<std::string, int32_t>, v1::QuestionSet>;

absl::StatusOr<QuestionSetMap> ReadQuestionSets(Impl& impl) {
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * stmt,
      impl.Prepare("SELECT id, version, record FROM question_sets ORDER BY "
                   "id, version"));
  Query q(impl, stmt);
  QuestionSetMap out;
  while (true) {
    TELLUS_ASSIGN_OR_RETURN(bool row, q.Step("reading the question sets"));
    if (!row) break;
    v1::QuestionSet& set = out[{std::string(q.ColumnText(0)),
                                static_cast<int32_t>(q.ColumnInt(1))}];
    const absl::string_view blob = q.ColumnBlob(2);
    if (!set.ParseFromArray(blob.data(), static_cast<int>(blob.size()))) {
      return Damaged(impl,
                     absl::StrCat("question set ", q.ColumnText(0), " version ",
                                  q.ColumnInt(1), " does not parse"));
    }
  }
  return out;
}

// A lesson among `events` naming a question set the store holds must fit
// it: "case C-7: Lessons Learnt record on 2024-01-05 leaves the required
// question 'cause' of question set lessons-learnt version 2 unanswered".
template <typename Events>
absl::Status CheckLessonForms(const QuestionSetMap& sets, absl::string_view ref,
                              const Events& events) {
  if (sets.empty()) return absl::OkStatus();
  for (const v1::Event* e : events) {
    if (!e->has_lesson_learnt()) continue;
    const v1::LessonLearnt& l = e->lesson_learnt();
    auto it = sets.find({l.question_set_id(), l.question_set_version()});
    if (it == sets.end()) continue;
    absl::Status fits = CheckAnswers(l, it->second);
    if (fits.ok()) continue;
    absl::StatusOr<EventTime> when = FromProto(e->when());
    return absl::InvalidArgumentError(absl::StrCat(
        "case ", ref, ": ", EventName(*e),
        when.ok() ? absl::StrCat(" on ", FormatDate(when->date)) : "", " ",
        fits.message(), " (the store's question set)"));
  }
  return absl::OkStatus();
}

std::vector<const v1::Event*> EventsOf(const v1::Case& c) {
  std::vector<const v1::Event*> out;
  for (const v1::Event& e : c.events()) out.push_back(&e);
  return out;
}

// Anonymises every version of the restrictions whose latest version ended
// before the request's day, inside Anonymise's transaction.
absl::Status AnonymiseRestrictions(Impl& impl, const RetentionRequest& request,
                                   int64_t now, RetentionSummary& summary) {
  const std::string doing = "anonymising ended restrictions";
  TELLUS_ASSIGN_OR_RETURN(std::vector<v1::Restriction> latest,
                          ReadLatestRestrictions(impl, std::nullopt));
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * versions,
      impl.Prepare("SELECT version, record FROM restrictions WHERE id = ? "
                   "AND anonymised_at IS NULL ORDER BY version"));
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * update,
      impl.Prepare("UPDATE restrictions SET record = ?, customer = NULL, "
                   "anonymised_at = ? WHERE id = ? AND version = ?"));
  for (const v1::Restriction& r : latest) {
    if (!r.has_end() || FromProto(r.end()) >= request.closed_before) continue;
    std::vector<std::pair<int64_t, v1::Restriction>> found;
    {
      Query q(impl, versions);
      q.Text(1, r.id());
      while (true) {
        TELLUS_ASSIGN_OR_RETURN(bool row, q.Step(doing));
        if (!row) break;
        auto& [version, record] = found.emplace_back();
        version = q.ColumnInt(0);
        const absl::string_view blob = q.ColumnBlob(1);
        if (!record.ParseFromArray(blob.data(),
                                   static_cast<int>(blob.size()))) {
          return Damaged(
              impl, absl::StrCat("restriction ", r.id(), ": version ", version,
                                 " does not parse"));
        }
      }
    }
    if (found.empty()) continue;  // anonymised before
    int64_t cleared = 0;
    for (auto& [version, record] : found) {
      cleared += AnonymiseRestriction(record);
      const std::string bytes = Serialize(record);
      Query q(impl, update);
      q.Blob(1, bytes).Int(2, now).Text(3, r.id()).Int(4, version);
      TELLUS_RETURN_IF_ERROR(q.Run(doing));
    }
    summary.restrictions.push_back(r.id());
    summary.fields_cleared += cleared;
    if (!request.dry_run) {
      TELLUS_RETURN_IF_ERROR(Audit(
          impl, now, "retention", "",
          absl::StrCat("restriction ", r.id(), " anonymised: ", cleared,
                       " personal fields of ", found.size(),
                       " versions; ended ", FormatDate(FromProto(r.end())),
                       ", before ", FormatDate(request.closed_before))));
    }
  }
  return absl::OkStatus();
}

// Hands batches of rows from the thread that makes them to one thread that
// consumes them, a few batches in flight. The first error of the consumer
// stops it; Push and Drain then return it.
template <typename Row>
class Pipeline {
 public:
  static constexpr size_t kBatchRows = 4096;
  static constexpr size_t kBatches = 4;

  class Batch {
   public:
    Row& Next() {
      if (size_ == rows_.size()) rows_.emplace_back();
      return rows_[size_++];
    }
    bool full() const { return size_ == kBatchRows; }

   private:
    friend class Pipeline;
    std::vector<Row> rows_;
    size_t size_ = 0;
  };

  explicit Pipeline(std::function<absl::Status(const Row&)> consume)
      : consume_(std::move(consume)) {}
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;
  ~Pipeline() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closing_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  // An empty batch to fill; waits while kBatches are in flight.
  absl::StatusOr<std::unique_ptr<Batch>> TakeEmpty() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
    wake_.wait(lock, [&] {
      return !error_.ok() || !empty_.empty() || made_ < kBatches;
    });
    if (!error_.ok()) return error_;
    if (!empty_.empty()) {
      std::unique_ptr<Batch> batch = std::move(empty_.back());
      empty_.pop_back();
      return batch;
    }
    ++made_;
    return std::make_unique<Batch>();
  }

  absl::Status Push(std::unique_ptr<Batch> batch) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!error_.ok()) return error_;
      full_.push_back(std::move(batch));
    }
    wake_.notify_all();
    return absl::OkStatus();
  }

  // Waits until every pushed row is consumed.
  absl::Status Drain() {
    std::unique_lock<std::mutex> lock(mu_);
    wake_.wait(lock, [&] { return full_.empty() && !busy_; });
    return error_;
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      wake_.wait(lock, [&] { return closing_ || !full_.empty(); });
      if (closing_) return;  // what is left is not wanted
      std::unique_ptr<Batch> batch = std::move(full_.front());
      full_.pop_front();
      busy_ = true;
      absl::Status status = error_;
      lock.unlock();
      for (size_t i = 0; i < batch->size_ && status.ok(); ++i) {
        status = consume_(batch->rows_[i]);
      }
      batch->size_ = 0;
      lock.lock();
      busy_ = false;
      if (error_.ok()) error_ = status;
      empty_.push_back(std::move(batch));
      wake_.notify_all();
    }
  }

  std::function<absl::Status(const Row&)> consume_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Batch>> full_;
  std::vector<std::unique_ptr<Batch>> empty_;
  size_t made_ = 0;
  bool busy_ = false;
  bool closing_ = false;
  absl::Status error_;
  std::thread thread_;
};

// The ImportSink of an import into the store: adds what is new, counts what
// is held, and refuses conflicts (see store.h).
class StoreSink : public ImportSink {
 public:
  // `rejects` (not null) hears of conflicts.
  StoreSink(Impl& impl, int64_t import_id, int64_t now,
            std::string interactions_file, RejectSink* rejects)
      : impl_(impl),
        writer_(impl, import_id, now, std::move(interactions_file)),
        decoder_(impl),
        rejects_(rejects) {}

  absl::Status Init() {
    TELLUS_RETURN_IF_ERROR(writer_.Init());
    TELLUS_ASSIGN_OR_RETURN(sqlite3_stmt * refs,
                            impl_.Prepare("SELECT ref FROM cases"));
    Query q(impl_, refs);
    while (true) {
      TELLUS_ASSIGN_OR_RETURN(bool row, q.Step("reading the case references"));
      if (!row) break;
      known_refs_.emplace(q.ColumnText(0));
    }
    TELLUS_ASSIGN_OR_RETURN(
        held_interaction_,
        impl_.Prepare(absl::StrCat("SELECT ", kInteractionColumns,
                                   " FROM interactions WHERE id = ?")));
    TELLUS_ASSIGN_OR_RETURN(sets_, ReadQuestionSets(impl_));
    return absl::OkStatus();
  }

  // Warns through `warn` of each new case of a customer under one of
  // `restrictions` (restriction_check.h).
  void WarnOfRestrictions(std::vector<v1::Restriction> restrictions,
                          std::function<void(const std::string&)> warn) {
    restrictions_ = std::move(restrictions);
    warn_ = std::move(warn);
  }

  absl::Status OnCase(const v1::Case& c, const CaseState& state) override {
    // The database is this thread's again once queued interactions are in.
    if (batch_ != nullptr) {
      TELLUS_RETURN_IF_ERROR(pipeline_.Push(std::move(batch_)));
    }
    TELLUS_RETURN_IF_ERROR(pipeline_.Drain());
    if (!known_refs_.contains(c.ref())) {
      if (absl::Status forms = CheckLessonForms(sets_, c.ref(), EventsOf(c));
          !forms.ok()) {
        return Conflict(c, std::string(forms.message()));
      }
      TELLUS_RETURN_IF_ERROR(writer_.InsertCase(c, state));
      known_refs_.insert(c.ref());
      ++cases_.added;
      if (warn_) {
        for (const std::string& line :
             RestrictionWarningsFor(c, restrictions_)) {
          ++warnings_;
          warn_(line);
        }
      }
      return absl::OkStatus();
    }
    TELLUS_ASSIGN_OR_RETURN(std::optional<HeldCase> held,
                            ReadHeldCase(impl_, c.ref()));
    if (!held) {
      return absl::InternalError(
          absl::StrCat("case ", c.ref(), " vanished during the import"));
    }
    const std::string diff =
        !held->anonymised && held->header_bytes == Serialize(HeaderOf(c))
            ? std::string()
            : Difference(held->header, c, held->anonymised);
    if (!diff.empty()) {
      return Conflict(
          c, absl::StrCat("case ", c.ref(),
                          " is already held with other details (", diff,
                          "); the store keeps what it holds"));
    }
    // The file's events the store does not hold, matched by key.
    std::multiset<std::string> held_keys(held->keys.begin(), held->keys.end());
    std::vector<const v1::Event*> fresh;
    for (const v1::Event& e : c.events()) {
      const Digest key = Sha256Of(Serialize(e));
      auto it = held_keys.find(
          std::string(reinterpret_cast<const char*>(key.data()), key.size()));
      if (it != held_keys.end()) {
        held_keys.erase(it);
      } else {
        fresh.push_back(&e);
      }
    }
    if (fresh.empty()) {
      ++cases_.present;
      return absl::OkStatus();
    }
    if (absl::Status forms = CheckLessonForms(sets_, c.ref(), fresh);
        !forms.ok()) {
      return Conflict(c, std::string(forms.message()));
    }
    v1::Case merged = WithEvents(*held);
    const std::optional<int64_t> held_remedy = RemedyTotal(merged);
    for (const v1::Event* e : fresh) *merged.add_events() = *e;
    const std::optional<int64_t> file_remedy = RemedyTotal(c);
    if (held_remedy && file_remedy != held_remedy) {
      return Conflict(
          c, absl::StrCat(
                 "case ", c.ref(), ": remedy ", Pounds(file_remedy.value_or(0)),
                 " in this row, but the store holds ", Pounds(*held_remedy),
                 "; if more was agreed, add the difference as a "
                 "remedy event"));
    }
    absl::StatusOr<CaseState> folded = FoldCase(merged);
    if (!folded.ok()) {
      return Conflict(c, absl::StrCat("conflicts with the history the store "
                                      "holds: ",
                                      folded.status().message()));
    }
    int64_t seq = static_cast<int64_t>(held->events.size());
    for (const v1::Event* e : fresh) {
      TELLUS_RETURN_IF_ERROR(writer_.InsertEvent(c.ref(), ++seq, *e));
    }
    ++cases_.extended;
    cases_.events_appended += static_cast<int64_t>(fresh.size());
    return absl::OkStatus();
  }

  // Interactions are encoded here and written on a second thread, so that
  // reading the file and writing the database overlap: a year is a million
  // and a half rows. Rejects of conflicts are passed on by Finish().
  absl::Status OnInteraction(const v1::Interaction& i,
                             const EventTime& at) override {
    if (batch_ == nullptr) {
      TELLUS_ASSIGN_OR_RETURN(batch_, pipeline_.TakeEmpty());
    }
    Encode(i, at, writer_.import_file(), scratch_, batch_->Next());
    if (batch_->full()) return pipeline_.Push(std::move(batch_));
    return absl::OkStatus();
  }

  // The importer's fast path: the parsed row, no message.
  absl::Status OnInteractionRow(const InteractionRow& row,
                                v1::Interaction&) override {
    if (batch_ == nullptr) {
      TELLUS_ASSIGN_OR_RETURN(batch_, pipeline_.TakeEmpty());
    }
    EncodeRow(row, writer_.import_file(), when_, batch_->Next());
    if (batch_->full()) return pipeline_.Push(std::move(batch_));
    return absl::OkStatus();
  }

  // Writes what is still queued and passes on the conflicts found.
  absl::Status Finish() {
    if (batch_ != nullptr) {
      TELLUS_RETURN_IF_ERROR(pipeline_.Push(std::move(batch_)));
    }
    TELLUS_RETURN_IF_ERROR(pipeline_.Drain());
    for (const Reject& reject : interaction_conflicts_) {
      TELLUS_RETURN_IF_ERROR(rejects_->OnReject(reject));
    }
    interaction_conflicts_.clear();
    return absl::OkStatus();
  }

  const StoreImportCounts& cases() const { return cases_; }
  const StoreImportCounts& interactions() const { return interactions_; }
  int64_t warnings() const { return warnings_; }
  int64_t unlinked() const { return unlinked_; }

 private:
  // On the writing thread.
  absl::Status Write(const EncodedInteraction& row) {
    // After a row the store held, the next is likely held too (a file
    // imported again): look it up first, and insert only when it is new.
    if (expect_held_) {
      Query q(impl_, held_interaction_);
      q.Text(1, row.id);
      TELLUS_ASSIGN_OR_RETURN(
          bool found, q.Step(absl::StrCat("reading interaction ", row.id)));
      if (found) {
        TELLUS_ASSIGN_OR_RETURN(int64_t cell,
                                writer_.Cell(row.directorate, row.service));
        return CompareHeld(q, cell, row);
      }
      expect_held_ = false;
    }
    TELLUS_ASSIGN_OR_RETURN(bool inserted, writer_.InsertEncoded(row));
    if (inserted) {
      ++interactions_.added;
      CountLink(row);
      return absl::OkStatus();
    }
    expect_held_ = true;
    Query q(impl_, held_interaction_);
    q.Text(1, row.id);
    TELLUS_ASSIGN_OR_RETURN(
        bool found, q.Step(absl::StrCat("reading interaction ", row.id)));
    if (!found) {
      return absl::InternalError(
          absl::StrCat("interaction ", row.id, " vanished during the import"));
    }
    return CompareHeld(q, writer_.last_cell(), row);
  }

  void CountLink(const EncodedInteraction& row) {
    if (!row.case_ref.empty() && !known_refs_.contains(row.case_ref)) {
      ++unlinked_;
    }
  }

  // `q` holds the stored row of `row`'s id; `cell` is `row`'s.
  absl::Status CompareHeld(Query& q, int64_t cell,
                           const EncodedInteraction& row) {
    // The same row again (a file imported twice): the same columns and
    // residual bytes. Anything else is decided on the whole messages.
    const bool same =
        q.IsNull(8) && q.ColumnInt(1) == cell && q.ColumnInt(2) == row.kind &&
        q.ColumnText(3) == row.case_ref && q.ColumnText(4) == row.customer &&
        q.ColumnBlob(6) == row.residual;
    if (!same) {
      bool anonymised = false;
      TELLUS_RETURN_IF_ERROR(
          decoder_.Decode(held_interaction_, 0, held_, &anonymised));
      TELLUS_RETURN_IF_ERROR(Rebuild(row, writer_.import_file(), incoming_));
      const std::string diff = Difference(held_, incoming_, anonymised);
      if (!diff.empty()) {
        ++interactions_.conflicting;
        Reject& reject = interaction_conflicts_.emplace_back();
        reject.file = incoming_.source().file();
        reject.line = incoming_.source().line();
        reject.rule = "conflicts_with_store";
        reject.reason = absl::StrCat("interaction ", row.id,
                                     " is already held with other details (",
                                     diff, "); the store keeps what it holds");
        return absl::OkStatus();
      }
    }
    ++interactions_.present;
    CountLink(row);
    return absl::OkStatus();
  }

  template <typename Record>
  absl::Status Conflict(const Record& r, std::string reason) {
    ++(std::is_same_v<Record, v1::Case> ? cases_ : interactions_).conflicting;
    Reject reject;
    reject.file = r.source().file();
    reject.line = r.source().line();
    reject.rule = "conflicts_with_store";
    reject.reason = std::move(reason);
    return rejects_->OnReject(reject);
  }

  Impl& impl_;
  Writer writer_;
  Decoder decoder_;
  v1::Interaction held_, incoming_;  // the writing thread's
  v1::Interaction scratch_;          // the reading thread's
  v1::When when_;                    // the reading thread's
  RejectSink* rejects_;
  std::vector<Reject> interaction_conflicts_;
  bool expect_held_ = false;  // the writing thread's
  absl::flat_hash_set<std::string> known_refs_;
  QuestionSetMap sets_;
  std::vector<v1::Restriction> restrictions_;
  std::function<void(const std::string&)> warn_;
  int64_t warnings_ = 0;
  sqlite3_stmt* held_interaction_ = nullptr;
  StoreImportCounts cases_;
  StoreImportCounts interactions_;
  int64_t unlinked_ = 0;
  // Last: its thread stops before the members it uses go.
  Pipeline<EncodedInteraction> pipeline_{
      [this](const EncodedInteraction& row) { return Write(row); }};
  std::unique_ptr<Pipeline<EncodedInteraction>::Batch> batch_;
};

// Counts rejects on their way to the caller's sink, for --strict.
class CountingRejects : public RejectSink {
 public:
  explicit CountingRejects(RejectSink* next) : next_(next) {}
  absl::Status OnReject(const Reject& reject) override {
    ++count_;
    return next_ ? next_->OnReject(reject) : absl::OkStatus();
  }
  int64_t count() const { return count_; }

 private:
  RejectSink* next_;
  int64_t count_ = 0;
};

// The hex SHA-256 of a file, or "" for no file.
absl::StatusOr<std::string> HashFile(const std::string& path) {
  if (path.empty()) return std::string();
  TELLUS_ASSIGN_OR_RETURN(Digest d, sha256_internal::Sha256OfFile(path));
  return ToHex(d);
}

// Sizes the page cache for a bulk import, and back.
class BulkSettings {
 public:
  explicit BulkSettings(Impl& impl) : impl_(impl) {
    impl_.Exec(absl::StrCat("PRAGMA cache_size = -", kBulkCacheKib), "")
        .IgnoreError();
  }
  ~BulkSettings() {
    impl_.Exec(absl::StrCat("PRAGMA cache_size = -", kDefaultCacheKib), "")
        .IgnoreError();
  }

 private:
  Impl& impl_;
};

// The body of both imports: `read` feeds the sink; the rest is shared.
struct ImportJob {
  std::string source;  // "csv" or "protobuf"
  std::string cases_file, interactions_file;
  std::string cases_path, interactions_path;
  std::string restrictions_path = "";  // a data directory's, if any
};

absl::StatusOr<StoreImportSummary> RunImport(
    Impl& impl, const ImportJob& job, const StoreImportOptions& options,
    absl::FunctionRef<absl::Status(StoreSink&, RejectSink&, ImportSummary&)>
        read) {
  // The content hashes are computed beside the import, on another core.
  auto cases_hash = std::async(std::launch::async, HashFile, job.cases_path);
  auto interactions_hash =
      std::async(std::launch::async, HashFile, job.interactions_path);

  TELLUS_ASSIGN_OR_RETURN(
      Transaction tx, Transaction::Begin(impl, /*write=*/true, "importing"));
  BulkSettings bulk(impl);
  const int64_t now = impl.NowMicros();
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * insert_import,
      impl.Prepare("INSERT INTO imports(started_at, source, cases_file, "
                   "cases_sha256, interactions_file, interactions_sha256) "
                   "VALUES(?, ?, ?, '', ?, '')"));
  {
    Query q(impl, insert_import);
    q.Int(1, now)
        .Text(2, job.source)
        .Text(3, job.cases_file)
        .Text(4, job.interactions_file);
    TELLUS_RETURN_IF_ERROR(q.Run("recording the import"));
  }
  const int64_t import_id = sqlite3_last_insert_rowid(impl.db);

  StoreImportSummary summary;
  // Restrictions first, so that the warnings see them.
  std::vector<v1::Restriction> restrictions = options.restrictions;
  if (!job.restrictions_path.empty()) {
    TELLUS_ASSIGN_OR_RETURN(std::vector<v1::Restriction> in_dir,
                            ReadRestrictions(job.restrictions_path));
    restrictions.insert(restrictions.end(), in_dir.begin(), in_dir.end());
  }
  TELLUS_ASSIGN_OR_RETURN(summary.restrictions,
                          PutRestrictions(impl, restrictions, import_id, now));

  CountingRejects rejects(options.rejects);
  StoreSink sink(impl, import_id, now, job.interactions_file, &rejects);
  TELLUS_RETURN_IF_ERROR(sink.Init());
  if (options.warn) {
    TELLUS_ASSIGN_OR_RETURN(std::vector<v1::Restriction> held,
                            ReadLatestRestrictions(impl, std::nullopt));
    sink.WarnOfRestrictions(std::move(held), options.warn);
  }
  TELLUS_RETURN_IF_ERROR(read(sink, rejects, summary.rows));
  TELLUS_RETURN_IF_ERROR(sink.Finish());

  summary.cases = sink.cases();
  summary.interactions = sink.interactions();
  // A conflicting row is not accepted after all.
  for (auto [file, counts] :
       {std::pair(&summary.rows.cases, &summary.cases),
        std::pair(&summary.rows.interactions, &summary.interactions)}) {
    if (counts->conflicting == 0) continue;
    file->accepted -= counts->conflicting;
    file->rejected += counts->conflicting;
    file->rejected_by_rule["conflicts_with_store"] += counts->conflicting;
  }
  summary.rows.unlinked_interactions = sink.unlinked();
  summary.restriction_warnings = sink.warnings();
  TELLUS_ASSIGN_OR_RETURN(summary.cases_sha256, cases_hash.get());
  TELLUS_ASSIGN_OR_RETURN(summary.interactions_sha256, interactions_hash.get());

  const int64_t refused = rejects.count();
  if (options.strict && refused > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--strict: ", refused,
        " rows were rejected or conflict with the store, so nothing was "
        "imported into ",
        impl.path));
  }

  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * earlier,
      impl.Prepare("SELECT id, finished_at FROM imports WHERE cases_sha256 = "
                   "? AND interactions_sha256 = ? AND finished_at IS NOT "
                   "NULL ORDER BY id LIMIT 1"));
  {
    Query q(impl, earlier);
    q.Text(1, summary.cases_sha256).Text(2, summary.interactions_sha256);
    TELLUS_ASSIGN_OR_RETURN(bool row, q.Step("looking up earlier imports"));
    if (row) {
      summary.same_content_as = q.ColumnInt(0);
      summary.same_content_at = FromMicros(q.ColumnInt(1));
    }
  }

  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * finish,
      impl.Prepare(
          "UPDATE imports SET finished_at = ?, cases_sha256 = ?, "
          "interactions_sha256 = ?, cases_read = ?, cases_rejected = ?, "
          "cases_added = ?, cases_present = ?, cases_extended = ?, "
          "cases_conflicting = ?, events_appended = ?, interactions_read = "
          "?, interactions_rejected = ?, interactions_added = ?, "
          "interactions_present = ?, interactions_conflicting = ? WHERE id = "
          "?"));
  {
    const StoreImportCounts& c = summary.cases;
    const StoreImportCounts& i = summary.interactions;
    Query q(impl, finish);
    q.Int(1, impl.NowMicros())
        .Text(2, summary.cases_sha256)
        .Text(3, summary.interactions_sha256)
        .Int(4, summary.rows.cases.read)
        .Int(5, summary.rows.cases.rejected)
        .Int(6, c.added)
        .Int(7, c.present)
        .Int(8, c.extended)
        .Int(9, c.conflicting)
        .Int(10, c.events_appended)
        .Int(11, summary.rows.interactions.read)
        .Int(12, summary.rows.interactions.rejected)
        .Int(13, i.added)
        .Int(14, i.present)
        .Int(15, i.conflicting)
        .Int(16, import_id);
    TELLUS_RETURN_IF_ERROR(q.Run("recording the import"));
  }
  TELLUS_RETURN_IF_ERROR(Audit(
      impl, now, "import", "",
      absl::StrCat(
          "import #", import_id, " of ", job.cases_file,
          job.interactions_file.empty() ? "" : " and ", job.interactions_file,
          ": ", summary.cases.added, " new cases, ", summary.cases.extended,
          " with new events, ", summary.interactions.added, " new interactions",
          restrictions.empty() ? std::string()
                               : absl::StrCat(", ", summary.restrictions.added,
                                              " new restrictions, ",
                                              summary.restrictions.extended,
                                              " new restriction versions"))));
  TELLUS_RETURN_IF_ERROR(tx.Commit("committing the import"));
  summary.import_id = import_id;
  return summary;
}

// --- Reading -----------------------------------------------------------------

struct CaseRow {
  absl::Time recorded_at;
  int64_t import_id = 0;
  std::optional<absl::Time> anonymised_at;
};

// Calls `fn` with every case matching `where` (an SQL condition on the
// cases table with ?1.. placeholders bound by `bind`), with its events in
// recorded order, in reference order. Cases and events recorded after
// `recorded_by` are left out.
absl::Status ForEachStoredCase(
    Impl& impl, const std::string& where,
    absl::FunctionRef<void(sqlite3_stmt*)> bind,
    std::optional<absl::Time> recorded_by,
    absl::FunctionRef<absl::Status(v1::Case&, const CaseRow&)> fn) {
  const int64_t limit =
      recorded_by ? Micros(*recorded_by) : std::numeric_limits<int64_t>::max();
  TELLUS_ASSIGN_OR_RETURN(
      OneOffStatement cases,
      OneOffStatement::Prepare(
          impl, absl::StrCat("SELECT ref, header, recorded_at, import_id, "
                             "anonymised_at FROM cases WHERE (",
                             where.empty() ? "1" : where,
                             ") AND recorded_at <= ?99 ORDER BY ref")));
  bind(cases.get());
  sqlite3_bind_int64(cases.get(), 99, limit);
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * events,
      impl.Prepare("SELECT case_ref, event FROM events WHERE recorded_at <= "
                   "? ORDER BY case_ref, seq"));
  Query ev(impl, events);
  ev.Int(1, limit);
  TELLUS_ASSIGN_OR_RETURN(bool have_event, ev.Step("reading the event log"));
  v1::Case c;
  CaseRow meta;
  while (true) {
    const int rc = sqlite3_step(cases.get());
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return impl.Error(rc, "reading the cases");
    const absl::string_view ref = ColumnText(cases.get(), 0);
    const absl::string_view header = ColumnBlob(cases.get(), 1);
    if (!c.ParseFromArray(header.data(), static_cast<int>(header.size()))) {
      return Damaged(impl, absl::StrCat("case ", ref,
                                        ": the stored header does not parse"));
    }
    meta.recorded_at = FromMicros(sqlite3_column_int64(cases.get(), 2));
    meta.import_id = sqlite3_column_int64(cases.get(), 3);
    meta.anonymised_at =
        sqlite3_column_type(cases.get(), 4) == SQLITE_NULL
            ? std::nullopt
            : std::optional(FromMicros(sqlite3_column_int64(cases.get(), 4)));
    // Both are in BINARY order, which std::string_view's compare matches.
    while (have_event && ev.ColumnText(0) < ref) {
      TELLUS_ASSIGN_OR_RETURN(have_event, ev.Step("reading the event log"));
    }
    while (have_event && ev.ColumnText(0) == ref) {
      const absl::string_view blob = ev.ColumnBlob(1);
      if (!c.add_events()->ParseFromArray(blob.data(),
                                          static_cast<int>(blob.size()))) {
        return Damaged(impl, absl::StrCat("case ", ref,
                                          ": a stored event does not parse"));
      }
      TELLUS_ASSIGN_OR_RETURN(have_event, ev.Step("reading the event log"));
    }
    TELLUS_RETURN_IF_ERROR(fn(c, meta));
  }
  return absl::OkStatus();
}

void NoBindings(sqlite3_stmt*) {}

absl::StatusOr<CaseState> FoldHeld(const Impl& impl, const v1::Case& c) {
  absl::StatusOr<CaseState> state = FoldCase(c);
  if (!state.ok()) {
    return Damaged(impl, absl::StrCat("the stored history no longer folds: ",
                                      state.status().message()));
  }
  return state;
}

// When a case was closed: its final response or its withdrawal; a
// compliment or an enquiry on receipt. Open complaints: never.
std::optional<absl::CivilDay> ClosedOn(const CaseState& s) {
  switch (s.status()) {
    case CaseStatus::kRecorded:
      return s.received.date;
    case CaseStatus::kStage1Responded:
      return s.stage1.responded->date;
    case CaseStatus::kStage2Responded:
      return s.stage2.responded->date;
    case CaseStatus::kWithdrawn:
      return s.withdrawn->date;
    case CaseStatus::kAwaitingStage1:
    case CaseStatus::kAwaitingStage2:
      break;
  }
  return std::nullopt;
}

std::vector<OverdueStep> OverdueOn(const CaseState& s, const CaseDeadlines& d,
                                   absl::CivilDay on, const Calendar& cal,
                                   const TimescalePolicy& policy) {
  std::vector<OverdueStep> out;
  if (s.type != v1::CASE_TYPE_COMPLAINT || s.withdrawn) return out;
  auto check = [&](v1::Stage stage, const StageState& st,
                   absl::CivilDay ack_due, absl::CivilDay response_due) {
    if (st.responded) return;
    if (!st.acknowledged && on > ack_due) {
      out.push_back(
          {stage, true, ack_due, cal.WorkingDaysBetween(ack_due, on)});
    }
    const absl::CivilDay due =
        st.extended_to ? ExtendedDue(cal, policy, stage, response_due,
                                     st.extended_to->date)
                       : response_due;
    if (on > due) {
      out.push_back({stage, false, due, cal.WorkingDaysBetween(due, on)});
    }
  };
  check(v1::STAGE_1, s.stage1, d.stage1_ack_due, d.stage1_response_due);
  if (s.escalation_requested && d.stage2_ack_due && d.stage2_response_due) {
    check(v1::STAGE_2, s.stage2, *d.stage2_ack_due, *d.stage2_response_due);
  }
  return out;
}

}  // namespace

std::string DescribeOverdue(const OverdueStep& step) {
  return absl::StrCat(step.stage == v1::STAGE_2 ? "stage 2 " : "stage 1 ",
                      step.acknowledgement ? "acknowledgement" : "response",
                      " due ", FormatDate(step.due), ", ",
                      step.working_days_late, " working day",
                      step.working_days_late == 1 ? "" : "s", " late");
}

std::string FormatRestrictionCounts(const StoreImportCounts& c) {
  return absl::StrCat("Restrictions: ", c.added, " new, ", c.extended,
                      " with a new version, ", c.present, " already present\n");
}

std::string FormatStoreImportSummary(const StoreImportSummary& s) {
  std::string out = FormatSummary(s.rows);
  const StoreImportCounts& c = s.cases;
  const StoreImportCounts& i = s.interactions;
  absl::StrAppend(&out, "Store: ", c.added, " new cases, ", c.present,
                  " already present, ", c.extended, " with new events (",
                  c.events_appended, " events appended), ", c.conflicting,
                  " conflicting");
  if (!s.rows.interactions.file.empty()) {
    absl::StrAppend(&out, "; ", i.added, " new interactions, ", i.present,
                    " already present, ", i.conflicting, " conflicting");
  }
  absl::StrAppend(&out, "\n");
  const StoreImportCounts& r = s.restrictions;
  if (r.added + r.extended + r.present > 0) {
    absl::StrAppend(&out, FormatRestrictionCounts(r));
  }
  if (s.same_content_as) {
    absl::StrAppend(&out, "The same file content was imported before (import #",
                    *s.same_content_as, ", ",
                    FormatUtc(s.same_content_at.value_or(absl::UnixEpoch())),
                    ")",
                    c.added + c.extended + i.added + r.added + r.extended == 0
                        ? ": nothing new"
                        : "",
                    ".\n");
  }
  if (s.import_id > 0) {
    absl::StrAppend(&out, "Committed as import #", s.import_id, ".\n");
  }
  return out;
}

absl::StatusOr<std::string> SubjectAccessJson(
    const v1::SubjectAccessExport& export_message) {
  pb::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string out;
  const auto status =
      pb::util::MessageToJsonString(export_message, &out, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat(
        "subject access export: ",
        std::string(status.message().data(), status.message().size())));
  }
  return out;
}

// --- Store -------------------------------------------------------------------

Store::Store(std::unique_ptr<store_internal::Connection> impl)
    : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

const std::string& Store::path() const { return impl_->path; }

absl::StatusOr<Store> Store::Open(const std::string& path,
                                  const StoreOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = options;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                    (options.create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(path.c_str(), &impl->db, flags, nullptr);
  if (rc != SQLITE_OK) {
    if ((rc & 0xff) == SQLITE_CANTOPEN) {
      return absl::NotFoundError(
          options.create
              ? absl::StrCat(path,
                             ": cannot create the store here (is the folder "
                             "there and writable?)")
              : absl::StrCat(path, ": no store here (`tellus import --store ",
                             path, " ...` creates one)"));
    }
    return impl->Error(rc, "opening the store");
  }
  TELLUS_RETURN_IF_ERROR(Configure(*impl));
  return Store(std::move(impl));
}

absl::Status Store::AddCase(const v1::Case& c) {
  TELLUS_ASSIGN_OR_RETURN(CaseState state, FoldCase(c));
  Impl& impl = *impl_;
  TELLUS_ASSIGN_OR_RETURN(
      Transaction tx,
      Transaction::Begin(impl, true, absl::StrCat("adding case ", c.ref())));
  TELLUS_ASSIGN_OR_RETURN(std::optional<HeldCase> held,
                          ReadHeldCase(impl, c.ref()));
  if (held) {
    return absl::AlreadyExistsError(absl::StrCat(
        "case ", c.ref(), " is already held; append new events to it instead"));
  }
  TELLUS_ASSIGN_OR_RETURN(QuestionSetMap sets, ReadQuestionSets(impl));
  TELLUS_RETURN_IF_ERROR(CheckLessonForms(sets, c.ref(), EventsOf(c)));
  Writer writer(impl, 0, impl.NowMicros());
  TELLUS_RETURN_IF_ERROR(writer.Init());
  TELLUS_RETURN_IF_ERROR(writer.InsertCase(c, state));
  return tx.Commit(absl::StrCat("adding case ", c.ref()));
}

absl::Status Store::AppendEvent(absl::string_view ref, const v1::Event& event) {
  Impl& impl = *impl_;
  const std::string doing = absl::StrCat("appending an event to case ", ref);
  TELLUS_ASSIGN_OR_RETURN(Transaction tx,
                          Transaction::Begin(impl, true, doing));
  TELLUS_ASSIGN_OR_RETURN(std::optional<HeldCase> held,
                          ReadHeldCase(impl, ref));
  if (!held) {
    return absl::NotFoundError(absl::StrCat(
        "case ", ref, " is not held in the store; add the case first"));
  }
  v1::Case merged = WithEvents(*held);
  *merged.add_events() = event;
  TELLUS_RETURN_IF_ERROR(FoldCase(merged).status());
  TELLUS_ASSIGN_OR_RETURN(QuestionSetMap sets, ReadQuestionSets(impl));
  TELLUS_RETURN_IF_ERROR(
      CheckLessonForms(sets, ref, std::vector<const v1::Event*>{&event}));
  Writer writer(impl, 0, impl.NowMicros());
  TELLUS_RETURN_IF_ERROR(writer.Init());
  TELLUS_RETURN_IF_ERROR(writer.InsertEvent(
      ref, static_cast<int64_t>(held->events.size()) + 1, event));
  return tx.Commit(doing);
}

absl::Status Store::AddInteraction(const v1::Interaction& interaction) {
  EventTime at;
  TELLUS_RETURN_IF_ERROR(ValidateInteraction(interaction, at));
  Impl& impl = *impl_;
  const std::string doing =
      absl::StrCat("adding interaction ", interaction.id());
  TELLUS_ASSIGN_OR_RETURN(Transaction tx,
                          Transaction::Begin(impl, true, doing));
  Writer writer(impl, 0, impl.NowMicros());
  TELLUS_RETURN_IF_ERROR(writer.Init());
  TELLUS_ASSIGN_OR_RETURN(bool inserted,
                          writer.InsertInteraction(interaction, at));
  if (!inserted) {
    return absl::AlreadyExistsError(
        absl::StrCat("interaction ", interaction.id(), " is already held"));
  }
  return tx.Commit(doing);
}

absl::StatusOr<StoreImportCounts> Store::AddRestrictions(
    absl::Span<const v1::Restriction> restrictions) {
  Impl& impl = *impl_;
  const std::string doing = "adding restrictions";
  TELLUS_ASSIGN_OR_RETURN(Transaction tx,
                          Transaction::Begin(impl, true, doing));
  const int64_t now = impl.NowMicros();
  TELLUS_ASSIGN_OR_RETURN(StoreImportCounts counts,
                          PutRestrictions(impl, restrictions, 0, now));
  if (counts.added + counts.extended > 0) {
    TELLUS_RETURN_IF_ERROR(
        Audit(impl, now, "restrictions", "",
              absl::StrCat(counts.added, " new restrictions, ", counts.extended,
                           " new restriction versions, ", counts.present,
                           " already present")));
  }
  TELLUS_RETURN_IF_ERROR(tx.Commit(doing));
  return counts;
}

absl::StatusOr<std::vector<v1::Restriction>> Store::Restrictions(
    const LoadOptions& options) {
  Impl& impl = *impl_;
  TELLUS_ASSIGN_OR_RETURN(
      Transaction tx,
      Transaction::Begin(impl, false, "reading the restrictions"));
  return ReadLatestRestrictions(impl, options.recorded_by);
}

absl::StatusOr<std::vector<StoredRestriction>> Store::RestrictionHistory(
    absl::string_view id) {
  Impl& impl = *impl_;
  const std::string doing = absl::StrCat("reading restriction ", id);
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * stmt,
      impl.Prepare("SELECT version, record, recorded_at, import_id, "
                   "anonymised_at FROM restrictions WHERE id = ? ORDER BY "
                   "version"));
  Query q(impl, stmt);
  q.Text(1, id);
  std::vector<StoredRestriction> out;
  while (true) {
    TELLUS_ASSIGN_OR_RETURN(bool row, q.Step(doing));
    if (!row) break;
    StoredRestriction& r = out.emplace_back();
    r.version = q.ColumnInt(0);
    const absl::string_view blob = q.ColumnBlob(1);
    if (!r.record.ParseFromArray(blob.data(), static_cast<int>(blob.size()))) {
      return Damaged(impl, absl::StrCat("restriction ", id, ": version ",
                                        r.version, " does not parse"));
    }
    r.recorded_at = FromMicros(q.ColumnInt(2));
    r.import_id = q.ColumnInt(3);
    if (!q.IsNull(4)) r.anonymised_at = FromMicros(q.ColumnInt(4));
  }
  if (out.empty()) {
    return absl::NotFoundError(
        absl::StrCat("restriction ", id, " is not held in the store"));
  }
  return out;
}

absl::StatusOr<bool> Store::PutQuestionSet(const v1::QuestionSet& set) {
  TELLUS_RETURN_IF_ERROR(ValidateQuestionSet(set));
  Impl& impl = *impl_;
  const std::string name =
      absl::StrCat("question set ", set.id(), " version ", set.version());
  const std::string doing = absl::StrCat("writing ", name);
  TELLUS_ASSIGN_OR_RETURN(Transaction tx,
                          Transaction::Begin(impl, true, doing));
  const std::string bytes = Serialize(set);
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * select,
      impl.Prepare("SELECT record FROM question_sets WHERE id = ? AND "
                   "version = ?"));
  {
    Query q(impl, select);
    q.Text(1, set.id()).Int(2, set.version());
    TELLUS_ASSIGN_OR_RETURN(bool row, q.Step(doing));
    if (row) {
      if (q.ColumnBlob(0) == bytes) return false;
      v1::QuestionSet held;
      const absl::string_view blob = q.ColumnBlob(0);
      if (!held.ParseFromArray(blob.data(), static_cast<int>(blob.size()))) {
        return Damaged(impl, absl::StrCat(name, " does not parse"));
      }
      return absl::FailedPreconditionError(absl::StrCat(
          name, " is already held with other content (",
          Difference(held, set, false),
          "); a version is written once: give the revision version ",
          "the next number"));
    }
  }
  const int64_t now = impl.NowMicros();
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * insert,
      impl.Prepare("INSERT INTO question_sets(id, version, record, "
                   "recorded_at) VALUES(?, ?, ?, ?)"));
  {
    Query q(impl, insert);
    q.Text(1, set.id()).Int(2, set.version()).Blob(3, bytes).Int(4, now);
    TELLUS_RETURN_IF_ERROR(q.Run(doing));
  }
  TELLUS_RETURN_IF_ERROR(Audit(impl, now, "question_set", "", name));
  TELLUS_RETURN_IF_ERROR(tx.Commit(doing));
  return true;
}

absl::StatusOr<v1::QuestionSet> Store::GetQuestionSet(absl::string_view id,
                                                      int32_t version) {
  TELLUS_ASSIGN_OR_RETURN(std::vector<v1::QuestionSet> sets, QuestionSets());
  for (v1::QuestionSet& set : sets) {
    if (set.id() == id && set.version() == version) return std::move(set);
  }
  return absl::NotFoundError(absl::StrCat(
      "question set ", id, " version ", version, " is not held in the store"));
}

absl::StatusOr<std::vector<v1::QuestionSet>> Store::QuestionSets() {
  Impl& impl = *impl_;
  TELLUS_ASSIGN_OR_RETURN(QuestionSetMap sets, ReadQuestionSets(impl));
  std::vector<v1::QuestionSet> out;
  for (auto& [key, set] : sets) out.push_back(std::move(set));
  return out;
}

absl::StatusOr<v1::Case> Store::GetCase(absl::string_view ref) {
  TELLUS_ASSIGN_OR_RETURN(StoredCase stored, GetStoredCase(ref));
  return std::move(stored.record);
}

absl::StatusOr<StoredCase> Store::GetStoredCase(absl::string_view ref) {
  Impl& impl = *impl_;
  const std::string doing = absl::StrCat("reading case ", ref);
  TELLUS_ASSIGN_OR_RETURN(Transaction tx,
                          Transaction::Begin(impl, false, doing));
  StoredCase out;
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * header,
      impl.Prepare("SELECT header, recorded_at, import_id, anonymised_at "
                   "FROM cases WHERE ref = ?"));
  {
    Query q(impl, header);
    q.Text(1, ref);
    TELLUS_ASSIGN_OR_RETURN(bool row, q.Step(doing));
    if (!row) {
      return absl::NotFoundError(
          absl::StrCat("case ", ref, " is not held in the store"));
    }
    const absl::string_view blob = q.ColumnBlob(0);
    if (!out.record.ParseFromArray(blob.data(),
                                   static_cast<int>(blob.size()))) {
      return Damaged(impl, absl::StrCat("case ", ref,
                                        ": the stored header does not parse"));
    }
    out.recorded_at = FromMicros(q.ColumnInt(1));
    out.import_id = q.ColumnInt(2);
    if (!q.IsNull(3)) out.anonymised_at = FromMicros(q.ColumnInt(3));
  }
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * events,
      impl.Prepare("SELECT seq, event, recorded_at, import_id FROM events "
                   "WHERE case_ref = ? ORDER BY seq"));
  {
    Query q(impl, events);
    q.Text(1, ref);
    while (true) {
      TELLUS_ASSIGN_OR_RETURN(bool row, q.Step(doing));
      if (!row) break;
      StoredEvent& e = out.log.emplace_back();
      e.seq = q.ColumnInt(0);
      const absl::string_view blob = q.ColumnBlob(1);
      if (!e.event.ParseFromArray(blob.data(), static_cast<int>(blob.size()))) {
        return Damaged(impl, absl::StrCat("case ", ref, ": stored event ",
                                          e.seq, " does not parse"));
      }
      e.recorded_at = FromMicros(q.ColumnInt(2));
      e.import_id = q.ColumnInt(3);
      *out.record.add_events() = e.event;
    }
  }
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * interactions,
      impl.Prepare(absl::StrCat("SELECT ", kInteractionColumns,
                                " FROM interactions WHERE case_ref = ? "
                                "ORDER BY id")));
  {
    Decoder decoder(impl);
    Query q(impl, interactions);
    q.Text(1, ref);
    while (true) {
      TELLUS_ASSIGN_OR_RETURN(bool row, q.Step(doing));
      if (!row) break;
      TELLUS_RETURN_IF_ERROR(
          decoder.Decode(interactions, 0, out.interactions.emplace_back()));
    }
  }
  return out;
}

absl::StatusOr<std::vector<ListedCase>> Store::ListCases(
    const CaseFilter& filter) {
  if ((filter.overdue_only || filter.overdue_stage) && !filter.on) {
    return absl::InvalidArgumentError(
        "overdue on which day? give the date to judge deadlines on");
  }
  Impl& impl = *impl_;
  TELLUS_ASSIGN_OR_RETURN(Transaction tx,
                          Transaction::Begin(impl, false, "listing cases"));
  std::vector<std::string> where;
  if (!filter.directorate.empty()) where.push_back("directorate = ?1");
  if (filter.type) where.push_back("type = ?2");
  if (!filter.customer.empty()) where.push_back("customer = ?3");
  if (filter.received_from) where.push_back("received_day >= ?4");
  if (filter.received_to) where.push_back("received_day <= ?5");
  if (filter.on) where.push_back("received_day <= ?6");
  auto bind = [&](sqlite3_stmt* s) {
    auto text = [&](int i, const std::string& v) {
      sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()),
                        SQLITE_STATIC);
    };
    if (!filter.directorate.empty()) text(1, filter.directorate);
    if (filter.type) sqlite3_bind_int64(s, 2, *filter.type);
    if (!filter.customer.empty()) text(3, filter.customer);
    if (filter.received_from) {
      sqlite3_bind_int64(s, 4, DayNumber(*filter.received_from));
    }
    if (filter.received_to) {
      sqlite3_bind_int64(s, 5, DayNumber(*filter.received_to));
    }
    if (filter.on) sqlite3_bind_int64(s, 6, DayNumber(*filter.on));
  };
  std::vector<ListedCase> out;
  const std::optional<absl::Time> as_of =
      filter.on ? std::optional(EndOfLondonDay(*filter.on)) : std::nullopt;
  TELLUS_RETURN_IF_ERROR(ForEachStoredCase(
      impl, absl::StrJoin(where, " AND "), bind, std::nullopt,
      [&](v1::Case& c, const CaseRow&) -> absl::Status {
        TELLUS_ASSIGN_OR_RETURN(CaseState state, FoldHeld(impl, c));
        if (as_of) state = SeenAt(state, *as_of);
        if (filter.status && state.status() != *filter.status) {
          return absl::OkStatus();
        }
        ListedCase listed;
        if (state.type == v1::CASE_TYPE_COMPLAINT) {
          listed.deadlines = Deadlines(state, filter.calendar, filter.policy);
          if (filter.on) {
            listed.overdue = OverdueOn(state, listed.deadlines, *filter.on,
                                       filter.calendar, filter.policy);
          }
        }
        if (filter.overdue_stage) {
          std::erase_if(listed.overdue, [&](const OverdueStep& step) {
            return step.stage != *filter.overdue_stage;
          });
        }
        if ((filter.overdue_only || filter.overdue_stage) &&
            listed.overdue.empty()) {
          return absl::OkStatus();
        }
        listed.record = std::move(c);
        listed.state = std::move(state);
        out.push_back(std::move(listed));
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<std::vector<v1::Case>> Store::Cases() {
  Impl& impl = *impl_;
  TELLUS_ASSIGN_OR_RETURN(Transaction tx,
                          Transaction::Begin(impl, false, "reading the cases"));
  std::vector<v1::Case> out;
  TELLUS_RETURN_IF_ERROR(ForEachStoredCase(impl, "", NoBindings, std::nullopt,
                                           [&](v1::Case& c, const CaseRow&) {
                                             out.push_back(std::move(c));
                                             c.Clear();
                                             return absl::OkStatus();
                                           }));
  return out;
}

absl::StatusOr<StoreImportSummary> Store::ImportCsv(
    const std::string& cases_path, const std::string& interactions_path,
    const StoreImportOptions& options) {
  ImportJob job{"csv", cases_path, interactions_path, cases_path,
                interactions_path};
  return RunImport(*impl_, job, options,
                   [&](StoreSink& sink, RejectSink& rejects,
                       ImportSummary& rows) -> absl::Status {
                     Importer importer(sink, &rejects, options.progress);
                     TELLUS_RETURN_IF_ERROR(importer.ImportCases(cases_path));
                     if (!interactions_path.empty()) {
                       TELLUS_RETURN_IF_ERROR(
                           importer.ImportInteractions(interactions_path));
                     }
                     rows = importer.summary();
                     return absl::OkStatus();
                   });
}

absl::StatusOr<StoreImportSummary> Store::ImportDataDir(
    const std::string& dir, const StoreImportOptions& options) {
  TELLUS_ASSIGN_OR_RETURN(DataDirFiles files, FindDataDirFiles(dir));
  ImportJob job{"protobuf",  files.cases,        files.interactions,
                files.cases, files.interactions, files.restrictions};
  return RunImport(
      *impl_, job, options,
      [&](StoreSink& sink, RejectSink&, ImportSummary& rows) -> absl::Status {
        rows.cases.file = files.cases;
        absl::flat_hash_set<std::string> refs;
        TELLUS_RETURN_IF_ERROR(
            ForEachCase(files.cases, [&](const v1::Case& c) -> absl::Status {
              ++rows.cases.read;
              TELLUS_ASSIGN_OR_RETURN(CaseState state, FoldCase(c));
              if (!refs.insert(c.ref()).second) {
                return absl::InvalidArgumentError(absl::StrCat(
                    "case ", c.ref(),
                    ": the reference is already used by an earlier record"));
              }
              TELLUS_RETURN_IF_ERROR(sink.OnCase(c, state));
              ++rows.cases.accepted;
              return absl::OkStatus();
            }));
        if (files.interactions.empty()) return absl::OkStatus();
        rows.interactions.file = files.interactions;
        absl::flat_hash_set<std::string> ids;
        return ForEachInteraction(
            files.interactions, [&](const v1::Interaction& i) -> absl::Status {
              ++rows.interactions.read;
              EventTime at;
              TELLUS_RETURN_IF_ERROR(ValidateInteraction(i, at));
              if (!ids.insert(i.id()).second) {
                return absl::InvalidArgumentError(absl::StrCat(
                    "interaction ", i.id(),
                    ": the id is already used by an earlier record"));
              }
              TELLUS_RETURN_IF_ERROR(sink.OnInteraction(i, at));
              ++rows.interactions.accepted;
              return absl::OkStatus();
            });
      });
}

absl::Status Store::ExportTo(const std::string& dir,
                             const ProtoStreamSinkOptions& options) {
  Impl& impl = *impl_;
  TELLUS_ASSIGN_OR_RETURN(Transaction tx,
                          Transaction::Begin(impl, false, "exporting"));
  TELLUS_ASSIGN_OR_RETURN(ProtoStreamSink sink,
                          ProtoStreamSink::Create(dir, options));
  TELLUS_RETURN_IF_ERROR(ForEachStoredCase(
      impl, "", NoBindings, std::nullopt,
      [&](v1::Case& c, const CaseRow&) { return sink.WriteCase(c); }));
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * interactions,
      impl.Prepare(absl::StrCat("SELECT ", kInteractionColumns,
                                " FROM interactions ORDER BY id")));
  Decoder decoder(impl);
  Query q(impl, interactions);
  v1::Interaction i;
  while (true) {
    TELLUS_ASSIGN_OR_RETURN(bool row, q.Step("exporting the interactions"));
    if (!row) break;
    TELLUS_RETURN_IF_ERROR(decoder.Decode(interactions, 0, i));
    TELLUS_RETURN_IF_ERROR(sink.WriteInteraction(i));
  }
  TELLUS_ASSIGN_OR_RETURN(std::vector<v1::Restriction> restrictions,
                          ReadLatestRestrictions(impl, std::nullopt));
  TELLUS_RETURN_IF_ERROR(sink.Commit());
  if (restrictions.empty()) return absl::OkStatus();
  return WriteRestrictions(dir, restrictions, options.format);
}

absl::StatusOr<Dataset> Store::LoadDataset(const LoadOptions& options) {
  Impl& impl = *impl_;
  TELLUS_ASSIGN_OR_RETURN(Transaction tx,
                          Transaction::Begin(impl, false, "loading"));
  DatasetBuilder builder;
  TELLUS_RETURN_IF_ERROR(ForEachStoredCase(
      impl, "", NoBindings, options.recorded_by,
      [&](v1::Case& c, const CaseRow&) -> absl::Status {
        TELLUS_ASSIGN_OR_RETURN(CaseState state, FoldHeld(impl, c));
        return builder.AddCase(c, state);
      }));
  std::vector<std::pair<std::string, std::string>> cells;
  {
    TELLUS_ASSIGN_OR_RETURN(
        sqlite3_stmt * stmt,
        impl.Prepare("SELECT id, directorate, service FROM cells"));
    Query q(impl, stmt);
    while (true) {
      TELLUS_ASSIGN_OR_RETURN(bool row, q.Step("reading the cells"));
      if (!row) break;
      const int64_t id = q.ColumnInt(0);
      if (id < 0 || id > (int64_t{1} << 24)) {
        return Damaged(impl, "a cell has an impossible number");
      }
      if (static_cast<size_t>(id) >= cells.size()) cells.resize(id + 1);
      cells[id] = {std::string(q.ColumnText(1)), std::string(q.ColumnText(2))};
    }
  }
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * stmt,
      impl.Prepare("SELECT day, cell, kind, case_ref FROM interactions WHERE "
                   "recorded_at <= ?"));
  Query q(impl, stmt);
  q.Int(1, options.recorded_by ? Micros(*options.recorded_by)
                               : std::numeric_limits<int64_t>::max());
  while (true) {
    TELLUS_ASSIGN_OR_RETURN(bool row, q.Step("loading the interactions"));
    if (!row) break;
    const int64_t cell = q.ColumnInt(1);
    const int64_t kind = q.ColumnInt(2);
    if (cell < 0 || static_cast<size_t>(cell) >= cells.size() ||
        kind <= v1::INTERACTION_KIND_UNSPECIFIED ||
        kind > v1::INTERACTION_KIND_FOLLOW_UP) {
      return Damaged(impl, "an interaction row holds impossible values");
    }
    builder.AddInteraction(FromDayNumber(static_cast<int32_t>(q.ColumnInt(0))),
                           cells[cell].first, cells[cell].second,
                           static_cast<v1::InteractionKind>(kind),
                           q.ColumnText(3));
  }
  TELLUS_ASSIGN_OR_RETURN(std::vector<v1::Restriction> restrictions,
                          ReadLatestRestrictions(impl, options.recorded_by));
  for (const v1::Restriction& r : restrictions) {
    if (absl::Status added = builder.AddRestriction(r); !added.ok()) {
      return Damaged(impl, added.message());
    }
  }
  return std::move(builder).Build();
}

absl::StatusOr<RetentionSummary> Store::Anonymise(
    const RetentionRequest& request) {
  Impl& impl = *impl_;
  const std::string doing = "anonymising closed cases";
  TELLUS_ASSIGN_OR_RETURN(Transaction tx,
                          Transaction::Begin(impl, true, doing));
  const int64_t now = impl.NowMicros();
  RetentionSummary summary;
  // Collect first: rows are not changed under an open cursor.
  TELLUS_RETURN_IF_ERROR(ForEachStoredCase(
      impl, "anonymised_at IS NULL", NoBindings, std::nullopt,
      [&](v1::Case& c, const CaseRow&) -> absl::Status {
        TELLUS_ASSIGN_OR_RETURN(CaseState state, FoldHeld(impl, c));
        const std::optional<absl::CivilDay> closed = ClosedOn(state);
        if (closed && *closed < request.closed_before) {
          summary.cases.push_back(c.ref());
        }
        return absl::OkStatus();
      }));
  TELLUS_RETURN_IF_ERROR(impl.Exec(
      absl::StrCat("INSERT INTO retention_active VALUES(", now, ")"), doing));

  TELLUS_ASSIGN_OR_RETURN(sqlite3_stmt * update_case,
                          impl.Prepare("UPDATE cases SET header = ?, customer "
                                       "= NULL, anonymised_at = ? WHERE ref "
                                       "= ?"));
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * events,
      impl.Prepare("SELECT seq, event FROM events WHERE case_ref = ?"));
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * update_event,
      impl.Prepare("UPDATE events SET event = ? WHERE case_ref = ? AND seq "
                   "= ?"));
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * case_interactions,
      impl.Prepare(absl::StrCat("SELECT ", kInteractionColumns,
                                " FROM interactions WHERE case_ref = ? AND "
                                "anonymised_at IS NULL")));
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * update_interaction,
      impl.Prepare("UPDATE interactions SET message = ?, customer = NULL, "
                   "anonymised_at = ? WHERE id = ?"));
  Decoder decoder(impl);

  // Rewrites the interactions `select` finds; returns how many.
  auto anonymise_interactions =
      [&](sqlite3_stmt* select,
          absl::FunctionRef<void(Query&)> bind) -> absl::StatusOr<int64_t> {
    std::vector<std::pair<v1::Interaction, std::string>> found;
    {
      Query q(impl, select);
      bind(q);
      while (true) {
        TELLUS_ASSIGN_OR_RETURN(bool row, q.Step(doing));
        if (!row) break;
        auto& [message, file] = found.emplace_back();
        TELLUS_RETURN_IF_ERROR(decoder.Decode(select, 0, message));
        // The residual keeps leaving out a source the line column holds.
        if (!q.IsNull(5)) file = message.source().file();
      }
    }
    v1::Interaction residual;
    for (auto& [message, file] : found) {
      summary.fields_cleared += AnonymiseInteraction(message);
      Residual(message, file, residual);
      const std::string bytes = Serialize(residual);
      Query q(impl, update_interaction);
      q.Blob(1, bytes).Int(2, now).Text(3, message.id());
      TELLUS_RETURN_IF_ERROR(q.Run(doing));
    }
    summary.interactions += static_cast<int64_t>(found.size());
    return static_cast<int64_t>(found.size());
  };

  for (const std::string& ref : summary.cases) {
    TELLUS_ASSIGN_OR_RETURN(std::optional<HeldCase> held,
                            ReadHeldCase(impl, ref));
    if (!held) continue;
    int cleared = AnonymiseHeader(held->header);
    const std::string header = Serialize(held->header);
    {
      Query q(impl, update_case);
      q.Blob(1, header).Int(2, now).Text(3, ref);
      TELLUS_RETURN_IF_ERROR(q.Run(doing));
    }
    std::vector<std::pair<int64_t, v1::Event>> themed;
    {
      Query q(impl, events);
      q.Text(1, ref);
      while (true) {
        TELLUS_ASSIGN_OR_RETURN(bool row, q.Step(doing));
        if (!row) break;
        v1::Event e;
        const absl::string_view blob = q.ColumnBlob(1);
        e.ParseFromArray(blob.data(), static_cast<int>(blob.size()));
        if (AnonymiseEvent(e) > 0) themed.emplace_back(q.ColumnInt(0), e);
      }
    }
    for (const auto& [seq, e] : themed) {
      const std::string bytes = Serialize(e);
      Query q(impl, update_event);
      q.Blob(1, bytes).Text(2, ref).Int(3, seq);
      TELLUS_RETURN_IF_ERROR(q.Run(doing));
    }
    cleared += static_cast<int>(themed.size());
    summary.fields_cleared += cleared;
    const int64_t before = summary.fields_cleared;
    TELLUS_ASSIGN_OR_RETURN(
        int64_t interactions,
        anonymise_interactions(case_interactions,
                               [&](Query& q) { q.Text(1, ref); }));
    if (!request.dry_run) {
      TELLUS_RETURN_IF_ERROR(
          Audit(impl, now, "retention", ref,
                absl::StrCat("anonymised: ", cleared,
                             " personal fields of the case and its events, ",
                             interactions, " interactions (",
                             summary.fields_cleared - before,
                             " fields); closed "
                             "before ",
                             FormatDate(request.closed_before))));
    }
  }
  // Contacts tied to no case held: their own date is when they closed.
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * loose,
      impl.Prepare(absl::StrCat(
          "SELECT ", kInteractionColumns,
          " FROM interactions i WHERE anonymised_at IS NULL AND ((day < ? "
          "AND (case_ref IS NULL OR NOT EXISTS (SELECT 1 FROM cases c "
          "WHERE c.ref = i.case_ref))) OR EXISTS (SELECT 1 FROM cases c "
          "WHERE c.ref = i.case_ref AND c.anonymised_at IS NOT NULL))")));
  const int64_t before_loose = summary.fields_cleared;
  TELLUS_ASSIGN_OR_RETURN(int64_t loose_count,
                          anonymise_interactions(loose, [&](Query& q) {
                            q.Int(1, DayNumber(request.closed_before));
                          }));
  TELLUS_RETURN_IF_ERROR(AnonymiseRestrictions(impl, request, now, summary));
  TELLUS_RETURN_IF_ERROR(impl.Exec("DELETE FROM retention_active", doing));
  if (request.dry_run) {
    tx.Rollback();
    return summary;
  }
  TELLUS_RETURN_IF_ERROR(Audit(
      impl, now, "retention", "",
      absl::StrCat("retention run: ", summary.cases.size(),
                   " cases closed before ", FormatDate(request.closed_before),
                   " anonymised; ", loose_count,
                   " interactions with no case held, dated before it, "
                   "anonymised (",
                   summary.fields_cleared - before_loose, " fields); ",
                   summary.restrictions.size(),
                   " restrictions ended before it anonymised")));
  TELLUS_RETURN_IF_ERROR(tx.Commit(doing));
  return summary;
}

absl::StatusOr<v1::SubjectAccessExport> Store::SubjectAccess(
    absl::string_view customer) {
  if (customer.empty()) {
    return absl::InvalidArgumentError("give the customer's identifier");
  }
  Impl& impl = *impl_;
  const std::string doing = "collecting a subject access export";
  TELLUS_ASSIGN_OR_RETURN(Transaction tx,
                          Transaction::Begin(impl, true, doing));
  const int64_t now = impl.NowMicros();
  v1::SubjectAccessExport out;
  out.set_customer(std::string(customer));
  *out.mutable_generated_at() =
      pb::util::TimeUtil::MicrosecondsToTimestamp(now);
  const std::string id(customer);
  TELLUS_RETURN_IF_ERROR(ForEachStoredCase(
      impl, "customer = ?1",
      [&](sqlite3_stmt* s) {
        sqlite3_bind_text(s, 1, id.data(), static_cast<int>(id.size()),
                          SQLITE_STATIC);
      },
      std::nullopt,
      [&](v1::Case& c, const CaseRow&) {
        *out.add_cases() = c;
        return absl::OkStatus();
      }));
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * stmt,
      impl.Prepare(absl::StrCat(
          "SELECT ", kInteractionColumns,
          " FROM interactions WHERE customer = ?1 OR case_ref IN (SELECT ref "
          "FROM cases WHERE customer = ?1) ORDER BY id")));
  {
    Decoder decoder(impl);
    Query q(impl, stmt);
    q.Text(1, id);
    while (true) {
      TELLUS_ASSIGN_OR_RETURN(bool row, q.Step(doing));
      if (!row) break;
      TELLUS_RETURN_IF_ERROR(decoder.Decode(stmt, 0, *out.add_interactions()));
    }
  }
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * restrictions,
      impl.Prepare("SELECT id, version, record FROM restrictions WHERE "
                   "customer = ? ORDER BY id, version"));
  {
    Query q(impl, restrictions);
    q.Text(1, id);
    while (true) {
      TELLUS_ASSIGN_OR_RETURN(bool row, q.Step(doing));
      if (!row) break;
      const absl::string_view blob = q.ColumnBlob(2);
      if (!out.add_restrictions()->ParseFromArray(
              blob.data(), static_cast<int>(blob.size()))) {
        return Damaged(
            impl, absl::StrCat("restriction ", q.ColumnText(0), ": version ",
                               q.ColumnInt(1), " does not parse"));
      }
    }
  }
  std::vector<std::string> refs;
  for (const v1::Case& c : out.cases()) refs.push_back(c.ref());
  // The identifier itself stays out of the audit table, so that retention
  // can remove it from everywhere.
  TELLUS_RETURN_IF_ERROR(
      Audit(impl, now, "subject_access", "",
            absl::StrCat("subject access export: ", out.cases_size(),
                         " cases (", absl::StrJoin(refs, ", "), "), ",
                         out.interactions_size(), " interactions, ",
                         out.restrictions_size(), " restriction versions")));
  TELLUS_RETURN_IF_ERROR(tx.Commit(doing));
  return out;
}

absl::StatusOr<std::vector<AuditEntry>> Store::AuditLog() {
  Impl& impl = *impl_;
  TELLUS_ASSIGN_OR_RETURN(
      sqlite3_stmt * stmt,
      impl.Prepare("SELECT id, at, action, case_ref, detail FROM audit ORDER "
                   "BY id"));
  Query q(impl, stmt);
  std::vector<AuditEntry> out;
  while (true) {
    TELLUS_ASSIGN_OR_RETURN(bool row, q.Step("reading the audit table"));
    if (!row) break;
    AuditEntry& e = out.emplace_back();
    e.id = q.ColumnInt(0);
    e.at = FromMicros(q.ColumnInt(1));
    e.action = std::string(q.ColumnText(2));
    e.case_ref = std::string(q.ColumnText(3));
    e.detail = std::string(q.ColumnText(4));
  }
  return out;
}

absl::Status Store::CheckIntegrity() {
  Impl& impl = *impl_;
  std::vector<std::string> problems;
  {
    TELLUS_ASSIGN_OR_RETURN(
        OneOffStatement check,
        OneOffStatement::Prepare(impl, "PRAGMA integrity_check(20)"));
    while (true) {
      const int rc = sqlite3_step(check.get());
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return impl.Error(rc, "checking integrity");
      const absl::string_view line = ColumnText(check.get(), 0);
      if (line != "ok") problems.emplace_back(line);
    }
  }
  {
    TELLUS_ASSIGN_OR_RETURN(
        OneOffStatement check,
        OneOffStatement::Prepare(impl, "PRAGMA foreign_key_check"));
    while (true) {
      const int rc = sqlite3_step(check.get());
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return impl.Error(rc, "checking references");
      problems.push_back(absl::StrCat("a row of ", ColumnText(check.get(), 0),
                                      " refers to a missing row of ",
                                      ColumnText(check.get(), 2)));
      if (problems.size() >= 20) break;
    }
  }
  if (problems.empty()) return absl::OkStatus();
  return Damaged(impl, absl::StrJoin(problems, "; "));
}

absl::StatusOr<StoreStats> Store::Stats() {
  Impl& impl = *impl_;
  TELLUS_ASSIGN_OR_RETURN(Transaction tx,
                          Transaction::Begin(impl, false, "counting"));
  StoreStats s;
  TELLUS_ASSIGN_OR_RETURN(int64_t version,
                          QueryInt(impl, "PRAGMA user_version", "counting"));
  s.schema_version = static_cast<int>(version);
  TELLUS_ASSIGN_OR_RETURN(
      s.cases, QueryInt(impl, "SELECT count(*) FROM cases", "counting"));
  TELLUS_ASSIGN_OR_RETURN(
      s.events, QueryInt(impl, "SELECT count(*) FROM events", "counting"));
  TELLUS_ASSIGN_OR_RETURN(
      s.interactions,
      QueryInt(impl, "SELECT count(*) FROM interactions", "counting"));
  TELLUS_ASSIGN_OR_RETURN(
      s.restrictions,
      QueryInt(impl, "SELECT count(DISTINCT id) FROM restrictions",
               "counting"));
  TELLUS_ASSIGN_OR_RETURN(
      s.question_sets,
      QueryInt(impl, "SELECT count(*) FROM question_sets", "counting"));
  TELLUS_ASSIGN_OR_RETURN(
      s.imports,
      QueryInt(impl,
               "SELECT count(*) FROM imports WHERE finished_at IS NOT "
               "NULL",
               "counting"));
  return s;
}

}  // namespace tellus
