// Test helper: runs the built `tellus` program (TELLUS_CLI_PATH).
#ifndef TELLUS_TESTS_CLI_RUNNER_H_
#define TELLUS_TESTS_CLI_RUNNER_H_

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout, or stderr when asked for
};

// Runs `tellus <arguments>` through the shell and collects one stream.
CommandResult RunTellus(const std::string& arguments,
                        bool capture_stderr = false) {
  const std::string command =
      std::string("'") + TELLUS_CLI_PATH + "' " + arguments +
      (capture_stderr ? " 2>&1 >/dev/null" : " 2>/dev/null");
  CommandResult run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t read;
  while ((read = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    run.output.append(buffer, read);
  }
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace

#endif  // TELLUS_TESTS_CLI_RUNNER_H_
