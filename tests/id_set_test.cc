// The interaction-id set: exact duplicates whatever the ids look like.
#include "../src/id_set.h"

#include <string>
#include <vector>

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

// Ids of every kind: numbered in runs, scattered, in many prefixes (more
// than a set keeps groups for) and not numbered.
std::vector<std::string> MixedIds(uint64_t seed, int n) {
  std::vector<std::string> ids;
  uint64_t x = seed;
  for (int i = 0; i < n; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    switch ((x >> 60) % 5) {
      case 0:
        ids.push_back(absl::StrFormat("I%09d", i));  // a run
        break;
      case 1:
        ids.push_back(absl::StrFormat("C%015d", (x >> 8) % 1'000'000'000'000));
        break;
      case 2:
        ids.push_back(absl::StrFormat("P%d-%03d", (x >> 20) % 60, x % 1000));
        break;
      case 3:
        ids.push_back(absl::StrCat("u", x % 5000, "x"));
        break;
      default:
        ids.push_back(absl::StrCat((x >> 30) % 70'000));
    }
  }
  return ids;
}

// A part's ids, logged and joined in bulk, make the set Insert makes one
// by one; ContainsAny finds exactly the ids already there.
TEST(IdLogTest, BulkJoinIsInsertOneByOne) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    const std::vector<std::string> first = MixedIds(seed, 60'000);
    const std::vector<std::string> second = MixedIds(seed + 100, 60'000);
    IdSet all, part;
    absl::flat_hash_set<std::string> expected;
    for (const std::string& id : first) {
      all.Insert(id);
      expected.insert(id);
    }
    IdLog log;
    bool overlap = false;
    for (const std::string& id : second) {
      if (part.Insert(id)) {
        log.Add(id);
        overlap = overlap || expected.contains(id);
      }
    }
    EXPECT_EQ(all.ContainsAny(log), overlap);
    all.InsertAll(log);
    for (const std::string& id : second) expected.insert(id);
    for (const std::string& id : expected) EXPECT_FALSE(all.Insert(id)) << id;
    for (const std::string& id : MixedIds(seed + 200, 20'000)) {
      EXPECT_EQ(all.Insert(id), expected.insert(id).second) << id;
    }
  }
}

TEST(IdLogTest, ContainsAnyFindsOneShared) {
  IdSet all;
  for (int i = 0; i < 200'000; ++i) all.Insert(absl::StrFormat("I%09d", i));
  IdLog disjoint, shared, other;
  for (int i = 200'000; i < 300'000; ++i) {
    disjoint.Add(absl::StrFormat("I%09d", i));
    shared.Add(absl::StrFormat("I%09d", i));
  }
  shared.Add(absl::StrFormat("I%09d", 131'071));
  other.Add("abc");
  EXPECT_FALSE(all.ContainsAny(disjoint));
  EXPECT_TRUE(all.ContainsAny(shared));
  EXPECT_FALSE(all.ContainsAny(other));
  all.Insert("abc");
  EXPECT_TRUE(all.ContainsAny(other));
  EXPECT_TRUE(IdLog().empty());
}

}  // namespace
}  // namespace tellus
