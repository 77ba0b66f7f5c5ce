// Renders an AnnualReport for people (text, Markdown, HTML) and programs
// (JSON).
//
//   absl::StatusOr<std::string> out = tellus::RenderReport(report, "html");
//   absl::StatusOr<std::string> json = tellus::RenderJson(report);
//   std::string text = tellus::RenderText(report);
//   // "3730 complaints were received in 2023/24, compared with 3196 in
//   //  2022/23: an increase of 16.7%."
//
// Rounding happens only here. Counts change by a relative percentage
// (current - previous) / previous; rates change by percentage points, and a
// point difference is never called a percentage. An undefined ratio is "n/a".
#ifndef TELLUS_RENDER_H_
#define TELLUS_RENDER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tellus/v1/report.pb.h"

namespace tellus {

// The report in one of the formats the CLI offers: "text", "markdown",
// "json" or "html" (RenderHtml with default options). Any other format is
// InvalidArgument, naming the formats there are.
absl::StatusOr<std::string> RenderReport(const v1::AnnualReport& report,
                                         absl::string_view format);

// The proto3 JSON mapping with field names as in the .proto and every field
// printed, zeros included (FORMATS.md's report contract).
absl::StatusOr<std::string> RenderJson(const v1::AnnualReport& report);

std::string RenderText(const v1::AnnualReport& report);
std::string RenderMarkdown(const v1::AnnualReport& report);

// "45%", "6.1%", "n/a" (a ratio as a percentage, one decimal, ".0" dropped);
// "<5" for a suppressed cell; counts as whole numbers.
std::string FormatValue(const v1::Value& value);

// The sentence for one headline figure, e.g. "3730 complaints were received
// in 2023/24, compared with 3196 in 2022/23: an increase of 16.7%."
std::string HeadlineSentence(const v1::AnnualReport& report,
                             absl::string_view key);

}  // namespace tellus

#endif  // TELLUS_RENDER_H_
