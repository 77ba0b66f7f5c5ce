// The rules for the learning records a case carries: Lessons Learnt forms
// and their actions, Ombudsman recommendations, remedies, and a compliment's
// route and council values. FoldCase applies them; they are exposed for the
// store and for tests.
//
//   // In FoldCase: "case C-7: Lessons Learnt record on 2024-01-05 has
//   //  action 2 done on 2024-01-02, before the lesson".
//   TELLUS_RETURN_IF_ERROR(tellus::CheckLesson(lesson, recorded_on));
//
//   // A form against its configuration:
//   absl::Status s = tellus::CheckAnswers(lesson, question_set);
//   // "answers question 'cost', which question set lessons-learnt
//   //  version 2 does not ask"
//
// Rule messages (Check*) are fragments that read after "case REF: <event>
// on <date> " and so start with a verb; whole-record messages (Validate*)
// name the record themselves.
#ifndef TELLUS_LEARNING_RULES_H_
#define TELLUS_LEARNING_RULES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "tellus/v1/case.pb.h"
#include "tellus/v1/common.pb.h"
#include "tellus/v1/question_set.pb.h"

namespace tellus {

// A schema date that must be a real calendar date: "2023-02-30 is not a
// calendar date" otherwise.
absl::StatusOr<absl::CivilDay> CheckedDate(const v1::Date& date);

// A Lessons Learnt form recorded on `recorded`: question set id and version
// both given or both absent; answers only with a question set, each question
// answered once; every action with a description, an owner and a target
// date not before the lesson, and a done date (when set) not before it.
absl::Status CheckLesson(const v1::LessonLearnt& lesson,
                         absl::CivilDay recorded);

// The recommendations of an Ombudsman decision dated `decided`: each with a
// description and a due date, due and complied (when set) not before the
// decision.
absl::Status CheckRecommendations(const v1::OmbudsmanDecided& decided,
                                  absl::CivilDay decided_on);

// A remedy: pence not negative, each non-financial kind named and given
// once.
absl::Status CheckRemedy(const v1::Remedy& remedy);

// A case's compliment fields: route and council values only on a
// compliment; a known route; values not empty and each given once.
absl::Status CheckComplimentFields(const v1::Case& c);

// A question set: an id, a version of 1 or more, and questions each with an
// id used once and a text. "question set lessons-learnt version 2: question
// 3 has no text".
absl::Status ValidateQuestionSet(const v1::QuestionSet& set);

// A lesson's answers against the form it names: the same id and version,
// every answer to a question the set asks, every required question answered
// (not blank).
absl::Status CheckAnswers(const v1::LessonLearnt& lesson,
                          const v1::QuestionSet& set);

// Stable names: "apology", "policy_change", ...; "contact_centre",
// "direct_to_service", ..., "not_known" for an unspecified route.
absl::string_view RemedyKindKey(v1::RemedyKind kind);
absl::string_view ComplimentRouteKey(v1::ComplimentRoute route);
// In words: "policy change", "contact centre", "not known".
std::string RemedyKindWords(v1::RemedyKind kind);
std::string ComplimentRouteWords(v1::ComplimentRoute route);

}  // namespace tellus

#endif  // TELLUS_LEARNING_RULES_H_
