// Working days: weekdays that are not bank holidays of a UK region.
//
//   tellus::Calendar cal = tellus::Calendar::ForRegion(
//       tellus::Region::kEnglandAndWales);
//   cal.IsWorkingDay(absl::CivilDay(2023, 5, 8));       // false: coronation
//   cal.AddWorkingDays(absl::CivilDay(2023, 5, 5), 1);  // 2023-05-09
//   for (const tellus::Holiday& h : cal.HolidaysInYear(2022)) ...
//
// Bank holidays come from the rules of METRICS.md (with substitute days for
// holidays on a weekend) plus one-off changes by proclamation, built in and
// replaceable or extendable from GOV.UK's bank-holidays.json. A Calendar is
// immutable once built and safe to share between threads.
#ifndef TELLUS_CALENDAR_H_
#define TELLUS_CALENDAR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace tellus {

namespace calendar_internal {
struct HolidayIndex;  // Holiday lists and a per-day table; see calendar.cc.
}  // namespace calendar_internal

enum class Region { kEnglandAndWales, kScotland, kNorthernIreland };

// "england-and-wales", "scotland", "northern-ireland" (GOV.UK's division
// names; matched case-insensitively, spaces/hyphens/underscores alike).
absl::StatusOr<Region> ParseRegion(absl::string_view name);
absl::string_view RegionName(Region region);

struct Holiday {
  absl::CivilDay date;
  std::string name;
  friend bool operator==(const Holiday&, const Holiday&) = default;
};

// How holidays loaded from GOV.UK JSON combine with the built-in ones.
enum class HolidayMerge {
  // For every year the file lists any holiday of the region, the file's
  // holidays are that year's holidays exactly; other years keep the rules.
  kReplace,
  // The file's holidays are added to the rules and built-in one-offs.
  kExtend,
};

class Calendar {
 public:
  // Copies share the immutable holiday index, so they are cheap. (Declaring
  // copies suppresses moves: a moved-from Calendar stays usable.)
  Calendar(const Calendar&) = default;
  Calendar& operator=(const Calendar&) = default;

  // Rules plus the built-in one-off changes of METRICS.md for the region.
  static Calendar ForRegion(Region region = Region::kEnglandAndWales);

  // Calendar::ForRegion(region) combined with the region's division of a
  // GOV.UK bank-holidays.json document ({"england-and-wales": {"events":
  // [{"title", "date", ...}]}, "scotland": ..., "northern-ireland": ...}).
  // Fails, naming the problem, on malformed JSON, a missing division or a
  // bad date.
  static absl::StatusOr<Calendar> FromGovUkJson(absl::string_view json,
                                                Region region,
                                                HolidayMerge merge);

  Region region() const { return region_; }

  // A day off: a substitute day is a holiday; the weekend day a holiday fell
  // on is not (it is not a working day either way).
  bool IsHoliday(absl::CivilDay day) const;
  // Monday to Friday and not a bank holiday.
  bool IsWorkingDay(absl::CivilDay day) const;

  // The n-th working day after `day` (n >= 0; `day` itself never counts,
  // working day or not). n == 0 returns `day`; a negative n counts back.
  absl::CivilDay AddWorkingDays(absl::CivilDay day, int n) const;

  // Working days in (from, to]: 0 when to <= from.
  int WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const;

  // A running count over the n days from `first`: element i is the number
  // of working days in [first, first + i]. For tables of a day range (the
  // report's kernels), at a subtraction a day.
  std::vector<int32_t> RunningWorkingDays(absl::CivilDay first, size_t n) const;

  // The region's bank holidays (days off, as GOV.UK lists them) of a calendar
  // year, in date order.
  std::vector<Holiday> HolidaysInYear(int64_t year) const;

 private:
  using HolidayIndex = calendar_internal::HolidayIndex;

  Calendar(Region region, std::shared_ptr<const HolidayIndex> index)
      : region_(region), index_(std::move(index)) {}

  Region region_;
  // Shared and immutable, so copies are cheap and thread-safe. Never null.
  std::shared_ptr<const HolidayIndex> index_;
};

}  // namespace tellus

#endif  // TELLUS_CALENDAR_H_
