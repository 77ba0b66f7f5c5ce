#include "tellus/string_index.h"

#include <algorithm>
#include <utility>

#include "absl/hash/hash.h"

namespace tellus {
namespace {

constexpr size_t kMinCapacity = 16;

// The smallest power of two at least twice `rows` (the table stays at most
// half full, so that a probe sequence is short).
size_t CapacityFor(size_t rows) {
  size_t capacity = kMinCapacity;
  while (capacity < 2 * rows) capacity *= 2;
  return capacity;
}

}  // namespace

uint64_t StringIndex::Hash(absl::string_view value) {
  return absl::HashOf(value);
}

void StringIndex::Place(uint64_t slot, uint64_t hash) {
  const size_t mask = slots_.size() - 1;
  size_t i = hash & mask;
  while (slots_[i] != 0) i = (i + 1) & mask;
  slots_[i] = slot;
}

void StringIndex::Rehash(const StringColumn& column, size_t capacity) {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(capacity, 0);
  for (uint64_t slot : old) {
    if (slot != 0) Place(slot, Hash(column[RowOf(slot)]));
  }
}

void StringIndex::Reserve(const StringColumn& column, size_t rows) {
  const size_t capacity = CapacityFor(rows);
  if (capacity > slots_.size()) Rehash(column, capacity);
}

bool StringIndex::Insert(const StringColumn& column, uint32_t row) {
  const absl::string_view value = column[row];
  if (2 * (size_ + 1) > slots_.size()) {
    Rehash(column, CapacityFor(size_ + 1));
  }
  const uint64_t hash = Hash(value);
  if (FindHashed(column, value, hash)) return false;
  Place(Slot(row, hash), hash);
  ++size_;
  return true;
}

std::optional<uint32_t> StringIndex::Find(const StringColumn& column,
                                          absl::string_view value) const {
  if (size_ == 0) return std::nullopt;
  return FindHashed(column, value, Hash(value));
}

void StringIndex::FindMany(const StringColumn& column,
                           absl::Span<const absl::string_view> values,
                           absl::Span<std::optional<uint32_t>> rows) const {
  constexpr size_t kBatch = 32;
  uint64_t hashes[kBatch];
  const size_t mask = slots_.size() - 1;
  for (size_t from = 0; from < values.size(); from += kBatch) {
    const size_t n = std::min(kBatch, values.size() - from);
    const absl::string_view* v = values.data() + from;
    if (size_ == 0) {
      for (size_t i = 0; i < n; ++i) rows[from + i] = std::nullopt;
      continue;
    }
    // Each pass asks for what the next one reads: the home slots, the end
    // offsets of the rows they hold, those rows' bytes.
    for (size_t i = 0; i < n; ++i) {
      hashes[i] = Hash(v[i]);
      __builtin_prefetch(slots_.data() + (hashes[i] & mask));
    }
    for (size_t i = 0; i < n; ++i) {
      const uint64_t slot = slots_[hashes[i] & mask];
      if (slot != 0) column.PrefetchOffsets(RowOf(slot));
    }
    for (size_t i = 0; i < n; ++i) {
      const uint64_t slot = slots_[hashes[i] & mask];
      if (slot != 0 && (slot & 0xffffffff) == hashes[i] >> 32) {
        column.PrefetchBytes(RowOf(slot));
      }
    }
    for (size_t i = 0; i < n; ++i) {
      rows[from + i] = FindHashed(column, v[i], hashes[i]);
    }
  }
}

std::optional<uint32_t> StringIndex::FindHashed(const StringColumn& column,
                                                absl::string_view value,
                                                uint64_t hash) const {
  const uint64_t tag = hash >> 32;
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask; slots_[i] != 0; i = (i + 1) & mask) {
    if ((slots_[i] & 0xffffffff) == tag && column[RowOf(slots_[i])] == value) {
      return RowOf(slots_[i]);
    }
  }
  return std::nullopt;
}

}  // namespace tellus
