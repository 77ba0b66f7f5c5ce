#include "tellus/report.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "learning_report.h"
#include "sha256.h"
#include "tellus/fields.h"
#include "tellus/status_macros.h"

namespace tellus {
namespace {

enum class Scope {
  kEverywhere,  // totals, by directorate and by service
  kTotalsOnly,  // METRICS.md: learning figures and CH01
};

// A figure of METRICS.md in terms of the partial's counters. A count has no
// denominator; a ratio's numerator may sum several counters.
struct MetricDef {
  absl::string_view key;
  std::vector<Counter> numerator;
  std::optional<Counter> denominator;
  Scope scope;
  // Figures of the learning records (learning_partial.h), which are not
  // case counters: the LearningPartial key counted, and for a ratio the key
  // of its denominator.
  absl::string_view learning = "";
  absl::string_view learning_denominator = "";
};

const std::vector<MetricDef>& Definitions() {
  static const auto* const defs = new std::vector<MetricDef>{
      {"interactions", {kInteractions}, {}, Scope::kEverywhere},
      {"enquiries", {kEnquiries}, {}, Scope::kEverywhere},
      {"compliments", {kCompliments}, {}, Scope::kEverywhere},
      {"complaints_received", {kComplaintsReceived}, {}, Scope::kEverywhere},
      {"stage1_received", {kComplaintsReceived}, {}, Scope::kEverywhere},
      {"stage2_received", {kStage2Received}, {}, Scope::kEverywhere},
      {"ombudsman_enquiries", {kOmbudsmanEnquiries}, {}, Scope::kEverywhere},
      {"ombudsman_enquiries_lgsco",
       {kOmbudsmanEnquiriesLgsco},
       {},
       Scope::kEverywhere},
      {"ombudsman_enquiries_hos",
       {kOmbudsmanEnquiriesHos},
       {},
       Scope::kEverywhere},
      {"stage1_responses", {kStage1Responses}, {}, Scope::kEverywhere},
      {"stage2_responses", {kStage2Responses}, {}, Scope::kEverywhere},
      {"follow_up_contacts", {kFollowUpContacts}, {}, Scope::kEverywhere},
      {"enquiries_share", {kEnquiries}, kInteractions, Scope::kEverywhere},
      {"upheld_rate", {kResolvedUpheld}, kResolved, Scope::kEverywhere},
      {"escalation_rate",
       {kStage2Received},
       kComplaintsReceived,
       Scope::kEverywhere},
      {"escalation_rate_cohort",
       {kCohortEscalated},
       kComplaintsReceived,
       Scope::kEverywhere},
      {"lessons_learnt_rate",
       {kCohortWithLessons},
       kComplaintsReceived,
       Scope::kEverywhere},
      {"stage1_on_time", {kStage1OnTime}, kStage1Responses, Scope::kEverywhere},
      {"stage2_on_time", {kStage2OnTime}, kStage2Responses, Scope::kEverywhere},
      {"stage1_ack_on_time",
       {kStage1AckOnTime},
       kStage1AckDue,
       Scope::kEverywhere},
      // CH01 is handled apart (landlord directorates, homes).
      {"follow_up_chasing", {kFollowUpChasing}, {}, Scope::kTotalsOnly},
      {"follow_up_after_response",
       {kFollowUpAfterResponse},
       {},
       Scope::kTotalsOnly},
      {"follow_ups_per_complaint",
       {kFollowUpsOnComplaints},
       kComplaintsReceived,
       Scope::kTotalsOnly},
      {"lessons_actions_overdue",
       {},
       {},
       Scope::kTotalsOnly,
       "lessons_actions_overdue"},
      {"remedy_pence", {kRemedyPence}, {}, Scope::kTotalsOnly},
  };
  return *defs;
}

const std::vector<MetricDef>& OmbudsmanDefinitions() {
  static const auto* const defs = [] {
    auto* out = new std::vector<MetricDef>;
    for (int c = kLgscoPremature; c <= kHosWithdrawn; ++c) {
      out->push_back({CounterName(static_cast<Counter>(c)),
                      {static_cast<Counter>(c)},
                      {},
                      Scope::kTotalsOnly});
    }
    out->push_back({"ombudsman_upheld_rate",
                    {kLgscoUpheld, kLgscoUpheldSatisfactoryRemedy},
                    std::nullopt,
                    Scope::kTotalsOnly});
    out->push_back({"ombudsman_satisfactory_remedy_rate",
                    {kLgscoUpheldSatisfactoryRemedy},
                    std::nullopt,
                    Scope::kTotalsOnly});
    out->push_back({"restrictions_active",
                    {},
                    {},
                    Scope::kTotalsOnly,
                    "restrictions_active"});
    out->push_back({"restriction_reviews_overdue",
                    {},
                    {},
                    Scope::kTotalsOnly,
                    "restriction_reviews_overdue"});
    // Added after METRICS.md's keys (learning_partial.h defines them).
    for (const learning_report::Figure& f : learning_report::AddedFigures()) {
      out->push_back(
          {f.key, {}, {}, Scope::kTotalsOnly, f.numerator, f.denominator});
    }
    return out;
  }();
  return *defs;
}

// Ombudsman rates have sums as denominators (METRICS.md).
std::optional<std::vector<Counter>> SumDenominator(absl::string_view key) {
  if (key == "ombudsman_upheld_rate") {
    return std::vector<Counter>{kLgscoUpheld, kLgscoUpheldSatisfactoryRemedy,
                                kLgscoNotUpheld};
  }
  if (key == "ombudsman_satisfactory_remedy_rate") {
    return std::vector<Counter>{kLgscoUpheld, kLgscoUpheldSatisfactoryRemedy};
  }
  return std::nullopt;
}

int64_t Sum(const Counters& c, const std::vector<Counter>& which) {
  int64_t total = 0;
  for (Counter k : which) total += c[k];
  return total;
}

struct Publishing {
  bool suppress = false;
  int threshold = 4;
  bool Hides(int64_t n) const { return suppress && n >= 1 && n <= threshold; }
  void Hide(v1::Value& v) const {
    v.mutable_suppressed()->set_shown_as(absl::StrCat("<", threshold + 1));
  }
};

// Values are set in place, in the message that holds them (which may live
// on an arena), rather than built apart and copied in.
void SetCount(int64_t n, const Publishing& pub, v1::Value& v) {
  if (pub.Hides(n)) return pub.Hide(v);
  v.set_count(n);
}

void SetRatio(int64_t numerator, int64_t denominator, const Publishing& pub,
              v1::Value& v) {
  if (pub.Hides(numerator) || pub.Hides(denominator)) return pub.Hide(v);
  v.mutable_ratio()->set_numerator(numerator);
  v.mutable_ratio()->set_denominator(denominator);
}

v1::Change ChangeBetween(const v1::Value& current, const v1::Value& previous) {
  v1::Change change;
  if (current.has_count() && previous.has_count()) {
    if (previous.count() != 0) {
      change.set_relative(
          static_cast<double>(current.count() - previous.count()) /
          static_cast<double>(previous.count()));
    }
  } else if (current.has_ratio() && previous.has_ratio() &&
             current.ratio().denominator() != 0 &&
             previous.ratio().denominator() != 0) {
    const double now = static_cast<double>(current.ratio().numerator()) /
                       static_cast<double>(current.ratio().denominator());
    const double before = static_cast<double>(previous.ratio().numerator()) /
                          static_cast<double>(previous.ratio().denominator());
    change.set_percentage_points(100.0 * (now - before));
    if (before != 0) change.set_relative((now - before) / before);
  }
  return change;
}

void SetValueOf(const MetricDef& def, const Counters& c, const Publishing& pub,
                v1::Value& v) {
  const int64_t numerator = Sum(c, def.numerator);
  if (auto sum = SumDenominator(def.key)) {
    return SetRatio(numerator, Sum(c, *sum), pub, v);
  }
  if (def.denominator) {
    return SetRatio(numerator, c[*def.denominator], pub, v);
  }
  SetCount(numerator, pub, v);
}

// Adds a metric whose values `set(value, period)` fills in (period 0 is P,
// 1 the previous period), and the change between them.
template <typename SetValue>
void AddMetric(absl::string_view key, SetValue set,
               google::protobuf::RepeatedPtrField<v1::Metric>& out) {
  v1::Metric& m = *out.Add();
  m.set_key(std::string(key));
  set(*m.mutable_current(), 0);
  set(*m.mutable_previous(), 1);
  *m.mutable_change() = ChangeBetween(m.current(), m.previous());
}

// Counters summed over a set of cells, for P and the previous period.
struct PeriodPair {
  Counters current{};
  Counters previous{};
};

// The values of a counter-based metric, for AddMetric.
auto MetricValues(const MetricDef& def, const PeriodPair& sums,
                  const Publishing& pub) {
  return [&def, &sums, &pub](v1::Value& v, int period) {
    SetValueOf(def, period == 0 ? sums.current : sums.previous, pub, v);
  };
}

void AddInto(Counters& to, const Counters& from) {
  for (int i = 0; i < kCounterCount; ++i) to[i] += from[i];
}

// A learning figure: totals of the learning partial, never suppressed.
void AddLearningMetric(const MetricDef& def, const LearningPartial& learning,
                       google::protobuf::RepeatedPtrField<v1::Metric>& out) {
  const learning_report::Figure figure{def.key, def.learning,
                                       def.learning_denominator};
  AddMetric(
      def.key,
      [&](v1::Value& v, int period) {
        v = learning_report::TotalValue(learning, figure, period);
      },
      out);
}

void FillMetrics(const PeriodPair& sums, Scope scope, const Publishing& pub,
                 google::protobuf::RepeatedPtrField<v1::Metric>& out) {
  for (const MetricDef& def : Definitions()) {
    if (scope == Scope::kEverywhere && def.scope == Scope::kTotalsOnly) {
      continue;
    }
    AddMetric(def.key, MetricValues(def, sums, pub), out);
  }
}

}  // namespace

std::vector<absl::string_view> ReportMetricKeys(bool with_ch01) {
  std::vector<absl::string_view> keys;
  for (const MetricDef& def : Definitions()) {
    keys.push_back(def.key);
    if (def.key == "stage1_ack_on_time" && with_ch01) {
      keys.push_back("ch01_stage1_per_1000_homes");
      keys.push_back("ch01_stage2_per_1000_homes");
    }
  }
  for (const MetricDef& def : OmbudsmanDefinitions()) keys.push_back(def.key);
  return keys;
}

bool IsRatioKey(absl::string_view key) {
  if (absl::StartsWith(key, "ch01_")) return true;
  for (const auto* defs : {&Definitions(), &OmbudsmanDefinitions()}) {
    for (const MetricDef& def : *defs) {
      if (def.key == key) {
        return def.denominator.has_value() || SumDenominator(key).has_value() ||
               !def.learning_denominator.empty();
      }
    }
  }
  return false;
}

const v1::Metric* FindMetric(
    const google::protobuf::RepeatedPtrField<v1::Metric>& metrics,
    absl::string_view key) {
  for (const v1::Metric& m : metrics) {
    if (m.key() == key) return &m;
  }
  return nullptr;
}

namespace {

// BuildReport's work, into `report` wherever it lives (the heap or an arena).
absl::Status BuildInto(const PartialAggregate& merged,
                       const v1::ReportSettings& request,
                       v1::AnnualReport& report) {
  const AggregationSettings& s = merged.settings();
  if (!request.period().empty() && request.period() != s.request.period()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the report asks for period ", request.period(),
        " but the partial aggregate was computed for ", s.request.period()));
  }
  if (request.has_homes() && request.homes() <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "homes ", request.homes(), " must be a positive number of homes"));
  }
  Publishing pub;
  pub.suppress = request.publish();
  if (request.suppression_threshold() < 0) {
    return absl::InvalidArgumentError(
        "suppression threshold must not be negative");
  }
  if (request.suppression_threshold() > 0) {
    pub.threshold = request.suppression_threshold();
  }
  const Publishing totals_pub;  // totals are never suppressed

  *report.mutable_period() = s.period.ToProto();
  *report.mutable_previous_period() = s.period.Previous().ToProto();
  // A Timestamp: whole seconds (floored) and the nanoseconds after them.
  const int64_t as_of_seconds = absl::ToUnixSeconds(s.as_of);
  report.mutable_as_of()->set_seconds(as_of_seconds);
  report.mutable_as_of()->set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(
          s.as_of - absl::FromUnixSeconds(as_of_seconds))));
  v1::ReportSettings& settings = *report.mutable_settings();
  settings = request;
  settings.set_period(s.request.period());
  settings.set_as_of(s.request.as_of());
  settings.set_financial_year_start_month(s.financial_year_start_month);
  *settings.mutable_policy() = s.request.policy();
  settings.set_region(s.request.region());
  // The holidays file the figures were computed with: its digest, not its
  // text (tens of kilobytes in every report otherwise).
  settings.clear_holidays_json();
  settings.set_replace_holidays(s.request.replace_holidays());
  settings.set_holidays_sha256(
      s.request.holidays_json().empty()
          ? ""
          : sha256_internal::ToHex(
                sha256_internal::Sha256Of(s.request.holidays_json())));
  if (settings.suppression_threshold() == 0) {
    settings.set_suppression_threshold(pub.threshold);
  }
  const int top_n = request.top_services() > 0 ? request.top_services() : 10;
  settings.set_top_services(top_n);

  // Totals, by directorate and by cell.
  PeriodPair totals;
  PeriodPair landlord;
  // Directorate names are trimmed of spaces on import, so the setting's are
  // too ("Housing, Adults" on a command line).
  absl::flat_hash_set<std::string> landlord_names;
  for (const std::string& name : request.landlord_directorates()) {
    if (!TrimSpaces(name).empty()) {
      landlord_names.insert(std::string(TrimSpaces(name)));
    }
  }
  std::map<std::string, PeriodPair> by_directorate;
  std::map<std::string, std::map<std::string, PeriodPair>> by_service;
  for (size_t cell = 0; cell < merged.cell_count(); ++cell) {
    const auto& [directorate, service] = merged.cell_name(cell);
    const Counters& current = merged.counters(cell, 0);
    const Counters& previous = merged.counters(cell, 1);
    AddInto(totals.current, current);
    AddInto(totals.previous, previous);
    if (directorate.empty()) continue;  // interactions naming no directorate
    if (landlord_names.empty() || landlord_names.contains(directorate)) {
      AddInto(landlord.current, current);
      AddInto(landlord.previous, previous);
    }
    PeriodPair& d = by_directorate[directorate];
    AddInto(d.current, current);
    AddInto(d.previous, previous);
    PeriodPair& sv = by_service[directorate][service];
    AddInto(sv.current, current);
    AddInto(sv.previous, previous);
  }

  // Totals: every figure, CH01 after the ratios.
  auto& metrics = *report.mutable_metrics();
  for (const MetricDef& def : Definitions()) {
    if (!def.learning.empty()) {
      AddLearningMetric(def, merged.learning(), metrics);
      continue;
    }
    AddMetric(def.key, MetricValues(def, totals, totals_pub), metrics);
    if (def.key == "stage1_ack_on_time" && request.has_homes()) {
      const int64_t homes = request.homes();
      auto per_1000_homes = [&](Counter counter) {
        return [&, counter](v1::Value& v, int period) {
          const Counters& c =
              period == 0 ? landlord.current : landlord.previous;
          SetRatio(c[counter] * 1000, homes, totals_pub, v);
        };
      };
      AddMetric("ch01_stage1_per_1000_homes",
                per_1000_homes(kComplaintsReceived), metrics);
      AddMetric("ch01_stage2_per_1000_homes", per_1000_homes(kStage2Received),
                metrics);
    }
  }
  for (const MetricDef& def : OmbudsmanDefinitions()) {
    if (!def.learning.empty()) {
      AddLearningMetric(def, merged.learning(), metrics);
      continue;
    }
    AddMetric(def.key, MetricValues(def, totals, totals_pub), metrics);
  }

  for (const auto& [name, sums] : by_directorate) {
    v1::DirectorateReport& d = *report.add_by_directorate();
    d.set_directorate(name);
    FillMetrics(sums, Scope::kEverywhere, pub, *d.mutable_metrics());
    for (const auto& [service, service_sums] : by_service[name]) {
      v1::ServiceReport& sr = *d.add_services();
      sr.set_service(service);
      FillMetrics(service_sums, Scope::kEverywhere, pub, *sr.mutable_metrics());
    }
  }

  learning_report::Fill(merged, {pub.suppress, pub.threshold}, report);

  // Five-year series, oldest first.
  const std::vector<Period> periods = PeriodsEndingWith(s.period, kPeriodsKept);
  for (int i = 0; i < kPeriodsKept; ++i) {
    const int index = kPeriodsKept - 1 - i;  // 0 is P
    int64_t stage1 = 0, stage2 = 0;
    for (size_t cell = 0; cell < merged.cell_count(); ++cell) {
      stage1 += merged.counters(cell, index)[kComplaintsReceived];
      stage2 += merged.counters(cell, index)[kStage2Received];
    }
    v1::FiveYearPoint& point = *report.add_five_year();
    *point.mutable_period() = periods[i].ToProto();
    point.set_stage1_received(stage1);
    point.set_stage2_received(stage2);
    point.mutable_escalation_rate()->set_numerator(stage2);
    point.mutable_escalation_rate()->set_denominator(stage1);
  }

  // Monthly counts.
  static constexpr std::pair<absl::string_view, Counter> kMonthly[] = {
      {"interactions", kInteractions},
      {"enquiries", kEnquiries},
      {"compliments", kCompliments},
      {"complaints_received", kComplaintsReceived},
      {"stage1_received", kComplaintsReceived},
      {"stage2_received", kStage2Received},
      {"ombudsman_enquiries", kOmbudsmanEnquiries},
      {"ombudsman_enquiries_lgsco", kOmbudsmanEnquiriesLgsco},
      {"ombudsman_enquiries_hos", kOmbudsmanEnquiriesHos},
      {"stage1_responses", kStage1Responses},
      {"stage2_responses", kStage2Responses},
      {"follow_up_contacts", kFollowUpContacts},
  };
  for (size_t m = 0; m < merged.months().size(); ++m) {
    const absl::CivilMonth month =
        merged.first_month() + static_cast<int64_t>(m);
    v1::MonthlyPoint& point = *report.add_monthly();
    point.set_month(absl::StrFormat("%04d-%02d", month.year(), month.month()));
    for (const auto& [key, counter] : kMonthly) {
      v1::Count& c = *point.add_counts();
      c.set_key(std::string(key));
      c.set_count(merged.months()[m][counter]);
    }
  }

  // Top services by complaints received in P.
  struct Ranked {
    const std::string* directorate;
    const std::string* service;
    const Counters* current;
  };
  std::vector<Ranked> ranked;
  for (const auto& [directorate, services] : by_service) {
    for (const auto& [service, sums] : services) {
      if (sums.current[kComplaintsReceived] > 0) {
        ranked.push_back({&directorate, &service, &sums.current});
      }
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const Ranked& a, const Ranked& b) {
                     return (*a.current)[kComplaintsReceived] >
                            (*b.current)[kComplaintsReceived];
                   });
  if (ranked.size() > static_cast<size_t>(top_n)) ranked.resize(top_n);
  for (const Ranked& r : ranked) {
    const Counters& c = *r.current;
    v1::TopService& top = *report.add_top_services();
    top.set_directorate(*r.directorate);
    top.set_service(*r.service);
    SetCount(c[kComplaintsReceived], pub, *top.mutable_complaints_received());
    SetRatio(c[kResolvedUpheld], c[kResolved], pub, *top.mutable_upheld_rate());
    SetRatio(c[kCohortWithLessons], c[kComplaintsReceived], pub,
             *top.mutable_lessons_learnt_rate());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::AnnualReport> BuildReport(
    const PartialAggregate& merged, const v1::ReportSettings& request) {
  v1::AnnualReport report;
  TELLUS_RETURN_IF_ERROR(BuildInto(merged, request, report));
  return report;
}

absl::StatusOr<v1::AnnualReport*> BuildReport(const PartialAggregate& merged,
                                              const v1::ReportSettings& request,
                                              google::protobuf::Arena& arena) {
  auto* report =
      google::protobuf::Arena::CreateMessage<v1::AnnualReport>(&arena);
  TELLUS_RETURN_IF_ERROR(BuildInto(merged, request, *report));
  return report;
}

absl::StatusOr<v1::AnnualReport> BuildReport(const Dataset& data,
                                             const v1::ReportSettings& request,
                                             int threads, absl::Time now) {
  TELLUS_ASSIGN_OR_RETURN(AggregationSettings settings,
                          ResolveSettings(request, now));
  TELLUS_ASSIGN_OR_RETURN(PartialAggregate merged,
                          Aggregate(data, settings, threads));
  return BuildReport(merged, request);
}

absl::StatusOr<v1::AnnualReport*> BuildReport(const Dataset& data,
                                              const v1::ReportSettings& request,
                                              google::protobuf::Arena& arena,
                                              int threads, absl::Time now) {
  TELLUS_ASSIGN_OR_RETURN(AggregationSettings settings,
                          ResolveSettings(request, now));
  TELLUS_ASSIGN_OR_RETURN(PartialAggregate merged,
                          Aggregate(data, settings, threads));
  return BuildReport(merged, request, arena);
}

}  // namespace tellus
