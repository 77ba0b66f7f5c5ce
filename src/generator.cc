#include "tellus/generator.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "tellus/status_macros.h"

namespace tellus {
namespace {

// ---------------------------------------------------------------------------
// Randomness. xoshiro256** seeded through splitmix64, and only integer
// arithmetic on its output, so every platform draws the same rows.

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// One stream per purpose, so that (for instance) the contact volume changes
// the filler contacts and nothing else.
uint64_t StreamSeed(uint64_t seed, uint64_t stream, uint64_t sub = 0) {
  uint64_t state = seed ^ (stream * 0xD1B54A32D192ED03ULL);
  SplitMix64(state);
  state ^= sub * 0x8CB92BA72F3D8DD7ULL;
  return SplitMix64(state);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& s : s_) s = SplitMix64(seed);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n), n < 2^32 (multiply-shift; bias below 2^-32).
  uint32_t Below(uint32_t n) {
    return static_cast<uint32_t>(((Next() >> 32) * n) >> 32);
  }
  // Uniform in [lo, hi].
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint32_t>(hi - lo + 1)));
  }
  // True with probability per10k / 10000.
  bool Chance(int per10k) { return static_cast<int>(Below(10000)) < per10k; }
  // An index drawn in proportion to the weights.
  int Pick(std::initializer_list<uint32_t> weights) {
    uint32_t total = 0;
    for (uint32_t w : weights) total += w;
    uint32_t x = Below(total);
    int i = 0;
    for (uint32_t w : weights) {
      if (x < w) return i;
      x -= w;
      ++i;
    }
    return i - 1;
  }
  // A sort key for drawing without replacement: the lower, the sooner a
  // candidate is drawn; a heavier weight tends to a lower key.
  uint64_t Key(uint32_t weight) { return (Next() >> 16) / weight; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// ---------------------------------------------------------------------------
// Days, as day numbers since 1970-01-01 (H. Hinnant's civil algorithms).

constexpr int32_t kNone = std::numeric_limits<int32_t>::min();

int32_t DayNumber(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Ymd {
  int y, m, d;
};

Ymd CivilOf(int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (m <= 2), m, d};
}

int Weekday(int32_t day) { return ((day % 7) + 7 + 3) % 7; }  // 0 = Monday

// The financial year (April to March) a day falls in, by its start year.
int FinancialYear(int32_t day) {
  const Ymd c = CivilOf(day);
  return c.m >= 4 ? c.y : c.y - 1;
}
int32_t FinancialYearStart(int fy) { return DayNumber(fy, 4, 1); }
int32_t FinancialYearEnd(int fy) { return DayNumber(fy + 1, 3, 31); }

// England and Wales working days over the generated span. The generator
// keeps its own table so that it depends on nothing but itself.
class WorkingDays {
 public:
  WorkingDays() : first_(DayNumber(2019, 1, 1)) {
    holiday_.assign(DayNumber(2026, 1, 1) - first_, 0);
    static constexpr int kHolidays[][3] = {
        {2019, 1, 1},   {2019, 4, 19},  {2019, 4, 22},  {2019, 5, 6},
        {2019, 5, 27},  {2019, 8, 26},  {2019, 12, 25}, {2019, 12, 26},
        {2020, 1, 1},   {2020, 4, 10},  {2020, 4, 13},  {2020, 5, 8},
        {2020, 5, 25},  {2020, 8, 31},  {2020, 12, 25}, {2020, 12, 28},
        {2021, 1, 1},   {2021, 4, 2},   {2021, 4, 5},   {2021, 5, 3},
        {2021, 5, 31},  {2021, 8, 30},  {2021, 12, 27}, {2021, 12, 28},
        {2022, 1, 3},   {2022, 4, 15},  {2022, 4, 18},  {2022, 5, 2},
        {2022, 6, 2},   {2022, 6, 3},   {2022, 8, 29},  {2022, 9, 19},
        {2022, 12, 26}, {2022, 12, 27}, {2023, 1, 2},   {2023, 4, 7},
        {2023, 4, 10},  {2023, 5, 1},   {2023, 5, 8},   {2023, 5, 29},
        {2023, 8, 28},  {2023, 12, 25}, {2023, 12, 26}, {2024, 1, 1},
        {2024, 3, 29},  {2024, 4, 1},   {2024, 5, 6},   {2024, 5, 27},
        {2024, 8, 26},  {2024, 12, 25}, {2024, 12, 26}, {2025, 1, 1},
        {2025, 4, 18},  {2025, 4, 21},  {2025, 5, 5},   {2025, 5, 26},
        {2025, 8, 25},  {2025, 12, 25}, {2025, 12, 26}};
    for (const auto& h : kHolidays) {
      holiday_[DayNumber(h[0], h[1], h[2]) - first_] = 1;
    }
  }

  bool IsHoliday(int32_t day) const {
    const int32_t i = day - first_;
    return i >= 0 && i < static_cast<int32_t>(holiday_.size()) &&
           holiday_[i] != 0;
  }
  bool IsWorking(int32_t day) const {
    return Weekday(day) < 5 && !IsHoliday(day);
  }
  // The n-th working day after `day` (n == 0: `day` itself).
  int32_t Add(int32_t day, int n) const {
    while (n > 0) {
      ++day;
      if (IsWorking(day)) --n;
    }
    return day;
  }

 private:
  int32_t first_;
  std::vector<uint8_t> holiday_;
};

// The day British Summer Time starts (last Sunday of March): 01:00-01:59
// does not exist on it, so no generated local time falls there.
bool IsSpringForward(int32_t day) {
  const Ymd c = CivilOf(day);
  return c.m == 3 && c.d >= 25 && Weekday(day) == 6;
}

// ---------------------------------------------------------------------------
// The profile: directorates, services and yearly volumes.

enum Channel : uint8_t {
  kPhone,
  kEmail,
  kWeb,
  kLetter,
  kInPerson,
  kSocialMedia,
  kOtherChannel,
  kChannelCount
};
constexpr const char* kChannelNames[kChannelCount] = {
    "phone", "email", "web", "letter", "in_person", "social_media", "other"};
bool IsDigital(uint8_t channel) {
  return channel == kEmail || channel == kWeb || channel == kSocialMedia ||
         channel == kOtherChannel;
}

enum CaseType : uint8_t { kComplaint, kCompliment, kEnquiry, kCaseTypeCount };
constexpr const char* kCaseTypeNames[] = {"complaint", "compliment", "enquiry"};
constexpr const char* kRefPrefix[] = {"CMP", "CPL", "ENQ"};

enum Outcome : uint8_t { kNoOutcome, kUpheld, kPartlyUpheld, kNotUpheld };
constexpr const char* kOutcomeNames[] = {"", "upheld", "partly_upheld",
                                         "not_upheld"};
bool UpheldToSomeDegree(uint8_t o) {
  return o == kUpheld || o == kPartlyUpheld;
}

enum Body : uint8_t { kNoBody, kLgsco, kHos };
constexpr const char* kBodyNames[] = {"", "lgsco", "hos"};

enum Decision : uint8_t {
  kNoDecision,
  kPremature,
  kClosedAfterInitialEnquiries,
  kOmbUpheld,
  kUpheldSatisfactoryRemedy,
  kOmbNotUpheld,
  kNoMaladministration,
  kServiceFailure,
  kMaladministration,
  kSevereMaladministration,
  kRedress,
  kOutsideJurisdiction,
  kOmbWithdrawn,
};
constexpr const char* kDecisionNames[] = {"",
                                          "premature",
                                          "closed_after_initial_enquiries",
                                          "upheld",
                                          "upheld_satisfactory_remedy",
                                          "not_upheld",
                                          "no_maladministration",
                                          "service_failure",
                                          "maladministration",
                                          "severe_maladministration",
                                          "redress",
                                          "outside_jurisdiction",
                                          "withdrawn"};

enum InteractionKind : uint8_t {
  kContact,
  kEnquiryContact,
  kComplaintContact,
  kComplimentContact,
  kFollowUp
};
constexpr const char* kKindNames[] = {"contact", "enquiry", "complaint",
                                      "compliment", "follow_up"};

struct ServiceSpec {
  const char* directorate;
  const char* name;
  // Relative volumes of complaints, contacts, enquiries and compliments.
  uint32_t complaints, contacts, enquiries, compliments;
  uint32_t uphold;   // relative propensity to uphold a complaint
  int lateness;      // percent of the usual chance of a late response
  bool landlord;     // the council as landlord: Housing Ombudsman
  int remedy_share;  // per 10k of complaints upheld to some degree
  int remedy_max;    // pounds
  std::array<const char*, 3> teams;
};

// Volumes are shaped on a metropolitan borough: housing repairs, waste and
// council tax dominate complaints and contact.
const ServiceSpec kServices[] = {
    {"Adult Social Care",
     "Assessment & Care Management",
     90,
     22,
     60,
     26,
     12,
     150,
     false,
     2500,
     1500,
     {"Social Work Team North", "Hospital Discharge Team",
      "Occupational Therapy"}},
    {"Adult Social Care",
     "Home Care & Reablement",
     60,
     12,
     25,
     30,
     11,
     130,
     false,
     2000,
     800,
     {"Reablement Team", "Home Care Brokerage", nullptr}},
    {"Adult Social Care",
     "Financial Assessments",
     35,
     10,
     30,
     3,
     10,
     110,
     false,
     1500,
     400,
     {"Financial Assessment Team", nullptr, nullptr}},
    {"Borough Economy",
     "Waste & Recycling",
     330,
     115,
     900,
     22,
     15,
     80,
     false,
     500,
     100,
     {"Refuse Crews", "Garden Waste Team", "Bulky Waste Team"}},
    {"Borough Economy",
     "Street Cleansing",
     70,
     25,
     250,
     9,
     12,
     80,
     false,
     300,
     100,
     {"Street Scene Team", "Fly-tipping Enforcement", nullptr}},
    {"Borough Economy",
     "Parks, Open Spaces & Bereavement",
     55,
     15,
     220,
     26,
     9,
     90,
     false,
     800,
     500,
     {"Bereavement Services", "Parks Rangers", "Grounds Maintenance"}},
    {"Borough Economy",
     "Libraries & Leisure",
     35,
     20,
     180,
     30,
     8,
     70,
     false,
     500,
     150,
     {"Central Library", "Home Library Service", nullptr}},
    {"Business Strategy & Change",
     "Customer Services",
     120,
     60,
     400,
     36,
     11,
     80,
     false,
     500,
     100,
     {"Contact Centre", "Customer Service Centre", "Digital Services"}},
    {"Business Strategy & Change",
     "Registrars",
     25,
     12,
     250,
     20,
     9,
     70,
     false,
     800,
     300,
     {"Register Office", "Ceremonies Team", nullptr}},
    {"Business Strategy & Change",
     "ICT & Digital",
     15,
     5,
     60,
     2,
     7,
     90,
     false,
     300,
     100,
     {"Service Desk", nullptr, nullptr}},
    {"Children's Services",
     "Children's Social Care",
     130,
     15,
     150,
     10,
     10,
     160,
     false,
     2000,
     1500,
     {"Family Support Team", "Fostering Team", "Leaving Care Team"}},
    {"Children's Services",
     "Special Educational Needs",
     90,
     10,
     200,
     4,
     13,
     170,
     false,
     3500,
     2000,
     {"SEND Casework Team", "Educational Psychology", nullptr}},
    {"Children's Services",
     "School Admissions & Transport",
     55,
     15,
     500,
     3,
     8,
     100,
     false,
     1000,
     400,
     {"Admissions Team", "Home to School Transport", nullptr}},
    {"Finance",
     "Council Tax",
     210,
     235,
     2200,
     5,
     10,
     90,
     false,
     1500,
     250,
     {"Council Tax Team", "Recovery Team", nullptr}},
    {"Finance",
     "Housing Benefit",
     90,
     80,
     900,
     4,
     10,
     100,
     false,
     1500,
     250,
     {"Benefits Assessment Team", nullptr, nullptr}},
    {"Finance",
     "Business Rates",
     20,
     15,
     250,
     1,
     7,
     90,
     false,
     500,
     250,
     {"Business Rates Team", nullptr, nullptr}},
    {"Housing",
     "Repairs",
     900,
     185,
     2300,
     62,
     14,
     120,
     true,
     4000,
     1500,
     {"Responsive Repairs", "Gas Servicing Team", "Damp & Mould Team"}},
    {"Housing",
     "Tenancy Management",
     270,
     60,
     900,
     25,
     10,
     110,
     true,
     2500,
     600,
     {"Housing Office West Bromwich", "Housing Office Oldbury",
      "Tenancy Sustainment Team"}},
    {"Housing",
     "Homelessness",
     140,
     40,
     700,
     15,
     11,
     130,
     false,
     2000,
     800,
     {"Housing Solutions Team", "Temporary Accommodation Team", nullptr}},
    {"Housing",
     "Anti-social Behaviour",
     150,
     20,
     300,
     8,
     9,
     120,
     true,
     1500,
     500,
     {"ASB Team", "Community Safety Team", nullptr}},
    {"Housing",
     "Housing Allocations",
     160,
     40,
     900,
     4,
     8,
     100,
     false,
     1000,
     300,
     {"Lettings Team", nullptr, nullptr}},
    {"Law & Governance",
     "Electoral Services",
     10,
     8,
     220,
     5,
     7,
     70,
     false,
     0,
     0,
     {"Electoral Registration Team", nullptr, nullptr}},
    {"Law & Governance",
     "Licensing",
     12,
     5,
     180,
     1,
     7,
     80,
     false,
     300,
     100,
     {"Licensing Team", nullptr, nullptr}},
    {"Public Health",
     "Environmental Health",
     55,
     15,
     450,
     5,
     8,
     90,
     false,
     300,
     150,
     {"Pest Control", "Noise Team", "Food Safety Team"}},
    {"Public Health",
     "Trading Standards",
     12,
     5,
     150,
     3,
     7,
     80,
     false,
     0,
     0,
     {"Trading Standards Team", nullptr, nullptr}},
    {"Public Health",
     "Health Improvement",
     8,
     5,
     80,
     10,
     6,
     70,
     false,
     0,
     0,
     {"Healthy Sandwell Team", nullptr, nullptr}},
    {"Regeneration & Growth",
     "Highways",
     260,
     70,
     1200,
     8,
     10,
     100,
     false,
     800,
     300,
     {"Highways Maintenance", "Street Lighting Team", nullptr}},
    {"Regeneration & Growth",
     "Planning",
     110,
     30,
     700,
     4,
     6,
     90,
     false,
     500,
     500,
     {"Development Management", "Planning Enforcement", nullptr}},
    {"Regeneration & Growth",
     "Building Control",
     15,
     5,
     150,
     2,
     6,
     80,
     false,
     300,
     250,
     {"Building Control Team", nullptr, nullptr}},
    {"Regeneration & Growth",
     "Parking Services",
     90,
     35,
     500,
     2,
     9,
     80,
     false,
     500,
     100,
     {"Parking Enforcement", "Permits Team", nullptr}},
};
constexpr int kServiceCount = sizeof(kServices) / sizeof(kServices[0]);

constexpr const char* kFirstNames[] = {
    "Amrit",  "Sarah",   "Mohammed", "Claire", "David",  "Priya",
    "James",  "Helen",   "Tariq",    "Emma",   "Paul",   "Gurpreet",
    "Karen",  "Daniel",  "Aisha",    "Mark",   "Joanne", "Sunil",
    "Rachel", "Michael", "Fatima",   "Lee",    "Nicola", "Ravinder",
    "Gemma",  "Stephen", "Yasmin",   "Craig",  "Louise", "Imran"};
constexpr const char* kSurnames[] = {
    "Kaur",   "Smith",  "Hussain", "Jones",   "Patel",   "Williams",
    "Singh",  "Taylor", "Ahmed",   "Brown",   "Begum",   "Davies",
    "Evans",  "Khan",   "Wilson",  "Johnson", "Roberts", "Bains",
    "Wright", "Walker", "Thomas",  "Sandhu",  "Green",   "Hall",
    "Clarke", "Ali",    "Lewis",   "Cooper",  "Hughes",  "Mahmood"};

// Volumes of one financial year. Counts of a year the extract ends inside
// are for the whole year; the part after the extract is not written.
struct YearPlan {
  int fy;  // start year
  int complaints, compliments, enquiries;
  int escalations;       // stage 2 requests dated in the year
  int ombudsman;         // Ombudsman enquiries received in the year
  int lessons;           // complaints received in the year with a lesson
  int upheld_percent;    // of complaints resolved in the year
  int64_t interactions;  // contacts of the year (0: not in the extract)
  int lateness;          // percent of the usual chance of a late response
};

// 2022/23 and 2023/24 are Sandwell's published figures (the escalation,
// lessons and upheld counts are the nearest whole numbers to the published
// rates); the other years are plausible invented ones.
constexpr YearPlan kYears[] = {
    {2019, 3412, 412, 10514, 218, 102, 409, 52, 0, 100},
    {2020, 2687, 356, 9876, 140, 84, 403, 50, 0, 140},
    {2021, 3058, 371, 11203, 168, 109, 550, 49, 0, 115},
    {2022, 3196, 383, 11840, 185, 133, 703, 48, 1452108, 105},
    {2023, 3730, 383, 12912, 228, 117, 1119, 45, 1515355, 100},
    {2024, 3890, 401, 13420, 246, 121, 1245, 44, 1561240, 95},
};

const int32_t kFirstDay = DayNumber(2019, 4, 1);
const int32_t kExtractDay = DayNumber(2024, 6, 30);
const int32_t kInteractionsFrom = DayNumber(2022, 4, 1);
// The last day of the profiled year. Nothing dated after it may change a
// figure of 2022/23 or 2023/24, so that any as-of time from its end gives
// the published figures.
const int32_t kFrozenAfter = DayNumber(2024, 3, 31);

constexpr int kCustomerPool = 240000;
constexpr int kFrequentCustomers = 900;

// ---------------------------------------------------------------------------
// The generated records.

struct Case {
  int32_t received = kNone;
  int32_t secs = -1;      // time of day, when the source recorded one
  int32_t sort_secs = 0;  // orders cases within a day
  uint8_t type = kComplaint;
  uint8_t channel = kWeb;
  bool dmy_dates = false;  // dates written D/M/YYYY (a spreadsheet edit)
  int16_t service = 0;
  int32_t customer = 0;  // 0: not known
  int32_t seq = 0;       // sequence within the type and calendar year
  int16_t team = -1;
  int16_t staff = -1;
  int32_t s1_ack = kNone, s1_ext = kNone, s1_resp = kNone;
  uint8_t s1_out = kNoOutcome;
  int32_t s2_req = kNone, s2_ack = kNone, s2_ext = kNone, s2_resp = kNone;
  uint8_t s2_out = kNoOutcome;
  int32_t withdrawn = kNone;
  uint8_t body = kNoBody;
  int32_t omb_received = kNone;
  uint8_t decision = kNoDecision;
  int32_t omb_decided = kNone;
  int32_t lesson = kNone;
  int64_t remedy_pence = -1;

  bool Escalated() const { return s2_req != kNone; }
  // The final internal response (METRICS.md), kNone while awaited.
  int32_t FinalResponse() const { return Escalated() ? s2_resp : s1_resp; }
  uint8_t& FinalOutcome() { return Escalated() ? s2_out : s1_out; }
  uint8_t FinalOutcome() const { return Escalated() ? s2_out : s1_out; }
};

struct Link {
  int32_t day;
  int32_t secs;
  uint8_t channel;
  uint8_t kind;
  int16_t service;     // -1: none
  int32_t customer;    // 0: not known
  int32_t case_index;  // -1: none; <= -2: an unknown reference
};

// ---------------------------------------------------------------------------
// Output helpers: hand-rolled formatting into a large buffer.

// One CSV line built in a fixed buffer (no row comes near its size) and
// appended to the output in one go: cheap even in an unoptimised build.
class Line {
 public:
  void Char(char c) { *p_++ = c; }
  void Text(absl::string_view s) {
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }
  void Digits(int64_t v, int width) {
    char buf[24];
    int n = 0;
    do {
      buf[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v > 0);
    while (n < width) buf[n++] = '0';
    while (n > 0) *p_++ = buf[--n];
  }
  void Date(int32_t day, bool dmy) {
    const Ymd c = CivilOf(day);
    if (dmy) {
      Digits(c.d, 1);
      Char('/');
      Digits(c.m, 1);
      Char('/');
      Digits(c.y, 4);
      return;
    }
    Digits(c.y, 4);
    Char('-');
    Digits(c.m, 2);
    Char('-');
    Digits(c.d, 2);
  }
  void DateTime(int32_t day, int32_t secs) {
    Date(day, false);
    Char('T');
    Digits(secs / 3600, 2);
    Char(':');
    Digits(secs / 60 % 60, 2);
    Char(':');
    Digits(secs % 60, 2);
  }
  void AppendTo(std::string& out) {
    out.append(buf_, static_cast<size_t>(p_ - buf_));
    p_ = buf_;
  }
  std::string str() const {
    return std::string(buf_, static_cast<size_t>(p_ - buf_));
  }

 private:
  char buf_[1024];
  char* p_ = buf_;
};

// RFC 4180: quoted when it holds a comma, a quote or a line break.
std::string CsvField(absl::string_view value) {
  if (value.find_first_of(",\"\r\n") == absl::string_view::npos) {
    return std::string(value);
  }
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string ErrnoText() { return std::strerror(errno); }

// A file written through a large buffer under a temporary name, renamed
// into place by Commit().
class OutputFile {
 public:
  OutputFile() = default;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() {
    if (file_ != nullptr) {
      std::fclose(file_);
      std::remove(temp_.c_str());
    }
  }

  absl::Status Open(const std::string& path) {
    path_ = path;
    temp_ = path + ".partial";
    file_ = std::fopen(temp_.c_str(), "wb");
    if (file_ == nullptr) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot write ", temp_, ": ", ErrnoText()));
    }
    buffer_.reserve(kFlushAt + 4096);
    return absl::OkStatus();
  }

  std::string& buffer() { return buffer_; }

  absl::Status MaybeFlush() {
    return buffer_.size() >= kFlushAt ? Flush() : absl::OkStatus();
  }

  absl::Status Commit() {
    TELLUS_RETURN_IF_ERROR(Flush());
    std::FILE* f = file_;
    file_ = nullptr;
    if (std::fclose(f) != 0) {
      std::remove(temp_.c_str());
      return absl::DataLossError(
          absl::StrCat("cannot finish writing ", path_, ": ", ErrnoText()));
    }
    if (std::rename(temp_.c_str(), path_.c_str()) != 0) {
      std::remove(temp_.c_str());
      return absl::PermissionDeniedError(
          absl::StrCat("cannot create ", path_, ": ", ErrnoText()));
    }
    return absl::OkStatus();
  }

  int64_t bytes() const { return bytes_; }

 private:
  static constexpr size_t kFlushAt = 1 << 20;

  absl::Status Flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(),
                                        file_) != buffer_.size()) {
      return absl::DataLossError(
          absl::StrCat("cannot write ", path_, ": ", ErrnoText()));
    }
    bytes_ += static_cast<int64_t>(buffer_.size());
    buffer_.clear();
    return absl::OkStatus();
  }

  std::string path_;
  std::string temp_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
  int64_t bytes_ = 0;
};

// ---------------------------------------------------------------------------
// Shapes of the year: how busy each day is.

// Splits `total` over the weights exactly, by largest remainders (ties to
// the earlier day).
std::vector<int64_t> Apportion(int64_t total,
                               const std::vector<uint64_t>& weights) {
  std::vector<int64_t> out(weights.size(), 0);
  uint64_t sum = 0;
  for (uint64_t w : weights) sum += w;
  if (sum == 0 || total <= 0) return out;
  std::vector<std::pair<uint64_t, size_t>> remainders;
  remainders.reserve(weights.size());
  int64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const uint64_t scaled = static_cast<uint64_t>(total) * weights[i];
    out[i] = static_cast<int64_t>(scaled / sum);
    given += out[i];
    remainders.emplace_back(scaled % sum, i);
  }
  std::sort(
      remainders.begin(), remainders.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
      });
  for (size_t i = 0; given < total; ++i, ++given) {
    ++out[remainders[i].second];
  }
  return out;
}

// Month shapes (April first), percent.
constexpr int kComplaintMonths[12] = {100, 96,  98, 105, 96,  102,
                                      108, 106, 80, 116, 104, 101};
constexpr int kContactMonths[12] = {114, 102, 98, 100, 93,  98,
                                    102, 100, 78, 104, 100, 108};

enum class Volume { kCases, kContacts };

uint64_t DayWeight(const WorkingDays& cal, int32_t day, Volume volume,
                   Rng& rng) {
  static constexpr int kCaseWeekdays[7] = {122, 110, 105, 102, 92, 10, 8};
  static constexpr int kContactWeekdays[7] = {126, 112, 106, 102, 90, 15, 10};
  const Ymd c = CivilOf(day);
  const int month = (c.m + 8) % 12;  // April = 0
  const bool cases = volume == Volume::kCases;
  uint64_t w = cases ? kComplaintMonths[month] : kContactMonths[month];
  const int wd = Weekday(day);
  if (cal.IsHoliday(day)) {
    w *= cases ? 6 : 9;
  } else {
    w *= cases ? kCaseWeekdays[wd] : kContactWeekdays[wd];
  }
  // The council runs a skeleton service between Christmas and New Year.
  if ((c.m == 12 && c.d >= 24) || (c.m == 1 && c.d == 1)) w = w * 55 / 100;
  // The first lockdown: little contact in spring 2020.
  if (c.y == 2020 && c.m >= 4 && c.m <= 6) w = w * (50 + 10 * (c.m - 4)) / 100;
  return w * static_cast<uint64_t>(88 + rng.Below(25));
}

// A time of day for a contact through `channel` on `day`.
int32_t TimeOfDay(Rng& rng, uint8_t channel, int32_t day) {
  int hour;
  if (IsDigital(channel)) {
    hour = rng.Pick({2, 1, 1, 1, 1, 1, 2, 4, 6, 8, 8, 8,
                     7, 7, 7, 7, 6, 5, 5, 6, 6, 5, 4, 3});
    if (hour == 1 && IsSpringForward(day)) hour = 2;
  } else {
    hour = 8 + rng.Pick({6, 14, 15, 14, 10, 10, 12, 10, 7, 2});
  }
  return hour * 3600 + static_cast<int32_t>(rng.Below(3600));
}

// ---------------------------------------------------------------------------

class Generator {
 public:
  Generator(const GeneratorOptions& options) : options_(options) {
    for (const ServiceSpec& s : kServices) {
      auto& quoted = quoted_names_.emplace_back();
      quoted.first = CsvField(s.directorate);
      quoted.second = CsvField(s.name);
    }
  }

  absl::Status Build() {
    MakeCases();
    PlanStage1();
    TELLUS_RETURN_IF_ERROR(Escalate());
    PlanStage2();
    SetOutcomes();
    SetRemedies();
    TELLUS_RETURN_IF_ERROR(SetLessons());
    TELLUS_RETURN_IF_ERROR(SetOmbudsman());
    TELLUS_RETURN_IF_ERROR(CheckCases());
    MakeLinks();
    return absl::OkStatus();
  }

  absl::Status WriteCases(OutputFile& out, int64_t* rows);
  absl::Status WriteInteractions(OutputFile& out, int64_t* rows);

 private:
  static const YearPlan* PlanFor(int fy) {
    for (const YearPlan& p : kYears) {
      if (p.fy == fy) return &p;
    }
    return nullptr;
  }
  // Whether the extract holds the whole financial year.
  static bool Complete(int fy) { return FinancialYearEnd(fy) <= kExtractDay; }

  void MakeCases();
  void PlanStage1();
  absl::Status Escalate();
  void PlanStage2();
  void SetOutcomes();
  void SetRemedies();
  absl::Status SetLessons();
  absl::Status SetOmbudsman();
  absl::Status CheckCases() const;
  void MakeLinks();

  int PickService(Rng& rng, CaseType type) const;
  int32_t PickCustomer(Rng& rng) const;
  std::string CaseRef(const Case& c) const;
  void AppendCaseRef(Line& out, const Case& c) const;
  void AppendCase(Line& out, const Case& c) const;
  void AppendLink(Line& out, int64_t id, const Link& link) const;

  struct Candidate {
    uint64_t key;
    int32_t index;
    int32_t date;   // the day whose financial year the candidate counts in
    int32_t value;  // the date to set when drawn
  };
  // Applies `apply` to the `n` preferred candidates of each year. For a
  // year the extract holds whole, exactly `n` must be possible.
  template <typename TargetFn, typename ApplyFn>
  absl::Status PickPerYear(std::vector<Candidate>& candidates,
                           absl::string_view what, TargetFn target,
                           ApplyFn apply);

  GeneratorOptions options_;
  WorkingDays cal_;
  std::vector<Case> cases_;
  std::vector<Link> links_;
  std::vector<std::pair<std::string, std::string>> quoted_names_;
};

int Generator::PickService(Rng& rng, CaseType type) const {
  uint32_t total = 0;
  auto weight = [type](const ServiceSpec& s) {
    return type == kComplaint    ? s.complaints
           : type == kCompliment ? s.compliments
                                 : s.enquiries;
  };
  for (const ServiceSpec& s : kServices) total += weight(s);
  uint32_t x = rng.Below(total);
  for (int i = 0; i < kServiceCount; ++i) {
    if (x < weight(kServices[i])) return i;
    x -= weight(kServices[i]);
  }
  return kServiceCount - 1;
}

// Customer ids 1..kCustomerPool; a few frequent contacts recur.
int32_t Generator::PickCustomer(Rng& rng) const {
  if (rng.Chance(800))
    return 1 + static_cast<int32_t>(rng.Below(kFrequentCustomers));
  return 1 + static_cast<int32_t>(rng.Below(kCustomerPool));
}

void Generator::MakeCases() {
  Rng rng(StreamSeed(options_.seed, 1));
  // Per day, per type: how many cases were received.
  std::vector<int32_t> days;
  std::array<std::vector<int64_t>, kCaseTypeCount> counts;
  for (const YearPlan& plan : kYears) {
    std::vector<uint64_t> weights;
    const int32_t start = FinancialYearStart(plan.fy);
    const int32_t end = FinancialYearEnd(plan.fy);
    for (int32_t d = start; d <= end; ++d) {
      weights.push_back(DayWeight(cal_, d, Volume::kCases, rng));
    }
    const int totals[kCaseTypeCount] = {plan.complaints, plan.compliments,
                                        plan.enquiries};
    for (int t = 0; t < kCaseTypeCount; ++t) {
      std::vector<int64_t> per_day = Apportion(totals[t], weights);
      for (int32_t d = start; d <= end && d <= kExtractDay; ++d) {
        counts[t].push_back(per_day[d - start]);
      }
    }
    for (int32_t d = start; d <= end && d <= kExtractDay; ++d) {
      days.push_back(d);
    }
  }

  std::array<std::array<int32_t, kCaseTypeCount>, 2100> seq{};
  for (size_t i = 0; i < days.size(); ++i) {
    const int32_t day = days[i];
    const bool working = cal_.IsWorking(day);
    const size_t first = cases_.size();
    for (int t = 0; t < kCaseTypeCount; ++t) {
      for (int64_t k = 0; k < counts[t][i]; ++k) {
        Case c;
        c.type = static_cast<uint8_t>(t);
        c.received = day;
        c.service = static_cast<int16_t>(PickService(rng, CaseType(t)));
        const int fy = FinancialYear(day);
        // Digital channels grow year on year.
        const uint32_t digital = static_cast<uint32_t>(fy - 2019) * 3;
        if (!working) {
          c.channel = rng.Pick({70, 30}) == 0 ? kWeb : kEmail;
        } else if (t == kCompliment) {
          c.channel = static_cast<uint8_t>(
              rng.Pick({20, 45, 15 + digital, 12, 5, 3, 0}));
        } else {
          c.channel = static_cast<uint8_t>(
              rng.Pick({26 - digital, 24, 38 + digital, 5, 3, 2, 2}));
        }
        if (IsDigital(c.channel) && rng.Chance(5500)) {
          c.secs = TimeOfDay(rng, c.channel, day);
          c.sort_secs = c.secs;
        } else {
          c.sort_secs = TimeOfDay(rng, kPhone, day);
        }
        c.dmy_dates = c.secs < 0 && rng.Chance(200);
        const int known = t == kComplaint ? 9700 : t == kEnquiry ? 9000 : 8000;
        if (rng.Chance(known)) c.customer = PickCustomer(rng);
        if (t == kCompliment) {
          const ServiceSpec& s = kServices[c.service];
          int teams = 0;
          while (teams < 3 && s.teams[teams] != nullptr) ++teams;
          c.team = static_cast<int16_t>(rng.Below(teams));
          // A handful of named officers per service collect the praise.
          if (rng.Chance(5500)) {
            c.staff = static_cast<int16_t>(c.service * 8 + rng.Below(8));
          }
        }
        cases_.push_back(c);
      }
    }
    std::sort(
        cases_.begin() + static_cast<std::ptrdiff_t>(first), cases_.end(),
        [](const Case& a, const Case& b) { return a.sort_secs < b.sort_secs; });
    const int year = CivilOf(day).y;
    for (size_t j = first; j < cases_.size(); ++j) {
      cases_[j].seq = ++seq[year][cases_[j].type];
    }
  }
}

void Generator::PlanStage1() {
  Rng rng(StreamSeed(options_.seed, 2));
  for (Case& c : cases_) {
    if (c.type != kComplaint) continue;
    const ServiceSpec& s = kServices[c.service];
    const int year_lateness = PlanFor(FinancialYear(c.received))->lateness;
    const int32_t r = c.received;

    int32_t ack = kNone;
    if (!rng.Chance(200)) {
      const int k = rng.Pick({12, 30, 22, 13, 8, 6, 2, 2, 1, 1, 1, 1});
      ack = cal_.Add(r, k < 11 ? k : rng.Between(11, 20));
    }
    const int32_t ack_due = cal_.Add(r, 5);
    const int32_t base = ack == kNone ? ack_due : std::min(ack, ack_due);
    const int32_t due = cal_.Add(base, 10);
    const int late = 1500 * s.lateness / 100 * year_lateness / 100;
    const int extended = 1100;
    const int u = static_cast<int>(rng.Below(10000));
    int32_t ext = kNone;
    int32_t resp;
    if (u < late) {
      // Late by 1 to 25 working days, most by a few.
      const int k = rng.Pick({30, 25, 20, 15, 10});
      resp = cal_.Add(due, 1 + k * 5 + rng.Between(0, 4));
    } else if (u < late + extended) {
      ext = cal_.Add(due, rng.Between(2, 10));
      // A response under an extension is dated on the agreed day, or late.
      resp = rng.Chance(8500) ? ext : cal_.Add(ext, rng.Between(1, 10));
    } else {
      resp = cal_.Add(base, rng.Pick({1, 2, 3, 5, 7, 9, 11, 12, 14, 16}) + 1);
    }
    if (ack != kNone) {
      if (ext != kNone && ext < ack) ext = ack;
      resp = std::max(resp, ext == kNone ? ack : ext);
    }
    c.s1_ack = ack;
    c.s1_ext = ext;
    c.s1_resp = resp;
    c.s1_out = static_cast<uint8_t>(1 + rng.Pick({20, 28, 52}));

    // Some customers withdraw while they wait.
    if (rng.Chance(350) && resp > r) {
      const int32_t w = r + static_cast<int32_t>(rng.Below(resp - r));
      c.withdrawn = w;
      if (c.s1_ack != kNone && c.s1_ack > w) c.s1_ack = kNone;
      c.s1_ext = kNone;
      c.s1_resp = kNone;
      c.s1_out = kNoOutcome;
    }
    // What had not happened by the extract is not known.
    if (c.withdrawn != kNone && c.withdrawn > kExtractDay) {
      c.withdrawn = kNone;
    }
    if (c.s1_ack > kExtractDay) c.s1_ack = kNone;
    if (c.s1_ext > kExtractDay) c.s1_ext = kNone;
    if (c.s1_resp > kExtractDay) {
      c.s1_resp = kNone;
      c.s1_out = kNoOutcome;
    }
  }
}

template <typename TargetFn, typename ApplyFn>
absl::Status Generator::PickPerYear(std::vector<Candidate>& candidates,
                                    absl::string_view what, TargetFn target,
                                    ApplyFn apply) {
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) {
              return a.key != b.key ? a.key < b.key : a.index < b.index;
            });
  for (const YearPlan& plan : kYears) {
    const int64_t n = target(plan);
    int64_t taken = 0;
    for (const Candidate& cand : candidates) {
      if (taken == n) break;
      if (FinancialYear(cand.date) != plan.fy) continue;
      apply(cand);
      ++taken;
    }
    if (taken < n && Complete(plan.fy)) {
      return absl::InternalError(absl::StrCat(
          "profile ", options_.profile, ": only ", taken, " of ", n, " ",
          std::string(what), " fit in ", plan.fy, "/", (plan.fy + 1) % 100));
    }
  }
  return absl::OkStatus();
}

// The number of complaints received in `fy`, for scaling a part year.
int64_t ScaleToExtract(const YearPlan& plan, int64_t full,
                       const std::vector<Case>& cases) {
  if (FinancialYearEnd(plan.fy) <= kExtractDay) return full;
  int64_t received = 0;
  for (const Case& c : cases) {
    if (c.type == kComplaint && FinancialYear(c.received) == plan.fy) {
      ++received;
    }
  }
  return full * received / plan.complaints;
}

absl::Status Generator::Escalate() {
  Rng rng(StreamSeed(options_.seed, 3));
  std::vector<Candidate> candidates;
  for (size_t i = 0; i < cases_.size(); ++i) {
    const Case& c = cases_[i];
    if (c.type != kComplaint || c.s1_resp == kNone) continue;
    const int32_t when = cal_.Add(
        c.s1_resp, rng.Pick({0, 10, 12, 12, 10, 9, 8, 7, 6, 5, 5, 4, 4,
                             3, 3,  2,  2,  2,  2, 1, 1, 1, 1, 1, 1, 1}));
    const uint32_t weight = c.s1_out == kNotUpheld      ? 30
                            : c.s1_out == kPartlyUpheld ? 18
                                                        : 8;
    const uint64_t key = rng.Key(weight);
    if (when > kExtractDay) continue;
    if (c.s1_resp <= kFrozenAfter && when > kFrozenAfter) continue;
    candidates.push_back({key, static_cast<int32_t>(i), when, when});
  }
  return PickPerYear(
      candidates, "escalations",
      [this](const YearPlan& p) {
        return ScaleToExtract(p, p.escalations, cases_);
      },
      [this](const Candidate& cand) {
        cases_[cand.index].s2_req = cand.value;
      });
}

void Generator::PlanStage2() {
  Rng rng(StreamSeed(options_.seed, 4));
  for (Case& c : cases_) {
    if (!c.Escalated()) continue;
    const ServiceSpec& s = kServices[c.service];
    const int year_lateness = PlanFor(FinancialYear(c.s2_req))->lateness;
    const int32_t q = c.s2_req;
    int32_t ack = kNone;
    if (!rng.Chance(200)) {
      const int k = rng.Pick({10, 30, 25, 15, 8, 5, 3, 2, 1, 1});
      ack = cal_.Add(q, k);
    }
    const int32_t ack_due = cal_.Add(q, 5);
    const int32_t base = ack == kNone ? ack_due : std::min(ack, ack_due);
    const int32_t due = cal_.Add(base, 20);
    const int late = 1800 * s.lateness / 100 * year_lateness / 100;
    const int u = static_cast<int>(rng.Below(10000));
    int32_t ext = kNone;
    int32_t resp;
    if (u < late) {
      resp = cal_.Add(due, rng.Between(1, 8) * rng.Between(1, 5));
    } else if (u < late + 1500) {
      ext = cal_.Add(due, rng.Between(5, 20));
      resp = rng.Chance(8000) ? ext : cal_.Add(ext, rng.Between(1, 15));
    } else {
      resp = cal_.Add(base, rng.Between(6, 20));
    }
    if (ack != kNone) {
      if (ext != kNone && ext < ack) ext = ack;
      resp = std::max(resp, ext == kNone ? ack : ext);
    }
    c.s2_ack = ack;
    c.s2_ext = ext;
    c.s2_resp = resp;
    c.s2_out = static_cast<uint8_t>(1 + rng.Pick({15, 25, 60}));

    if (rng.Chance(700) && resp > q) {
      const int32_t w = q + static_cast<int32_t>(rng.Below(resp - q));
      c.withdrawn = w;
      if (c.s2_ack != kNone && c.s2_ack > w) c.s2_ack = kNone;
      c.s2_ext = kNone;
      c.s2_resp = kNone;
      c.s2_out = kNoOutcome;
    }
    if (c.withdrawn != kNone && c.withdrawn > kExtractDay) {
      c.withdrawn = kNone;
    }
    if (c.s2_ack > kExtractDay) c.s2_ack = kNone;
    if (c.s2_ext > kExtractDay) c.s2_ext = kNone;
    if (c.s2_resp > kExtractDay) {
      c.s2_resp = kNone;
      c.s2_out = kNoOutcome;
    }
  }
}

// The upheld rate of each year is fixed; which complaints are upheld
// follows each service's propensity.
void Generator::SetOutcomes() {
  Rng rng(StreamSeed(options_.seed, 5));
  for (const YearPlan& plan : kYears) {
    std::vector<Candidate> resolved;
    for (size_t i = 0; i < cases_.size(); ++i) {
      const Case& c = cases_[i];
      if (c.type != kComplaint || c.FinalResponse() == kNone) continue;
      if (FinancialYear(c.FinalResponse()) != plan.fy) continue;
      const uint32_t weight =
          kServices[c.service].uphold * (c.Escalated() ? 6 : 10);
      resolved.push_back({rng.Key(weight), static_cast<int32_t>(i),
                          c.FinalResponse(), c.FinalResponse()});
    }
    std::sort(resolved.begin(), resolved.end(),
              [](const Candidate& a, const Candidate& b) {
                return a.key != b.key ? a.key < b.key : a.index < b.index;
              });
    const int64_t n = static_cast<int64_t>(resolved.size());
    const int64_t upheld = (plan.upheld_percent * n + 50) / 100;
    for (int64_t k = 0; k < n; ++k) {
      Case& c = cases_[resolved[k].index];
      c.FinalOutcome() = k < upheld
                             ? (rng.Chance(4200) ? kUpheld : kPartlyUpheld)
                             : kNotUpheld;
    }
  }
}

void Generator::SetRemedies() {
  Rng rng(StreamSeed(options_.seed, 6));
  for (Case& c : cases_) {
    if (c.type != kComplaint || c.FinalResponse() == kNone ||
        !UpheldToSomeDegree(c.FinalOutcome())) {
      continue;
    }
    const ServiceSpec& s = kServices[c.service];
    if (s.remedy_max == 0 || !rng.Chance(s.remedy_share)) continue;
    // Mostly small goodwill sums, a few large ones (time and trouble,
    // lost belongings); round pounds except for refunds.
    const int bucket = rng.Pick({60, 30, 10});
    const int cap = bucket == 0   ? s.remedy_max / 8
                    : bucket == 1 ? s.remedy_max / 3
                                  : s.remedy_max;
    const int pounds =
        25 + 5 * static_cast<int>(
                     rng.Below(static_cast<uint32_t>(std::max(1, cap / 5))));
    const int pence = rng.Chance(1500) ? rng.Between(1, 99) : 0;
    c.remedy_pence = int64_t{pounds} * 100 + pence;
  }
}

absl::Status Generator::SetLessons() {
  Rng rng(StreamSeed(options_.seed, 7));
  std::vector<Candidate> candidates;
  for (size_t i = 0; i < cases_.size(); ++i) {
    const Case& c = cases_[i];
    if (c.type != kComplaint) continue;
    // A lesson is recorded after the complaint is answered.
    const int32_t basis =
        c.FinalResponse() != kNone ? c.FinalResponse() : c.s1_resp;
    if (basis == kNone) continue;
    const int32_t when =
        cal_.Add(basis, rng.Pick({20, 25, 15, 10, 8, 6, 5, 4, 3, 2, 2}));
    const uint8_t o = c.FinalResponse() != kNone ? c.FinalOutcome() : 0;
    const uint32_t weight = o == kUpheld         ? 40
                            : o == kPartlyUpheld ? 30
                            : o == kNotUpheld    ? 9
                                                 : 15;
    const uint64_t key = rng.Key(weight);
    if (when > kExtractDay) continue;
    if (c.received <= kFrozenAfter && when > kFrozenAfter) continue;
    // Counted in the year of receipt, not of the lesson.
    candidates.push_back({key, static_cast<int32_t>(i), c.received, when});
  }
  return PickPerYear(
      candidates, "lessons",
      [this](const YearPlan& p) {
        return ScaleToExtract(p, p.lessons, cases_);
      },
      [this](const Candidate& cand) {
        cases_[cand.index].lesson = cand.value;
      });
}

absl::Status Generator::SetOmbudsman() {
  Rng rng(StreamSeed(options_.seed, 8));
  std::vector<Candidate> candidates;
  for (size_t i = 0; i < cases_.size(); ++i) {
    const Case& c = cases_[i];
    if (c.type != kComplaint || c.FinalResponse() == kNone) continue;
    // Weeks to months after the council's final word; most referrals
    // follow a stage 2 response, the rest are premature.
    const int bucket = rng.Pick({10, 20, 20, 15, 12, 10, 8, 5});
    const int32_t when =
        cal_.Add(c.FinalResponse(), 10 + bucket * 30 + rng.Between(0, 29));
    const uint64_t key = rng.Key(c.Escalated() ? 30 : 1);
    if (when > kExtractDay) continue;
    candidates.push_back({key, static_cast<int32_t>(i), when, when});
  }
  TELLUS_RETURN_IF_ERROR(PickPerYear(
      candidates, "Ombudsman enquiries",
      [this](const YearPlan& p) {
        return ScaleToExtract(p, p.ombudsman, cases_);
      },
      [this](const Candidate& cand) {
        Case& c = cases_[cand.index];
        c.omb_received = cand.value;
        c.body = kServices[c.service].landlord ? kHos : kLgsco;
      }));

  for (Case& c : cases_) {
    if (c.body == kNoBody) continue;
    const bool full_process = c.Escalated();
    int decision;
    int32_t decided;
    if (c.body == kLgsco) {
      static constexpr uint8_t kLgscoDecisions[] = {
          kPremature,    kClosedAfterInitialEnquiries,
          kOmbUpheld,    kUpheldSatisfactoryRemedy,
          kOmbNotUpheld, kOmbWithdrawn};
      decision = kLgscoDecisions[full_process ? rng.Pick({5, 50, 22, 7, 10, 6})
                                              : rng.Pick({55, 35, 4, 2, 2, 2})];
      decided = cal_.Add(c.omb_received, rng.Between(10, 120));
    } else {
      static constexpr uint8_t kHosDecisions[] = {kNoMaladministration,
                                                  kServiceFailure,
                                                  kMaladministration,
                                                  kSevereMaladministration,
                                                  kRedress,
                                                  kOutsideJurisdiction,
                                                  kOmbWithdrawn};
      decision =
          kHosDecisions[full_process ? rng.Pick({18, 18, 35, 6, 12, 6, 5})
                                     : rng.Pick({15, 10, 0, 0, 0, 60, 15})];
      decided = cal_.Add(c.omb_received, rng.Between(40, 250));
    }
    if (decided <= kExtractDay) {
      c.decision = static_cast<uint8_t>(decision);
      c.omb_decided = decided;
    }
  }
  return absl::OkStatus();
}

// The rules of FORMATS.md for a case row, so that every generated row is
// accepted. Returns the rule broken, or empty.
absl::string_view CaseProblem(const Case& c) {
  const int32_t complaint_dates[] = {
      c.s1_ack,  c.s1_ext,    c.s1_resp,      c.s2_req,      c.s2_ack, c.s2_ext,
      c.s2_resp, c.withdrawn, c.omb_received, c.omb_decided, c.lesson};
  if (c.type != kComplaint) {
    for (int32_t d : complaint_dates) {
      if (d != kNone) return "a compliment or enquiry with complaint dates";
    }
    if (c.s1_out || c.s2_out || c.body || c.decision || c.remedy_pence >= 0) {
      return "a compliment or enquiry with complaint fields";
    }
    return {};
  }
  for (int32_t d : complaint_dates) {
    if (d != kNone && d < c.received) return "a date before receipt";
    if (d != kNone && d > kExtractDay) return "a date after the extract";
  }
  if ((c.s1_resp != kNone) != (c.s1_out != kNoOutcome)) {
    return "stage 1 outcome without response or the other way round";
  }
  if ((c.s2_resp != kNone) != (c.s2_out != kNoOutcome)) {
    return "stage 2 outcome without response or the other way round";
  }
  const bool any_s2 = c.s2_req != kNone || c.s2_ack != kNone ||
                      c.s2_ext != kNone || c.s2_resp != kNone;
  if (any_s2 && c.s1_resp == kNone) return "stage 2 before a stage 1 response";
  if (any_s2 && c.s2_req == kNone) return "stage 2 dates without escalation";
  if (c.s1_ack != kNone && c.s1_resp != kNone && c.s1_resp < c.s1_ack) {
    return "stage 1 response before its acknowledgement";
  }
  if (c.s1_ext != kNone && c.s1_resp != kNone && c.s1_resp < c.s1_ext) {
    return "stage 1 response before the agreed extension date";
  }
  if (c.s2_req != kNone && c.s2_req < c.s1_resp) {
    return "escalation before the stage 1 response";
  }
  for (int32_t d : {c.s2_ack, c.s2_ext, c.s2_resp}) {
    if (d != kNone && d < c.s2_req) return "stage 2 before the escalation";
  }
  if (c.s2_ack != kNone && c.s2_resp != kNone && c.s2_resp < c.s2_ack) {
    return "stage 2 response before its acknowledgement";
  }
  if (c.s2_ext != kNone && c.s2_resp != kNone && c.s2_resp < c.s2_ext) {
    return "stage 2 response before the agreed extension date";
  }
  if ((c.body != kNoBody) != (c.omb_received != kNone)) {
    return "Ombudsman body without referral date or the other way round";
  }
  if ((c.decision != kNoDecision) != (c.omb_decided != kNone)) {
    return "Ombudsman decision without date or the other way round";
  }
  if (c.decision != kNoDecision) {
    if (c.body == kNoBody) return "Ombudsman decision without a referral";
    if (c.omb_decided < c.omb_received) {
      return "Ombudsman decision before the referral";
    }
    const bool lgsco_list = c.decision <= kOmbNotUpheld;
    const bool hos_list = c.decision >= kNoMaladministration;
    if ((c.body == kLgsco && !lgsco_list && c.decision != kOmbWithdrawn) ||
        (c.body == kHos && !hos_list)) {
      return "an Ombudsman decision from the other body's list";
    }
  }
  if (c.withdrawn != kNone) {
    for (int32_t d : {c.s1_ack, c.s1_ext, c.s1_resp, c.s2_req, c.s2_ack,
                      c.s2_ext, c.s2_resp}) {
      if (d != kNone && d > c.withdrawn) return "an event after a withdrawal";
    }
    const bool pending =
        c.s1_resp == kNone || (c.s2_req != kNone && c.s2_resp == kNone);
    if (!pending) return "a withdrawal with nothing pending";
  }
  if (c.remedy_pence >= 0 && c.FinalResponse() == kNone) {
    return "a remedy without a final response";
  }
  return {};
}

absl::Status Generator::CheckCases() const {
  for (const Case& c : cases_) {
    const absl::string_view problem = CaseProblem(c);
    if (!problem.empty()) {
      return absl::InternalError(
          absl::StrCat("generated case ", CaseRef(c),
                       " is invalid: ", std::string(problem)));
    }
  }
  return absl::OkStatus();
}

// The contacts tied to cases: the contact that raised each case, follow-ups
// chasing a complaint or coming back after a response, and a few follow-ups
// quoting a reference from another system (unlinked).
void Generator::MakeLinks() {
  Rng rng(StreamSeed(options_.seed, 9));
  auto add = [this](int32_t day, int32_t secs, uint8_t channel, uint8_t kind,
                    int16_t service, int32_t customer, int32_t index) {
    if (day < kInteractionsFrom || day > kExtractDay) return;
    links_.push_back({day, secs, channel, kind, service, customer, index});
  };
  auto follow_up = [&](const Case& c, int32_t index, int32_t day) {
    uint8_t channel = static_cast<uint8_t>(rng.Pick({60, 30, 10}));
    if (channel == 2) channel = kWeb;
    if (!cal_.IsWorking(day) && channel == kPhone) channel = kEmail;
    add(day, TimeOfDay(rng, channel, day), channel, kFollowUp, c.service,
        c.customer, index);
  };
  // Contacts while a stage awaits its response, on days in [from, to).
  auto chase = [&](const Case& c, int32_t index, int32_t from, int32_t to) {
    if (to <= from) return;
    const int32_t length = to - from;
    const int n = length <= 14   ? rng.Pick({85, 12, 3})
                  : length <= 30 ? rng.Pick({68, 22, 7, 3})
                                 : rng.Pick({45, 30, 15, 10});
    for (int k = 0; k < n; ++k) {
      follow_up(c, index,
                from + static_cast<int32_t>(
                           rng.Below(static_cast<uint32_t>(length))));
    }
  };

  static constexpr uint8_t kRaisedBy[] = {kComplaintContact, kComplimentContact,
                                          kEnquiryContact};
  for (size_t i = 0; i < cases_.size(); ++i) {
    const Case& c = cases_[i];
    const int32_t index = static_cast<int32_t>(i);
    add(c.received, c.secs >= 0 ? c.secs : c.sort_secs, c.channel,
        kRaisedBy[c.type], c.service, c.customer, index);
    if (c.type == kEnquiry) {
      if (rng.Chance(200)) follow_up(c, index, c.received + rng.Between(1, 20));
      continue;
    }
    if (c.type != kComplaint) continue;
    const int32_t open_end = kExtractDay + 1;
    const int32_t s1_end = c.s1_resp != kNone     ? c.s1_resp
                           : c.withdrawn != kNone ? c.withdrawn
                                                  : open_end;
    chase(c, index, c.received, s1_end);
    if (c.Escalated()) {
      // Some call to talk the response over before escalating.
      if (c.s2_req > c.s1_resp && rng.Chance(1000)) {
        follow_up(
            c, index,
            c.s1_resp + static_cast<int32_t>(rng.Below(
                            static_cast<uint32_t>(c.s2_req - c.s1_resp))));
      }
      const int32_t s2_end = c.s2_resp != kNone     ? c.s2_resp
                             : c.withdrawn != kNone ? c.withdrawn
                                                    : open_end;
      chase(c, index, c.s2_req, s2_end);
    }
    const int32_t final_response = c.FinalResponse();
    if (final_response != kNone) {
      if (rng.Chance(1800)) {
        follow_up(c, index, final_response + rng.Between(0, 28));
      }
      if (rng.Chance(300)) {
        follow_up(c, index, final_response + rng.Between(35, 120));
      }
    }
  }
  // References typed from the housing system, which name no case here.
  for (int k = 0; k < 150; ++k) {
    const int32_t day = kInteractionsFrom +
                        static_cast<int32_t>(rng.Below(static_cast<uint32_t>(
                            kExtractDay - kInteractionsFrom + 1)));
    const int16_t service = static_cast<int16_t>(16 + rng.Below(2));
    const uint8_t channel = cal_.IsWorking(day) ? kPhone : kEmail;
    add(day, TimeOfDay(rng, channel, day), channel, kFollowUp, service,
        PickCustomer(rng), -2 - k);
  }
  std::stable_sort(links_.begin(), links_.end(),
                   [](const Link& a, const Link& b) {
                     return a.day != b.day ? a.day < b.day : a.secs < b.secs;
                   });
}

std::string Generator::CaseRef(const Case& c) const {
  Line line;
  AppendCaseRef(line, c);
  return line.str();
}

void Generator::AppendCaseRef(Line& out, const Case& c) const {
  out.Text(kRefPrefix[c.type]);
  out.Char('-');
  out.Digits(CivilOf(c.received).y, 4);
  out.Char('-');
  out.Digits(c.seq, 5);
}

void Generator::AppendCase(Line& out, const Case& c) const {
  auto date = [&](int32_t d) {
    out.Char(',');
    if (d != kNone) out.Date(d, c.dmy_dates);
  };
  auto text = [&](absl::string_view s) {
    out.Char(',');
    out.Text(s);
  };
  AppendCaseRef(out, c);
  text(kCaseTypeNames[c.type]);
  out.Char(',');
  if (c.secs >= 0) {
    out.DateTime(c.received, c.secs);
  } else {
    out.Date(c.received, c.dmy_dates);
  }
  text(quoted_names_[c.service].first);
  text(quoted_names_[c.service].second);
  text(kChannelNames[c.channel]);
  out.Char(',');
  if (c.customer > 0) {
    out.Char('C');
    out.Digits(c.customer, 7);
  }
  date(c.s1_ack);
  date(c.s1_ext);
  date(c.s1_resp);
  text(kOutcomeNames[c.s1_out]);
  date(c.s2_req);
  date(c.s2_ack);
  date(c.s2_ext);
  date(c.s2_resp);
  text(kOutcomeNames[c.s2_out]);
  date(c.withdrawn);
  text(kBodyNames[c.body]);
  date(c.omb_received);
  text(kDecisionNames[c.decision]);
  date(c.omb_decided);
  date(c.lesson);
  out.Char(',');
  if (c.remedy_pence >= 0) {
    out.Digits(c.remedy_pence / 100, 1);
    out.Char('.');
    out.Digits(c.remedy_pence % 100, 2);
  }
  out.Char(',');
  if (c.team >= 0) out.Text(CsvField(kServices[c.service].teams[c.team]));
  out.Char(',');
  if (c.staff >= 0) {
    constexpr int kFirst = sizeof(kFirstNames) / sizeof(kFirstNames[0]);
    constexpr int kLast = sizeof(kSurnames) / sizeof(kSurnames[0]);
    out.Text(kFirstNames[(c.staff * 7 + 3) % kFirst]);
    out.Char(' ');
    out.Text(kSurnames[(c.staff * 11 + c.staff / kLast) % kLast]);
  }
  out.Char('\n');
}

absl::Status Generator::WriteCases(OutputFile& out, int64_t* rows) {
  out.buffer() +=
      "case_ref,type,received,directorate,service,channel,customer,"
      "s1_acknowledged,s1_extended_to,s1_responded,s1_outcome,s2_requested,"
      "s2_acknowledged,s2_extended_to,s2_responded,s2_outcome,withdrawn,"
      "ombudsman,ombudsman_received,ombudsman_decision,ombudsman_decided,"
      "lessons_learnt,remedy_amount,team,staff\n";
  Line line;
  for (const Case& c : cases_) {
    AppendCase(line, c);
    line.AppendTo(out.buffer());
    TELLUS_RETURN_IF_ERROR(out.MaybeFlush());
  }
  *rows = static_cast<int64_t>(cases_.size());
  return absl::OkStatus();
}

void Generator::AppendLink(Line& out, int64_t id, const Link& link) const {
  out.Char('I');
  out.Digits(id, 8);
  out.Char(',');
  out.DateTime(link.day, link.secs);
  out.Char(',');
  out.Text(kChannelNames[link.channel]);
  out.Char(',');
  if (link.service >= 0) out.Text(quoted_names_[link.service].first);
  out.Char(',');
  if (link.service >= 0) out.Text(quoted_names_[link.service].second);
  out.Char(',');
  out.Text(kKindNames[link.kind]);
  out.Char(',');
  if (link.customer > 0) {
    out.Char('C');
    out.Digits(link.customer, 7);
  }
  out.Char(',');
  if (link.case_index >= 0) {
    AppendCaseRef(out, cases_[link.case_index]);
  } else if (link.case_index <= -2) {
    out.Text("OH-");
    out.Digits(4100000 + int64_t{-2 - link.case_index} * 37, 7);
  }
  out.Char('\n');
}

absl::Status Generator::WriteInteractions(OutputFile& out, int64_t* rows) {
  out.buffer() +=
      "interaction_id,at,channel,directorate,service,kind,customer,"
      "case_ref\n";

  // How many filler contacts each day of the extract holds: the year's
  // contacts less those tied to cases, spread by the shape of the year.
  const int32_t window = kExtractDay - kInteractionsFrom + 1;
  std::vector<int64_t> filler(static_cast<size_t>(window), 0);
  std::vector<int64_t> linked_per_day(static_cast<size_t>(window), 0);
  for (const Link& link : links_)
    ++linked_per_day[link.day - kInteractionsFrom];
  for (const YearPlan& plan : kYears) {
    if (plan.interactions == 0) continue;
    Rng rng(StreamSeed(options_.seed, 10, static_cast<uint64_t>(plan.fy)));
    const int32_t start = FinancialYearStart(plan.fy);
    const int32_t end = FinancialYearEnd(plan.fy);
    const int32_t from = std::max(start, kInteractionsFrom);
    const int32_t to = std::min(end, kExtractDay);
    std::vector<uint64_t> weights;
    for (int32_t d = start; d <= end; ++d) {
      weights.push_back(DayWeight(cal_, d, Volume::kContacts, rng));
    }
    const std::vector<int64_t> whole_year =
        Apportion(plan.interactions, weights);
    int64_t target = 0;
    int64_t linked = 0;
    std::vector<uint64_t> window_weights;
    for (int32_t d = from; d <= to; ++d) {
      target += whole_year[d - start];
      linked += linked_per_day[d - kInteractionsFrom];
      window_weights.push_back(weights[d - start]);
    }
    int64_t extra = target - linked;
    if (extra < 0) {
      return absl::InternalError(absl::StrCat(
          "profile ", options_.profile, ": more case contacts than contacts"));
    }
    if (options_.contact_volume < 1.0) {
      extra = static_cast<int64_t>(static_cast<double>(extra) *
                                   options_.contact_volume);
    }
    const std::vector<int64_t> per_day = Apportion(extra, window_weights);
    for (int32_t d = from; d <= to; ++d) {
      filler[d - kInteractionsFrom] = per_day[d - from];
    }
  }

  // Contacts by service, and a share with no service (the switchboard).
  std::vector<uint32_t> cumulative;
  uint32_t total = 0;
  for (const ServiceSpec& s : kServices)
    cumulative.push_back(total += s.contacts);
  const uint32_t with_none = total + total * 8 / 92;

  struct Row {
    uint64_t order;
    Link link;
  };
  std::vector<Row> day_rows;
  Line line;
  int64_t id = 0;
  size_t next_link = 0;
  for (int32_t day = kInteractionsFrom; day <= kExtractDay; ++day) {
    Rng rng(StreamSeed(options_.seed, 11, static_cast<uint64_t>(day)));
    const bool working = cal_.IsWorking(day);
    const uint32_t digital =
        static_cast<uint32_t>(FinancialYear(day) - 2022) * 3;
    day_rows.clear();
    for (; next_link < links_.size() && links_[next_link].day == day;
         ++next_link) {
      day_rows.push_back({0, links_[next_link]});
    }
    for (int64_t k = 0; k < filler[day - kInteractionsFrom]; ++k) {
      Link link;
      link.day = day;
      link.channel = static_cast<uint8_t>(
          working ? rng.Pick({50 - digital, 14, 22 + digital, 2, 5, 3, 4})
                  : rng.Pick({8, 25, 60, 0, 0, 7, 0}));
      link.secs = TimeOfDay(rng, link.channel, day);
      link.kind = rng.Chance(900) ? kEnquiryContact : kContact;
      const uint32_t x = rng.Below(with_none);
      link.service =
          x >= total
              ? int16_t{-1}
              : static_cast<int16_t>(
                    std::upper_bound(cumulative.begin(), cumulative.end(), x) -
                    cumulative.begin());
      link.customer = rng.Chance(6200) ? PickCustomer(rng) : 0;
      link.case_index = -1;
      day_rows.push_back({0, link});
    }
    for (size_t k = 0; k < day_rows.size(); ++k) {
      day_rows[k].order =
          (static_cast<uint64_t>(day_rows[k].link.secs) << 32) | k;
    }
    std::sort(day_rows.begin(), day_rows.end(),
              [](const Row& a, const Row& b) { return a.order < b.order; });
    for (const Row& row : day_rows) {
      AppendLink(line, ++id, row.link);
      line.AppendTo(out.buffer());
      TELLUS_RETURN_IF_ERROR(out.MaybeFlush());
    }
  }
  *rows = id;
  return absl::OkStatus();
}

GeneratorProfile SandwellProfile() {
  GeneratorProfile p;
  p.name = "sandwell-2023-24";
  p.description =
      "A metropolitan borough whose 2023/24 and 2022/23 figures equal "
      "Sandwell Council's published customer feedback report: complaints, "
      "compliments, enquiries and Ombudsman referrals from April 2019, and "
      "about 1.5 million contacts a year from April 2022, to June 2024.";
  p.default_period = "2023/24";
  p.default_as_of = absl::CivilDay(2024, 6, 30);
  p.first_day = absl::CivilDay(2019, 4, 1);
  p.extract_day = absl::CivilDay(2024, 6, 30);
  return p;
}

}  // namespace

absl::StatusOr<std::vector<GeneratorProfile>> ListProfiles() {
  return std::vector<GeneratorProfile>{SandwellProfile()};
}

absl::StatusOr<GeneratorProfile> FindProfile(const std::string& name) {
  TELLUS_ASSIGN_OR_RETURN(std::vector<GeneratorProfile> profiles,
                          ListProfiles());
  std::vector<std::string> names;
  for (const GeneratorProfile& p : profiles) {
    if (p.name == name) return p;
    names.push_back(p.name);
  }
  return absl::NotFoundError(
      absl::StrCat("unknown generator profile '", name,
                   "' (known: ", absl::StrJoin(names, ", "), ")"));
}

absl::Status GenerateToDirectory(const GeneratorOptions& options,
                                 const std::string& dir,
                                 GenerationSummary* summary) {
  TELLUS_RETURN_IF_ERROR(FindProfile(options.profile).status());
  if (!(options.contact_volume > 0.0 && options.contact_volume <= 1.0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "contact volume must be in (0, 1], not ", options.contact_volume));
  }
  if (dir.empty()) {
    return absl::InvalidArgumentError("no output directory given");
  }
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error || !std::filesystem::is_directory(dir, error)) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create directory ", dir, ": ",
                     error ? error.message() : "a file of that name exists"));
  }

  Generator generator(options);
  TELLUS_RETURN_IF_ERROR(generator.Build());

  GenerationSummary result;
  result.cases_path = (std::filesystem::path(dir) / "cases.csv").string();
  result.interactions_path =
      (std::filesystem::path(dir) / "interactions.csv").string();
  OutputFile cases;
  OutputFile interactions;
  TELLUS_RETURN_IF_ERROR(cases.Open(result.cases_path));
  TELLUS_RETURN_IF_ERROR(interactions.Open(result.interactions_path));
  TELLUS_RETURN_IF_ERROR(generator.WriteCases(cases, &result.cases));
  TELLUS_RETURN_IF_ERROR(
      generator.WriteInteractions(interactions, &result.interactions));
  TELLUS_RETURN_IF_ERROR(cases.Commit());
  TELLUS_RETURN_IF_ERROR(interactions.Commit());
  result.cases_bytes = cases.bytes();
  result.interactions_bytes = interactions.bytes();
  if (summary != nullptr) *summary = std::move(result);
  return absl::OkStatus();
}

}  // namespace tellus
