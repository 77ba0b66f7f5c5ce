// The learning figures' part of a partial aggregate: Lessons Learnt records
// and their overdue actions, contact restrictions, Ombudsman
// recommendations, non-financial remedies and compliments by route, counted
// by directorate for the period P and the previous period, merged by
// addition like the rest of the partial.
//
//   tellus::LearningPartial a, b;
//   a.AddCases(data, window, 0, half);
//   b.AddCases(data, window, half, data.cases().size());
//   a.AddRestrictions(data, window, 0, data.learning().restrictions.size());
//   a.Merge(b);                       // == one partial over all rows
//   a.Total("lessons_actions_overdue", 0);
//
// Keys (METRICS.md's last section and the figures added after it):
//   lessons_recorded                 Lessons Learnt records dated in the
//                                    period (any case type), by the lesson's
//                                    directorate
//   lessons_actions_overdue          at the reference time (below): actions
//                                    of lessons seen then whose target date
//                                    is before its London date and that were
//                                    not done on or before that date
//   restrictions_active              in force on the period's last day
//   restriction_reviews_overdue      in force on the reference date with
//                                    their review date before it
//   ombudsman_recommendations_due    recommendations of decisions seen at T
//                                    whose due date is in the period ...
//   ombudsman_recommendations_complied_on_time
//                                    ... and that were complied with on or
//                                    before the due date
//   ombudsman_recommendations_overdue  at the reference time: due before its
//                                    date, not complied with by then
//   remedies_<kind>                  complaints resolved in the period (as
//                                    remedy_pence) with that non-financial
//                                    remedy (learning_rules.h kinds)
//   compliments_route_<route>        compliments received in the period
//   theme:<type>:<theme>             lessons dated in the period, by case
//                                    type (complaint, compliment, enquiry)
//   value:<value>                    compliments received in the period
//                                    showing that council value
//
// The reference time of P's figures is the as-of time T; of the previous
// period's, the end of the London day as many days before T's date as the
// previous period starts before P (a year earlier for a financial year), so
// the two figures compare like with like. Events dated after the reference
// date count as not yet happened.
#ifndef TELLUS_LEARNING_PARTIAL_H_
#define TELLUS_LEARNING_PARTIAL_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tellus/dataset.h"
#include "tellus/period.h"
#include "tellus/v1/aggregate.pb.h"

namespace tellus {

// What the learning counters are computed for: the periods and the two
// reference times.
struct LearningWindow {
  Period period;    // P
  Period previous;  // P.Previous()
  absl::Time as_of;

  LearningWindow(const Period& p, absl::Time as_of);
  // Reference date of P's figures (0) and the previous period's (1).
  absl::CivilDay ReferenceDay(int period) const { return reference_[period]; }
  // Period index (0: P, 1: previous) of a day number, or -1.
  int PeriodOf(int32_t day) const;

 private:
  absl::CivilDay reference_[2];
};

class LearningPartial {
 public:
  // (key, directorate) -> {P, previous}.
  using Counts =
      std::map<std::pair<std::string, std::string>, std::array<int64_t, 2>>;

  // Adds the learning records of case rows [begin, end).
  void AddCases(const Dataset& data, const LearningWindow& window, size_t begin,
                size_t end);
  // Adds restrictions [begin, end) of data.learning().restrictions.
  void AddRestrictions(const Dataset& data, const LearningWindow& window,
                       size_t begin, size_t end);

  void Merge(const LearningPartial& other);

  // Sum over directorates of one key; `period` 0 is P, 1 the previous.
  int64_t Total(absl::string_view key, int period) const;
  int64_t Get(absl::string_view key, absl::string_view directorate,
              int period) const;
  const Counts& counts() const { return counts_; }

  v1::LearningPartial ToProto() const;
  // Fails on a key listed twice for one directorate.
  static absl::StatusOr<LearningPartial> FromProto(
      const v1::LearningPartial& proto);

  friend bool operator==(const LearningPartial&,
                         const LearningPartial&) = default;

 private:
  void Add(absl::string_view key, absl::string_view directorate, int period,
           int64_t n = 1);
  Counts counts_;
};

}  // namespace tellus

#endif  // TELLUS_LEARNING_PARTIAL_H_
