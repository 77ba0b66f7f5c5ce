#include "tellus/calendar.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "tellus/dates.h"

namespace tellus {
namespace calendar_internal {

// Holidays loaded from a file, and a table of every day over the years
// complaints are realistically dated in, so that IsWorkingDay is a lookup and
// WorkingDaysBetween a subtraction. Days outside the table fall back to the
// rules, computed a year at a time.
struct HolidayIndex {
  Region region;
  // Years a GOV.UK file replaced or extended: that year's complete list.
  absl::flat_hash_map<int64_t, std::vector<Holiday>> loaded_years;
  absl::CivilDay first_day;
  // Per day from first_day: kWeekendFlag | kHolidayFlag.
  std::vector<uint8_t> day_flags;
  // working_days_before[i]: working days in [first_day, first_day + i).
  std::vector<int32_t> working_days_before;
};

}  // namespace calendar_internal

namespace {

using calendar_internal::HolidayIndex;

constexpr int64_t kTableFirstYear = 1900;
constexpr int64_t kTableLastYear = 2199;
constexpr uint8_t kWeekendFlag = 1;
constexpr uint8_t kHolidayFlag = 2;

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday weekday = absl::GetWeekday(day);
  return weekday == absl::Weekday::saturday || weekday == absl::Weekday::sunday;
}

// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
absl::CivilDay EasterSunday(int64_t year) {
  const int64_t a = year % 19;
  const int64_t b = year / 100;
  const int64_t c = year % 100;
  const int64_t d = b / 4;
  const int64_t e = b % 4;
  const int64_t f = (b + 8) / 25;
  const int64_t g = (b - f + 1) / 3;
  const int64_t h = (19 * a + b - d - g + 15) % 30;
  const int64_t i = c / 4;
  const int64_t k = c % 4;
  const int64_t l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int64_t m = (a + 11 * h + 22 * l) / 451;
  const int64_t month = (h + l - 7 * m + 114) / 31;
  const int64_t day = (h + l - 7 * m + 114) % 31 + 1;
  return absl::CivilDay(year, static_cast<int>(month), static_cast<int>(day));
}

// absl::Weekday counts from Monday = 0.
int DaysSinceMonday(absl::CivilDay day) {
  return static_cast<int>(absl::GetWeekday(day));
}

absl::CivilDay FirstMonday(int64_t year, int month) {
  const absl::CivilDay first(year, month, 1);
  return first + (7 - DaysSinceMonday(first)) % 7;
}

absl::CivilDay LastMonday(int64_t year, int month) {
  const absl::CivilDay last = absl::CivilDay(year, month + 1, 1) - 1;
  return last - DaysSinceMonday(last);
}

struct OneOffDay {
  int year, month, day;
  const char* name;
};

// Extra days by proclamation (METRICS.md); they applied UK-wide.
constexpr std::array<OneOffDay, 11> kOneOffHolidays = {{
    {1999, 12, 31, "Millennium celebrations"},
    {2002, 6, 3, "Spring bank holiday"},
    {2002, 6, 4, "Queen's Golden Jubilee"},
    {2011, 4, 29, "Royal wedding"},
    {2012, 6, 4, "Spring bank holiday"},
    {2012, 6, 5, "Queen's Diamond Jubilee"},
    {2020, 5, 8, "Early May bank holiday (VE day)"},
    {2022, 6, 2, "Spring bank holiday"},
    {2022, 6, 3, "Platinum Jubilee bank holiday"},
    {2022, 9, 19, "Bank Holiday for the State Funeral of Queen Elizabeth II"},
    {2023, 5, 8, "Bank holiday for the coronation of King Charles III"},
}};

// Rule-made holidays that a proclamation moved to one of the days above.
constexpr std::array<OneOffDay, 4> kMovedAwayHolidays = {{
    {2002, 5, 27, "Spring bank holiday"},
    {2012, 5, 28, "Spring bank holiday"},
    {2020, 5, 4, "Early May bank holiday"},
    {2022, 5, 30, "Spring bank holiday"},
}};

bool ContainsDate(const std::vector<Holiday>& holidays, absl::CivilDay day) {
  return std::any_of(holidays.begin(), holidays.end(),
                     [day](const Holiday& h) { return h.date == day; });
}

void SortByDate(std::vector<Holiday>& holidays) {
  std::stable_sort(
      holidays.begin(), holidays.end(),
      [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
}

// The days off a region's rules and the built-in one-offs give in a year.
std::vector<Holiday> RuleHolidays(Region region, int64_t year) {
  // Where each holiday falls before substitution, weekends included.
  std::vector<Holiday> nominal;
  if (region == Region::kScotland &&
      absl::GetWeekday(absl::CivilDay(year, 1, 1)) == absl::Weekday::sunday) {
    // Scottish statute moves both New Year holidays on a day, so GOV.UK
    // names the 2nd "New Year's Day" and the 3rd "2nd January".
    nominal.push_back({absl::CivilDay(year, 1, 2), "New Year's Day"});
    nominal.push_back({absl::CivilDay(year, 1, 3), "2nd January"});
  } else {
    nominal.push_back({absl::CivilDay(year, 1, 1), "New Year's Day"});
    if (region == Region::kScotland) {
      nominal.push_back({absl::CivilDay(year, 1, 2), "2nd January"});
    }
  }
  if (region == Region::kNorthernIreland) {
    nominal.push_back({absl::CivilDay(year, 3, 17), "St Patrick's Day"});
  }
  const absl::CivilDay easter = EasterSunday(year);
  nominal.push_back({easter - 2, "Good Friday"});
  if (region != Region::kScotland) {
    nominal.push_back({easter + 1, "Easter Monday"});
  }
  nominal.push_back({FirstMonday(year, 5), "Early May bank holiday"});
  nominal.push_back({LastMonday(year, 5), "Spring bank holiday"});
  if (region == Region::kNorthernIreland) {
    nominal.push_back(
        {absl::CivilDay(year, 7, 12), "Battle of the Boyne (Orangemen's Day)"});
  }
  nominal.push_back(
      {region == Region::kScotland ? FirstMonday(year, 8) : LastMonday(year, 8),
       "Summer bank holiday"});
  if (region == Region::kScotland) {
    nominal.push_back({absl::CivilDay(year, 11, 30), "St Andrew's Day"});
  }
  nominal.push_back({absl::CivilDay(year, 12, 25), "Christmas Day"});
  nominal.push_back({absl::CivilDay(year, 12, 26), "Boxing Day"});

  for (const OneOffDay& moved : kMovedAwayHolidays) {
    if (moved.year != year) continue;
    const absl::CivilDay day(moved.year, moved.month, moved.day);
    std::erase_if(nominal, [day](const Holiday& h) { return h.date == day; });
  }
  for (const OneOffDay& extra : kOneOffHolidays) {
    if (extra.year != year) continue;
    const absl::CivilDay day(extra.year, extra.month, extra.day);
    if (!ContainsDate(nominal, day)) nominal.push_back({day, extra.name});
  }
  SortByDate(nominal);

  // Holidays on weekdays stay put; then each one on a weekend, in date
  // order, takes the next weekday that is not already a holiday (Christmas
  // on a Sunday: Boxing Day keeps Monday 26th, Christmas moves to the 27th).
  std::vector<Holiday> days_off;
  for (const Holiday& holiday : nominal) {
    if (!IsWeekend(holiday.date)) days_off.push_back(holiday);
  }
  for (const Holiday& holiday : nominal) {
    if (!IsWeekend(holiday.date)) continue;
    absl::CivilDay substitute = holiday.date + 1;
    while (IsWeekend(substitute) || ContainsDate(days_off, substitute)) {
      ++substitute;
    }
    days_off.push_back({substitute, holiday.name});
  }
  SortByDate(days_off);
  return days_off;
}

std::vector<Holiday> HolidaysOf(const HolidayIndex& index, int64_t year) {
  const auto loaded = index.loaded_years.find(year);
  if (loaded != index.loaded_years.end()) return loaded->second;
  return RuleHolidays(index.region, year);
}

std::shared_ptr<const HolidayIndex> BuildIndex(
    Region region,
    absl::flat_hash_map<int64_t, std::vector<Holiday>> loaded_years) {
  auto index = std::make_shared<HolidayIndex>();
  index->region = region;
  index->loaded_years = std::move(loaded_years);
  index->first_day = absl::CivilDay(kTableFirstYear, 1, 1);
  const absl::CivilDay end(kTableLastYear + 1, 1, 1);
  const size_t days = static_cast<size_t>(end - index->first_day);

  index->day_flags.assign(days, 0);
  for (absl::CivilDay day = index->first_day; day < end; ++day) {
    if (IsWeekend(day)) {
      index->day_flags[day - index->first_day] |= kWeekendFlag;
    }
  }
  for (int64_t year = kTableFirstYear; year <= kTableLastYear; ++year) {
    for (const Holiday& holiday : HolidaysOf(*index, year)) {
      index->day_flags[holiday.date - index->first_day] |= kHolidayFlag;
    }
  }

  index->working_days_before.resize(days + 1);
  index->working_days_before[0] = 0;
  for (size_t i = 0; i < days; ++i) {
    index->working_days_before[i + 1] =
        index->working_days_before[i] + (index->day_flags[i] == 0 ? 1 : 0);
  }
  return index;
}

// Position of `day` in the index's table, or -1 when outside it.
int64_t TablePosition(const HolidayIndex& index, absl::CivilDay day) {
  const int64_t position = day - index.first_day;
  if (position < 0 ||
      position >= static_cast<int64_t>(index.day_flags.size())) {
    return -1;
  }
  return position;
}

// Working-day checks for days outside the table: computes each year's
// holidays once while a loop walks through it.
class YearByYearLookup {
 public:
  explicit YearByYearLookup(const HolidayIndex& index) : index_(index) {}

  bool IsWorkingDay(absl::CivilDay day) {
    if (IsWeekend(day)) return false;
    const int64_t position = TablePosition(index_, day);
    if (position >= 0) return index_.day_flags[position] == 0;
    if (!has_year_ || day.year() != year_) {
      holidays_ = HolidaysOf(index_, day.year());
      year_ = day.year();
      has_year_ = true;
    }
    return !ContainsDate(holidays_, day);
  }

 private:
  const HolidayIndex& index_;
  bool has_year_ = false;
  int64_t year_ = 0;
  std::vector<Holiday> holidays_;
};

// Lower case, with spaces and underscores read as hyphens.
std::string NormalizeRegionName(absl::string_view name) {
  std::string normalized =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(name));
  std::replace(normalized.begin(), normalized.end(), ' ', '-');
  std::replace(normalized.begin(), normalized.end(), '_', '-');
  return normalized;
}

// The events of one GOV.UK division, checked; `division` names it in errors.
absl::StatusOr<std::vector<Holiday>> ParseDivisionEvents(
    const google::protobuf::Value& value, absl::string_view division) {
  if (!value.has_struct_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bank holidays file: division \"", division, "\" is not an object"));
  }
  const auto& fields = value.struct_value().fields();
  const auto events = fields.find("events");
  if (events == fields.end() || !events->second.has_list_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("bank holidays file: division \"", division,
                     "\" has no \"events\" list"));
  }
  std::vector<Holiday> holidays;
  int number = 0;
  for (const google::protobuf::Value& event :
       events->second.list_value().values()) {
    ++number;
    const std::string where = absl::StrCat("bank holidays file: event ", number,
                                           " of \"", division, "\"");
    if (!event.has_struct_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, " is not an object"));
    }
    const auto& event_fields = event.struct_value().fields();
    const auto title = event_fields.find("title");
    const auto date = event_fields.find("date");
    if (title == event_fields.end() ||
        title->second.kind_case() != google::protobuf::Value::kStringValue ||
        title->second.string_value().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, " has no \"title\""));
    }
    if (date == event_fields.end() ||
        date->second.kind_case() != google::protobuf::Value::kStringValue) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, " (\"", title->second.string_value(), "\") has no \"date\""));
    }
    const absl::StatusOr<absl::CivilDay> day =
        ParseIsoDate(date->second.string_value());
    if (!day.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, " (\"", title->second.string_value(),
                       "\"): ", day.status().message()));
    }
    holidays.push_back({*day, title->second.string_value()});
  }
  return holidays;
}

}  // namespace

absl::StatusOr<Region> ParseRegion(absl::string_view name) {
  const std::string normalized = NormalizeRegionName(name);
  for (Region region : {Region::kEnglandAndWales, Region::kScotland,
                        Region::kNorthernIreland}) {
    if (normalized == RegionName(region)) return region;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown region \"", name,
                   "\"; expected england-and-wales, scotland or "
                   "northern-ireland"));
}

absl::string_view RegionName(Region region) {
  switch (region) {
    case Region::kEnglandAndWales:
      return "england-and-wales";
    case Region::kScotland:
      return "scotland";
    case Region::kNorthernIreland:
      return "northern-ireland";
  }
  return "england-and-wales";
}

Calendar Calendar::ForRegion(Region region) {
  // Built once: the hot paths copy a Calendar per call site.
  static const auto* const built_in =
      new std::array<std::shared_ptr<const HolidayIndex>, 3>{
          BuildIndex(Region::kEnglandAndWales, {}),
          BuildIndex(Region::kScotland, {}),
          BuildIndex(Region::kNorthernIreland, {}),
      };
  switch (region) {
    case Region::kEnglandAndWales:
      return Calendar(region, (*built_in)[0]);
    case Region::kScotland:
      return Calendar(region, (*built_in)[1]);
    case Region::kNorthernIreland:
      return Calendar(region, (*built_in)[2]);
  }
  return Calendar(Region::kEnglandAndWales, (*built_in)[0]);
}

absl::StatusOr<Calendar> Calendar::FromGovUkJson(absl::string_view json,
                                                 Region region,
                                                 HolidayMerge merge) {
  google::protobuf::Struct document;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &document);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("bank holidays file is not valid GOV.UK JSON: ",
                     parsed.message().ToString()));
  }
  const absl::string_view division = RegionName(region);
  const auto found = document.fields().find(std::string(division));
  if (found == document.fields().end()) {
    std::vector<std::string> present;
    for (const auto& [name, value] : document.fields()) present.push_back(name);
    std::sort(present.begin(), present.end());
    return absl::InvalidArgumentError(absl::StrCat(
        "bank holidays file has no \"", division, "\" division (it has: ",
        present.empty() ? "none" : absl::StrJoin(present, ", "), ")"));
  }
  absl::StatusOr<std::vector<Holiday>> events =
      ParseDivisionEvents(found->second, division);
  if (!events.ok()) return events.status();

  absl::flat_hash_map<int64_t, std::vector<Holiday>> loaded_years;
  for (Holiday& event : *events) {
    std::vector<Holiday>& year = loaded_years[event.date.year()];
    if (year.empty() && merge == HolidayMerge::kExtend) {
      year = RuleHolidays(region, event.date.year());
    }
    // A date listed twice, or already a holiday, keeps its first name.
    if (!ContainsDate(year, event.date)) year.push_back(std::move(event));
  }
  for (auto& [year, holidays] : loaded_years) SortByDate(holidays);
  return Calendar(region, BuildIndex(region, std::move(loaded_years)));
}

bool Calendar::IsHoliday(absl::CivilDay day) const {
  const int64_t position = TablePosition(*index_, day);
  if (position >= 0) return (index_->day_flags[position] & kHolidayFlag) != 0;
  return ContainsDate(HolidaysOf(*index_, day.year()), day);
}

bool Calendar::IsWorkingDay(absl::CivilDay day) const {
  const int64_t position = TablePosition(*index_, day);
  if (position >= 0) return index_->day_flags[position] == 0;
  return !IsWeekend(day) && !IsHoliday(day);
}

absl::CivilDay Calendar::AddWorkingDays(absl::CivilDay day, int n) const {
  const HolidayIndex& index = *index_;
  const int64_t start = TablePosition(index, day);
  if (n > 0 && start >= 0) {
    // The answer is the first day at which the running count of working
    // days reaches the count up to `day` plus n.
    const std::vector<int32_t>& before = index.working_days_before;
    const int64_t target = int64_t{before[start + 1]} + n;
    const auto first = before.begin() + start + 1;
    // n working days almost always lie within 2n + 14 calendar days, so
    // search that short stretch before the rest of the table.
    const auto window_end =
        first + std::min<int64_t>(before.end() - first, 2 * int64_t{n} + 14);
    auto reached = std::lower_bound(first, window_end, target);
    if (reached == window_end) {
      reached = std::lower_bound(window_end, before.end(), target);
    }
    if (reached != before.end()) {
      // A small step from `day` is cheaper in absl than one from first_day.
      return day + (reached - first);
    }
  }
  // Beyond the table, or counting back: walk a day at a time.
  YearByYearLookup lookup(index);
  const int step = n < 0 ? -1 : 1;
  for (int64_t remaining = std::abs(int64_t{n}); remaining > 0;) {
    day += step;
    if (lookup.IsWorkingDay(day)) --remaining;
  }
  return day;
}

int Calendar::WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const {
  if (to <= from) return 0;
  const HolidayIndex& index = *index_;
  const int64_t from_position = TablePosition(index, from);
  const int64_t to_position = TablePosition(index, to);
  if (from_position >= 0 && to_position >= 0) {
    return index.working_days_before[to_position + 1] -
           index.working_days_before[from_position + 1];
  }
  YearByYearLookup lookup(index);
  int64_t count = 0;
  for (absl::CivilDay day = from + 1; day <= to; ++day) {
    if (lookup.IsWorkingDay(day)) ++count;
  }
  return static_cast<int>(
      std::min<int64_t>(count, std::numeric_limits<int>::max()));
}

std::vector<int32_t> Calendar::RunningWorkingDays(absl::CivilDay first,
                                                  size_t n) const {
  std::vector<int32_t> running(n);
  const HolidayIndex& index = *index_;
  const int64_t start = TablePosition(index, first);
  if (start >= 0 && static_cast<size_t>(start) + n <= index.day_flags.size()) {
    const int32_t* before = index.working_days_before.data() + start;
    for (size_t i = 0; i < n; ++i) running[i] = before[i + 1] - before[0];
    return running;
  }
  YearByYearLookup lookup(index);
  int32_t count = 0;
  absl::CivilDay day = first;
  for (size_t i = 0; i < n; ++i, ++day) {
    count += lookup.IsWorkingDay(day) ? 1 : 0;
    running[i] = count;
  }
  return running;
}

std::vector<Holiday> Calendar::HolidaysInYear(int64_t year) const {
  return HolidaysOf(*index_, year);
}

}  // namespace tellus
