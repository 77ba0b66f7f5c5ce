// The subcommands of the `tellus` program. Each Add*Commands registers its
// subcommands on the app; the callbacks report failure through SetFailed.
#ifndef TELLUS_TOOLS_TELLUS_COMMANDS_H_
#define TELLUS_TOOLS_TELLUS_COMMANDS_H_

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tellus/v1/report.pb.h"

namespace tellus::cli {

std::string VersionString();

// Prints "tellus <command>: <message>" to stderr and sets a non-zero exit.
void Fail(absl::string_view command, const absl::Status& status);
int ExitCode();
// Sets the exit status without a message (e.g. 1 when rows were rejected).
void SetExitCode(int code);

// The text of a GOV.UK bank-holidays.json file (--holidays); NotFound,
// naming the file, when it cannot be read.
absl::StatusOr<std::string> ReadHolidaysFile(const std::string& path);

void AddWorkdaysCommands(CLI::App& app);  // workdays add|holidays, due
void AddReportCommand(CLI::App& app);     // report
void AddValidateCommand(CLI::App& app);   // validate
void AddDemoCommands(CLI::App& app);      // generate, demo
void AddImportCommand(CLI::App& app);     // import
// case show|add-event, overdue, retention, subject-access,
// store check|export|audit
void AddStoreCommands(CLI::App& app);
void AddLearningCommands(CLI::App& app);  // digest, compliments, restrictions

}  // namespace tellus::cli

#endif  // TELLUS_TOOLS_TELLUS_COMMANDS_H_
