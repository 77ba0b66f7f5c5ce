// The Complaint Handling Code's timescales as a policy, and the due dates and
// on-time rule of METRICS.md as pure functions.
//
//   tellus::Calendar cal = tellus::Calendar::ForRegion();
//   tellus::TimescalePolicy code;  // the Code's defaults: 5/10/10, 5/20/20
//   absl::CivilDay ack_due = tellus::AcknowledgementDue(
//       cal, code, tellus::v1::STAGE_1, received);
//   absl::CivilDay due = tellus::ResponseDue(cal, code, tellus::v1::STAGE_1,
//                                            received, acknowledged);
//   bool on_time = tellus::RespondedOnTime(cal, code, tellus::v1::STAGE_1,
//                                          due, responded, extended_to);
#ifndef TELLUS_TIMESCALES_H_
#define TELLUS_TIMESCALES_H_

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "tellus/calendar.h"
#include "tellus/v1/case.pb.h"
#include "tellus/v1/policy.pb.h"

namespace tellus {

// Working days allowed at one stage.
struct StageTimescale {
  int acknowledge_days;    // from receipt (stage 1) or escalation request
  int respond_days;        // from the acknowledgement or its due date
  int max_extension_days;  // the most an agreed extension may add
  friend bool operator==(const StageTimescale&,
                         const StageTimescale&) = default;
};

struct TimescalePolicy {
  StageTimescale stage1{5, 10, 10};
  StageTimescale stage2{5, 20, 20};

  const StageTimescale& ForStage(v1::Stage stage) const {
    return stage == v1::STAGE_2 ? stage2 : stage1;
  }
  friend bool operator==(const TimescalePolicy&,
                         const TimescalePolicy&) = default;
};

// The most working days a step of a policy may take: past it a due date
// would be worked out a day at a time for millions of days.
inline constexpr int32_t kMaxPolicyWorkingDays = 10000;

// A stage left unset in the message takes the Code's defaults; a negative
// number of days, or one above kMaxPolicyWorkingDays, is an error.
absl::StatusOr<TimescalePolicy> PolicyFromProto(const v1::TimescalePolicy& p);
v1::TimescalePolicy PolicyToProto(const TimescalePolicy& policy);

// `start` is the receipt (stage 1) or the escalation request (stage 2).
absl::CivilDay AcknowledgementDue(const Calendar& cal,
                                  const TimescalePolicy& policy,
                                  v1::Stage stage, absl::CivilDay start);

// The earlier of the acknowledgement and its due date, plus the stage's
// response days: a late acknowledgement never buys time.
absl::CivilDay ResponseDue(const Calendar& cal, const TimescalePolicy& policy,
                           v1::Stage stage, absl::CivilDay start,
                           std::optional<absl::CivilDay> acknowledged);

// The latest date an agreed extension can make on time: the earlier of the
// agreed date and due + the stage's allowed extension.
absl::CivilDay ExtendedDue(const Calendar& cal, const TimescalePolicy& policy,
                           v1::Stage stage, absl::CivilDay due,
                           absl::CivilDay extended_to);

// On time: on or before `due`, or, with an agreed extension, on or before
// ExtendedDue(...).
bool RespondedOnTime(const Calendar& cal, const TimescalePolicy& policy,
                     v1::Stage stage, absl::CivilDay due,
                     absl::CivilDay responded,
                     std::optional<absl::CivilDay> extended_to);

}  // namespace tellus

#endif  // TELLUS_TIMESCALES_H_
