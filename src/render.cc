#include "tellus/render.h"

#include <cmath>
#include <cstdlib>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/util/json_util.h"
#include "tellus/report.h"

namespace tellus {
namespace {

// One decimal place, without a trailing ".0": 45.0 -> "45", 6.14 -> "6.1".
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

// What a figure is, for headline sentences and table rows.
struct Wording {
  absl::string_view key;
  absl::string_view label;     // table row label
  absl::string_view noun;      // "complaints were received", for counts
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
  };
  return *w;
}

std::string LabelOf(absl::string_view key) {
  for (const Wording& w : Wordings()) {
    if (w.key == key) return std::string(w.label);
  }
  // ombudsman_decisions_<body>_<decision>
  std::string label(key);
  if (absl::StartsWith(label, "ombudsman_decisions_")) {
    label = label.substr(strlen("ombudsman_decisions_"));
    absl::StrReplaceAll(
        {{"lgsco_", "LGSCO: "}, {"hos_", "Housing Ombudsman: "}}, &label);
    absl::StrReplaceAll({{"_", " "}}, &label);
    return absl::StrCat("Ombudsman decisions, ", label);
  }
  return label;
}

std::string Money(int64_t pence) {
  return absl::StrFormat("£%d.%02d", pence / 100, pence % 100);
}

std::string FormatFigure(absl::string_view key, const v1::Value& v) {
  if (key == "remedy_pence" && v.has_count()) return Money(v.count());
  if (key == "follow_ups_per_complaint" && v.has_ratio()) {
    if (v.ratio().denominator() == 0) return "n/a";
    return absl::StrFormat("%.2f",
                           static_cast<double>(v.ratio().numerator()) /
                               static_cast<double>(v.ratio().denominator()));
  }
  if (absl::StartsWith(key, "ch01_") && v.has_ratio()) {
    if (v.ratio().denominator() == 0) return "n/a";
    return absl::StrFormat("%.2f",
                           static_cast<double>(v.ratio().numerator()) /
                               static_cast<double>(v.ratio().denominator()));
  }
  return FormatValue(v);
}

// "+16.7%", "-12.0%", "+8 pp", "n/a".
std::string FormatChange(absl::string_view key, const v1::Metric& m) {
  const v1::Change& c = m.change();
  if (IsRatioKey(key)) {
    if (!c.has_percentage_points()) return "n/a";
    return absl::StrCat(c.percentage_points() >= 0 ? "+" : "",
                        OneDecimal(c.percentage_points()), " pp");
  }
  if (!c.has_relative()) return "n/a";
  return absl::StrFormat("%+.1f%%", 100.0 * c.relative());
}

std::string CountSentence(const v1::AnnualReport& r, const v1::Metric& m,
                          absl::string_view noun, absl::string_view singular) {
  const std::string current = FormatValue(m.current());
  const std::string previous = FormatValue(m.previous());
  const bool one = m.current().has_count() && m.current().count() == 1;
  std::string s =
      absl::StrCat(current, " ", one && !singular.empty() ? singular : noun,
                   " in ", r.period().label(), ", compared with ", previous,
                   " in ", r.previous_period().label());
  if (m.change().has_relative()) {
    const double rel = 100.0 * m.change().relative();
    if (std::abs(rel) < 0.05) {
      absl::StrAppend(&s, ": no change.");
    } else {
      absl::StrAppend(&s, rel > 0 ? ": an increase of " : ": a decrease of ",
                      absl::StrFormat("%.1f%%", std::abs(rel)), ".");
    }
  } else {
    absl::StrAppend(&s, ".");
  }
  return s;
}

std::string RateSentence(const v1::AnnualReport& r, const v1::Metric& m,
                         absl::string_view what) {
  auto now = Percent(m.current());
  auto before = Percent(m.previous());
  if (!now) {
    return absl::StrCat("No figure for ", what, " in ", r.period().label(),
                        " (n/a).");
  }
  std::string s = absl::StrCat(OneDecimal(*now), "% ", what);
  if (!before || !m.change().has_percentage_points()) {
    return absl::StrCat(s, " (no figure for ", r.previous_period().label(),
                        ").");
  }
  const double pp = m.change().percentage_points();
  const std::string points = OneDecimal(std::abs(pp));
  if (points == "0") {
    return absl::StrCat(s, ", the same as in ", r.previous_period().label(),
                        ".");
  }
  return absl::StrCat(
      s, pp > 0 ? ", up from " : ", down from ", OneDecimal(*before),
      "%: ", points,
      points == "1" ? " percentage point " : " percentage points ",
      pp > 0 ? "more." : "fewer.");
}

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

std::string TextTable(const Table& t) {
  std::vector<size_t> width(t.header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size(); ++i) {
      // Count UTF-8 code points so "£" lines up.
      size_t n = 0;
      for (unsigned char ch : row[i]) n += (ch & 0xC0) != 0x80;
      width[i] = std::max(width[i], n);
    }
  };
  measure(t.header);
  for (const auto& row : t.rows) measure(row);
  auto line = [&](const std::vector<std::string>& row) {
    std::string out;
    for (size_t i = 0; i < row.size(); ++i) {
      size_t n = 0;
      for (unsigned char ch : row[i]) n += (ch & 0xC0) != 0x80;
      const std::string pad(width[i] - n, ' ');
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
  for (const auto& row : t.rows) out += line(row);
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
  for (const auto& row : t.rows) {
    std::vector<std::string> cells;
    for (const std::string& c : row) cells.push_back(EscapeMarkdown(c));
    absl::StrAppend(&out, "| ", absl::StrJoin(cells, " | "), " |\n");
  }
  return out;
}

const v1::Metric* Find(const v1::AnnualReport& r, absl::string_view key) {
  return FindMetric(r.metrics(), key);
}

std::vector<std::string> Headlines(const v1::AnnualReport& r) {
  std::vector<std::string> out;
  for (absl::string_view key :
       {"complaints_received", "compliments", "enquiries", "interactions",
        "stage2_received", "ombudsman_enquiries", "upheld_rate",
        "lessons_learnt_rate", "escalation_rate", "stage1_on_time",
        "stage2_on_time"}) {
    if (Find(r, key)) out.push_back(HeadlineSentence(r, key));
  }
  return out;
}

Table FiguresTable(const v1::AnnualReport& r) {
  Table t{{"Figure", r.period().label(), r.previous_period().label(), "Change"},
          {}};
  for (const v1::Metric& m : r.metrics()) {
    t.rows.push_back({LabelOf(m.key()), FormatFigure(m.key(), m.current()),
                      FormatFigure(m.key(), m.previous()),
                      FormatChange(m.key(), m)});
  }
  return t;
}

std::string MetricCell(const google::protobuf::RepeatedPtrField<v1::Metric>& ms,
                       absl::string_view key) {
  const v1::Metric* m = FindMetric(ms, key);
  return m ? FormatFigure(key, m->current()) : "";
}

Table DirectorateTable(const v1::AnnualReport& r) {
  Table t{{"Directorate", "Complaints", "Upheld", "Stage 1 on time",
           "Stage 2 on time", "Lessons Learnt", "Compliments", "Enquiries"},
          {}};
  for (const v1::DirectorateReport& d : r.by_directorate()) {
    const auto& ms = d.metrics();
    t.rows.push_back(
        {d.directorate(), MetricCell(ms, "complaints_received"),
         MetricCell(ms, "upheld_rate"), MetricCell(ms, "stage1_on_time"),
         MetricCell(ms, "stage2_on_time"),
         MetricCell(ms, "lessons_learnt_rate"), MetricCell(ms, "compliments"),
         MetricCell(ms, "enquiries")});
  }
  return t;
}

Table FiveYearTable(const v1::AnnualReport& r) {
  Table t{{"Year", "Stage 1", "Stage 2", "Escalation rate"}, {}};
  for (const v1::FiveYearPoint& p : r.five_year()) {
    v1::Value rate;
    *rate.mutable_ratio() = p.escalation_rate();
    t.rows.push_back({p.period().label(), absl::StrCat(p.stage1_received()),
                      absl::StrCat(p.stage2_received()), FormatValue(rate)});
  }
  return t;
}

Table MonthlyTable(const v1::AnnualReport& r) {
  Table t{{"Month", "Complaints", "Stage 2", "Compliments", "Enquiries",
           "Interactions"},
          {}};
  for (const v1::MonthlyPoint& m : r.monthly()) {
    auto count = [&](absl::string_view key) {
      for (const v1::Count& c : m.counts()) {
        if (c.key() == key) return absl::StrCat(c.count());
      }
      return std::string();
    };
    t.rows.push_back({m.month(), count("complaints_received"),
                      count("stage2_received"), count("compliments"),
                      count("enquiries"), count("interactions")});
  }
  return t;
}

Table TopServicesTable(const v1::AnnualReport& r) {
  Table t{{"Service", "Directorate", "Complaints", "Upheld", "Lessons Learnt"},
          {}};
  for (const v1::TopService& s : r.top_services()) {
    t.rows.push_back({s.service().empty() ? "(no service)" : s.service(),
                      s.directorate(), FormatValue(s.complaints_received()),
                      FormatValue(s.upheld_rate()),
                      FormatValue(s.lessons_learnt_rate())});
  }
  return t;
}

std::string AsOfText(const v1::AnnualReport& r) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Z",
                          absl::FromUnixSeconds(r.as_of().seconds()),
                          absl::UTCTimeZone());
}

std::string Title(const v1::AnnualReport& r) {
  const std::string council =
      r.settings().council().empty() ? "" : r.settings().council() + ": ";
  return absl::StrCat(council, "Customer feedback annual report ",
                      r.period().label());
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
  const v1::Metric* m = Find(report, key);
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
  if (IsRatioKey(key)) return RateSentence(report, *m, LabelOf(key));
  for (const Wording& w : Wordings()) {
    if (w.key == key && !w.noun.empty())
      return CountSentence(report, *m, w.noun, w.singular);
  }
  return CountSentence(report, *m, LabelOf(key), "");
}

std::string RenderText(const v1::AnnualReport& r) {
  std::string out = absl::StrCat(Title(r), "\n\n", Notes(r), "\n\n");
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
  return out;
}

std::string RenderMarkdown(const v1::AnnualReport& r) {
  std::string out = absl::StrCat("# ", Title(r), "\n\n", Notes(r), "\n\n");
  absl::StrAppend(&out, "## Headlines\n\n");
  for (const std::string& h : Headlines(r))
    absl::StrAppend(&out, "- ", h, "\n");
  absl::StrAppend(&out, "\n## Figures\n\n", MarkdownTable(FiguresTable(r)));
  absl::StrAppend(&out,
                  "\n## Stage 1 and stage 2 complaints over five years\n\n",
                  MarkdownTable(FiveYearTable(r)));
  absl::StrAppend(&out, "\n## By directorate\n\n",
                  MarkdownTable(DirectorateTable(r)));
  absl::StrAppend(&out, "\n## Top services by complaints\n\n",
                  MarkdownTable(TopServicesTable(r)));
  absl::StrAppend(&out, "\n## By month\n\n", MarkdownTable(MonthlyTable(r)));
  return out;
}

}  // namespace tellus
