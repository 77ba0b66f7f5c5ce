// render.h's sentences and values, on small hand-built reports: the change
// between periods in the words METRICS.md asks for, and "n/a" for a ratio
// with nothing to divide by.
#include "tellus/render.h"

#include <cstdint>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tellus {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::Value Count(int64_t n) {
  v1::Value v;
  v.set_count(n);
  return v;
}

v1::Value Ratio(int64_t numerator, int64_t denominator) {
  v1::Value v;
  v.mutable_ratio()->set_numerator(numerator);
  v.mutable_ratio()->set_denominator(denominator);
  return v;
}

// The change is filled as BuildReport fills it (METRICS.md): relative for
// counts, percentage points and relative for ratios.
v1::AnnualReport Report(const std::string& key, const v1::Value& current,
                        const v1::Value& previous) {
  v1::AnnualReport r;
  r.mutable_period()->set_label("2023/24");
  r.mutable_previous_period()->set_label("2022/23");
  v1::Metric& m = *r.add_metrics();
  m.set_key(key);
  *m.mutable_current() = current;
  *m.mutable_previous() = previous;
  if (current.has_count() && previous.count() != 0) {
    m.mutable_change()->set_relative(
        static_cast<double>(current.count() - previous.count()) /
        static_cast<double>(previous.count()));
  }
  if (current.has_ratio() && current.ratio().denominator() != 0 &&
      previous.ratio().denominator() != 0) {
    const double now = static_cast<double>(current.ratio().numerator()) /
                       static_cast<double>(current.ratio().denominator());
    const double before = static_cast<double>(previous.ratio().numerator()) /
                          static_cast<double>(previous.ratio().denominator());
    m.mutable_change()->set_percentage_points(100 * (now - before));
    m.mutable_change()->set_relative((now - before) / before);
  }
  return r;
}

TEST(HeadlineSentenceTest, ACountsChangeIsRelativeToThePreviousFigure) {
  // 3730 against 3196 is +16.7%, not the 14% of dividing by the current.
  const std::string s =
      HeadlineSentence(Report("complaints_received", Count(3730), Count(3196)),
                       "complaints_received");
  EXPECT_THAT(s, HasSubstr("3730"));
  EXPECT_THAT(s, HasSubstr("3196"));
  EXPECT_THAT(s, HasSubstr("16.7%"));
  EXPECT_THAT(s, Not(HasSubstr("14%")));
}

TEST(HeadlineSentenceTest, ARatiosDifferenceIsInPercentagePoints) {
  // 30% against 22%: 8 percentage points, never "8%".
  const std::string s = HeadlineSentence(
      Report("upheld_rate", Ratio(30, 100), Ratio(22, 100)), "upheld_rate");
  EXPECT_THAT(s, HasSubstr("30%"));
  EXPECT_THAT(s, HasSubstr("22%"));
  EXPECT_THAT(s, HasSubstr("8 percentage points"));
  EXPECT_THAT(s, Not(HasSubstr(" 8%")));
}

TEST(HeadlineSentenceTest, ARatioWithNothingToDivideByIsNotApplicable) {
  const std::string s = HeadlineSentence(
      Report("stage1_on_time", Ratio(0, 0), Ratio(5, 10)), "stage1_on_time");
  EXPECT_EQ(s,
            "n/a of stage 1 responses were on time (none to count in "
            "2023/24).");
}

TEST(FormatValueTest, PercentagesCountsAndSuppressedCells) {
  EXPECT_EQ(FormatValue(Ratio(45, 100)), "45%");
  EXPECT_EQ(FormatValue(Ratio(61, 1000)), "6.1%");
  EXPECT_EQ(FormatValue(Ratio(0, 0)), "n/a");
  EXPECT_EQ(FormatValue(Count(3730)), "3730");
  v1::Value hidden;
  hidden.mutable_suppressed()->set_shown_as("<5");
  EXPECT_EQ(FormatValue(hidden), "<5");
}

}  // namespace
}  // namespace tellus
