// tellus report: the annual customer feedback report.
#include <cstdio>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "commands.h"
#include "input.h"
#include "tellus/render.h"
#include "tellus/report.h"
#include "tellus/status_macros.h"
#include "tellus/stream.h"

namespace tellus::cli {
namespace {

struct ReportOptions {
  InputOptions input;
  std::string period;
  std::string as_of;
  int64_t homes = 0;
  std::vector<std::string> landlord_directorates;
  int threads = 0;
  bool stream = false;
  size_t chunk_rows = AggregatingSink::kDefaultChunkRows;
  std::string format = "text";
  bool publish = false;
  std::string council;
  std::string region = "england-and-wales";
  std::string holidays_file;
  bool replace_holidays = false;
  int financial_year_start_month = 4;
};

// The last financial year that has ended by `now`: a sane default period.
std::string LastCompleteFinancialYear(absl::Time now, int start_month) {
  const absl::CivilDay today = LondonDate(now);
  int64_t start_year = today.year() - 1;
  if (today.month() < start_month) --start_year;
  return absl::StrFormat("%04d/%02d", start_year, (start_year + 1) % 100);
}

absl::Status RunReport(const ReportOptions& o) {
  const absl::Time now = absl::Now();
  v1::ReportSettings request;
  request.set_period(o.period.empty() ? LastCompleteFinancialYear(
                                            now, o.financial_year_start_month)
                                      : o.period);
  request.set_as_of(o.as_of);
  if (o.homes > 0) request.set_homes(o.homes);
  for (const std::string& d : o.landlord_directorates) {
    request.add_landlord_directorates(d);
  }
  request.set_publish(o.publish);
  request.set_council(o.council);
  request.set_region(o.region);
  request.set_financial_year_start_month(o.financial_year_start_month);
  if (!o.holidays_file.empty()) {
    TELLUS_ASSIGN_OR_RETURN(*request.mutable_holidays_json(),
                            ReadHolidaysFile(o.holidays_file));
    request.set_replace_holidays(o.replace_holidays);
  }
  // Check the request before a long import.
  TELLUS_ASSIGN_OR_RETURN(AggregationSettings settings,
                          ResolveSettings(request, now));
  // The report is rendered and dropped: build it on an arena (report.h).
  google::protobuf::Arena arena;
  v1::AnnualReport* report = nullptr;
  if (o.stream) {
    if (!o.input.data_dir.empty()) {
      return absl::InvalidArgumentError(
          "--stream reads CSV exports: give --cases and --interactions");
    }
    // Interactions are aggregated a chunk at a time as they are read.
    AggregatingSink sink(settings, o.chunk_rows);
    TELLUS_RETURN_IF_ERROR(ImportInto(o.input, sink));
    TELLUS_ASSIGN_OR_RETURN(
        report, BuildReport(std::move(sink).Finish(), request, arena));
  } else {
    InputOptions input = o.input;
    input.threads = o.threads;
    TELLUS_ASSIGN_OR_RETURN(Dataset data, LoadInput(input));
    TELLUS_ASSIGN_OR_RETURN(report,
                            BuildReport(data, request, arena, o.threads, now));
  }
  TELLUS_ASSIGN_OR_RETURN(std::string out, RenderReport(*report, o.format));
  std::fwrite(out.data(), 1, out.size(), stdout);
  return absl::OkStatus();
}

}  // namespace

void AddReportCommand(CLI::App& app) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* cmd =
      app.add_subcommand("report", "Print the annual customer feedback report");
  AddInputOptions(*cmd, options->input);
  cmd->add_option("--period", options->period,
                  "2023/24 (financial year), 2023 (calendar year) or "
                  "2023-04-01..2023-06-30; default: the last financial year "
                  "that has ended");
  cmd->add_option("--as-of", options->as_of,
                  "count only what was known then: YYYY-MM-DD (end of that "
                  "day in London) or a date-time; default: now");
  cmd->add_option("--homes", options->homes,
                  "homes owned, for the CH01 complaints per 1,000 homes")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--landlord-directorates", options->landlord_directorates,
                  "directorates that are the council as a landlord (CH01); "
                  "default: all")
      ->delimiter(',');
  cmd->add_option("--threads", options->threads,
                  "threads to load the interactions export and to aggregate "
                  "on; default: one per core")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--stream", options->stream,
                "read interactions in chunks, aggregating as they come: for "
                "exports too large to hold in memory (cases are held)");
  cmd->add_option("--chunk-rows", options->chunk_rows,
                  "with --stream: interactions held at a time")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--format", options->format, "text, markdown, json or html")
      ->check(CLI::IsMember({"text", "markdown", "json", "html"}))
      ->capture_default_str();
  cmd->add_flag("--publish", options->publish,
                "disclosure control: show breakdown cells of 1 to 4 as <5");
  cmd->add_option("--council", options->council, "council name for the title");
  cmd->add_option("--region", options->region,
                  "bank holidays: england-and-wales, scotland or "
                  "northern-ireland")
      ->capture_default_str();
  CLI::Option* holidays = cmd->add_option(
      "--holidays", options->holidays_file,
      "GOV.UK bank-holidays.json: its holidays (of --region) are added to the "
      "built-in ones for the working-day deadlines");
  cmd->add_flag("--replace", options->replace_holidays,
                "with --holidays: the file's holidays replace the built-in "
                "ones for every year it lists")
      ->needs(holidays);
  cmd->add_option("--financial-year-start-month",
                  options->financial_year_start_month,
                  "first month of the financial year")
      ->check(CLI::Range(1, 12))
      ->capture_default_str();
  cmd->callback([options] {
    absl::Status status = RunReport(*options);
    if (!status.ok()) Fail("report", status);
  });
}

}  // namespace tellus::cli
