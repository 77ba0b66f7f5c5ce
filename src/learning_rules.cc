#include "tellus/learning_rules.h"

#include <optional>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "tellus/dates.h"

namespace tellus {
namespace {

absl::Status Rule(absl::string_view text) {
  return absl::InvalidArgumentError(text);
}

bool Blank(absl::string_view s) {
  return absl::StripAsciiWhitespace(s).empty();
}

// A date that may be unset: nullopt when unset, an error when impossible.
absl::StatusOr<std::optional<absl::CivilDay>> OptionalDate(const v1::Date& date,
                                                           bool present) {
  if (!present) return std::nullopt;
  auto day = CheckedDate(date);
  if (!day.ok()) return day.status();
  return std::optional<absl::CivilDay>(*day);
}

absl::string_view CaseTypeWords(v1::CaseType type) {
  switch (type) {
    case v1::CASE_TYPE_COMPLAINT:
      return "a complaint";
    case v1::CASE_TYPE_ENQUIRY:
      return "an enquiry";
    case v1::CASE_TYPE_COMPLIMENT:
      return "a compliment";
    default:
      return "a case of no type";
  }
}

}  // namespace

absl::StatusOr<absl::CivilDay> CheckedDate(const v1::Date& date) {
  v1::When when;
  *when.mutable_date() = date;
  auto t = FromProto(when);
  if (!t.ok()) return t.status();
  return t->date;
}

absl::Status CheckLesson(const v1::LessonLearnt& lesson,
                         absl::CivilDay recorded) {
  const bool has_set = !lesson.question_set_id().empty();
  if (has_set && lesson.question_set_version() < 1) {
    return Rule(absl::StrCat("names question set '", lesson.question_set_id(),
                             "' without its version (1 or more)"));
  }
  if (!has_set && lesson.question_set_version() != 0) {
    return Rule(absl::StrCat("has question set version ",
                             lesson.question_set_version(),
                             " but no question set id"));
  }
  if (!has_set && lesson.answers_size() > 0) {
    return Rule("has answers but names no question set they answer");
  }
  absl::flat_hash_set<std::string> answered;
  for (int i = 0; i < lesson.answers_size(); ++i) {
    const v1::LessonAnswer& a = lesson.answers(i);
    if (a.question_id().empty()) {
      return Rule(absl::StrCat("has answer ", i + 1, " to no question id"));
    }
    if (!answered.insert(a.question_id()).second) {
      return Rule(absl::StrCat("answers question '", a.question_id(),
                               "' more than once"));
    }
  }
  for (int i = 0; i < lesson.actions_size(); ++i) {
    const v1::LessonAction& action = lesson.actions(i);
    const std::string which = absl::StrCat("action ", i + 1);
    if (Blank(action.description())) {
      return Rule(absl::StrCat("has ", which, " without a description"));
    }
    if (Blank(action.owner())) {
      return Rule(absl::StrCat("has ", which, " (", action.description(),
                               ") without an owner"));
    }
    if (!action.has_target()) {
      return Rule(absl::StrCat("has ", which, " (", action.description(),
                               ") without a target date"));
    }
    auto target = CheckedDate(action.target());
    if (!target.ok()) {
      return Rule(absl::StrCat("has ", which,
                               " target date: ", target.status().message()));
    }
    if (*target < recorded) {
      return Rule(absl::StrCat("has ", which, " (", action.description(),
                               ") with a target date ", FormatDate(*target),
                               " before the lesson"));
    }
    auto done = OptionalDate(action.done(), action.has_done());
    if (!done.ok()) {
      return Rule(
          absl::StrCat("has ", which, " done date: ", done.status().message()));
    }
    if (*done && **done < recorded) {
      return Rule(absl::StrCat("has ", which, " (", action.description(),
                               ") done on ", FormatDate(**done),
                               ", before the lesson"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckRecommendations(const v1::OmbudsmanDecided& decided,
                                  absl::CivilDay decided_on) {
  for (int i = 0; i < decided.recommendations_size(); ++i) {
    const v1::OmbudsmanRecommendation& r = decided.recommendations(i);
    const std::string which = absl::StrCat("recommendation ", i + 1);
    if (Blank(r.description())) {
      return Rule(absl::StrCat("has ", which, " without a description"));
    }
    if (!r.has_due()) {
      return Rule(absl::StrCat("has ", which, " (", r.description(),
                               ") without a due date"));
    }
    auto due = CheckedDate(r.due());
    if (!due.ok()) {
      return Rule(
          absl::StrCat("has ", which, " due date: ", due.status().message()));
    }
    if (*due < decided_on) {
      return Rule(absl::StrCat("has ", which, " (", r.description(),
                               ") due on ", FormatDate(*due),
                               ", before the decision"));
    }
    auto complied = OptionalDate(r.complied(), r.has_complied());
    if (!complied.ok()) {
      return Rule(absl::StrCat(
          "has ", which, " compliance date: ", complied.status().message()));
    }
    if (*complied && **complied < decided_on) {
      return Rule(absl::StrCat("has ", which, " (", r.description(),
                               ") complied with on ", FormatDate(**complied),
                               ", before the decision"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckRemedy(const v1::Remedy& remedy) {
  if (remedy.pence() < 0) return Rule("is negative");
  absl::flat_hash_set<int> kinds;
  for (int k : remedy.non_financial()) {
    const auto kind = static_cast<v1::RemedyKind>(k);
    if (kind <= v1::REMEDY_KIND_UNSPECIFIED || kind > v1::REMEDY_KIND_OTHER) {
      return Rule(
          absl::StrCat("has a non-financial remedy of unknown kind ", k,
                       " (expected apology, action, policy change or other)"));
    }
    if (!kinds.insert(k).second) {
      return Rule(absl::StrCat("names the non-financial remedy '",
                               RemedyKindWords(kind), "' more than once"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckComplimentFields(const v1::Case& c) {
  const bool compliment = c.type() == v1::CASE_TYPE_COMPLIMENT;
  if (c.compliment_route() != v1::COMPLIMENT_ROUTE_UNSPECIFIED) {
    if (!v1::ComplimentRoute_IsValid(c.compliment_route())) {
      return Rule(absl::StrCat("has an unknown compliment route ",
                               c.compliment_route()));
    }
    if (!compliment) {
      return Rule(absl::StrCat("has a compliment route (",
                               ComplimentRouteWords(c.compliment_route()),
                               "), but only a compliment has one and this is ",
                               CaseTypeWords(c.type())));
    }
  }
  if (c.council_values_size() > 0 && !compliment) {
    return Rule(absl::StrCat(
        "shows council values, but only a compliment shows them and this is ",
        CaseTypeWords(c.type())));
  }
  absl::flat_hash_set<std::string> seen;
  for (const std::string& value : c.council_values()) {
    if (Blank(value)) return Rule("has an empty council value");
    if (!seen.insert(value).second) {
      return Rule(
          absl::StrCat("shows the council value '", value, "' more than once"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateQuestionSet(const v1::QuestionSet& set) {
  if (set.id().empty()) {
    return Rule("question set without an id");
  }
  const std::string where =
      absl::StrCat("question set ", set.id(), " version ", set.version(), ": ");
  if (set.version() < 1) {
    return Rule(absl::StrCat("question set ", set.id(), ": version ",
                             set.version(), " is not 1 or more"));
  }
  if (set.questions_size() == 0) {
    return Rule(absl::StrCat(where, "asks no questions"));
  }
  absl::flat_hash_set<std::string> ids;
  for (int i = 0; i < set.questions_size(); ++i) {
    const v1::Question& q = set.questions(i);
    if (q.id().empty()) {
      return Rule(absl::StrCat(where, "question ", i + 1, " has no id"));
    }
    if (!ids.insert(q.id()).second) {
      return Rule(absl::StrCat(where, "question ", i + 1, " reuses the id '",
                               q.id(), "'"));
    }
    if (Blank(q.text())) {
      return Rule(absl::StrCat(where, "question ", i + 1, " ('", q.id(),
                               "') has no text"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckAnswers(const v1::LessonLearnt& lesson,
                          const v1::QuestionSet& set) {
  const std::string form =
      absl::StrCat("question set ", set.id(), " version ", set.version());
  if (lesson.question_set_id() != set.id() ||
      lesson.question_set_version() != set.version()) {
    return Rule(absl::StrCat(
        "answers question set ",
        lesson.question_set_id().empty() ? "(none)" : lesson.question_set_id(),
        " version ", lesson.question_set_version(), ", not ", form));
  }
  absl::flat_hash_set<std::string> asked;
  for (const v1::Question& q : set.questions()) asked.insert(q.id());
  absl::flat_hash_set<std::string> answered;
  for (const v1::LessonAnswer& a : lesson.answers()) {
    if (!asked.contains(a.question_id())) {
      return Rule(absl::StrCat("answers question '", a.question_id(),
                               "', which ", form, " does not ask"));
    }
    if (!Blank(a.text())) answered.insert(a.question_id());
  }
  for (const v1::Question& q : set.questions()) {
    if (q.required() && !answered.contains(q.id())) {
      return Rule(absl::StrCat("leaves the required question '", q.id(),
                               "' of ", form, " unanswered"));
    }
  }
  return absl::OkStatus();
}

absl::string_view RemedyKindKey(v1::RemedyKind kind) {
  switch (kind) {
    case v1::REMEDY_KIND_APOLOGY:
      return "apology";
    case v1::REMEDY_KIND_ACTION:
      return "action";
    case v1::REMEDY_KIND_POLICY_CHANGE:
      return "policy_change";
    case v1::REMEDY_KIND_OTHER:
      return "other";
    default:
      return "unknown";
  }
}

absl::string_view ComplimentRouteKey(v1::ComplimentRoute route) {
  switch (route) {
    case v1::COMPLIMENT_ROUTE_CONTACT_CENTRE:
      return "contact_centre";
    case v1::COMPLIMENT_ROUTE_DIRECT_TO_SERVICE:
      return "direct_to_service";
    case v1::COMPLIMENT_ROUTE_COUNCILLOR:
      return "councillor";
    case v1::COMPLIMENT_ROUTE_MP:
      return "mp";
    case v1::COMPLIMENT_ROUTE_CHIEF_EXECUTIVE:
      return "chief_executive";
    case v1::COMPLIMENT_ROUTE_SOCIAL_MEDIA:
      return "social_media";
    case v1::COMPLIMENT_ROUTE_OTHER:
      return "other";
    default:
      return "not_known";
  }
}

std::string RemedyKindWords(v1::RemedyKind kind) {
  return absl::StrReplaceAll(RemedyKindKey(kind), {{"_", " "}});
}

std::string ComplimentRouteWords(v1::ComplimentRoute route) {
  if (route == v1::COMPLIMENT_ROUTE_MP) return "MP";
  return absl::StrReplaceAll(ComplimentRouteKey(route), {{"_", " "}});
}

}  // namespace tellus
