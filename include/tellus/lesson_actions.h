// Lessons Learnt actions marked done after their lesson was recorded.
//
// Events are never edited, so an action done later is a new event
// (tellus.v1.LessonActionDone: the lesson's number on the case, the
// action's number on the lesson, dated the day it was done). FoldCase
// checks every such event; the learning figures and listings read the
// case with the events folded onto the actions' `done` dates, so a done
// date after the as-of time is not yet seen, exactly as for a form recorded
// with the action already done.
//
//   v1::Event e;
//   *e.mutable_when()->mutable_date() = ToProto(absl::CivilDay(2024, 2, 1));
//   e.mutable_lesson_action_done()->set_lesson(1);
//   e.mutable_lesson_action_done()->set_action(2);
//   TELLUS_RETURN_IF_ERROR(store.AppendEvent("C-7", e));
//   // Refused: "case C-7: action 2 of Lessons Learnt record 1 marked done on
//   //  2024-01-02 precedes the lesson on 2024-01-05".
//   TELLUS_ASSIGN_OR_RETURN(v1::Case folded, tellus::WithActionsDone(c));
#ifndef TELLUS_LESSON_ACTIONS_H_
#define TELLUS_LESSON_ACTIONS_H_

#include "absl/status/statusor.h"
#include "tellus/v1/case.pb.h"

namespace tellus {

// Whether the case holds any LessonActionDone event (most do not, and then
// the case is read as it is).
bool HasActionsDone(const v1::Case& c);

// The case with every LessonActionDone event folded onto its action: the
// action's `done` becomes the event's London date (the events stay). Each
// event must be dated, name a lesson the case has (1-based, in the order of
// the case's events) and an action on it, be dated on or after the lesson,
// and mark an action not already done (by the form or an earlier event).
// Errors name the case, the event, its date and the rule.
absl::StatusOr<v1::Case> WithActionsDone(const v1::Case& c);

}  // namespace tellus

#endif  // TELLUS_LESSON_ACTIONS_H_
