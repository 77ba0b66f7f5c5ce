#include <cstdio>
#include <fstream>
#include <sstream>
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

absl::StatusOr<std::string> ReadHolidaysFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read bank holidays file ", path));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace tellus::cli
