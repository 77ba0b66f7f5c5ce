// StringColumn: values end to end, each read back exactly.
#include "tellus/string_column.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace tellus {
namespace {

TEST(StringColumnTest, ReadsBackEveryValueExactly) {
  const std::vector<std::string> values = {
      "CMP-2023-0412",
      "",
      "x",
      std::string("nul\0inside", 10),
      "",
      "CMP-2023-0000412-with-a-longer-tail",
      "é"};
  StringColumn column;
  for (const std::string& v : values) column.push_back(v);
  ASSERT_EQ(column.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(column[i], values[i]) << i;
  }
}

TEST(StringColumnTest, EmptyColumn) {
  StringColumn column;
  EXPECT_TRUE(column.empty());
  EXPECT_EQ(column.size(), 0u);
  column.push_back("");
  EXPECT_FALSE(column.empty());
  EXPECT_EQ(column[0], "");
}

TEST(StringColumnTest, PopBackForgetsTheLastValue) {
  StringColumn column;
  column.push_back("first");
  column.push_back("second");
  column.pop_back();
  column.push_back("third");
  ASSERT_EQ(column.size(), 2u);
  EXPECT_EQ(column[0], "first");
  EXPECT_EQ(column[1], "third");
  column.pop_back();
  column.pop_back();
  EXPECT_TRUE(column.empty());
  column.push_back("again");
  EXPECT_EQ(column[0], "again");
}

TEST(StringColumnTest, SurvivesGrowthAndShrinking) {
  StringColumn column;
  column.reserve(4, 8);
  for (int i = 0; i < 10000; ++i) column.push_back(absl::StrCat("REF-", i));
  column.shrink_to_fit();
  for (int i = 0; i < 10000; ++i) {
    ASSERT_EQ(column[i], absl::StrCat("REF-", i));
  }
  EXPECT_GE(column.MemoryBytes(), 10000u * sizeof(uint64_t));
}

TEST(StringColumnTest, EqualityComparesValuesInOrder) {
  StringColumn a, b;
  a.push_back("ab");
  a.push_back("c");
  b.push_back("a");
  b.push_back("bc");
  EXPECT_FALSE(a == b);  // the same bytes, cut elsewhere
  StringColumn c;
  c.push_back("ab");
  c.push_back("c");
  EXPECT_TRUE(a == c);
}

}  // namespace
}  // namespace tellus
