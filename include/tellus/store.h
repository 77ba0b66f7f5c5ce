// The embedded store: an append-only register of cases, their event logs and
// interactions in one SQLite file that loses nothing.
//
//   TELLUS_ASSIGN_OR_RETURN(tellus::Store store,
//                           tellus::Store::Open("council.tellus"));
//   // One transaction: all of it or none of it. Again: "0 new cases".
//   TELLUS_ASSIGN_OR_RETURN(tellus::StoreImportSummary imported,
//                           store.ImportCsv("cases.csv", "interactions.csv"));
//   std::fputs(tellus::FormatStoreImportSummary(imported).c_str(), stderr);
//   // A new event, checked by the state machine like an imported one.
//   TELLUS_RETURN_IF_ERROR(store.AppendEvent("CMP-2023-0412", event));
//   TELLUS_ASSIGN_OR_RETURN(tellus::Dataset data, store.LoadDataset());
//   report = tellus::BuildReport(data, request);  // exact as-of rules
//
// Nothing is updated in place. A case's header is written once; its events
// are an append-only log (a correction is a new event); an interaction is
// written once. The schema enforces this with triggers. The one exception
// is retention (Anonymise), which blanks personal fields of long-closed
// cases and writes what it did to the audit table. The tables: cases (the
// header as a serialized tellus.v1.Case, with type, directorate, received
// day and customer as indexed columns), events (case, sequence number,
// serialized tellus.v1.Event, its SHA-256), interactions (id, the columns
// the report reads, the rest of the message), cells, imports, audit; the
// version is PRAGMA user_version, upgraded by a list of migrations.
//
// Durability: WAL journal with synchronous=FULL by default, so a committed
// transaction survives a crash or power cut; a killed writer leaves the
// file as it was before its transaction. Concurrency: any number of readers
// and one writer at a time, across threads (one Store each) and processes. A
// writer waits up to `busy_timeout` for another writer, then fails with
// "the database is busy" (absl::StatusCode::kAborted: try again later). A Store
// object is not thread-safe: open one per thread.
//
// Idempotent imports. A record's key is its case reference or interaction
// id, and an event's is the SHA-256 of its serialized form (within its
// case). Importing a record the store already holds identically adds
// nothing and is counted as "already present". A case held with the same
// header gains the file's events it does not hold yet, when the stored
// history plus those events is one the state machine accepts ("extended");
// otherwise the row is refused as a conflict, with the state machine's
// reason. Events the store holds and the file lacks are kept. A case held
// with a different header, an interaction held with different content, or
// a remedy other than the one held is a conflict too: the store keeps what
// it holds, and a conflict is reported like a rejected row (rule
// "conflicts_with_store", with an empty record text; conflicting
// interactions after the file's rejected rows). The source file and
// line of a record are where it was first read and take no part in the
// comparison; nor do personal fields of an anonymised record, which an
// import never puts back. Each import's files are also content-addressed
// (SHA-256) in the imports table, so the summary can say that the same
// content was imported before.
//
// Contact restrictions (restriction.h; they are not cases) are kept as an
// append-only history of versions: a restriction that later gains a review
// or an end date is stored again as its next version, validated like the
// first, and the latest version is the one in force. A restriction whose
// content (less its source) the store holds in any version adds nothing
// ("already present"), so importing an old file again never rolls one
// back. Question sets (the Lessons Learnt forms' configuration) are written
// once per (id, version); the same again adds nothing and other content
// under a held (id, version) is refused. A lesson naming a question set the
// store holds is checked against it (learning_rules.h: CheckAnswers) when
// it is written; one naming a set the store does not hold is accepted, as
// in a data directory.
#ifndef TELLUS_STORE_H_
#define TELLUS_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "tellus/calendar.h"
#include "tellus/case.h"
#include "tellus/dataset.h"
#include "tellus/import.h"
#include "tellus/proto_io.h"
#include "tellus/timescales.h"
#include "tellus/v1/case.pb.h"
#include "tellus/v1/interaction.pb.h"
#include "tellus/v1/question_set.pb.h"
#include "tellus/v1/restriction.pb.h"
#include "tellus/v1/store.pb.h"

namespace tellus {

namespace store_internal {
struct Connection;  // the SQLite connection and its prepared statements
}  // namespace store_internal

// The schema version this tellus writes (PRAGMA user_version). Opening a
// store with an older version migrates it; a newer one is refused.
inline constexpr int kStoreSchemaVersion = 2;

struct StoreOptions {
  // Create the file (and the schema) when it does not exist.
  bool create = true;
  // How long a writer waits for another writer before "database is busy".
  absl::Duration busy_timeout = absl::Seconds(10);
  // synchronous=FULL: a commit is on disk when it returns. False gives
  // NORMAL, which in WAL mode can lose the last commits (never consistency)
  // on a power cut.
  bool full_sync = true;
  // Stamps the time rows are recorded (tests set it); default absl::Now.
  std::function<absl::Time()> clock;
};

// Which cases ListCases returns. Unset fields match everything.
struct CaseFilter {
  std::string directorate;
  std::optional<v1::CaseType> type;
  std::string customer;
  std::optional<absl::CivilDay> received_from;  // inclusive
  std::optional<absl::CivilDay> received_to;    // inclusive
  // The status now, or on `on` when set.
  std::optional<CaseStatus> status;
  // Judge status and deadlines on what was known at the end of this London
  // day (METRICS.md's as-of rule); cases received later are left out.
  std::optional<absl::CivilDay> on;
  // Only complaints with an acknowledgement or response overdue on `on`
  // (which must be set), at this stage when given.
  bool overdue_only = false;
  std::optional<v1::Stage> overdue_stage;
  // The council's working days and timescales.
  Calendar calendar = Calendar::ForRegion();
  TimescalePolicy policy;
};

// A step of the procedure whose due date has passed without it.
struct OverdueStep {
  v1::Stage stage = v1::STAGE_1;
  bool acknowledgement = false;  // else the response
  absl::CivilDay due;            // with any agreed extension
  int working_days_late = 0;     // on the day asked about
};
// "stage 1 response due 2024-05-10, 3 working days late"
std::string DescribeOverdue(const OverdueStep& step);

struct ListedCase {
  v1::Case record;          // header and whole history, in recorded order
  CaseState state;          // as known at the end of `on`, or now
  CaseDeadlines deadlines;  // complaints only (see case.h)
  std::vector<OverdueStep> overdue;  // when `on` is set
};

// One entry of a case's event log.
struct StoredEvent {
  int64_t seq = 0;  // 1, 2, ... in the order recorded
  v1::Event event;
  absl::Time recorded_at;
  int64_t import_id = 0;  // the import that added it; 0 when added directly
};

struct StoredCase {
  v1::Case record;  // header and events in recorded order
  std::vector<StoredEvent> log;
  absl::Time recorded_at;
  int64_t import_id = 0;
  std::optional<absl::Time> anonymised_at;
  std::vector<v1::Interaction> interactions;  // naming this case, by id
};

// What an import did to the store.
struct StoreImportCounts {
  int64_t added = 0;     // new records
  int64_t present = 0;   // already held, nothing new
  int64_t extended = 0;  // cases held that gained events
  int64_t events_appended = 0;
  int64_t conflicting = 0;  // held with other content: refused
};

// One version of a contact restriction as the store holds it.
struct StoredRestriction {
  v1::Restriction record;
  int64_t version = 0;  // 1, 2, ... in the order recorded
  absl::Time recorded_at;
  int64_t import_id = 0;  // the import that added it; 0 when added directly
  std::optional<absl::Time> anonymised_at;
};

struct StoreImportSummary {
  // Rows read, accepted and rejected, as the importer counts them; a
  // conflicting row counts as rejected (rule "conflicts_with_store"), and
  // unlinked interactions are those naming no case the store holds.
  ImportSummary rows;
  StoreImportCounts cases;
  StoreImportCounts interactions;
  int64_t import_id = 0;  // the imports table's row; 0 when not committed
  std::string cases_sha256;
  std::string interactions_sha256;  // empty without an interactions file
  // Restrictions added with the import: `added` new ones, `extended` held
  // ones that gained a version, `present` already held as they are.
  StoreImportCounts restrictions;
  int64_t restriction_warnings = 0;  // warnings given (StoreImportOptions)
  // An earlier committed import of the same content, if any.
  std::optional<int64_t> same_content_as;
  std::optional<absl::Time> same_content_at;
};

// Lines for a person: the importer's summary, then what the store gained.
std::string FormatStoreImportSummary(const StoreImportSummary& summary);
// "Restrictions: 2 new, 1 with a new version, 3 already present\n".
std::string FormatRestrictionCounts(const StoreImportCounts& counts);

struct StoreImportOptions {
  RejectSink* rejects = nullptr;  // rejected rows and conflicts, if wanted
  // Any rejected row or conflict fails the import and writes nothing.
  bool strict = false;
  ImportOptions progress;
  // Contact restrictions to add in the same transaction, before the cases
  // (as AddRestrictions); any that fails fails the import. ImportDataDir
  // adds the directory's own restrictions file too.
  std::vector<v1::Restriction> restrictions;
  // When set, called with a warning (restriction_check.h) for each case the
  // import adds whose customer is under a restriction the store holds
  // (with this import's) in force on the day it was received and covering
  // its service. A warning never changes what is imported.
  std::function<void(const std::string&)> warn;
};

struct LoadOptions {
  // Only what the store held at this instant: rows recorded later are left
  // out ("what did we know then", beside the report's own as-of rule over
  // event dates). Unset: everything.
  std::optional<absl::Time> recorded_by;
};

// Anonymising blanks the customer, the staff member a compliment names,
// Lessons Learnt themes and the values of unknown CSV columns (tellus cannot
// tell free text from codes there, so it blanks them all, keeping the
// column names); of interactions, the customer and unknown columns; of
// restrictions that ended before the day, the customer and the free text
// of every version (customer and reason, which a restriction must have,
// become "anonymised"; arrangement and review notes are blanked). Nothing a
// report counts is touched.
struct RetentionRequest {
  // Anonymise cases closed (final response, withdrawal; a compliment or an
  // enquiry on receipt) before this London day, their interactions, and
  // interactions with no case held dated before it.
  absl::CivilDay closed_before;
  bool dry_run = false;  // count, change nothing, audit nothing
};

struct RetentionSummary {
  std::vector<std::string> cases;  // references anonymised, in order
  // Restrictions that ended before the day, anonymised (every version).
  std::vector<std::string> restrictions;
  int64_t fields_cleared = 0;  // customer, staff, attribute values, themes
  int64_t interactions = 0;    // interactions anonymised
};

struct AuditEntry {
  int64_t id = 0;
  absl::Time at;
  std::string action;  // "schema", "import", "retention", "subject_access"
  std::string case_ref;
  std::string detail;
};

struct StoreStats {
  int schema_version = 0;
  int64_t cases = 0;
  int64_t events = 0;
  int64_t interactions = 0;
  int64_t imports = 0;
  int64_t restrictions = 0;  // distinct ids
  int64_t question_sets = 0;
};

class Store {
 public:
  // Opens or creates the store at `path`. Fails with a message an officer
  // can act on when the file is not a tellus store, is damaged, was written
  // by a newer tellus, or is busy beyond the timeout.
  static absl::StatusOr<Store> Open(const std::string& path,
                                    const StoreOptions& options = {});

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  const std::string& path() const;

  // Adds a new case with its history, validated by FoldCase. AlreadyExists
  // when the reference is held (AppendEvent adds to a held case).
  absl::Status AddCase(const v1::Case& c);
  // Appends one event to a held case. The stored history plus the event
  // must fold (the same rules and messages as an import).
  absl::Status AppendEvent(absl::string_view ref, const v1::Event& event);
  // Adds a new interaction: an id, a valid time and a kind. AlreadyExists
  // when the id is held.
  absl::Status AddInteraction(const v1::Interaction& interaction);

  // Adds contact restrictions in one transaction: each validated
  // (ValidateRestriction), its id once in the call. One the store holds
  // with the same content in any version is counted as present; one with
  // other content becomes the restriction's next version, which must name
  // the same customer, and cannot follow an anonymised one. Any error
  // writes nothing. Counts as in StoreImportSummary::restrictions.
  absl::StatusOr<StoreImportCounts> AddRestrictions(
      absl::Span<const v1::Restriction> restrictions);
  // The latest version of every restriction (what is in force), by id;
  // with `recorded_by`, as the store held them then.
  absl::StatusOr<std::vector<v1::Restriction>> Restrictions(
      const LoadOptions& options = {});
  // Every version of one restriction, oldest first; NotFound when not held.
  absl::StatusOr<std::vector<StoredRestriction>> RestrictionHistory(
      absl::string_view id);

  // Writes a question set (ValidateQuestionSet): true when added, false
  // when the store holds the same (id, version) with the same content.
  // FailedPrecondition, naming the difference, for other content under a
  // held (id, version): a revision takes the next version.
  absl::StatusOr<bool> PutQuestionSet(const v1::QuestionSet& set);
  // NotFound when not held.
  absl::StatusOr<v1::QuestionSet> GetQuestionSet(absl::string_view id,
                                                 int32_t version);
  // Every question set, by id and version.
  absl::StatusOr<std::vector<v1::QuestionSet>> QuestionSets();

  // The case with its whole history; NotFound when not held.
  absl::StatusOr<v1::Case> GetCase(absl::string_view ref);
  // The same with its event log's bookkeeping and its interactions.
  absl::StatusOr<StoredCase> GetStoredCase(absl::string_view ref);
  absl::StatusOr<std::vector<ListedCase>> ListCases(const CaseFilter& filter);
  // Every case with its whole history, by reference, from one snapshot
  // (for the learning listings, learning_lists.h, which read the records).
  absl::StatusOr<std::vector<v1::Case>> Cases();

  // Imports CSV exports (FORMATS.md) in one transaction; an empty
  // `interactions_path` means cases only. The display names default to the
  // paths.
  absl::StatusOr<StoreImportSummary> ImportCsv(
      const std::string& cases_path, const std::string& interactions_path,
      const StoreImportOptions& options = {});
  // Imports a data directory (proto_io.h) in one transaction. A record
  // that does not validate fails the whole import.
  absl::StatusOr<StoreImportSummary> ImportDataDir(
      const std::string& dir, const StoreImportOptions& options = {});

  // Writes everything to a data directory (proto_io.h), from one snapshot,
  // with restrictions.binpb (the latest versions) when any are held.
  absl::Status ExportTo(const std::string& dir,
                        const ProtoStreamSinkOptions& options = {});
  // Reads everything (or what was recorded by a time) into a Dataset, from
  // one snapshot: the cases, the interactions and the latest version of
  // each restriction.
  absl::StatusOr<Dataset> LoadDataset(const LoadOptions& options = {});

  // Anonymises long-closed cases (see RetentionRequest), in one
  // transaction, one audit entry per case. Report figures do not change.
  absl::StatusOr<RetentionSummary> Anonymise(const RetentionRequest& request);
  // Everything held about one customer: cases, interactions and every
  // version of the restrictions naming the customer. Audited (without the
  // identifier).
  absl::StatusOr<v1::SubjectAccessExport> SubjectAccess(
      absl::string_view customer);

  // The audit table, oldest first.
  absl::StatusOr<std::vector<AuditEntry>> AuditLog();
  // PRAGMA integrity_check and foreign_key_check: DataLoss naming the first
  // problems, or OK.
  absl::Status CheckIntegrity();
  absl::StatusOr<StoreStats> Stats();

 private:
  explicit Store(std::unique_ptr<store_internal::Connection> impl);
  std::unique_ptr<store_internal::Connection> impl_;
};

// The proto3 JSON of a subject access export, field names as in the .proto,
// indented for a person.
absl::StatusOr<std::string> SubjectAccessJson(
    const v1::SubjectAccessExport& export_message);

}  // namespace tellus

#endif  // TELLUS_STORE_H_
