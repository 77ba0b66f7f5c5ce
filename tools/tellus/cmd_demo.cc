// tellus generate and tellus demo: the embedded default data set, and the
// annual report on it.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "commands.h"
#include "input.h"
#include "tellus/dates.h"
#include "tellus/generator.h"
#include "tellus/render.h"
#include "tellus/report.h"
#include "tellus/status_macros.h"

namespace tellus::cli {
namespace {

struct GenerateOptions {
  std::string profile = "sandwell-2023-24";
  std::string out;
  uint64_t seed = GeneratorOptions().seed;
  bool list = false;
};

struct DemoOptions {
  std::string profile = "sandwell-2023-24";
  uint64_t seed = GeneratorOptions().seed;
  std::string cache_dir;
  std::string format = "text";
  int threads = 0;
  bool publish = false;
};

absl::Status Generate(const GeneratorOptions& options, const std::string& dir) {
  std::fprintf(stderr, "Generating the %s data set into %s ...\n",
               options.profile.c_str(), dir.c_str());
  GenerationSummary summary;
  TELLUS_RETURN_IF_ERROR(GenerateToDirectory(options, dir, &summary));
  std::fprintf(
      stderr, "%s: %lld cases (%.1f MB)\n%s: %lld interactions (%.1f MB)\n",
      summary.cases_path.c_str(), static_cast<long long>(summary.cases),
      summary.cases_bytes / 1e6, summary.interactions_path.c_str(),
      static_cast<long long>(summary.interactions),
      summary.interactions_bytes / 1e6);
  return absl::OkStatus();
}

absl::Status RunGenerate(const GenerateOptions& o) {
  if (o.list) {
    TELLUS_ASSIGN_OR_RETURN(auto profiles, ListProfiles());
    for (const GeneratorProfile& p : profiles) {
      std::printf("%s\t%s\n", p.name.c_str(), p.description.c_str());
    }
    return absl::OkStatus();
  }
  if (o.out.empty()) return absl::InvalidArgumentError("give --out DIR");
  GeneratorOptions options;
  options.profile = o.profile;
  options.seed = o.seed;
  return Generate(options, o.out);
}

// $XDG_CACHE_HOME/tellus, else ~/.cache/tellus, else a folder under /tmp.
std::string DefaultCacheDir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    return absl::StrCat(xdg, "/tellus");
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return absl::StrCat(home, "/.cache/tellus");
  }
  return "/tmp/tellus-cache";
}

// Generates the data set once: a marker written after both files names the
// profile, seed and version that made them.
absl::StatusOr<std::string> CachedDataSet(const DemoOptions& o) {
  const std::string root =
      o.cache_dir.empty() ? DefaultCacheDir() : o.cache_dir;
  const std::string dir = absl::StrCat(root, "/", o.profile, "-", o.seed);
  const std::string marker = dir + "/COMPLETE";
  const std::string stamp =
      absl::StrCat(o.profile, " ", o.seed, " ", VersionString(), "\n");
  std::ifstream in(marker);
  std::string existing((std::istreambuf_iterator<char>(in)),
                       std::istreambuf_iterator<char>());
  if (existing != stamp) {
    GeneratorOptions options;
    options.profile = o.profile;
    options.seed = o.seed;
    TELLUS_RETURN_IF_ERROR(Generate(options, dir));
    std::ofstream out(marker);
    out << stamp;
    if (!out) {
      return absl::PermissionDeniedError(absl::StrCat("cannot write ", marker));
    }
  }
  return dir;
}

absl::Status RunDemo(const DemoOptions& o) {
  TELLUS_ASSIGN_OR_RETURN(GeneratorProfile profile, FindProfile(o.profile));
  TELLUS_ASSIGN_OR_RETURN(std::string dir, CachedDataSet(o));
  InputOptions input;
  input.cases = dir + "/cases.csv";
  input.interactions = dir + "/interactions.csv";
  input.threads = o.threads;
  TELLUS_ASSIGN_OR_RETURN(Dataset data, LoadInput(input));
  v1::ReportSettings request;
  request.set_period(profile.default_period);
  request.set_as_of(FormatDate(profile.default_as_of));
  request.set_council("Sandwell (synthetic data)");
  request.set_publish(o.publish);
  google::protobuf::Arena arena;  // the report is rendered and dropped
  TELLUS_ASSIGN_OR_RETURN(const v1::AnnualReport* report,
                          BuildReport(data, request, arena, o.threads));
  TELLUS_ASSIGN_OR_RETURN(std::string out, RenderReport(*report, o.format));
  std::fwrite(out.data(), 1, out.size(), stdout);
  return absl::OkStatus();
}

}  // namespace

void AddDemoCommands(CLI::App& app) {
  auto gen = std::make_shared<GenerateOptions>();
  CLI::App* g = app.add_subcommand(
      "generate", "Write a synthetic data set (cases.csv, interactions.csv)");
  g->add_option("--profile", gen->profile, "data set profile")
      ->capture_default_str();
  g->add_option("--out", gen->out, "folder to write the CSV files into");
  g->add_option("--seed", gen->seed, "random seed")->capture_default_str();
  g->add_flag("--list", gen->list, "list the profiles");
  g->callback([gen] {
    absl::Status status = RunGenerate(*gen);
    if (!status.ok()) Fail("generate", status);
  });

  auto demo = std::make_shared<DemoOptions>();
  CLI::App* d = app.add_subcommand(
      "demo",
      "Print the annual report on the embedded default data set (generated "
      "once into a cache folder)");
  d->add_option("--profile", demo->profile, "data set profile")
      ->capture_default_str();
  d->add_option("--seed", demo->seed, "random seed")->capture_default_str();
  d->add_option("--cache-dir", demo->cache_dir,
                "where to keep the data set; default: $XDG_CACHE_HOME/tellus "
                "or ~/.cache/tellus");
  d->add_option("--format", demo->format, "text, markdown, json or html")
      ->check(CLI::IsMember({"text", "markdown", "json", "html"}))
      ->capture_default_str();
  d->add_option("--threads", demo->threads,
                "threads to load the exports and to aggregate on; default: "
                "one per core")
      ->check(CLI::NonNegativeNumber);
  d->add_flag("--publish", demo->publish,
              "disclosure control: show breakdown cells of 1 to 4 as <5");
  d->callback([demo] {
    absl::Status status = RunDemo(*demo);
    if (!status.ok()) Fail("demo", status);
  });
}

}  // namespace tellus::cli
