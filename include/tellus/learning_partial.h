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
//   lessons_actions_overdue          at T: actions of lessons seen at T
//                                    whose target date is before T's London
//                                    date and that were not done on or
//                                    before that date
//   restrictions_active              in force on the period's last day
//   restriction_reviews_overdue      in force on T's London date with
//                                    their review date before it
//   ombudsman_recommendations_due    recommendations of decisions seen at T
//                                    whose due date is in the period ...
//   ombudsman_recommendations_complied_on_time
//                                    ... and that were complied with on or
//                                    before the due date
//   ombudsman_recommendations_overdue  at T: due before T's date, not
//                                    complied with by then
//   remedies_<kind>                  complaints resolved in the period (as
//                                    remedy_pence) with that non-financial
//                                    remedy (learning_rules.h kinds)
//   compliments_route_<route>        compliments received in the period
//   theme:<type>:<theme>             lessons dated in the period, by case
//                                    type (complaint, compliment, enquiry)
//   value:<value>                    compliments received in the period
//                                    showing that council value
//
// A report has one as-of time T (METRICS.md), so the figures "at T" are
// the same for P and the previous period: the previous column applies the
// same definition with the previous period in place of P, and these
// definitions do not involve the period. Events dated after T's London date
// count as not yet happened.
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

// What the learning counters are computed for: the periods and the as-of
// time.
struct LearningWindow {
  Period period;    // P
  Period previous;  // P.Previous()
  absl::Time as_of;
  absl::CivilDay as_of_day;  // T's London date

  LearningWindow(const Period& p, absl::Time as_of);
  // Period index (0: P, 1: previous) of a day number, or -1 (also kNoDay).
  int PeriodOf(int32_t day) const {
    if (day >= first_[0] && day <= last_[0]) return 0;
    if (day >= first_[1] && day <= last_[1]) return 1;
    return -1;
  }

 private:
  int32_t first_[2], last_[2];  // day numbers of P and the previous period
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
