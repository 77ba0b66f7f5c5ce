// Reporting periods: financial years, calendar years and date ranges.
//
//   absl::StatusOr<tellus::Period> p = tellus::ParsePeriod("2023/24");
//   p->start;             // 2023-04-01
//   p->end;               // 2024-03-31 (inclusive)
//   p->Label();           // "2023/24"
//   p->Previous().Label();  // "2022/23"
//
// METRICS.md: the previous period of a financial year is the one before it,
// of a calendar year the year before, of any other range the range of the
// same number of days ending the day before it starts.
#ifndef TELLUS_PERIOD_H_
#define TELLUS_PERIOD_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "tellus/v1/period.pb.h"

namespace tellus {

struct Period {
  enum class Kind { kFinancialYear, kCalendarYear, kRange };

  Kind kind = Kind::kRange;
  absl::CivilDay start;  // first day
  absl::CivilDay end;    // last day, inclusive

  // "2023/24", "2023" or "2023-04-01..2023-06-30".
  std::string Label() const;
  Period Previous() const;
  bool Contains(absl::CivilDay day) const { return start <= day && day <= end; }
  int64_t Days() const { return end - start + 1; }
  v1::Period ToProto() const;

  friend bool operator==(const Period&, const Period&) = default;
};

// A financial year starting in `start_month` (1..12) of `start_year`.
Period FinancialYear(int64_t start_year, int start_month = 4);
Period CalendarYear(int64_t year);

// "2023/24" (a financial year starting in `financial_year_start_month`),
// "2023" (a calendar year) or "YYYY-MM-DD..YYYY-MM-DD" (inclusive).
absl::StatusOr<Period> ParsePeriod(absl::string_view text,
                                   int financial_year_start_month = 4);

// The `count` periods ending with `p`, oldest first (the five-year series).
std::vector<Period> PeriodsEndingWith(const Period& p, int count);

}  // namespace tellus

#endif  // TELLUS_PERIOD_H_
