// Protocol buffer streams in and out: length-delimited binary (the canonical
// form) and JSON Lines, and the data directory `tellus import --out DIR`
// writes and every other command reads.
//
//   // Import CSV into a data directory; nothing appears under the final
//   // names until Commit().
//   TELLUS_ASSIGN_OR_RETURN(tellus::ProtoStreamSink sink,
//                           tellus::ProtoStreamSink::Create("data"));
//   tellus::Importer importer(sink, &rejects);
//   TELLUS_RETURN_IF_ERROR(importer.ImportCases("cases.csv"));
//   TELLUS_RETURN_IF_ERROR(importer.ImportInteractions("interactions.csv"));
//   TELLUS_RETURN_IF_ERROR(sink.Commit());
//
//   // Read it back, every case through the state machine.
//   TELLUS_ASSIGN_OR_RETURN(tellus::Dataset data, tellus::LoadDataDir("data"));
//
//   // Or stream it without building a Dataset.
//   TELLUS_RETURN_IF_ERROR(tellus::ForEachCase(
//       "data/cases.binpb", [&](const tellus::v1::Case& c) {
//         return store.Put(c);
//       }));
//
// A data directory holds `cases.binpb` (length-delimited tellus.v1.Case)
// and `interactions.binpb` (length-delimited tellus.v1.Interaction), or the
// same as `cases.jsonl` / `interactions.jsonl` (one proto3 JSON object a
// line, field names as in the .proto). A length-delimited stream is what
// google::protobuf::util::SerializeDelimitedToOstream writes: each message
// preceded by its size as a varint.
//
// Protobuf input is the canonical form: a record that does not parse or
// does not validate fails the whole read with a message naming the file, the
// record (or line) and, once known, the case or interaction; it is never
// repaired or skipped.
#ifndef TELLUS_PROTO_IO_H_
#define TELLUS_PROTO_IO_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "google/protobuf/message.h"
#include "google/protobuf/message_lite.h"
#include "tellus/case.h"
#include "tellus/dataset.h"
#include "tellus/dates.h"
#include "tellus/import.h"
#include "tellus/v1/case.pb.h"
#include "tellus/v1/interaction.pb.h"
#include "tellus/v1/restriction.pb.h"

namespace tellus {

// --- File names ------------------------------------------------------------

enum class StreamFormat {
  kDelimited,  // binary, each message preceded by its size as a varint
  kJsonLines,  // one proto3 JSON object a line
};

inline constexpr absl::string_view kCasesDelimitedFile = "cases.binpb";
inline constexpr absl::string_view kInteractionsDelimitedFile =
    "interactions.binpb";
inline constexpr absl::string_view kCasesJsonLinesFile = "cases.jsonl";
inline constexpr absl::string_view kInteractionsJsonLinesFile =
    "interactions.jsonl";
// Optional: contact restrictions (tellus.v1.Restriction), restriction.h.
inline constexpr absl::string_view kRestrictionsDelimitedFile =
    "restrictions.binpb";
inline constexpr absl::string_view kRestrictionsJsonLinesFile =
    "restrictions.jsonl";

// The format a file name implies: ".jsonl" is JSON Lines, anything else is
// a length-delimited stream.
StreamFormat FormatOfPath(absl::string_view path);

// --- Options ---------------------------------------------------------------

struct StreamWriteOptions {
  // fsync the file in Close(), so that once Close() returns the bytes are on
  // disk (what an atomic rename into place needs to mean anything).
  bool sync = false;
};

struct StreamReadOptions {
  // A message (or JSON line) larger than this is an error: a corrupt size
  // prefix must not make the reader allocate gigabytes.
  size_t max_message_bytes = size_t{64} << 20;
  // JSON only: drop fields this version of the schema does not know (to
  // read a file written by a newer tellus). Off by default because the
  // proto3 JSON parser then also drops an enum value it does not know, which
  // would silently repair a misspelt one. Binary input keeps unknown fields
  // whatever this says.
  bool ignore_unknown_json_fields = false;
};

// --- Length-delimited streams ----------------------------------------------

// Writes a length-delimited stream to a file, buffered.
//
//   TELLUS_ASSIGN_OR_RETURN(DelimitedWriter w,
//                           DelimitedWriter::Create("cases.binpb"));
//   for (const v1::Case& c : cases) TELLUS_RETURN_IF_ERROR(w.Write(c));
//   TELLUS_RETURN_IF_ERROR(w.Close());  // a full disk shows up here
class DelimitedWriter {
 public:
  // Creates or truncates the file at `path`.
  static absl::StatusOr<DelimitedWriter> Create(
      const std::string& path, const StreamWriteOptions& options = {});

  DelimitedWriter(DelimitedWriter&&) noexcept;
  DelimitedWriter& operator=(DelimitedWriter&&) noexcept;
  // Closes the file if Close() was not called, ignoring errors.
  ~DelimitedWriter();

  absl::Status Write(const google::protobuf::MessageLite& message);
  // Flushes and closes the file; reports any write error so far. Writing
  // after Close() is an error.
  absl::Status Close();

  int64_t messages_written() const;
  const std::string& path() const;

 private:
  struct State;
  explicit DelimitedWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Reads a length-delimited stream, one message at a time, in bounded memory.
//
//   TELLUS_ASSIGN_OR_RETURN(DelimitedReader r,
//                           DelimitedReader::Open("cases.binpb"));
//   v1::Case c;
//   while (true) {
//     TELLUS_ASSIGN_OR_RETURN(bool more, r.Next(c));
//     if (!more) break;
//     ...
//   }
//
// A stream cut inside a message or its size prefix, bytes that do not parse
// as the message type, or a size beyond the limit is an error naming the
// file, the record (numbered from 1) and its byte offset; after an error
// every call returns the same error.
class DelimitedReader {
 public:
  static absl::StatusOr<DelimitedReader> Open(
      const std::string& path, const StreamReadOptions& options = {});
  // Reads `data` (tests, bytes from the C ABI); `name` is what errors call
  // the stream.
  static DelimitedReader FromString(std::string data, std::string name,
                                    const StreamReadOptions& options = {});

  DelimitedReader(DelimitedReader&&) noexcept;
  DelimitedReader& operator=(DelimitedReader&&) noexcept;
  ~DelimitedReader();

  // Replaces `message` with the next one. True for a message, false at a
  // clean end of the stream.
  absl::StatusOr<bool> Next(google::protobuf::MessageLite& message);

  // Messages returned so far: the number of the last one.
  int64_t records_read() const;
  const std::string& name() const;

 private:
  struct State;
  explicit DelimitedReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// --- JSON Lines ------------------------------------------------------------

// Writes one message a line in the proto3 JSON mapping, field names as in
// the .proto (`case_ref`, not `caseRef`); default values are left out, as
// the mapping allows, so a line holds what the message holds.
class JsonLinesWriter {
 public:
  static absl::StatusOr<JsonLinesWriter> Create(
      const std::string& path, const StreamWriteOptions& options = {});

  JsonLinesWriter(JsonLinesWriter&&) noexcept;
  JsonLinesWriter& operator=(JsonLinesWriter&&) noexcept;
  ~JsonLinesWriter();

  absl::Status Write(const google::protobuf::Message& message);
  absl::Status Close();

  int64_t messages_written() const;
  const std::string& path() const;

 private:
  struct State;
  explicit JsonLinesWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Reads one message a line. Lines that are empty or only white space are
// skipped; LF or CRLF. Errors name the file and the line.
class JsonLinesReader {
 public:
  static absl::StatusOr<JsonLinesReader> Open(
      const std::string& path, const StreamReadOptions& options = {});
  static JsonLinesReader FromString(std::string data, std::string name,
                                    const StreamReadOptions& options = {});

  JsonLinesReader(JsonLinesReader&&) noexcept;
  JsonLinesReader& operator=(JsonLinesReader&&) noexcept;
  ~JsonLinesReader();

  absl::StatusOr<bool> Next(google::protobuf::Message& message);

  // The line the last message was read from (the first line is 1).
  int64_t line() const;
  const std::string& name() const;

 private:
  struct State;
  explicit JsonLinesReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// --- Streaming readers -----------------------------------------------------

// Calls `fn` with every message of the file at `path`, delimited or JSON
// Lines as its name says (FormatOfPath). An error from `fn` stops the read
// and is returned with the file and the record (or line) in front, its code
// kept: "cases.binpb: record 3: case C3: stage 1 response ...".
absl::Status ForEachCase(const std::string& path,
                         absl::FunctionRef<absl::Status(const v1::Case&)> fn,
                         const StreamReadOptions& options = {});
absl::Status ForEachInteraction(
    const std::string& path,
    absl::FunctionRef<absl::Status(const v1::Interaction&)> fn,
    const StreamReadOptions& options = {});
absl::Status ForEachRestriction(
    const std::string& path,
    absl::FunctionRef<absl::Status(const v1::Restriction&)> fn,
    const StreamReadOptions& options = {});

// --- Data directories ------------------------------------------------------

struct ProtoStreamSinkOptions {
  StreamFormat format = StreamFormat::kDelimited;
  // fsync the files and the directory in Commit(), so that a crash after
  // Commit() returns loses nothing.
  bool sync = true;
};

// An ImportSink that writes accepted cases and interactions to a data
// directory. Everything goes to temporary files in the directory; Commit()
// moves each into place with a rename, which replaces any earlier file of
// that name in one step. Without Commit() (a `--strict` import that met a
// reject, an error, a crash) the final names are never touched and the
// destructor removes the temporary files.
//
// Each file is replaced atomically; the pair is not: a crash between the two
// renames leaves the new cases beside the old interactions.
class ProtoStreamSink : public ImportSink {
 public:
  // Creates `dir` (and its parents) when missing, and the temporary files.
  static absl::StatusOr<ProtoStreamSink> Create(
      const std::string& dir, const ProtoStreamSinkOptions& options = {});

  ProtoStreamSink(ProtoStreamSink&&) noexcept;
  ProtoStreamSink& operator=(ProtoStreamSink&&) noexcept;
  // Abort() unless committed.
  ~ProtoStreamSink() override;

  absl::Status OnCase(const v1::Case& c, const CaseState& state) override;
  absl::Status OnInteraction(const v1::Interaction& interaction,
                             const EventTime& at) override;

  // The same, for callers with messages but no import (conversions, the
  // store's export). Nothing is validated here: LoadDataDir validates.
  absl::Status WriteCase(const v1::Case& c);
  absl::Status WriteInteraction(const v1::Interaction& interaction);

  // Closes the temporary files and renames them to their final names;
  // removes the other format's files of the same data (a directory holds
  // one form). Both files are written, empty when nothing was accepted.
  absl::Status Commit();
  // Removes the temporary files; the directory is as it was.
  void Abort();

  int64_t cases_written() const;
  int64_t interactions_written() const;
  const std::string& dir() const;

 private:
  struct State;
  explicit ProtoStreamSink(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Writes a whole data directory at once (through a ProtoStreamSink).
absl::Status WriteDataDir(const std::string& dir,
                          absl::Span<const v1::Case> cases,
                          absl::Span<const v1::Interaction> interactions,
                          const ProtoStreamSinkOptions& options = {});

// Writes `dir`/restrictions.binpb (or .jsonl, as `format` says) through a
// temporary file renamed into place, and removes the other form's file.
// Nothing is validated here: LoadDataDir validates.
absl::Status WriteRestrictions(const std::string& dir,
                               absl::Span<const v1::Restriction> restrictions,
                               StreamFormat format = StreamFormat::kDelimited);

// The files of a data directory, found in either form.
struct DataDirFiles {
  std::string cases;         // always set
  std::string interactions;  // empty when the directory holds none
  std::string restrictions;  // empty when the directory holds none
};
// Fails when `dir` is not a directory, holds no cases file, or holds a file
// in both forms (which one is meant?).
absl::StatusOr<DataDirFiles> FindDataDirFiles(const std::string& dir);

// Reads a data directory into a Dataset. Every case goes through
// DatasetBuilder::AddCase (the state machine; a reference used twice is an
// error); every interaction needs an id used once, a valid time and a kind.
// A directory without an interactions file has no interactions; the same
// for restrictions, each of which must pass ValidateRestriction with an id
// used once.
absl::StatusOr<Dataset> LoadDataDir(const std::string& dir,
                                    const StreamReadOptions& options = {});

}  // namespace tellus

#endif  // TELLUS_PROTO_IO_H_
