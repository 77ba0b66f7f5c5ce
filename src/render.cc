#include "tellus/render.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/util/json_util.h"
#include "render_internal.h"
#include "tellus/render_html.h"
#include "tellus/report.h"
#include "tellus/timescales.h"

namespace tellus {
namespace render_internal {
namespace {

// What a figure is, for headline sentences and table rows.
struct Wording {
  absl::string_view key;
  absl::string_view label;  // table row label
  absl::string_view noun;   // "complaints were received" style, for counts
  absl::string_view singular = "";  // "complaint was received", for 1
};

const std::vector<Wording>& Wordings() {
  static const auto* const w = new std::vector<Wording>{
      {"interactions", "Customer interactions",
       "customer interactions were recorded",
       "customer interaction was recorded"},
      {"enquiries", "Enquiries", "enquiries were received",
       "enquiry was received"},
      {"compliments", "Compliments", "compliments were received",
       "compliment was received"},
      {"complaints_received", "Complaints received", "complaints were received",
       "complaint was received"},
      {"stage1_received", "Stage 1 complaints",
       "stage 1 complaints were received", "stage 1 complaint was received"},
      {"stage2_received", "Stage 2 escalations",
       "complaints were escalated to stage 2",
       "complaint was escalated to stage 2"},
      {"ombudsman_enquiries", "Ombudsman enquiries",
       "Ombudsman enquiries were received", "Ombudsman enquiry was received"},
      {"ombudsman_enquiries_lgsco", "  from the LGSCO",
       "LGSCO enquiries were received", "LGSCO enquiry was received"},
      {"ombudsman_enquiries_hos", "  from the Housing Ombudsman",
       "Housing Ombudsman enquiries were received",
       "Housing Ombudsman enquiry was received"},
      {"stage1_responses", "Stage 1 responses", "stage 1 responses were issued",
       "stage 1 response was issued"},
      {"stage2_responses", "Stage 2 responses", "stage 2 responses were issued",
       "stage 2 response was issued"},
      {"follow_up_contacts", "Follow-up contacts",
       "follow-up contacts were made", "follow-up contact was made"},
      {"enquiries_share", "Enquiries as a share of interactions", ""},
      {"upheld_rate", "Complaints upheld (in full or in part)", ""},
      {"escalation_rate", "Escalation rate to stage 2", ""},
      {"escalation_rate_cohort", "Complaints of the year escalated", ""},
      {"lessons_learnt_rate", "Complaints with Lessons Learnt", ""},
      {"stage1_on_time", "Stage 1 responses on time", ""},
      {"stage2_on_time", "Stage 2 responses on time", ""},
      {"stage1_ack_on_time", "Stage 1 acknowledgements on time", ""},
      {"ch01_stage1_per_1000_homes", "CH01 stage 1 complaints per 1,000 homes",
       ""},
      {"ch01_stage2_per_1000_homes", "CH01 stage 2 complaints per 1,000 homes",
       ""},
      {"follow_up_chasing", "Follow-ups chasing a response",
       "follow-up contacts chased a response",
       "follow-up contact chased a response"},
      {"follow_up_after_response", "Follow-ups within 28 days of a response",
       "follow-up contacts came after a response",
       "follow-up contact came after a response"},
      {"follow_ups_per_complaint", "Follow-up contacts per complaint", ""},
      {"lessons_actions_overdue", "Lessons Learnt actions overdue",
       "Lessons Learnt actions were overdue",
       "Lessons Learnt action was overdue"},
      {"remedy_pence", "Financial redress", ""},
      {"ombudsman_upheld_rate", "LGSCO investigations upheld", ""},
      {"ombudsman_satisfactory_remedy_rate",
       "LGSCO upheld with a satisfactory remedy already in place", ""},
      {"restrictions_active", "Contact restrictions in force",
       "contact restrictions were in force",
       "contact restriction was in force"},
      {"restriction_reviews_overdue", "Restriction reviews overdue",
       "restriction reviews were overdue", "restriction review was overdue"},
      {"ombudsman_recommendations_complied",
       "Ombudsman recommendations complied with on time", ""},
      {"ombudsman_recommendations_overdue", "Ombudsman recommendations overdue",
       "Ombudsman recommendations were overdue",
       "Ombudsman recommendation was overdue"},
      {"lessons_recorded", "Lessons Learnt records",
       "Lessons Learnt records were made", "Lessons Learnt record was made"},
      {"remedies_apology", "Remedies: an apology", ""},
      {"remedies_action", "Remedies: action to put things right", ""},
      {"remedies_policy_change", "Remedies: a policy or procedure changed", ""},
      {"remedies_other", "Remedies: other non-financial", ""},
      {"compliments_route_contact_centre",
       "Compliments through the contact centre", ""},
      {"compliments_route_direct_to_service",
       "Compliments sent direct to the service", ""},
      {"compliments_route_councillor", "Compliments through a councillor", ""},
      {"compliments_route_mp", "Compliments through an MP", ""},
      {"compliments_route_chief_executive",
       "Compliments to the chief executive", ""},
      {"compliments_route_social_media", "Compliments on social media", ""},
      {"compliments_route_other", "Compliments by another route", ""},
      {"compliments_route_not_known", "Compliments by a route not recorded",
       ""},
  };
  return *w;
}

constexpr absl::string_view kDecisionPrefix = "ombudsman_decisions_";

// The decisions each Ombudsman gives, in the order of its own reports, as
// the keys' suffixes and in the words a reader knows.
struct Decision {
  absl::string_view suffix;
  absl::string_view words;
};

const std::vector<Decision>& LgscoDecisions() {
  static const auto* const d = new std::vector<Decision>{
      {"premature", "Premature: referred back to the council"},
      {"closed_after_initial_enquiries", "Closed after initial enquiries"},
      {"upheld", "Upheld"},
      {"upheld_satisfactory_remedy",
       "Upheld: the council had already put things right"},
      {"not_upheld", "Not upheld"},
      {"withdrawn", "Withdrawn"},
  };
  return *d;
}

const std::vector<Decision>& HosDecisions() {
  static const auto* const d = new std::vector<Decision>{
      {"no_maladministration", "No maladministration"},
      {"service_failure", "Service failure"},
      {"maladministration", "Maladministration"},
      {"severe_maladministration", "Severe maladministration"},
      {"redress", "Reasonable redress"},
      {"outside_jurisdiction", "Outside jurisdiction"},
      {"withdrawn", "Withdrawn"},
  };
  return *d;
}

std::string Money(int64_t pence) {
  return absl::StrFormat("£%d.%02d", pence / 100, pence % 100);
}

// A ratio shown as a plain number with two decimals, not a percentage.
bool IsPlainRatio(absl::string_view key) {
  return key == "follow_ups_per_complaint" || absl::StartsWith(key, "ch01_");
}

const v1::Metric* Find(const v1::AnnualReport& r, absl::string_view key) {
  return FindMetric(r.metrics(), key);
}

Cell FigureCell(absl::string_view key, const v1::Value& v) {
  return Cell(FormatFigure(key, v), RawFigure(v));
}

Cell MetricCell(const google::protobuf::RepeatedPtrField<v1::Metric>& ms,
                absl::string_view key) {
  const v1::Metric* m = FindMetric(ms, key);
  return m ? FigureCell(key, m->current()) : Cell("");
}

Cell CountCell(int64_t n) {
  const std::string s = absl::StrCat(n);
  return Cell(s, s);
}

Table DecisionsTable(const v1::AnnualReport& r, absl::string_view body,
                     const std::vector<Decision>& decisions) {
  Table t{{"Decision", r.period().label(), r.previous_period().label()},
          {"", "current", "previous"},
          {},
          {}};
  for (const Decision& d : decisions) {
    const std::string key = absl::StrCat(kDecisionPrefix, body, "_", d.suffix);
    const v1::Metric* m = Find(r, key);
    if (m == nullptr) continue;
    t.rows.push_back({Cell(std::string(d.words), key),
                      FigureCell(key, m->current()),
                      FigureCell(key, m->previous())});
  }
  return t;
}

}  // namespace

std::string OneDecimal(double x) {
  std::string s = absl::StrFormat("%.1f", x);
  if (s == "-0.0") s = "0.0";
  if (absl::EndsWith(s, ".0")) s.resize(s.size() - 2);
  return s;
}

std::optional<double> Percent(const v1::Value& v) {
  if (!v.has_ratio() || v.ratio().denominator() == 0) return std::nullopt;
  return 100.0 * static_cast<double>(v.ratio().numerator()) /
         static_cast<double>(v.ratio().denominator());
}

std::string LabelOf(absl::string_view key) {
  for (const Wording& w : Wordings()) {
    if (w.key == key) return std::string(w.label);
  }
  // ombudsman_decisions_<body>_<decision>
  std::string label(key);
  if (absl::StartsWith(label, kDecisionPrefix)) {
    label = label.substr(kDecisionPrefix.size());
    absl::StrReplaceAll(
        {{"lgsco_", "LGSCO: "}, {"hos_", "Housing Ombudsman: "}}, &label);
    absl::StrReplaceAll({{"_", " "}}, &label);
    return absl::StrCat("Ombudsman decisions, ", label);
  }
  return label;
}

std::string FormatFigure(absl::string_view key, const v1::Value& v) {
  if (key == "remedy_pence" && v.has_count()) return Money(v.count());
  if (IsPlainRatio(key) && v.has_ratio()) {
    if (v.ratio().denominator() == 0) return "n/a";
    return absl::StrFormat("%.2f",
                           static_cast<double>(v.ratio().numerator()) /
                               static_cast<double>(v.ratio().denominator()));
  }
  return FormatValue(v);
}

std::string RawFigure(const v1::Value& v) {
  switch (v.kind_case()) {
    case v1::Value::kCount:
      return absl::StrCat(v.count());
    case v1::Value::kRatio:
      return absl::StrCat(v.ratio().numerator(), "/", v.ratio().denominator());
    case v1::Value::kSuppressed:
      return v.suppressed().shown_as();
    case v1::Value::KIND_NOT_SET:
      break;
  }
  return "";
}

std::string FormatChange(absl::string_view key, const v1::Metric& m) {
  const v1::Change& c = m.change();
  if (IsPlainRatio(key)) {
    // Not a percentage, so not percentage points: the difference in the
    // figure's own unit (per complaint, per 1,000 homes).
    if (!c.has_percentage_points()) return "n/a";
    return absl::StrFormat("%+.2f", c.percentage_points() / 100.0);
  }
  if (IsRatioKey(key)) {
    if (!c.has_percentage_points()) return "n/a";
    return absl::StrCat(c.percentage_points() >= 0 ? "+" : "",
                        OneDecimal(c.percentage_points()), " pp");
  }
  if (!c.has_relative()) return "n/a";
  return absl::StrFormat("%+.1f%%", 100.0 * c.relative());
}

std::optional<ChangeWords> DescribeChange(absl::string_view key,
                                          const v1::Metric& m) {
  if (IsRatioKey(key)) {
    if (!Percent(m.current()) || !Percent(m.previous()) ||
        !m.change().has_percentage_points()) {
      return std::nullopt;
    }
    const double pp = m.change().percentage_points();
    const std::string points = OneDecimal(std::abs(pp));
    if (points == "0") return ChangeWords{0, "no change"};
    return ChangeWords{pp > 0 ? 1 : -1,
                       absl::StrCat(points,
                                    points == "1" ? " percentage point "
                                                  : " percentage points ",
                                    pp > 0 ? "more" : "fewer")};
  }
  if (!m.change().has_relative()) return std::nullopt;
  const double rel = 100.0 * m.change().relative();
  if (std::abs(rel) < 0.05) return ChangeWords{0, "no change"};
  return ChangeWords{
      rel > 0 ? 1 : -1,
      absl::StrCat(rel > 0 ? "an increase of " : "a decrease of ",
                   absl::StrFormat("%.1f%%", std::abs(rel)))};
}

const std::vector<absl::string_view>& HeadlineKeys() {
  static const auto* const keys = new std::vector<absl::string_view>{
      "complaints_received", "compliments",         "enquiries",
      "interactions",        "stage2_received",     "ombudsman_enquiries",
      "upheld_rate",         "lessons_learnt_rate", "escalation_rate",
      "stage1_on_time",      "stage2_on_time"};
  return *keys;
}

std::vector<std::string> Headlines(const v1::AnnualReport& r) {
  std::vector<std::string> out;
  for (absl::string_view key : HeadlineKeys()) {
    if (Find(r, key)) out.push_back(HeadlineSentence(r, key));
  }
  return out;
}

std::string AsOfText(const v1::AnnualReport& r) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Z",
                          absl::FromUnixSeconds(r.as_of().seconds()),
                          absl::UTCTimeZone());
}

std::string Title(const v1::AnnualReport& r, absl::string_view council) {
  return absl::StrCat(council, council.empty() ? "" : ": ",
                      "Customer feedback annual report ", r.period().label());
}

std::string Notes(const v1::AnnualReport& r) {
  std::string s = absl::StrCat(
      "Period ", r.period().start(), " to ", r.period().end(),
      ", compared with ", r.previous_period().label(), " (",
      r.previous_period().start(), " to ", r.previous_period().end(),
      "). Figures as of ", AsOfText(r), ".");
  if (r.settings().publish()) {
    absl::StrAppend(&s, " Breakdowns counting 1 to ",
                    r.settings().suppression_threshold(), " are shown as <",
                    r.settings().suppression_threshold() + 1,
                    "; totals are never suppressed.");
  }
  return s;
}

Table FiguresTable(const v1::AnnualReport& r) {
  Table t{{"Figure", r.period().label(), r.previous_period().label(), "Change"},
          {"", "current", "previous", "change"},
          {},
          {}};
  for (const v1::Metric& m : r.metrics()) {
    t.rows.push_back(
        {Cell(LabelOf(m.key()), m.key()), FigureCell(m.key(), m.current()),
         FigureCell(m.key(), m.previous()), FormatChange(m.key(), m)});
  }
  return t;
}

Table DirectorateTable(const v1::AnnualReport& r, bool with_total) {
  static constexpr absl::string_view kKeys[] = {
      "complaints_received", "upheld_rate", "stage1_on_time", "stage2_on_time",
      "lessons_learnt_rate", "compliments", "enquiries"};
  Table t{{"Directorate", "Complaints", "Upheld", "Stage 1 on time",
           "Stage 2 on time", "Lessons Learnt", "Compliments", "Enquiries"},
          {""},
          {},
          {}};
  for (absl::string_view key : kKeys) t.keys.emplace_back(key);
  auto row = [&](const std::string& label,
                 const google::protobuf::RepeatedPtrField<v1::Metric>& ms) {
    std::vector<Cell> cells = {Cell(label)};
    for (absl::string_view key : kKeys) cells.push_back(MetricCell(ms, key));
    return cells;
  };
  for (const v1::DirectorateReport& d : r.by_directorate()) {
    t.rows.push_back(row(d.directorate(), d.metrics()));
  }
  if (with_total) t.total = row("All directorates", r.metrics());
  return t;
}

Table FiveYearTable(const v1::AnnualReport& r) {
  Table t{{"Year", "Stage 1", "Stage 2", "Escalation rate"},
          {"", "stage1_received", "stage2_received", "escalation_rate"},
          {},
          {}};
  for (const v1::FiveYearPoint& p : r.five_year()) {
    v1::Value rate;
    *rate.mutable_ratio() = p.escalation_rate();
    t.rows.push_back({p.period().label(), CountCell(p.stage1_received()),
                      CountCell(p.stage2_received()),
                      FigureCell("escalation_rate", rate)});
  }
  return t;
}

Table MonthlyTable(const v1::AnnualReport& r) {
  Table t{{"Month", "Complaints", "Stage 2", "Compliments", "Enquiries",
           "Interactions"},
          {"", "complaints_received", "stage2_received", "compliments",
           "enquiries", "interactions"},
          {},
          {}};
  for (const v1::MonthlyPoint& m : r.monthly()) {
    std::vector<Cell> cells = {Cell(m.month(), m.month())};
    for (size_t i = 1; i < t.keys.size(); ++i) {
      Cell cell("");
      for (const v1::Count& c : m.counts()) {
        if (c.key() == t.keys[i]) cell = CountCell(c.count());
      }
      cells.push_back(std::move(cell));
    }
    t.rows.push_back(std::move(cells));
  }
  return t;
}

Table TopServicesTable(const v1::AnnualReport& r) {
  Table t{{"Service", "Directorate", "Complaints", "Upheld", "Lessons Learnt"},
          {"", "", "complaints_received", "upheld_rate", "lessons_learnt_rate"},
          {},
          {}};
  for (const v1::TopService& s : r.top_services()) {
    t.rows.push_back(
        {s.service().empty() ? "(no service)" : s.service(), s.directorate(),
         FigureCell("complaints_received", s.complaints_received()),
         FigureCell("upheld_rate", s.upheld_rate()),
         FigureCell("lessons_learnt_rate", s.lessons_learnt_rate())});
  }
  return t;
}

Table OmbudsmanEnquiriesTable(const v1::AnnualReport& r) {
  Table t{
      {"Ombudsman", r.period().label(), r.previous_period().label(), "Change"},
      {"", "current", "previous", "change"},
      {},
      {}};
  const std::pair<absl::string_view, absl::string_view> bodies[] = {
      {"ombudsman_enquiries_lgsco",
       "Local Government and Social Care Ombudsman (LGSCO)"},
      {"ombudsman_enquiries_hos", "Housing Ombudsman"}};
  for (const auto& [key, name] : bodies) {
    const v1::Metric* m = Find(r, key);
    if (m == nullptr) continue;
    t.rows.push_back({Cell(std::string(name), std::string(key)),
                      FigureCell(key, m->current()),
                      FigureCell(key, m->previous()), FormatChange(key, *m)});
  }
  if (const v1::Metric* m = Find(r, "ombudsman_enquiries")) {
    t.total = {Cell("All Ombudsman enquiries", "ombudsman_enquiries"),
               FigureCell(m->key(), m->current()),
               FigureCell(m->key(), m->previous()), FormatChange(m->key(), *m)};
  }
  return t;
}

Table OmbudsmanDecisionsTable(const v1::AnnualReport& r,
                              absl::string_view body) {
  return DecisionsTable(r, body,
                        body == "hos" ? HosDecisions() : LgscoDecisions());
}

std::string MonthName(absl::string_view month) {
  static constexpr absl::string_view kNames[] = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  int m = 0;
  if (month.size() != 7 || month[4] != '-' ||
      !absl::SimpleAtoi(month.substr(5), &m) || m < 1 || m > 12) {
    return std::string(month);
  }
  return absl::StrCat(kNames[m - 1], " ", month.substr(0, 4));
}

Table LearningByDirectorateTable(const v1::AnnualReport& r) {
  static constexpr absl::string_view kKeys[] = {
      "lessons_recorded",
      "lessons_actions_overdue",
      "remedy_pence",
      "remedies_apology",
      "remedies_action",
      "remedies_policy_change",
      "compliments",
      "compliments_route_contact_centre",
      "ombudsman_recommendations_complied"};
  Table t{{"Directorate", "Lessons", "Actions overdue", "Redress", "Apologies",
           "Actions", "Policy changes", "Compliments", "Via contact centre",
           "Ombudsman recommendations on time"},
          {""},
          {},
          {}};
  for (absl::string_view key : kKeys) t.keys.emplace_back(key);
  for (const v1::DirectorateLearning& d : r.learning().by_directorate()) {
    std::vector<Cell> cells = {Cell(d.directorate())};
    for (absl::string_view key : kKeys) {
      cells.push_back(MetricCell(d.metrics(), key));
    }
    t.rows.push_back(std::move(cells));
  }
  std::vector<Cell> total = {Cell("All directorates")};
  for (absl::string_view key : kKeys) {
    total.push_back(MetricCell(r.metrics(), key));
  }
  t.total = std::move(total);
  return t;
}

Table ThemesTable(const v1::AnnualReport& r) {
  Table t{{"Theme", "Complaints", "Compliments", "Enquiries", "All",
           r.previous_period().label()},
          {"", "complaints", "compliments", "enquiries", "current", "previous"},
          {},
          {}};
  for (const v1::ThemeCount& theme : r.learning().themes()) {
    t.rows.push_back(
        {Cell(theme.theme().empty() ? "(no theme)" : theme.theme()),
         FigureCell("lessons_recorded", theme.complaints()),
         FigureCell("lessons_recorded", theme.compliments()),
         FigureCell("lessons_recorded", theme.enquiries()),
         FigureCell("lessons_recorded", theme.current()),
         FigureCell("lessons_recorded", theme.previous())});
  }
  return t;
}

std::vector<std::string> OmbudsmanSentences(const v1::AnnualReport& r) {
  std::vector<std::string> out;
  for (absl::string_view key :
       {"ombudsman_upheld_rate", "ombudsman_satisfactory_remedy_rate",
        "ombudsman_recommendations_complied"}) {
    if (Find(r, key)) out.push_back(HeadlineSentence(r, key));
  }
  return out;
}

std::vector<Definition> Definitions(const v1::AnnualReport& r) {
  const v1::ReportSettings& s = r.settings();
  // Defined once, below, with its date and time.
  const std::string as_of = "the date of the figures";
  absl::StatusOr<TimescalePolicy> resolved = PolicyFromProto(s.policy());
  const TimescalePolicy policy = resolved.ok() ? *resolved : TimescalePolicy();
  auto on_time = [&](const StageTimescale& st, absl::string_view stage,
                     absl::string_view from) {
    return absl::StrCat(
        "Of the ", stage,
        " responses issued in the period, those sent on or "
        "before their due date: the acknowledgement is due ",
        st.acknowledge_days, " working days after ", from,
        ", and the response ", st.respond_days,
        " working days after the acknowledgement (or after the "
        "acknowledgement's due date, if it was late). When the customer "
        "agreed an extension, the response is on time up to the agreed date, "
        "but never more than ",
        st.max_extension_days, " working days after the due date.");
  };

  std::vector<Definition> out = {
      {"The period",
       absl::StrCat(
           "This report covers ", r.period().start(), " to ", r.period().end(),
           " (", r.period().label(), ") and compares it with ",
           r.previous_period().start(), " to ", r.previous_period().end(), " (",
           r.previous_period().label(),
           "). A date is the day in the UK (London time); working days are "
           "Monday to Friday, except bank holidays.")},
      {"The date of the figures",
       absl::StrCat("The figures count what the council's records showed at ",
                    AsOfText(r),
                    ". Anything recorded later does not change this report.")},
      {"Changes",
       "A change in a count is relative: the difference from the previous "
       "period, divided by the previous period's figure. A change in a rate "
       "is the difference in percentage points, never called a percentage; "
       "a figure per complaint or per 1,000 homes changes by the difference. "
       "Rates are exact fractions, rounded to one decimal place only when "
       "shown; n/a means there is nothing to divide by."},
  };
  if (s.publish()) {
    out.push_back(
        {"Small numbers",
         absl::StrCat("To protect people's privacy, figures by directorate "
                      "and by service counting between 1 and ",
                      s.suppression_threshold(), " are shown as <",
                      s.suppression_threshold() + 1,
                      ", and rates built on them are not shown. Totals are "
                      "never hidden.")});
  }

  bool decisions_done = false;
  for (const v1::Metric& m : r.metrics()) {
    const std::string& key = m.key();
    std::string text;
    if (key == "interactions") {
      text =
          "Contacts of any kind with customers (calls, emails, web forms, "
          "letters, visits, social media) dated in the period.";
    } else if (key == "enquiries") {
      text =
          "Requests for information or a service recorded as enquiries, "
          "counted on the day they were received.";
    } else if (key == "compliments") {
      text =
          "Compliments about a service or a member of staff, counted on the "
          "day they were received.";
    } else if (key == "complaints_received") {
      text =
          "Complaints received in the period. Every complaint starts at "
          "stage 1; one the customer later withdrew still counts.";
    } else if (key == "stage1_received") {
      text =
          "The same as complaints received: every complaint starts at "
          "stage 1.";
    } else if (key == "stage2_received") {
      text =
          "Complaints whose customer asked in the period for a stage 2 "
          "review, whenever the complaint was received.";
    } else if (key == "ombudsman_enquiries") {
      text =
          "Enquiries about a complaint that reached the council in the period "
          "from the Local Government and Social Care Ombudsman (LGSCO) or the "
          "Housing Ombudsman; shown also for each of them.";
    } else if (key == "stage1_responses" || key == "stage2_responses") {
      text = absl::StrCat(
          key == "stage1_responses" ? "Stage 1" : "Stage 2",
          " responses issued in the period, including any to a complaint the "
          "customer later withdrew.");
    } else if (key == "follow_up_contacts") {
      text =
          "Contacts in the period recorded as a follow-up and linked to a "
          "case the council holds.";
    } else if (key == "enquiries_share") {
      text =
          "Enquiries received divided by customer interactions, both in "
          "the period.";
    } else if (key == "upheld_rate") {
      text = absl::StrCat(
          "Of the complaints resolved in the period, those upheld in full or "
          "in part. A complaint is resolved when its final response is dated "
          "in the period: the stage 2 response if the customer had asked for "
          "stage 2 by ",
          as_of,
          ", otherwise the stage 1 response. A withdrawn complaint is never "
          "resolved; one awaiting its stage 2 response is not resolved yet.");
    } else if (key == "escalation_rate") {
      text =
          "Stage 2 escalations requested in the period divided by "
          "complaints received in the period.";
    } else if (key == "escalation_rate_cohort") {
      text = absl::StrCat(
          "Of the complaints received in the period, those the customer had "
          "escalated to stage 2 by ",
          as_of, ".");
    } else if (key == "lessons_learnt_rate") {
      text = absl::StrCat(
          "Of the complaints received in the period, those with at least one "
          "Lessons Learnt record by ",
          as_of, ".");
    } else if (key == "stage1_on_time") {
      text = on_time(policy.stage1, "stage 1", "receipt");
    } else if (key == "stage2_on_time") {
      text = on_time(policy.stage2, "stage 2", "the escalation request");
    } else if (key == "stage1_ack_on_time") {
      text = absl::StrCat(
          "Of the complaints received in the period whose acknowledgement was "
          "due by ",
          as_of, ", those acknowledged within ", policy.stage1.acknowledge_days,
          " working days of receipt. One withdrawn before then without an "
          "acknowledgement is left out; one never acknowledged is late.");
    } else if (key == "ch01_stage1_per_1000_homes" ||
               key == "ch01_stage2_per_1000_homes") {
      const std::string landlord =
          s.landlord_directorates().empty()
              ? std::string("all directorates")
              : absl::StrJoin(s.landlord_directorates(), ", ");
      text = absl::StrCat(
          key == "ch01_stage1_per_1000_homes" ? "Stage 1 complaints received"
                                              : "Stage 2 escalations requested",
          " in the period about the council as a landlord (", landlord,
          "), per 1,000 homes the council owns",
          s.has_homes() ? absl::StrCat(" (", s.homes(), " homes)") : "", ".");
    } else if (key == "follow_up_chasing") {
      text =
          "Follow-up contacts in the period about a complaint, made while it "
          "was waiting for a response at stage 1 or stage 2.";
    } else if (key == "follow_up_after_response") {
      text =
          "Follow-up contacts in the period about a complaint that were not "
          "chasing a response, made within 28 days after its latest "
          "response.";
    } else if (key == "follow_ups_per_complaint") {
      text =
          "Follow-up contacts in the period linked to complaints, divided "
          "by complaints received in the period.";
    } else if (key == "lessons_actions_overdue") {
      text = absl::StrCat(
          "Actions from Lessons Learnt records whose target date had passed "
          "by ",
          as_of, " without being done.");
    } else if (key == "remedy_pence") {
      text =
          "Money agreed as a remedy for complaints whose final response is "
          "dated in the period.";
    } else if (absl::StartsWith(key, kDecisionPrefix)) {
      if (decisions_done) continue;
      decisions_done = true;
      out.push_back(
          {"Ombudsman decisions",
           "Decisions each Ombudsman made in the period, by decision; every "
           "decision is listed, even when there were none."});
      continue;
    } else if (key == "ombudsman_upheld_rate") {
      text =
          "Of the LGSCO's detailed investigations decided in the period "
          "(upheld, upheld with a remedy already in place, not upheld), those "
          "upheld: the LGSCO's own measure.";
    } else if (key == "ombudsman_satisfactory_remedy_rate") {
      text =
          "Of the complaints the LGSCO upheld in the period, those the "
          "council had already put right.";
    } else if (key == "restrictions_active") {
      text =
          "Restrictions on how a customer may contact the council, in "
          "force at the end of the period.";
    } else if (key == "restriction_reviews_overdue") {
      text = absl::StrCat("Restrictions in force at ", as_of,
                          " whose review date had passed without a review.");
    } else if (key == "ombudsman_recommendations_complied") {
      text =
          "Of the Ombudsman's recommendations due in the period, those the "
          "council complied with on or before the due date.";
    } else if (key == "ombudsman_recommendations_overdue") {
      text = absl::StrCat(
          "Ombudsman recommendations whose due date had passed by ", as_of,
          " without the council complying.");
    } else if (key == "lessons_recorded") {
      text =
          "Lessons Learnt records made in the period, from complaints, "
          "compliments and enquiries.";
    } else if (key == "remedies_apology") {
      text =
          "Complaints whose final response in the period agreed a "
          "non-financial remedy, by kind: an apology, action to put things "
          "right, a change of policy or procedure, or another remedy.";
      out.push_back({"Non-financial remedies", text});
      continue;
    } else if (absl::StartsWith(key, "remedies_")) {
      continue;
    } else if (key == "compliments_route_contact_centre") {
      out.push_back(
          {"Compliments by route",
           "Compliments received in the period, by how they reached the "
           "council: through the contact centre, direct to the service, "
           "through a councillor or an MP, to the chief executive, on social "
           "media, another route, or a route not recorded."});
      continue;
    } else if (absl::StartsWith(key, "compliments_route_")) {
      continue;
    } else {
      continue;
    }
    out.push_back(
        {std::string(absl::StripLeadingAsciiWhitespace(LabelOf(key))), text});
  }
  return out;
}

}  // namespace render_internal

namespace {

using render_internal::Cell;
using render_internal::Definition;
using render_internal::Definitions;
using render_internal::DirectorateTable;
using render_internal::FiguresTable;
using render_internal::FiveYearTable;
using render_internal::Headlines;
using render_internal::LabelOf;
using render_internal::MonthlyTable;
using render_internal::Notes;
using render_internal::OmbudsmanDecisionsTable;
using render_internal::OmbudsmanEnquiriesTable;
using render_internal::OneDecimal;
using render_internal::Percent;
using render_internal::Table;
using render_internal::Title;
using render_internal::TopServicesTable;

std::string CountSentence(const v1::AnnualReport& r, const v1::Metric& m,
                          absl::string_view noun, absl::string_view singular) {
  const std::string current = FormatValue(m.current());
  const std::string previous = FormatValue(m.previous());
  const bool one = m.current().has_count() && m.current().count() == 1;
  std::string s =
      absl::StrCat(current, " ", one && !singular.empty() ? singular : noun,
                   " in ", r.period().label(), ", compared with ", previous,
                   " in ", r.previous_period().label());
  auto change = render_internal::DescribeChange(m.key(), m);
  if (!change) return absl::StrCat(s, ".");
  return absl::StrCat(s, ": ", change->words, ".");
}

std::string RateSentence(const v1::AnnualReport& r, const v1::Metric& m,
                         absl::string_view what) {
  auto now = Percent(m.current());
  auto before = Percent(m.previous());
  if (!now) {
    // The sentence keeps its shape with "n/a" for the percentage: `what`
    // reads on from a figure ("of complaints were ...").
    return absl::StrCat("n/a ", what, " (none to count in ", r.period().label(),
                        ").");
  }
  std::string s = absl::StrCat(OneDecimal(*now), "% ", what);
  auto change = render_internal::DescribeChange(m.key(), m);
  if (!before || !change) {
    return absl::StrCat(s, " (no figure for ", r.previous_period().label(),
                        ").");
  }
  if (change->direction == 0) {
    return absl::StrCat(s, ", the same as in ", r.previous_period().label(),
                        ".");
  }
  return absl::StrCat(s, change->direction > 0 ? ", up from " : ", down from ",
                      OneDecimal(*before), "%: ", change->words, ".");
}

// Counts UTF-8 code points so "£" lines up.
size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

std::string TextTable(const Table& t) {
  std::vector<size_t> width(t.header.size(), 0);
  for (size_t i = 0; i < t.header.size(); ++i) width[i] = Width(t.header[i]);
  for (const auto& row : t.rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      width[i] = std::max(width[i], Width(row[i].text));
    }
  }
  auto line = [&](const std::vector<std::string>& row) {
    std::string out;
    for (size_t i = 0; i < row.size(); ++i) {
      const std::string pad(width[i] - Width(row[i]), ' ');
      // First column left-aligned, figures right-aligned.
      absl::StrAppend(&out, i == 0 ? "" : "  ",
                      i == 0 ? row[i] + pad : pad + row[i]);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(t.header);
  size_t total = 0;
  for (size_t w : width) total += w;
  out += std::string(total + 2 * (width.size() - 1), '-') + "\n";
  for (const auto& row : t.rows) {
    std::vector<std::string> texts;
    for (const Cell& c : row) texts.push_back(c.text);
    out += line(texts);
  }
  return out;
}

std::string EscapeMarkdown(absl::string_view s) {
  return absl::StrReplaceAll(s, {{"|", "\\|"}});
}

std::string MarkdownTable(const Table& t) {
  std::string out = absl::StrCat("| ", absl::StrJoin(t.header, " | "), " |\n|");
  for (size_t i = 0; i < t.header.size(); ++i)
    out += i == 0 ? " --- |" : " ---: |";
  out += "\n";
  auto row = [&](const std::vector<Cell>& cells, bool bold) {
    std::vector<std::string> texts;
    for (const Cell& c : cells) {
      // Leading spaces mean indentation in the text table, nothing here.
      std::string text =
          EscapeMarkdown(absl::StripLeadingAsciiWhitespace(c.text));
      if (bold && !text.empty()) text = absl::StrCat("**", text, "**");
      texts.push_back(std::move(text));
    }
    absl::StrAppend(&out, "| ", absl::StrJoin(texts, " | "), " |\n");
  };
  for (const auto& r : t.rows) row(r, false);
  if (!t.total.empty()) row(t.total, true);
  return out;
}

}  // namespace

absl::StatusOr<std::string> RenderJson(const v1::AnnualReport& report) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string out;
  auto status =
      google::protobuf::util::MessageToJsonString(report, &out, options);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot print the report as JSON: ", status.ToString()));
  }
  return out;
}

std::string FormatValue(const v1::Value& value) {
  switch (value.kind_case()) {
    case v1::Value::kCount:
      return absl::StrCat(value.count());
    case v1::Value::kRatio: {
      auto p = Percent(value);
      return p ? absl::StrCat(OneDecimal(*p), "%") : "n/a";
    }
    case v1::Value::kSuppressed:
      return value.suppressed().shown_as();
    case v1::Value::KIND_NOT_SET:
      break;
  }
  return "n/a";
}

std::string HeadlineSentence(const v1::AnnualReport& report,
                             absl::string_view key) {
  const v1::Metric* m = FindMetric(report.metrics(), key);
  if (!m) return "";
  if (key == "upheld_rate") {
    return RateSentence(
        report, *m,
        absl::StrCat("of complaints resolved in ", report.period().label(),
                     " were upheld in full or in part"));
  }
  if (key == "lessons_learnt_rate") {
    return RateSentence(report, *m,
                        "of complaints had a Lessons Learnt recorded");
  }
  if (key == "escalation_rate") {
    return RateSentence(report, *m, "of complaints were escalated to stage 2");
  }
  if (key == "stage1_on_time") {
    return RateSentence(report, *m, "of stage 1 responses were on time");
  }
  if (key == "stage2_on_time") {
    return RateSentence(report, *m, "of stage 2 responses were on time");
  }
  if (key == "ombudsman_recommendations_complied") {
    return RateSentence(
        report, *m,
        absl::StrCat("of the Ombudsman's recommendations due in ",
                     report.period().label(),
                     " were complied with by their due date"));
  }
  if (IsRatioKey(key)) return RateSentence(report, *m, LabelOf(key));
  for (const render_internal::Wording& w : render_internal::Wordings()) {
    if (w.key == key && !w.noun.empty())
      return CountSentence(report, *m, w.noun, w.singular);
  }
  return CountSentence(report, *m, LabelOf(key), "");
}

std::string RenderText(const v1::AnnualReport& r) {
  std::string out =
      absl::StrCat(Title(r, r.settings().council()), "\n\n", Notes(r), "\n\n");
  absl::StrAppend(&out, "Headlines\n\n");
  for (const std::string& h : Headlines(r))
    absl::StrAppend(&out, "  ", h, "\n");
  absl::StrAppend(&out, "\nFigures\n\n", TextTable(FiguresTable(r)));
  absl::StrAppend(&out, "\nStage 1 and stage 2 complaints over five years\n\n",
                  TextTable(FiveYearTable(r)));
  absl::StrAppend(&out, "\nBy directorate (", r.period().label(), ")\n\n",
                  TextTable(DirectorateTable(r)));
  absl::StrAppend(&out, "\nTop services by complaints\n\n",
                  TextTable(TopServicesTable(r)));
  absl::StrAppend(&out, "\nBy month\n\n", TextTable(MonthlyTable(r)));
  absl::StrAppend(&out, "\nThe Ombudsman\n\n");
  for (const std::string& line : render_internal::OmbudsmanSentences(r)) {
    absl::StrAppend(&out, "  ", line, "\n");
  }
  absl::StrAppend(&out, "\nLearning and remedies by directorate (",
                  r.period().label(), ")\n\n",
                  TextTable(render_internal::LearningByDirectorateTable(r)));
  absl::StrAppend(&out, "\nLessons Learnt themes (", r.period().label(),
                  ")\n\n", TextTable(render_internal::ThemesTable(r)));
  return out;
}

std::string RenderMarkdown(const v1::AnnualReport& r) {
  std::string out = absl::StrCat("# ", Title(r, r.settings().council()), "\n\n",
                                 Notes(r), "\n\n");
  absl::StrAppend(&out, "## Headlines\n\n");
  for (const std::string& h : Headlines(r))
    absl::StrAppend(&out, "- ", h, "\n");
  absl::StrAppend(&out, "\n## Figures\n\n", MarkdownTable(FiguresTable(r)));
  absl::StrAppend(&out,
                  "\n## Stage 1 and stage 2 complaints over five years\n\n",
                  MarkdownTable(FiveYearTable(r)));
  absl::StrAppend(&out, "\n## By directorate\n\n",
                  MarkdownTable(DirectorateTable(r, /*with_total=*/true)));
  absl::StrAppend(&out, "\n## Top services by complaints\n\n",
                  MarkdownTable(TopServicesTable(r)));
  absl::StrAppend(&out, "\n## By month\n\n", MarkdownTable(MonthlyTable(r)));
  absl::StrAppend(&out, "\n## Ombudsman\n\n### Enquiries by Ombudsman\n\n",
                  MarkdownTable(OmbudsmanEnquiriesTable(r)));
  absl::StrAppend(&out,
                  "\n### Decisions of the Local Government and Social Care "
                  "Ombudsman\n\n",
                  MarkdownTable(OmbudsmanDecisionsTable(r, "lgsco")));
  absl::StrAppend(&out, "\n### Decisions of the Housing Ombudsman\n\n",
                  MarkdownTable(OmbudsmanDecisionsTable(r, "hos")));
  for (const std::string& line : render_internal::OmbudsmanSentences(r)) {
    absl::StrAppend(&out, "\n", line, "\n");
  }
  absl::StrAppend(
      &out, "\n## Learning and remedies by directorate\n\n",
      MarkdownTable(render_internal::LearningByDirectorateTable(r)));
  absl::StrAppend(&out, "\n## Lessons Learnt themes\n\n",
                  MarkdownTable(render_internal::ThemesTable(r)));
  absl::StrAppend(&out, "\n## Definitions\n\n");
  for (const Definition& d : Definitions(r)) {
    absl::StrAppend(&out, "- **", EscapeMarkdown(d.term), "**: ", d.text, "\n");
  }
  return out;
}

absl::StatusOr<std::string> RenderReport(const v1::AnnualReport& report,
                                         absl::string_view format) {
  if (format == "text") return RenderText(report);
  if (format == "markdown") return RenderMarkdown(report);
  if (format == "json") return RenderJson(report);
  if (format == "html") return RenderHtml(report, HtmlOptions());
  return absl::InvalidArgumentError(
      absl::StrCat("unknown report format \"", format,
                   "\": expected text, markdown, json or html"));
}

}  // namespace tellus
