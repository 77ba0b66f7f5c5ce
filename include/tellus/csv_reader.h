// A streaming RFC 4180 reader for CSV exports of millions of rows, in
// bounded memory, plus the header helper and the writer the rejects file uses.
//
//   absl::StatusOr<tellus::CsvReader> reader =
//       tellus::CsvReader::OpenFile("interactions.csv");
//   if (!reader.ok()) return reader.status();
//   tellus::CsvRecord record;
//   absl::StatusOr<bool> more = reader->Next(record);  // the header
//   if (!more.ok()) return more.status();
//   absl::StatusOr<tellus::CsvHeader> header =
//       tellus::CsvHeader::Create(record.fields);
//   std::optional<int> at = header->FindColumn("at");
//   while (true) {
//     more = reader->Next(record);
//     if (!more.ok()) return more.status();  // e.g. an unterminated quote
//     if (!*more) break;                      // end of file
//     if (!record.error.empty()) { /* reject the row: record.error */ }
//     if (record.fields.size() != header->size()) { /* wrong field count */ }
//     absl::string_view value = record.fields[*at];  // valid until Next()
//   }
//
// The rules (FORMATS.md, "CSV rules"):
// - Comma separated; a field may be quoted with `"`, and inside quotes `""`
//   is one quote and commas, CR and LF are part of the value.
// - A leading UTF-8 byte-order mark is skipped.
// - Lines end at LF. An unquoted CR just before an LF (or at the very end of
//   the input) belongs to the line terminator; any other CR is data.
// - Lines are counted at LF, the first line being line 1; a record is
//   numbered by the line it starts on, so a quoted newline makes the next
//   record's number jump.
// - A line that is empty or holds only spaces is skipped (still counted).
// - Spaces between a field's start and its opening quote, and between its
//   closing quote and the next comma or line end, are dropped: values are
//   trimmed of spaces anyway, and this lets `a, "b,c"` mean what it says.
// - A malformed record does not stop the file. A quote inside an unquoted
//   field (`ab"c`) or text after a closing quote (`"ab"c`) sets
//   `CsvRecord::error`; the record ends at the first LF after the fault
//   (quotes after it are taken literally), its fields are a best-effort
//   split, and the caller rejects it as a row. A quoted field still open at
//   the end of the input makes the rest of the input one malformed record
//   (FORMATS.md rejects bad rows; it fails a file only for its header).
//   Besides a failed read, only one fault ends the file with an error status
//   from Next(): a record larger than `CsvReaderOptions::max_record_bytes`
//   (almost always an unclosed quote in a large file).
#ifndef TELLUS_CSV_READER_H_
#define TELLUS_CSV_READER_H_

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace tellus {

// One record as read. Every view points into the reader's buffers and is
// valid until the next call to Next() (or until the reader is destroyed).
struct CsvRecord {
  // The fields, unquoted and unescaped, not trimmed.
  std::vector<absl::string_view> fields;
  // The physical line the record starts on (the header is line 1).
  int64_t line = 0;
  // The record's text exactly as read, without its final line terminator
  // (LF or CRLF); quoted newlines inside it are kept.
  absl::string_view raw;
  // True for a blank line (empty or only spaces). Blank lines are returned
  // only with CsvReaderOptions::return_blank_lines; `fields` is then empty.
  bool blank = false;
  // Empty for a well-formed record; otherwise why it is malformed ("a quote
  // inside an unquoted field"), and the 0-based field where the fault is.
  absl::string_view error;
  int error_field = -1;
  // The byte offset in the input where the record starts (a skipped
  // byte-order mark counts; a reader opened with OpenFileAt counts from the
  // file's start).
  int64_t offset = 0;
  // True for a record whose quoted field is never closed: it runs to the end
  // of the input, and `error` names the line the quote opened on.
  bool unclosed_quote = false;
};

struct CsvReaderOptions {
  // Bytes read from the source at a time; the buffer grows past this only
  // for a record longer than a block.
  size_t block_size = size_t{1} << 20;
  // A record longer than this is an error (bounds memory when a quote is
  // never closed).
  size_t max_record_bytes = size_t{64} << 20;
  // Return blank lines as records with `blank` set instead of skipping them.
  bool return_blank_lines = false;
};

class CsvReader {
 public:
  // Reads the file at `path`; fails when it cannot be opened.
  static absl::StatusOr<CsvReader> OpenFile(
      const std::string& path, const CsvReaderOptions& options = {});
  // Reads the file at `path` from byte `offset`, which must be the start of
  // a record, numbering the line there `first_line`: how a parallel import
  // reads one part of a file. No byte-order mark is looked for.
  static absl::StatusOr<CsvReader> OpenFileAt(
      const std::string& path, int64_t offset, int64_t first_line,
      const CsvReaderOptions& options = {});
  // Reads `data` (copied as it is read; tests and small inputs).
  static CsvReader FromString(std::string data,
                              const CsvReaderOptions& options = {});
  // Reads `in`, which must outlive the reader.
  static CsvReader FromStream(std::istream& in,
                              const CsvReaderOptions& options = {});

  CsvReader(CsvReader&&) noexcept;
  CsvReader& operator=(CsvReader&&) noexcept;
  ~CsvReader();

  // Reads the next record into `out`. Returns true for a record, false at the
  // end of the input, or an error naming the line (after which every call
  // returns the same error).
  absl::StatusOr<bool> Next(CsvRecord& out);

  // Physical lines consumed so far (the line number of the last line read).
  int64_t lines_read() const;
  // Blank lines skipped (or returned) so far.
  int64_t blank_lines() const;
  // The offset in the input of the first byte not yet consumed: after a
  // record, where the next one (or a blank line) starts.
  int64_t offset() const;

 private:
  struct State;
  explicit CsvReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// The header row: column names matched case-insensitively (ASCII) after
// trimming spaces.
//
//   absl::StatusOr<CsvHeader> header = CsvHeader::Create(record.fields);
//   std::optional<int> col = header->FindColumn(" Case_Ref ");
//
// Two columns may share a name (spreadsheets export blank names for empty
// trailing columns): FORMATS.md keeps unknown columns whatever they are, so
// only a caller that reads a column by name can tell whether naming it twice
// is an error (IsDuplicated).
class CsvHeader {
 public:
  static absl::StatusOr<CsvHeader> Create(
      absl::Span<const absl::string_view> names);

  // The index of the first column named `name` (trimmed, any case), if any.
  std::optional<int> FindColumn(absl::string_view name) const;
  // Whether more than one column is named `name` (trimmed, any case).
  bool IsDuplicated(absl::string_view name) const;

  // The number of columns.
  size_t size() const { return names_.size(); }
  // The name of column `i` trimmed of spaces, in the file's own case.
  const std::string& name(int i) const { return names_[i]; }

 private:
  std::vector<std::string> names_;
  absl::flat_hash_map<std::string, int> index_;  // folded name -> column
  absl::flat_hash_set<std::string> duplicated_;  // folded names seen twice
};

// Appends `value` as one CSV field, quoted (with `"` doubled) when it holds a
// comma, a quote, CR or LF.
void AppendCsvField(std::string& out, absl::string_view value);

// Appends `fields` as one record ending in LF. A record of one field that is
// empty or only spaces is quoted, so that it is not read back as a blank
// line.
void AppendCsvRecord(std::string& out,
                     absl::Span<const absl::string_view> fields);

}  // namespace tellus

#endif  // TELLUS_CSV_READER_H_
