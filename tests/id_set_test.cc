// The interaction-id set: exact duplicates whatever the ids look like.
#include "../src/id_set.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"

namespace tellus {
namespace {

TEST(IdSetTest, NumberedIdsAreExact) {
  IdSet seen;
  EXPECT_TRUE(seen.Insert("I000000001"));
  EXPECT_FALSE(seen.Insert("I000000001"));
  // Another width, prefix or number is another id.
  EXPECT_TRUE(seen.Insert("I00000001"));
  EXPECT_TRUE(seen.Insert("J000000001"));
  EXPECT_TRUE(seen.Insert("I000000002"));
  EXPECT_TRUE(seen.Insert("1"));
  EXPECT_TRUE(seen.Insert("01"));
  EXPECT_FALSE(seen.Insert("1"));
  EXPECT_TRUE(seen.Insert("A1B2"));
  EXPECT_TRUE(seen.Insert("A1B02"));
  EXPECT_FALSE(seen.Insert("A1B2"));
}

TEST(IdSetTest, OtherIdsAreHashed) {
  IdSet seen;
  for (const char* id : {"abc", "INT-", "x-1-y", "12345678901234567890123"}) {
    EXPECT_TRUE(seen.Insert(id)) << id;
    EXPECT_FALSE(seen.Insert(id)) << id;
  }
}

TEST(IdSetTest, ManySequentialIdsTakeABitEach) {
  IdSet seen;
  for (int i = 1; i <= 1'000'000; ++i) {
    ASSERT_TRUE(seen.Insert(absl::StrFormat("I%09d", i))) << i;
  }
  for (int i = 1; i <= 1'000'000; i += 9973) {
    EXPECT_FALSE(seen.Insert(absl::StrFormat("I%09d", i))) << i;
  }
  EXPECT_LT(seen.MemoryBytes(), 200'000u);
}

// Numbers spread too thin for a bitmap go to the hash set, and every id
// keeps its one place: each duplicate is still found, however the ids mix.
TEST(IdSetTest, SparseNumbersStayExact) {
  IdSet seen;
  absl::flat_hash_set<std::string> expected;
  uint64_t x = 12345;
  for (int i = 0; i < 200'000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    // Dense numbers at first, then numbers scattered over 10^15.
    const uint64_t number =
        i < 100'000 ? x % 150'000 : (x >> 8) % 1'000'000'000'000'000ULL;
    const std::string id = absl::StrFormat("C%015d", number);
    EXPECT_EQ(seen.Insert(id), expected.insert(id).second) << id;
  }
  for (const std::string& id : expected) EXPECT_FALSE(seen.Insert(id)) << id;
}

}  // namespace
}  // namespace tellus
