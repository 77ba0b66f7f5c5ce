#include "tellus/calendar.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tellus/dates.h"

namespace tellus {

// Names the region in test output (found by argument-dependent lookup).
void PrintTo(Region region, std::ostream* out) { *out << RegionName(region); }

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::CivilDay Day(int year, int month, int day) {
  return absl::CivilDay(year, month, day);
}

// Bank holidays (the days off, as GOV.UK lists them) of 2000-2030, one year
// a line, as MM-DD. Worked out from the rules and proclamations of METRICS.md
// case by case (not with the code under test) and checked against the
// published lists where they exist.
constexpr char kEnglandAndWales[] = R"(
2000 01-03 04-21 04-24 05-01 05-29 08-28 12-25 12-26
2001 01-01 04-13 04-16 05-07 05-28 08-27 12-25 12-26
2002 01-01 03-29 04-01 05-06 06-03 06-04 08-26 12-25 12-26
2003 01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26
2004 01-01 04-09 04-12 05-03 05-31 08-30 12-27 12-28
2005 01-03 03-25 03-28 05-02 05-30 08-29 12-26 12-27
2006 01-02 04-14 04-17 05-01 05-29 08-28 12-25 12-26
2007 01-01 04-06 04-09 05-07 05-28 08-27 12-25 12-26
2008 01-01 03-21 03-24 05-05 05-26 08-25 12-25 12-26
2009 01-01 04-10 04-13 05-04 05-25 08-31 12-25 12-28
2010 01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28
2011 01-03 04-22 04-25 04-29 05-02 05-30 08-29 12-26 12-27
2012 01-02 04-06 04-09 05-07 06-04 06-05 08-27 12-25 12-26
2013 01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26
2014 01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26
2015 01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28
2016 01-01 03-25 03-28 05-02 05-30 08-29 12-26 12-27
2017 01-02 04-14 04-17 05-01 05-29 08-28 12-25 12-26
2018 01-01 03-30 04-02 05-07 05-28 08-27 12-25 12-26
2019 01-01 04-19 04-22 05-06 05-27 08-26 12-25 12-26
2020 01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28
2021 01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28
2022 01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27
2023 01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26
2024 01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26
2025 01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26
2026 01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28
2027 01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28
2028 01-03 04-14 04-17 05-01 05-29 08-28 12-25 12-26
2029 01-01 03-30 04-02 05-07 05-28 08-27 12-25 12-26
2030 01-01 04-19 04-22 05-06 05-27 08-26 12-25 12-26
)";

// Scotland: 1 and 2 January, no Easter Monday, first Monday of August,
// St Andrew's Day.
constexpr char kScotland[] = R"(
2000 01-03 01-04 04-21 05-01 05-29 08-07 11-30 12-25 12-26
2001 01-01 01-02 04-13 05-07 05-28 08-06 11-30 12-25 12-26
2002 01-01 01-02 03-29 05-06 06-03 06-04 08-05 12-02 12-25 12-26
2003 01-01 01-02 04-18 05-05 05-26 08-04 12-01 12-25 12-26
2004 01-01 01-02 04-09 05-03 05-31 08-02 11-30 12-27 12-28
2005 01-03 01-04 03-25 05-02 05-30 08-01 11-30 12-26 12-27
2006 01-02 01-03 04-14 05-01 05-29 08-07 11-30 12-25 12-26
2007 01-01 01-02 04-06 05-07 05-28 08-06 11-30 12-25 12-26
2008 01-01 01-02 03-21 05-05 05-26 08-04 12-01 12-25 12-26
2009 01-01 01-02 04-10 05-04 05-25 08-03 11-30 12-25 12-28
2010 01-01 01-04 04-02 05-03 05-31 08-02 11-30 12-27 12-28
2011 01-03 01-04 04-22 04-29 05-02 05-30 08-01 11-30 12-26 12-27
2012 01-02 01-03 04-06 05-07 06-04 06-05 08-06 11-30 12-25 12-26
2013 01-01 01-02 03-29 05-06 05-27 08-05 12-02 12-25 12-26
2014 01-01 01-02 04-18 05-05 05-26 08-04 12-01 12-25 12-26
2015 01-01 01-02 04-03 05-04 05-25 08-03 11-30 12-25 12-28
2016 01-01 01-04 03-25 05-02 05-30 08-01 11-30 12-26 12-27
2017 01-02 01-03 04-14 05-01 05-29 08-07 11-30 12-25 12-26
2018 01-01 01-02 03-30 05-07 05-28 08-06 11-30 12-25 12-26
2019 01-01 01-02 04-19 05-06 05-27 08-05 12-02 12-25 12-26
2020 01-01 01-02 04-10 05-08 05-25 08-03 11-30 12-25 12-28
2021 01-01 01-04 04-02 05-03 05-31 08-02 11-30 12-27 12-28
2022 01-03 01-04 04-15 05-02 06-02 06-03 08-01 09-19 11-30 12-26 12-27
2023 01-02 01-03 04-07 05-01 05-08 05-29 08-07 11-30 12-25 12-26
2024 01-01 01-02 03-29 05-06 05-27 08-05 12-02 12-25 12-26
2025 01-01 01-02 04-18 05-05 05-26 08-04 12-01 12-25 12-26
2026 01-01 01-02 04-03 05-04 05-25 08-03 11-30 12-25 12-28
2027 01-01 01-04 03-26 05-03 05-31 08-02 11-30 12-27 12-28
2028 01-03 01-04 04-14 05-01 05-29 08-07 11-30 12-25 12-26
2029 01-01 01-02 03-30 05-07 05-28 08-06 11-30 12-25 12-26
2030 01-01 01-02 04-19 05-06 05-27 08-05 12-02 12-25 12-26
)";

// Northern Ireland: England and Wales plus St Patrick's Day and the Battle
// of the Boyne.
constexpr char kNorthernIreland[] = R"(
2000 01-03 03-17 04-21 04-24 05-01 05-29 07-12 08-28 12-25 12-26
2001 01-01 03-19 04-13 04-16 05-07 05-28 07-12 08-27 12-25 12-26
2002 01-01 03-18 03-29 04-01 05-06 06-03 06-04 07-12 08-26 12-25 12-26
2003 01-01 03-17 04-18 04-21 05-05 05-26 07-14 08-25 12-25 12-26
2004 01-01 03-17 04-09 04-12 05-03 05-31 07-12 08-30 12-27 12-28
2005 01-03 03-17 03-25 03-28 05-02 05-30 07-12 08-29 12-26 12-27
2006 01-02 03-17 04-14 04-17 05-01 05-29 07-12 08-28 12-25 12-26
2007 01-01 03-19 04-06 04-09 05-07 05-28 07-12 08-27 12-25 12-26
2008 01-01 03-17 03-21 03-24 05-05 05-26 07-14 08-25 12-25 12-26
2009 01-01 03-17 04-10 04-13 05-04 05-25 07-13 08-31 12-25 12-28
2010 01-01 03-17 04-02 04-05 05-03 05-31 07-12 08-30 12-27 12-28
2011 01-03 03-17 04-22 04-25 04-29 05-02 05-30 07-12 08-29 12-26 12-27
2012 01-02 03-19 04-06 04-09 05-07 06-04 06-05 07-12 08-27 12-25 12-26
2013 01-01 03-18 03-29 04-01 05-06 05-27 07-12 08-26 12-25 12-26
2014 01-01 03-17 04-18 04-21 05-05 05-26 07-14 08-25 12-25 12-26
2015 01-01 03-17 04-03 04-06 05-04 05-25 07-13 08-31 12-25 12-28
2016 01-01 03-17 03-25 03-28 05-02 05-30 07-12 08-29 12-26 12-27
2017 01-02 03-17 04-14 04-17 05-01 05-29 07-12 08-28 12-25 12-26
2018 01-01 03-19 03-30 04-02 05-07 05-28 07-12 08-27 12-25 12-26
2019 01-01 03-18 04-19 04-22 05-06 05-27 07-12 08-26 12-25 12-26
2020 01-01 03-17 04-10 04-13 05-08 05-25 07-13 08-31 12-25 12-28
2021 01-01 03-17 04-02 04-05 05-03 05-31 07-12 08-30 12-27 12-28
2022 01-03 03-17 04-15 04-18 05-02 06-02 06-03 07-12 08-29 09-19 12-26 12-27
2023 01-02 03-17 04-07 04-10 05-01 05-08 05-29 07-12 08-28 12-25 12-26
2024 01-01 03-18 03-29 04-01 05-06 05-27 07-12 08-26 12-25 12-26
2025 01-01 03-17 04-18 04-21 05-05 05-26 07-14 08-25 12-25 12-26
2026 01-01 03-17 04-03 04-06 05-04 05-25 07-13 08-31 12-25 12-28
2027 01-01 03-17 03-26 03-29 05-03 05-31 07-12 08-30 12-27 12-28
2028 01-03 03-17 04-14 04-17 05-01 05-29 07-12 08-28 12-25 12-26
2029 01-01 03-19 03-30 04-02 05-07 05-28 07-12 08-27 12-25 12-26
2030 01-01 03-18 04-19 04-22 05-06 05-27 07-12 08-26 12-25 12-26
)";

// Year -> "MM-DD MM-DD ..." from one of the tables above.
std::map<int, std::string> ParseTable(const char* table) {
  std::map<int, std::string> years;
  for (absl::string_view line :
       absl::StrSplit(table, '\n', absl::SkipWhitespace())) {
    const std::pair<std::string, std::string> year_and_days =
        absl::StrSplit(line, absl::MaxSplits(' ', 1));
    const int year = std::stoi(year_and_days.first);
    EXPECT_TRUE(years.emplace(year, year_and_days.second).second)
        << "year " << year << " listed twice";
  }
  return years;
}

std::string MonthDays(const std::vector<Holiday>& holidays) {
  std::vector<std::string> days;
  for (const Holiday& h : holidays) {
    days.push_back(absl::StrFormat("%02d-%02d", h.date.month(), h.date.day()));
  }
  return absl::StrJoin(days, " ");
}

std::vector<std::string> Dates(const std::vector<Holiday>& holidays) {
  std::vector<std::string> dates;
  for (const Holiday& h : holidays) dates.push_back(FormatDate(h.date));
  return dates;
}

bool IsWeekend(absl::CivilDay day) {
  return absl::GetWeekday(day) == absl::Weekday::saturday ||
         absl::GetWeekday(day) == absl::Weekday::sunday;
}

const char* ExpectedTable(Region region) {
  switch (region) {
    case Region::kEnglandAndWales:
      return kEnglandAndWales;
    case Region::kScotland:
      return kScotland;
    case Region::kNorthernIreland:
      return kNorthernIreland;
  }
  return "";
}

class HolidayTableTest : public ::testing::TestWithParam<Region> {};

TEST_P(HolidayTableTest, EveryYear2000To2030MatchesThePublishedList) {
  const Region region = GetParam();
  const Calendar calendar = Calendar::ForRegion(region);
  const std::map<int, std::string> expected = ParseTable(ExpectedTable(region));
  ASSERT_EQ(expected.size(), 31u);
  ASSERT_EQ(expected.begin()->first, 2000);
  ASSERT_EQ(expected.rbegin()->first, 2030);
  for (const auto& [year, days] : expected) {
    EXPECT_EQ(MonthDays(calendar.HolidaysInYear(year)), days)
        << RegionName(region) << " " << year;
  }
}

TEST_P(HolidayTableTest, DayChecksAgreeWithTheYearsList) {
  const Calendar calendar = Calendar::ForRegion(GetParam());
  for (int year = 2000; year <= 2030; ++year) {
    std::vector<absl::CivilDay> listed;
    for (const Holiday& h : calendar.HolidaysInYear(year)) {
      listed.push_back(h.date);
    }
    for (absl::CivilDay day = Day(year, 1, 1); day <= Day(year, 12, 31);
         ++day) {
      const bool is_listed =
          std::find(listed.begin(), listed.end(), day) != listed.end();
      ASSERT_EQ(calendar.IsHoliday(day), is_listed) << FormatDate(day);
      ASSERT_EQ(calendar.IsWorkingDay(day), !is_listed && !IsWeekend(day))
          << FormatDate(day);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllRegions, HolidayTableTest,
                         ::testing::Values(Region::kEnglandAndWales,
                                           Region::kScotland,
                                           Region::kNorthernIreland),
                         [](const ::testing::TestParamInfo<Region>& info) {
                           std::string name(RegionName(info.param));
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(CalendarTest, HolidayNamesFollowGovUk) {
  const Calendar calendar = Calendar::ForRegion(Region::kEnglandAndWales);
  EXPECT_THAT(
      calendar.HolidaysInYear(2022),
      ElementsAre(
          Holiday{Day(2022, 1, 3), "New Year's Day"},
          Holiday{Day(2022, 4, 15), "Good Friday"},
          Holiday{Day(2022, 4, 18), "Easter Monday"},
          Holiday{Day(2022, 5, 2), "Early May bank holiday"},
          Holiday{Day(2022, 6, 2), "Spring bank holiday"},
          Holiday{Day(2022, 6, 3), "Platinum Jubilee bank holiday"},
          Holiday{Day(2022, 8, 29), "Summer bank holiday"},
          Holiday{Day(2022, 9, 19),
                  "Bank Holiday for the State Funeral of Queen Elizabeth II"},
          // Christmas on a Sunday: Boxing Day keeps the 26th.
          Holiday{Day(2022, 12, 26), "Boxing Day"},
          Holiday{Day(2022, 12, 27), "Christmas Day"}));
}

TEST(CalendarTest, ChristmasOnSaturdayGivesMondayAndTuesday) {
  const Calendar calendar = Calendar::ForRegion();
  const std::vector<Holiday> holidays = calendar.HolidaysInYear(2021);
  ASSERT_GE(holidays.size(), 2u);
  EXPECT_EQ(holidays[holidays.size() - 2],
            (Holiday{Day(2021, 12, 27), "Christmas Day"}));
  EXPECT_EQ(holidays.back(), (Holiday{Day(2021, 12, 28), "Boxing Day"}));
}

TEST(CalendarTest, ScottishNewYearOnSundayNamesLikeGovUk) {
  const std::vector<Holiday> holidays =
      Calendar::ForRegion(Region::kScotland).HolidaysInYear(2023);
  ASSERT_GE(holidays.size(), 2u);
  EXPECT_EQ(holidays[0], (Holiday{Day(2023, 1, 2), "New Year's Day"}));
  EXPECT_EQ(holidays[1], (Holiday{Day(2023, 1, 3), "2nd January"}));
}

TEST(CalendarTest, RegionalHolidayNames) {
  const std::vector<Holiday> scotland =
      Calendar::ForRegion(Region::kScotland).HolidaysInYear(2019);
  EXPECT_NE(std::find(scotland.begin(), scotland.end(),
                      Holiday{Day(2019, 12, 2), "St Andrew's Day"}),
            scotland.end());
  const std::vector<Holiday> northern_ireland =
      Calendar::ForRegion(Region::kNorthernIreland).HolidaysInYear(2020);
  EXPECT_NE(std::find(northern_ireland.begin(), northern_ireland.end(),
                      Holiday{Day(2020, 7, 13),
                              "Battle of the Boyne (Orangemen's Day)"}),
            northern_ireland.end());
  EXPECT_NE(std::find(northern_ireland.begin(), northern_ireland.end(),
                      Holiday{Day(2020, 3, 17), "St Patrick's Day"}),
            northern_ireland.end());
}

TEST(CalendarTest, OneOffChanges) {
  for (Region region : {Region::kEnglandAndWales, Region::kScotland,
                        Region::kNorthernIreland}) {
    const Calendar calendar = Calendar::ForRegion(region);
    SCOPED_TRACE(RegionName(region));
    // The millennium: an extra day, and New Year's Day 2000 still moves to
    // Monday 3 January.
    EXPECT_TRUE(calendar.IsHoliday(Day(1999, 12, 31)));
    EXPECT_TRUE(calendar.IsHoliday(Day(2000, 1, 3)));
    EXPECT_TRUE(calendar.IsHoliday(Day(2011, 4, 29)));
    EXPECT_TRUE(calendar.IsHoliday(Day(2023, 5, 8)));
    // Moved holidays: the rule's day is an ordinary working day.
    EXPECT_TRUE(calendar.IsWorkingDay(Day(2002, 5, 27)));
    EXPECT_TRUE(calendar.IsWorkingDay(Day(2012, 5, 28)));
    EXPECT_TRUE(calendar.IsWorkingDay(Day(2020, 5, 4)));
    EXPECT_TRUE(calendar.IsWorkingDay(Day(2022, 5, 30)));
  }
}

TEST(CalendarTest, WeekendDayAHolidayFellOnIsNotListedButNotWorking) {
  const Calendar calendar = Calendar::ForRegion();
  EXPECT_FALSE(calendar.IsHoliday(Day(2022, 12, 25)));  // Sunday
  EXPECT_FALSE(calendar.IsWorkingDay(Day(2022, 12, 25)));
  EXPECT_TRUE(calendar.IsHoliday(Day(2022, 12, 27)));  // its substitute
  EXPECT_TRUE(calendar.IsWorkingDay(Day(2022, 12, 28)));
}

TEST(CalendarTest, AddWorkingDaysOverTheCoronation) {
  const Calendar calendar = Calendar::ForRegion();
  EXPECT_EQ(calendar.AddWorkingDays(Day(2023, 5, 5), 1), Day(2023, 5, 9));
  EXPECT_EQ(calendar.AddWorkingDays(Day(2023, 5, 5), 5), Day(2023, 5, 15));
}

TEST(CalendarTest, AddWorkingDaysOverEaster) {
  // Thursday before Good Friday 2023; Easter Monday is a holiday in England
  // and Wales but not in Scotland.
  EXPECT_EQ(Calendar::ForRegion().AddWorkingDays(Day(2023, 4, 6), 1),
            Day(2023, 4, 11));
  EXPECT_EQ(
      Calendar::ForRegion(Region::kScotland).AddWorkingDays(Day(2023, 4, 6), 1),
      Day(2023, 4, 10));
}

TEST(CalendarTest, AddWorkingDaysOverChristmasAndNewYear) {
  const Calendar calendar = Calendar::ForRegion();
  // Friday 23 December 2022; 26, 27 December and 2 January are holidays.
  EXPECT_EQ(calendar.AddWorkingDays(Day(2022, 12, 23), 1), Day(2022, 12, 28));
  EXPECT_EQ(calendar.AddWorkingDays(Day(2022, 12, 23), 3), Day(2022, 12, 30));
  EXPECT_EQ(calendar.AddWorkingDays(Day(2022, 12, 23), 4), Day(2023, 1, 3));
  // Scotland also keeps 3 January 2023.
  EXPECT_EQ(Calendar::ForRegion(Region::kScotland)
                .AddWorkingDays(Day(2022, 12, 23), 4),
            Day(2023, 1, 4));
}

TEST(CalendarTest, AddWorkingDaysOverAWeekend) {
  const Calendar calendar = Calendar::ForRegion();
  EXPECT_EQ(calendar.AddWorkingDays(Day(2024, 6, 7), 1), Day(2024, 6, 10));
  EXPECT_EQ(calendar.AddWorkingDays(Day(2024, 6, 7), 5), Day(2024, 6, 14));
  EXPECT_EQ(calendar.AddWorkingDays(Day(2024, 6, 7), 6), Day(2024, 6, 17));
}

TEST(CalendarTest, StartDayNeverCountsEvenWhenNotAWorkingDay) {
  const Calendar calendar = Calendar::ForRegion();
  // Coronation Monday, the Saturday before it, and a Sunday.
  EXPECT_EQ(calendar.AddWorkingDays(Day(2023, 5, 8), 1), Day(2023, 5, 9));
  EXPECT_EQ(calendar.AddWorkingDays(Day(2023, 5, 6), 1), Day(2023, 5, 9));
  EXPECT_EQ(calendar.AddWorkingDays(Day(2024, 6, 9), 1), Day(2024, 6, 10));
  // n == 0 is the day itself, working day or not.
  EXPECT_EQ(calendar.AddWorkingDays(Day(2024, 6, 8), 0), Day(2024, 6, 8));
}

TEST(CalendarTest, NegativeCountsBack) {
  const Calendar calendar = Calendar::ForRegion();
  EXPECT_EQ(calendar.AddWorkingDays(Day(2023, 5, 9), -1), Day(2023, 5, 5));
  EXPECT_EQ(calendar.AddWorkingDays(Day(2023, 1, 3), -2), Day(2022, 12, 29));
}

TEST(CalendarTest, WorkingDaysBetween) {
  const Calendar calendar = Calendar::ForRegion();
  EXPECT_EQ(calendar.WorkingDaysBetween(Day(2023, 5, 5), Day(2023, 5, 12)), 4);
  EXPECT_EQ(calendar.WorkingDaysBetween(Day(2022, 12, 23), Day(2023, 1, 3)), 4);
  // 2023 has 260 weekdays, 9 of them bank holidays in England and Wales.
  EXPECT_EQ(calendar.WorkingDaysBetween(Day(2022, 12, 31), Day(2023, 12, 31)),
            251);
  EXPECT_EQ(calendar.WorkingDaysBetween(Day(2023, 5, 5), Day(2023, 5, 5)), 0);
  EXPECT_EQ(calendar.WorkingDaysBetween(Day(2023, 5, 12), Day(2023, 5, 5)), 0);
}

// The fast paths (a per-day table) agree with walking day by day.
TEST(CalendarTest, AddAndBetweenAgreeWithWalkingDayByDay) {
  const Calendar calendar = Calendar::ForRegion();
  for (absl::CivilDay start = Day(2019, 12, 1); start <= Day(2024, 1, 31);
       start += 3) {
    absl::CivilDay walked = start;
    for (int n = 1; n <= 45; ++n) {
      do {
        ++walked;
      } while (!calendar.IsWorkingDay(walked));
      ASSERT_EQ(calendar.AddWorkingDays(start, n), walked)
          << FormatDate(start) << " + " << n;
      ASSERT_EQ(calendar.WorkingDaysBetween(start, walked), n)
          << FormatDate(start) << " to " << FormatDate(walked);
    }
  }
}

// Inside the per-day table, across its end, and wholly outside it.
TEST(CalendarTest, RunningWorkingDaysCountsDayByDay) {
  const Calendar calendar = Calendar::ForRegion();
  for (const absl::CivilDay first :
       {Day(2022, 12, 24), Day(2199, 11, 30), Day(2400, 1, 1)}) {
    const std::vector<int32_t> running =
        calendar.RunningWorkingDays(first, 400);
    ASSERT_EQ(running.size(), 400u);
    int32_t count = 0;
    for (int i = 0; i < 400; ++i) {
      count += calendar.IsWorkingDay(first + i) ? 1 : 0;
      ASSERT_EQ(running[i], count) << FormatDate(first) << " + " << i;
    }
  }
  // 2023 has 251 working days in England and Wales.
  EXPECT_EQ(calendar.RunningWorkingDays(Day(2023, 1, 1), 365).back(), 251);
  EXPECT_TRUE(calendar.RunningWorkingDays(Day(2023, 1, 1), 0).empty());
}

TEST(CalendarTest, YearsOutsideThePrecomputedRangeFollowTheRules) {
  const Calendar calendar = Calendar::ForRegion();
  // Easter 2400 is 16 April; 1 January 2400 is a Saturday.
  EXPECT_EQ(MonthDays(calendar.HolidaysInYear(2400)),
            "01-03 04-14 04-17 05-01 05-29 08-28 12-25 12-26");
  EXPECT_TRUE(calendar.IsHoliday(Day(2400, 4, 17)));
  EXPECT_FALSE(calendar.IsWorkingDay(Day(2400, 1, 3)));
  EXPECT_TRUE(calendar.IsWorkingDay(Day(2400, 1, 4)));
  // Easter 1850 is 31 March.
  EXPECT_EQ(MonthDays(calendar.HolidaysInYear(1850)),
            "01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26");
  // Across the end of the range: Friday 20 December 2199 + 10 working days,
  // past Christmas 2199 and New Year's Day 2200 (a Wednesday).
  EXPECT_EQ(calendar.AddWorkingDays(Day(2199, 12, 20), 10), Day(2200, 1, 8));
  EXPECT_EQ(calendar.WorkingDaysBetween(Day(2199, 12, 20), Day(2200, 1, 8)),
            10);
  EXPECT_EQ(calendar.AddWorkingDays(Day(2200, 1, 8), -10), Day(2199, 12, 20));
}

TEST(RegionTest, ParseRegionIgnoresCaseAndSeparators) {
  EXPECT_EQ(*ParseRegion("england-and-wales"), Region::kEnglandAndWales);
  EXPECT_EQ(*ParseRegion("England and Wales"), Region::kEnglandAndWales);
  EXPECT_EQ(*ParseRegion("ENGLAND_AND_WALES"), Region::kEnglandAndWales);
  EXPECT_EQ(*ParseRegion("Scotland"), Region::kScotland);
  EXPECT_EQ(*ParseRegion("Northern Ireland"), Region::kNorthernIreland);
  EXPECT_EQ(*ParseRegion("northern_ireland"), Region::kNorthernIreland);
  for (Region region : {Region::kEnglandAndWales, Region::kScotland,
                        Region::kNorthernIreland}) {
    EXPECT_EQ(*ParseRegion(RegionName(region)), region);
  }
}

TEST(RegionTest, UnknownRegionNamesTheChoices) {
  const absl::StatusOr<Region> region = ParseRegion("wales");
  ASSERT_FALSE(region.ok());
  EXPECT_EQ(region.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(region.status().message()),
              HasSubstr("england-and-wales, scotland or northern-ireland"));
}

std::string ReadFixture() {
  std::ifstream in(TELLUS_TEST_DATA_DIR "/bank-holidays.json");
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

TEST(GovUkJsonTest, ReplaceMakesTheFilesYearsExact) {
  const absl::StatusOr<Calendar> calendar = Calendar::FromGovUkJson(
      ReadFixture(), Region::kEnglandAndWales, HolidayMerge::kReplace);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_EQ(calendar->region(), Region::kEnglandAndWales);
  // The fixture moves 2030's spring holiday to 3 June and adds 4 June.
  EXPECT_THAT(Dates(calendar->HolidaysInYear(2030)),
              ElementsAre("2030-01-01", "2030-04-19", "2030-04-22",
                          "2030-05-06", "2030-06-03", "2030-06-04",
                          "2030-08-26", "2030-12-25", "2030-12-26"));
  EXPECT_TRUE(calendar->IsWorkingDay(Day(2030, 5, 27)));
  EXPECT_FALSE(calendar->IsWorkingDay(Day(2030, 6, 4)));
  EXPECT_EQ(calendar->AddWorkingDays(Day(2030, 5, 31), 1), Day(2030, 6, 5));
  // Names come from the file.
  EXPECT_EQ(calendar->HolidaysInYear(2023).front(),
            (Holiday{Day(2023, 1, 2), "New Year\xE2\x80\x99s Day"}));
  // A year the file does not list keeps the rules.
  EXPECT_EQ(MonthDays(calendar->HolidaysInYear(2029)),
            "01-01 03-30 04-02 05-07 05-28 08-27 12-25 12-26");
}

TEST(GovUkJsonTest, ExtendAddsToTheRules) {
  const absl::StatusOr<Calendar> calendar = Calendar::FromGovUkJson(
      ReadFixture(), Region::kEnglandAndWales, HolidayMerge::kExtend);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  // The rule's 27 May stays, and the file's 3 and 4 June are added.
  EXPECT_EQ(MonthDays(calendar->HolidaysInYear(2030)),
            "01-01 04-19 04-22 05-06 05-27 06-03 06-04 08-26 12-25 12-26");
  EXPECT_FALSE(calendar->IsWorkingDay(Day(2030, 5, 27)));
  EXPECT_FALSE(calendar->IsWorkingDay(Day(2030, 6, 3)));
  // A day already a holiday keeps its built-in name.
  EXPECT_EQ(calendar->HolidaysInYear(2023).front(),
            (Holiday{Day(2023, 1, 2), "New Year's Day"}));
  EXPECT_EQ(calendar->HolidaysInYear(2023).size(), 9u);
}

TEST(GovUkJsonTest, ReadsTheRegionsOwnDivision) {
  const absl::StatusOr<Calendar> calendar = Calendar::FromGovUkJson(
      ReadFixture(), Region::kScotland, HolidayMerge::kReplace);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_EQ(MonthDays(calendar->HolidaysInYear(2023)),
            "01-02 01-03 04-07 05-01 05-08 05-29 08-07 11-30 12-25 12-26");
  EXPECT_TRUE(calendar->IsWorkingDay(Day(2023, 4, 10)));  // no Easter Monday
  // The fixture's 2030 changes are England and Wales only.
  EXPECT_FALSE(calendar->IsWorkingDay(Day(2030, 5, 27)));
}

TEST(GovUkJsonTest, EmptyEventListChangesNothing) {
  const absl::StatusOr<Calendar> calendar = Calendar::FromGovUkJson(
      R"({"england-and-wales": {"division": "england-and-wales", "events": []}})",
      Region::kEnglandAndWales, HolidayMerge::kReplace);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_EQ(calendar->HolidaysInYear(2022),
            Calendar::ForRegion().HolidaysInYear(2022));
}

void ExpectRejected(absl::string_view json, Region region,
                    const std::vector<std::string>& message_parts) {
  for (HolidayMerge merge : {HolidayMerge::kReplace, HolidayMerge::kExtend}) {
    const absl::StatusOr<Calendar> calendar =
        Calendar::FromGovUkJson(json, region, merge);
    ASSERT_FALSE(calendar.ok()) << json;
    EXPECT_EQ(calendar.status().code(), absl::StatusCode::kInvalidArgument);
    for (const std::string& part : message_parts) {
      EXPECT_THAT(std::string(calendar.status().message()), HasSubstr(part));
    }
  }
}

TEST(GovUkJsonTest, RejectsMalformedJson) {
  ExpectRejected(R"({"england-and-wales": {"events": [)",
                 Region::kEnglandAndWales, {"not valid"});
  ExpectRejected("", Region::kEnglandAndWales, {"not valid"});
}

TEST(GovUkJsonTest, RejectsAMissingDivision) {
  ExpectRejected(R"({"england-and-wales": {"events": []}})", Region::kScotland,
                 {"no \"scotland\" division", "england-and-wales"});
  ExpectRejected(R"({"scotland": {"division": "scotland"}})", Region::kScotland,
                 {"\"scotland\" has no \"events\" list"});
}

TEST(GovUkJsonTest, RejectsABadDate) {
  ExpectRejected(
      R"({"england-and-wales": {"events": [
           {"title": "Good Friday", "date": "2023-04-07"},
           {"title": "Easter Monday", "date": "2023-02-30"}]}})",
      Region::kEnglandAndWales,
      {"event 2", "Easter Monday", "2023-02-30", "YYYY-MM-DD"});
  ExpectRejected(
      R"({"england-and-wales": {"events": [{"title": "Boxing Day",
           "date": "26/12/2023"}]}})",
      Region::kEnglandAndWales, {"26/12/2023"});
  ExpectRejected(
      R"({"england-and-wales": {"events": [{"title": "Boxing Day"}]}})",
      Region::kEnglandAndWales, {"Boxing Day", "has no \"date\""});
  ExpectRejected(
      R"({"england-and-wales": {"events": [{"date": "2023-12-26"}]}})",
      Region::kEnglandAndWales, {"event 1", "has no \"title\""});
}

}  // namespace
}  // namespace tellus
