// Renders an AnnualReport as the published report: one self-contained HTML5
// page with inline CSS and inline SVG charts, no scripts, and nothing
// fetched from anywhere, so it can be mailed, archived or put on a website
// as it is.
//
//   tellus::HtmlOptions options;
//   options.council = "Northshire Council";
//   options.logo_text = "NC";
//   std::string page = tellus::RenderHtml(report, options);
//   // Save as annual-report.html; it prints on A4 and reads on a phone.
//
// Every figure on the page comes from the message, worded as the text and
// Markdown renderers word it: counts change by a relative percentage, rates
// by percentage points, each with an arrow and words (never colour alone).
// Suppressed cells (`publish`) show as the message says, e.g. "<5". Bars,
// panels and table cells carry the exact figure in a `data-value` attribute
// ("8", "4/7", "<5") so that tools can check the page against the message.
#ifndef TELLUS_RENDER_HTML_H_
#define TELLUS_RENDER_HTML_H_

#include <string>

#include "tellus/v1/report.pb.h"

namespace tellus {

struct HtmlOptions {
  // The council's name, in the masthead and the page title. Empty: the
  // report's settings().council(), or "Council" when that is empty too.
  std::string council;
  // Short text shown boxed as the council's logo in the masthead, beside
  // its name (e.g. "NC"). Empty: the name alone, boxed as the wordmark.
  std::string logo_text;
};

std::string RenderHtml(const v1::AnnualReport& report,
                       const HtmlOptions& options);

}  // namespace tellus

#endif  // TELLUS_RENDER_HTML_H_
