// StringIndex: each value's row, exact matches only, against a map of
// strings.
#include "tellus/string_index.h"

#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace tellus {
namespace {

TEST(StringIndexTest, FindsTheRowOfEachValue) {
  StringColumn refs;
  StringIndex index;
  for (const char* ref : {"CMP-1", "CMP-2", "", "cmp-1", "CMP-1 "}) {
    refs.push_back(ref);
    EXPECT_TRUE(index.Insert(refs, static_cast<uint32_t>(refs.size() - 1)))
        << ref;
  }
  EXPECT_EQ(index.size(), 5u);
  EXPECT_EQ(index.Find(refs, "CMP-1"), 0u);
  EXPECT_EQ(index.Find(refs, "CMP-2"), 1u);
  EXPECT_EQ(index.Find(refs, ""), 2u);
  EXPECT_EQ(index.Find(refs, "cmp-1"), 3u);  // case matters
  EXPECT_EQ(index.Find(refs, "CMP-1 "), 4u);
  EXPECT_EQ(index.Find(refs, "CMP-3"), std::nullopt);
  EXPECT_EQ(index.Find(refs, "CMP-"), std::nullopt);
}

TEST(StringIndexTest, EmptyIndexFindsNothing) {
  StringColumn refs;
  StringIndex index;
  EXPECT_EQ(index.Find(refs, ""), std::nullopt);
  EXPECT_EQ(index.Find(refs, "CMP-1"), std::nullopt);
}

TEST(StringIndexTest, RefusesAValueAlreadyIndexed) {
  StringColumn refs;
  StringIndex index;
  refs.push_back("CMP-1");
  ASSERT_TRUE(index.Insert(refs, 0));
  refs.push_back("CMP-1");
  EXPECT_FALSE(index.Insert(refs, 1));
  EXPECT_EQ(index.size(), 1u);
  EXPECT_EQ(index.Find(refs, "CMP-1"), 0u);
}

// Many values through several growths, and values absent, against
// absl::flat_hash_map; values share prefixes and lengths, as references do.
TEST(StringIndexTest, AgreesWithAHashMapThroughGrowth) {
  std::mt19937_64 random(20261127);
  StringColumn refs;
  StringIndex index;
  absl::flat_hash_map<std::string, uint32_t> want;
  for (int i = 0; i < 200000; ++i) {
    const std::string ref =
        absl::StrCat("CMP-", 2019 + random() % 6, "-", random() % 300000);
    refs.push_back(ref);
    const uint32_t row = static_cast<uint32_t>(refs.size() - 1);
    const bool is_new = want.try_emplace(ref, row).second;
    ASSERT_EQ(index.Insert(refs, row), is_new) << ref;
    if (!is_new) refs.pop_back();
  }
  ASSERT_EQ(index.size(), want.size());
  for (const auto& [ref, row] : want) {
    ASSERT_EQ(index.Find(refs, ref), row) << ref;
  }
  for (int i = 0; i < 10000; ++i) {
    const std::string ref = absl::StrCat("CMP-", 2019 + random() % 6, "-",
                                         300000 + random() % 300000);
    ASSERT_EQ(index.Find(refs, ref), std::nullopt) << ref;
  }
  // At most half full, 8 bytes a slot.
  EXPECT_LE(index.MemoryBytes(), 4 * 8 * want.size());
}

// FindMany answers as Find does, for batches of any size (more than one
// internal batch, and none) and for an empty index.
TEST(StringIndexTest, FindManyAgreesWithFind) {
  StringColumn refs;
  StringIndex index;
  std::vector<std::string> asked;
  std::vector<absl::string_view> values;
  std::vector<std::optional<uint32_t>> rows(100);
  for (int i = 0; i < 100; ++i) asked.push_back(absl::StrCat("R", i % 70));
  for (const std::string& a : asked) values.push_back(a);
  index.FindMany(refs, values, absl::MakeSpan(rows));
  for (const auto& row : rows) EXPECT_EQ(row, std::nullopt);

  for (int i = 0; i < 50; ++i) {
    refs.push_back(absl::StrCat("R", i));
    ASSERT_TRUE(index.Insert(refs, i));
  }
  for (size_t n : {size_t{0}, size_t{1}, size_t{31}, size_t{32}, size_t{33},
                   size_t{100}}) {
    std::vector<std::optional<uint32_t>> got(n, 12345u);
    index.FindMany(refs, absl::MakeConstSpan(values.data(), n),
                   absl::MakeSpan(got));
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(got[i], index.Find(refs, values[i])) << values[i];
    }
  }
}

TEST(StringIndexTest, ReserveKeepsWhatIsIndexed) {
  StringColumn refs;
  StringIndex index;
  for (int i = 0; i < 100; ++i) {
    refs.push_back(absl::StrCat("R", i));
    ASSERT_TRUE(index.Insert(refs, i));
  }
  index.Reserve(refs, 100000);
  const size_t reserved = index.MemoryBytes();
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(index.Find(refs, absl::StrCat("R", i)), i);
  }
  for (int i = 100; i < 50000; ++i) {
    refs.push_back(absl::StrCat("R", i));
    ASSERT_TRUE(index.Insert(refs, i));
  }
  EXPECT_EQ(index.MemoryBytes(), reserved);  // no growth past the reserve
  EXPECT_EQ(index.Find(refs, "R49999"), 49999u);
}

}  // namespace
}  // namespace tellus
