// libFuzzer target for the cases.csv import: the input is a whole cases file
// (header and rows). No input may crash the importer, and what it reports
// must add up.
//
// Checked: rows read = accepted + rejected; every reject names a line inside
// the file; every accepted case folds again to the same state (the state
// machine accepts what the row validator accepted).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tellus/case.h"
#include "tellus/csv_reader.h"
#include "tellus/import.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "case_row_fuzzer: check failed: %s\n", what);
    std::abort();
  }
}

class CheckingSink : public tellus::ImportSink {
 public:
  absl::Status OnCase(const tellus::v1::Case& c,
                      const tellus::CaseState& state) override {
    auto again = tellus::FoldCase(c);
    Check(again.ok(), "an accepted case folds again");
    Check(*again == state, "folding again gives the same state");
    ++accepted;
    return absl::OkStatus();
  }
  absl::Status OnInteraction(const tellus::v1::Interaction&,
                             const tellus::EventTime&) override {
    return absl::OkStatus();
  }
  int64_t accepted = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  int64_t lines = 1;
  for (char c : text) lines += c == '\n';
  tellus::CsvReader reader = tellus::CsvReader::FromString(std::move(text));
  CheckingSink sink;
  tellus::RejectList rejects;
  tellus::Importer importer(sink, &rejects);
  const absl::Status status = importer.ImportCases(reader, "cases.csv");
  const tellus::FileSummary& s = importer.summary().cases;
  Check(s.read == s.accepted + s.rejected, "read = accepted + rejected");
  Check(s.accepted == sink.accepted, "every accepted row reached the sink");
  Check(static_cast<int64_t>(rejects.rejects().size()) == s.rejected,
        "every reject was reported");
  for (const tellus::Reject& r : rejects.rejects()) {
    Check(r.line >= 2 && r.line <= lines, "a reject's line is in the file");
    Check(!r.reason.empty(), "a reject has a reason");
  }
  (void)status;  // a file-level error (no header, unclosed quote) is fine
  return 0;
}
