#include "tellus/case.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"
#include "tellus/learning_rules.h"
#include "tellus/lesson_actions.h"
#include "tellus/status_macros.h"

namespace tellus {
namespace {

// The procedure's own order of events on one day (see case.h).
int SameDayRank(const v1::Event& e) {
  const bool stage2 = [&] {
    switch (e.kind_case()) {
      case v1::Event::kAcknowledged:
        return e.acknowledged().stage() == v1::STAGE_2;
      case v1::Event::kExtensionAgreed:
        return e.extension_agreed().stage() == v1::STAGE_2;
      case v1::Event::kResponded:
        return e.responded().stage() == v1::STAGE_2;
      default:
        return false;
    }
  }();
  switch (e.kind_case()) {
    case v1::Event::kAcknowledged:
      return stage2 ? 4 : 0;
    case v1::Event::kExtensionAgreed:
      return stage2 ? 5 : 1;
    case v1::Event::kResponded:
      return stage2 ? 6 : 2;
    case v1::Event::kEscalationRequested:
      return 3;
    case v1::Event::kWithdrawn:
      return 7;
    case v1::Event::kLessonLearnt:
      return 8;
    case v1::Event::kOmbudsmanReferral:
      return 9;
    case v1::Event::kOmbudsmanDecided:
      return 10;
    case v1::Event::kRemedy:
      return 11;
    // After the lesson it marks, when both are on one day.
    case v1::Event::kLessonActionDone:
      return 12;
    case v1::Event::KIND_NOT_SET:
      break;
  }
  return 13;
}

absl::string_view StageName(v1::Stage stage) {
  return stage == v1::STAGE_2 ? "stage 2" : "stage 1";
}

absl::string_view OutcomeName(v1::Outcome outcome) {
  switch (outcome) {
    case v1::OUTCOME_UPHELD:
      return "upheld";
    case v1::OUTCOME_PARTLY_UPHELD:
      return "partly upheld";
    case v1::OUTCOME_NOT_UPHELD:
      return "not upheld";
    default:
      return "no outcome";
  }
}

// The decision as cases.csv spells it ("upheld_satisfactory_remedy"), not
// the proto enum's name: a rejects file's reason is read by council staff.
std::string DecisionValue(v1::OmbudsmanDecision decision) {
  std::string name = v1::OmbudsmanDecision_Name(decision);
  absl::string_view rest = name;
  if (!absl::ConsumePrefix(&rest, "OMBUDSMAN_DECISION_")) return name;
  return absl::AsciiStrToLower(rest);
}

absl::string_view BodyName(v1::OmbudsmanBody body) {
  switch (body) {
    case v1::OMBUDSMAN_BODY_LGSCO:
      return "LGSCO";
    case v1::OMBUDSMAN_BODY_HOS:
      return "Housing Ombudsman";
    default:
      return "unknown Ombudsman";
  }
}

bool IsDecisionOf(v1::OmbudsmanBody body, v1::OmbudsmanDecision decision) {
  if (decision == v1::OMBUDSMAN_DECISION_WITHDRAWN) return true;
  const bool lgsco = decision >= v1::OMBUDSMAN_DECISION_PREMATURE &&
                     decision <= v1::OMBUDSMAN_DECISION_NOT_UPHELD;
  const bool hos = decision >= v1::OMBUDSMAN_DECISION_NO_MALADMINISTRATION &&
                   decision <= v1::OMBUDSMAN_DECISION_OUTSIDE_JURISDICTION;
  return body == v1::OMBUDSMAN_BODY_LGSCO ? lgsco
         : body == v1::OMBUDSMAN_BODY_HOS ? hos
                                          : false;
}

std::string On(const EventTime& t) { return FormatDate(t.date); }

// Builds "case REF: <what> on <date> <rule>" messages.
class Rules {
 public:
  Rules(const CaseState& state, const v1::Event& event, const EventTime* when)
      : state_(state), event_(event), when_(when) {}

  absl::Status Fail(absl::string_view rule) const {
    return absl::InvalidArgumentError(absl::StrCat(
        "case ", state_.ref, ": ", EventName(event_),
        when_ ? absl::StrCat(" on ", On(*when_)) : std::string(), " ", rule));
  }

  // "... precedes the <what> on <date>"
  absl::Status Precedes(absl::string_view what, const EventTime& t) const {
    return Fail(absl::StrCat("precedes the ", what, " on ", On(t)));
  }

  absl::Status After(absl::string_view what, const EventTime& t) const {
    return Fail(absl::StrCat("comes after the ", what, " on ", On(t)));
  }

  // Names the case and the event in front of a learning_rules.h fragment.
  absl::Status Check(const absl::Status& fragment) const {
    return fragment.ok() ? fragment : Fail(fragment.message());
  }

 private:
  const CaseState& state_;
  const v1::Event& event_;
  const EventTime* when_;
};

absl::Status CheckNotWithdrawn(const CaseState& s, const Rules& rules) {
  if (s.withdrawn) return rules.After("withdrawal", *s.withdrawn);
  return absl::OkStatus();
}

absl::Status CheckStage(v1::Stage stage, const Rules& rules) {
  if (stage != v1::STAGE_1 && stage != v1::STAGE_2) {
    return rules.Fail("names no stage (expected stage 1 or 2)");
  }
  return absl::OkStatus();
}

absl::Status ApplyAcknowledged(CaseState& s, v1::Stage stage,
                               const EventTime& t, const Rules& rules) {
  TELLUS_RETURN_IF_ERROR(CheckStage(stage, rules));
  StageState& st = stage == v1::STAGE_2 ? s.stage2 : s.stage1;
  if (st.acknowledged) {
    return rules.Fail(absl::StrCat("repeats the ", StageName(stage),
                                   " acknowledgement on ",
                                   On(*st.acknowledged)));
  }
  if (stage == v1::STAGE_2 && !s.escalation_requested) {
    return rules.Fail("has no escalation request before it");
  }
  if (st.responded) {
    return rules.Fail(absl::StrCat(
        "comes after the ", StageName(stage), " response on ",
        On(*st.responded), " (no response before its acknowledgement)"));
  }
  TELLUS_RETURN_IF_ERROR(CheckNotWithdrawn(s, rules));
  st.acknowledged = t;
  return absl::OkStatus();
}

absl::Status ApplyExtension(CaseState& s, v1::Stage stage, const EventTime& t,
                            const Rules& rules) {
  TELLUS_RETURN_IF_ERROR(CheckStage(stage, rules));
  StageState& st = stage == v1::STAGE_2 ? s.stage2 : s.stage1;
  if (st.extended_to) {
    return rules.Fail(absl::StrCat("repeats the ", StageName(stage),
                                   " extension to ", On(*st.extended_to)));
  }
  if (stage == v1::STAGE_2 && !s.escalation_requested) {
    return rules.Fail("has no escalation request before it");
  }
  TELLUS_RETURN_IF_ERROR(CheckNotWithdrawn(s, rules));
  st.extended_to = t;
  return absl::OkStatus();
}

absl::Status ApplyResponded(CaseState& s, const v1::Responded& r,
                            const EventTime& t, const Rules& rules) {
  TELLUS_RETURN_IF_ERROR(CheckStage(r.stage(), rules));
  StageState& st = r.stage() == v1::STAGE_2 ? s.stage2 : s.stage1;
  if (st.responded) {
    return rules.Fail(absl::StrCat("repeats the ", StageName(r.stage()),
                                   " response on ", On(*st.responded)));
  }
  if (r.stage() == v1::STAGE_2 && !s.escalation_requested) {
    return rules.Fail("has no escalation request before it");
  }
  if (r.outcome() != v1::OUTCOME_UPHELD &&
      r.outcome() != v1::OUTCOME_PARTLY_UPHELD &&
      r.outcome() != v1::OUTCOME_NOT_UPHELD) {
    return rules.Fail(
        "has no outcome (expected upheld, partly upheld or not upheld)");
  }
  TELLUS_RETURN_IF_ERROR(CheckNotWithdrawn(s, rules));
  st.responded = t;
  st.outcome = r.outcome();
  return absl::OkStatus();
}

absl::Status ApplyEscalation(CaseState& s, const EventTime& t,
                             const Rules& rules) {
  if (s.escalation_requested) {
    return rules.Fail(absl::StrCat("repeats the escalation request on ",
                                   On(*s.escalation_requested)));
  }
  if (!s.stage1.responded) {
    return rules.Fail("has no stage 1 response before it");
  }
  TELLUS_RETURN_IF_ERROR(CheckNotWithdrawn(s, rules));
  s.escalation_requested = t;
  return absl::OkStatus();
}

absl::Status ApplyWithdrawal(CaseState& s, const EventTime& t,
                             const Rules& rules) {
  if (s.withdrawn) {
    return rules.Fail(
        absl::StrCat("repeats the withdrawal on ", On(*s.withdrawn)));
  }
  if (s.stage2.responded) {
    return rules.Fail(
        absl::StrCat("leaves nothing pending: the stage 2 "
                     "response on ",
                     On(*s.stage2.responded), " closed the case"));
  }
  if (s.stage1.responded && !s.escalation_requested) {
    return rules.Fail(
        absl::StrCat("leaves nothing pending: the stage 1 "
                     "response on ",
                     On(*s.stage1.responded), " answered the complaint"));
  }
  s.withdrawn = t;
  return absl::OkStatus();
}

absl::Status ApplyReferral(CaseState& s, const v1::OmbudsmanReferral& r,
                           const EventTime& t, const Rules& rules) {
  if (r.body() != v1::OMBUDSMAN_BODY_LGSCO &&
      r.body() != v1::OMBUDSMAN_BODY_HOS) {
    return rules.Fail("names no Ombudsman (expected lgsco or hos)");
  }
  if (s.ombudsman_referred) {
    return rules.Fail(absl::StrCat("repeats the Ombudsman referral on ",
                                   On(*s.ombudsman_referred)));
  }
  s.ombudsman_body = r.body();
  s.ombudsman_referred = t;
  return absl::OkStatus();
}

absl::Status ApplyDecision(CaseState& s, const v1::OmbudsmanDecided& d,
                           const EventTime& t, const Rules& rules) {
  if (!s.ombudsman_referred) {
    return rules.Fail("has no Ombudsman referral before it");
  }
  if (s.ombudsman_decided) {
    return rules.Fail(absl::StrCat("repeats the Ombudsman decision on ",
                                   On(*s.ombudsman_decided)));
  }
  if (!IsDecisionOf(s.ombudsman_body, d.decision())) {
    return rules.Fail(absl::StrCat("is not a decision the ",
                                   BodyName(s.ombudsman_body), " makes"));
  }
  s.ombudsman_decision = d.decision();
  s.ombudsman_decided = t;
  return absl::OkStatus();
}

// Applies one event whose date is not before any event already applied.
absl::Status Apply(CaseState& s, const v1::Event& event) {
  std::optional<EventTime> when;
  if (event.has_when()) {
    auto parsed = FromProto(event.when());
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("case ", s.ref, ": ", EventName(event), ": ",
                       parsed.status().message()));
    }
    when = *parsed;
  }
  const Rules rules(s, event, when ? &*when : nullptr);
  if (event.kind_case() == v1::Event::KIND_NOT_SET) {
    return rules.Fail("is of no known kind");
  }
  // A lesson (and an action of it done later) may come from any case (the
  // corporate evidence bank); the procedure's events only from a complaint.
  if (s.type != v1::CASE_TYPE_COMPLAINT &&
      event.kind_case() != v1::Event::kLessonLearnt &&
      event.kind_case() != v1::Event::kLessonActionDone) {
    return rules.Fail(absl::StrCat(
        "cannot happen to ",
        s.type == v1::CASE_TYPE_COMPLIMENT ? "a compliment" : "an enquiry",
        " (only complaints have events other than Lessons Learnt)"));
  }
  if (event.kind_case() == v1::Event::kRemedy) {
    TELLUS_RETURN_IF_ERROR(rules.Check(CheckRemedy(event.remedy())));
    s.remedy_pence = s.remedy_pence.value_or(0) + event.remedy().pence();
    return absl::OkStatus();
  }
  if (!when) return rules.Fail("has no date");
  if (when->date < s.received.date)
    return rules.Precedes("receipt", s.received);

  switch (event.kind_case()) {
    case v1::Event::kAcknowledged:
      return ApplyAcknowledged(s, event.acknowledged().stage(), *when, rules);
    case v1::Event::kExtensionAgreed:
      return ApplyExtension(s, event.extension_agreed().stage(), *when, rules);
    case v1::Event::kResponded:
      return ApplyResponded(s, event.responded(), *when, rules);
    case v1::Event::kEscalationRequested:
      return ApplyEscalation(s, *when, rules);
    case v1::Event::kWithdrawn:
      return ApplyWithdrawal(s, *when, rules);
    case v1::Event::kLessonLearnt:
      TELLUS_RETURN_IF_ERROR(
          rules.Check(CheckLesson(event.lesson_learnt(), when->date)));
      s.lessons.push_back(*when);
      return absl::OkStatus();
    case v1::Event::kLessonActionDone:
      // Checked against its lesson once the whole history is folded
      // (FoldCase: WithActionsDone), as it names the lesson by position.
      return absl::OkStatus();
    case v1::Event::kOmbudsmanReferral:
      return ApplyReferral(s, event.ombudsman_referral(), *when, rules);
    case v1::Event::kOmbudsmanDecided:
      TELLUS_RETURN_IF_ERROR(rules.Check(
          CheckRecommendations(event.ombudsman_decided(), when->date)));
      return ApplyDecision(s, event.ombudsman_decided(), *when, rules);
    default:
      return rules.Fail("is of no known kind");
  }
}

// A clearer message for an event that sorts before the one it needs: "stage
// 2 acknowledgement on X precedes the escalation request on Y".
absl::Status ExplainOrder(const CaseState& s,
                          const std::vector<const v1::Event*>& ordered,
                          size_t failed_at, absl::Status status) {
  const v1::Event& e = *ordered[failed_at];
  auto find_later = [&](auto pred) -> std::optional<EventTime> {
    for (size_t i = failed_at + 1; i < ordered.size(); ++i) {
      if (pred(*ordered[i]) && ordered[i]->has_when()) {
        auto t = FromProto(ordered[i]->when());
        if (t.ok()) return *t;
      }
    }
    return std::nullopt;
  };
  auto is_kind = [](v1::Event::KindCase k) {
    return [k](const v1::Event& x) { return x.kind_case() == k; };
  };
  auto is_stage1_response = [](const v1::Event& x) {
    return x.kind_case() == v1::Event::kResponded &&
           x.responded().stage() == v1::STAGE_1;
  };
  const bool stage2 =
      (e.has_acknowledged() && e.acknowledged().stage() == v1::STAGE_2) ||
      (e.has_extension_agreed() &&
       e.extension_agreed().stage() == v1::STAGE_2) ||
      (e.has_responded() && e.responded().stage() == v1::STAGE_2);
  std::optional<EventTime> when;
  if (e.has_when()) {
    auto t = FromProto(e.when());
    if (t.ok()) when = *t;
  }
  const Rules rules(s, e, when ? &*when : nullptr);
  if (stage2 && !s.escalation_requested) {
    if (auto later = find_later(is_kind(v1::Event::kEscalationRequested))) {
      return rules.Precedes("escalation request", *later);
    }
  } else if (e.has_escalation_requested() && !s.stage1.responded) {
    if (auto later = find_later(is_stage1_response)) {
      return rules.Precedes("stage 1 response", *later);
    }
  } else if (e.has_ombudsman_decided() && !s.ombudsman_referred) {
    if (auto later = find_later(is_kind(v1::Event::kOmbudsmanReferral))) {
      return rules.Precedes("Ombudsman referral", *later);
    }
  }
  return status;
}

absl::Status ValidateHeader(const v1::Case& c, CaseState& s) {
  if (c.ref().empty()) {
    return absl::InvalidArgumentError("case without a reference");
  }
  const std::string where = absl::StrCat("case ", c.ref(), ": ");
  if (c.type() != v1::CASE_TYPE_COMPLAINT &&
      c.type() != v1::CASE_TYPE_COMPLIMENT &&
      c.type() != v1::CASE_TYPE_ENQUIRY) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, "has no type (expected complaint, compliment or enquiry)"));
  }
  if (c.directorate().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, "has no directorate"));
  }
  if (!c.has_received()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, "has no date of receipt"));
  }
  auto received = FromProto(c.received());
  if (!received.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, "date of receipt: ", received.status().message()));
  }
  if (absl::Status fields = CheckComplimentFields(c); !fields.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(where, fields.message()));
  }
  s.ref = c.ref();
  s.type = c.type();
  s.received = *received;
  return absl::OkStatus();
}

// Sort key of an event: its London date, then the procedure's order. An
// undated event (a remedy) goes last.
std::pair<int64_t, int> OrderKey(const v1::Event& e) {
  int64_t day = INT64_MAX;
  if (e.has_when()) {
    auto t = FromProto(e.when());
    if (t.ok()) day = DayNumber(t->date);
  }
  return {day, SameDayRank(e)};
}

}  // namespace

absl::string_view CaseStatusName(CaseStatus status) {
  switch (status) {
    case CaseStatus::kRecorded:
      return "recorded";
    case CaseStatus::kAwaitingStage1:
      return "awaiting stage 1 response";
    case CaseStatus::kStage1Responded:
      return "responded at stage 1";
    case CaseStatus::kAwaitingStage2:
      return "awaiting stage 2 response";
    case CaseStatus::kStage2Responded:
      return "responded at stage 2";
    case CaseStatus::kWithdrawn:
      return "withdrawn";
  }
  return "unknown";
}

CaseStatus CaseState::status() const {
  if (type != v1::CASE_TYPE_COMPLAINT) return CaseStatus::kRecorded;
  if (withdrawn) return CaseStatus::kWithdrawn;
  if (stage2.responded) return CaseStatus::kStage2Responded;
  if (escalation_requested) return CaseStatus::kAwaitingStage2;
  if (stage1.responded) return CaseStatus::kStage1Responded;
  return CaseStatus::kAwaitingStage1;
}

std::string EventName(const v1::Event& event) {
  switch (event.kind_case()) {
    case v1::Event::kAcknowledged:
      return absl::StrCat(StageName(event.acknowledged().stage()),
                          " acknowledgement");
    case v1::Event::kExtensionAgreed:
      return absl::StrCat(StageName(event.extension_agreed().stage()),
                          " extension");
    case v1::Event::kResponded:
      return absl::StrCat(StageName(event.responded().stage()), " response (",
                          OutcomeName(event.responded().outcome()), ")");
    case v1::Event::kEscalationRequested:
      return "escalation request";
    case v1::Event::kWithdrawn:
      return "withdrawal";
    case v1::Event::kOmbudsmanReferral:
      return absl::StrCat(BodyName(event.ombudsman_referral().body()),
                          " referral");
    case v1::Event::kOmbudsmanDecided:
      return absl::StrCat("Ombudsman decision '",
                          DecisionValue(event.ombudsman_decided().decision()),
                          "'");
    case v1::Event::kLessonLearnt:
      return "Lessons Learnt record";
    case v1::Event::kRemedy:
      return "remedy";
    case v1::Event::kLessonActionDone:
      return absl::StrCat("action ", event.lesson_action_done().action(),
                          " of Lessons Learnt record ",
                          event.lesson_action_done().lesson(), " marked done");
    case v1::Event::KIND_NOT_SET:
      break;
  }
  return "event";
}

absl::StatusOr<CaseState> FoldCase(const v1::Case& c) {
  CaseState s;
  TELLUS_RETURN_IF_ERROR(ValidateHeader(c, s));
  // Each event's key once (its London day is not free to work out), and
  // no allocation for the few events a case has: folding is on the path of
  // every imported row.
  struct Keyed {
    std::pair<int64_t, int> key;
    const v1::Event* event;
  };
  constexpr size_t kFew = 32;
  std::array<Keyed, kFew> few;
  std::vector<Keyed> many;  // only for a case of more than kFew events
  const size_t n = static_cast<size_t>(c.events_size());
  if (n > kFew) many.resize(n);
  const absl::Span<Keyed> keyed =
      n > kFew ? absl::MakeSpan(many) : absl::MakeSpan(few.data(), n);
  for (size_t i = 0; i < n; ++i) {
    const v1::Event& e = c.events(static_cast<int>(i));
    keyed[i] = {OrderKey(e), &e};
  }
  auto before = [](const Keyed& a, const Keyed& b) { return a.key < b.key; };
  if (n <= kFew) {
    // Insertion sort: stable, and quickest for a handful.
    for (size_t i = 1; i < n; ++i) {
      const Keyed x = keyed[i];
      size_t j = i;
      for (; j > 0 && before(x, keyed[j - 1]); --j) keyed[j] = keyed[j - 1];
      keyed[j] = x;
    }
  } else {
    std::stable_sort(keyed.begin(), keyed.end(), before);
  }
  for (size_t i = 0; i < keyed.size(); ++i) {
    absl::Status status = Apply(s, *keyed[i].event);
    if (!status.ok()) {
      std::vector<const v1::Event*> ordered;
      for (const Keyed& k : keyed) ordered.push_back(k.event);
      return ExplainOrder(s, ordered, i, std::move(status));
    }
  }
  if (HasActionsDone(c)) TELLUS_RETURN_IF_ERROR(WithActionsDone(c).status());
  return s;
}

absl::Status ApplyEvent(CaseState& state, const v1::Event& event) {
  return Apply(state, event);
}

CaseState SeenAt(const CaseState& state, absl::Time as_of) {
  CaseState seen = state;
  auto keep = [as_of](std::optional<EventTime>& t) {
    if (t && !t->SeenAt(as_of)) t.reset();
  };
  for (StageState* st : {&seen.stage1, &seen.stage2}) {
    keep(st->acknowledged);
    keep(st->responded);
    if (!st->responded) {
      st->outcome = v1::OUTCOME_UNSPECIFIED;
      keep(st->extended_to);
    }
  }
  keep(seen.escalation_requested);
  keep(seen.withdrawn);
  keep(seen.ombudsman_referred);
  keep(seen.ombudsman_decided);
  if (!seen.ombudsman_referred) {
    seen.ombudsman_body = v1::OMBUDSMAN_BODY_UNSPECIFIED;
  }
  if (!seen.ombudsman_decided) {
    seen.ombudsman_decision = v1::OMBUDSMAN_DECISION_UNSPECIFIED;
  }
  std::erase_if(seen.lessons,
                [as_of](const EventTime& t) { return !t.SeenAt(as_of); });
  return seen;
}

CaseDeadlines Deadlines(const CaseState& s, const Calendar& calendar,
                        const TimescalePolicy& policy) {
  CaseDeadlines d;
  auto date_of = [](const std::optional<EventTime>& t) {
    return t ? std::optional<absl::CivilDay>(t->date) : std::nullopt;
  };
  auto fill = [&](v1::Stage stage, absl::CivilDay start, const StageState& st,
                  absl::CivilDay& ack_due, absl::CivilDay& response_due,
                  std::optional<bool>& ack_on_time,
                  std::optional<bool>& response_on_time) {
    ack_due = AcknowledgementDue(calendar, policy, stage, start);
    response_due =
        ResponseDue(calendar, policy, stage, start, date_of(st.acknowledged));
    if (st.acknowledged) ack_on_time = st.acknowledged->date <= ack_due;
    if (st.responded) {
      response_on_time =
          RespondedOnTime(calendar, policy, stage, response_due,
                          st.responded->date, date_of(st.extended_to));
    }
  };
  fill(v1::STAGE_1, s.received.date, s.stage1, d.stage1_ack_due,
       d.stage1_response_due, d.stage1_ack_on_time, d.stage1_response_on_time);
  if (s.escalation_requested) {
    absl::CivilDay ack_due, response_due;
    fill(v1::STAGE_2, s.escalation_requested->date, s.stage2, ack_due,
         response_due, d.stage2_ack_on_time, d.stage2_response_on_time);
    d.stage2_ack_due = ack_due;
    d.stage2_response_due = response_due;
  }
  return d;
}

}  // namespace tellus
