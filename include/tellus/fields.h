// Parsing of single CSV values: dates, date-times, enumerations, money.
//
//   absl::StatusOr<tellus::EventTime> at =
//       tellus::ParseDateOrDateTime("2023-06-14T10:32:00");  // London time
//   absl::StatusOr<tellus::v1::Outcome> outcome =
//       tellus::ParseOutcome("Partly Upheld");  // OUTCOME_PARTLY_UPHELD
//   absl::StatusOr<int64_t> pence = tellus::ParseMoneyPence("£1,250.00");
//   if (!pence.ok()) {
//     // "'£12.345' is not an amount of money: ..." -- the caller adds the
//     // file, line and column.
//   }
//
// The forms are FORMATS.md's. Every parser trims leading and trailing spaces
// first; an empty value ("not known") is the caller's to handle and is an
// error here. Errors are InvalidArgument and name the value and what was
// expected. These run once per field of million-row imports, so they are
// hand-written, do not allocate on success, and are safe to call from many
// threads.
#ifndef TELLUS_FIELDS_H_
#define TELLUS_FIELDS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "tellus/dates.h"
#include "tellus/v1/case.pb.h"
#include "tellus/v1/common.pb.h"
#include "tellus/v1/interaction.pb.h"

namespace tellus {

// `text` without leading and trailing spaces (only ' ', not tabs).
inline absl::string_view TrimSpaces(absl::string_view text) {
  size_t b = 0;
  size_t e = text.size();
  while (b < e && text[b] == ' ') ++b;
  while (e > b && text[e - 1] == ' ') --e;
  return text.substr(b, e - b);
}

// A date: "YYYY-MM-DD", or "D/M/YYYY" with one or two digits for the day and
// the month (day first, never month first). Must be a real calendar date.
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text);

// A date (as ParseDate), or a date-time
// "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM]" with `T` or a space between date and
// time. Without an offset the time is Europe/London local time: in the
// spring-forward gap it is read as if the clocks had not changed yet
// (2024-03-31 01:30 -> 01:30Z), in the autumn overlap it is the first of the
// two instants (2024-10-27 01:30 -> 00:30Z). The result's `date` is always the
// London civil date.
absl::StatusOr<EventTime> ParseDateOrDateTime(absl::string_view text);

// Lower case with spaces and hyphens turned into underscores, after trimming:
// "Partly Upheld" -> "partly_upheld". Non-ASCII bytes are kept as they are.
std::string NormalizeEnum(absl::string_view text);

// Enumerations, matched as NormalizeEnum does against the values FORMATS.md
// lists; the error lists the accepted values.
absl::StatusOr<v1::CaseType> ParseCaseType(absl::string_view text);
absl::StatusOr<v1::Channel> ParseChannel(absl::string_view text);
absl::StatusOr<v1::Outcome> ParseOutcome(absl::string_view text);
absl::StatusOr<v1::OmbudsmanBody> ParseOmbudsmanBody(absl::string_view text);
// Any body's decision; whether it belongs to the referral's body is the
// row validator's rule.
absl::StatusOr<v1::OmbudsmanDecision> ParseOmbudsmanDecision(
    absl::string_view text);
absl::StatusOr<v1::InteractionKind> ParseInteractionKind(
    absl::string_view text);

// Pounds with up to two decimals, optionally after a "£" and with thousands
// separated by commas ("150", "150.5", "£1,250.00"), as whole pence. A
// negative amount, a third decimal, a misplaced comma or anything else is an
// error.
absl::StatusOr<int64_t> ParseMoneyPence(absl::string_view text);

// Whether `text` is well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(absl::string_view text);

}  // namespace tellus

#endif  // TELLUS_FIELDS_H_
