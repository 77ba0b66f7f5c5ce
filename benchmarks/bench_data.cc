// The benchmark data generator: see bench_data.h.
#include "bench_data.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace tellus::bench {
namespace {

// --- Randomness --------------------------------------------------------

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& s : s_) s = SplitMix64(seed);
  }
  uint64_t Next() {  // xoshiro256**
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
  // Uniform in [0, n) (multiply-shift).
  uint32_t Below(uint32_t n) {
    return static_cast<uint32_t>(((Next() >> 32) * n) >> 32);
  }
  int32_t Between(int32_t lo, int32_t hi) {
    return lo + static_cast<int32_t>(Below(static_cast<uint32_t>(hi - lo + 1)));
  }
  // True with probability per1000 / 1000.
  bool Chance(uint32_t per1000) { return Below(1000) < per1000; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// --- Days (days since 1970-01-01; H. Hinnant's civil algorithms) --------

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
  const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int32_t doe = z - era * 146097;
  const int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int32_t mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (m <= 2), m, d};
}

int Weekday(int32_t day) { return ((day % 7) + 7 + 3) % 7; }  // 0 = Monday

// The last Sunday of March: 01:00-01:59 London time does not exist then.
bool IsSpringForward(int32_t day) {
  const Ymd c = CivilOf(day);
  return c.m == 3 && c.d >= 25 && Weekday(day) == 6;
}

constexpr int32_t kNone = -1;
const int32_t kCasesFrom = DayNumber(2019, 4, 1);
const int32_t kInteractionsFrom = DayNumber(2022, 4, 1);
const int32_t kLastDay = DayNumber(2024, 9, 30);

// --- Output ------------------------------------------------------------

class Output {
 public:
  bool Open(const std::string& path) {
    path_ = path;
    file_ = std::fopen(path.c_str(), "wb");
    buffer_.reserve(kFlushAt + 4096);
    return file_ != nullptr;
  }
  void Char(char c) { buffer_.push_back(c); }
  void Text(const char* s) { buffer_.append(s); }
  void Digits(uint64_t v, int width) {
    char tmp[24];
    int n = 0;
    do {
      tmp[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    for (int i = n; i < width; ++i) buffer_.push_back('0');
    while (n > 0) buffer_.push_back(tmp[--n]);
  }
  void Date(int32_t day) {
    const Ymd c = CivilOf(day);
    Digits(c.y, 4);
    Char('-');
    Digits(c.m, 2);
    Char('-');
    Digits(c.d, 2);
  }
  void DateTime(int32_t day, int32_t secs) {
    Date(day);
    Char('T');
    Digits(secs / 3600, 2);
    Char(':');
    Digits(secs / 60 % 60, 2);
    Char(':');
    Digits(secs % 60, 2);
  }
  bool EndRow() {
    buffer_.push_back('\n');
    if (buffer_.size() < kFlushAt) return true;
    return Flush();
  }
  bool Close() {
    const bool ok = Flush();
    return std::fclose(file_) == 0 && ok;
  }

 private:
  static constexpr size_t kFlushAt = size_t{8} << 20;
  bool Flush() {
    const bool ok =
        std::fwrite(buffer_.data(), 1, buffer_.size(), file_) == buffer_.size();
    buffer_.clear();
    return ok;
  }
  std::string path_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
};

// --- The council -------------------------------------------------------

struct Service {
  const char* directorate;
  const char* service;  // written as is: quoted when it holds a comma
  uint32_t weight;      // share of contacts and cases
};

constexpr Service kServices[] = {
    {"Housing", "Repairs", 220},
    {"Housing", "Lettings", 60},
    {"Housing", "Tenancy Management", 50},
    {"Housing", "Homelessness", 40},
    {"Housing", "Anti-social Behaviour", 25},
    {"Borough Economy", "Waste & Recycling", 160},
    {"Borough Economy", "Highways", 60},
    {"Borough Economy", "\"Parks, Open Spaces\"", 25},
    {"Borough Economy", "Street Cleansing", 30},
    {"Borough Economy", "Environmental Health", 20},
    {"Finance", "Council Tax", 120},
    {"Finance", "Benefits", 70},
    {"Finance", "Business Rates", 10},
    {"Adult Social Care", "Assessments", 30},
    {"Adult Social Care", "Home Care", 20},
    {"Adult Social Care", "Blue Badges", 15},
    {"Children & Education", "School Admissions", 25},
    {"Children & Education", "Children's Social Care", 20},
    {"Children & Education", "SEND", 15},
    {"Regeneration & Growth", "Planning", 25},
    {"Regeneration & Growth", "Building Control", 8},
    {"Regeneration & Growth", "Licensing", 10},
    {"Business Strategy & Change", "Registrars", 12},
    {"Business Strategy & Change", "Customer Services", 30},
    {"Public Health", "Leisure Centres", 10},
};
constexpr int kServiceCount = sizeof(kServices) / sizeof(kServices[0]);

constexpr const char* kChannels[] = {
    "phone", "email", "web", "letter", "in_person", "social_media", "other"};
constexpr uint32_t kChannelWeights[] = {40, 18, 30, 2, 4, 3, 3};

enum Type : uint8_t { kComplaint, kCompliment, kEnquiry };
constexpr const char* kTypeNames[] = {"complaint", "compliment", "enquiry"};
constexpr const char* kRefPrefix[] = {"CMP-", "CPL-", "ENQ-"};
constexpr const char* kOutcomes[] = {"", "upheld", "partly_upheld",
                                     "not_upheld"};
constexpr const char* kLgscoDecisions[] = {
    "premature",  "closed_after_initial_enquiries",
    "upheld",     "upheld_satisfactory_remedy",
    "not_upheld", "withdrawn"};
constexpr const char* kHosDecisions[] = {"no_maladministration",
                                         "service_failure",
                                         "maladministration",
                                         "severe_maladministration",
                                         "redress",
                                         "outside_jurisdiction",
                                         "withdrawn"};

uint32_t Pick(Rng& rng, const uint32_t* weights, int n) {
  uint32_t total = 0;
  for (int i = 0; i < n; ++i) total += weights[i];
  uint32_t x = rng.Below(total);
  for (int i = 0; i < n; ++i) {
    if (x < weights[i]) return static_cast<uint32_t>(i);
    x -= weights[i];
  }
  return static_cast<uint32_t>(n - 1);
}

int PickService(Rng& rng) {
  static const std::vector<uint32_t> weights = [] {
    std::vector<uint32_t> w;
    for (const Service& s : kServices) w.push_back(s.weight);
    return w;
  }();
  return static_cast<int>(Pick(rng, weights.data(), kServiceCount));
}

// One case; kNone for a date it does not have.
struct Case {
  int32_t received;
  int32_t received_secs;  // -1: received is a date only
  uint8_t type;
  uint8_t service;
  uint8_t channel;
  uint8_t s1_outcome = 0, s2_outcome = 0;
  uint8_t body = 0;  // 0 none, 1 lgsco, 2 hos
  int8_t decision = -1;
  int32_t customer;
  int32_t s1_ack = kNone, s1_ext = kNone, s1_resp = kNone;
  int32_t s2_req = kNone, s2_ack = kNone, s2_ext = kNone, s2_resp = kNone;
  int32_t withdrawn = kNone, omb_received = kNone, omb_decided = kNone;
  int32_t lesson = kNone;
  int64_t remedy_pence = -1;
};

// A time of day, avoiding the hour that does not exist when the clocks go
// forward.
int32_t TimeOfDay(Rng& rng, int32_t day) {
  int32_t secs = rng.Between(7 * 3600, 19 * 3600 + 3599);
  if (rng.Chance(80)) secs = rng.Between(0, 86399);
  if (IsSpringForward(day) && secs >= 3600 && secs < 7200) secs += 3600;
  return secs;
}

// Splits `total` over days by weekday weights exactly: day i of [from, to]
// gets floor(total * W(<=i) / W) - floor(total * W(<i) / W).
std::vector<int64_t> PerDay(int64_t total, int32_t from, int32_t to) {
  static constexpr uint64_t kWeekday[] = {10, 10, 10, 10, 9, 4, 3};
  uint64_t sum = 0;
  for (int32_t d = from; d <= to; ++d) sum += kWeekday[Weekday(d)];
  std::vector<int64_t> out;
  uint64_t running = 0;
  int64_t given = 0;
  for (int32_t d = from; d <= to; ++d) {
    running += kWeekday[Weekday(d)];
    const auto upto = static_cast<int64_t>(
        static_cast<unsigned __int128>(total) * running / sum);
    out.push_back(upto - given);
    given = upto;
  }
  return out;
}

// The history of a complaint received on `r`, valid for FORMATS.md's state
// machine: acknowledgements before responses, stage 2 after the stage 1
// response, a withdrawal only while something is pending and nothing of
// the stages after it.
void MakeHistory(Rng& rng, Case& c) {
  const int32_t r = c.received;
  if (rng.Chance(900)) c.s1_ack = r + rng.Between(0, 9);
  if (rng.Chance(40)) {  // withdrawn before any response
    c.withdrawn = r + rng.Between(1, 12);
    if (c.s1_ack != kNone && c.s1_ack > c.withdrawn) c.s1_ack = kNone;
    if (rng.Chance(150)) c.lesson = c.withdrawn + rng.Between(0, 30);
    return;
  }
  if (!rng.Chance(940)) return;  // still awaiting its stage 1 response
  c.s1_resp = r + rng.Between(1, 35);
  if (c.s1_ack != kNone && c.s1_ack > c.s1_resp) c.s1_resp = c.s1_ack;
  if (rng.Chance(80)) c.s1_ext = r + rng.Between(12, 40);
  const uint32_t o = rng.Below(100);
  c.s1_outcome = o < 30 ? 1 : o < 50 ? 2 : 3;
  int32_t final_response = c.s1_resp;
  uint8_t final_outcome = c.s1_outcome;
  if (rng.Chance(150)) {
    c.s2_req = c.s1_resp + rng.Between(0, 40);
    if (rng.Chance(850)) c.s2_ack = c.s2_req + rng.Between(0, 9);
    if (rng.Chance(30)) {  // withdrawn at stage 2
      c.withdrawn = c.s2_req + rng.Between(1, 15);
      if (c.s2_ack != kNone && c.s2_ack > c.withdrawn) c.s2_ack = kNone;
      if (c.s1_ext != kNone && c.s1_ext > c.withdrawn) c.s1_ext = kNone;
      final_response = kNone;
    } else if (rng.Chance(880)) {
      c.s2_resp = c.s2_req + rng.Between(3, 50);
      if (c.s2_ack != kNone && c.s2_ack > c.s2_resp) c.s2_resp = c.s2_ack;
      if (rng.Chance(60)) c.s2_ext = c.s2_req + rng.Between(20, 60);
      const uint32_t o2 = rng.Below(100);
      c.s2_outcome = o2 < 25 ? 1 : o2 < 45 ? 2 : 3;
      final_response = c.s2_resp;
      final_outcome = c.s2_outcome;
    } else {
      final_response = kNone;  // stage 2 awaited
    }
  }
  if (rng.Chance(110)) c.lesson = c.s1_resp + rng.Between(0, 60);
  if (final_response != kNone && final_outcome != 3 && rng.Chance(250)) {
    c.remedy_pence = rng.Between(1, 2000) * 100 + (rng.Chance(500) ? 0 : 50);
  }
  if (final_response != kNone && rng.Chance(40)) {
    c.body = rng.Chance(550) ? 1 : 2;
    c.omb_received = final_response + rng.Between(10, 200);
    if (rng.Chance(700)) {
      c.omb_decided = c.omb_received + rng.Between(14, 240);
      c.decision =
          static_cast<int8_t>(c.body == 1 ? rng.Below(6) : rng.Below(7));
    }
  }
}

void WriteCaseRef(Output& out, const Case& c, int64_t seq) {
  out.Text(kRefPrefix[c.type]);
  out.Digits(static_cast<uint64_t>(CivilOf(c.received).y), 4);
  out.Char('-');
  out.Digits(static_cast<uint64_t>(seq), 7);
}

bool WriteCase(Output& out, const Case& c, int64_t seq) {
  auto date = [&](int32_t d) {
    out.Char(',');
    if (d != kNone) out.Date(d);
  };
  auto text = [&](const char* s) {
    out.Char(',');
    out.Text(s);
  };
  WriteCaseRef(out, c, seq);
  text(kTypeNames[c.type]);
  out.Char(',');
  if (c.received_secs >= 0) {
    out.DateTime(c.received, c.received_secs);
  } else {
    out.Date(c.received);
  }
  text(kServices[c.service].directorate);
  text(kServices[c.service].service);
  text(kChannels[c.channel]);
  out.Char(',');
  if (c.customer > 0) {
    out.Char('C');
    out.Digits(static_cast<uint64_t>(c.customer), 7);
  }
  date(c.s1_ack);
  date(c.s1_ext);
  date(c.s1_resp);
  text(kOutcomes[c.s1_outcome]);
  date(c.s2_req);
  date(c.s2_ack);
  date(c.s2_ext);
  date(c.s2_resp);
  text(kOutcomes[c.s2_outcome]);
  date(c.withdrawn);
  text(c.body == 0 ? "" : c.body == 1 ? "lgsco" : "hos");
  date(c.omb_received);
  text(c.decision < 0 ? ""
       : c.body == 1  ? kLgscoDecisions[c.decision]
                      : kHosDecisions[c.decision]);
  date(c.omb_decided);
  date(c.lesson);
  out.Char(',');
  if (c.remedy_pence >= 0) {
    out.Digits(static_cast<uint64_t>(c.remedy_pence / 100), 1);
    out.Char('.');
    out.Digits(static_cast<uint64_t>(c.remedy_pence % 100), 2);
  }
  out.Text(",,");  // team, staff
  return out.EndRow();
}

bool Fail(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
  return false;
}

}  // namespace

bool WriteBenchData(const BenchDataOptions& o, const std::string& dir,
                    std::string* error) {
  const int64_t cases_wanted =
      o.cases >= 0 ? o.cases : o.interactions * 3 / 100;
  // Cases, in order of receipt.
  std::vector<Case> cases;
  cases.reserve(static_cast<size_t>(cases_wanted));
  {
    Rng rng(o.seed);
    const std::vector<int64_t> per_day =
        PerDay(cases_wanted, kCasesFrom, kLastDay);
    for (int32_t day = kCasesFrom; day <= kLastDay; ++day) {
      const int64_t n = per_day[day - kCasesFrom];
      std::vector<int32_t> secs;
      for (int64_t k = 0; k < n; ++k) secs.push_back(TimeOfDay(rng, day));
      std::sort(secs.begin(), secs.end());
      for (int64_t k = 0; k < n; ++k) {
        Case c;
        c.received = day;
        c.received_secs = rng.Chance(600) ? secs[k] : -1;
        const uint32_t t = rng.Below(100);
        c.type = t < 72 ? kComplaint : t < 86 ? kCompliment : kEnquiry;
        c.service = static_cast<uint8_t>(PickService(rng));
        c.channel = static_cast<uint8_t>(Pick(rng, kChannelWeights, 7));
        c.customer = rng.Chance(850) ? rng.Between(1, 9'999'999) : 0;
        if (c.type == kComplaint) MakeHistory(rng, c);
        cases.push_back(c);
      }
    }
  }
  // Complaints received on each day, to link follow-ups to: day -> [first,
  // last) in `complaint_rows`.
  std::vector<uint32_t> complaint_rows;
  std::vector<uint32_t> first_on_day(kLastDay - kCasesFrom + 2, 0);
  for (size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].type == kComplaint) {
      complaint_rows.push_back(static_cast<uint32_t>(i));
    }
  }
  {
    size_t k = 0;
    for (int32_t day = kCasesFrom; day <= kLastDay + 1; ++day) {
      while (k < complaint_rows.size() &&
             cases[complaint_rows[k]].received < day) {
        ++k;
      }
      first_on_day[day - kCasesFrom] = static_cast<uint32_t>(k);
    }
  }

  const std::string cases_path = dir + "/cases.csv";
  const std::string interactions_path = dir + "/interactions.csv";
  Output out;
  if (!out.Open(cases_path)) {
    return Fail(error,
                "cannot write " + cases_path + ": " + std::strerror(errno));
  }
  out.Text(
      "case_ref,type,received,directorate,service,channel,customer,"
      "s1_acknowledged,s1_extended_to,s1_responded,s1_outcome,s2_requested,"
      "s2_acknowledged,s2_extended_to,s2_responded,s2_outcome,withdrawn,"
      "ombudsman,ombudsman_received,ombudsman_decision,ombudsman_decided,"
      "lessons_learnt,remedy_amount,team,staff");
  bool ok = out.EndRow();
  for (size_t i = 0; i < cases.size() && ok; ++i) {
    ok = WriteCase(out, cases[i], static_cast<int64_t>(i) + 1);
  }
  if (!out.Close() || !ok) {
    return Fail(error, "cannot write " + cases_path);
  }

  // Interactions, day by day in time order.
  Output iout;
  if (!iout.Open(interactions_path)) {
    return Fail(error, "cannot write " + interactions_path + ": " +
                           std::strerror(errno));
  }
  iout.Text(
      "interaction_id,at,channel,directorate,service,kind,customer,"
      "case_ref");
  ok = iout.EndRow();
  const std::vector<int64_t> per_day =
      PerDay(o.interactions, kInteractionsFrom, kLastDay);
  static constexpr const char* kKinds[] = {"contact", "enquiry", "complaint",
                                           "compliment", "follow_up"};
  static constexpr uint32_t kKindWeights[] = {870, 50, 20, 10, 50};
  int64_t id = 0;
  std::vector<int32_t> secs;
  for (int32_t day = kInteractionsFrom; day <= kLastDay && ok; ++day) {
    Rng rng(o.seed ^ (0x1000000ULL + static_cast<uint64_t>(day)) * 0x9E37ULL);
    const int64_t n = per_day[day - kInteractionsFrom];
    secs.clear();
    for (int64_t k = 0; k < n; ++k) secs.push_back(TimeOfDay(rng, day));
    std::sort(secs.begin(), secs.end());
    for (int64_t k = 0; k < n && ok; ++k) {
      const uint32_t kind = Pick(rng, kKindWeights, 5);
      const bool no_service = rng.Chance(80);
      const int service = PickService(rng);
      iout.Char('I');
      iout.Digits(static_cast<uint64_t>(++id), 9);
      iout.Char(',');
      iout.DateTime(day, secs[k]);
      iout.Char(',');
      iout.Text(kChannels[Pick(rng, kChannelWeights, 7)]);
      iout.Char(',');
      if (!no_service) iout.Text(kServices[service].directorate);
      iout.Char(',');
      if (!no_service) iout.Text(kServices[service].service);
      iout.Char(',');
      iout.Text(kKinds[kind]);
      iout.Char(',');
      if (rng.Chance(620)) {
        iout.Char('C');
        iout.Digits(rng.Between(1, 9'999'999), 7);
      }
      iout.Char(',');
      // Follow-ups name a complaint received in the last 120 days (or now
      // and then a reference from another system); enquiries, complaints
      // and compliments often name their case, plain contacts rarely.
      const bool linked = kind == 4   ? !rng.Chance(150)
                          : kind == 0 ? rng.Chance(5)
                                      : rng.Chance(400);
      if (kind == 4 && !linked) {
        iout.Text("OH-");
        iout.Digits(rng.Between(1, 999'999), 7);
      } else if (linked) {
        const int32_t from = std::max(kCasesFrom, day - 120);
        const uint32_t lo = first_on_day[from - kCasesFrom];
        const uint32_t hi = first_on_day[day + 1 - kCasesFrom];
        if (hi > lo) {
          const uint32_t row = complaint_rows[lo + rng.Below(hi - lo)];
          WriteCaseRef(iout, cases[row], static_cast<int64_t>(row) + 1);
        }
      }
      ok = iout.EndRow();
    }
  }
  if (!iout.Close() || !ok) {
    return Fail(error, "cannot write " + interactions_path);
  }
  return true;
}

std::string BenchDataDir(int64_t interactions) {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  return dir + "/tellus_bench_data_v1_" + std::to_string(interactions);
}

bool EnsureBenchData(int64_t interactions, std::string* dir,
                     std::string* error) {
  *dir = BenchDataDir(interactions);
  struct stat info;
  if (stat((*dir + "/interactions.csv").c_str(), &info) == 0) return true;
  // Written beside its final name and renamed, so that a run that stops
  // half-way never leaves a partial data set behind.
  const std::string partial = *dir + ".partial." + std::to_string(getpid());
  if (mkdir(partial.c_str(), 0755) != 0) {
    return Fail(error,
                "cannot create " + partial + ": " + std::strerror(errno));
  }
  BenchDataOptions options;
  options.interactions = interactions;
  if (!WriteBenchData(options, partial, error)) return false;
  if (rename(partial.c_str(), dir->c_str()) != 0 &&
      stat((*dir + "/interactions.csv").c_str(), &info) != 0) {
    return Fail(error,
                "cannot rename " + partial + ": " + std::strerror(errno));
  }
  return true;
}

}  // namespace tellus::bench
