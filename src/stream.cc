#include "tellus/stream.h"

#include <algorithm>
#include <utility>

namespace tellus {

AggregatingSink::AggregatingSink(const AggregationSettings& settings,
                                 size_t chunk_rows)
    : partial_(settings), chunk_rows_(std::max<size_t>(chunk_rows, 1)) {}

absl::Status AggregatingSink::OnCase(const v1::Case& c,
                                     const CaseState& state) {
  if (interactions_ > 0) {
    return absl::FailedPreconditionError(
        "case after interactions: add every case before the first "
        "interaction, so that interactions are linked to them");
  }
  return builder_.AddCase(c, state);
}

absl::Status AggregatingSink::OnInteraction(const v1::Interaction& i,
                                            const EventTime& at) {
  AddInteraction(at.date, i.directorate(), i.service(), i.kind(), i.case_ref());
  return absl::OkStatus();
}

absl::Status AggregatingSink::OnInteractionRow(const InteractionRow& row,
                                               v1::Interaction&) {
  AddInteraction(row.at.date, row.directorate, row.service, row.kind,
                 row.case_ref);
  return absl::OkStatus();
}

void AggregatingSink::AddInteraction(absl::CivilDay day,
                                     absl::string_view directorate,
                                     absl::string_view service,
                                     v1::InteractionKind kind,
                                     absl::string_view case_ref) {
  builder_.AddInteraction(day, directorate, service, kind, case_ref);
  ++interactions_;
  if (++in_chunk_ == chunk_rows_) FlushChunk();
}

void AggregatingSink::FlushChunk() {
  const Dataset& chunk = builder_.Peek();
  partial_.AddInteractions(chunk, 0, chunk.interactions().size());
  builder_.ClearInteractions();
  in_chunk_ = 0;
}

PartialAggregate AggregatingSink::Finish() && {
  FlushChunk();
  const Dataset& data = builder_.Peek();
  partial_.AddCases(data, 0, data.cases().size());
  return std::move(partial_);
}

}  // namespace tellus
