#include "tellus/render_html.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "render_internal.h"
#include "tellus/render.h"
#include "tellus/report.h"

namespace tellus {
namespace {

using render_internal::Cell;
using render_internal::Table;

// Text and attribute values alike: the five characters that can end either.
std::string Escape(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Coordinates inside the SVG viewBox; not figures of the report.
std::string Px(double x) { return absl::StrFormat("%.1f", x); }

// The page's only styling. Body text is near-black on white or very light
// grey (over 17:1), secondary text dark grey (over 9:1), the masthead white
// on dark blue (13.8:1): WCAG AA with room to spare. Bars differ by fill
// *and* pattern, outlined at 6.6:1 or more, and carry their figures as
// labels, so no reader depends on telling colours apart.
constexpr absl::string_view kCss = R"css(
@page { size: A4; margin: 15mm; }
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: #0b0c0c; line-height: 1.5;
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
    Arial, sans-serif; }
a { color: #1d4f91; }
a:focus, .table-wrap:focus { outline: 3px solid #fd0; outline-offset: 0;
  background: #fd0; color: #0b0c0c; }
.skip { position: absolute; left: -9999px; }
.skip:focus { position: static; display: block; padding: .5rem 1rem; }
.masthead { background: #0b2e4f; color: #fff; }
.masthead-inner { max-width: 72rem; margin: 0 auto; padding: 1rem 1.25rem;
  display: flex; align-items: center; gap: 1rem; flex-wrap: wrap; }
.logo { border: 3px solid #fff; padding: .2rem .6rem; font-weight: 700;
  font-size: 1.25rem; letter-spacing: .03em; }
.council { margin: 0; font-size: 1.125rem; font-weight: 600; }
.council.logo { font-size: 1.25rem; font-weight: 700; }
main { display: block; max-width: 72rem; margin: 0 auto;
  padding: 1.5rem 1.25rem 2rem; }
h1 { font-size: 2.25rem; line-height: 1.15; margin: .25rem 0 1rem; }
h2 { font-size: 1.5rem; line-height: 1.25; margin: 2.5rem 0 1rem;
  padding-top: .75rem; border-top: 4px solid #0b2e4f; }
h3 { font-size: 1.0625rem; line-height: 1.3; margin: 0 0 .5rem; }
p { max-width: 48rem; }
.lede { font-size: 1.125rem; }
.contents ol { margin: 0; padding-left: 1.5rem; columns: 2 16rem; }
.panels { list-style: none; margin: 0; padding: 0; display: grid; gap: 1rem;
  grid-template-columns: repeat(auto-fill, minmax(14.5rem, 1fr)); }
.panel { background: #f3f2f1; border-left: 6px solid #1d4f91; padding: 1rem;
  break-inside: avoid; page-break-inside: avoid; }
.panel p { margin: 0; }
.panel .figure { font-size: 2.25rem; font-weight: 700; line-height: 1.15; }
.panel .basis, .panel .previous { color: #383f43; }
.panel .change { margin-top: .5rem; font-weight: 600; }
.arrow { display: inline-block; min-width: 1.1em; }
figure { margin: 0 0 1rem; break-inside: avoid; page-break-inside: avoid; }
figcaption { color: #383f43; max-width: 48rem; margin-top: .25rem; }
.chart-scroll { overflow-x: auto; }
svg.chart { display: block; width: 100%; height: auto; min-width: 34rem;
  max-width: 60rem; }
svg.chart text { fill: #0b0c0c; font-family: inherit; }
svg.chart .tick, svg.chart .sublabel { fill: #383f43; }
.table-wrap { overflow-x: auto; max-width: 100%; margin: 0 0 1.5rem;
  break-inside: avoid; page-break-inside: avoid; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 700; padding-bottom: .5rem; }
th, td { text-align: left; vertical-align: top; padding: .4rem .75rem .4rem 0;
  border-bottom: 1px solid #b1b4b6; }
thead th { border-bottom: 2px solid #0b0c0c; vertical-align: bottom;
  white-space: normal; }
tbody th, tfoot th { font-weight: 600; min-width: 11rem; }
th.sub { font-weight: 400; padding-left: 1.25rem; }
.num { text-align: right; white-space: nowrap; padding-left: .75rem; }
thead .num { white-space: normal; }
tfoot th, tfoot td { font-weight: 700; border-top: 2px solid #0b0c0c; }
.two-up { display: grid; gap: 0 2rem;
  grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); }
.definitions dt { font-weight: 700; margin-top: .75rem; }
.definitions dd { margin: 0; max-width: 48rem; }
footer { border-top: 1px solid #b1b4b6; color: #383f43; }
footer p { max-width: 72rem; margin: 0 auto; padding: 1rem 1.25rem; }
@media (max-width: 40rem) {
  h1 { font-size: 1.75rem; }
  h2 { font-size: 1.25rem; }
  main { padding: 1rem; }
  tbody th, tfoot th { min-width: 7rem; }
  .panels { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: .5rem; }
  .panel { padding: .75rem; border-left-width: 4px; }
  .panel .figure { font-size: 1.625rem; }
}
@media print {
  html { font-size: 10pt; }
  .skip, .contents { display: none; }
  .masthead { background: #fff; color: #0b0c0c; border-bottom: 2pt solid #0b0c0c; }
  .logo { border-color: #0b0c0c; }
  .masthead-inner, main, footer p { max-width: none; padding-left: 0;
    padding-right: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .panels { grid-template-columns: repeat(3, 1fr); gap: 3mm; }
  .panel { border: 1pt solid #505a5f; border-left: 4pt solid #1d4f91; }
  .panel .figure { font-size: 18pt; }
  .chart-scroll, .table-wrap { overflow: visible; }
  svg.chart { min-width: 0; max-width: 100%; }
  tr, dt, dd { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
)css";

// --- Tables ---------------------------------------------------------------

std::string DataValue(const std::string& raw) {
  return raw.empty() ? "" : absl::StrCat(" data-value=\"", Escape(raw), "\"");
}

std::string TableRow(const Table& t, const std::vector<Cell>& row) {
  std::string out = "<tr>";
  for (size_t i = 0; i < row.size(); ++i) {
    const Cell& c = row[i];
    const bool figure = i < t.keys.size() && !t.keys[i].empty();
    if (i == 0) {
      // Leading spaces mark a sub-row ("  from the LGSCO") in the figures.
      const bool sub = absl::StartsWith(c.text, " ");
      absl::StrAppend(
          &out, "<th scope=\"row\"", sub ? " class=\"sub\"" : "",
          c.raw.empty() ? "" : " data-key=\"" + Escape(c.raw) + "\"", ">",
          Escape(absl::StripLeadingAsciiWhitespace(c.text)), "</th>");
    } else {
      absl::StrAppend(&out, "<td", figure ? " class=\"num\"" : "",
                      DataValue(c.raw), ">", Escape(c.text), "</td>");
    }
  }
  return out + "</tr>\n";
}

// A table with a caption, column and row headers, in a region that scrolls
// sideways on a narrow screen (focusable, so it scrolls from the keyboard).
std::string HtmlTable(const Table& t, absl::string_view id,
                      absl::string_view caption) {
  std::string out = absl::StrCat(
      "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" "
      "aria-labelledby=\"",
      id, "-caption\">\n<table id=\"", id, "\">\n<caption id=\"", id,
      "-caption\">", Escape(caption), "</caption>\n<thead><tr>");
  for (size_t i = 0; i < t.header.size(); ++i) {
    const bool figure = i < t.keys.size() && !t.keys[i].empty();
    absl::StrAppend(
        &out, "<th scope=\"col\"", figure ? " class=\"num\"" : "",
        figure ? absl::StrCat(" data-key=\"", Escape(t.keys[i]), "\"") : "",
        ">", Escape(t.header[i]), "</th>");
  }
  absl::StrAppend(&out, "</tr></thead>\n<tbody>\n");
  for (const auto& row : t.rows) absl::StrAppend(&out, TableRow(t, row));
  absl::StrAppend(&out, "</tbody>\n");
  if (!t.total.empty()) {
    absl::StrAppend(&out, "<tfoot>\n", TableRow(t, t.total), "</tfoot>\n");
  }
  return out + "</table>\n</div>\n";
}

// --- Charts ---------------------------------------------------------------

struct Series {
  std::string key;   // data-series, e.g. "stage1_received"
  std::string name;  // legend, e.g. "Stage 1 complaints"
  bool hatched;      // the second series: a pattern as well as a colour
};

struct Group {
  std::string category;  // data-category, e.g. "2023/24" or "2023-04"
  std::string label;     // under the bars
  std::string sublabel;  // a second line under the label, may be empty
  std::vector<std::optional<int64_t>> values;  // one per series
};

struct Chart {
  std::string id;
  std::string title;
  std::string desc;
  std::string x_axis;
  std::string y_axis;
  std::vector<Series> series;
  std::vector<Group> groups;
  double value_font = 13;
};

// A step of 1, 2 or 5 times a power of ten giving about four gridlines.
int64_t NiceStep(int64_t max) {
  const double rough = std::max(1.0, static_cast<double>(max) / 4.0);
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * power >= rough) return static_cast<int64_t>(m * power);
  }
  return static_cast<int64_t>(10 * power);
}

constexpr absl::string_view kSolid = "#1d4f91";  // 8.1:1 on white
constexpr absl::string_view kHatch = "#a33b0b";  // 6.6:1 on white

std::string SeriesFill(const Chart& c, const Series& s) {
  return s.hatched ? absl::StrCat("url(#", c.id, "-hatch)")
                   : std::string(kSolid);
}

std::string SeriesStroke(const Series& s) {
  return std::string(s.hatched ? kHatch : kSolid);
}

// Grouped bars with a legend, gridlines, axis titles, a label on every bar
// and a `<title>` per bar; `role="img"` with its title and description.
std::string BarChart(const Chart& c) {
  constexpr double kWidth = 720, kHeight = 360;
  constexpr double kLeft = 72, kRight = 12, kTop = 52, kBottom = 84;
  const double plot_w = kWidth - kLeft - kRight;
  const double plot_h = kHeight - kTop - kBottom;
  const double base = kTop + plot_h;

  int64_t max = 0;
  for (const Group& g : c.groups) {
    for (const auto& v : g.values) max = std::max(max, v.value_or(0));
  }
  const int64_t step = NiceStep(max);
  const int64_t top = std::max<int64_t>(step, (max + step - 1) / step * step);
  auto y_of = [&](int64_t v) {
    return base - plot_h * static_cast<double>(v) / static_cast<double>(top);
  };

  std::string out = absl::StrCat(
      "<svg class=\"chart\" id=\"", c.id, "\" viewBox=\"0 0 ", Px(kWidth), " ",
      Px(kHeight), "\" role=\"img\" aria-labelledby=\"", c.id, "-title ", c.id,
      "-desc\" font-size=\"14\">\n<title id=\"", c.id, "-title\">",
      Escape(c.title), "</title>\n<desc id=\"", c.id, "-desc\">",
      Escape(c.desc), "</desc>\n");
  absl::StrAppend(&out, "<defs><pattern id=\"", c.id,
                  "-hatch\" width=\"6\" height=\"6\" "
                  "patternUnits=\"userSpaceOnUse\" "
                  "patternTransform=\"rotate(45)\"><rect width=\"6\" "
                  "height=\"6\" fill=\"#fbe3d3\"/><rect width=\"3\" "
                  "height=\"6\" fill=\"",
                  kHatch, "\"/></pattern></defs>\n");

  // Legend, top left, in the order of the bars.
  double lx = kLeft;
  for (const Series& s : c.series) {
    absl::StrAppend(&out, "<rect x=\"", Px(lx),
                    "\" y=\"14\" width=\"18\" "
                    "height=\"18\" fill=\"",
                    SeriesFill(c, s), "\" stroke=\"", SeriesStroke(s),
                    "\" stroke-width=\"1.5\"/><text x=\"", Px(lx + 26),
                    "\" y=\"28\">", Escape(s.name), "</text>\n");
    lx += 40 + 8.2 * static_cast<double>(s.name.size());
  }

  // Gridlines and the y axis' ticks.
  for (int64_t v = 0; v <= top; v += step) {
    const double y = y_of(v);
    absl::StrAppend(&out, "<line x1=\"", Px(kLeft), "\" x2=\"",
                    Px(kWidth - kRight), "\" y1=\"", Px(y), "\" y2=\"", Px(y),
                    "\" stroke=\"", v == 0 ? "#0b0c0c" : "#c9cccf",
                    "\" stroke-width=\"1\"/><text class=\"tick\" x=\"",
                    Px(kLeft - 8), "\" y=\"", Px(y + 5),
                    "\" text-anchor=\"end\" font-size=\"13\">", v, "</text>\n");
  }
  absl::StrAppend(&out, "<text class=\"axis-title\" transform=\"translate(18 ",
                  Px(kTop + plot_h / 2),
                  ") rotate(-90)\" "
                  "text-anchor=\"middle\" font-weight=\"600\">",
                  Escape(c.y_axis), "</text>\n");
  absl::StrAppend(&out, "<text class=\"axis-title\" x=\"",
                  Px(kLeft + plot_w / 2), "\" y=\"", Px(kHeight - 8),
                  "\" text-anchor=\"middle\" font-weight=\"600\">",
                  Escape(c.x_axis), "</text>\n");

  // The bars.
  const double group_w = plot_w / static_cast<double>(c.groups.size());
  const double gap = 4;
  const double n = static_cast<double>(c.series.size());
  const double bar_w = std::min(56.0, (group_w * 0.8 - gap * (n - 1)) / n);
  for (size_t gi = 0; gi < c.groups.size(); ++gi) {
    const Group& g = c.groups[gi];
    const double center = kLeft + group_w * (static_cast<double>(gi) + 0.5);
    double x = center - (n * bar_w + (n - 1) * gap) / 2;
    out += "<g class=\"group\">\n";
    for (size_t si = 0; si < c.series.size(); ++si, x += bar_w + gap) {
      if (si >= g.values.size() || !g.values[si]) continue;
      const Series& s = c.series[si];
      const int64_t v = *g.values[si];
      const double y = y_of(v);
      absl::StrAppend(
          &out, "<rect class=\"bar\" data-series=\"", Escape(s.key),
          "\" data-category=\"", Escape(g.category), "\" data-value=\"", v,
          "\" x=\"", Px(x), "\" y=\"", Px(y), "\" width=\"", Px(bar_w),
          "\" height=\"", Px(base - y), "\" fill=\"", SeriesFill(c, s),
          "\" stroke=\"", SeriesStroke(s), "\" stroke-width=\"1.5\"><title>",
          Escape(g.label), " ", Escape(g.sublabel), ": ", v, " ",
          Escape(absl::AsciiStrToLower(s.name)), "</title></rect>",
          "<text class=\"value\" x=\"", Px(x + bar_w / 2), "\" y=\"", Px(y - 6),
          "\" text-anchor=\"middle\" font-size=\"", Px(c.value_font),
          "\" font-weight=\"600\">", v, "</text>\n");
    }
    absl::StrAppend(&out, "<text class=\"label\" x=\"", Px(center), "\" y=\"",
                    Px(base + 20), "\" text-anchor=\"middle\">",
                    Escape(g.label), "</text>");
    if (!g.sublabel.empty()) {
      absl::StrAppend(&out, "<text class=\"sublabel\" x=\"", Px(center),
                      "\" y=\"", Px(base + 38),
                      "\" text-anchor=\"middle\" font-size=\"13\">",
                      Escape(g.sublabel), "</text>");
    }
    out += "\n</g>\n";
  }
  return out + "</svg>\n";
}

std::string FiveYearChart(const v1::AnnualReport& r) {
  Chart c;
  c.id = "five-year-chart";
  c.title = "Stage 1 complaints and stage 2 escalations, five years";
  c.x_axis = "Year (escalation rate to stage 2 below each year)";
  c.y_axis = "Complaints";
  c.series = {{"stage1_received", "Stage 1 complaints", false},
              {"stage2_received", "Stage 2 escalations", true}};
  std::vector<std::string> parts;
  for (const v1::FiveYearPoint& p : r.five_year()) {
    v1::Value rate;
    *rate.mutable_ratio() = p.escalation_rate();
    const std::string escalated = absl::StrCat(FormatValue(rate), " escalated");
    c.groups.push_back({p.period().label(),
                        p.period().label(),
                        escalated,
                        {p.stage1_received(), p.stage2_received()}});
    parts.push_back(absl::StrCat(p.period().label(), ": ", p.stage1_received(),
                                 " stage 1, ", p.stage2_received(),
                                 " stage 2 (", escalated, ")"));
  }
  c.desc = absl::StrCat(
      "Bar chart of stage 1 complaints received and stage 2 escalations "
      "requested in each year. ",
      absl::StrJoin(parts, "; "), ". The table below gives the same figures.");
  return BarChart(c);
}

std::optional<int64_t> MonthCount(const v1::MonthlyPoint& m,
                                  absl::string_view key) {
  for (const v1::Count& c : m.counts()) {
    if (c.key() == key) return c.count();
  }
  return std::nullopt;
}

std::string MonthlyChart(const v1::AnnualReport& r) {
  Chart c;
  c.id = "monthly-chart";
  c.title =
      absl::StrCat("Complaints and compliments by month, ", r.period().label());
  c.x_axis = "Month";
  c.y_axis = "Cases received";
  c.value_font = 11;
  c.series = {{"complaints_received", "Complaints", false},
              {"compliments", "Compliments", true}};
  std::vector<std::string> parts;
  for (int i = 0; i < r.monthly_size(); ++i) {
    const v1::MonthlyPoint& m = r.monthly(i);
    const std::string name = render_internal::MonthName(m.month());
    const bool dated = name != m.month();
    const std::string label = dated ? name.substr(0, 3) : name;
    // The year under the first month and under each January.
    const std::string year =
        dated && (i == 0 || absl::StartsWith(name, "January"))
            ? m.month().substr(0, 4)
            : "";
    const auto complaints = MonthCount(m, "complaints_received");
    const auto compliments = MonthCount(m, "compliments");
    c.groups.push_back({m.month(), label, year, {complaints, compliments}});
    parts.push_back(absl::StrCat(
        name, ": ", complaints ? absl::StrCat(*complaints) : "n/a",
        " complaints, ", compliments ? absl::StrCat(*compliments) : "n/a",
        " compliments"));
  }
  c.desc = absl::StrCat(
      "Bar chart of complaints and compliments received in each month. ",
      absl::StrJoin(parts, "; "), ". The table below gives the same figures.");
  return BarChart(c);
}

// --- Headline panels ------------------------------------------------------

// "4 of 7 complaints resolved": what a rate is made of, so a reader can
// check it.
std::string Basis(absl::string_view key, const v1::Ratio& ratio) {
  const int64_t n = ratio.numerator(), d = ratio.denominator();
  if (key == "upheld_rate") {
    return absl::StrCat(n, " of ", d, " complaints resolved");
  }
  if (key == "lessons_learnt_rate") {
    return absl::StrCat(n, " of ", d, " complaints received");
  }
  if (key == "escalation_rate") {
    return absl::StrCat(n, " escalated, ", d, " received");
  }
  if (key == "stage1_on_time" || key == "stage2_on_time") {
    return absl::StrCat(n, " of ", d, " responses");
  }
  return absl::StrCat(n, " of ", d);
}

std::string Panel(const v1::AnnualReport& r, const v1::Metric& m) {
  const std::string& key = m.key();
  std::string out = absl::StrCat(
      "<li class=\"panel\" data-key=\"", Escape(key), "\">\n<h3>",
      Escape(absl::StripLeadingAsciiWhitespace(render_internal::LabelOf(key))),
      "</h3>\n<p class=\"figure\"",
      DataValue(render_internal::RawFigure(m.current())), ">",
      Escape(render_internal::FormatFigure(key, m.current())), "</p>\n");
  if (m.current().has_ratio()) {
    absl::StrAppend(&out, "<p class=\"basis\">",
                    Escape(Basis(key, m.current().ratio())), "</p>\n");
  }
  const auto change = render_internal::DescribeChange(key, m);
  if (change) {
    const absl::string_view arrow = change->direction > 0   ? "▲"
                                    : change->direction < 0 ? "▼"
                                                            : "■";
    absl::StrAppend(&out, "<p class=\"change\" data-direction=\"",
                    change->direction > 0   ? "up"
                    : change->direction < 0 ? "down"
                                            : "same",
                    "\"><span class=\"arrow\" aria-hidden=\"true\">", arrow,
                    "</span>", Escape(change->words), "</p>\n");
  } else {
    absl::StrAppend(&out,
                    "<p class=\"change\" data-direction=\"none\">"
                    "<span class=\"arrow\" aria-hidden=\"true\">–</span>"
                    "No comparison possible</p>\n");
  }
  absl::StrAppend(&out, "<p class=\"previous\">",
                  Escape(r.previous_period().label()), ": <span",
                  DataValue(render_internal::RawFigure(m.previous())), ">",
                  Escape(render_internal::FormatFigure(key, m.previous())),
                  "</span></p>\n</li>\n");
  return out;
}

// --- The page -------------------------------------------------------------

// The council's name, boxed as a wordmark; a separate logo text, when there
// is one, goes in the box instead and the name beside it (the box is then
// decoration: screen readers hear the name once).
std::string Masthead(const std::string& council, const std::string& logo) {
  std::string out = "<header class=\"masthead\"><div class=\"masthead-inner\">";
  if (logo.empty() || logo == council) {
    absl::StrAppend(&out, "<p class=\"council logo\">", Escape(council),
                    "</p>");
  } else {
    absl::StrAppend(&out, "<div class=\"logo\" aria-hidden=\"true\">",
                    Escape(logo), "</div><p class=\"council\">",
                    Escape(council), "</p>");
  }
  return out + "</div></header>\n";
}

struct Section {
  absl::string_view id;
  std::string heading;
};

std::string OpenSection(const Section& s) {
  return absl::StrCat("<section id=\"", s.id, "\" aria-labelledby=\"", s.id,
                      "-h\">\n<h2 id=\"", s.id, "-h\">", Escape(s.heading),
                      "</h2>\n");
}

}  // namespace

std::string RenderHtml(const v1::AnnualReport& r, const HtmlOptions& options) {
  const std::string council = !options.council.empty() ? options.council
                              : !r.settings().council().empty()
                                  ? r.settings().council()
                                  : std::string("Council");
  const std::string label = r.period().label();

  const std::vector<Section> sections = {
      {"headlines", "Headlines"},
      {"five-years", "Stage 1 and stage 2 complaints over five years"},
      {"months", "Complaints and compliments by month"},
      {"directorates", "By directorate"},
      {"services", "Top services by complaints"},
      {"ombudsman", "The Ombudsman"},
      {"learning", "Learning and remedies"},
      {"figures", "All figures"},
      {"definitions", "Definitions"},
  };

  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta "
      "charset=\"utf-8\">\n<meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\">\n",
      // Nothing may be fetched or run: the page is its own archive copy.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
      "'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action "
      "'none'\">\n<title>",
      Escape(render_internal::Title(r, council)), "</title>\n<style>", kCss,
      "</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the "
      "report</a>\n",
      Masthead(council, options.logo_text),
      "<main id=\"main\">\n<h1>Customer feedback annual report ", Escape(label),
      "</h1>\n<p class=\"lede\">", Escape(render_internal::Notes(r)), "</p>\n");

  absl::StrAppend(&out,
                  "<nav class=\"contents\" aria-labelledby=\"contents-h\">\n"
                  "<h2 id=\"contents-h\">Contents</h2>\n<ol>\n");
  for (const Section& s : sections) {
    absl::StrAppend(&out, "<li><a href=\"#", s.id, "\">", Escape(s.heading),
                    "</a></li>\n");
  }
  absl::StrAppend(&out, "</ol>\n</nav>\n");

  // Headlines.
  absl::StrAppend(&out, OpenSection(sections[0]), "<ul class=\"panels\">\n");
  for (absl::string_view key : render_internal::HeadlineKeys()) {
    if (const v1::Metric* m = FindMetric(r.metrics(), key)) {
      absl::StrAppend(&out, Panel(r, *m));
    }
  }
  absl::StrAppend(&out, "</ul>\n</section>\n");

  // Five years.
  absl::StrAppend(
      &out, OpenSection(sections[1]),
      "<figure>\n<div class=\"chart-scroll\">\n", FiveYearChart(r),
      "</div>\n<figcaption>Solid bars: stage 1 complaints received. Hatched "
      "bars: stage 2 escalations requested. Below each year, the escalation "
      "rate: stage 2 escalations divided by stage 1 complaints.</figcaption>"
      "\n</figure>\n",
      HtmlTable(render_internal::FiveYearTable(r), "five-year-table",
                "Stage 1 and stage 2 complaints by year"),
      "</section>\n");

  // Months.
  Table monthly = render_internal::MonthlyTable(r);
  for (auto& row : monthly.rows) {
    row[0].text = render_internal::MonthName(row[0].raw);
  }
  absl::StrAppend(
      &out, OpenSection(sections[2]),
      "<figure>\n<div class=\"chart-scroll\">\n", MonthlyChart(r),
      "</div>\n<figcaption>Solid bars: complaints received. Hatched bars: "
      "compliments received.</figcaption>\n</figure>\n",
      HtmlTable(monthly, "monthly-table",
                absl::StrCat("Cases and contacts by month, ", label)),
      "</section>\n");

  // Directorates.
  absl::StrAppend(
      &out, OpenSection(sections[3]),
      HtmlTable(
          render_internal::DirectorateTable(r, /*with_total=*/true),
          "directorate-table",
          absl::StrCat("Complaints and compliments by directorate, ", label)),
      "</section>\n");

  // Top services.
  absl::StrAppend(
      &out, OpenSection(sections[4]),
      HtmlTable(render_internal::TopServicesTable(r), "services-table",
                absl::StrCat("The services with the most complaints, ", label)),
      "</section>\n");

  // The Ombudsman.
  absl::StrAppend(&out, OpenSection(sections[5]));
  if (FindMetric(r.metrics(), "ombudsman_enquiries")) {
    absl::StrAppend(&out, "<p>",
                    Escape(HeadlineSentence(r, "ombudsman_enquiries")),
                    "</p>\n");
  }
  absl::StrAppend(
      &out,
      HtmlTable(render_internal::OmbudsmanEnquiriesTable(r),
                "ombudsman-enquiries-table", "Enquiries by Ombudsman"),
      "<div class=\"two-up\">\n",
      HtmlTable(render_internal::OmbudsmanDecisionsTable(r, "lgsco"),
                "lgsco-decisions-table",
                "Decisions of the Local Government and Social Care Ombudsman"),
      HtmlTable(render_internal::OmbudsmanDecisionsTable(r, "hos"),
                "hos-decisions-table", "Decisions of the Housing Ombudsman"),
      "</div>\n");
  for (const std::string& line : render_internal::OmbudsmanSentences(r)) {
    absl::StrAppend(&out, "<p>", Escape(line), "</p>\n");
  }
  absl::StrAppend(&out, "</section>\n");

  // Learning: what each directorate learnt and put right, and the themes.
  absl::StrAppend(
      &out, OpenSection(sections[6]),
      HtmlTable(
          render_internal::LearningByDirectorateTable(r), "learning-table",
          absl::StrCat("Lessons Learnt and remedies by directorate, ", label)),
      HtmlTable(render_internal::ThemesTable(r), "themes-table",
                absl::StrCat("Lessons Learnt themes, ", label)),
      "</section>\n");

  // Every figure, then what each one means.
  absl::StrAppend(&out, OpenSection(sections[7]),
                  HtmlTable(render_internal::FiguresTable(r), "figures-table",
                            absl::StrCat("Every figure of the report, ", label,
                                         " and the year before")),
                  "</section>\n", OpenSection(sections[8]),
                  "<dl class=\"definitions\">\n");
  for (const render_internal::Definition& d : render_internal::Definitions(r)) {
    absl::StrAppend(&out, "<dt>", Escape(d.term), "</dt>\n<dd>", Escape(d.text),
                    "</dd>\n");
  }
  absl::StrAppend(&out, "</dl>\n</section>\n</main>\n<footer><p>",
                  Escape(council), ". Customer feedback annual report ",
                  Escape(label), ". Figures as of ",
                  Escape(render_internal::AsOfText(r)),
                  ".</p></footer>\n</body>\n</html>\n");
  return out;
}

}  // namespace tellus
