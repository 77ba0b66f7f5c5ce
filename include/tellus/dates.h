// Civil dates, instants and Europe/London, the time zone every figure uses.
//
//   absl::CivilDay day = tellus::LondonDate(absl::FromUnixSeconds(1711927800));
//   // 2024-03-31T23:30:00Z is 2024-04-01 in London (BST).
//   std::string text = tellus::FormatDate(day);  // "2024-04-01"
//   tellus::EventTime received = tellus::EventTime::OnDate(day);
//
// METRICS.md: every timestamp is stored in UTC and attributed to a civil
// date in Europe/London; a date-only value is that civil date.
#ifndef TELLUS_DATES_H_
#define TELLUS_DATES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tellus/v1/common.pb.h"

namespace tellus {

// Europe/London from the system's tzdata, loaded once. Dies with a clear
// message if tzdata is missing (scripts/install-deps.sh installs it).
const absl::TimeZone& London();

// The London civil date of an instant.
absl::CivilDay LondonDate(absl::Time t);

// The first instant of a London civil date (00:00 local time).
absl::Time StartOfLondonDay(absl::CivilDay day);

// The last second of a London civil date (23:59:59 local time): what an
// as-of given as a date means (FORMATS.md: 2024-06-30 -> 22:59:59Z).
absl::Time EndOfLondonDay(absl::CivilDay day);

// Days since 1970-01-01, the form columnar tables store dates in.
inline int32_t DayNumber(absl::CivilDay day) {
  return static_cast<int32_t>(day - absl::CivilDay(1970, 1, 1));
}
inline absl::CivilDay FromDayNumber(int32_t n) {
  return absl::CivilDay(1970, 1, 1) + n;
}

// "YYYY-MM-DD".
std::string FormatDate(absl::CivilDay day);

// Parses exactly "YYYY-MM-DD" (a real calendar date).
absl::StatusOr<absl::CivilDay> ParseIsoDate(absl::string_view text);

// When an event happened: always its London civil date, and the exact
// instant when the source knew one.
struct EventTime {
  absl::CivilDay date;
  std::optional<absl::Time> at;

  static EventTime OnDate(absl::CivilDay d) { return {d, std::nullopt}; }
  static EventTime At(absl::Time t) { return {LondonDate(t), t}; }

  // The instant from which the event is seen by an as-of time: the event's
  // own instant, or the start of its London day for a date-only event (a
  // date D is seen when D is on or before the as-of time's London date).
  absl::Time SeenFrom() const { return at ? *at : StartOfLondonDay(date); }
  bool SeenAt(absl::Time as_of) const { return SeenFrom() <= as_of; }

  friend bool operator==(const EventTime&, const EventTime&) = default;
};

// Conversions to and from the schema.
absl::CivilDay FromProto(const v1::Date& date);
v1::Date ToProto(absl::CivilDay day);
// Fails when `when` is unset or holds an impossible date.
absl::StatusOr<EventTime> FromProto(const v1::When& when);
v1::When ToProto(const EventTime& time);

}  // namespace tellus

#endif  // TELLUS_DATES_H_
