// The set of ids an import has seen, to reject a row whose id an earlier row
// used (FORMATS.md). Internal to the library.
//
//   IdSet seen;
//   seen.Insert("I000000001");  // true: new
//   seen.Insert("I000000001");  // false: a duplicate
//
// Exports number their rows: "I000000001", "INT-0042". Such an id is a
// prefix and a decimal number of fixed width, and a set of them is a bitmap
// over the numbers of each (prefix, width): one bit an id, written in
// order, where a hash set of 1.5 million strings (or of their 128-bit
// hashes) costs 30 bytes an id and a cache miss per row, and dominated the
// import's profile. Any other id, and the numbers of a group whose numbers
// turn out too sparse for a bitmap, go into a set of two independent 64-bit
// hashes (a false duplicate would need a 128-bit collision).
#ifndef TELLUS_SRC_ID_SET_H_
#define TELLUS_SRC_ID_SET_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"

namespace tellus {

class IdLog;

class IdSet {
 public:
  // Adds `id`; false when it was already in the set.
  bool Insert(absl::string_view id);

  // Whether any id of `log` is in the set.
  bool ContainsAny(const IdLog& log) const;
  // Adds every id of `log`, as Insert would one by one (a parallel import's
  // chunk joining the ids of the chunks before it).
  void InsertAll(const IdLog& log);

  // Bytes held (the bitmap pages and the hash set's slots), for tests.
  size_t MemoryBytes() const;

 private:
  static constexpr int kPageBits = 16;  // 8 KiB pages of 65536 numbers
  static constexpr size_t kPageWords = (size_t{1} << kPageBits) / 64;
  // The most groups searched for a prefix before an id is simply hashed.
  static constexpr size_t kMaxGroups = 32;

  // The ids of one prefix and one number of digits.
  struct Group {
    std::string prefix;
    int digits = 0;
    absl::flat_hash_map<uint64_t, std::unique_ptr<uint64_t[]>> pages;
    uint64_t last_page = ~uint64_t{0};
    uint64_t* last_bits = nullptr;
    int64_t ids = 0;  // ids held in the pages
    // Set once a page was refused as too sparse: no page is made after
    // that, so an id's place (a page or the hash set) never changes.
    bool frozen = false;
  };

  Group* FindGroup(absl::string_view prefix, int digits);
  const Group* FindGroupIfAny(absl::string_view prefix, int digits) const;
  bool ContainsHashed(absl::string_view id) const;
  // The bits of `page` in `group`, made if allowed; null when the id is to
  // be hashed instead.
  uint64_t* PageOf(Group& group, uint64_t page);
  bool InsertHashed(absl::string_view id);

  std::vector<std::unique_ptr<Group>> groups_;
  Group* last_group_ = nullptr;
  absl::flat_hash_set<std::pair<uint64_t, uint64_t>> hashed_;
};

// The new ids of one part of a file, in the order they came, kept so that
// an IdSet can be checked against them and take them in bulk: numbered ids
// as runs of consecutive numbers (a chunk of a numbered export is one run),
// any other as the two hashes IdSet keeps for it.
//
//   IdLog log;            // beside the chunk's own IdSet
//   if (chunk_ids.Insert(id)) log.Add(id);
//   ...
//   if (!all.ContainsAny(log)) all.InsertAll(log);
class IdLog {
 public:
  // Records `id` (one not recorded before).
  void Add(absl::string_view id);
  bool empty() const { return runs_.empty() && hashed_.empty(); }

 private:
  friend class IdSet;
  struct Group {
    std::string prefix;
    int digits = 0;
  };
  struct Run {
    uint32_t group;
    uint32_t count;
    uint64_t first;
  };
  uint32_t GroupOf(absl::string_view prefix, int digits);

  std::vector<Group> groups_;
  absl::flat_hash_map<std::string, uint32_t> group_index_;  // prefix, width
  uint32_t last_group_ = ~uint32_t{0};
  std::vector<Run> runs_;
  std::vector<std::pair<uint64_t, uint64_t>> hashed_;
};

}  // namespace tellus

#endif  // TELLUS_SRC_ID_SET_H_
