// Interactions' case references, looked up a batch at a time. Internal to
// the importer.
//
//   LinkBatch links;
//   builder.AddInteraction(day, directorate, service, kind, "", {});
//   if (links.Add(row, kind, case_ref)) {  // full
//     links.Resolve(builder, [&](uint32_t row, v1::InteractionKind kind,
//                                absl::string_view ref,
//                                std::optional<uint32_t> case_row) {
//       builder.LinkInteraction(row, kind, ref, case_row);
//     });
//   }
//   ...  // and Resolve once more after the last row
//
// The index of references and the references themselves are read at
// random, a wait on memory for each in turn when one row is looked up at a
// time; a batch overlaps them (StringIndex::FindMany). RESULTS.md has what
// it saved at 15 million interactions.
#ifndef TELLUS_SRC_LINK_BATCH_H_
#define TELLUS_SRC_LINK_BATCH_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"
#include "tellus/dataset.h"
#include "tellus/string_column.h"
#include "tellus/v1/interaction.pb.h"

namespace tellus {

class LinkBatch {
 public:
  static constexpr size_t kSize = 64;

  // Queues the link of interaction `row` to the case `case_ref` names (the
  // reference is copied); true when the batch is full and must be resolved
  // before the next Add.
  bool Add(uint32_t row, v1::InteractionKind kind, absl::string_view case_ref) {
    rows_[size_] = row;
    kinds_[size_] = kind;
    refs_.push_back(case_ref);
    return ++size_ == kSize;
  }
  bool empty() const { return size_ == 0; }

  // Looks up the queued references among `builder`'s cases and calls
  // on_link(row, kind, case_ref, case_row) for each, in the order they
  // were added; then empties the batch.
  template <typename OnLink>
  void Resolve(const DatasetBuilder& builder, OnLink on_link) {
    std::array<absl::string_view, kSize> refs;
    std::array<std::optional<uint32_t>, kSize> case_rows;
    for (size_t i = 0; i < size_; ++i) refs[i] = refs_[i];
    builder.FindCases(absl::MakeConstSpan(refs.data(), size_),
                      absl::MakeSpan(case_rows.data(), size_));
    for (size_t i = 0; i < size_; ++i) {
      on_link(rows_[i], kinds_[i], refs[i], case_rows[i]);
    }
    size_ = 0;
    refs_.clear();
  }

 private:
  size_t size_ = 0;
  std::array<uint32_t, kSize> rows_;
  std::array<v1::InteractionKind, kSize> kinds_;
  StringColumn refs_;
};

}  // namespace tellus

#endif  // TELLUS_SRC_LINK_BATCH_H_
