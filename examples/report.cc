// The annual report from C++, through the C++ API of libtellus.a: imports
// two CSV exports, keeping the rejected rows, and prints the report.
//
//   report_cpp cases.csv interactions.csv 2023/24 2024-06-30
//
// Build against an installed tellus (CMake: tellus::tellus_static, or
// pkg-config tellus-static).
#include "tellus/report.h"

#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tellus/import.h"
#include "tellus/render.h"
#include "tellus/v1/report.pb.h"

namespace {

absl::Status Run(const std::string& cases, const std::string& interactions,
                 const std::string& period, const std::string& as_of) {
  tellus::DatasetSink sink;
  tellus::RejectList rejects;
  tellus::Importer importer(sink, &rejects);
  if (absl::Status s = importer.ImportCases(cases); !s.ok()) return s;
  if (absl::Status s = importer.ImportInteractions(interactions); !s.ok()) {
    return s;
  }
  std::fputs(tellus::FormatSummary(importer.summary()).c_str(), stderr);
  for (const tellus::Reject& r : rejects.rejects()) {
    std::fprintf(stderr, "  %s:%lld: %s\n", r.file.c_str(),
                 static_cast<long long>(r.line), r.reason.c_str());
  }
  tellus::Dataset data = std::move(sink).Build();

  tellus::v1::ReportSettings request;
  request.set_period(period);
  request.set_as_of(as_of);
  absl::StatusOr<tellus::v1::AnnualReport> report =
      tellus::BuildReport(data, request);
  if (!report.ok()) return report.status();
  std::fputs(tellus::RenderText(*report).c_str(), stdout);
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s CASES.csv INTERACTIONS.csv PERIOD AS_OF\n",
                 argv[0]);
    return 2;
  }
  absl::Status status = Run(argv[1], argv[2], argv[3], argv[4]);
  if (!status.ok()) {
    std::fprintf(stderr, "report_cpp: %s\n",
                 std::string(status.message()).c_str());
    return 1;
  }
  return 0;
}
