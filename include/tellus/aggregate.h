// Partial aggregates: the mergeable state from which the report is built.
//
//   absl::StatusOr<tellus::AggregationSettings> settings =
//       tellus::ResolveSettings(request, absl::Now());
//   tellus::PartialAggregate a(*settings), b(*settings);
//   a.AddCases(data, 0, half);  a.AddInteractions(data, 0, n / 2);
//   b.AddCases(data, half, data.cases().size());
//   b.AddInteractions(data, n / 2, n);
//   TELLUS_RETURN_IF_ERROR(a.Merge(b));     // == one partial over all rows
//   tellus::v1::PartialAggregate bytes = a.ToProto();
//
// Like a ClickHouse or DuckDB aggregate state: counters keyed by
// (directorate, service) name and by period, added row by row and merged by
// addition, so any split of the rows gives the identical partial. The
// counters are those of METRICS.md; ratios keep numerator and denominator
// apart. A partial is computed under fixed settings (period, as-of, policy,
// calendar) and merges only with partials computed under the same ones.
#ifndef TELLUS_AGGREGATE_H_
#define TELLUS_AGGREGATE_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "tellus/calendar.h"
#include "tellus/dataset.h"
#include "tellus/learning_partial.h"
#include "tellus/period.h"
#include "tellus/timescales.h"
#include "tellus/v1/aggregate.pb.h"
#include "tellus/v1/report.pb.h"

namespace tellus {

// How many periods a partial covers: P and the four before it (the
// five-year series); index 0 is P, 1 the previous period.
inline constexpr int kPeriodsKept = 5;

namespace aggregate_internal {
struct DayTables;  // Per-day lookup tables of the settings; aggregate.cc.

// What the follow-up rules read of a case, as seen at T, in one place: a
// linked contact costs one random read of its case instead of ten (five
// event columns, each a day and a time seen). An event not seen (or
// absent) is "never": a day after every real one.
struct CaseTimeline {
  int32_t received, s1, escalated, s2, withdrawn;
  int32_t is_complaint;
};
}  // namespace aggregate_internal

// What a partial is computed under.
struct AggregationSettings {
  Period period;
  absl::Time as_of;
  int financial_year_start_month = 4;
  TimescalePolicy policy;
  Calendar calendar = Calendar::ForRegion();
  // The request it came from, with as_of made explicit.
  v1::ReportSettings request;
};

// A report's as-of time T from text: a date (the end of that London day)
// or a date-time in any form FORMATS.md gives, or RFC 3339.
absl::StatusOr<absl::Time> ParseAsOf(absl::string_view text);

// Checks and completes a report request: parses the period, resolves the
// as-of time (empty: `now`; a date: the last second of that London day) and
// rejects one before the end of the period's last day.
absl::StatusOr<AggregationSettings> ResolveSettings(
    const v1::ReportSettings& request, absl::Time now);

// The counters of one cell and period. Counts of METRICS.md, and the
// numerators and denominators of its ratios.
enum Counter : int {
  kInteractions,
  kEnquiries,
  kCompliments,
  kComplaintsReceived,
  kStage2Received,
  kOmbudsmanEnquiries,
  kOmbudsmanEnquiriesLgsco,
  kOmbudsmanEnquiriesHos,
  kStage1Responses,
  kStage2Responses,
  kFollowUpContacts,
  kResolved,           // complaints resolved in P
  kResolvedUpheld,     // ... upheld to some degree
  kCohortEscalated,    // received in P, escalated by T
  kCohortWithLessons,  // received in P, a lesson recorded by T
  kStage1OnTime,
  kStage2OnTime,
  kStage1AckDue,  // stage1_ack_on_time's denominator
  kStage1AckOnTime,
  kFollowUpChasing,
  kFollowUpAfterResponse,
  kFollowUpsOnComplaints,  // follow-up contacts linked to complaints
  kRemedyPence,
  // Ombudsman decisions dated in P, per body and decision.
  kLgscoPremature,
  kLgscoClosedAfterInitialEnquiries,
  kLgscoUpheld,
  kLgscoUpheldSatisfactoryRemedy,
  kLgscoNotUpheld,
  kLgscoWithdrawn,
  kHosNoMaladministration,
  kHosServiceFailure,
  kHosMaladministration,
  kHosSevereMaladministration,
  kHosRedress,
  kHosOutsideJurisdiction,
  kHosWithdrawn,
  kCounterCount,
};

// Stable names of the counters, as serialized ("complaints_received", ...).
absl::string_view CounterName(Counter c);

using Counters = std::array<int64_t, kCounterCount>;

class PartialAggregate {
 public:
  explicit PartialAggregate(const AggregationSettings& settings);

  // Adds the cases in rows [begin, end), and the names of their cells. With
  // `timelines` (one entry per case row), also fills timelines[begin, end)
  // as FillCaseTimelines does, in the same pass.
  void AddCases(const Dataset& data, size_t begin, size_t end,
                absl::Span<aggregate_internal::CaseTimeline> timelines = {});
  // Adds the interactions in rows [begin, end) (linked cases are looked up
  // in `data`), and the names of their cells.
  void AddInteractions(const Dataset& data, size_t begin, size_t end);
  // The same with every case's timeline (FillCaseTimelines over all case
  // rows) made beforehand, so that threads share one set instead of each
  // making its own.
  void AddInteractions(
      const Dataset& data, size_t begin, size_t end,
      absl::Span<const aggregate_internal::CaseTimeline> timelines);
  // The same over every range of rows [*begin, *end) that `next_rows` hands
  // out until it returns false: threads that share one source of ranges
  // share the work however fast each runs (Aggregate does so).
  void AddInteractions(
      const Dataset& data,
      absl::FunctionRef<bool(size_t* begin, size_t* end)> next_rows,
      absl::Span<const aggregate_internal::CaseTimeline> timelines);
  // What the follow-up rules read of case rows [begin, end), as seen at T,
  // into out[begin, end). `out` has one entry per case row.
  void FillCaseTimelines(
      const Dataset& data, size_t begin, size_t end,
      absl::Span<aggregate_internal::CaseTimeline> out) const;
  // Adds the contact restrictions [begin, end) of data.learning() (the
  // learning counters of cases come with AddCases).
  void AddRestrictions(const Dataset& data, size_t begin, size_t end);

  // Adds another partial computed under the same settings.
  absl::Status Merge(const PartialAggregate& other);

  v1::PartialAggregate ToProto() const;
  // Fails on a malformed message or an unknown counter name.
  static absl::StatusOr<PartialAggregate> FromProto(
      const v1::PartialAggregate& proto);

  const AggregationSettings& settings() const { return settings_; }
  // Cells in the order they were first named.
  size_t cell_count() const { return names_.size(); }
  const std::pair<std::string, std::string>& cell_name(size_t cell) const {
    return names_[cell];
  }
  const Counters& counters(size_t cell, int period) const {
    return counters_[cell * kPeriodsKept + period];
  }
  // Totals per month of P, in order.
  const std::vector<Counters>& months() const { return months_; }
  absl::CivilMonth first_month() const;
  // Lessons Learnt, restrictions, recommendations, remedies, compliments.
  const LearningPartial& learning() const { return learning_; }

  friend bool operator==(const PartialAggregate& a, const PartialAggregate& b);

 private:
  size_t CellFor(absl::string_view directorate, absl::string_view service);
  // Maps a data set's cell codes to this partial's cells.
  std::vector<uint32_t> MapCells(const Dataset& data);
  Counters& at(size_t cell, int period) {
    return counters_[cell * kPeriodsKept + period];
  }

  AggregationSettings settings_;
  // Built from the settings once and shared by copies (immutable).
  std::shared_ptr<const aggregate_internal::DayTables> tables_;
  std::vector<std::pair<std::string, std::string>> names_;
  absl::flat_hash_map<std::pair<std::string, std::string>, size_t> index_;
  std::vector<Counters> counters_;  // cell-major, kPeriodsKept per cell
  std::vector<Counters> months_;
  LearningPartial learning_;
};

// Computes the partial of a whole data set on `threads` threads (0: one per
// core), each over a slice of the rows, merged in order.
absl::StatusOr<PartialAggregate> Aggregate(const Dataset& data,
                                           const AggregationSettings& settings,
                                           int threads = 0);

}  // namespace tellus

#endif  // TELLUS_AGGREGATE_H_
