// What the text, Markdown and HTML renderers share: the wording of every
// figure, the rounding, the change between periods in words, the tables and
// the definitions. Internal to the library; not installed.
//
//   const render_internal::Table t = render_internal::DirectorateTable(r);
//   for (const auto& row : t.rows) Emit(row[0].text, row[1].raw);
#ifndef TELLUS_SRC_RENDER_INTERNAL_H_
#define TELLUS_SRC_RENDER_INTERNAL_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tellus/v1/report.pb.h"

namespace tellus::render_internal {

// One decimal place, without a trailing ".0": 45.0 -> "45", 6.14 -> "6.1".
std::string OneDecimal(double x);

// A ratio as a percentage; nullopt when undefined or not a ratio.
std::optional<double> Percent(const v1::Value& v);

// "Complaints received", "Ombudsman decisions, LGSCO: upheld", ...
std::string LabelOf(absl::string_view key);

// As FormatValue, with money for remedy_pence and two decimals for the
// ratios that are not percentages (per complaint, per 1,000 homes).
std::string FormatFigure(absl::string_view key, const v1::Value& v);

// The figure exactly as the message holds it, for machine checks: "8",
// "4/7", "<5"; "" when unset.
std::string RawFigure(const v1::Value& v);

// "+16.7%", "-12.0%", "+8 pp", "n/a".
std::string FormatChange(absl::string_view key, const v1::Metric& m);

// The change from the previous period in words: "an increase of 16.7%" for
// a count, "8 percentage points more" for a rate, "no change". nullopt when
// the change is undefined (no previous figure, a suppressed cell).
struct ChangeWords {
  int direction;  // +1 up, -1 down, 0 no change
  std::string words;
};
std::optional<ChangeWords> DescribeChange(absl::string_view key,
                                          const v1::Metric& m);

// The main figures, in the order the headlines show them.
const std::vector<absl::string_view>& HeadlineKeys();
std::vector<std::string> Headlines(const v1::AnnualReport& r);

// "<council>: Customer feedback annual report 2023/24" ("" council: none).
std::string Title(const v1::AnnualReport& r, absl::string_view council);
// The period, the previous period, the as-of time and disclosure control.
std::string Notes(const v1::AnnualReport& r);
// "2024-06-30 22:59:59 UTC".
std::string AsOfText(const v1::AnnualReport& r);

// A table cell: the text a person reads, and the figure it shows exactly
// (RawFigure) when it shows one.
struct Cell {
  Cell(std::string t) : text(std::move(t)) {}  // NOLINT: a label cell
  Cell(const char* t) : text(t) {}             // NOLINT: a label cell
  Cell(std::string t, std::string r) : text(std::move(t)), raw(std::move(r)) {}
  std::string text;
  std::string raw;
};

// A table: the first column labels the row, the others are figures. `keys`
// names the metric key of each column ("" for labels), when there is one.
struct Table {
  std::vector<std::string> header;
  std::vector<std::string> keys;
  std::vector<std::vector<Cell>> rows;
  std::vector<Cell> total;  // a totals row, or empty
};

Table FiguresTable(const v1::AnnualReport& r);
// With `with_total`, `total` holds the report's totals ("All directorates").
Table DirectorateTable(const v1::AnnualReport& r, bool with_total = false);
Table FiveYearTable(const v1::AnnualReport& r);
Table MonthlyTable(const v1::AnnualReport& r);
Table TopServicesTable(const v1::AnnualReport& r);
// Ombudsman enquiries by body, this period and the previous one.
Table OmbudsmanEnquiriesTable(const v1::AnnualReport& r);
// The decisions of one Ombudsman ("lgsco" or "hos"), zeros included.
Table OmbudsmanDecisionsTable(const v1::AnnualReport& r,
                              absl::string_view body);

// "April 2023" for "2023-04"; the input unchanged if it is not a month.
std::string MonthName(absl::string_view month);

// The learning breakdown by directorate: lessons recorded, actions overdue,
// redress and non-financial remedies, compliments (and those through the
// contact centre), Ombudsman recommendations complied with on time.
Table LearningByDirectorateTable(const v1::AnnualReport& r);
// Lessons Learnt themes of the period, by type of case (the evidence bank).
Table ThemesTable(const v1::AnnualReport& r);
// The Ombudsman's figures in sentences: upheld rate, satisfactory remedy
// rate, recommendations complied with on time.
std::vector<std::string> OmbudsmanSentences(const v1::AnnualReport& r);

// The appendix: one sentence per figure, for a reader checking the report.
// Timescales are the report's policy (the Code's when unset).
struct Definition {
  std::string term;
  std::string text;
};
std::vector<Definition> Definitions(const v1::AnnualReport& r);

}  // namespace tellus::render_internal

#endif  // TELLUS_SRC_RENDER_INTERNAL_H_
