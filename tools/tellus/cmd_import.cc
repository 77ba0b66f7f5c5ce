// tellus import: CSV exports in, validated, protobuf streams out; every bad
// row in the rejects file, nothing lost.
#include <cstdio>
#include <fstream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "commands.h"
#include "input.h"
#include "tellus/import.h"
#include "tellus/proto_io.h"
#include "tellus/status_macros.h"

namespace tellus::cli {
namespace {

struct ImportCommandOptions {
  std::string cases;
  std::string interactions;
  std::string out;
  std::string rejects;  // default: OUT/rejects.csv
  bool strict = false;
  std::string format = "binary";
};

// How many rejects --strict prints before "and N more".
constexpr size_t kStrictRejectsShown = 20;

absl::Status WriteRejects(const std::string& path,
                          const std::vector<Reject>& rejects) {
  const std::string temporary = path + ".partial";
  {
    std::ofstream out(temporary, std::ios::binary);
    if (!out) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot write the rejects file ", path));
    }
    RejectsCsvWriter writer(&out);
    for (const Reject& r : rejects) TELLUS_RETURN_IF_ERROR(writer.OnReject(r));
    out.close();
    if (!out) return absl::DataLossError(absl::StrCat("cannot write ", path));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::DataLossError(
        absl::StrCat("cannot rename ", temporary, " to ", path));
  }
  return absl::OkStatus();
}

absl::Status RunImport(const ImportCommandOptions& o) {
  ProtoStreamSinkOptions sink_options;
  sink_options.format =
      o.format == "jsonl" ? StreamFormat::kJsonLines : StreamFormat::kDelimited;
  TELLUS_ASSIGN_OR_RETURN(ProtoStreamSink sink,
                          ProtoStreamSink::Create(o.out, sink_options));
  RejectList rejects;
  Importer importer(sink, &rejects, TerminalProgress());
  TELLUS_RETURN_IF_ERROR(importer.ImportCases(o.cases));
  if (!o.interactions.empty()) {
    TELLUS_RETURN_IF_ERROR(importer.ImportInteractions(o.interactions));
  }
  const ImportSummary& summary = importer.summary();
  std::fputs(FormatSummary(summary).c_str(), stderr);
  const std::vector<Reject>& rejected = rejects.rejects();
  if (o.strict && !rejected.empty()) {
    sink.Abort();
    for (size_t i = 0; i < rejected.size() && i < kStrictRejectsShown; ++i) {
      std::fprintf(stderr, "%s:%lld: %s\n", rejected[i].file.c_str(),
                   static_cast<long long>(rejected[i].line),
                   rejected[i].reason.c_str());
    }
    if (rejected.size() > kStrictRejectsShown) {
      std::fprintf(stderr, "... and %zu more\n",
                   rejected.size() - kStrictRejectsShown);
    }
    return absl::FailedPreconditionError(
        absl::StrCat("--strict: ", rejected.size(),
                     " rows were rejected, so nothing was written to ", o.out));
  }
  TELLUS_RETURN_IF_ERROR(sink.Commit());
  const std::string rejects_path =
      o.rejects.empty() ? o.out + "/rejects.csv" : o.rejects;
  TELLUS_RETURN_IF_ERROR(WriteRejects(rejects_path, rejected));
  std::fprintf(stderr,
               "Wrote %lld cases and %lld interactions to %s; %zu "
               "rejected rows to %s\n",
               static_cast<long long>(sink.cases_written()),
               static_cast<long long>(sink.interactions_written()),
               o.out.c_str(), rejected.size(), rejects_path.c_str());
  return absl::OkStatus();
}

}  // namespace

void AddImportCommand(CLI::App& app) {
  auto o = std::make_shared<ImportCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Validate CSV exports and write the accepted rows as protobuf streams");
  cmd->add_option("--cases", o->cases, "cases.csv export")->required();
  cmd->add_option("--interactions", o->interactions, "interactions.csv export");
  cmd->add_option("--out", o->out,
                  "folder for cases.binpb and interactions.binpb")
      ->required();
  cmd->add_option("--rejects", o->rejects,
                  "rejected rows as CSV; default: OUT/rejects.csv");
  cmd->add_flag("--strict", o->strict,
                "fail the whole import on any rejected row, writing nothing");
  cmd->add_option("--format", o->format,
                  "binary (length-delimited) or jsonl (proto3 JSON Lines)")
      ->check(CLI::IsMember({"binary", "jsonl"}))
      ->capture_default_str();
  cmd->callback([o] {
    absl::Status status = RunImport(*o);
    if (!status.ok()) Fail("import", status);
  });
}

}  // namespace tellus::cli
