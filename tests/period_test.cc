#include "tellus/period.h"

#include "gtest/gtest.h"

namespace tellus {
namespace {

TEST(PeriodTest, FinancialYear) {
  auto p = ParsePeriod("2023/24");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->start, absl::CivilDay(2023, 4, 1));
  EXPECT_EQ(p->end, absl::CivilDay(2024, 3, 31));
  EXPECT_EQ(p->Label(), "2023/24");
  EXPECT_EQ(p->Previous().Label(), "2022/23");
  EXPECT_EQ(p->Previous().start, absl::CivilDay(2022, 4, 1));
  EXPECT_EQ(ParsePeriod("2023/2024")->Label(), "2023/24");
  EXPECT_EQ(ParsePeriod("1999/00")->end, absl::CivilDay(2000, 3, 31));
}

TEST(PeriodTest, FinancialYearWithAnotherStartMonth) {
  auto p = ParsePeriod("2023/24", 1);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->start, absl::CivilDay(2023, 1, 1));
  EXPECT_EQ(p->end, absl::CivilDay(2023, 12, 31));
  EXPECT_EQ(p->Label(), "2023/24");  // labelled by its start year and the next
  auto july = ParsePeriod("2023/24", 7);
  EXPECT_EQ(july->end, absl::CivilDay(2024, 6, 30));
}

TEST(PeriodTest, CalendarYear) {
  auto p = ParsePeriod("2023");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->start, absl::CivilDay(2023, 1, 1));
  EXPECT_EQ(p->end, absl::CivilDay(2023, 12, 31));
  EXPECT_EQ(p->Previous().Label(), "2022");
}

TEST(PeriodTest, RangeAndItsPreviousRangeOfTheSameLength) {
  auto p = ParsePeriod("2023-04-01..2023-06-30");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Label(), "2023-04-01..2023-06-30");
  EXPECT_EQ(p->Days(), 91);
  const Period prev = p->Previous();
  EXPECT_EQ(prev.end, absl::CivilDay(2023, 3, 31));
  EXPECT_EQ(prev.Days(), 91);
  EXPECT_EQ(prev.start, absl::CivilDay(2022, 12, 31));
  EXPECT_EQ(prev.Label(), "2022-12-31..2023-03-31");
}

TEST(PeriodTest, Errors) {
  for (const char* bad : {"2023/25", "23/24", "2023-13-01..2023-12-31",
                          "2023-06-30..2023-04-01", "last year", "", "20234"}) {
    EXPECT_FALSE(ParsePeriod(bad).ok()) << bad;
  }
  EXPECT_FALSE(ParsePeriod("2023/24", 13).ok());
}

TEST(PeriodTest, FiveYearsOldestFirst) {
  const std::vector<Period> five =
      PeriodsEndingWith(*ParsePeriod("2023/24"), 5);
  ASSERT_EQ(five.size(), 5u);
  EXPECT_EQ(five.front().Label(), "2019/20");
  EXPECT_EQ(five.back().Label(), "2023/24");
}

TEST(PeriodTest, ToProto) {
  const v1::Period p = ParsePeriod("2023/24")->ToProto();
  EXPECT_EQ(p.label(), "2023/24");
  EXPECT_EQ(p.start(), "2023-04-01");
  EXPECT_EQ(p.end(), "2024-03-31");
}

}  // namespace
}  // namespace tellus
