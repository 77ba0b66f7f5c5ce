// A column of strings held end to end in one buffer: a case table's
// references.
//
//   tellus::StringColumn refs;
//   refs.push_back("CMP-2023-0412");
//   absl::string_view ref = refs[0];
//
// A std::vector<std::string> of references such as "CMP-2023-0000412" (16
// bytes, one more than the short-string buffer) puts each on the heap of
// its own, 32 bytes of string and 32 of allocation apart from its
// neighbours; here a reference costs its bytes and an 8-byte end offset,
// and references of neighbouring rows are neighbours in memory (a lookup
// by reference, StringIndex, reads the rows it compares with).
#ifndef TELLUS_STRING_COLUMN_H_
#define TELLUS_STRING_COLUMN_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace tellus {

class StringColumn {
 public:
  size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  absl::string_view operator[](size_t row) const {
    const uint64_t begin = row == 0 ? 0 : ends_[row - 1];
    return absl::string_view(chars_.data() + begin, ends_[row] - begin);
  }

  // Asks the processor for row's end offsets, then (once they are at hand)
  // for its bytes: a lookup of many rows at random issues the one for all
  // of them before the other.
  void PrefetchOffsets(size_t row) const {
    __builtin_prefetch(ends_.data() + row);
    if (row > 0) __builtin_prefetch(ends_.data() + row - 1);
  }
  void PrefetchBytes(size_t row) const {
    __builtin_prefetch(chars_.data() + (row == 0 ? 0 : ends_[row - 1]));
  }

  void push_back(absl::string_view value) {
    chars_.append(value.data(), value.size());
    ends_.push_back(chars_.size());
  }
  // Empties the column, keeping its memory for the next values.
  void clear() {
    ends_.clear();
    chars_.clear();
  }
  void pop_back() {
    ends_.pop_back();
    chars_.resize(ends_.empty() ? 0 : ends_.back());
  }
  // Room for `rows` values of `chars` bytes in all.
  void reserve(size_t rows, size_t chars) {
    ends_.reserve(rows);
    chars_.reserve(chars);
  }
  void shrink_to_fit() {
    ends_.shrink_to_fit();
    chars_.shrink_to_fit();
  }
  // Bytes held, reserved room included.
  size_t MemoryBytes() const {
    return chars_.capacity() + ends_.capacity() * sizeof(uint64_t);
  }

  friend bool operator==(const StringColumn& a, const StringColumn& b) {
    return a.ends_ == b.ends_ && a.chars_ == b.chars_;
  }

 private:
  std::string chars_;
  std::vector<uint64_t> ends_;  // where each value ends in chars_
};

}  // namespace tellus

#endif  // TELLUS_STRING_COLUMN_H_
