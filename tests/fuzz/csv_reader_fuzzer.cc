// libFuzzer target for CsvReader: no input may crash it, and what it returns
// must hold together. The first byte chooses the block size (so records
// straddle block boundaries in every way) and whether blank lines are
// returned; the rest is the CSV text.
//
// Checked for every record: line numbers increase; `raw` is a piece of the
// input; a well-formed record written back with AppendCsvRecord reads back
// as the same fields.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tellus/csv_reader.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "csv_reader_fuzzer: check failed: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  tellus::CsvReaderOptions options;
  const uint8_t control = data[0];
  options.block_size =
      (control & 0x3F) == 0x3F ? size_t{1} << 20 : (control & 0x3F) + 1;
  options.return_blank_lines = (control & 0x40) != 0;
  options.max_record_bytes = 4096;
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);

  tellus::CsvReader reader = tellus::CsvReader::FromString(input, options);
  tellus::CsvRecord record;
  int64_t last_line = 0;
  size_t newlines = 0;
  for (char c : input) newlines += c == '\n';
  while (true) {
    absl::StatusOr<bool> more = reader.Next(record);
    if (!more.ok() || !*more) break;
    Check(record.line > last_line, "line numbers increase");
    Check(record.line <= static_cast<int64_t>(newlines) + 1, "line in range");
    last_line = record.line;
    Check(absl::string_view(input).find(record.raw) != absl::string_view::npos,
          "raw is input");
    Check(!record.blank || record.fields.empty(), "blank has no fields");
    Check(record.blank || !record.fields.empty(), "a record has a field");
    Check(record.error.empty() == (record.error_field < 0), "error field");
    if (record.blank || !record.error.empty()) continue;

    std::vector<std::string> fields(record.fields.begin(), record.fields.end());
    std::string text;
    std::vector<absl::string_view> views(fields.begin(), fields.end());
    tellus::AppendCsvRecord(text, views);
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) continue;  // would read as a BOM
    tellus::CsvReader again = tellus::CsvReader::FromString(text);
    tellus::CsvRecord back;
    absl::StatusOr<bool> got = again.Next(back);
    Check(got.ok() && *got, "written record reads back");
    Check(back.error.empty(), "written record is well formed");
    Check(back.fields.size() == fields.size(), "same field count");
    for (size_t i = 0; i < fields.size(); ++i) {
      Check(back.fields[i] == fields[i], "same field");
    }
    got = again.Next(back);
    Check(got.ok() && !*got, "one record written, one read");
  }
  Check(reader.lines_read() <= static_cast<int64_t>(newlines) + 1,
        "lines read in range");
  return 0;
}
