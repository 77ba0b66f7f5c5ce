// libFuzzer target for the field parsers: no input may crash them, and a
// value they accept must mean what it says.
//
// Checked: an accepted date prints back to a date that parses the same; an
// accepted date-time's London date is the London date of its instant, and
// a local time agrees with absl::TimeZone; amounts are never negative.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "tellus/dates.h"
#include "tellus/fields.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fields_fuzzer: check failed: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<absl::CivilDay> day = tellus::ParseDate(text);
  if (day.ok()) {
    absl::StatusOr<absl::CivilDay> again =
        tellus::ParseDate(tellus::FormatDate(*day));
    Check(again.ok() && *again == *day, "date round trip");
    Check(day->year() >= 1 && day->year() <= 9999, "year in range");
  } else {
    Check(!day.status().message().empty(), "date error has a message");
  }

  absl::StatusOr<tellus::EventTime> when = tellus::ParseDateOrDateTime(text);
  if (when.ok()) {
    if (when->at.has_value()) {
      Check(when->date == tellus::LondonDate(*when->at), "London date");
      const absl::string_view t = tellus::TrimSpaces(text);
      if (t.size() == 16 || t.size() == 19) {  // no offset: London time
        auto num = [&t](size_t at, size_t len) {
          int v = 0;
          for (size_t i = at; i < at + len; ++i) v = v * 10 + (t[i] - '0');
          return v;
        };
        const absl::CivilSecond civil(num(0, 4), num(5, 2), num(8, 2),
                                      num(11, 2), num(14, 2),
                                      t.size() == 19 ? num(17, 2) : 0);
        Check(tellus::London().At(civil).pre == *when->at,
              "local time agrees with absl");
      }
    } else {
      Check(day.ok() && when->date == *day, "date-only agrees with ParseDate");
    }
  }

  absl::StatusOr<int64_t> pence = tellus::ParseMoneyPence(text);
  Check(!pence.ok() || *pence >= 0, "amount not negative");

  (void)tellus::ParseCaseType(text);
  (void)tellus::ParseChannel(text);
  (void)tellus::ParseOutcome(text);
  (void)tellus::ParseOmbudsmanBody(text);
  (void)tellus::ParseOmbudsmanDecision(text);
  (void)tellus::ParseInteractionKind(text);
  Check(tellus::NormalizeEnum(text).size() == tellus::TrimSpaces(text).size(),
        "normalizing keeps the length");
  (void)tellus::IsValidUtf8(text);
  return 0;
}
