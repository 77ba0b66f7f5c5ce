// tellus import: CSV exports in, validated, protobuf streams out (--out) or
// into a store (--store); every bad row in the rejects file, nothing lost.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "commands.h"
#include "input.h"
#include "tellus/import.h"
#include "tellus/proto_io.h"
#include "tellus/restriction_check.h"
#include "tellus/status_macros.h"
#include "tellus/store.h"

namespace tellus::cli {
namespace {

struct ImportCommandOptions {
  std::string cases;
  std::string interactions;
  std::string out;
  std::string store;
  std::string data;     // a data directory to import into the store
  std::string rejects;  // default: OUT/rejects.csv
  bool strict = false;
  std::string format = "binary";
  std::string restrictions;  // copied into OUT; warns on restricted customers
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

void PrintStrictRejects(const std::vector<Reject>& rejected) {
  for (size_t i = 0; i < rejected.size() && i < kStrictRejectsShown; ++i) {
    std::fprintf(stderr, "%s:%lld: %s\n", rejected[i].file.c_str(),
                 static_cast<long long>(rejected[i].line),
                 rejected[i].reason.c_str());
  }
  if (rejected.size() > kStrictRejectsShown) {
    std::fprintf(stderr, "... and %zu more\n",
                 rejected.size() - kStrictRejectsShown);
  }
}

void PrintWarning(const std::string& warning) {
  std::fprintf(stderr, "warning: %s\n", warning.c_str());
}

// Restrictions alone into a store: one transaction; a restriction held
// with other content becomes its next version.
absl::Status RunStoreRestrictionsImport(const ImportCommandOptions& o) {
  TELLUS_ASSIGN_OR_RETURN(std::vector<v1::Restriction> restrictions,
                          ReadRestrictions(o.restrictions));
  TELLUS_ASSIGN_OR_RETURN(Store store, Store::Open(o.store));
  TELLUS_ASSIGN_OR_RETURN(StoreImportCounts counts,
                          store.AddRestrictions(restrictions));
  std::fputs(FormatRestrictionCounts(counts).c_str(), stderr);
  return absl::OkStatus();
}

// Into a store: one transaction, so all of it or none of it; rows the store
// already holds are counted, not added again.
absl::Status RunStoreImport(const ImportCommandOptions& o) {
  if (o.cases.empty() && o.data.empty() && !o.restrictions.empty()) {
    return RunStoreRestrictionsImport(o);
  }
  if (o.cases.empty() == o.data.empty()) {
    return absl::InvalidArgumentError(
        "give --cases (and --interactions) or --data, to import into the "
        "store (or --restrictions alone)");
  }
  if (!o.data.empty() && !o.interactions.empty()) {
    return absl::InvalidArgumentError(
        "--interactions goes with --cases; --data holds its own");
  }
  TELLUS_ASSIGN_OR_RETURN(Store store, Store::Open(o.store));
  RejectList rejects;
  StoreImportOptions options;
  options.rejects = &rejects;
  options.strict = o.strict;
  options.progress = TerminalProgress();
  if (!o.restrictions.empty()) {
    TELLUS_ASSIGN_OR_RETURN(options.restrictions,
                            ReadRestrictions(o.restrictions));
  }
  // The store's restrictions (with the file's) warn of restricted customers.
  options.warn = PrintWarning;
  absl::StatusOr<StoreImportSummary> summary =
      o.data.empty() ? store.ImportCsv(o.cases, o.interactions, options)
                     : store.ImportDataDir(o.data, options);
  if (isatty(fileno(stderr))) std::fputs("\r\033[K", stderr);
  if (!summary.ok()) {
    if (o.strict) PrintStrictRejects(rejects.rejects());
    return summary.status();
  }
  std::fputs(FormatStoreImportSummary(*summary).c_str(), stderr);
  if (!rejects.rejects().empty()) {
    if (o.rejects.empty()) {
      std::fprintf(stderr,
                   "%zu rows were rejected or conflict with the store; give "
                   "--rejects FILE to see each one with its reason.\n",
                   rejects.rejects().size());
    } else {
      TELLUS_RETURN_IF_ERROR(WriteRejects(o.rejects, rejects.rejects()));
      std::fprintf(stderr, "Rejected rows, each with its reason, are in %s.\n",
                   o.rejects.c_str());
    }
  }
  return absl::OkStatus();
}

absl::Status RunImport(const ImportCommandOptions& o) {
  if (o.out.empty() == o.store.empty()) {
    return absl::InvalidArgumentError(
        "give --out DIR (protobuf streams) or --store DB (a store), one of "
        "them");
  }
  if (!o.store.empty()) return RunStoreImport(o);
  if (o.cases.empty()) {
    return absl::InvalidArgumentError("give --cases, the cases.csv export");
  }
  if (!o.data.empty()) {
    return absl::InvalidArgumentError("--data is for importing into --store");
  }
  ProtoStreamSinkOptions sink_options;
  sink_options.format =
      o.format == "jsonl" ? StreamFormat::kJsonLines : StreamFormat::kDelimited;
  TELLUS_ASSIGN_OR_RETURN(ProtoStreamSink sink,
                          ProtoStreamSink::Create(o.out, sink_options));
  // Restrictions for the warnings: the file given, else those OUT holds.
  std::string restrictions_file = o.restrictions;
  if (auto files = FindDataDirFiles(o.out);
      restrictions_file.empty() && files.ok()) {
    restrictions_file = files->restrictions;
  }
  std::vector<v1::Restriction> restrictions;
  if (!restrictions_file.empty()) {
    TELLUS_ASSIGN_OR_RETURN(restrictions, ReadRestrictions(restrictions_file));
  }
  RestrictionWarningSink checked(sink, restrictions, [](const std::string& w) {
    std::fprintf(stderr, "warning: %s\n", w.c_str());
  });
  RejectList rejects;
  Importer importer(checked, &rejects, TerminalProgress());
  TELLUS_RETURN_IF_ERROR(importer.ImportCases(o.cases));
  if (!o.interactions.empty()) {
    TELLUS_RETURN_IF_ERROR(importer.ImportInteractions(o.interactions));
  }
  const ImportSummary& summary = importer.summary();
  std::fputs(FormatSummary(summary).c_str(), stderr);
  const std::vector<Reject>& rejected = rejects.rejects();
  if (o.strict && !rejected.empty()) {
    sink.Abort();
    PrintStrictRejects(rejected);
    return absl::FailedPreconditionError(
        absl::StrCat("--strict: ", rejected.size(),
                     " rows were rejected, so nothing was written to ", o.out));
  }
  TELLUS_RETURN_IF_ERROR(sink.Commit());
  if (!o.restrictions.empty()) {
    TELLUS_RETURN_IF_ERROR(
        WriteRestrictions(o.out, restrictions, sink_options.format));
  }
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
      "Validate CSV exports and write the accepted rows as protobuf streams "
      "or into a store");
  cmd->add_option("--cases", o->cases, "cases.csv export");
  cmd->add_option("--interactions", o->interactions, "interactions.csv export");
  cmd->add_option("--out", o->out,
                  "folder for cases.binpb and interactions.binpb");
  cmd->add_option("--store", o->store,
                  "a store (an SQLite file, created when missing) to import "
                  "into, in one transaction; rows already held are not "
                  "added again");
  cmd->add_option("--data", o->data,
                  "with --store: a folder written by `tellus import --out`");
  cmd->add_option("--rejects", o->rejects,
                  "rejected rows as CSV; default: OUT/rejects.csv (with "
                  "--store: none)");
  cmd->add_option("--restrictions", o->restrictions,
                  "contact restrictions (.binpb or .jsonl): written to OUT, "
                  "or into the store (alone or with the cases, in the same "
                  "transaction; a held one with other content becomes its "
                  "next version); a warning for each case of a restricted "
                  "customer");
  cmd->add_flag(
      "--strict", o->strict,
      "fail the whole import on any rejected row (or, with --store, any "
      "row that conflicts with the store), writing nothing");
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
