#include "tellus/aggregate.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <barrier>
#include <functional>
#include <limits>
#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tellus/fields.h"
#include "tellus/status_macros.h"

namespace tellus {
namespace {

constexpr std::array<absl::string_view, kCounterCount> kCounterNames = {
    "interactions",
    "enquiries",
    "compliments",
    "complaints_received",
    "stage2_received",
    "ombudsman_enquiries",
    "ombudsman_enquiries_lgsco",
    "ombudsman_enquiries_hos",
    "stage1_responses",
    "stage2_responses",
    "follow_up_contacts",
    "resolved",
    "resolved_upheld",
    "cohort_escalated",
    "cohort_with_lessons",
    "stage1_on_time",
    "stage2_on_time",
    "stage1_ack_due",
    "stage1_ack_on_time",
    "follow_up_chasing",
    "follow_up_after_response",
    "follow_ups_on_complaints",
    "remedy_pence",
    "ombudsman_decisions_lgsco_premature",
    "ombudsman_decisions_lgsco_closed_after_initial_enquiries",
    "ombudsman_decisions_lgsco_upheld",
    "ombudsman_decisions_lgsco_upheld_satisfactory_remedy",
    "ombudsman_decisions_lgsco_not_upheld",
    "ombudsman_decisions_lgsco_withdrawn",
    "ombudsman_decisions_hos_no_maladministration",
    "ombudsman_decisions_hos_service_failure",
    "ombudsman_decisions_hos_maladministration",
    "ombudsman_decisions_hos_severe_maladministration",
    "ombudsman_decisions_hos_redress",
    "ombudsman_decisions_hos_outside_jurisdiction",
    "ombudsman_decisions_hos_withdrawn",
};

// The counter of an Ombudsman decision, or -1 for a pair no body makes.
int DecisionCounter(uint8_t body, uint8_t decision) {
  using D = v1::OmbudsmanDecision;
  if (body == v1::OMBUDSMAN_BODY_LGSCO) {
    switch (static_cast<D>(decision)) {
      case v1::OMBUDSMAN_DECISION_PREMATURE:
        return kLgscoPremature;
      case v1::OMBUDSMAN_DECISION_CLOSED_AFTER_INITIAL_ENQUIRIES:
        return kLgscoClosedAfterInitialEnquiries;
      case v1::OMBUDSMAN_DECISION_UPHELD:
        return kLgscoUpheld;
      case v1::OMBUDSMAN_DECISION_UPHELD_SATISFACTORY_REMEDY:
        return kLgscoUpheldSatisfactoryRemedy;
      case v1::OMBUDSMAN_DECISION_NOT_UPHELD:
        return kLgscoNotUpheld;
      case v1::OMBUDSMAN_DECISION_WITHDRAWN:
        return kLgscoWithdrawn;
      default:
        return -1;
    }
  }
  if (body == v1::OMBUDSMAN_BODY_HOS) {
    switch (static_cast<D>(decision)) {
      case v1::OMBUDSMAN_DECISION_NO_MALADMINISTRATION:
        return kHosNoMaladministration;
      case v1::OMBUDSMAN_DECISION_SERVICE_FAILURE:
        return kHosServiceFailure;
      case v1::OMBUDSMAN_DECISION_MALADMINISTRATION:
        return kHosMaladministration;
      case v1::OMBUDSMAN_DECISION_SEVERE_MALADMINISTRATION:
        return kHosSevereMaladministration;
      case v1::OMBUDSMAN_DECISION_REDRESS:
        return kHosRedress;
      case v1::OMBUDSMAN_DECISION_OUTSIDE_JURISDICTION:
        return kHosOutsideJurisdiction;
      case v1::OMBUDSMAN_DECISION_WITHDRAWN:
        return kHosWithdrawn;
      default:
        return -1;
    }
  }
  return -1;
}

bool IsUpheldToSomeDegree(uint8_t outcome) {
  return outcome == v1::OUTCOME_UPHELD || outcome == v1::OUTCOME_PARTLY_UPHELD;
}

}  // namespace

// METRICS.md: T is a date (the end of that London day) or a date-time, in
// the forms FORMATS.md gives (London time without an offset, `Z` or
// +-HH:MM with or without seconds, `T` or a space); RFC 3339 with fractions
// of a second too.
absl::StatusOr<absl::Time> ParseAsOf(absl::string_view text) {
  if (auto t = ParseDateOrDateTime(text); t.ok()) {
    return t->at ? *t->at : EndOfLondonDay(t->date);
  }
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &err)) {
    return t;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("as-of '", text,
                   "' is neither a date (YYYY-MM-DD) nor a date-time "
                   "(YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM])"));
}

namespace aggregate_internal {

// Everything per day that the kernels look up, computed once from the
// settings: the period and month of each day of the five periods, and
// working-day arithmetic as two array lookups. Immutable, so partials copied
// from one another (one per thread) share it.
struct DayTables {
  explicit DayTables(const AggregationSettings& s);

  // Calendar::AddWorkingDays on day numbers: Shifted's answer past its
  // tables (inside them, the tables already hold the answer).
  int32_t AddWorkingDays(int32_t day, int n) const {
    return DayNumber(calendar.AddWorkingDays(FromDayNumber(day), n));
  }

  // The first and last day of the run of days around `day` that share its
  // slot (INT32_MIN or INT32_MAX for a run that goes on past the table).
  std::pair<int32_t, int32_t> SlotRunOf(int32_t day) const {
    const int64_t offset = int64_t{day} - first_day;
    const int64_t size = static_cast<int64_t>(period_of.size());
    if (offset < 0) return {std::numeric_limits<int32_t>::min(), first_day - 1};
    if (offset >= size) {
      return {static_cast<int32_t>(first_day + size),
              std::numeric_limits<int32_t>::max()};
    }
    return {first_day + slot_run_first[offset],
            first_day + slot_run_last[offset]};
  }

  // slot_of of any day: a day outside the table has the last slot.
  uint32_t SlotOf(int32_t day) const {
    // Unsigned: a day before first_day wraps to a large offset.
    const uint32_t offset =
        static_cast<uint32_t>(day) - static_cast<uint32_t>(first_day);
    return slot_of[std::min(offset, static_cast<uint32_t>(period_of.size()))];
  }

  // AddWorkingDays(day, n) for a step n of the policy, one lookup a day.
  struct Shift {
    int n = 0;
    std::vector<int32_t> day_after;  // per day from wd_first
  };
  // The policy's steps for a stage: acknowledge, respond, extend.
  enum Step { kAcknowledge, kRespond, kExtend, kSteps };
  int32_t Shifted(v1::Stage stage, Step step, int32_t day) const {
    const Shift& shift = shifts[stage == v1::STAGE_2][step];
    const uint32_t offset =
        static_cast<uint32_t>(day) - static_cast<uint32_t>(wd_first);
    if (ABSL_PREDICT_TRUE(offset < shift.day_after.size())) {
      return shift.day_after[offset];
    }
    return AddWorkingDays(day, shift.n);
  }

  Calendar calendar;
  TimescalePolicy policy;
  int64_t as_of = 0;  // unix seconds
  int32_t as_of_day = 0;
  int32_t first_day = 0;          // first day of the oldest period
  std::vector<int8_t> period_of;  // per day from first_day
  std::vector<int16_t> month_of;  // per day from first_day (P only)
  int months = 0;                 // months of P
  // The interaction kernel's slot of each day: its month for a day of P,
  // months + p - 1 for a day of earlier period p, months + 4 otherwise;
  // slot_of[period_of.size()] is that last, for days past the table.
  std::vector<uint16_t> slot_of;
  int slots = 0;
  // Per day from first_day: the offsets of the first and last day of the
  // run of days with its slot (SlotRunOf).
  std::vector<int32_t> slot_run_first, slot_run_last;
  // The first day of the working-day tables the shifts are built from.
  int32_t wd_first = 0;
  // [stage 1, stage 2][Step]: as far into the working-day tables as their
  // answers lie in them.
  Shift shifts[2][kSteps];
};

DayTables::DayTables(const AggregationSettings& s)
    : calendar(s.calendar),
      policy(s.policy),
      as_of(absl::ToUnixSeconds(s.as_of)),
      as_of_day(DayNumber(LondonDate(s.as_of))) {
  const std::vector<Period> periods = PeriodsEndingWith(s.period, kPeriodsKept);
  first_day = DayNumber(periods.front().start);
  const int32_t last_day = DayNumber(s.period.end);
  const size_t n = static_cast<size_t>(last_day - first_day + 1);
  period_of.assign(n, -1);
  month_of.assign(n, -1);
  for (int i = 0; i < kPeriodsKept; ++i) {
    const Period& p = periods[kPeriodsKept - 1 - i];  // i = 0 is P
    for (int32_t d = DayNumber(p.start); d <= DayNumber(p.end); ++d) {
      period_of[d - first_day] = static_cast<int8_t>(i);
    }
  }
  const absl::CivilMonth first_month(s.period.start);
  months = static_cast<int>(absl::CivilMonth(s.period.end) - first_month) + 1;
  slots = months + kPeriodsKept;
  slot_of.assign(n + 1, static_cast<uint16_t>(slots - 1));
  for (size_t i = 0; i < n; ++i) {
    if (period_of[i] > 0) {
      slot_of[i] = static_cast<uint16_t>(months + period_of[i] - 1);
    }
  }
  // P's months, a run of days each (P may start or end mid-month).
  for (int m = 0; m < months; ++m) {
    const absl::CivilMonth month = first_month + m;
    const int32_t from =
        std::max(DayNumber(absl::CivilDay(month)), DayNumber(s.period.start));
    const int32_t to = std::min(DayNumber(absl::CivilDay(month + 1)) - 1,
                                DayNumber(s.period.end));
    for (int32_t d = from; d <= to; ++d) {
      month_of[d - first_day] = static_cast<int16_t>(m);
      slot_of[d - first_day] = static_cast<uint16_t>(m);
    }
  }
  slot_run_first.resize(n);
  slot_run_last.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const bool starts = i == 0 || slot_of[i] != slot_of[i - 1];
    slot_run_first[i] =
        starts ? static_cast<int32_t>(i) : slot_run_first[i - 1];
  }
  for (size_t i = n; i-- > 0;) {
    const bool ends = i + 1 == n || slot_of[i] != slot_of[i + 1];
    slot_run_last[i] = ends ? static_cast<int32_t>(i) : slot_run_last[i + 1];
  }
  // Working days from a year before the five periods (complaints answered
  // in them were mostly received after that) to some way past the as-of
  // date or the period's end (due dates run on past both).
  wd_first = first_day - 400;
  const int32_t wd_last =
      std::min(std::max(as_of_day, last_day), last_day + 3660) + 800;
  // Over [wd_first, wd_last]: wd_count[i] counts the working days in
  // [wd_first, wd_first + i]; wd_nth[k] is the offset of the one whose
  // count is k. Days outside go through the Calendar.
  const std::vector<int32_t> wd_count = calendar.RunningWorkingDays(
      FromDayNumber(wd_first), static_cast<size_t>(wd_last - wd_first + 1));
  std::vector<int32_t> wd_nth;
  wd_nth.push_back(-1);  // no working day has count 0
  for (size_t i = 0; i < wd_count.size(); ++i) {
    if (wd_count[i] != (i == 0 ? 0 : wd_count[i - 1])) {
      wd_nth.push_back(static_cast<int32_t>(i));
    }
  }
  for (const v1::Stage stage : {v1::STAGE_1, v1::STAGE_2}) {
    const StageTimescale& timescale = policy.ForStage(stage);
    const int steps[kSteps] = {timescale.acknowledge_days,
                               timescale.respond_days,
                               timescale.max_extension_days};
    for (int step = 0; step < kSteps; ++step) {
      Shift& shift = shifts[stage == v1::STAGE_2][step];
      shift.n = steps[step];
      // Up to the first day whose answer lies past the tables (wd_count
      // never decreases); 0 days after a day is that day.
      const size_t n = static_cast<size_t>(shift.n);
      size_t size = wd_count.size();
      if (n >= wd_nth.size()) {
        size = 0;
      } else if (n > 0) {
        size = std::upper_bound(wd_count.begin(), wd_count.end(),
                                static_cast<int32_t>(wd_nth.size() - 1 - n)) -
               wd_count.begin();
      }
      shift.day_after.resize(size);
      for (size_t i = 0; i < size; ++i) {
        shift.day_after[i] = wd_first + (n == 0 ? static_cast<int32_t>(i)
                                                : wd_nth[wd_count[i] + n]);
      }
    }
  }
}

}  // namespace aggregate_internal

namespace {

using aggregate_internal::DayTables;

// What the case kernel reads besides the columns.
//
// It keeps its own copies of the tables' addresses and of T: read through
// the DayTables' vectors, the compiler read each vector's address again
// after every count.
class Kernel {
 public:
  explicit Kernel(const DayTables& t)
      : t_(t),
        period_of_(t.period_of.data()),
        month_of_(t.month_of.data()),
        days_(static_cast<uint32_t>(t.period_of.size())),
        first_day_(t.first_day),
        as_of_day_(t.as_of_day),
        as_of_(t.as_of) {}

  // Period index (0 = P) of a day, or -1 outside the five periods.
  int PeriodOf(int32_t day) const {
    // Unsigned: a day before first_day wraps to a large offset.
    const uint32_t offset =
        static_cast<uint32_t>(day) - static_cast<uint32_t>(first_day_);
    return offset < days_ ? period_of_[offset] : -1;
  }
  // Month of P (0 = its first) of a day in P.
  int MonthOf(int32_t day) const { return month_of_[day - first_day_]; }

  // The day of an event if it is seen at the as-of time, else kNoDay.
  int32_t SeenDay(const EventColumn& col, size_t row) const {
    return col.SeenDay(row, as_of_day_, as_of_);
  }
  bool Seen(const EventColumn& col, size_t row) const {
    return SeenDay(col, row) != kNoDay;
  }

  int32_t as_of_day() const { return as_of_day_; }

  int32_t AcknowledgementDue(v1::Stage stage, int32_t start) const {
    return t_.Shifted(stage, DayTables::kAcknowledge, start);
  }

  // timescales.h's ResponseDue and RespondedOnTime on day numbers.
  bool OnTime(v1::Stage stage, int32_t start, int32_t acknowledged,
              int32_t responded, int32_t extended_to) const {
    const int32_t ack_due = AcknowledgementDue(stage, start);
    // A late acknowledgement never buys time.
    const int32_t clock =
        acknowledged != kNoDay ? std::min(acknowledged, ack_due) : ack_due;
    const int32_t due = t_.Shifted(stage, DayTables::kRespond, clock);
    const int32_t extended_due =
        std::min(extended_to, t_.Shifted(stage, DayTables::kExtend, due));
    return (responded <= due) |
           ((extended_to != kNoDay) & (responded <= extended_due));
  }

 private:
  const DayTables& t_;
  const int8_t* period_of_;
  const int16_t* month_of_;
  uint32_t days_;
  int32_t first_day_;
  int32_t as_of_day_;
  int64_t as_of_;
};

// METRICS.md's follow-up rules for a contact on `day` linked to complaint
// `row`: chasing while a stage awaits its response (on or after its receipt
// or escalation request, before that stage's response, not after a
// withdrawal); else "after response" when 0..28 days after the latest
// response on or before it. Written without branches: which way a follow-up
// goes is data, and mispredicted branches cost more than the arithmetic.
struct FollowUpClass {
  bool chasing;
  bool after_response;
};

using aggregate_internal::CaseTimeline;

FollowUpClass ClassifyFollowUp(const CaseTimeline& c, int32_t day) {
  const bool awaiting_stage1 = (c.received <= day) & (day < c.s1);
  const bool awaiting_stage2 = (c.escalated <= day) & (day < c.s2);
  const bool chasing =
      (day <= c.withdrawn) & (awaiting_stage1 | awaiting_stage2);
  const bool s2_before = c.s2 <= day;
  const bool s1_before = c.s1 <= day;
  const int32_t latest = s2_before ? c.s2 : c.s1;
  const bool after = (s2_before | s1_before) & (day - latest <= 28);
  return {chasing, !chasing && after};
}

// What the follow-up rules read of a case: its days as seen at T
// (EventColumn::SeenDay), each kNoDay becoming "never".
CaseTimeline TimelineOf(int32_t received, int32_t s1, int32_t escalated,
                        int32_t s2, int32_t withdrawn, uint8_t type) {
  auto never_if_none = [](int32_t day) {
    return day == kNoDay ? std::numeric_limits<int32_t>::max() : day;
  };
  return {never_if_none(received),  never_if_none(s1),
          never_if_none(escalated), never_if_none(s2),
          never_if_none(withdrawn), type == v1::CASE_TYPE_COMPLAINT};
}

}  // namespace

absl::string_view CounterName(Counter c) { return kCounterNames[c]; }

absl::StatusOr<AggregationSettings> ResolveSettings(
    const v1::ReportSettings& request, absl::Time now) {
  AggregationSettings s;
  s.request = request;
  s.financial_year_start_month = request.financial_year_start_month() == 0
                                     ? 4
                                     : request.financial_year_start_month();
  TELLUS_ASSIGN_OR_RETURN(
      s.period, ParsePeriod(request.period(), s.financial_year_start_month));
  if (!request.region().empty()) {
    TELLUS_ASSIGN_OR_RETURN(Region region, ParseRegion(request.region()));
    s.calendar = Calendar::ForRegion(region);
  }
  if (!request.holidays_json().empty()) {
    absl::StatusOr<Calendar> calendar = Calendar::FromGovUkJson(
        request.holidays_json(), s.calendar.region(),
        request.replace_holidays() ? HolidayMerge::kReplace
                                   : HolidayMerge::kExtend);
    if (!calendar.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("bank holidays: ", calendar.status().message()));
    }
    s.calendar = *calendar;
  }
  if (request.has_policy()) {
    TELLUS_ASSIGN_OR_RETURN(s.policy, PolicyFromProto(request.policy()));
  }
  if (request.as_of().empty()) {
    s.as_of = absl::FromUnixSeconds(absl::ToUnixSeconds(now));
  } else {
    TELLUS_ASSIGN_OR_RETURN(s.as_of, ParseAsOf(request.as_of()));
  }
  const absl::Time period_end = EndOfLondonDay(s.period.end);
  if (s.as_of < period_end) {
    return absl::InvalidArgumentError(absl::StrCat(
        "as-of ", absl::FormatTime(absl::RFC3339_sec, s.as_of, London()),
        " is before the end of the period ", s.period.Label(), " (",
        FormatDate(s.period.end),
        "): a report is only final once its period has ended"));
  }
  if (request.has_homes() && request.homes() <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "homes ", request.homes(), " must be a positive number of homes"));
  }
  if (request.suppression_threshold() < 0) {
    return absl::InvalidArgumentError(
        "suppression threshold must not be negative");
  }
  s.request.set_as_of(
      absl::FormatTime(absl::RFC3339_sec, s.as_of, absl::UTCTimeZone()));
  s.request.set_financial_year_start_month(s.financial_year_start_month);
  *s.request.mutable_policy() = PolicyToProto(s.policy);
  s.request.set_region(std::string(RegionName(s.calendar.region())));
  return s;
}

PartialAggregate::PartialAggregate(const AggregationSettings& settings)
    : settings_(settings),
      tables_(std::make_shared<const DayTables>(settings)) {
  const absl::CivilMonth first(settings.period.start);
  const absl::CivilMonth last(settings.period.end);
  months_.assign(static_cast<size_t>(last - first + 1), Counters{});
}

absl::CivilMonth PartialAggregate::first_month() const {
  return absl::CivilMonth(settings_.period.start);
}

size_t PartialAggregate::CellFor(absl::string_view directorate,
                                 absl::string_view service) {
  std::pair<std::string, std::string> key{std::string(directorate),
                                          std::string(service)};
  auto [it, inserted] = index_.try_emplace(key, names_.size());
  if (inserted) {
    names_.push_back(std::move(key));
    counters_.resize(names_.size() * kPeriodsKept, Counters{});
  }
  return it->second;
}

std::vector<uint32_t> PartialAggregate::MapCells(const Dataset& data) {
  // UINT32_MAX: not yet named by a row this partial has added. Only cells
  // that rows use are named, so a partial names exactly its rows' cells.
  return std::vector<uint32_t>(data.cells().size(), UINT32_MAX);
}

namespace {

// Adds n to a counter of a cell's period, and of P's month for a day in P.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline void Count(const Kernel& k,
                                               Counters* at_period,
                                               Counters* months, int period,
                                               Counter counter, int64_t n,
                                               int32_t day) {
  at_period[period][counter] += n;
  if (period == 0) months[k.MonthOf(day)][counter] += n;
}

// The counter of a case's receipt, by its type: a table, as the type is
// data, and mixed (GCC made a branch of the arithmetic). Any type but a
// compliment or an enquiry counts as a complaint, as everywhere else.
constexpr std::array<uint8_t, 256> kReceiptCounter = [] {
  std::array<uint8_t, 256> counter;
  counter.fill(kComplaintsReceived);
  counter[v1::CASE_TYPE_COMPLIMENT] = kCompliments;
  counter[v1::CASE_TYPE_ENQUIRY] = kEnquiries;
  return counter;
}();

// A complaint received by T, as the case kernel's first pass leaves it to
// the second: its row, its cell, and its days as seen at T.
struct SeenComplaint {
  size_t row;
  uint32_t cell;
  int32_t received, s1, escalated, s2, withdrawn;
};

// The figures of a complaint's procedure (METRICS.md): its cohort, its
// acknowledgement and responses and their timeliness, its escalation, its
// Ombudsman referral and decision, and its resolution.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline void CountProcedure(const Kernel& k,
                                                        const CaseTable& t,
                                                        const SeenComplaint& c,
                                                        Counters* at_period,
                                                        Counters* months) {
  const size_t r = c.row;
  if (const int p = k.PeriodOf(c.received); p >= 0) {
    Counters& at = at_period[p];
    at[kCohortEscalated] += c.escalated != kNoDay;
    at[kCohortWithLessons] += k.Seen(t.first_lesson, r);
    const int32_t ack_due = k.AcknowledgementDue(v1::STAGE_1, c.received);
    const int32_t acknowledged = k.SeenDay(t.s1_acknowledged, r);
    const bool withdrawn_unacknowledged = (c.withdrawn != kNoDay) &
                                          (c.withdrawn <= ack_due) &
                                          (acknowledged == kNoDay);
    const bool ack_due_counted =
        (ack_due <= k.as_of_day()) & !withdrawn_unacknowledged;
    at[kStage1AckDue] += ack_due_counted;
    at[kStage1AckOnTime] +=
        ack_due_counted & (acknowledged != kNoDay) & (acknowledged <= ack_due);
  }

  if (const int p = k.PeriodOf(c.escalated); p >= 0) {
    Count(k, at_period, months, p, kStage2Received, 1, c.escalated);
  }

  const int32_t referred = k.SeenDay(t.ombudsman_referred, r);
  if (const int p = k.PeriodOf(referred); p >= 0) {
    Count(k, at_period, months, p, kOmbudsmanEnquiries, 1, referred);
    Count(k, at_period, months, p,
          t.ombudsman_body[r] == v1::OMBUDSMAN_BODY_HOS
              ? kOmbudsmanEnquiriesHos
              : kOmbudsmanEnquiriesLgsco,
          1, referred);
  }
  const int32_t decided = k.SeenDay(t.ombudsman_decided, r);
  if (const int p = k.PeriodOf(decided); p >= 0) {
    const int counter =
        DecisionCounter(t.ombudsman_body[r], t.ombudsman_decision[r]);
    if (counter >= 0) ++at_period[p][counter];
  }

  if (const int p = k.PeriodOf(c.s1); p >= 0) {
    Count(k, at_period, months, p, kStage1Responses, 1, c.s1);
    // Due dates use the recorded days: an acknowledgement is never after
    // its response, and an extension is known with its response.
    at_period[p][kStage1OnTime] +=
        k.OnTime(v1::STAGE_1, c.received, t.s1_acknowledged.day[r], c.s1,
                 t.s1_extended_to.day[r]);
  }
  if (const int p = k.PeriodOf(c.s2); p >= 0) {
    Count(k, at_period, months, p, kStage2Responses, 1, c.s2);
    at_period[p][kStage2OnTime] +=
        k.OnTime(v1::STAGE_2, t.s2_requested.day[r], t.s2_acknowledged.day[r],
                 c.s2, t.s2_extended_to.day[r]);
  }

  // Resolved: the final internal response (stage 2 once escalation was
  // requested by T) is dated in the period; never when withdrawn.
  const bool escalated = c.escalated != kNoDay;
  const int32_t final_response = escalated ? c.s2 : c.s1;
  if (const int p = k.PeriodOf(final_response);
      p >= 0 && c.withdrawn == kNoDay) {
    Counters& at = at_period[p];
    ++at[kResolved];
    const uint8_t outcome = escalated ? t.s2_outcome[r] : t.s1_outcome[r];
    at[kResolvedUpheld] += IsUpheldToSomeDegree(outcome);
    at[kRemedyPence] += t.remedy_pence[r];
  }
}

}  // namespace

void PartialAggregate::AddCases(const Dataset& data, size_t begin, size_t end,
                                absl::Span<CaseTimeline> timelines) {
  const Kernel k(*tables_);
  const CaseTable& t = data.cases();
  std::vector<uint32_t> cell_of = MapCells(data);
  // Through local pointers (see Kernel), renewed when a cell is named.
  Counters* counters = counters_.data();
  Counters* const months = months_.data();
  // Two passes over each block of rows: the first makes every case's
  // timeline and counts its receipt, the second counts the procedure of
  // the block's complaints. Only a complaint has procedure events (FoldCase
  // refuses them on any other case, on every way into a Dataset),
  // and which rows are complaints is data, and mixed: in one pass, the
  // procedure's branches were mispredicted on every change of type.
  constexpr size_t kBlock = 256;
  std::array<SeenComplaint, kBlock> complaints;
  for (size_t from = begin; from < end; from += kBlock) {
    const size_t to = std::min(end, from + kBlock);
    size_t n_complaints = 0;
    for (size_t r = from; r < to; ++r) {
      // The days read more than once, read once: a store to the timelines
      // (int32) could alias the columns, so the compiler would read them
      // again.
      const int32_t received = k.SeenDay(t.received, r);
      const int32_t s1 = k.SeenDay(t.s1_responded, r);
      const int32_t escalated = k.SeenDay(t.s2_requested, r);
      const int32_t s2 = k.SeenDay(t.s2_responded, r);
      const int32_t withdrawn = k.SeenDay(t.withdrawn, r);
      const uint8_t type = t.type[r];
      // In the same pass, while the row's columns are in the cache.
      if (!timelines.empty()) {
        timelines[r] = TimelineOf(received, s1, escalated, s2, withdrawn, type);
      }
      uint32_t& cell = cell_of[t.cell[r]];
      if (cell == UINT32_MAX) {
        cell =
            static_cast<uint32_t>(CellFor(data.cells().directorate(t.cell[r]),
                                          data.cells().service(t.cell[r])));
        counters = counters_.data();
      }
      if (received == kNoDay) continue;  // not yet received at T
      if (const int p = k.PeriodOf(received); p >= 0) {
        const auto counter = static_cast<Counter>(kReceiptCounter[type]);
        Count(k, counters + size_t{cell} * kPeriodsKept, months, p, counter, 1,
              received);
      }
      // Written for every case, kept (by moving past it) for a complaint
      // only: no branch on the type.
      complaints[n_complaints] = {r,         cell, received, s1,
                                  escalated, s2,   withdrawn};
      n_complaints += kReceiptCounter[type] == kComplaintsReceived;
    }
    for (size_t i = 0; i < n_complaints; ++i) {
      const SeenComplaint& c = complaints[i];
      CountProcedure(k, t, c, counters + size_t{c.cell} * kPeriodsKept, months);
    }
  }
  learning_.AddCases(data, LearningWindow(settings_.period, settings_.as_of),
                     begin, end);
}

void PartialAggregate::AddRestrictions(const Dataset& data, size_t begin,
                                       size_t end) {
  learning_.AddRestrictions(
      data, LearningWindow(settings_.period, settings_.as_of), begin, end);
}

namespace {

// Contacts, on complaints, chasing, after a response: CountFollowUps.
constexpr size_t kFollowUpCounters = 4;

// Counts rows of cells [0, n_cells) by (slot, cell) into
// hist[slot * n_cells + cell]: the whole per-row work of interactions that
// are not linked to a case. Four interleaved copies of the table (at
// hist + k * hist_size, summed by the caller), one per row of each group of
// four, so that neighbouring rows of the same cell and month (common: rows
// are in time order) do not wait on each other's increment.
void CountBySlot(const int32_t* day, const uint32_t* cell, size_t n,
                 const DayTables& t, size_t n_cells, uint32_t* hist,
                 size_t hist_size) {
  uint32_t* const h0 = hist;
  uint32_t* const h1 = hist + hist_size;
  uint32_t* const h2 = hist + 2 * hist_size;
  uint32_t* const h3 = hist + 3 * hist_size;
  // Exports come in time order, so most runs of rows fall in one slot (a
  // month of P, an earlier period, or after them): such a run is counted by
  // cell alone, without looking up a slot per row. Whether it does is a
  // check of every day against the days of its first row's slot, which the
  // compiler makes a few vector instructions for four rows.
  constexpr size_t kRun = 512;
  size_t i = 0;
  for (; i + kRun <= n; i += kRun) {
    const int32_t* d = day + i;
    const uint32_t* c = cell + i;
    const auto [first, last] = t.SlotRunOf(d[0]);
    const uint32_t width =
        static_cast<uint32_t>(last) - static_cast<uint32_t>(first);
    uint32_t outside_run = 0;
    for (size_t j = 0; j < kRun; ++j) {
      outside_run |=
          (static_cast<uint32_t>(d[j]) - static_cast<uint32_t>(first)) > width;
    }
    if (!outside_run) {
      const size_t base = t.SlotOf(d[0]) * n_cells;
      for (size_t j = 0; j < kRun; j += 4) {
        ++h0[base + c[j]];
        ++h1[base + c[j + 1]];
        ++h2[base + c[j + 2]];
        ++h3[base + c[j + 3]];
      }
      continue;
    }
    for (size_t j = 0; j < kRun; ++j) {
      ++h0[t.SlotOf(d[j]) * n_cells + c[j]];
    }
  }
  for (; i < n; ++i) ++h0[t.SlotOf(day[i]) * n_cells + cell[i]];
}

// The follow-up figures of linked rows [first, last) (indices into the
// linked columns), into follow[cell * kPeriodsKept + period] (contacts, on
// complaints, chasing, after a response; by the data set's cell) and the
// months of P.
void CountFollowUps(const Kernel k, const InteractionTable& t,
                    absl::Span<const CaseTimeline> timelines, size_t first,
                    size_t last,
                    absl::Span<std::array<int64_t, kFollowUpCounters>> follow,
                    std::vector<Counters>& months) {
  // The follow-ups among the linked rows, a block at a time, picked out
  // without a branch per row: whether a linked row is a follow-up is data,
  // and a branch on it mispredicted often enough to cost more than the
  // rest of the loop.
  //
  // The columns are read through local pointers: through the tables' own
  // vectors, the compiler read each vector's address again after every
  // count.
  const uint8_t* const linked_kind = t.linked_kind.data();
  const uint32_t* const linked_row = t.linked_row.data();
  const int32_t* const linked_case = t.linked_case.data();
  const int32_t* const day_of = t.day.data();
  const uint32_t* const cell_of = t.cell.data();
  const CaseTimeline* const timeline_of = timelines.data();
  std::array<int64_t, kFollowUpCounters>* const counts = follow.data();
  Counters* const month_counts = months.data();
  constexpr size_t kBlock = 1024;
  uint32_t follow_ups[kBlock];
  for (size_t from = first; from < last; from += kBlock) {
    const size_t to = std::min(last, from + kBlock);
    size_t n = 0;
    for (size_t i = from; i < to; ++i) {
      follow_ups[n] = static_cast<uint32_t>(i);
      n += linked_kind[i] == v1::INTERACTION_KIND_FOLLOW_UP;
    }
    // Timelines are read at random: ask for them some rows ahead.
    constexpr size_t kPrefetchAhead = 16;
    for (size_t j = 0; j < n; ++j) {
      if (j + kPrefetchAhead < n) {
        __builtin_prefetch(
            &timeline_of[linked_case[follow_ups[j + kPrefetchAhead]]]);
      }
      const size_t i = follow_ups[j];
      const uint32_t r = linked_row[i];
      const int32_t day = day_of[r];
      const int p = k.PeriodOf(day);
      if (p < 0) continue;
      auto& c = counts[cell_of[r] * kPeriodsKept + p];
      ++c[0];
      if (p == 0) ++month_counts[k.MonthOf(day)][kFollowUpContacts];
      // Whether the case is a complaint is data too: no branch on it.
      const CaseTimeline& timeline = timeline_of[linked_case[i]];
      const bool complaint = timeline.is_complaint;
      const FollowUpClass f = ClassifyFollowUp(timeline, day);
      c[1] += complaint;
      c[2] += complaint & f.chasing;
      c[3] += complaint & f.after_response;
    }
  }
}

}  // namespace

void PartialAggregate::FillCaseTimelines(const Dataset& data, size_t begin,
                                         size_t end,
                                         absl::Span<CaseTimeline> out) const {
  const Kernel k(*tables_);
  const CaseTable& t = data.cases();
  for (size_t row = begin; row < end; ++row) {
    out[row] = TimelineOf(
        k.SeenDay(t.received, row), k.SeenDay(t.s1_responded, row),
        k.SeenDay(t.s2_requested, row), k.SeenDay(t.s2_responded, row),
        k.SeenDay(t.withdrawn, row), t.type[row]);
  }
}

void PartialAggregate::AddInteractions(const Dataset& data, size_t begin,
                                       size_t end) {
  AddInteractions(data, begin, end, {});
}

void PartialAggregate::AddInteractions(
    const Dataset& data, size_t begin, size_t end,
    absl::Span<const CaseTimeline> timelines) {
  bool given = false;
  AddInteractions(
      data,
      [&](size_t* from, size_t* to) {
        if (given) return false;
        given = true;
        *from = begin;
        *to = end;
        return true;
      },
      timelines);
}

void PartialAggregate::AddInteractions(
    const Dataset& data, absl::FunctionRef<bool(size_t*, size_t*)> next_rows,
    absl::Span<const CaseTimeline> timelines) {
  const DayTables& tables = *tables_;
  const InteractionTable& t = data.interactions();
  const size_t n_cells = data.cells().size();
  const size_t slots = static_cast<size_t>(tables.slots);
  const size_t hist_size = n_cells * slots;
  const int months = tables.months;
  std::vector<int64_t> total(hist_size, 0);
  // The follow-up counters by the data set's cell, until the partial's
  // cells are named below.
  std::vector<std::array<int64_t, kFollowUpCounters>> follow(n_cells *
                                                             kPeriodsKept);
  std::vector<CaseTimeline> own;
  const Kernel k(tables);

  // Every row is counted in its cell and slot (month of P, or earlier
  // period) on 32-bit counters (four copies of the table of a hundred cells
  // then fit the first-level cache), at most 2^31 rows between sums so that
  // none can overflow. The linked rows of each block of rows follow it while
  // its days and cells are still in the cache: read after all the rows, at
  // 15 million rows, they came from memory again.
  std::vector<uint32_t> hist(4 * hist_size, 0);
  constexpr size_t kRowBlock = 16384;
  constexpr size_t kSumEvery = size_t{1} << 31;
  size_t since_sum = 0;
  auto sum_hist = [&] {
    for (size_t i = 0; i < hist_size; ++i) {
      total[i] += int64_t{hist[i]} + hist[i + hist_size] +
                  hist[i + 2 * hist_size] + hist[i + 3 * hist_size];
    }
    std::fill(hist.begin(), hist.end(), 0);
    since_sum = 0;
  };
  size_t begin, end;
  while (next_rows(&begin, &end)) {
    if (end <= begin) continue;
    size_t linked =
        std::lower_bound(t.linked_row.begin(), t.linked_row.end(), begin) -
        t.linked_row.begin();
    const bool any_linked =
        linked < t.linked_row.size() && t.linked_row[linked] < end;
    if (any_linked && timelines.empty()) {
      own.resize(data.cases().size());
      FillCaseTimelines(data, 0, own.size(), absl::MakeSpan(own));
      timelines = own;
    }
    for (size_t from = begin; from < end; from += kRowBlock) {
      const size_t to = std::min(end, from + kRowBlock);
      if (since_sum + (to - from) > kSumEvery) sum_hist();
      CountBySlot(t.day.data() + from, t.cell.data() + from, to - from, tables,
                  n_cells, hist.data(), hist_size);
      since_sum += to - from;
      if (!any_linked) continue;
      const size_t linked_end = std::lower_bound(t.linked_row.begin() + linked,
                                                 t.linked_row.end(), to) -
                                t.linked_row.begin();
      CountFollowUps(k, t, timelines, linked, linked_end,
                     absl::MakeSpan(follow), months_);
      linked = linked_end;
    }
  }
  sum_hist();

  std::vector<uint32_t> cell_of = MapCells(data);
  for (size_t cell = 0; cell < n_cells; ++cell) {
    auto h = [&](size_t slot) { return total[slot * n_cells + cell]; };
    int64_t named = 0;  // rows of this cell, in any period or none
    for (size_t i = 0; i < slots; ++i) named += h(i);
    if (named == 0) continue;
    // Only cells that rows use are named (as AddCases does).
    const size_t mine =
        CellFor(data.cells().directorate(cell), data.cells().service(cell));
    cell_of[cell] = static_cast<uint32_t>(mine);
    for (int m = 0; m < months; ++m) {
      at(mine, 0)[kInteractions] += h(m);
      months_[m][kInteractions] += h(m);
    }
    for (int p = 1; p < kPeriodsKept; ++p) {
      at(mine, p)[kInteractions] += h(months + p - 1);
    }
    for (int p = 0; p < kPeriodsKept; ++p) {
      const auto& f = follow[cell * kPeriodsKept + p];
      Counters& c = at(mine, p);
      c[kFollowUpContacts] += f[0];
      c[kFollowUpsOnComplaints] += f[1];
      c[kFollowUpChasing] += f[2];
      c[kFollowUpAfterResponse] += f[3];
    }
  }
}

namespace {

// The settings two partials must share to merge.
std::string MergeKey(const AggregationSettings& s) {
  v1::ReportSettings key;
  key.set_period(s.period.Label());
  key.set_as_of(s.request.as_of());
  key.set_financial_year_start_month(s.financial_year_start_month);
  *key.mutable_policy() = PolicyToProto(s.policy);
  key.set_region(std::string(RegionName(s.calendar.region())));
  key.set_holidays_json(s.request.holidays_json());
  key.set_replace_holidays(s.request.replace_holidays());
  return key.SerializeAsString();
}

std::string DescribeSettings(const AggregationSettings& s) {
  return absl::StrCat(
      "period ", s.period.Label(), ", as of ", s.request.as_of(), ", ",
      RegionName(s.calendar.region()),
      s.request.holidays_json().empty()
          ? ""
          : (s.request.replace_holidays() ? ", holidays replaced from a file"
                                          : ", holidays added from a file"));
}

}  // namespace

absl::Status PartialAggregate::Merge(const PartialAggregate& other) {
  if (MergeKey(settings_) != MergeKey(other.settings_)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot merge partial aggregates computed under different settings (",
        DescribeSettings(settings_), " against ",
        DescribeSettings(other.settings_), ")"));
  }
  for (size_t cell = 0; cell < other.names_.size(); ++cell) {
    const size_t mine =
        CellFor(other.names_[cell].first, other.names_[cell].second);
    for (int p = 0; p < kPeriodsKept; ++p) {
      const Counters& from = other.counters(cell, p);
      Counters& to = at(mine, p);
      for (int i = 0; i < kCounterCount; ++i) to[i] += from[i];
    }
  }
  for (size_t m = 0; m < months_.size(); ++m) {
    for (int i = 0; i < kCounterCount; ++i) {
      months_[m][i] += other.months_[m][i];
    }
  }
  learning_.Merge(other.learning_);
  return absl::OkStatus();
}

v1::PartialAggregate PartialAggregate::ToProto() const {
  v1::PartialAggregate out;
  out.set_format_version(1);
  v1::ReportSettings& s = *out.mutable_settings();
  s.set_period(settings_.request.period());
  s.set_as_of(settings_.request.as_of());
  s.set_financial_year_start_month(settings_.financial_year_start_month);
  *s.mutable_policy() = PolicyToProto(settings_.policy);
  s.set_region(std::string(RegionName(settings_.calendar.region())));
  s.set_holidays_json(settings_.request.holidays_json());
  s.set_replace_holidays(settings_.request.replace_holidays());
  for (absl::string_view name : kCounterNames)
    out.add_counters(std::string(name));
  for (size_t cell = 0; cell < names_.size(); ++cell) {
    v1::PartialCell& c = *out.add_cells();
    c.set_directorate(names_[cell].first);
    c.set_service(names_[cell].second);
    for (int p = 0; p < kPeriodsKept; ++p) {
      auto* values = c.add_periods()->mutable_values();
      for (int64_t v : counters(cell, p)) values->Add(v);
    }
  }
  const absl::CivilMonth first = first_month();
  for (size_t m = 0; m < months_.size(); ++m) {
    v1::PartialMonth& month = *out.add_months();
    const absl::CivilMonth civil = first + static_cast<int64_t>(m);
    month.set_month(absl::StrFormat("%04d-%02d", civil.year(), civil.month()));
    for (int64_t v : months_[m]) month.mutable_counts()->add_values(v);
  }
  *out.mutable_learning() = learning_.ToProto();
  return out;
}

absl::StatusOr<PartialAggregate> PartialAggregate::FromProto(
    const v1::PartialAggregate& proto) {
  if (proto.format_version() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("partial aggregate format version ",
                     proto.format_version(), " is not supported (expected 1)"));
  }
  if (proto.settings().as_of().empty()) {
    return absl::InvalidArgumentError("partial aggregate has no as-of time");
  }
  TELLUS_ASSIGN_OR_RETURN(AggregationSettings settings,
                          ResolveSettings(proto.settings(), absl::Now()));
  std::vector<int> counter_of;
  for (const std::string& name : proto.counters()) {
    auto it = std::find(kCounterNames.begin(), kCounterNames.end(), name);
    if (it == kCounterNames.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "partial aggregate has an unknown counter '", name, "'"));
    }
    counter_of.push_back(static_cast<int>(it - kCounterNames.begin()));
  }
  auto read = [&](const v1::CounterValues& values, Counters& into,
                  absl::string_view where) -> absl::Status {
    if (values.values_size() != static_cast<int>(counter_of.size())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "partial aggregate: ", where, " has ", values.values_size(),
          " counters, expected ", counter_of.size()));
    }
    for (int i = 0; i < values.values_size(); ++i) {
      into[counter_of[i]] += values.values(i);
    }
    return absl::OkStatus();
  };
  PartialAggregate out(settings);
  for (const v1::PartialCell& cell : proto.cells()) {
    if (cell.periods_size() != kPeriodsKept) {
      return absl::InvalidArgumentError(absl::StrCat(
          "partial aggregate: cell '", cell.directorate(), "/", cell.service(),
          "' has ", cell.periods_size(), " periods, expected ", kPeriodsKept));
    }
    const size_t c = out.CellFor(cell.directorate(), cell.service());
    for (int p = 0; p < kPeriodsKept; ++p) {
      TELLUS_RETURN_IF_ERROR(read(cell.periods(p), out.at(c, p),
                                  absl::StrCat("cell '", cell.directorate(),
                                               "/", cell.service(), "'")));
    }
  }
  if (proto.months_size() != static_cast<int>(out.months_.size())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "partial aggregate has ", proto.months_size(), " months, expected ",
        out.months_.size(), " for ", settings.period.Label()));
  }
  for (int m = 0; m < proto.months_size(); ++m) {
    TELLUS_RETURN_IF_ERROR(
        read(proto.months(m).counts(), out.months_[m],
             absl::StrCat("month ", proto.months(m).month())));
  }
  TELLUS_ASSIGN_OR_RETURN(out.learning_,
                          LearningPartial::FromProto(proto.learning()));
  return out;
}

bool operator==(const PartialAggregate& a, const PartialAggregate& b) {
  if (MergeKey(a.settings_) != MergeKey(b.settings_)) return false;
  if (a.months_ != b.months_) return false;
  if (!(a.learning_ == b.learning_)) return false;
  using Cells =
      std::map<std::pair<std::string, std::string>, std::vector<Counters>>;
  auto cells = [](const PartialAggregate& p) {
    Cells out;
    for (size_t c = 0; c < p.names_.size(); ++c) {
      std::vector<Counters>& v = out[p.names_[c]];
      for (int i = 0; i < kPeriodsKept; ++i) v.push_back(p.counters(c, i));
    }
    return out;
  };
  return cells(a) == cells(b);
}

absl::StatusOr<PartialAggregate> Aggregate(const Dataset& data,
                                           const AggregationSettings& settings,
                                           int threads) {
  if (threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads ", threads, " must be 0 (one per core) or more"));
  }
  if (threads == 0) {
    threads = std::max(1u, std::thread::hardware_concurrency());
  }
  const size_t n_cases = data.cases().size();
  const size_t n_interactions = data.interactions().size();
  // The interactions are handed out in chunks, one at a time, to whichever
  // thread asks next: the rows' cost varies (linked rows cost more, and
  // exports come in time order, so the links are not spread evenly), and
  // so does the speed of threads on a shared machine.
  constexpr size_t kChunkRows = size_t{1} << 16;
  std::atomic<size_t> next_chunk{0};
  auto next_rows = [&](size_t* begin, size_t* end) {
    const size_t from = next_chunk.fetch_add(1) * kChunkRows;
    if (from >= n_interactions) return false;
    *begin = from;
    *end = std::min(n_interactions, from + kChunkRows);
    return true;
  };
  std::vector<PartialAggregate> parts(threads, PartialAggregate(settings));
  // Left uninitialised: AddCases writes every entry, on the threads (at 15
  // million rows, zeroing it first took a millisecond on one).
  const std::unique_ptr<CaseTimeline[]> timeline_rows =
      std::make_unique_for_overwrite<CaseTimeline[]>(n_cases);
  const absl::Span<CaseTimeline> timelines(timeline_rows.get(), n_cases);
  // Two phases: the cases (and their share of the timelines the follow-up
  // rules read), then, once every timeline is made, the interactions.
  // The cases are handed out in chunks too (an eighth of a thread's share,
  // 4,096 rows at least): a thread slowed by other work leaves the rest of
  // its share to the others.
  const size_t case_chunk =
      std::max<size_t>(4096, n_cases / (size_t{8} * threads));
  std::atomic<size_t> next_case_chunk{0};
  auto cases = [&](int i) {
    for (;;) {
      const size_t begin = next_case_chunk.fetch_add(1) * case_chunk;
      if (begin >= n_cases) break;
      parts[i].AddCases(data, begin, std::min(n_cases, begin + case_chunk),
                        timelines);
    }
    const size_t n_restrictions = data.learning().restrictions.size();
    parts[i].AddRestrictions(data, n_restrictions * i / threads,
                             n_restrictions * (i + 1) / threads);
  };
  auto interactions = [&](int i) {
    parts[i].AddInteractions(data, next_rows, timelines);
  };
  // The calling thread is worker 0; the others are started once, and wait
  // at the barrier for every timeline (starting threads for each phase cost
  // a tenth of the report at 1.5 million rows on two threads).
  std::barrier timelines_made(threads);
  auto work = [&](int i) {
    cases(i);
    timelines_made.arrive_and_wait();
    interactions(i);
  };
  std::vector<std::thread> helpers;
  for (int i = 1; i < threads; ++i) helpers.emplace_back(work, i);
  work(0);
  for (std::thread& t : helpers) t.join();
  for (int i = 1; i < threads; ++i) {
    TELLUS_RETURN_IF_ERROR(parts[0].Merge(parts[i]));
  }
  return std::move(parts[0]);
}

}  // namespace tellus
