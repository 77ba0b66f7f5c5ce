// Import of CSV exports: every row validated, every bad row rejected with the
// line, the column and a reason an officer can act on, nothing lost.
//
//   tellus::RejectsCsvWriter rejects(&rejects_file);   // optional
//   tellus::DatasetSink sink;                          // or a protobuf writer
//   tellus::Importer importer(sink, &rejects);
//   TELLUS_RETURN_IF_ERROR(importer.ImportCases("cases.csv"));
//   TELLUS_RETURN_IF_ERROR(importer.ImportInteractions("interactions.csv"));
//   const tellus::ImportSummary& s = importer.summary();
//   // s.cases.read == s.cases.accepted + s.cases.rejected, always.
//   tellus::Dataset data = std::move(sink).Build();
//
// A file-level fault (unreadable file, a header without a required column)
// is the returned Status; a bad row (a quote never closed included) is a
// Reject, reported to the RejectSink and counted, never repaired. Import
// cases first: an interaction is linked when its case_ref names a case
// accepted earlier.
#ifndef TELLUS_IMPORT_H_
#define TELLUS_IMPORT_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "tellus/case.h"
#include "tellus/csv_reader.h"
#include "tellus/dataset.h"
#include "tellus/v1/case.pb.h"
#include "tellus/v1/interaction.pb.h"

namespace tellus {

// A rejected row, as FORMATS.md's rejects file has it.
struct Reject {
  std::string file;    // the input file's name as given
  int64_t line = 0;    // the line the record starts on
  std::string column;  // the column at fault; empty when the rule spans columns
  std::string rule;    // a short rule name for summaries: "bad_value", ...
  std::string reason;  // what is wrong, for a person
  std::string record;  // the record's text exactly as read
};

// Why a row was refused, before it becomes a Reject.
struct RowError {
  std::string column;
  std::string rule;
  std::string reason;
};

struct FileSummary {
  std::string file;
  int64_t read = 0;  // rows (records other than the header and blank lines)
  int64_t accepted = 0;
  int64_t rejected = 0;
  std::map<std::string, int64_t> rejected_by_rule;
};

struct ImportSummary {
  FileSummary cases;
  FileSummary interactions;
  // Accepted interactions whose case_ref names no accepted case.
  int64_t unlinked_interactions = 0;
};

// An accepted interactions.csv row, parsed and validated: what
// InteractionRowParser makes of a record before (and unless) it becomes a
// v1::Interaction. The views point into the reader's buffers and the
// parser; they are valid during the call they are passed to.
struct InteractionRow {
  absl::string_view id;
  EventTime at;
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  absl::string_view directorate, service;  // "" when not known
  v1::InteractionKind kind = v1::INTERACTION_KIND_UNSPECIFIED;
  absl::string_view customer, case_ref;
  // Unknown columns with a value, as (name, value).
  absl::Span<const std::pair<absl::string_view, absl::string_view>> attributes;
  // Where the row was read (the message's source).
  absl::string_view file;
  int64_t line = 0;

  // The message: every field above (`out` is cleared first).
  void ToProto(v1::Interaction& out) const;
};

// Receives the rows an import accepts.
class ImportSink {
 public:
  virtual ~ImportSink() = default;
  virtual absl::Status OnCase(const v1::Case& c, const CaseState& state) = 0;
  // `interaction` is fully filled; `at` is its parsed time.
  virtual absl::Status OnInteraction(const v1::Interaction& interaction,
                                     const EventTime& at) = 0;
  // What the importer calls for each accepted interaction. By default the
  // row becomes a message (in `scratch`, reused from row to row) for
  // OnInteraction; a sink that needs no message overrides this and takes
  // the parsed fields as they are, which is most of an import's speed.
  virtual absl::Status OnInteractionRow(const InteractionRow& row,
                                        v1::Interaction& scratch);
  // The builder the sink collects rows into, when it is one (DatasetSink):
  // the importer then adds interactions to it directly, and may parse them
  // on several threads (ImportOptions::threads). Null for any other sink,
  // which gets every row through the calls above, in file order.
  virtual DatasetBuilder* dataset_builder() { return nullptr; }
};

// Receives rejected rows.
class RejectSink {
 public:
  virtual ~RejectSink() = default;
  virtual absl::Status OnReject(const Reject& reject) = 0;
};

// Writes rejects as CSV: "file,line,column,reason,record".
class RejectsCsvWriter : public RejectSink {
 public:
  explicit RejectsCsvWriter(std::ostream* out);
  absl::Status OnReject(const Reject& reject) override;

 private:
  std::ostream* out_;
  std::string buffer_;
};

// Keeps rejects in memory (tests, the C ABI, Python).
class RejectList : public RejectSink {
 public:
  absl::Status OnReject(const Reject& reject) override {
    rejects_.push_back(reject);
    return absl::OkStatus();
  }
  const std::vector<Reject>& rejects() const { return rejects_; }

 private:
  std::vector<Reject> rejects_;
};

// Collects accepted rows into a columnar Dataset.
class DatasetSink : public ImportSink {
 public:
  absl::Status OnCase(const v1::Case& c, const CaseState& state) override;
  absl::Status OnInteraction(const v1::Interaction& interaction,
                             const EventTime& at) override;
  // Straight into the columns, with no message in between.
  absl::Status OnInteractionRow(const InteractionRow& row,
                                v1::Interaction& scratch) override;
  DatasetBuilder* dataset_builder() override { return &builder_; }
  Dataset Build() && { return std::move(builder_).Build(); }

 private:
  DatasetBuilder builder_;
};

// Turns the fields of one cases.csv row into a case, or says which rule it
// breaks. Pure: the duplicate rule is the Importer's. Exposed for tests and
// the fuzzer.
class CaseRowParser {
 public:
  // Fails when a required column is missing from the header.
  static absl::StatusOr<CaseRowParser> Create(const CsvHeader& header);

  // Parses a well-formed record (as many fields as the header). On success
  // fills `out` (without its source) and `state`.
  std::optional<RowError> Parse(absl::Span<const absl::string_view> fields,
                                v1::Case& out, CaseState& state) const;

  int ref_column() const { return ref_; }

 private:
  CaseRowParser() = default;
  std::vector<std::string> names_;  // column names as written
  int ref_ = -1, type_ = -1, received_ = -1, directorate_ = -1;
  int service_ = -1, channel_ = -1, customer_ = -1, team_ = -1, staff_ = -1;
  int s1_ack_ = -1, s1_ext_ = -1, s1_resp_ = -1, s1_outcome_ = -1;
  int s2_req_ = -1, s2_ack_ = -1, s2_ext_ = -1, s2_resp_ = -1, s2_outcome_ = -1;
  int withdrawn_ = -1, ombudsman_ = -1, ombudsman_received_ = -1;
  int decision_ = -1, decided_ = -1, lessons_ = -1, remedy_ = -1;
  std::vector<int> known_;    // columns read (and checked) as values
  std::vector<int> unknown_;  // columns kept as attributes, never checked
};

// The same for interactions.csv rows.
class InteractionRowParser {
 public:
  static absl::StatusOr<InteractionRowParser> Create(const CsvHeader& header);
  std::optional<RowError> Parse(absl::Span<const absl::string_view> fields,
                                v1::Interaction& out, EventTime& at) const;
  // The same without the message, from a well-formed record: fills `row`
  // (not its file and line), whose attributes then point into this parser
  // until the next call.
  std::optional<RowError> Parse(const CsvRecord& record, InteractionRow& row);
  int id_column() const { return id_; }

 private:
  InteractionRowParser() = default;
  // Parse without the attributes; `ascii`: the fields are known to be
  // ASCII (so valid UTF-8).
  std::optional<RowError> ParseValues(
      absl::Span<const absl::string_view> fields, InteractionRow& row,
      bool ascii) const;
  std::vector<std::string> names_;
  int id_ = -1, at_ = -1, channel_ = -1, directorate_ = -1, service_ = -1;
  int kind_ = -1, customer_ = -1, case_ref_ = -1;
  std::vector<int> known_;
  std::vector<int> unknown_;
  std::vector<std::pair<absl::string_view, absl::string_view>> attributes_;
  // Attribute values that were not UTF-8, made so (a deque: views into its
  // strings stay valid as it grows).
  std::deque<std::string> repaired_values_;
};

struct ImportOptions {
  // Called now and then with the rows read so far (progress on a terminal).
  std::function<void(absl::string_view file, int64_t rows)> progress;
  // Threads to read a cases or interactions file on, when it is read from
  // a path into a DatasetSink; 0: one per core. The file is cut into as
  // many parts just after line ends, each part parsed and validated on its
  // own thread and the parts joined in file order, so that the data set,
  // the rejects (their order included), the summary and the progress calls
  // are those of a one-thread import. A part that turns out to begin inside
  // a record, or to name an id or case_ref an earlier part used, is read
  // again on this thread (correct, slower). Any other sink, and a reader,
  // are read on one thread.
  int threads = 1;
};

class IdSet;      // id_set.h, internal
class LinkBatch;  // link_batch.h, internal
struct InteractionChunk;
struct CaseChunk;

class Importer {
 public:
  Importer(ImportSink& sink, RejectSink* rejects, ImportOptions options = {});
  ~Importer();

  // Reads a cases.csv file; `display_name` is what rejects call it (the
  // name as given), defaulting to `path`.
  absl::Status ImportCases(const std::string& path,
                           const std::string& display_name = "");
  absl::Status ImportInteractions(const std::string& path,
                                  const std::string& display_name = "");
  // ImportCases(cases_path) then ImportInteractions(interactions_path), with
  // the same data set, rejects and summary; with a DatasetSink and more
  // than one thread (ImportOptions::threads), parts of the interactions
  // file are read while the cases are, their links to cases made once the
  // cases are in.
  absl::Status ImportCasesAndInteractions(
      const std::string& cases_path, const std::string& interactions_path,
      const std::string& cases_name = "",
      const std::string& interactions_name = "");
  // The same over a reader (tests, in-memory data).
  absl::Status ImportCases(CsvReader& reader, const std::string& display_name);
  absl::Status ImportInteractions(CsvReader& reader,
                                  const std::string& display_name);

  const ImportSummary& summary() const { return summary_; }

  // Where a record starts: its offset in the file and its line.
  struct Position {
    int64_t offset = 0;
    int64_t line = 0;
  };

 private:
  absl::Status RejectRow(FileSummary& file, const CsvRecord& record,
                         RowError error);
  absl::Status RejectRow(FileSummary& file, int64_t line,
                         absl::string_view record, RowError error);

  // Reads interactions rows from `reader` to the end of the input, or up
  // to the first record starting at or after `stop` (left unread; where it
  // is in `*next`).
  absl::Status InteractionRows(CsvReader& reader, const CsvHeader& header,
                               InteractionRowParser& parser,
                               const std::string& display_name, int64_t stop,
                               Position* next);
  // The same, queueing the links of rows naming a case in `links` (with a
  // DatasetSink), resolved when it fills.
  absl::Status InteractionRows(CsvReader& reader, const CsvHeader& header,
                               InteractionRowParser& parser,
                               const std::string& display_name, int64_t stop,
                               Position* next, LinkBatch& links);
  // Looks up the queued links' cases and adds the links to the builder,
  // counting those to no case this importer accepted as unlinked.
  void ResolveLinks(LinkBatch& links);
  // The same for cases.csv rows.
  absl::Status CaseRows(CsvReader& reader, const CsvHeader& header,
                        const CaseRowParser& parser,
                        const std::string& display_name, int64_t stop,
                        Position* next);
  // Hands an accepted case to the sink and records it as accepted.
  absl::Status AcceptCase(const v1::Case& c, const CaseState& state);
  // Whether `ref` names a case accepted by this importer; `case_row` is
  // the builder's row of the case `ref` names (with a DatasetSink).
  bool AcceptedHere(absl::string_view ref,
                    std::optional<uint32_t> case_row) const;
  // Threads to read a file on (ImportOptions::threads; 1 for a sink other
  // than a DatasetSink).
  int Threads() const;
  absl::Status ImportCasesInParallel(const std::string& path,
                                     const std::string& display_name,
                                     int threads);
  void ReadCaseChunk(const std::string& path, const CsvHeader& header,
                     const CaseRowParser& parser, CaseChunk& chunk) const;
  // A cases file to import before the interactions, and its display name.
  struct CasesFirst {
    std::string path;
    std::string name;
  };
  // With `cases_first`, imports that cases file (on this thread, before its
  // own part of the interactions) while the other parts are read.
  absl::Status ImportInteractionsInParallel(
      const std::string& path, const std::string& display_name,
      DatasetBuilder& builder, int threads,
      const CasesFirst* cases_first = nullptr);
  // Parses and validates one part of an interactions file on its own
  // (a worker thread of ImportInteractionsInParallel).
  void ReadInteractionChunk(const std::string& path, const CsvHeader& header,
                            InteractionRowParser parser,
                            const DatasetBuilder* builder,
                            InteractionChunk& chunk) const;

  ImportSink& sink_;
  DatasetBuilder* builder_;  // the sink's, when it is a DatasetSink
  RejectSink* rejects_;
  ImportOptions options_;
  ImportSummary summary_;
  // Any row's case_ref (a bitmap for numbered references; see id_set.h).
  std::unique_ptr<IdSet> case_refs_seen_;
  // The cases accepted: their references, or with a DatasetSink the
  // builder's rows that hold them ([first, end) ranges).
  absl::flat_hash_set<std::string> case_refs_accepted_;
  std::vector<std::pair<uint32_t, uint32_t>> own_case_rows_;
  // Interaction ids seen (a bitmap for numbered ids; see id_set.h).
  std::unique_ptr<IdSet> interaction_ids_seen_;
};

// One line per file: rows read, accepted, rejected by rule; unlinked.
std::string FormatSummary(const ImportSummary& summary);

}  // namespace tellus

#endif  // TELLUS_IMPORT_H_
