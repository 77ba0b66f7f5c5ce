// The rows of a StringColumn by value: the index of a case table's
// references, which links each interaction to its case.
//
//   tellus::StringColumn refs;
//   tellus::StringIndex index;
//   refs.push_back("CMP-1");
//   index.Insert(refs, 0);                   // true; false for a value
//                                            // already indexed
//   index.Find(refs, "CMP-1");               // 0
//
// An absl::flat_hash_map<std::string, uint32_t> keeps a 40-byte slot and a
// heap string per reference; at 450,000 cases (15 million interactions)
// that is tens of megabytes read at random, and looking up each linked
// interaction's case took a fifth of the CSV import. Here a slot is 8 bytes
// (the row and 32 bits of the value's hash), the table at most half full,
// and the value is compared in the column itself only when those 32 bits
// agree. The index holds rows, not values: every call names the column,
// which must be the one the rows were inserted from.
#ifndef TELLUS_STRING_INDEX_H_
#define TELLUS_STRING_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "tellus/string_column.h"

namespace tellus {

class StringIndex {
 public:
  // Adds `row` (the value column[row]); false, with nothing added, when a
  // row of an equal value is already indexed.
  bool Insert(const StringColumn& column, uint32_t row);
  // The row of `value`, if one is indexed.
  std::optional<uint32_t> Find(const StringColumn& column,
                               absl::string_view value) const;
  // Find for each of `values` at once, into `rows[i]`: the lookups of a
  // batch overlap their reads of memory (the table and the column are read
  // at random; one lookup at a time waits for each read in turn).
  void FindMany(const StringColumn& column,
                absl::Span<const absl::string_view> values,
                absl::Span<std::optional<uint32_t>> rows) const;
  // Room for `rows` rows in all without growing.
  void Reserve(const StringColumn& column, size_t rows);

  size_t size() const { return size_; }
  size_t MemoryBytes() const { return slots_.capacity() * sizeof(uint64_t); }

 private:
  // A slot: 0 when empty, else (row + 1) << 32 | the hash's high 32 bits.
  static uint64_t Slot(uint32_t row, uint64_t hash) {
    return (uint64_t{row} + 1) << 32 | hash >> 32;
  }
  static uint32_t RowOf(uint64_t slot) {
    return static_cast<uint32_t>((slot >> 32) - 1);
  }
  static uint64_t Hash(absl::string_view value);
  std::optional<uint32_t> FindHashed(const StringColumn& column,
                                     absl::string_view value,
                                     uint64_t hash) const;
  // Puts a row known not to be in the table into the first free slot of
  // its probe sequence.
  void Place(uint64_t slot, uint64_t hash);
  // Grows the table to `capacity` slots (a power of two), placing every
  // row again.
  void Rehash(const StringColumn& column, size_t capacity);

  std::vector<uint64_t> slots_;
  size_t size_ = 0;
};

}  // namespace tellus

#endif  // TELLUS_STRING_INDEX_H_
