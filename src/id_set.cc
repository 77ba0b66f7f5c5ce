#include "id_set.h"

#include <algorithm>
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

// Splits a numbered id into its prefix and its trailing number of `digits`
// digits; false for any other id.
inline bool SplitNumbered(absl::string_view id, absl::string_view& prefix,
                          int& digits, uint64_t& number) {
  digits = 0;
  while (digits < static_cast<int>(id.size()) &&
         id[id.size() - 1 - digits] >= '0' &&
         id[id.size() - 1 - digits] <= '9') {
    ++digits;
  }
  if (ABSL_PREDICT_FALSE(digits == 0 || digits > kMaxDigits)) return false;
  prefix = id.substr(0, id.size() - digits);
  number = 0;
  for (char c : id.substr(id.size() - digits)) {
    number = number * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

std::pair<uint64_t, uint64_t> HashPair(absl::string_view id) {
  return {absl::HashOf(id), Fnv1a(id)};
}

// The id of `number` in a group: the prefix and the number written with
// `digits` digits.
std::string FormatId(absl::string_view prefix, int digits, uint64_t number) {
  std::string id(prefix.size() + static_cast<size_t>(digits), '0');
  std::memcpy(id.data(), prefix.data(), prefix.size());
  for (size_t i = id.size(); i > prefix.size(); --i) {
    id[i - 1] = static_cast<char>('0' + number % 10);
    number /= 10;
  }
  return id;
}

constexpr uint64_t kPageNumbers = uint64_t{1} << 16;

// The mask of bits [from, to) of a word, 0 <= from < to <= 64.
inline uint64_t Mask(uint64_t from, uint64_t to) {
  const uint64_t high = to == 64 ? ~uint64_t{0} : (uint64_t{1} << to) - 1;
  return high & ~((uint64_t{1} << from) - 1);
}

// Whether any bit in [lo, hi) of a page is set.
bool AnyBit(const uint64_t* bits, uint64_t lo, uint64_t hi) {
  while (lo < hi) {
    const uint64_t from = lo % 64;
    const uint64_t to = std::min<uint64_t>(64, from + (hi - lo));
    if (bits[lo / 64] & Mask(from, to)) return true;
    lo += to - from;
  }
  return false;
}

// Sets bits [lo, hi) of a page; returns how many were not set before.
int64_t SetBits(uint64_t* bits, uint64_t lo, uint64_t hi) {
  int64_t added = 0;
  while (lo < hi) {
    const uint64_t from = lo % 64;
    const uint64_t to = std::min<uint64_t>(64, from + (hi - lo));
    const uint64_t mask = Mask(from, to);
    added += __builtin_popcountll(mask & ~bits[lo / 64]);
    bits[lo / 64] |= mask;
    lo += to - from;
  }
  return added;
}

}  // namespace

bool IdSet::Insert(absl::string_view id) {
  // The trailing run of digits: the number; the rest: the prefix.
  absl::string_view prefix;
  int digits;
  uint64_t number;
  if (!SplitNumbered(id, prefix, digits, number)) return InsertHashed(id);
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
  return hashed_.insert(HashPair(id)).second;
}

bool IdSet::ContainsHashed(absl::string_view id) const {
  return hashed_.contains(HashPair(id));
}

const IdSet::Group* IdSet::FindGroupIfAny(absl::string_view prefix,
                                          int digits) const {
  for (const std::unique_ptr<Group>& g : groups_) {
    if (g->digits == digits && g->prefix == prefix) return g.get();
  }
  return nullptr;
}

bool IdSet::ContainsAny(const IdLog& log) const {
  for (const auto& pair : log.hashed_) {
    if (hashed_.contains(pair)) return true;
  }
  for (const IdLog::Run& run : log.runs_) {
    const IdLog::Group& lg = log.groups_[run.group];
    const Group* group = FindGroupIfAny(lg.prefix, lg.digits);
    // An id is in its group's page when the page exists, else hashed (see
    // Insert: a page refused once is never made).
    uint64_t n = run.first;
    const uint64_t end = run.first + run.count;
    while (n < end) {
      const uint64_t page = n / kPageNumbers;
      const uint64_t page_end = std::min(end, (page + 1) * kPageNumbers);
      const uint64_t* bits = nullptr;
      if (group != nullptr) {
        auto it = group->pages.find(page);
        if (it != group->pages.end()) bits = it->second.get();
      }
      if (bits != nullptr) {
        if (AnyBit(bits, n % kPageNumbers, n % kPageNumbers + (page_end - n))) {
          return true;
        }
      } else if (!hashed_.empty()) {
        for (uint64_t m = n; m < page_end; ++m) {
          if (ContainsHashed(FormatId(lg.prefix, lg.digits, m))) return true;
        }
      }
      n = page_end;
    }
  }
  return false;
}

void IdSet::InsertAll(const IdLog& log) {
  for (const auto& pair : log.hashed_) hashed_.insert(pair);
  for (const IdLog::Run& run : log.runs_) {
    const IdLog::Group& lg = log.groups_[run.group];
    Group* group = FindGroup(lg.prefix, lg.digits);
    uint64_t n = run.first;
    const uint64_t end = run.first + run.count;
    while (n < end) {
      const uint64_t page = n / kPageNumbers;
      const uint64_t page_end = std::min(end, (page + 1) * kPageNumbers);
      uint64_t* bits = nullptr;
      if (group != nullptr) {
        bits =
            page == group->last_page ? group->last_bits : PageOf(*group, page);
      }
      if (bits != nullptr) {
        group->ids +=
            SetBits(bits, n % kPageNumbers, n % kPageNumbers + (page_end - n));
      } else {
        for (uint64_t m = n; m < page_end; ++m) {
          InsertHashed(FormatId(lg.prefix, lg.digits, m));
        }
      }
      n = page_end;
    }
  }
}

uint32_t IdLog::GroupOf(absl::string_view prefix, int digits) {
  if (last_group_ < groups_.size() && groups_[last_group_].digits == digits &&
      groups_[last_group_].prefix == prefix) {
    return last_group_;
  }
  std::string key(prefix);
  key.push_back(static_cast<char>(digits));
  auto [it, added] =
      group_index_.try_emplace(key, static_cast<uint32_t>(groups_.size()));
  if (added) groups_.push_back(Group{std::string(prefix), digits});
  return last_group_ = it->second;
}

void IdLog::Add(absl::string_view id) {
  absl::string_view prefix;
  int digits;
  uint64_t number;
  if (!SplitNumbered(id, prefix, digits, number)) {
    hashed_.push_back(HashPair(id));
    return;
  }
  const uint32_t group = GroupOf(prefix, digits);
  if (!runs_.empty()) {
    Run& last = runs_.back();
    if (last.group == group && last.first + last.count == number &&
        last.count < ~uint32_t{0}) {
      ++last.count;
      return;
    }
  }
  runs_.push_back(Run{group, 1, number});
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
