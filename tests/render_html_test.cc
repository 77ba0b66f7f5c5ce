// The published HTML page, the Markdown report's sections and RenderReport,
// on the hand-built fixture report.
#include "tellus/render_html.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "report_fixture.h"
#include "tellus/render.h"
#include "tellus/report.h"

namespace tellus {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::AnnualReport BuildFixtureReport(bool publish = false) {
  v1::ReportSettings request = FixtureRequest();
  request.set_publish(publish);
  absl::StatusOr<v1::AnnualReport> report = BuildReport(Fixture(), request, 1);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : v1::AnnualReport();
}

int Occurrences(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

class RenderHtmlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    report_ = BuildFixtureReport();
    html_ = RenderHtml(report_, HtmlOptions());
  }
  v1::AnnualReport report_;
  std::string html_;
};

TEST_F(RenderHtmlTest, IsOneSelfContainedHtml5Page) {
  EXPECT_TRUE(
      absl::StartsWith(html_, "<!DOCTYPE html>\n<html lang=\"en-GB\">"));
  EXPECT_TRUE(absl::EndsWith(html_, "</html>\n"));
  EXPECT_THAT(html_, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html_, HasSubstr("<meta name=\"viewport\" "
                               "content=\"width=device-width, "
                               "initial-scale=1\">"));
  // No scripts, and nothing fetched: no URL of any scheme, no external
  // stylesheet, image, font or frame. The only url() is the inline pattern.
  for (absl::string_view banned :
       {"<script", "http:", "https:", "//", "<link", "<img", "<iframe",
        "<object", "<embed", "@import", "@font-face",
        " src=", "javascript:", " onload=", " onerror=", " onclick="}) {
    EXPECT_THAT(html_, Not(HasSubstr(std::string(banned)))) << banned;
  }
  EXPECT_EQ(Occurrences(html_, "url("), Occurrences(html_, "url(#"));
  EXPECT_THAT(html_, HasSubstr("Content-Security-Policy"));
}

TEST_F(RenderHtmlTest, PrintsOnA4AndReadsOnAPhone) {
  EXPECT_THAT(html_, HasSubstr("@page { size: A4; margin: 15mm; }"));
  EXPECT_THAT(html_, HasSubstr("@media print"));
  EXPECT_THAT(html_, HasSubstr("break-inside: avoid"));
  EXPECT_THAT(html_, HasSubstr("overflow-x: auto"));
  EXPECT_THAT(html_, HasSubstr("viewBox=\"0 0 720.0 360.0\""));
}

TEST_F(RenderHtmlTest, HeadingsTablesAndChartsAreSemantic) {
  EXPECT_EQ(Occurrences(html_, "<h1>"), 1);
  EXPECT_GE(Occurrences(html_, "<h2 "), 8);
  // Every table has a caption and header cells with a scope; tags balance.
  const int tables = Occurrences(html_, "<table ");
  EXPECT_GE(tables, 8);
  EXPECT_EQ(Occurrences(html_, "</table>"), tables);
  EXPECT_EQ(Occurrences(html_, "<caption "), tables);
  EXPECT_EQ(Occurrences(html_, "<th>"), 0);
  EXPECT_EQ(Occurrences(html_, "<section "), Occurrences(html_, "</section>"));
  // Two charts, each an image with a title and a description that name it.
  EXPECT_EQ(Occurrences(html_, "<svg "), 2);
  EXPECT_EQ(Occurrences(html_, "</svg>"), 2);
  for (absl::string_view id : {"five-year-chart", "monthly-chart"}) {
    EXPECT_THAT(html_, HasSubstr(absl::StrCat("id=\"", id,
                                              "\" viewBox=\"0 0 720.0 360.0\" "
                                              "role=\"img\" aria-labelledby=\"",
                                              id, "-title ", id, "-desc\"")));
    EXPECT_THAT(html_,
                HasSubstr(absl::StrCat("<title id=\"", id, "-title\">")));
    EXPECT_THAT(html_, HasSubstr(absl::StrCat("<desc id=\"", id, "-desc\">")));
  }
  // Every bar has a tooltip title of its own.
  EXPECT_EQ(Occurrences(html_, "<rect class=\"bar\""),
            Occurrences(html_, "</title></rect>"));
}

TEST_F(RenderHtmlTest, FiveYearBarsCarryTheSeries) {
  ASSERT_EQ(report_.five_year_size(), 5);
  for (const v1::FiveYearPoint& p : report_.five_year()) {
    const std::string label = p.period().label();
    EXPECT_THAT(html_,
                HasSubstr(absl::StrCat(
                    "data-series=\"stage1_received\" data-category=\"", label,
                    "\" data-value=\"", p.stage1_received(), "\"")));
    EXPECT_THAT(html_,
                HasSubstr(absl::StrCat(
                    "data-series=\"stage2_received\" data-category=\"", label,
                    "\" data-value=\"", p.stage2_received(), "\"")));
  }
  // The escalation rate under each year: 1 of 10 in 2023/24, none before.
  EXPECT_THAT(html_, HasSubstr(">10% escalated</text>"));
  EXPECT_THAT(html_, HasSubstr(">0% escalated</text>"));
  EXPECT_THAT(html_, HasSubstr(">n/a escalated</text>"));
  // Axis titles.
  EXPECT_THAT(html_, HasSubstr(">Complaints</text>"));
  EXPECT_THAT(html_, HasSubstr("Year (escalation rate to stage 2"));
}

TEST_F(RenderHtmlTest, HeadlinePanelsShowFigurePreviousAndChangeInWords) {
  for (absl::string_view key :
       {"complaints_received", "compliments", "enquiries", "interactions",
        "stage2_received", "ombudsman_enquiries", "upheld_rate",
        "lessons_learnt_rate", "escalation_rate", "stage1_on_time",
        "stage2_on_time"}) {
    const v1::Metric* m = FindMetric(report_.metrics(), key);
    ASSERT_NE(m, nullptr) << key;
    const size_t panel =
        html_.find(absl::StrCat("<li class=\"panel\" data-key=\"", key, "\">"));
    ASSERT_NE(panel, std::string::npos) << key;
    const std::string body =
        html_.substr(panel, html_.find("</li>", panel) - panel);
    EXPECT_THAT(body,
                HasSubstr(absl::StrCat(">", FormatValue(m->current()), "</p>")))
        << key;
    EXPECT_THAT(body, HasSubstr(absl::StrCat("2022/23: <span")));
    EXPECT_THAT(body, HasSubstr(absl::StrCat(">", FormatValue(m->previous()),
                                             "</span>")))
        << key;
  }
  // 10 complaints against 3: a relative change, arrow and words.
  EXPECT_THAT(html_, HasSubstr("data-direction=\"up\"><span class=\"arrow\" "
                               "aria-hidden=\"true\">▲</span>an increase of "
                               "233.3%</p>"));
  // 57.1% against 50% upheld: percentage points, never a percentage.
  EXPECT_THAT(html_, HasSubstr(">57.1%</p>"));
  EXPECT_THAT(html_, HasSubstr("4 of 7 complaints resolved"));
  EXPECT_THAT(html_, HasSubstr("7.1 percentage points more</p>"));
  // Stage 1 on time: 75% against 100%.
  EXPECT_THAT(html_, HasSubstr("▼</span>25 percentage points fewer</p>"));
  // No enquiries the year before: no relative change.
  EXPECT_THAT(html_, HasSubstr("No comparison possible"));
}

TEST_F(RenderHtmlTest, DirectorateTableHasEveryDirectorateAndTheTotals) {
  const size_t table = html_.find("<table id=\"directorate-table\">");
  ASSERT_NE(table, std::string::npos);
  const std::string body =
      html_.substr(table, html_.find("</table>", table) - table);
  EXPECT_THAT(body, HasSubstr("<caption id=\"directorate-table-caption\">"));
  for (absl::string_view header :
       {"Complaints", "Upheld", "Stage 1 on time", "Stage 2 on time",
        "Lessons Learnt", "Compliments"}) {
    EXPECT_THAT(body, HasSubstr(absl::StrCat(">", header, "</th>")));
  }
  for (const v1::DirectorateReport& d : report_.by_directorate()) {
    EXPECT_THAT(body, HasSubstr(absl::StrCat("<tr><th scope=\"row\">",
                                             d.directorate(), "</th>")));
  }
  // Environment: 2 complaints, 1 of 2 resolved upheld; Housing: 8.
  EXPECT_THAT(body, HasSubstr("<th scope=\"row\">Environment</th><td "
                              "class=\"num\" data-value=\"2\">2</td><td "
                              "class=\"num\" data-value=\"1/2\">50%</td>"));
  EXPECT_THAT(body, HasSubstr("<th scope=\"row\">Housing</th><td class=\"num\" "
                              "data-value=\"8\">8</td>"));
  EXPECT_THAT(body, HasSubstr("<tfoot>\n<tr><th scope=\"row\">All "
                              "directorates</th><td class=\"num\" "
                              "data-value=\"10\">10</td>"));
}

TEST_F(RenderHtmlTest, OmbudsmanAndDefinitions) {
  EXPECT_THAT(html_, HasSubstr("Local Government and Social Care Ombudsman "
                               "(LGSCO)</th><td class=\"num\" "
                               "data-value=\"1\">1</td>"));
  EXPECT_THAT(html_, HasSubstr(">Upheld: the council had already put things "
                               "right</th><td class=\"num\" "
                               "data-value=\"1\">1</td>"));
  EXPECT_THAT(html_, HasSubstr(">Maladministration</th><td class=\"num\" "
                               "data-value=\"1\">1</td>"));
  EXPECT_THAT(html_, HasSubstr(">Severe maladministration</th><td "
                               "class=\"num\" data-value=\"0\">0</td>"));
  EXPECT_THAT(html_, HasSubstr("<dl class=\"definitions\">"));
  for (absl::string_view term :
       {"Complaints received", "Complaints upheld (in full or in part)",
        "Stage 1 responses on time", "Stage 2 responses on time",
        "Escalation rate to stage 2", "Complaints with Lessons Learnt",
        "Ombudsman decisions", "Changes"}) {
    EXPECT_THAT(html_, HasSubstr(absl::StrCat("<dt>", term, "</dt>")));
  }
  // The Code's timescales, as the report's policy holds them.
  EXPECT_THAT(html_, HasSubstr("due 5 working days after receipt, and the "
                               "response 10 working days after"));
  EXPECT_THAT(html_, HasSubstr("never more than 20 working days after"));
}

TEST(RenderHtmlEscapingTest, EscapesEveryTextAndAttribute) {
  v1::AnnualReport report = BuildFixtureReport();
  v1::DirectorateReport* parks = report.add_by_directorate();
  *parks = report.by_directorate(0);
  parks->set_directorate("<Parks & \"Open\" Spaces>");
  report.mutable_top_services(0)->set_service("Bins 'n' <b>boxes</b>");
  HtmlOptions options;
  options.council = "King's Lynn & West Norfolk";
  options.logo_text = "<KL>";
  const std::string html = RenderHtml(report, options);
  EXPECT_THAT(html, HasSubstr("&lt;Parks &amp; &quot;Open&quot; Spaces&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<Parks")));
  EXPECT_THAT(html, HasSubstr("Bins &#39;n&#39; &lt;b&gt;boxes&lt;/b&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<b>")));
  EXPECT_THAT(html, HasSubstr("<title>King&#39;s Lynn &amp; West Norfolk: "
                              "Customer feedback annual report "
                              "2023/24</title>"));
  EXPECT_THAT(html, HasSubstr("aria-hidden=\"true\">&lt;KL&gt;</div>"));
  EXPECT_THAT(html, Not(HasSubstr("<KL>")));
}

TEST(RenderHtmlOptionsTest, CouncilDefaultsToTheSettingsThenCouncil) {
  v1::AnnualReport report = BuildFixtureReport();
  std::string html = RenderHtml(report, HtmlOptions());
  EXPECT_THAT(html, HasSubstr("<title>Council: Customer feedback annual "
                              "report 2023/24</title>"));
  report.mutable_settings()->set_council("Northshire Council");
  html = RenderHtml(report, HtmlOptions());
  // No logo text: the name alone, once, as the wordmark.
  EXPECT_THAT(html, HasSubstr("<div class=\"masthead-inner\"><p "
                              "class=\"council logo\">Northshire "
                              "Council</p></div>"));
  HtmlOptions options;
  options.logo_text = "NC";
  html = RenderHtml(report, options);
  EXPECT_THAT(html, HasSubstr("aria-hidden=\"true\">NC</div><p "
                              "class=\"council\">Northshire Council</p>"));
}

TEST(RenderHtmlPublishTest, SuppressedCellsShowAsTheMessageSays) {
  const v1::AnnualReport report = BuildFixtureReport(/*publish=*/true);
  const std::string html = RenderHtml(report, HtmlOptions());
  // Environment's 2 complaints and the rates built on them.
  EXPECT_THAT(html, HasSubstr("<th scope=\"row\">Environment</th><td "
                              "class=\"num\" data-value=\"&lt;5\">&lt;5</td>"));
  EXPECT_THAT(html, Not(HasSubstr("<5")));
  EXPECT_THAT(html, HasSubstr("Breakdowns counting 1 to 4 are shown as "
                              "&lt;5; totals are never suppressed."));
  EXPECT_THAT(html, HasSubstr("<dt>Small numbers</dt>"));
  // Totals are not suppressed.
  EXPECT_THAT(html, HasSubstr("<tfoot>\n<tr><th scope=\"row\">All "
                              "directorates</th><td class=\"num\" "
                              "data-value=\"10\">10</td>"));
}

TEST(RenderHtmlEmptyTest, AnEmptyReportStillRendersAValidPage) {
  const std::string html = RenderHtml(v1::AnnualReport(), HtmlOptions());
  EXPECT_TRUE(absl::EndsWith(html, "</html>\n"));
  EXPECT_EQ(Occurrences(html, "<svg "), 2);
  EXPECT_EQ(Occurrences(html, "<rect class=\"bar\""), 0);
  // No coordinate came out of a division by zero.
  EXPECT_THAT(html, Not(HasSubstr("nan\"")));
  EXPECT_THAT(html, Not(HasSubstr("inf\"")));
}

TEST(RenderMarkdownTest, HasTheSectionsOfThePublishedReport) {
  const std::string md = RenderMarkdown(BuildFixtureReport());
  for (absl::string_view heading :
       {"## Headlines", "## Figures",
        "## Stage 1 and stage 2 complaints over five years",
        "## By directorate", "## Top services by complaints", "## By month",
        "## Ombudsman", "### Enquiries by Ombudsman",
        "### Decisions of the Local Government and Social Care Ombudsman",
        "### Decisions of the Housing Ombudsman", "## Definitions"}) {
    EXPECT_THAT(md, HasSubstr(absl::StrCat("\n", heading, "\n"))) << heading;
  }
  EXPECT_THAT(md, HasSubstr("| **All directorates** | **10** |"));
  EXPECT_THAT(md, HasSubstr("| Maladministration | 1 | 0 |"));
  EXPECT_THAT(md, HasSubstr("- **Complaints received**: Complaints received "
                            "in the period."));
}

TEST(RenderReportTest, EveryFormatAndAClearErrorForOthers) {
  const v1::AnnualReport report = BuildFixtureReport();
  auto text = RenderReport(report, "text");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, RenderText(report));
  auto markdown = RenderReport(report, "markdown");
  ASSERT_TRUE(markdown.ok());
  EXPECT_EQ(*markdown, RenderMarkdown(report));
  auto json = RenderReport(report, "json");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(*json, *RenderJson(report));
  auto html = RenderReport(report, "html");
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(*html, RenderHtml(report, HtmlOptions()));
  auto pdf = RenderReport(report, "pdf");
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(pdf.status().message(),
            "unknown report format \"pdf\": expected text, markdown, json or "
            "html");
}

}  // namespace
}  // namespace tellus
