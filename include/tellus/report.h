// The annual customer feedback report: a pure function of a merged partial
// aggregate and the report's settings.
//
//   tellus::v1::ReportSettings request;
//   request.set_period("2023/24");
//   request.set_as_of("2024-06-30");
//   absl::StatusOr<tellus::v1::AnnualReport> report =
//       tellus::BuildReport(dataset, request);           // all cores
//   // or, from partials computed elsewhere and merged:
//   report = tellus::BuildReport(merged_partial, request);
//
// Every figure is a count or an exact ratio keyed as in METRICS.md; changes
// between periods are relative for counts, and percentage points plus
// relative for ratios. With `publish`, by-directorate, by-service and
// top-service cells counting 1..threshold are suppressed; totals never are.
#ifndef TELLUS_REPORT_H_
#define TELLUS_REPORT_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/arena.h"
#include "tellus/aggregate.h"
#include "tellus/dataset.h"
#include "tellus/v1/report.pb.h"

namespace tellus {

// Builds the report from a partial over all the rows. Report-only settings
// (homes, landlord directorates, publish, top services) come from `request`;
// the rest must agree with those the partial was computed under.
absl::StatusOr<v1::AnnualReport> BuildReport(const PartialAggregate& merged,
                                             const v1::ReportSettings& request);

// Resolves the settings (as-of empty: `now`), aggregates `data` on
// `threads` threads (0: one per core) and builds the report.
absl::StatusOr<v1::AnnualReport> BuildReport(const Dataset& data,
                                             const v1::ReportSettings& request,
                                             int threads = 0,
                                             absl::Time now = absl::Now());

// The same, with the report built on `arena`, which owns it: the message
// and everything in it are freed with the arena, at once. For a caller that
// renders or serializes the report and then drops it (the CLI, the C ABI),
// this spares the thousands of small allocations and frees of a report's
// metrics.
absl::StatusOr<v1::AnnualReport*> BuildReport(const PartialAggregate& merged,
                                              const v1::ReportSettings& request,
                                              google::protobuf::Arena& arena);
absl::StatusOr<v1::AnnualReport*> BuildReport(const Dataset& data,
                                              const v1::ReportSettings& request,
                                              google::protobuf::Arena& arena,
                                              int threads = 0,
                                              absl::Time now = absl::Now());

// The keys of the report's metrics, in order: the counts and ratios of
// METRICS.md, then CH01 (when homes are set), then the learning, contact and
// Ombudsman figures (totals only), then the figures added after METRICS.md
// (learning_partial.h: recommendations complied with and overdue, lessons
// recorded, non-financial remedies, compliments by route).
std::vector<absl::string_view> ReportMetricKeys(bool with_ch01);

// True for a key whose values are ratios.
bool IsRatioKey(absl::string_view key);

// Finds a metric of a list by key; nullptr when absent.
const v1::Metric* FindMetric(
    const google::protobuf::RepeatedPtrField<v1::Metric>& metrics,
    absl::string_view key);

}  // namespace tellus

#endif  // TELLUS_REPORT_H_
