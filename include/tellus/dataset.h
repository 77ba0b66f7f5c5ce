// A data set in columnar form: what the aggregation kernels read.
//
//   tellus::DatasetBuilder builder;
//   TELLUS_RETURN_IF_ERROR(builder.AddCase(proto_case));  // validated
//   TELLUS_RETURN_IF_ERROR(builder.AddInteraction(proto_interaction));
//   tellus::Dataset data = std::move(builder).Build();
//   data.cases().size();  data.interactions().size();
//
// Directorate and service are dictionary codes of one (directorate, service)
// "cell"; dates are day numbers (days since 1970-01-01, London civil dates);
// enums are one byte. For the as-of rule each case event also keeps the
// instant from which it is seen (dates.h: EventTime::SeenFrom). Interactions
// keep only what the report reads: their day and cell (8 bytes a row), and
// for the minority linked to a case, the case and the kind (9 bytes per
// linked row, held apart so that the dense columns stay narrow).
#ifndef TELLUS_DATASET_H_
#define TELLUS_DATASET_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "tellus/case.h"
#include "tellus/learning_table.h"
#include "tellus/string_column.h"
#include "tellus/string_index.h"
#include "tellus/v1/case.pb.h"
#include "tellus/v1/interaction.pb.h"

namespace tellus {

inline constexpr int32_t kNoDay = std::numeric_limits<int32_t>::min();
inline constexpr int64_t kNeverSeen = std::numeric_limits<int64_t>::max();
inline constexpr int32_t kUnlinked = -1;

// The (directorate, service) pairs a data set names. Cell 0 is "no
// directorate" (an interaction without one counts in the totals only).
class CellDictionary {
 public:
  static constexpr uint32_t kNoDirectorate = 0;

  CellDictionary();
  // An empty directorate gives kNoDirectorate whatever the service.
  uint32_t Intern(absl::string_view directorate, absl::string_view service);
  // The same, building the lookup key in `scratch` (no allocation once it
  // has grown: the per-row path of imports).
  uint32_t Intern(absl::string_view directorate, absl::string_view service,
                  std::string& scratch);
  const std::string& directorate(uint32_t cell) const {
    return cells_[cell].first;
  }
  const std::string& service(uint32_t cell) const {
    return cells_[cell].second;
  }
  size_t size() const { return cells_.size(); }

 private:
  // Recent lookups by a cheap hash of the pair, checked against the cell's
  // names before use: an import names a few hundred cells at most, and
  // this spares most rows building the key and hashing it for index_ (a
  // tenth of the interactions' import before it).
  struct Recent {
    uint64_t hash = 0;
    uint32_t cell = kNoDirectorate;  // kNoDirectorate: the entry is empty
  };
  static constexpr size_t kRecent = 1024;
  static uint64_t QuickHash(absl::string_view directorate,
                            absl::string_view service);
  // Intern without the memo.
  uint32_t InternSlowly(absl::string_view directorate,
                        absl::string_view service, std::string& scratch);

  std::vector<std::pair<std::string, std::string>> cells_;
  absl::flat_hash_map<std::string, uint32_t> index_;  // "dir\0service"
  std::vector<Recent> recent_ = std::vector<Recent>(kRecent);
};

// One dated event of every case: its London day, and the unix second from
// which an as-of time sees it. kNoDay / kNeverSeen when the case has none.
struct EventColumn {
  std::vector<int32_t> day;
  std::vector<int64_t> seen_from;

  void Append(const std::optional<EventTime>& t);
  bool Has(size_t row) const { return day[row] != kNoDay; }
  bool SeenBy(size_t row, int64_t as_of_seconds) const {
    return seen_from[row] <= as_of_seconds;
  }
  // The day of the event if it is seen at the as-of time T (unix second
  // `as_of_seconds`, on London day `as_of_day`), else kNoDay. The same as
  // SeenBy, reading seen_from only for an event on T's own day: `day` is the
  // London date of the instant seen_from holds, so an event of an earlier
  // day is always seen and one of a later day never is. The report's kernels
  // use this: it spares them half of the bytes of every event column.
  int32_t SeenDay(size_t row, int32_t as_of_day, int64_t as_of_seconds) const {
    const int32_t d = day[row];
    if (d < as_of_day) return d;  // kNoDay too
    if (d > as_of_day) return kNoDay;
    return seen_from[row] <= as_of_seconds ? d : kNoDay;
  }
};

struct CaseTable {
  StringColumn ref;
  std::vector<uint32_t> cell;
  std::vector<uint8_t> type;  // v1::CaseType
  EventColumn received;
  EventColumn s1_acknowledged, s1_extended_to, s1_responded;
  EventColumn s2_requested, s2_acknowledged, s2_extended_to, s2_responded;
  EventColumn withdrawn;
  EventColumn ombudsman_referred, ombudsman_decided;
  EventColumn first_lesson;  // the earliest seen Lessons Learnt record
  std::vector<uint8_t> s1_outcome, s2_outcome;  // v1::Outcome
  std::vector<uint8_t> ombudsman_body;          // v1::OmbudsmanBody
  std::vector<uint8_t> ombudsman_decision;      // v1::OmbudsmanDecision
  std::vector<int64_t> remedy_pence;            // 0 when none

  size_t size() const { return ref.size(); }
};

struct InteractionTable {
  std::vector<int32_t> day;    // London date of the contact
  std::vector<uint32_t> cell;  // the interaction's own directorate
  // The rows linked to a case (their case_ref names a case of the data
  // set), in ascending row order: the row, its case (row in CaseTable) and
  // its kind (v1::InteractionKind). The report reads the kind of linked
  // rows only (METRICS.md's follow-up figures), so no other row keeps one.
  std::vector<uint32_t> linked_row;
  std::vector<int32_t> linked_case;
  std::vector<uint8_t> linked_kind;

  size_t size() const { return day.size(); }
  // The case row `row` is linked to, or kUnlinked.
  int32_t CaseOf(size_t row) const;
};

class Dataset {
 public:
  const CaseTable& cases() const { return cases_; }
  const InteractionTable& interactions() const { return interactions_; }
  const CellDictionary& cells() const { return cells_; }
  // Lessons, actions, recommendations, remedies, compliments' routes and
  // values, and the contact restrictions.
  const LearningTable& learning() const { return learning_; }
  // Row of the case with this reference.
  std::optional<uint32_t> FindCase(absl::string_view ref) const;
  // FindCase of each of `refs`, into `rows[i]`, the lookups overlapping
  // (StringIndex::FindMany): for an importer's batch of linked rows.
  void FindCases(absl::Span<const absl::string_view> refs,
                 absl::Span<std::optional<uint32_t>> rows) const;
  // Interactions naming a case reference the data set does not hold.
  int64_t unlinked_interactions() const { return unlinked_; }
  // Bytes held by the columns (not the reference strings or the index of
  // references).
  size_t ColumnBytes() const;

 private:
  friend class DatasetBuilder;
  CellDictionary cells_;
  CaseTable cases_;
  InteractionTable interactions_;
  LearningTable learning_;
  StringIndex case_rows_;  // rows of cases_.ref
  int64_t unlinked_ = 0;
};

// Interactions added apart from a builder (one chunk of a parallel import),
// each as DatasetBuilder::AddInteraction would add it but with cells of the
// block's own dictionary; DatasetBuilder::AppendInteractions then adds them
// after the rows it holds, as if they had been added one by one.
class DatasetBuilder;

class InteractionBlock {
 public:
  // `case_row`: the builder's row of the case `case_ref` names, if it holds
  // one (DatasetBuilder::FindCase).
  void Add(absl::CivilDay day, absl::string_view directorate,
           absl::string_view service, v1::InteractionKind kind,
           absl::string_view case_ref, std::optional<uint32_t> case_row);
  // The link of row `row`, added before with an empty case_ref, to the
  // case `case_ref` names (`case_row`: the builder's row of it, if any).
  // Rows are linked in ascending order, after any row linked by Add.
  void Link(uint32_t row, v1::InteractionKind kind, absl::string_view case_ref,
            std::optional<uint32_t> case_row);
  // Links the rows added with a case_ref but no case row (read before the
  // builder held its cases) to `builder`'s cases, calling
  // each(case_ref, case_row) for every such row in row order; those that
  // name no case stay pending, as Add leaves them.
  void ResolvePending(const DatasetBuilder& builder,
                      absl::FunctionRef<void(absl::string_view case_ref,
                                             std::optional<uint32_t> case_row)>
                          each);
  void Reserve(size_t rows);
  size_t size() const { return day_.size(); }

 private:
  friend class DatasetBuilder;
  CellDictionary cells_;
  std::vector<int32_t> day_;
  std::vector<uint32_t> cell_;  // codes in cells_
  std::vector<uint32_t> linked_row_;
  std::vector<int32_t> linked_case_;
  std::vector<uint8_t> linked_kind_;
  struct Pending {
    uint32_t row;
    uint8_t kind;
    std::string case_ref;
  };
  std::vector<Pending> pending_;
  std::string cell_key_;
};

// Collects cases and interactions in any order; Build links each
// interaction's case_ref to its case.
class DatasetBuilder {
 public:
  // Validates the history (FoldCase) and adds it. Fails on an invalid case
  // or a reference already added.
  absl::Status AddCase(const v1::Case& c);
  // Adds a case whose history `state` is the fold of (the importer has
  // already folded it). Fails on a reference already added.
  absl::Status AddCase(const v1::Case& c, const CaseState& state);
  // Fails on an interaction without a valid time or kind.
  absl::Status AddInteraction(const v1::Interaction& interaction);
  // The same, for an importer that has parsed the row already.
  void AddInteraction(absl::CivilDay day, absl::string_view directorate,
                      absl::string_view service, v1::InteractionKind kind,
                      absl::string_view case_ref);
  // The same with the case `case_ref` names already looked up (FindCase).
  void AddInteraction(absl::CivilDay day, absl::string_view directorate,
                      absl::string_view service, v1::InteractionKind kind,
                      absl::string_view case_ref,
                      std::optional<uint32_t> case_row);

  // The link of interaction `row`, added before with an empty case_ref,
  // to the case `case_ref` names, `case_row` being FindCase(case_ref)
  // (looked up apart, in a batch: FindCases). Rows are linked in ascending
  // order, after any row linked by AddInteraction.
  void LinkInteraction(uint32_t row, v1::InteractionKind kind,
                       absl::string_view case_ref,
                       std::optional<uint32_t> case_row);

  // Validates a contact restriction (restriction.h) and adds it; fails on
  // an id already added.
  absl::Status AddRestriction(const v1::Restriction& restriction);

  // Adds the rows of `block` after those added so far, in order (its cells
  // joining the dictionary in the order the rows first name them); leaves
  // `block` empty.
  void AppendInteractions(InteractionBlock& block);
  // The row of the case with this reference among those added. Safe to
  // call from several threads while nothing is being added.
  std::optional<uint32_t> FindCase(absl::string_view ref) const {
    return data_.FindCase(ref);
  }
  void FindCases(absl::Span<const absl::string_view> refs,
                 absl::Span<std::optional<uint32_t>> rows) const {
    data_.FindCases(refs, rows);
  }
  size_t cases() const { return data_.cases_.size(); }
  size_t interactions() const { return data_.interactions_.size(); }

  void Reserve(size_t cases, size_t interactions);
  Dataset Build() &&;

  // For data too large to hold (stream.h): the data set as built so far,
  // its links resolved against the cases added so far (an interaction
  // naming none of them is unlinked for good), then ClearInteractions()
  // forgets its interactions while the cases and cells stay. Add every case
  // before the first interaction.
  const Dataset& Peek();
  void ClearInteractions();

 private:
  Dataset data_;
  // Interactions whose case_ref was not yet known when they were added.
  struct PendingLink {
    uint32_t row;
    uint8_t kind;
    std::string case_ref;
  };
  std::vector<PendingLink> pending_links_;
  void ResolvePendingLinks();
  std::string cell_key_;  // reused by AddInteraction
};

}  // namespace tellus

#endif  // TELLUS_DATASET_H_
