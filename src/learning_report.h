// The learning figures of the annual report: the keys added after
// METRICS.md's and the LearningReport breakdowns (by directorate, themes,
// council values). Internal to the library; report.cc calls it.
//
//   v1::Value v = learning_report::TotalValue(merged.learning(),
//                                             "restrictions_active", 0);
//   learning_report::Fill(merged, {publish, threshold}, report);
#ifndef TELLUS_SRC_LEARNING_REPORT_H_
#define TELLUS_SRC_LEARNING_REPORT_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "tellus/aggregate.h"
#include "tellus/learning_partial.h"
#include "tellus/v1/report.pb.h"

namespace tellus::learning_report {

// Disclosure control for the by-directorate breakdowns (totals: off).
struct Suppression {
  bool on = false;
  int threshold = 4;
};

// A learning figure of the report: a count of one LearningPartial key, or a
// ratio of two.
struct Figure {
  absl::string_view key;               // report key
  absl::string_view numerator;         // LearningPartial key
  absl::string_view denominator = "";  // non-empty for a ratio
};

// The figures after METRICS.md's keys, in report order (totals only).
const std::vector<Figure>& AddedFigures();

// A figure's total over directorates for period 0 (P) or 1 (previous).
v1::Value TotalValue(const LearningPartial& partial, const Figure& figure,
                     int period);

// Fills report.learning from the merged partial: by directorate (every
// directorate of report.by_directorate and every lesson's directorate),
// themes and council values.
void Fill(const PartialAggregate& merged, const Suppression& suppression,
          v1::AnnualReport& report);

// The metric keys of DirectorateLearning, in order.
const std::vector<absl::string_view>& DirectorateKeys();

}  // namespace tellus::learning_report

#endif  // TELLUS_SRC_LEARNING_REPORT_H_
