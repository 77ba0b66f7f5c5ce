// Aggregating an import as it goes: the report over CSV exports too large to
// hold in memory.
//
//   absl::StatusOr<tellus::AggregationSettings> settings =
//       tellus::ResolveSettings(request, absl::Now());
//   tellus::AggregatingSink sink(*settings);
//   tellus::Importer importer(sink, &rejects);
//   TELLUS_RETURN_IF_ERROR(importer.ImportCases("cases.csv"));
//   TELLUS_RETURN_IF_ERROR(importer.ImportInteractions("interactions.csv"));
//   tellus::PartialAggregate partial = std::move(sink).Finish();
//   absl::StatusOr<tellus::v1::AnnualReport> report =
//       tellus::BuildReport(partial, request);  // == BuildReport(dataset, ...)
//
// The cases are held (in columns, as in a Dataset); the interactions are
// added to a chunk of `chunk_rows` rows, and each full chunk is aggregated
// into the partial and dropped. Memory is then the cases', one chunk's and
// the importer's record of interaction ids seen (one bit an id for numbered
// ids), whatever the number of interactions. Partials merge by addition, so
// the report is the one the whole data set in memory gives.
#ifndef TELLUS_STREAM_H_
#define TELLUS_STREAM_H_

#include <cstddef>

#include "absl/status/status.h"
#include "tellus/aggregate.h"
#include "tellus/dataset.h"
#include "tellus/import.h"

namespace tellus {

class AggregatingSink : public ImportSink {
 public:
  static constexpr size_t kDefaultChunkRows = size_t{1} << 22;  // 32 MiB

  explicit AggregatingSink(const AggregationSettings& settings,
                           size_t chunk_rows = kDefaultChunkRows);

  // Cases come first: a case after an interaction is FailedPrecondition
  // (an interaction is linked against the cases added before it).
  absl::Status OnCase(const v1::Case& c, const CaseState& state) override;
  absl::Status OnInteraction(const v1::Interaction& interaction,
                             const EventTime& at) override;
  absl::Status OnInteractionRow(const InteractionRow& row,
                                v1::Interaction& scratch) override;

  // Interactions added so far.
  int64_t interactions() const { return interactions_; }

  // Aggregates the cases and the last chunk; the partial over every row.
  PartialAggregate Finish() &&;

 private:
  void AddInteraction(absl::CivilDay day, absl::string_view directorate,
                      absl::string_view service, v1::InteractionKind kind,
                      absl::string_view case_ref);
  void FlushChunk();

  DatasetBuilder builder_;
  PartialAggregate partial_;
  size_t chunk_rows_;
  size_t in_chunk_ = 0;
  int64_t interactions_ = 0;
};

}  // namespace tellus

#endif  // TELLUS_STREAM_H_
