#include "tellus/period.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "tellus/dates.h"

namespace tellus {

Period FinancialYear(int64_t start_year, int start_month) {
  Period p;
  p.kind = Period::Kind::kFinancialYear;
  p.start = absl::CivilDay(start_year, start_month, 1);
  p.end = absl::CivilDay(absl::CivilMonth(start_year, start_month) + 12) - 1;
  return p;
}

Period CalendarYear(int64_t year) {
  Period p;
  p.kind = Period::Kind::kCalendarYear;
  p.start = absl::CivilDay(year, 1, 1);
  p.end = absl::CivilDay(year, 12, 31);
  return p;
}

std::string Period::Label() const {
  switch (kind) {
    case Kind::kFinancialYear:
      return absl::StrFormat("%04d/%02d", start.year(),
                             (start.year() + 1) % 100);
    case Kind::kCalendarYear:
      return absl::StrFormat("%04d", start.year());
    case Kind::kRange:
      break;
  }
  return absl::StrCat(FormatDate(start), "..", FormatDate(end));
}

Period Period::Previous() const {
  switch (kind) {
    case Kind::kFinancialYear:
      return FinancialYear(start.year() - 1, start.month());
    case Kind::kCalendarYear:
      return CalendarYear(start.year() - 1);
    case Kind::kRange:
      break;
  }
  Period p;
  p.kind = Kind::kRange;
  p.end = start - 1;
  p.start = p.end - (Days() - 1);
  return p;
}

v1::Period Period::ToProto() const {
  v1::Period out;
  out.set_label(Label());
  out.set_start(FormatDate(start));
  out.set_end(FormatDate(end));
  return out;
}

namespace {

bool AllDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
}

absl::Status BadPeriod(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      "period '", text, "' ", why,
      " (expected a financial year like 2023/24, a calendar year like 2023, "
      "or a range like 2023-04-01..2023-06-30)"));
}

}  // namespace

absl::StatusOr<Period> ParsePeriod(absl::string_view text,
                                   int financial_year_start_month) {
  if (financial_year_start_month < 1 || financial_year_start_month > 12) {
    return absl::InvalidArgumentError(
        absl::StrCat("financial year start month ", financial_year_start_month,
                     " is not a month (1..12)"));
  }
  if (size_t dots = text.find(".."); dots != absl::string_view::npos) {
    auto start = ParseIsoDate(text.substr(0, dots));
    auto end = ParseIsoDate(text.substr(dots + 2));
    if (!start.ok() || !end.ok()) return BadPeriod(text, "has a bad date");
    if (*end < *start) return BadPeriod(text, "ends before it starts");
    Period p;
    p.kind = Period::Kind::kRange;
    p.start = *start;
    p.end = *end;
    return p;
  }
  if (size_t slash = text.find('/'); slash != absl::string_view::npos) {
    absl::string_view first = text.substr(0, slash);
    absl::string_view second = text.substr(slash + 1);
    int64_t year = 0, next = 0;
    if (first.size() != 4 || !AllDigits(first) || !AllDigits(second) ||
        (second.size() != 2 && second.size() != 4) ||
        !absl::SimpleAtoi(first, &year) || !absl::SimpleAtoi(second, &next)) {
      return BadPeriod(text, "is not a financial year");
    }
    const int64_t expected = second.size() == 2 ? (year + 1) % 100 : year + 1;
    if (next != expected) {
      return BadPeriod(text, absl::StrFormat("does not end in the year after "
                                             "%d",
                                             year));
    }
    return FinancialYear(year, financial_year_start_month);
  }
  int64_t year = 0;
  if (text.size() == 4 && AllDigits(text) && absl::SimpleAtoi(text, &year)) {
    return CalendarYear(year);
  }
  return BadPeriod(text, "is not a period");
}

std::vector<Period> PeriodsEndingWith(const Period& p, int count) {
  std::vector<Period> out;
  Period current = p;
  for (int i = 0; i < count; ++i) {
    out.push_back(current);
    current = current.Previous();
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace tellus
