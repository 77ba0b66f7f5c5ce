#include "tellus/learning_lists.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "tellus/case.h"
#include "tellus/dates.h"
#include "tellus/learning_rules.h"
#include "tellus/lesson_actions.h"
#include "tellus/restriction.h"
#include "tellus/status_macros.h"

namespace tellus {
namespace {

absl::Status CheckFormat(absl::string_view format) {
  if (format == "text" || format == "markdown") return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown format \"", format, "\": expected text or markdown"));
}

// Counts UTF-8 code points, so "—" and "£" line up.
size_t Width(absl::string_view s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

// A plain table: aligned columns in text, pipes in Markdown.
std::string Table(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows,
                  bool markdown) {
  if (markdown) {
    auto escape = [](absl::string_view s) {
      return absl::StrReplaceAll(s, {{"|", "\\|"}, {"\n", " "}});
    };
    std::string out = absl::StrCat("| ", absl::StrJoin(header, " | "), " |\n|");
    for (size_t i = 0; i < header.size(); ++i) out += " --- |";
    out += "\n";
    for (const auto& row : rows) {
      std::vector<std::string> cells;
      for (const std::string& c : row) cells.push_back(escape(c));
      absl::StrAppend(&out, "| ", absl::StrJoin(cells, " | "), " |\n");
    }
    return out;
  }
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) width[i] = Width(header[i]);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      width[i] = std::max(width[i], Width(row[i]));
    }
  }
  auto line = [&](const std::vector<std::string>& row) {
    std::string out = "  ";
    for (size_t i = 0; i < row.size(); ++i) {
      absl::StrAppend(&out, i == 0 ? "" : "  ", row[i],
                      std::string(width[i] - Width(row[i]), ' '));
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header);
  size_t total = 0;
  for (size_t w : width) total += w;
  out += "  " + std::string(total + 2 * (width.size() - 1), '-') + "\n";
  for (const auto& row : rows) out += line(row);
  return out;
}

std::string Heading(absl::string_view text, int level, bool markdown) {
  if (markdown) {
    return absl::StrCat(std::string(level, '#'), " ", text, "\n\n");
  }
  return absl::StrCat(text, "\n",
                      std::string(Width(text), level == 1 ? '=' : '-'), "\n\n");
}

std::string MonthLabel(absl::CivilMonth m) {
  static constexpr absl::string_view kNames[] = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  return absl::StrCat(kNames[m.month() - 1], " ", m.year());
}

std::string EnumWords(absl::string_view name, absl::string_view prefix) {
  std::string s(name.substr(std::min(prefix.size(), name.size())));
  absl::AsciiStrToLower(&s);
  return absl::StrReplaceAll(s, {{"_", " "}});
}

std::string BodyWords(v1::OmbudsmanBody body) {
  return body == v1::OMBUDSMAN_BODY_HOS ? "Housing Ombudsman" : "LGSCO";
}

std::string DecisionWords(v1::OmbudsmanDecision d) {
  return EnumWords(v1::OmbudsmanDecision_Name(d), "OMBUDSMAN_DECISION_");
}

std::string CaseTypeWord(v1::CaseType type) {
  return EnumWords(v1::CaseType_Name(type), "CASE_TYPE_");
}

std::string Ratio(int64_t n, int64_t d) {
  if (d == 0) return "none issued";
  std::string pct = absl::StrFormat(
      "%.1f", 100.0 * static_cast<double>(n) / static_cast<double>(d));
  if (absl::EndsWith(pct, ".0")) pct.resize(pct.size() - 2);
  return absl::StrCat(n, " of ", d, " (", pct, "%)");
}

ComplimentEntry EntryOf(const v1::Case& c, absl::CivilDay received) {
  ComplimentEntry e;
  e.ref = c.ref();
  e.received = received;
  e.directorate = c.directorate();
  e.service = c.service();
  e.team = c.team();
  e.staff = c.staff();
  e.route = c.compliment_route();
  e.values.assign(c.council_values().begin(), c.council_values().end());
  for (const v1::Attribute& a : c.attributes()) {
    if (!a.value().empty()) e.attributes.emplace_back(a.name(), a.value());
  }
  return e;
}

std::vector<std::string> ComplimentRow(const ComplimentEntry& e) {
  std::vector<std::string> text;
  for (const auto& [name, value] : e.attributes) {
    text.push_back(absl::StrCat(name, ": ", value));
  }
  return {FormatDate(e.received),
          e.ref,
          e.service.empty() ? e.directorate
                            : absl::StrCat(e.directorate, " / ", e.service),
          absl::StrCat(e.team, e.team.empty() || e.staff.empty() ? "" : ", ",
                       e.staff),
          ComplimentRouteWords(e.route),
          absl::StrJoin(e.values, ", "),
          absl::StrJoin(text, "; ")};
}

const std::vector<std::string>& ComplimentHeader() {
  static const auto* const h = new std::vector<std::string>{
      "Date",   "Case", "Directorate / service", "About", "Route",
      "Values", "Text"};
  return *h;
}

std::vector<std::string> ActionRow(const DigestAction& a, bool with_state,
                                   absl::CivilDay today) {
  std::vector<std::string> row = {absl::StrCat(a.case_ref, " #", a.number),
                                  a.description, a.owner, FormatDate(a.target)};
  if (with_state) {
    row.push_back(a.done ? absl::StrCat("done ", FormatDate(*a.done))
                  : a.target < today
                      ? absl::StrCat("overdue by ", today - a.target, " days")
                      : "open");
  }
  return row;
}

}  // namespace

// --- Compliments -------------------------------------------------------------

absl::StatusOr<std::vector<ComplimentEntry>> ListCompliments(
    absl::Span<const v1::Case> cases, const ComplimentQuery& query) {
  if (query.staff.empty() && query.team.empty()) {
    return absl::InvalidArgumentError(
        "say whose compliments to list: a staff id or a team");
  }
  std::vector<ComplimentEntry> out;
  for (const v1::Case& c : cases) {
    if (c.type() != v1::CASE_TYPE_COMPLIMENT) continue;
    if (!query.staff.empty() && c.staff() != query.staff) continue;
    if (!query.team.empty() && c.team() != query.team) continue;
    auto received = FromProto(c.received());
    if (!received.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("case ", c.ref(),
                       ": date of receipt: ", received.status().message()));
    }
    if (!query.period.Contains(received->date)) continue;
    out.push_back(EntryOf(c, received->date));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.received, a.ref) < std::tie(b.received, b.ref);
  });
  return out;
}

absl::StatusOr<std::string> RenderCompliments(
    absl::Span<const ComplimentEntry> entries, const ComplimentQuery& query,
    absl::string_view format) {
  TELLUS_RETURN_IF_ERROR(CheckFormat(format));
  const bool md = format == "markdown";
  std::string who;
  if (!query.staff.empty()) who = absl::StrCat("staff member ", query.staff);
  if (!query.team.empty()) {
    absl::StrAppend(&who, who.empty() ? "" : " in ", "team ", query.team);
  }
  std::string out = Heading(
      absl::StrCat("Compliments about ", who, ", ", query.period.Label()), 1,
      md);
  absl::StrAppend(&out, entries.size(),
                  entries.size() == 1 ? " compliment" : " compliments",
                  " received from ", FormatDate(query.period.start), " to ",
                  FormatDate(query.period.end), ".\n\n");
  if (entries.empty()) return out;
  std::vector<std::vector<std::string>> rows;
  std::map<std::string, int64_t> values;
  for (const ComplimentEntry& e : entries) {
    rows.push_back(ComplimentRow(e));
    for (const std::string& v : e.values) ++values[v];
  }
  absl::StrAppend(&out, Table(ComplimentHeader(), rows, md));
  if (!values.empty()) {
    std::vector<std::string> shown;
    for (const auto& [v, n] : values) shown.push_back(absl::StrCat(v, " ", n));
    absl::StrAppend(
        &out, "\nCouncil values shown: ", absl::StrJoin(shown, ", "), ".\n");
  }
  return out;
}

// --- Digest ------------------------------------------------------------------

absl::StatusOr<Digest> BuildDigest(absl::Span<const v1::Case> cases,
                                   const DigestRequest& request) {
  const absl::CivilDay first(request.month);
  const absl::CivilDay last = absl::CivilDay(request.month + 1) - 1;
  if (request.as_of < StartOfLondonDay(first)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the digest for ", MonthLabel(request.month),
        " needs an as-of time in or after that month, not ",
        absl::FormatTime("%Y-%m-%d %H:%M", request.as_of, London())));
  }
  const absl::CivilDay today = LondonDate(request.as_of);
  auto in_month = [&](absl::CivilDay d) { return first <= d && d <= last; };
  const std::string& name = request.directorate;

  Digest d;
  d.directorate = name;
  d.month = request.month;
  d.as_of = request.as_of;
  std::set<std::string> directorates;
  bool named = false;
  std::map<std::string, int64_t> themes;
  for (const v1::Case& given : cases) {
    TELLUS_ASSIGN_OR_RETURN(CaseState folded, FoldCase(given));
    if (!folded.received.SeenAt(request.as_of)) continue;
    // Actions marked done by later events read as done from that date.
    const bool marked = HasActionsDone(given);
    v1::Case with_done;
    if (marked) {
      TELLUS_ASSIGN_OR_RETURN(with_done, WithActionsDone(given));
    }
    const v1::Case& c = marked ? with_done : given;
    const CaseState s = SeenAt(folded, request.as_of);
    directorates.insert(c.directorate());
    const bool ours = c.directorate() == name;
    named = named || ours;

    // Lessons belong to their own directorate (default: the case's).
    int lesson_number = 0;
    for (const v1::Event& e : c.events()) {
      if (!e.has_lesson_learnt()) continue;
      ++lesson_number;
      const v1::LessonLearnt& l = e.lesson_learnt();
      const std::string& owner_directorate =
          l.directorate().empty() ? c.directorate() : l.directorate();
      directorates.insert(owner_directorate);
      if (owner_directorate != name) continue;
      named = true;
      const EventTime when = *FromProto(e.when());
      if (!when.SeenAt(request.as_of)) continue;
      DigestLesson lesson;
      lesson.case_ref = c.ref();
      lesson.type = c.type();
      lesson.recorded = when.date;
      lesson.theme = l.theme();
      for (int i = 0; i < l.actions_size(); ++i) {
        const v1::LessonAction& a = l.actions(i);
        DigestAction action;
        action.case_ref = c.ref();
        action.number = i + 1;
        action.description = a.description();
        action.owner = a.owner();
        action.target = FromProto(a.target());
        if (a.has_done() && FromProto(a.done()) <= today) {
          action.done = FromProto(a.done());
        }
        if (action.target < today && !action.done) {
          d.overdue_actions.push_back(action);
        }
        lesson.actions.push_back(std::move(action));
      }
      if (in_month(lesson.recorded)) {
        ++themes[lesson.theme];
        d.lessons.push_back(std::move(lesson));
      }
    }
    if (!ours) continue;

    if (c.type() == v1::CASE_TYPE_COMPLIMENT) {
      if (in_month(s.received.date)) {
        d.compliments.push_back(EntryOf(c, s.received.date));
      }
      continue;
    }
    if (c.type() != v1::CASE_TYPE_COMPLAINT) continue;
    if (in_month(s.received.date)) ++d.complaints_received;
    const CaseDeadlines due = Deadlines(s, request.calendar, request.policy);
    if (s.stage1.responded && in_month(s.stage1.responded->date)) {
      ++d.stage1_responses;
      if (due.stage1_response_on_time.value_or(false)) ++d.stage1_on_time;
    }
    if (s.stage2.responded && in_month(s.stage2.responded->date)) {
      ++d.stage2_responses;
      if (due.stage2_response_on_time.value_or(false)) ++d.stage2_on_time;
    }
    if (s.ombudsman_decided && in_month(s.ombudsman_decided->date)) {
      DigestDecision decision;
      decision.case_ref = c.ref();
      decision.body = s.ombudsman_body;
      decision.decision = s.ombudsman_decision;
      decision.decided = s.ombudsman_decided->date;
      for (const v1::Event& e : c.events()) {
        if (!e.has_ombudsman_decided()) continue;
        for (v1::OmbudsmanRecommendation r :
             e.ombudsman_decided().recommendations()) {
          // A compliance date after the as-of time is not known yet.
          if (r.has_complied() && FromProto(r.complied()) > today) {
            r.clear_complied();
          }
          decision.recommendations.push_back(std::move(r));
        }
      }
      d.ombudsman_decisions.push_back(std::move(decision));
    }
  }
  if (!named) {
    directorates.erase("");
    return absl::NotFoundError(absl::StrCat(
        "no case or lesson names the directorate \"", name,
        "\"; the data names: ", absl::StrJoin(directorates, ", ")));
  }
  auto by_date = [](const auto& a, const auto& b) {
    return std::tie(a.recorded, a.case_ref) < std::tie(b.recorded, b.case_ref);
  };
  std::stable_sort(d.lessons.begin(), d.lessons.end(), by_date);
  std::stable_sort(d.overdue_actions.begin(), d.overdue_actions.end(),
                   [](const DigestAction& a, const DigestAction& b) {
                     return std::tie(a.target, a.case_ref, a.number) <
                            std::tie(b.target, b.case_ref, b.number);
                   });
  std::stable_sort(d.compliments.begin(), d.compliments.end(),
                   [](const auto& a, const auto& b) {
                     return std::tie(a.received, a.ref) <
                            std::tie(b.received, b.ref);
                   });
  std::stable_sort(d.ombudsman_decisions.begin(), d.ombudsman_decisions.end(),
                   [](const auto& a, const auto& b) {
                     return std::tie(a.decided, a.case_ref) <
                            std::tie(b.decided, b.case_ref);
                   });
  d.themes.assign(themes.begin(), themes.end());
  std::stable_sort(
      d.themes.begin(), d.themes.end(),
      [](const auto& a, const auto& b) { return a.second > b.second; });
  return d;
}

absl::StatusOr<std::string> RenderDigest(const Digest& d,
                                         absl::string_view format) {
  TELLUS_RETURN_IF_ERROR(CheckFormat(format));
  const bool md = format == "markdown";
  const absl::CivilDay today = LondonDate(d.as_of);
  auto item = [&](absl::string_view text) {
    return absl::StrCat(md ? "- " : "  ", text, "\n");
  };
  std::string out =
      Heading(absl::StrCat(d.directorate, ": customer feedback digest, ",
                           MonthLabel(d.month)),
              1, md);
  absl::StrAppend(&out, "For the Directorate Management Team. Records as of ",
                  absl::FormatTime("%Y-%m-%d %H:%M %Z", d.as_of, London()),
                  ".\n\n");

  absl::StrAppend(&out, Heading("Complaints", 2, md));
  absl::StrAppend(
      &out, item(absl::StrCat("Received: ", d.complaints_received)),
      item(absl::StrCat("Stage 1 responses on time: ",
                        Ratio(d.stage1_on_time, d.stage1_responses))),
      item(absl::StrCat("Stage 2 responses on time: ",
                        Ratio(d.stage2_on_time, d.stage2_responses))),
      "\n");

  absl::StrAppend(&out, Heading("Lessons Learnt recorded", 2, md));
  if (d.lessons.empty()) {
    absl::StrAppend(&out, "None this month.\n\n");
  } else {
    std::vector<std::string> themes;
    for (const auto& [theme, n] : d.themes) {
      themes.push_back(
          absl::StrCat(theme.empty() ? "(no theme)" : theme, " ", n));
    }
    absl::StrAppend(&out, "Themes: ", absl::StrJoin(themes, ", "), ".\n\n");
    for (const DigestLesson& l : d.lessons) {
      absl::StrAppend(
          &out, item(absl::StrCat(FormatDate(l.recorded), " ", l.case_ref, " (",
                                  CaseTypeWord(l.type), "): ",
                                  l.theme.empty() ? "(no theme)" : l.theme)));
      for (const DigestAction& a : l.actions) {
        const std::vector<std::string> row = ActionRow(a, true, today);
        absl::StrAppend(&out, md ? "  - " : "      ", "action ", a.number, ": ",
                        a.description, " \u2014 ", a.owner, ", by ",
                        FormatDate(a.target), " (", row[4], ")\n");
      }
    }
    absl::StrAppend(&out, "\n");
  }

  absl::StrAppend(&out, Heading("Actions overdue", 2, md));
  if (d.overdue_actions.empty()) {
    absl::StrAppend(&out, "None.\n\n");
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const DigestAction& a : d.overdue_actions) {
      rows.push_back(ActionRow(a, true, today));
    }
    absl::StrAppend(
        &out,
        Table({"Action", "Description", "Owner", "Target", "State"}, rows, md),
        "\n");
  }

  absl::StrAppend(&out, Heading("Compliments", 2, md));
  if (d.compliments.empty()) {
    absl::StrAppend(&out, "None this month.\n\n");
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const ComplimentEntry& e : d.compliments) {
      rows.push_back(ComplimentRow(e));
    }
    absl::StrAppend(&out, Table(ComplimentHeader(), rows, md), "\n");
  }

  absl::StrAppend(&out, Heading("Ombudsman decisions", 2, md));
  if (d.ombudsman_decisions.empty()) {
    absl::StrAppend(&out, "None this month.\n");
  } else {
    for (const DigestDecision& dec : d.ombudsman_decisions) {
      absl::StrAppend(
          &out, item(absl::StrCat(FormatDate(dec.decided), " ", dec.case_ref,
                                  ": ", BodyWords(dec.body), ", ",
                                  DecisionWords(dec.decision))));
      for (const v1::OmbudsmanRecommendation& r : dec.recommendations) {
        const absl::CivilDay due = FromProto(r.due());
        std::string state =
            r.has_complied()
                ? absl::StrCat(
                      "complied ", FormatDate(FromProto(r.complied())),
                      FromProto(r.complied()) <= due ? ", on time" : ", late")
            : due < today ? "overdue"
                          : "open";
        absl::StrAppend(&out, md ? "  - " : "      ", r.description(), ", due ",
                        FormatDate(due), " (", state, ")\n");
      }
    }
  }
  return out;
}

// --- Restrictions ------------------------------------------------------------

std::vector<RestrictionStatus> RestrictionsInForce(
    absl::Span<const v1::Restriction> restrictions, absl::CivilDay day) {
  std::vector<RestrictionStatus> out;
  for (const v1::Restriction& r : restrictions) {
    if (!InForceOn(r, day)) continue;
    out.push_back({&r, ReviewDueOn(r, day), ReviewOverdueOn(r, day)});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const RestrictionStatus& a, const RestrictionStatus& b) {
                     if (a.review_overdue != b.review_overdue) {
                       return a.review_overdue;
                     }
                     if (a.review_overdue && a.review_due != b.review_due) {
                       return a.review_due < b.review_due;
                     }
                     return a.restriction->id() < b.restriction->id();
                   });
  return out;
}

absl::StatusOr<std::string> RenderRestrictions(
    absl::Span<const RestrictionStatus> statuses, absl::CivilDay day,
    absl::string_view format) {
  TELLUS_RETURN_IF_ERROR(CheckFormat(format));
  const bool md = format == "markdown";
  int64_t overdue = 0;
  for (const RestrictionStatus& s : statuses) overdue += s.review_overdue;
  std::string out = Heading(
      absl::StrCat("Contact restrictions in force on ", FormatDate(day)), 1,
      md);
  absl::StrAppend(
      &out, statuses.size(),
      statuses.size() == 1 ? " restriction" : " restrictions", " in force; ",
      overdue, overdue == 1 ? " review overdue" : " reviews overdue", ".\n\n");
  if (statuses.empty()) return out;
  std::vector<std::vector<std::string>> rows;
  for (const RestrictionStatus& s : statuses) {
    const v1::Restriction& r = *s.restriction;
    rows.push_back({r.id(), r.customer(), RestrictionTypeWords(r.type()),
                    RestrictionScopeWords(r), FormatDate(FromProto(r.start())),
                    r.has_end() ? FormatDate(FromProto(r.end())) : "open-ended",
                    FormatDate(s.review_due),
                    s.review_overdue ? absl::StrCat("overdue by ",
                                                    day - s.review_due, " days")
                                     : "not yet due",
                    r.authorised_by(),
                    r.has_notice_sent() ? FormatDate(FromProto(r.notice_sent()))
                                        : "not sent"});
  }
  absl::StrAppend(
      &out, Table({"Id", "Customer", "Type", "Scope", "Start", "End",
                   "Review due", "Review", "Authorised by", "Notice sent"},
                  rows, md));
  return out;
}

}  // namespace tellus
