// tellus workdays add|holidays|between, and tellus due: working-day
// arithmetic and complaint due dates from the command line.
#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "commands.h"
#include "tellus/calendar.h"
#include "tellus/dates.h"
#include "tellus/timescales.h"

namespace tellus::cli {
namespace {

// Keeps `workdays add` from walking for minutes on a mistyped N.
constexpr int kMaxWorkingDays = 100000;

// Options that choose the calendar, shared by every command here.
struct CalendarOptions {
  std::string region = "england-and-wales";
  std::string holidays_file;
  bool replace = false;
};

void AddCalendarOptions(CLI::App& command, CalendarOptions& options) {
  command
      .add_option("--region", options.region,
                  "england-and-wales, scotland or northern-ireland")
      ->capture_default_str();
  CLI::Option* holidays = command.add_option(
      "--holidays", options.holidays_file,
      "GOV.UK bank-holidays.json; its holidays are added to the built-in "
      "ones");
  command
      .add_flag("--replace", options.replace,
                "with --holidays: the file's holidays replace the built-in "
                "ones for every year it lists")
      ->needs(holidays);
}

absl::StatusOr<Calendar> LoadCalendar(const CalendarOptions& options) {
  absl::StatusOr<Region> region = ParseRegion(options.region);
  if (!region.ok()) return region.status();
  if (options.holidays_file.empty()) return Calendar::ForRegion(*region);
  absl::StatusOr<std::string> json = ReadHolidaysFile(options.holidays_file);
  if (!json.ok()) return json.status();
  absl::StatusOr<Calendar> calendar = Calendar::FromGovUkJson(
      *json, *region,
      options.replace ? HolidayMerge::kReplace : HolidayMerge::kExtend);
  if (!calendar.ok()) {
    return absl::Status(
        calendar.status().code(),
        absl::StrCat(options.holidays_file, ": ", calendar.status().message()));
  }
  return calendar;
}

// "YYYY-MM-DD", or "D/M/YYYY" as officers often write dates.
absl::StatusOr<absl::CivilDay> ParseDate(const std::string& text) {
  if (absl::StatusOr<absl::CivilDay> iso = ParseIsoDate(text); iso.ok()) {
    return iso;
  }
  const std::vector<std::string> parts = absl::StrSplit(text, '/');
  const auto is_number = [](const std::string& part, size_t min_digits,
                            size_t max_digits) {
    return part.size() >= min_digits && part.size() <= max_digits &&
           part.find_first_not_of("0123456789") == std::string::npos;
  };
  if (parts.size() == 3 && is_number(parts[0], 1, 2) &&
      is_number(parts[1], 1, 2) && is_number(parts[2], 4, 4)) {
    int day = 0, month = 0, year = 0;
    if (absl::SimpleAtoi(parts[0], &day) &&
        absl::SimpleAtoi(parts[1], &month) &&
        absl::SimpleAtoi(parts[2], &year)) {
      const absl::CivilDay date(year, month, day);
      if (year >= 1 && date.year() == year && date.month() == month &&
          date.day() == day) {
        return date;
      }
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "'", text, "' is not a date; write it as YYYY-MM-DD or D/M/YYYY"));
}

// Parses an optional date option; empty means not given.
absl::StatusOr<std::optional<absl::CivilDay>> ParseOptionalDate(
    const std::string& text, absl::string_view option) {
  if (text.empty()) return std::nullopt;
  absl::StatusOr<absl::CivilDay> date = ParseDate(text);
  if (!date.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(option), ": ", date.status().message()));
  }
  return *date;
}

void AddWorkdaysAdd(CLI::App& workdays) {
  struct Options {
    CalendarOptions calendar;
    std::string date;
    int days = 0;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = workdays.add_subcommand(
      "add",
      "Print the date N working days after DATE (DATE itself never "
      "counts)");
  command->add_option("DATE", options->date, "YYYY-MM-DD or D/M/YYYY")
      ->required();
  command->add_option("N", options->days, "working days to add (0 or more)")
      ->required();
  AddCalendarOptions(*command, options->calendar);
  command->callback([options] {
    constexpr absl::string_view kName = "workdays add";
    absl::StatusOr<absl::CivilDay> date = ParseDate(options->date);
    if (!date.ok()) return Fail(kName, date.status());
    if (options->days < 0 || options->days > kMaxWorkingDays) {
      return Fail(kName, absl::InvalidArgumentError(absl::StrCat(
                             "N is ", options->days, "; it must be from 0 to ",
                             kMaxWorkingDays)));
    }
    absl::StatusOr<Calendar> calendar = LoadCalendar(options->calendar);
    if (!calendar.ok()) return Fail(kName, calendar.status());
    absl::PrintF("%s\n",
                 FormatDate(calendar->AddWorkingDays(*date, options->days)));
  });
}

void AddWorkdaysHolidays(CLI::App& workdays) {
  struct Options {
    CalendarOptions calendar;
    int year = 0;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = workdays.add_subcommand(
      "holidays",
      "Print a year's bank holidays, one per line: date, a tab, the name");
  command->add_option("YEAR", options->year, "calendar year, e.g. 2024")
      ->required();
  AddCalendarOptions(*command, options->calendar);
  command->callback([options] {
    constexpr absl::string_view kName = "workdays holidays";
    if (options->year < 1 || options->year > 9999) {
      return Fail(kName, absl::InvalidArgumentError(
                             absl::StrCat("YEAR is ", options->year,
                                          "; it must be from 1 to 9999")));
    }
    absl::StatusOr<Calendar> calendar = LoadCalendar(options->calendar);
    if (!calendar.ok()) return Fail(kName, calendar.status());
    for (const Holiday& holiday : calendar->HolidaysInYear(options->year)) {
      absl::PrintF("%s\t%s\n", FormatDate(holiday.date), holiday.name);
    }
  });
}

void AddWorkdaysBetween(CLI::App& workdays) {
  struct Options {
    CalendarOptions calendar;
    std::string from;
    std::string to;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = workdays.add_subcommand(
      "between",
      "Print the number of working days after FROM, up to and including TO");
  command->add_option("FROM", options->from, "YYYY-MM-DD or D/M/YYYY")
      ->required();
  command->add_option("TO", options->to, "YYYY-MM-DD or D/M/YYYY")->required();
  AddCalendarOptions(*command, options->calendar);
  command->callback([options] {
    constexpr absl::string_view kName = "workdays between";
    absl::StatusOr<absl::CivilDay> from = ParseDate(options->from);
    if (!from.ok()) return Fail(kName, from.status());
    absl::StatusOr<absl::CivilDay> to = ParseDate(options->to);
    if (!to.ok()) return Fail(kName, to.status());
    absl::StatusOr<Calendar> calendar = LoadCalendar(options->calendar);
    if (!calendar.ok()) return Fail(kName, calendar.status());
    absl::PrintF("%d\n", calendar->WorkingDaysBetween(*from, *to));
  });
}

void AddDue(CLI::App& app) {
  struct Options {
    CalendarOptions calendar;
    int stage = 1;
    std::string received;
    std::string acknowledged;
    std::string extended_to;
    std::string responded;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "due",
      "Print a complaint stage's acknowledgement and response due dates "
      "under the Complaint Handling Code, and whether a response was on "
      "time");
  command
      ->add_option("--received", options->received,
                   "the complaint's receipt (stage 1) or the escalation "
                   "request (stage 2): YYYY-MM-DD or D/M/YYYY")
      ->required();
  command->add_option("--stage", options->stage, "1 or 2")
      ->check(CLI::IsMember({1, 2}))
      ->capture_default_str();
  command->add_option("--acknowledged", options->acknowledged,
                      "when the complaint was acknowledged");
  command->add_option("--extended-to", options->extended_to,
                      "the response date agreed with the customer");
  command->add_option("--responded", options->responded,
                      "when the stage response was sent");
  AddCalendarOptions(*command, options->calendar);
  command->callback([options] {
    constexpr absl::string_view kName = "due";
    absl::StatusOr<absl::CivilDay> received = ParseDate(options->received);
    if (!received.ok()) {
      return Fail(kName, absl::InvalidArgumentError(absl::StrCat(
                             "--received: ", received.status().message())));
    }
    auto acknowledged =
        ParseOptionalDate(options->acknowledged, "--acknowledged");
    if (!acknowledged.ok()) return Fail(kName, acknowledged.status());
    auto extended_to = ParseOptionalDate(options->extended_to, "--extended-to");
    if (!extended_to.ok()) return Fail(kName, extended_to.status());
    auto responded = ParseOptionalDate(options->responded, "--responded");
    if (!responded.ok()) return Fail(kName, responded.status());
    absl::StatusOr<Calendar> calendar = LoadCalendar(options->calendar);
    if (!calendar.ok()) return Fail(kName, calendar.status());

    const v1::Stage stage = options->stage == 2 ? v1::STAGE_2 : v1::STAGE_1;
    const TimescalePolicy policy;  // The Code's timescales.
    const absl::CivilDay acknowledgement_due =
        AcknowledgementDue(*calendar, policy, stage, *received);
    const absl::CivilDay response_due =
        ResponseDue(*calendar, policy, stage, *received, *acknowledged);

    absl::PrintF("stage: %d\n", options->stage);
    absl::PrintF("%s: %s\n",
                 stage == v1::STAGE_2 ? "escalation_requested" : "received",
                 FormatDate(*received));
    absl::PrintF("acknowledgement_due: %s\n", FormatDate(acknowledgement_due));
    if (*acknowledged) {
      absl::PrintF("acknowledged: %s\n", FormatDate(**acknowledged));
      absl::PrintF("acknowledged_on_time: %s\n",
                   **acknowledged <= acknowledgement_due ? "yes" : "no");
    }
    absl::PrintF("response_due: %s\n", FormatDate(response_due));
    if (*extended_to) {
      absl::PrintF("extended_to: %s\n", FormatDate(**extended_to));
      absl::PrintF("extended_due: %s\n",
                   FormatDate(ExtendedDue(*calendar, policy, stage,
                                          response_due, **extended_to)));
    }
    if (*responded) {
      absl::PrintF("responded: %s\n", FormatDate(**responded));
      absl::PrintF("on_time: %s\n",
                   RespondedOnTime(*calendar, policy, stage, response_due,
                                   **responded, *extended_to)
                       ? "yes"
                       : "no");
    }
  });
}

}  // namespace

void AddWorkdaysCommands(CLI::App& app) {
  CLI::App* workdays = app.add_subcommand(
      "workdays",
      "Working days: weekdays that are not bank holidays of a UK region");
  workdays->require_subcommand(1);
  AddWorkdaysAdd(*workdays);
  AddWorkdaysHolidays(*workdays);
  AddWorkdaysBetween(*workdays);
  AddDue(app);
}

}  // namespace tellus::cli
