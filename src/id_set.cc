#include "id_set.h"

#include <cstring>

#include "absl/base/optimization.h"
#include "absl/hash/hash.h"

namespace tellus {
namespace {

// FNV-1a, independent of absl::Hash: the second half of a 128-bit id key.
uint64_t Fnv1a(absl::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// Up to 18 digits fit a uint64_t whatever they are.
constexpr int kMaxDigits = 18;

}  // namespace

bool IdSet::Insert(absl::string_view id) {
  // The trailing run of digits: the number; the rest: the prefix.
  int digits = 0;
  while (digits < static_cast<int>(id.size()) &&
         id[id.size() - 1 - digits] >= '0' &&
         id[id.size() - 1 - digits] <= '9') {
    ++digits;
  }
  if (ABSL_PREDICT_FALSE(digits == 0 || digits > kMaxDigits)) {
    return InsertHashed(id);
  }
  const absl::string_view prefix = id.substr(0, id.size() - digits);
  uint64_t number = 0;
  for (char c : id.substr(id.size() - digits)) {
    number = number * 10 + static_cast<uint64_t>(c - '0');
  }
  Group* group = FindGroup(prefix, digits);
  if (group == nullptr) return InsertHashed(id);
  const uint64_t page = number >> kPageBits;
  uint64_t* bits =
      page == group->last_page ? group->last_bits : PageOf(*group, page);
  if (bits == nullptr) return InsertHashed(id);
  const uint64_t bit = number & ((uint64_t{1} << kPageBits) - 1);
  uint64_t& word = bits[bit / 64];
  const uint64_t mask = uint64_t{1} << (bit % 64);
  if (word & mask) return false;
  word |= mask;
  ++group->ids;
  return true;
}

IdSet::Group* IdSet::FindGroup(absl::string_view prefix, int digits) {
  if (ABSL_PREDICT_TRUE(last_group_ != nullptr &&
                        last_group_->digits == digits &&
                        last_group_->prefix == prefix)) {
    return last_group_;
  }
  for (const std::unique_ptr<Group>& g : groups_) {
    if (g->digits == digits && g->prefix == prefix) {
      return last_group_ = g.get();
    }
  }
  if (groups_.size() >= kMaxGroups) return nullptr;
  groups_.push_back(std::make_unique<Group>());
  groups_.back()->prefix = std::string(prefix);
  groups_.back()->digits = digits;
  return last_group_ = groups_.back().get();
}

uint64_t* IdSet::PageOf(Group& group, uint64_t page) {
  auto it = group.pages.find(page);
  if (it == group.pages.end()) {
    // A new page pays for itself when ids fill it at least as densely as
    // the hash set would hold them (16 bytes an id): a few pages always,
    // then only while the group's ids keep that density.
    const size_t page_bytes = kPageWords * sizeof(uint64_t);
    const bool dense_enough =
        group.pages.size() < 4 || (group.pages.size() + 1) * page_bytes <=
                                      16 * static_cast<size_t>(group.ids);
    if (group.frozen || !dense_enough) {
      group.frozen = true;
      return nullptr;
    }
    auto bits = std::make_unique<uint64_t[]>(kPageWords);  // zeroed
    it = group.pages.emplace(page, std::move(bits)).first;
  }
  group.last_page = page;
  group.last_bits = it->second.get();
  return group.last_bits;
}

bool IdSet::InsertHashed(absl::string_view id) {
  return hashed_.emplace(absl::HashOf(id), Fnv1a(id)).second;
}

size_t IdSet::MemoryBytes() const {
  size_t bytes =
      hashed_.capacity() * (sizeof(std::pair<uint64_t, uint64_t>) + 1);
  for (const std::unique_ptr<Group>& g : groups_) {
    bytes += g->pages.size() * kPageWords * sizeof(uint64_t);
  }
  return bytes;
}

}  // namespace tellus
