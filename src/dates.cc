#include "tellus/dates.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/time_util.h"

namespace tellus {

const absl::TimeZone& London() {
  static const absl::TimeZone* const zone = [] {
    auto* tz = new absl::TimeZone;
    if (!absl::LoadTimeZone("Europe/London", tz)) {
      std::fprintf(stderr,
                   "tellus: cannot load time zone Europe/London; install the "
                   "tzdata package (scripts/install-deps.sh)\n");
      std::abort();
    }
    return tz;
  }();
  return *zone;
}

absl::CivilDay LondonDate(absl::Time t) {
  return absl::ToCivilDay(t, London());
}

absl::Time StartOfLondonDay(absl::CivilDay day) {
  // Midnight exists every day in London (clocks change at 01:00/02:00).
  return London().At(absl::CivilSecond(day)).pre;
}

absl::Time EndOfLondonDay(absl::CivilDay day) {
  return London().At(absl::CivilSecond(day) + (24 * 60 * 60 - 1)).pre;
}

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::StatusOr<absl::CivilDay> ParseIsoDate(std::string_view text) {
  int y = 0, m = 0, d = 0;
  bool ok = text.size() == 10 && text[4] == '-' && text[7] == '-';
  for (size_t i = 0; ok && i < text.size(); ++i) {
    if (i == 4 || i == 7) continue;
    ok = text[i] >= '0' && text[i] <= '9';
  }
  if (ok) {
    y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 +
        (text[3] - '0');
    m = (text[5] - '0') * 10 + (text[6] - '0');
    d = (text[8] - '0') * 10 + (text[9] - '0');
    absl::CivilDay day(y, m, d);
    ok = y >= 1 && day.year() == y && day.month() == m && day.day() == d;
    if (ok) return day;
  }
  // Debian's Abseil has its own string_view, so StrCat takes a std::string.
  return absl::InvalidArgumentError(absl::StrCat(
      "'", std::string(text), "' is not a date of the form YYYY-MM-DD"));
}

absl::CivilDay FromProto(const v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

v1::Date ToProto(absl::CivilDay day) {
  v1::Date out;
  out.set_year(static_cast<int32_t>(day.year()));
  out.set_month(day.month());
  out.set_day(day.day());
  return out;
}

absl::StatusOr<EventTime> FromProto(const v1::When& when) {
  switch (when.value_case()) {
    case v1::When::kDate: {
      const v1::Date& d = when.date();
      absl::CivilDay day = FromProto(d);
      if (d.year() < 1 || d.year() > 9999 || day.year() != d.year() ||
          day.month() != d.month() || day.day() != d.day()) {
        return absl::InvalidArgumentError(
            absl::StrFormat("%04d-%02d-%02d is not a calendar date", d.year(),
                            d.month(), d.day()));
      }
      return EventTime::OnDate(day);
    }
    case v1::When::kAt: {
      // protobuf 3.21 has no TimeUtil::IsTimestampValid; same range check.
      using google::protobuf::util::TimeUtil;
      if (when.at().seconds() < TimeUtil::kTimestampMinSeconds ||
          when.at().seconds() > TimeUtil::kTimestampMaxSeconds ||
          when.at().nanos() < 0 || when.at().nanos() > 999999999) {
        return absl::InvalidArgumentError("timestamp out of range");
      }
      return EventTime::At(absl::FromUnixSeconds(when.at().seconds()) +
                           absl::Nanoseconds(when.at().nanos()));
    }
    case v1::When::VALUE_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("no date given");
}

v1::When ToProto(const EventTime& time) {
  v1::When out;
  if (time.at) {
    const int64_t ns = absl::ToUnixNanos(*time.at);
    int64_t seconds = ns / 1000000000;
    int64_t nanos = ns % 1000000000;
    if (nanos < 0) {
      nanos += 1000000000;
      seconds -= 1;
    }
    out.mutable_at()->set_seconds(seconds);
    out.mutable_at()->set_nanos(static_cast<int32_t>(nanos));
  } else {
    *out.mutable_date() = ToProto(time.date);
  }
  return out;
}

}  // namespace tellus
