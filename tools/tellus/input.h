// Loading a data set for a command: CSV exports (imported and validated,
// rejects summarised on stderr), a data directory written by `tellus import
// --out`, or a store written by `tellus import --store`.
#ifndef TELLUS_TOOLS_TELLUS_INPUT_H_
#define TELLUS_TOOLS_TELLUS_INPUT_H_

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "tellus/dataset.h"
#include "tellus/import.h"
#include "tellus/store.h"

namespace tellus::cli {

struct InputOptions {
  std::string cases;         // cases.csv
  std::string interactions;  // interactions.csv
  std::string data_dir;      // protobuf streams from `tellus import`
  std::string store;         // a store from `tellus import --store`
  std::string rejects;       // where to write rejected rows, if anywhere
  // Threads to load an interactions export into a data set on (0: one per
  // core); the commands with --threads set it.
  int threads = 0;
};

// Adds --cases, --interactions, --data, --store and --rejects.
void AddInputOptions(CLI::App& command, InputOptions& options);

// Imports the input. The import summary (rows read, accepted, rejected by
// rule, unlinked interactions) goes to stderr; so does progress on a
// terminal.
absl::StatusOr<Dataset> LoadInput(const InputOptions& options);

// Opens a store that must exist already (a mistyped path is not a new
// store).
absl::StatusOr<Store> OpenExistingStore(const std::string& path);

// Imports the CSV exports of `options` (not --data) into `sink`, with the
// same rejects file, summary and progress as LoadInput.
absl::Status ImportInto(const InputOptions& options, ImportSink& sink);

// Progress lines on stderr when it is a terminal; nothing otherwise.
ImportOptions TerminalProgress();

}  // namespace tellus::cli

#endif  // TELLUS_TOOLS_TELLUS_INPUT_H_
