#include "tellus/fields.h"

#include <atomic>
#include <cstring>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace tellus {
namespace {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads `n` digits at `p`; false if any is not a digit.
inline bool Digits(const char* p, int n, int& value) {
  int v = 0;
  for (int i = 0; i < n; ++i) {
    if (!IsDigit(p[i])) return false;
    v = v * 10 + (p[i] - '0');
  }
  value = v;
  return true;
}

inline bool IsLeapYear(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

inline bool IsCalendarDate(int y, int m, int d) {
  static constexpr int kDays[] = {0,  31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  return d <= kDays[m] || (m == 2 && d == 29 && IsLeapYear(y));
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil), so that instants are computed without a time zone
// lookup.
inline int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return int64_t{era} * 146097 + doe - 719468;
}

inline absl::CivilDay CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return absl::CivilDay(yoe + era * 400 + (m <= 2), m, d);
}

inline int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

constexpr int64_t kSecondsPerDay = 86400;

// Europe/London's UTC offset is the same all day on all but two days a year,
// so it is looked up in the zone once per day and cached. Two small
// direct-mapped caches shared by all threads: one keyed by the local civil
// day (local time -> instant), one keyed by the UTC day (instant -> London
// date). Each entry is one 64-bit atomic word holding the day and its
// offset together, so a reader sees a whole entry or a miss, without locks
// or thread-local lookups. A day in which the offset changes is marked
// irregular and every value on it goes through absl::TimeZone, which handles
// the gap and the overlap.
constexpr int32_t kIrregular = INT32_MIN;
constexpr int kCacheSize = 1024;

using DayCache = std::atomic<uint64_t>[kCacheSize];

// Days of years 1..9999 are within +-3.7 million of 1970, so the biased day
// is never 0, and 0 is an empty entry.
constexpr int64_t kDayBias = int64_t{1} << 30;

inline int32_t CachedOffset(DayCache& cache, int64_t day,
                            int32_t (*compute)(int64_t)) {
  std::atomic<uint64_t>& entry = cache[day & (kCacheSize - 1)];
  const uint64_t key = static_cast<uint64_t>(day + kDayBias) << 32;
  const uint64_t word = entry.load(std::memory_order_relaxed);
  if (ABSL_PREDICT_TRUE((word & ~uint64_t{0xFFFFFFFF}) == key)) {
    return static_cast<int32_t>(static_cast<uint32_t>(word));
  }
  const int32_t offset = compute(day);
  entry.store(key | static_cast<uint32_t>(offset), std::memory_order_relaxed);
  return offset;
}

// No offset change in [t0, t1]? When the zone cannot say (NextTransition
// gives up far in the future, where the offset still follows the rule), the
// answer is no, and the caller falls back to absl::TimeZone.
bool NoTransitionWithin(absl::Time t0, absl::Time t1) {
  absl::TimeZone::CivilTransition trans;
  if (!London().NextTransition(t0 - absl::Seconds(1), &trans)) return false;
  return London().At(trans.to).trans > t1 &&
         London().At(t0).offset == London().At(t1).offset;
}

int32_t ComputeLocalDayOffset(int64_t day) {
  const absl::CivilSecond start(CivilFromDays(day));
  const absl::CivilSecond last = start + (kSecondsPerDay - 1);
  const absl::TimeZone::TimeInfo a = London().At(start);
  const absl::TimeZone::TimeInfo b = London().At(last);
  if (a.kind != absl::TimeZone::TimeInfo::UNIQUE ||
      b.kind != absl::TimeZone::TimeInfo::UNIQUE ||
      !NoTransitionWithin(a.pre, b.pre)) {
    return kIrregular;
  }
  return static_cast<int32_t>(day * kSecondsPerDay -
                              absl::ToUnixSeconds(a.pre));
}

int32_t ComputeUtcDayOffset(int64_t day) {
  const absl::Time t0 = absl::FromUnixSeconds(day * kSecondsPerDay);
  const absl::Time t1 = t0 + absl::Seconds(kSecondsPerDay - 1);
  if (!NoTransitionWithin(t0, t1)) return kIrregular;
  return London().At(t0).offset;
}

DayCache local_day_cache;  // zero-initialised: every entry empty
DayCache utc_day_cache;

inline int32_t LocalDayOffset(int64_t day) {
  return CachedOffset(local_day_cache, day, ComputeLocalDayOffset);
}

inline int32_t UtcDayOffset(int64_t day) {
  return CachedOffset(utc_day_cache, day, ComputeUtcDayOffset);
}

absl::Status BadDate(absl::string_view text) {
  return absl::InvalidArgumentError(
      absl::StrCat("\'", text,
                   "' is not a date (expected YYYY-MM-DD or D/M/YYYY, day "
                   "first)"));
}

absl::Status NotCalendarDate(absl::string_view text) {
  return absl::InvalidArgumentError(
      absl::StrCat("\'", text, "' is not a calendar date"));
}

absl::Status BadDateTime(absl::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat(
      "'", text,
      "' is not a date or date-time (expected YYYY-MM-DD, D/M/YYYY, or "
      "YYYY-MM-DDTHH:MM[:SS] optionally followed by Z or +HH:MM/-HH:MM)"));
}

// Parses a date; on failure `calendar` tells whether the form was right but
// the date impossible.
bool ParseDateFields(absl::string_view t, int& y, int& m, int& d,
                     bool& calendar) {
  calendar = false;
  const char* p = t.data();
  const size_t n = t.size();
  if (n == 10 && p[4] == '-' && p[7] == '-') {
    if (!Digits(p, 4, y) || !Digits(p + 5, 2, m) || !Digits(p + 8, 2, d)) {
      return false;
    }
  } else {
    // D/M/YYYY: the day and month have one or two digits.
    size_t i = 0;
    auto small = [&](int& v) {
      if (i >= n || !IsDigit(p[i])) return false;
      v = p[i++] - '0';
      if (i < n && IsDigit(p[i])) v = v * 10 + (p[i++] - '0');
      return true;
    };
    if (!small(d) || i >= n || p[i++] != '/') return false;
    if (!small(m) || i >= n || p[i++] != '/') return false;
    if (n - i != 4 || !Digits(p + i, 4, y)) return false;
  }
  calendar = true;
  return IsCalendarDate(y, m, d);
}

struct EnumName {
  absl::string_view name;
  int value;
};

// Whether `text` normalises to `name` (which is already lower case with
// underscores), compared in place without building the normal form.
inline bool MatchesNormalized(absl::string_view text, absl::string_view name) {
  if (text.size() != name.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (c == ' ' || c == '-') {
      c = '_';
    }
    if (c != name[i]) return false;
  }
  return true;
}

template <size_t K>
absl::StatusOr<int> ParseEnum(absl::string_view text,
                              const EnumName (&names)[K],
                              absl::string_view what) {
  const absl::string_view trimmed = TrimSpaces(text);
  // Exports mostly hold the canonical spelling: try that first.
  for (const EnumName& e : names) {
    if (trimmed == e.name) return e.value;
  }
  for (const EnumName& e : names) {
    if (MatchesNormalized(trimmed, e.name)) return e.value;
  }
  std::string expected;
  for (const EnumName& e : names) {
    absl::StrAppend(&expected, expected.empty() ? "" : ", ", e.name);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "'", trimmed, "' is not ", what, " (expected one of: ", expected, ")"));
}

constexpr EnumName kCaseTypes[] = {
    {"complaint", v1::CASE_TYPE_COMPLAINT},
    {"compliment", v1::CASE_TYPE_COMPLIMENT},
    {"enquiry", v1::CASE_TYPE_ENQUIRY},
};

constexpr EnumName kChannels[] = {
    {"phone", v1::CHANNEL_PHONE},
    {"email", v1::CHANNEL_EMAIL},
    {"web", v1::CHANNEL_WEB},
    {"letter", v1::CHANNEL_LETTER},
    {"in_person", v1::CHANNEL_IN_PERSON},
    {"social_media", v1::CHANNEL_SOCIAL_MEDIA},
    {"other", v1::CHANNEL_OTHER},
};

constexpr EnumName kOutcomes[] = {
    {"upheld", v1::OUTCOME_UPHELD},
    {"partly_upheld", v1::OUTCOME_PARTLY_UPHELD},
    {"not_upheld", v1::OUTCOME_NOT_UPHELD},
};

constexpr EnumName kBodies[] = {
    {"lgsco", v1::OMBUDSMAN_BODY_LGSCO},
    {"hos", v1::OMBUDSMAN_BODY_HOS},
};

constexpr EnumName kDecisions[] = {
    {"premature", v1::OMBUDSMAN_DECISION_PREMATURE},
    {"closed_after_initial_enquiries",
     v1::OMBUDSMAN_DECISION_CLOSED_AFTER_INITIAL_ENQUIRIES},
    {"upheld", v1::OMBUDSMAN_DECISION_UPHELD},
    {"upheld_satisfactory_remedy",
     v1::OMBUDSMAN_DECISION_UPHELD_SATISFACTORY_REMEDY},
    {"not_upheld", v1::OMBUDSMAN_DECISION_NOT_UPHELD},
    {"no_maladministration", v1::OMBUDSMAN_DECISION_NO_MALADMINISTRATION},
    {"service_failure", v1::OMBUDSMAN_DECISION_SERVICE_FAILURE},
    {"maladministration", v1::OMBUDSMAN_DECISION_MALADMINISTRATION},
    {"severe_maladministration",
     v1::OMBUDSMAN_DECISION_SEVERE_MALADMINISTRATION},
    {"redress", v1::OMBUDSMAN_DECISION_REDRESS},
    {"outside_jurisdiction", v1::OMBUDSMAN_DECISION_OUTSIDE_JURISDICTION},
    {"withdrawn", v1::OMBUDSMAN_DECISION_WITHDRAWN},
};

constexpr EnumName kInteractionKinds[] = {
    {"contact", v1::INTERACTION_KIND_CONTACT},
    {"enquiry", v1::INTERACTION_KIND_ENQUIRY},
    {"complaint", v1::INTERACTION_KIND_COMPLAINT},
    {"compliment", v1::INTERACTION_KIND_COMPLIMENT},
    {"follow_up", v1::INTERACTION_KIND_FOLLOW_UP},
};

}  // namespace

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text) {
  const absl::string_view t = TrimSpaces(text);
  int y = 0, m = 0, d = 0;
  bool calendar = false;
  if (ABSL_PREDICT_TRUE(ParseDateFields(t, y, m, d, calendar))) {
    return absl::CivilDay(y, m, d);
  }
  return calendar ? NotCalendarDate(t) : BadDate(t);
}

absl::StatusOr<EventTime> ParseDateOrDateTime(absl::string_view text) {
  const absl::string_view t = TrimSpaces(text);
  const char* p = t.data();
  const size_t n = t.size();
  if (n <= 10) {
    int y = 0, m = 0, d = 0;
    bool calendar = false;
    if (ABSL_PREDICT_TRUE(ParseDateFields(t, y, m, d, calendar))) {
      return EventTime::OnDate(absl::CivilDay(y, m, d));
    }
    if (calendar) return NotCalendarDate(t);
    return BadDateTime(t);
  }

  // YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM]
  int y, mo, d, h, mi, s = 0;
  if (n < 16 || p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != ' ') ||
      p[13] != ':' || !Digits(p, 4, y) || !Digits(p + 5, 2, mo) ||
      !Digits(p + 8, 2, d) || !Digits(p + 11, 2, h) || !Digits(p + 14, 2, mi)) {
    return BadDateTime(t);
  }
  size_t i = 16;
  if (i < n && p[i] == ':') {
    if (n < i + 3 || !Digits(p + i + 1, 2, s)) return BadDateTime(t);
    i += 3;
  }
  bool has_offset = false;
  int offset = 0;
  if (i < n) {
    if (p[i] == 'Z' && i + 1 == n) {
      has_offset = true;
    } else if ((p[i] == '+' || p[i] == '-') && n == i + 6 && p[i + 3] == ':') {
      int oh, om;
      if (!Digits(p + i + 1, 2, oh) || !Digits(p + i + 4, 2, om) || oh > 23 ||
          om > 59) {
        return BadDateTime(t);
      }
      offset = (oh * 60 + om) * 60 * (p[i] == '-' ? -1 : 1);
      has_offset = true;
    } else {
      return BadDateTime(t);
    }
  }
  if (h > 23 || mi > 59 || s > 59) {
    return absl::InvalidArgumentError(
        absl::StrCat("\'", t, "' is not a time of day"));
  }
  if (!IsCalendarDate(y, mo, d)) return NotCalendarDate(t);

  const int64_t day = DaysFromCivil(y, mo, d);
  const int64_t civil_seconds = day * kSecondsPerDay + h * 3600 + mi * 60 + s;
  if (!has_offset) {
    const int32_t london = LocalDayOffset(day);
    if (ABSL_PREDICT_TRUE(london != kIrregular)) {
      return EventTime{absl::CivilDay(y, mo, d),
                       absl::FromUnixSeconds(civil_seconds - london)};
    }
    // A day on which the clocks change: `pre` is the reading with the offset
    // in force before the change, which FORMATS.md asks for in the gap, and
    // the earlier instant in the overlap.
    return EventTime::At(
        London().At(absl::CivilSecond(y, mo, d, h, mi, s)).pre);
  }
  const int64_t unix_seconds = civil_seconds - offset;
  const int64_t utc_day = FloorDiv(unix_seconds, kSecondsPerDay);
  const int32_t london = UtcDayOffset(utc_day);
  const absl::Time at = absl::FromUnixSeconds(unix_seconds);
  if (ABSL_PREDICT_TRUE(london != kIrregular)) {
    return EventTime{
        CivilFromDays(FloorDiv(unix_seconds + london, kSecondsPerDay)), at};
  }
  return EventTime::At(at);
}

std::string NormalizeEnum(absl::string_view text) {
  std::string out(TrimSpaces(text));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (c == ' ' || c == '-') {
      c = '_';
    }
  }
  return out;
}

absl::StatusOr<v1::CaseType> ParseCaseType(absl::string_view text) {
  absl::StatusOr<int> v = ParseEnum(text, kCaseTypes, "a case type");
  if (!v.ok()) return v.status();
  return static_cast<v1::CaseType>(*v);
}

absl::StatusOr<v1::Channel> ParseChannel(absl::string_view text) {
  absl::StatusOr<int> v = ParseEnum(text, kChannels, "a channel");
  if (!v.ok()) return v.status();
  return static_cast<v1::Channel>(*v);
}

absl::StatusOr<v1::Outcome> ParseOutcome(absl::string_view text) {
  absl::StatusOr<int> v = ParseEnum(text, kOutcomes, "an outcome");
  if (!v.ok()) return v.status();
  return static_cast<v1::Outcome>(*v);
}

absl::StatusOr<v1::OmbudsmanBody> ParseOmbudsmanBody(absl::string_view text) {
  absl::StatusOr<int> v = ParseEnum(text, kBodies, "an Ombudsman");
  if (!v.ok()) return v.status();
  return static_cast<v1::OmbudsmanBody>(*v);
}

absl::StatusOr<v1::OmbudsmanDecision> ParseOmbudsmanDecision(
    absl::string_view text) {
  absl::StatusOr<int> v = ParseEnum(text, kDecisions, "an Ombudsman decision");
  if (!v.ok()) return v.status();
  return static_cast<v1::OmbudsmanDecision>(*v);
}

absl::StatusOr<v1::InteractionKind> ParseInteractionKind(
    absl::string_view text) {
  absl::StatusOr<int> v =
      ParseEnum(text, kInteractionKinds, "an interaction kind");
  if (!v.ok()) return v.status();
  return static_cast<v1::InteractionKind>(*v);
}

absl::StatusOr<int64_t> ParseMoneyPence(absl::string_view text) {
  const absl::string_view t = TrimSpaces(text);
  absl::string_view s = t;
  constexpr absl::string_view kPound = "\xC2\xA3";  // "£" in UTF-8
  bool negative = false;
  if (!s.empty() && s.front() == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  if (s.substr(0, kPound.size()) == kPound) s.remove_prefix(kPound.size());
  if (!s.empty() && s.front() == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", t,
        "' is not an amount of money (expected pounds with up to two "
        "decimals, such as 150, 150.5 or £1,250.00)"));
  };
  // Whole pounds: digits, or groups of three separated by commas.
  int64_t pounds = 0;
  size_t i = 0;
  size_t digits = 0;
  size_t group = 0;  // digits since the last comma
  bool grouped = false;
  for (; i < s.size() && s[i] != '.'; ++i) {
    const char c = s[i];
    if (IsDigit(c)) {
      if (++digits > 13) {
        return absl::InvalidArgumentError(
            absl::StrCat("\'", t, "' is too large an amount of money"));
      }
      pounds = pounds * 10 + (c - '0');
      ++group;
    } else if (c == ',') {
      // The first group has one to three digits, every later one three.
      if (grouped ? group != 3 : (group == 0 || group > 3)) return bad();
      grouped = true;
      group = 0;
    } else {
      return bad();
    }
  }
  if (digits == 0 || (grouped && group != 3)) return bad();
  int64_t pence = 0;
  if (i < s.size()) {
    // s[i] == '.': one or two decimals.
    const size_t decimals = s.size() - i - 1;
    if (decimals < 1 || decimals > 2 || !IsDigit(s[i + 1]) ||
        (decimals == 2 && !IsDigit(s[i + 2]))) {
      return bad();
    }
    pence = (s[i + 1] - '0') * 10 + (decimals == 2 ? s[i + 2] - '0' : 0);
  }
  if (negative) {
    return absl::InvalidArgumentError(
        absl::StrCat("\'", t, "' is a negative amount of money"));
  }
  return pounds * 100 + pence;
}

bool IsValidUtf8(absl::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const e = p + text.size();
  while (p < e) {
    // Sixteen ASCII bytes at a time: the common case.
    if (e - p >= 16) {
      uint64_t a, b;
      std::memcpy(&a, p, 8);
      std::memcpy(&b, p + 8, 8);
      if (((a | b) & 0x8080808080808080ULL) == 0) {
        p += 16;
        continue;
      }
    }
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int len;
    unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (e - p < len) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (int k = 2; k < len; ++k) {
      if (p[k] < 0x80 || p[k] > 0xBF) return false;
    }
    p += len;
  }
  return true;
}

}  // namespace tellus
