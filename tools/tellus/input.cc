#include "input.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "tellus/proto_io.h"
#include "tellus/status_macros.h"
#include "tellus/store.h"

namespace tellus::cli {

void AddInputOptions(CLI::App& command, InputOptions& options) {
  command.add_option("--cases", options.cases, "cases.csv export");
  command.add_option("--interactions", options.interactions,
                     "interactions.csv export");
  command.add_option("--data", options.data_dir,
                     "a folder written by `tellus import --out`");
  command.add_option("--store", options.store,
                     "a store written by `tellus import --store`");
  command.add_option("--rejects", options.rejects,
                     "write rejected rows to this CSV file");
}

absl::StatusOr<Store> OpenExistingStore(const std::string& path) {
  StoreOptions options;
  options.create = false;
  return Store::Open(path, options);
}

ImportOptions TerminalProgress() {
  ImportOptions options;
  if (isatty(fileno(stderr))) {
    options.progress = [](absl::string_view file, int64_t rows) {
      std::fprintf(stderr, "\r%s: %lld rows read...", std::string(file).c_str(),
                   static_cast<long long>(rows));
      std::fflush(stderr);
    };
  }
  return options;
}

absl::Status ImportInto(const InputOptions& options, ImportSink& sink) {
  if (options.cases.empty()) {
    return absl::InvalidArgumentError(
        "no input: give --cases (and --interactions), --data or --store");
  }
  std::unique_ptr<std::ofstream> rejects_file;
  std::unique_ptr<RejectsCsvWriter> rejects;
  if (!options.rejects.empty()) {
    rejects_file =
        std::make_unique<std::ofstream>(options.rejects, std::ios::binary);
    if (!*rejects_file) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot write the rejects file ", options.rejects));
    }
    rejects = std::make_unique<RejectsCsvWriter>(rejects_file.get());
  }
  ImportOptions import_options = TerminalProgress();
  import_options.threads = options.threads;
  Importer importer(sink, rejects.get(), std::move(import_options));
  if (options.interactions.empty()) {
    TELLUS_RETURN_IF_ERROR(importer.ImportCases(options.cases));
  } else {
    TELLUS_RETURN_IF_ERROR(importer.ImportCasesAndInteractions(
        options.cases, options.interactions));
  }
  if (isatty(fileno(stderr))) std::fputs("\r\033[K", stderr);
  const ImportSummary& summary = importer.summary();
  std::fputs(FormatSummary(summary).c_str(), stderr);
  if (summary.cases.rejected + summary.interactions.rejected > 0) {
    std::fprintf(stderr, "%s\n",
                 options.rejects.empty()
                     ? "Rejected rows are left out of the figures; give "
                       "--rejects FILE to see each one with its reason."
                     : absl::StrCat("Rejected rows, each with its reason, are "
                                    "in ",
                                    options.rejects,
                                    "; they are left out of the figures.")
                           .c_str());
  }
  return absl::OkStatus();
}

absl::StatusOr<Dataset> LoadInput(const InputOptions& options) {
  if (!options.store.empty()) {
    if (!options.data_dir.empty() || !options.cases.empty() ||
        !options.interactions.empty()) {
      return absl::InvalidArgumentError(
          "give either --store, --data or --cases/--interactions, not two");
    }
    TELLUS_ASSIGN_OR_RETURN(Store store, OpenExistingStore(options.store));
    return store.LoadDataset();
  }
  if (!options.data_dir.empty()) {
    if (!options.cases.empty() || !options.interactions.empty()) {
      return absl::InvalidArgumentError(
          "give either --data or --cases/--interactions, not both");
    }
    return LoadDataDir(options.data_dir);
  }
  DatasetSink sink;
  TELLUS_RETURN_IF_ERROR(ImportInto(options, sink));
  return std::move(sink).Build();
}

}  // namespace tellus::cli
