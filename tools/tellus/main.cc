// tellus: the command-line client of the tellus library.
#include <cstdio>

#include "CLI/CLI.hpp"
#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{
      "tellus: complaints, compliments and enquiries for public bodies, "
      "and their annual customer feedback report"};
  app.require_subcommand(1);
  app.set_version_flag("--version", tellus::cli::VersionString());
  tellus::cli::AddWorkdaysCommands(app);
  tellus::cli::AddReportCommand(app);
  tellus::cli::AddValidateCommand(app);
  tellus::cli::AddImportCommand(app);
  tellus::cli::AddDemoCommands(app);
  tellus::cli::AddStoreCommands(app);
  tellus::cli::AddLearningCommands(app);
  CLI11_PARSE(app, argc, argv);
  return tellus::cli::ExitCode();
}
