// tellus validate: checks CSV exports and reports every bad row, writing
// nothing else.
#include <cstdio>
#include <fstream>
#include <memory>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "commands.h"
#include "input.h"
#include "tellus/import.h"
#include "tellus/status_macros.h"

namespace tellus::cli {
namespace {

// Accepts rows and keeps nothing: validation only.
class DiscardSink : public ImportSink {
 public:
  absl::Status OnCase(const v1::Case&, const CaseState&) override {
    return absl::OkStatus();
  }
  absl::Status OnInteraction(const v1::Interaction&,
                             const EventTime&) override {
    return absl::OkStatus();
  }
};

// Prints each reject as "file:line: reason", as a compiler does.
class PrintRejects : public RejectSink {
 public:
  explicit PrintRejects(RejectSink* also) : also_(also) {}
  absl::Status OnReject(const Reject& r) override {
    std::fprintf(stdout, "%s:%lld: %s\n", r.file.c_str(),
                 static_cast<long long>(r.line), r.reason.c_str());
    return also_ ? also_->OnReject(r) : absl::OkStatus();
  }

 private:
  RejectSink* also_;
};

absl::Status RunValidate(const InputOptions& o, bool& any_rejected) {
  if (o.cases.empty() && o.interactions.empty()) {
    return absl::InvalidArgumentError("give --cases and/or --interactions");
  }
  std::unique_ptr<std::ofstream> file;
  std::unique_ptr<RejectsCsvWriter> csv;
  if (!o.rejects.empty()) {
    file = std::make_unique<std::ofstream>(o.rejects, std::ios::binary);
    if (!*file) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot write the rejects file ", o.rejects));
    }
    csv = std::make_unique<RejectsCsvWriter>(file.get());
  }
  DiscardSink sink;
  PrintRejects rejects(csv.get());
  Importer importer(sink, &rejects, TerminalProgress());
  if (!o.cases.empty()) TELLUS_RETURN_IF_ERROR(importer.ImportCases(o.cases));
  if (!o.interactions.empty()) {
    TELLUS_RETURN_IF_ERROR(importer.ImportInteractions(o.interactions));
  }
  const ImportSummary& s = importer.summary();
  std::fputs(FormatSummary(s).c_str(), stderr);
  any_rejected = s.cases.rejected + s.interactions.rejected > 0;
  return absl::OkStatus();
}

}  // namespace

void AddValidateCommand(CLI::App& app) {
  auto options = std::make_shared<InputOptions>();
  CLI::App* cmd = app.add_subcommand(
      "validate",
      "Check CSV exports: print every rejected row with its line, column and "
      "reason; exit 1 if any row is rejected");
  cmd->add_option("--cases", options->cases, "cases.csv export");
  cmd->add_option("--interactions", options->interactions,
                  "interactions.csv export (cases are needed to count "
                  "unlinked interactions)");
  cmd->add_option("--rejects", options->rejects,
                  "also write the rejects as CSV to this file");
  cmd->callback([options] {
    bool any_rejected = false;
    absl::Status status = RunValidate(*options, any_rejected);
    if (!status.ok()) {
      Fail("validate", status);
    } else if (any_rejected) {
      SetExitCode(1);
    }
  });
}

}  // namespace tellus::cli
