// The commands on a store: tellus case show|add-event, overdue, retention,
// subject-access and store check|export|audit.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "commands.h"
#include "input.h"
#include "tellus/case.h"
#include "tellus/fields.h"
#include "tellus/proto_io.h"
#include "tellus/status_macros.h"
#include "tellus/store.h"
#include "tellus/timescales.h"

namespace tellus::cli {
namespace {

// --- Shared options ----------------------------------------------------------

struct CalendarOptions {
  std::string region = "england-and-wales";
};

void AddRegionOption(CLI::App& cmd, CalendarOptions& o) {
  cmd.add_option("--region", o.region,
                 "bank holidays: england-and-wales, scotland or "
                 "northern-ireland")
      ->capture_default_str();
}

absl::StatusOr<Calendar> CalendarFor(const CalendarOptions& o) {
  TELLUS_ASSIGN_OR_RETURN(Region region, ParseRegion(o.region));
  return Calendar::ForRegion(region);
}

// A date given on the command line, or today in London.
absl::StatusOr<absl::CivilDay> DayOrToday(const std::string& text) {
  if (text.empty()) return LondonDate(absl::Now());
  return ParseDate(text);
}

std::string Pounds(int64_t pence) {
  return absl::StrFormat("£%d.%02d", pence / 100, pence % 100);
}

std::string WhenText(const v1::When& when) {
  auto t = FromProto(when);
  if (!t.ok()) return "(no valid date)";
  if (!t->at) return FormatDate(t->date);
  return absl::StrCat(FormatDate(t->date), " ",
                      absl::FormatTime("%H:%M", *t->at, London()));
}

std::string Lowercase(absl::string_view enum_name, absl::string_view prefix) {
  absl::ConsumePrefix(&enum_name, prefix);
  return absl::AsciiStrToLower(enum_name);
}

// --- tellus case show --------------------------------------------------------

struct ShowOptions {
  std::string ref;
  std::string store;
  std::string on;
  CalendarOptions calendar;
};

// "due 2023-06-22: on time" or "due 2023-06-22: 7 working days late".
std::string Verdict(const Calendar& cal, absl::CivilDay due,
                    absl::CivilDay day) {
  if (day <= due) return absl::StrCat("due ", FormatDate(due), ": on time");
  const int late = cal.WorkingDaysBetween(due, day);
  return absl::StrCat("due ", FormatDate(due), ": LATE by ", late,
                      " working day", late == 1 ? "" : "s");
}

std::string DescribeEvent(const v1::Event& e, const CaseState& s,
                          const CaseDeadlines& d, const Calendar& cal,
                          const TimescalePolicy& policy) {
  std::string text = EventName(e);
  auto day = [&]() -> std::optional<absl::CivilDay> {
    if (!e.has_when()) return std::nullopt;
    auto t = FromProto(e.when());
    return t.ok() ? std::optional(t->date) : std::nullopt;
  }();
  auto stage_of = [](v1::Stage st) { return st == v1::STAGE_2 ? 2 : 1; };
  switch (e.kind_case()) {
    case v1::Event::kAcknowledged: {
      const bool two = stage_of(e.acknowledged().stage()) == 2;
      const std::optional<absl::CivilDay> due =
          two ? d.stage2_ack_due : std::optional(d.stage1_ack_due);
      if (due && day) absl::StrAppend(&text, "; ", Verdict(cal, *due, *day));
      break;
    }
    case v1::Event::kExtensionAgreed: {
      const v1::Stage stage = e.extension_agreed().stage();
      const std::optional<absl::CivilDay> due =
          stage == v1::STAGE_2 ? d.stage2_response_due
                               : std::optional(d.stage1_response_due);
      if (due && day) {
        const absl::CivilDay allowed =
            ExtendedDue(cal, policy, stage, *due, *day);
        absl::StrAppend(&text, ": the response may now come by ",
                        FormatDate(allowed));
        if (allowed < *day) {
          absl::StrAppend(&text, " (the agreed date is beyond the ",
                          policy.ForStage(stage).max_extension_days,
                          " working days the timescales allow)");
        }
      }
      break;
    }
    case v1::Event::kResponded: {
      const v1::Stage stage = e.responded().stage();
      const StageState& st = stage == v1::STAGE_2 ? s.stage2 : s.stage1;
      const std::optional<absl::CivilDay> due =
          stage == v1::STAGE_2 ? d.stage2_response_due
                               : std::optional(d.stage1_response_due);
      if (due && day) {
        absl::CivilDay limit = *due;
        if (st.extended_to) {
          limit = ExtendedDue(cal, policy, stage, *due, st.extended_to->date);
        }
        absl::StrAppend(&text, "; ", Verdict(cal, limit, *day),
                        st.extended_to ? " (with the agreed extension)" : "");
      }
      const std::optional<absl::CivilDay> ack_due =
          stage == v1::STAGE_2 ? d.stage2_ack_due
                               : std::optional(d.stage1_ack_due);
      if (!st.acknowledged && ack_due) {
        absl::StrAppend(&text, "; never acknowledged (due ",
                        FormatDate(*ack_due), ")");
      }
      break;
    }
    case v1::Event::kOmbudsmanDecided:
      text = absl::StrCat(
          "Ombudsman decision: ",
          absl::StrReplaceAll(Lowercase(v1::OmbudsmanDecision_Name(
                                            e.ombudsman_decided().decision()),
                                        "OMBUDSMAN_DECISION_"),
                              {{"_", " "}}));
      break;
    case v1::Event::kLessonLearnt:
      if (!e.lesson_learnt().theme().empty()) {
        absl::StrAppend(&text, ": ", e.lesson_learnt().theme());
      }
      break;
    case v1::Event::kRemedy:
      absl::StrAppend(&text, " of ", Pounds(e.remedy().pence()));
      break;
    default:
      break;
  }
  return text;
}

// A step still awaited on `on`, and whether it is overdue.
void DescribePending(const CaseState& known, const CaseDeadlines& d,
                     absl::CivilDay on, const Calendar& cal,
                     const TimescalePolicy& policy, std::string& out) {
  if (known.type != v1::CASE_TYPE_COMPLAINT || known.withdrawn) return;
  auto step = [&](absl::string_view what, absl::CivilDay due) {
    absl::StrAppend(&out, "  ", what, " due ", FormatDate(due), ": ");
    if (on > due) {
      const int late = cal.WorkingDaysBetween(due, on);
      absl::StrAppend(&out, "OVERDUE by ", late, " working day",
                      late == 1 ? "" : "s", "\n");
    } else {
      const int left = cal.WorkingDaysBetween(on, due);
      absl::StrAppend(&out, left, " working day", left == 1 ? "" : "s",
                      " left\n");
    }
  };
  auto stage = [&](v1::Stage st, const StageState& state,
                   absl::CivilDay ack_due, absl::CivilDay response_due) {
    if (state.responded) return;
    const std::string name = st == v1::STAGE_2 ? "stage 2" : "stage 1";
    if (!state.acknowledged) step(name + " acknowledgement", ack_due);
    absl::CivilDay due = response_due;
    if (state.extended_to) {
      due = ExtendedDue(cal, policy, st, due, state.extended_to->date);
    }
    step(name + " response", due);
  };
  stage(v1::STAGE_1, known.stage1, d.stage1_ack_due, d.stage1_response_due);
  if (known.escalation_requested && d.stage2_ack_due) {
    stage(v1::STAGE_2, known.stage2, *d.stage2_ack_due, *d.stage2_response_due);
  }
}

absl::Status RunShow(const ShowOptions& o) {
  TELLUS_ASSIGN_OR_RETURN(Calendar cal, CalendarFor(o.calendar));
  TELLUS_ASSIGN_OR_RETURN(absl::CivilDay on, DayOrToday(o.on));
  const TimescalePolicy policy;
  TELLUS_ASSIGN_OR_RETURN(Store store, OpenExistingStore(o.store));
  TELLUS_ASSIGN_OR_RETURN(StoredCase stored, store.GetStoredCase(o.ref));
  const v1::Case& c = stored.record;
  TELLUS_ASSIGN_OR_RETURN(CaseState state, FoldCase(c));
  const CaseState known = SeenAt(state, EndOfLondonDay(on));
  const CaseDeadlines d = Deadlines(state, cal, policy);
  const bool complaint = c.type() == v1::CASE_TYPE_COMPLAINT;

  std::string out = absl::StrCat(
      "Case ", c.ref(), ": ",
      Lowercase(v1::CaseType_Name(c.type()), "CASE_TYPE_"), ", ",
      c.directorate(), c.service().empty() ? "" : " / ", c.service(), "\n");
  absl::StrAppend(&out, "Received:  ", WhenText(c.received()));
  if (c.channel() != v1::CHANNEL_UNSPECIFIED) {
    absl::StrAppend(&out, " by ",
                    Lowercase(v1::Channel_Name(c.channel()), "CHANNEL_"));
  }
  absl::StrAppend(&out, "\n");
  if (!c.customer().empty()) {
    absl::StrAppend(&out, "Customer:  ", c.customer(), "\n");
  }
  if (!c.team().empty() || !c.staff().empty()) {
    absl::StrAppend(&out, "About:     ", c.team(),
                    !c.team().empty() && !c.staff().empty() ? ", " : "",
                    c.staff(), "\n");
  }
  absl::StrAppend(&out, "Status:    ", CaseStatusName(known.status()), " (on ",
                  FormatDate(on), ")\n");
  absl::StrAppend(&out, "Recorded:  ",
                  absl::FormatTime("%Y-%m-%d %H:%M UTC", stored.recorded_at,
                                   absl::UTCTimeZone()),
                  stored.import_id > 0
                      ? absl::StrCat(" by import #", stored.import_id)
                      : std::string(" directly"));
  if (c.has_source() && !c.source().file().empty()) {
    absl::StrAppend(&out, ", from ", c.source().file(), " line ",
                    c.source().line());
  }
  absl::StrAppend(&out, "\n");
  if (stored.anonymised_at) {
    absl::StrAppend(&out, "Anonymised: ",
                    absl::FormatTime("%Y-%m-%d", *stored.anonymised_at,
                                     absl::UTCTimeZone()),
                    " (retention)\n");
  }
  for (const v1::Attribute& a : c.attributes()) {
    if (!a.value().empty()) {
      absl::StrAppend(&out, a.name(), ": ", a.value(), "\n");
    }
  }

  // The history in the order it happened (as the state machine reads it);
  // an undated remedy last.
  std::vector<const StoredEvent*> log;
  for (const StoredEvent& e : stored.log) log.push_back(&e);
  auto key = [](const StoredEvent* e) {
    if (!e->event.has_when()) return INT64_MAX;
    auto t = FromProto(e->event.when());
    return t.ok() ? int64_t{DayNumber(t->date)} : INT64_MAX;
  };
  std::stable_sort(log.begin(), log.end(),
                   [&](const StoredEvent* a, const StoredEvent* b) {
                     return key(a) < key(b);
                   });
  absl::StrAppend(&out, "\nHistory:\n");
  absl::StrAppend(&out, "  ", absl::StrFormat("%-16s", WhenText(c.received())),
                  " received");
  if (complaint) {
    absl::StrAppend(&out, "; acknowledgement due ",
                    FormatDate(d.stage1_ack_due), ", response due ",
                    FormatDate(d.stage1_response_due));
  }
  absl::StrAppend(&out, "\n");
  for (const StoredEvent* e : log) {
    absl::StrAppend(
        &out, "  ",
        absl::StrFormat("%-16s", e->event.has_when() ? WhenText(e->event.when())
                                                     : "(undated)"),
        " ", DescribeEvent(e->event, state, d, cal, policy));
    if (e->event.has_escalation_requested() && d.stage2_ack_due) {
      absl::StrAppend(&out, "; stage 2 acknowledgement due ",
                      FormatDate(*d.stage2_ack_due), ", response due ",
                      FormatDate(*d.stage2_response_due));
    }
    if (e->import_id != stored.import_id || e->import_id == 0) {
      absl::StrAppend(&out, "  [recorded ",
                      absl::FormatTime("%Y-%m-%d %H:%M UTC", e->recorded_at,
                                       absl::UTCTimeZone()),
                      e->import_id > 0
                          ? absl::StrCat(" by import #", e->import_id)
                          : std::string(),
                      "]");
    }
    auto t = e->event.has_when() ? FromProto(e->event.when())
                                 : absl::StatusOr<EventTime>(EventTime());
    if (e->event.has_when() && t.ok() && t->date > on) {
      absl::StrAppend(&out, "  (after ", FormatDate(on), ")");
    }
    absl::StrAppend(&out, "\n");
  }
  if (complaint && !known.withdrawn &&
      (!known.stage1.responded ||
       (known.escalation_requested && !known.stage2.responded))) {
    absl::StrAppend(&out, "\nAwaited on ", FormatDate(on), ":\n");
    DescribePending(known, Deadlines(known, cal, policy), on, cal, policy, out);
  }
  if (!stored.interactions.empty()) {
    absl::StrAppend(&out, "\nInteractions (", stored.interactions.size(),
                    "):\n");
    for (const v1::Interaction& i : stored.interactions) {
      absl::StrAppend(
          &out, "  ", absl::StrFormat("%-16s", WhenText(i.at())), " ", i.id(),
          " ",
          Lowercase(v1::InteractionKind_Name(i.kind()), "INTERACTION_KIND_"),
          i.channel() != v1::CHANNEL_UNSPECIFIED
              ? absl::StrCat(" by ", Lowercase(v1::Channel_Name(i.channel()),
                                               "CHANNEL_"))
              : std::string(),
          "\n");
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return absl::OkStatus();
}

// --- tellus case add-event ---------------------------------------------------

struct AddEventOptions {
  std::string ref;
  std::string store;
  std::string kind;
  std::string date;
  int stage = 0;
  std::string outcome;
  std::string body;
  std::string decision;
  std::string amount;
  std::string theme;
  int lesson = 0;  // action-done: the lesson's number on the case
  int action = 0;  // action-done: the action's number on the lesson
};

absl::Status RunAddEvent(const AddEventOptions& o) {
  v1::Event e;
  if (!o.date.empty()) {
    TELLUS_ASSIGN_OR_RETURN(EventTime when, ParseDateOrDateTime(o.date));
    *e.mutable_when() = ToProto(when);
  } else if (o.kind != "remedy") {
    return absl::InvalidArgumentError(
        absl::StrCat("--date is required for a ", o.kind, " event"));
  }
  auto need_stage = [&]() -> absl::StatusOr<v1::Stage> {
    if (o.stage != 1 && o.stage != 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("give --stage 1 or --stage 2 for a ", o.kind, " event"));
    }
    return o.stage == 2 ? v1::STAGE_2 : v1::STAGE_1;
  };
  if (o.kind == "acknowledged") {
    TELLUS_ASSIGN_OR_RETURN(v1::Stage stage, need_stage());
    e.mutable_acknowledged()->set_stage(stage);
  } else if (o.kind == "extension") {
    TELLUS_ASSIGN_OR_RETURN(v1::Stage stage, need_stage());
    e.mutable_extension_agreed()->set_stage(stage);
  } else if (o.kind == "responded") {
    TELLUS_ASSIGN_OR_RETURN(v1::Stage stage, need_stage());
    if (o.outcome.empty()) {
      return absl::InvalidArgumentError(
          "give --outcome upheld, partly_upheld or not_upheld");
    }
    TELLUS_ASSIGN_OR_RETURN(v1::Outcome outcome, ParseOutcome(o.outcome));
    e.mutable_responded()->set_stage(stage);
    e.mutable_responded()->set_outcome(outcome);
  } else if (o.kind == "escalation") {
    e.mutable_escalation_requested();
  } else if (o.kind == "withdrawn") {
    e.mutable_withdrawn();
  } else if (o.kind == "lesson") {
    e.mutable_lesson_learnt()->set_theme(o.theme);
  } else if (o.kind == "ombudsman-referral") {
    if (o.body.empty())
      return absl::InvalidArgumentError("give --body lgsco or hos");
    TELLUS_ASSIGN_OR_RETURN(v1::OmbudsmanBody body, ParseOmbudsmanBody(o.body));
    e.mutable_ombudsman_referral()->set_body(body);
  } else if (o.kind == "ombudsman-decision") {
    if (o.decision.empty()) {
      return absl::InvalidArgumentError("give --decision, e.g. upheld");
    }
    TELLUS_ASSIGN_OR_RETURN(v1::OmbudsmanDecision decision,
                            ParseOmbudsmanDecision(o.decision));
    e.mutable_ombudsman_decided()->set_decision(decision);
  } else if (o.kind == "remedy") {
    if (o.amount.empty()) {
      return absl::InvalidArgumentError("give --amount, e.g. 150.00");
    }
    TELLUS_ASSIGN_OR_RETURN(int64_t pence, ParseMoneyPence(o.amount));
    e.mutable_remedy()->set_pence(pence);
  } else if (o.kind == "action-done") {
    if (o.lesson < 1 || o.action < 1) {
      return absl::InvalidArgumentError(
          "give --lesson N (the case's N-th Lessons Learnt record) and "
          "--action M (the action's number on it)");
    }
    e.mutable_lesson_action_done()->set_lesson(o.lesson);
    e.mutable_lesson_action_done()->set_action(o.action);
  }
  TELLUS_ASSIGN_OR_RETURN(Store store, OpenExistingStore(o.store));
  TELLUS_RETURN_IF_ERROR(store.AppendEvent(o.ref, e));
  std::fprintf(stderr, "case %s: %s recorded\n", o.ref.c_str(),
               EventName(e).c_str());
  return absl::OkStatus();
}

// --- tellus overdue ----------------------------------------------------------

struct OverdueOptions {
  std::string store;
  std::string on;
  std::string directorate;
  int stage = 0;
  CalendarOptions calendar;
};

absl::Status RunOverdue(const OverdueOptions& o) {
  CaseFilter filter;
  TELLUS_ASSIGN_OR_RETURN(filter.calendar, CalendarFor(o.calendar));
  TELLUS_ASSIGN_OR_RETURN(absl::CivilDay on, DayOrToday(o.on));
  filter.on = on;
  filter.overdue_only = true;
  filter.directorate = o.directorate;
  if (o.stage == 1 || o.stage == 2) {
    filter.overdue_stage = o.stage == 2 ? v1::STAGE_2 : v1::STAGE_1;
  }
  TELLUS_ASSIGN_OR_RETURN(Store store, OpenExistingStore(o.store));
  TELLUS_ASSIGN_OR_RETURN(std::vector<ListedCase> cases,
                          store.ListCases(filter));
  std::string out;
  for (const ListedCase& c : cases) {
    for (const OverdueStep& step : c.overdue) {
      absl::StrAppend(&out, c.record.ref(), "\t", c.record.directorate(), "\t",
                      c.record.service(), "\t",
                      FormatDate(c.state.received.date), "\t",
                      DescribeOverdue(step), "\n");
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fprintf(
      stderr, "%zu case%s with an acknowledgement or response overdue on %s\n",
      cases.size(), cases.size() == 1 ? "" : "s", FormatDate(on).c_str());
  return absl::OkStatus();
}

// --- tellus retention --------------------------------------------------------

struct RetentionOptions {
  std::string store;
  std::string after;
  std::string on;
  bool dry_run = false;
};

// "6y", "18m" or "400d" before `on`.
absl::StatusOr<absl::CivilDay> CutOff(absl::string_view after,
                                      absl::CivilDay on) {
  const std::string text = absl::AsciiStrToLower(after);
  int n = 0;
  if (text.size() < 2 ||
      !absl::SimpleAtoi(absl::string_view(text).substr(0, text.size() - 1),
                        &n) ||
      n < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--anonymise-after '", after,
        "': give a number of years, months or days, e.g. 6y, 18m or 400d"));
  }
  switch (text.back()) {
    case 'y':
      return absl::CivilDay(on.year() - n, on.month(), on.day());
    case 'm':
      return absl::CivilDay(on.year(), on.month() - n, on.day());
    case 'd':
      return on - n;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("--anonymise-after '", after,
                       "': end it with y (years), m (months) or d (days)"));
  }
}

absl::Status RunRetention(const RetentionOptions& o) {
  TELLUS_ASSIGN_OR_RETURN(absl::CivilDay on, DayOrToday(o.on));
  RetentionRequest request;
  TELLUS_ASSIGN_OR_RETURN(request.closed_before, CutOff(o.after, on));
  request.dry_run = o.dry_run;
  TELLUS_ASSIGN_OR_RETURN(Store store, OpenExistingStore(o.store));
  TELLUS_ASSIGN_OR_RETURN(RetentionSummary summary, store.Anonymise(request));
  std::fprintf(stderr,
               "%s%zu cases closed before %s, and %lld interactions, %s "
               "(%lld personal fields)%s\n",
               o.dry_run ? "Dry run: " : "", summary.cases.size(),
               FormatDate(request.closed_before).c_str(),
               static_cast<long long>(summary.interactions),
               o.dry_run ? "would be anonymised" : "anonymised",
               static_cast<long long>(summary.fields_cleared),
               o.dry_run ? "; nothing was changed"
                         : "; each case is in the audit table");
  for (const std::string& ref : summary.cases) {
    std::printf("%s\n", ref.c_str());
  }
  if (!summary.restrictions.empty()) {
    std::fprintf(stderr, "%zu restrictions ended before %s %s\n",
                 summary.restrictions.size(),
                 FormatDate(request.closed_before).c_str(),
                 o.dry_run ? "would be anonymised" : "anonymised");
  }
  for (const std::string& id : summary.restrictions) {
    std::printf("restriction %s\n", id.c_str());
  }
  return absl::OkStatus();
}

// --- tellus subject-access ---------------------------------------------------

struct SubjectAccessOptions {
  std::string store;
  std::string customer;
  std::string out;
};

absl::Status RunSubjectAccess(const SubjectAccessOptions& o) {
  TELLUS_ASSIGN_OR_RETURN(Store store, OpenExistingStore(o.store));
  TELLUS_ASSIGN_OR_RETURN(v1::SubjectAccessExport data,
                          store.SubjectAccess(o.customer));
  TELLUS_ASSIGN_OR_RETURN(std::string json, SubjectAccessJson(data));
  json.push_back('\n');
  if (o.out.empty()) {
    std::fwrite(json.data(), 1, json.size(), stdout);
  } else {
    std::ofstream file(o.out, std::ios::binary);
    file << json;
    file.close();
    if (!file) {
      return absl::PermissionDeniedError(absl::StrCat("cannot write ", o.out));
    }
  }
  std::fprintf(stderr,
               "%d cases, %d interactions and %d restriction versions held "
               "about %s\n",
               data.cases_size(), data.interactions_size(),
               data.restrictions_size(), o.customer.c_str());
  return absl::OkStatus();
}

// --- tellus store check|export|audit -----------------------------------------

absl::Status RunCheck(const std::string& path) {
  TELLUS_ASSIGN_OR_RETURN(Store store, OpenExistingStore(path));
  TELLUS_RETURN_IF_ERROR(store.CheckIntegrity());
  TELLUS_ASSIGN_OR_RETURN(StoreStats stats, store.Stats());
  std::printf(
      "%s: ok (schema version %d): %lld cases, %lld events, %lld "
      "interactions, %lld imports, %lld restrictions, %lld question sets\n",
      path.c_str(), stats.schema_version, static_cast<long long>(stats.cases),
      static_cast<long long>(stats.events),
      static_cast<long long>(stats.interactions),
      static_cast<long long>(stats.imports),
      static_cast<long long>(stats.restrictions),
      static_cast<long long>(stats.question_sets));
  return absl::OkStatus();
}

struct ExportOptions {
  std::string store;
  std::string out;
  std::string format = "binary";
};

absl::Status RunExport(const ExportOptions& o) {
  TELLUS_ASSIGN_OR_RETURN(Store store, OpenExistingStore(o.store));
  ProtoStreamSinkOptions options;
  options.format =
      o.format == "jsonl" ? StreamFormat::kJsonLines : StreamFormat::kDelimited;
  TELLUS_RETURN_IF_ERROR(store.ExportTo(o.out, options));
  TELLUS_ASSIGN_OR_RETURN(StoreStats stats, store.Stats());
  std::fprintf(stderr, "Wrote %lld cases and %lld interactions to %s\n",
               static_cast<long long>(stats.cases),
               static_cast<long long>(stats.interactions), o.out.c_str());
  return absl::OkStatus();
}

absl::Status RunAudit(const std::string& path) {
  TELLUS_ASSIGN_OR_RETURN(Store store, OpenExistingStore(path));
  TELLUS_ASSIGN_OR_RETURN(std::vector<AuditEntry> entries, store.AuditLog());
  for (const AuditEntry& e : entries) {
    std::printf("%s\t%s\t%s\t%s\n",
                absl::FormatTime("%Y-%m-%d %H:%M:%S", e.at, absl::UTCTimeZone())
                    .c_str(),
                e.action.c_str(), e.case_ref.c_str(), e.detail.c_str());
  }
  return absl::OkStatus();
}

}  // namespace

void AddStoreCommands(CLI::App& app) {
  // tellus case show | add-event
  CLI::App* case_cmd =
      app.add_subcommand("case", "One case of a store: show it, add an event");
  case_cmd->require_subcommand(1);

  auto show = std::make_shared<ShowOptions>();
  CLI::App* show_cmd = case_cmd->add_subcommand(
      "show", "A case's whole history, with its due dates and what was late");
  show_cmd->add_option("REF", show->ref, "the case reference")->required();
  show_cmd->add_option("--store", show->store, "the store")->required();
  show_cmd->add_option("--on", show->on,
                       "judge what is awaited on this day (YYYY-MM-DD); "
                       "default: today");
  AddRegionOption(*show_cmd, show->calendar);
  show_cmd->callback([show] {
    absl::Status status = RunShow(*show);
    if (!status.ok()) Fail("case show", status);
  });

  auto add = std::make_shared<AddEventOptions>();
  CLI::App* add_cmd = case_cmd->add_subcommand(
      "add-event",
      "Append an event to a case, checked by the complaints procedure's "
      "rules");
  add_cmd->add_option("REF", add->ref, "the case reference")->required();
  add_cmd->add_option("--store", add->store, "the store")->required();
  add_cmd->add_option("--kind", add->kind, "what happened")
      ->required()
      ->check(
          CLI::IsMember({"acknowledged", "extension", "responded", "escalation",
                         "withdrawn", "lesson", "ombudsman-referral",
                         "ombudsman-decision", "remedy", "action-done"}));
  add_cmd->add_option("--date", add->date,
                      "when: YYYY-MM-DD, or a date-time (London time "
                      "unless it has an offset); for an extension, the "
                      "agreed date");
  add_cmd->add_option("--stage", add->stage, "1 or 2")->check(CLI::Range(1, 2));
  add_cmd->add_option("--outcome", add->outcome,
                      "responded: upheld, partly_upheld or not_upheld");
  add_cmd->add_option("--body", add->body, "ombudsman-referral: lgsco or hos");
  add_cmd->add_option("--decision", add->decision,
                      "ombudsman-decision: e.g. upheld, not_upheld, "
                      "maladministration");
  add_cmd->add_option("--amount", add->amount, "remedy: pounds, e.g. 150.00");
  add_cmd->add_option("--theme", add->theme, "lesson: its theme (free text)");
  add_cmd
      ->add_option("--lesson", add->lesson,
                   "action-done: which Lessons Learnt record of the case "
                   "(1 for its first)")
      ->check(CLI::PositiveNumber);
  add_cmd
      ->add_option("--action", add->action,
                   "action-done: the action's number on that lesson")
      ->check(CLI::PositiveNumber);
  add_cmd->callback([add] {
    absl::Status status = RunAddEvent(*add);
    if (!status.ok()) Fail("case add-event", status);
  });

  // tellus overdue
  auto overdue = std::make_shared<OverdueOptions>();
  CLI::App* overdue_cmd = app.add_subcommand(
      "overdue",
      "Complaints whose acknowledgement or response is overdue on a day: "
      "REF, directorate, service, received, what is overdue (tab-separated)");
  overdue_cmd->add_option("--store", overdue->store, "the store")->required();
  overdue_cmd->add_option("--on", overdue->on,
                          "the day (YYYY-MM-DD); default: today");
  overdue_cmd->add_option("--directorate", overdue->directorate,
                          "only this directorate");
  overdue_cmd->add_option("--stage", overdue->stage, "only stage 1 or 2")
      ->check(CLI::Range(1, 2));
  AddRegionOption(*overdue_cmd, overdue->calendar);
  overdue_cmd->callback([overdue] {
    absl::Status status = RunOverdue(*overdue);
    if (!status.ok()) Fail("overdue", status);
  });

  // tellus retention
  auto retention = std::make_shared<RetentionOptions>();
  CLI::App* retention_cmd = app.add_subcommand(
      "retention",
      "Anonymise cases closed longer ago than a retention period: customer, "
      "staff and free text go; every report figure stays");
  retention_cmd->add_option("--store", retention->store, "the store")
      ->required();
  retention_cmd
      ->add_option("--anonymise-after", retention->after,
                   "the retention period after closure: 6y, 18m, 400d")
      ->required();
  retention_cmd->add_option("--on", retention->on,
                            "count the period back from this day; default: "
                            "today");
  retention_cmd->add_flag("--dry-run", retention->dry_run,
                          "list what would be anonymised; change nothing");
  retention_cmd->callback([retention] {
    absl::Status status = RunRetention(*retention);
    if (!status.ok()) Fail("retention", status);
  });

  // tellus subject-access
  auto sar = std::make_shared<SubjectAccessOptions>();
  CLI::App* sar_cmd = app.add_subcommand(
      "subject-access", "Everything a store holds about one customer, as JSON");
  sar_cmd->add_option("--store", sar->store, "the store")->required();
  sar_cmd->add_option("--customer", sar->customer, "the customer's identifier")
      ->required();
  sar_cmd->add_option("--out", sar->out, "write to this file; default: stdout");
  sar_cmd->callback([sar] {
    absl::Status status = RunSubjectAccess(*sar);
    if (!status.ok()) Fail("subject-access", status);
  });

  // tellus store check | export | audit
  CLI::App* store_cmd = app.add_subcommand(
      "store", "Look after a store: check it, export it, read its audit table");
  store_cmd->require_subcommand(1);
  auto check_path = std::make_shared<std::string>();
  CLI::App* check_cmd = store_cmd->add_subcommand(
      "check", "Check the store's integrity (SQLite's integrity check)");
  check_cmd->add_option("--store", *check_path, "the store")->required();
  check_cmd->callback([check_path] {
    absl::Status status = RunCheck(*check_path);
    if (!status.ok()) Fail("store check", status);
  });
  auto export_options = std::make_shared<ExportOptions>();
  CLI::App* export_cmd = store_cmd->add_subcommand(
      "export",
      "Write everything to a data directory (protobuf streams), as `tellus "
      "import --out` does");
  export_cmd->add_option("--store", export_options->store, "the store")
      ->required();
  export_cmd->add_option("--out", export_options->out, "the folder")
      ->required();
  export_cmd
      ->add_option("--format", export_options->format,
                   "binary (length-delimited) or jsonl (proto3 JSON Lines)")
      ->check(CLI::IsMember({"binary", "jsonl"}))
      ->capture_default_str();
  export_cmd->callback([export_options] {
    absl::Status status = RunExport(*export_options);
    if (!status.ok()) Fail("store export", status);
  });
  auto audit_path = std::make_shared<std::string>();
  CLI::App* audit_cmd = store_cmd->add_subcommand(
      "audit", "The audit table: imports, retention, subject access");
  audit_cmd->add_option("--store", *audit_path, "the store")->required();
  audit_cmd->callback([audit_path] {
    absl::Status status = RunAudit(*audit_path);
    if (!status.ok()) Fail("store audit", status);
  });
}

}  // namespace tellus::cli
