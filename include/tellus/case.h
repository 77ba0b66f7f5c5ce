// The stage state machine: a case's state is the fold of its events.
//
//   absl::StatusOr<tellus::CaseState> state = tellus::FoldCase(proto_case);
//   if (!state.ok()) {
//     // "case CMP-2023-0412: stage 2 response on 2023-05-02 precedes the
//     //  escalation request on 2023-05-09"
//   }
//   tellus::CaseState known = tellus::SeenAt(*state, as_of);
//   tellus::CaseDeadlines due = tellus::Deadlines(known, calendar, policy);
//
// Events are applied in order of their London civil date; events of the same
// day are in order whatever their position in the list (METRICS.md), taken
// in the procedure's own order: acknowledgement, extension, response,
// escalation, stage 2 acknowledgement, extension, response, withdrawal,
// lesson, Ombudsman referral, decision, remedy, an action of a lesson marked
// done (lesson_actions.h). So a withdrawal on the day of
// the stage 1 response comes after it and finds nothing pending.
#ifndef TELLUS_CASE_H_
#define TELLUS_CASE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tellus/calendar.h"
#include "tellus/dates.h"
#include "tellus/timescales.h"
#include "tellus/v1/case.pb.h"

namespace tellus {

struct StageState {
  std::optional<EventTime> acknowledged;
  std::optional<EventTime> extended_to;  // the agreed response date
  std::optional<EventTime> responded;
  v1::Outcome outcome = v1::OUTCOME_UNSPECIFIED;
  friend bool operator==(const StageState&, const StageState&) = default;
};

enum class CaseStatus {
  kRecorded,         // a compliment or an enquiry
  kAwaitingStage1,   // a complaint awaiting its stage 1 response
  kStage1Responded,  // answered at stage 1, not escalated
  kAwaitingStage2,   // escalation requested, awaiting the stage 2 response
  kStage2Responded,  // answered at stage 2
  kWithdrawn,        // withdrawn by the customer while something was pending
};
absl::string_view CaseStatusName(CaseStatus status);

struct CaseState {
  std::string ref;
  v1::CaseType type = v1::CASE_TYPE_UNSPECIFIED;
  EventTime received;
  StageState stage1;
  StageState stage2;
  std::optional<EventTime> escalation_requested;
  std::optional<EventTime> withdrawn;
  v1::OmbudsmanBody ombudsman_body = v1::OMBUDSMAN_BODY_UNSPECIFIED;
  std::optional<EventTime> ombudsman_referred;
  v1::OmbudsmanDecision ombudsman_decision = v1::OMBUDSMAN_DECISION_UNSPECIFIED;
  std::optional<EventTime> ombudsman_decided;
  std::vector<EventTime> lessons;       // in date order
  std::optional<int64_t> remedy_pence;  // sum of remedies, when any

  CaseStatus status() const;
  // The final internal response: at stage 2 once escalation was requested,
  // else at stage 1. Absent while that response is awaited or when
  // withdrawn.
  const StageState* final_stage() const {
    return escalation_requested ? &stage2 : &stage1;
  }
  friend bool operator==(const CaseState&, const CaseState&) = default;
};

// Validates a case's header and whole history and folds it. An error names
// the case, the event, its date and the rule broken.
absl::StatusOr<CaseState> FoldCase(const v1::Case& c);

// Applies one more event to a valid state (the store's append path): the
// same rules as FoldCase, for an event that is not earlier than the state's
// latest event.
absl::Status ApplyEvent(CaseState& state, const v1::Event& event);

// What was known of a (valid) case at `as_of`: events not yet seen are
// removed. An agreed extension is known whenever the response it applies to
// is known.
CaseState SeenAt(const CaseState& state, absl::Time as_of);

// The due dates of a complaint's steps and whether each was met. Dates a
// step cannot have yet (stage 2 before escalation) are absent.
struct CaseDeadlines {
  absl::CivilDay stage1_ack_due;
  absl::CivilDay stage1_response_due;
  std::optional<bool> stage1_ack_on_time;       // once acknowledged
  std::optional<bool> stage1_response_on_time;  // once responded
  std::optional<absl::CivilDay> stage2_ack_due;
  std::optional<absl::CivilDay> stage2_response_due;
  std::optional<bool> stage2_ack_on_time;
  std::optional<bool> stage2_response_on_time;
};
CaseDeadlines Deadlines(const CaseState& state, const Calendar& calendar,
                        const TimescalePolicy& policy);

// Human names used in messages: "stage 1 acknowledgement", "withdrawal", ...
std::string EventName(const v1::Event& event);

}  // namespace tellus

#endif  // TELLUS_CASE_H_
