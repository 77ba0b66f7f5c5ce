#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "commands.h"

namespace tellus::cli {
namespace {
int exit_code = 0;
}  // namespace

std::string VersionString() { return "tellus 0.1.0"; }

void Fail(absl::string_view command, const absl::Status& status) {
  std::fprintf(stderr, "tellus %s: %s\n", std::string(command).c_str(),
               std::string(status.message()).c_str());
  exit_code = 1;
}

int ExitCode() { return exit_code; }

void SetExitCode(int code) { exit_code = code; }

}  // namespace tellus::cli
