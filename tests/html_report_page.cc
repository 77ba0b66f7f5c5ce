// Writes a report as the published HTML page and as JSON, for the browser
// test (html_in_browser.py) to load the one and check it against the other.
//
//   html_report_page fixture /tmp/out/fixture   # fixture.html, fixture.json
//   html_report_page sample /tmp/out/sample     # a realistic council
//
// "fixture" is the hand-built fixture of report_test.cc plus a directorate
// whose name needs escaping; "sample" is five years of a made-up council's
// complaints, compliments, enquiries and contacts, generated from a fixed
// seed (the same page every run), published with small numbers suppressed.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "report_fixture.h"
#include "tellus/render.h"
#include "tellus/render_html.h"
#include "tellus/report.h"

namespace tellus {
namespace {

// A fixed-seed generator (PCG-style LCG): the same data on every platform,
// unlike the standard distributions.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint32_t Next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state_ >> 33);  // 31 bits
  }
  int Between(int lo, int hi) {  // inclusive
    return lo + static_cast<int>(Next() % static_cast<uint32_t>(hi - lo + 1));
  }
  bool Chance(double p) { return Next() < p * 2147483648.0; }
  // An index drawn with the given weights.
  size_t Pick(const std::vector<int>& weights) {
    int total = 0;
    for (int w : weights) total += w;
    int x = Between(0, total - 1);
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  uint64_t state_;
};

struct Directorate {
  std::string name;
  std::vector<std::string> services;
  int complaints;   // weight among complaints
  int compliments;  // weight among compliments
  double upheld;    // share of complaints upheld in full or in part
  bool landlord;
};

const std::vector<Directorate>& Directorates() {
  static const auto* const d = new std::vector<Directorate>{
      {"Adult Social Care",
       {"Assessments", "Home Care", "Financial Assessments"},
       12,
       14,
       0.42,
       false},
      {"Children's Services",
       {"Early Help", "School Admissions", "Special Educational Needs"},
       10,
       9,
       0.38,
       false},
      {"Environment & Waste",
       {"Waste Collection", "Street Cleansing", "Parks & Open Spaces"},
       22,
       30,
       0.36,
       false},
      {"Highways & Transport",
       {"Roads & Pavements", "Parking", "Street Lighting"},
       16,
       8,
       0.30,
       false},
      {"Housing",
       {"Repairs", "Tenancy Management", "Allocations",
        "Anti-social Behaviour"},
       32,
       22,
       0.48,
       true},
      {"Revenues & Benefits",
       {"Council Tax", "Housing Benefit"},
       8,
       5,
       0.33,
       false},
  };
  return *d;
}

// A directorate with so few cases that publishing suppresses its figures.
const Directorate& ChiefExecutive() {
  static const auto* const d = new Directorate{
      "Chief Executive's Office", {"Communications"}, 0, 0, 0.3, false};
  return *d;
}

// Complaints a month gets, April to March: more after the summer and in
// the winter, fewer at Christmas.
const std::vector<int> kMonthWeights = {8, 8, 8, 9, 8, 8, 9, 9, 7, 10, 9, 8};

absl::CivilDay DayIn(Random& rng, int fy_start, size_t month_index) {
  const absl::CivilMonth month =
      absl::CivilMonth(fy_start, 4) + static_cast<int>(month_index);
  const int days =
      static_cast<int>(absl::CivilDay(month + 1) - absl::CivilDay(month));
  return absl::CivilDay(month) + rng.Between(0, days - 1);
}

class SampleCouncil {
 public:
  Dataset Build() && {
    // Complaints per financial year, 2019/20 to 2023/24.
    const int complaints[] = {2410, 2688, 2951, 3196, 3727};
    for (int i = 0; i < 5; ++i) {
      const int year = 2019 + i;
      // Handling improves a little each year; upholding rises.
      const double on_time = 0.76 + 0.025 * i;
      const double upheld_shift = 0.012 * i;
      for (int n = 0; n < complaints[i]; ++n) {
        const Directorate& d = Directorates()[rng_.Pick(ComplaintWeights())];
        AddComplaint(year, d,
                     d.services[rng_.Between(
                         0, static_cast<int>(d.services.size()) - 1)],
                     on_time, d.upheld - 0.05 + upheld_shift);
      }
    }
    // A small directorate: its figures are suppressed when published.
    for (int n = 0; n < 3; ++n) {
      AddComplaint(2023, ChiefExecutive(), "Communications", 0.9, 0.3);
    }
    for (int year : {2022, 2023}) {
      AddCases(year, v1::CASE_TYPE_COMPLIMENT, year == 2022 ? 951 : 1104);
      AddCases(year, v1::CASE_TYPE_ENQUIRY, year == 2022 ? 4818 : 5306);
      AddContacts(year, year == 2022 ? 38412 : 41257);
    }
    return std::move(builder_).Build();
  }

 private:
  static const std::vector<int>& ComplaintWeights() {
    static const auto* const w = [] {
      auto* out = new std::vector<int>;
      for (const Directorate& d : Directorates()) out->push_back(d.complaints);
      return out;
    }();
    return *w;
  }

  void Add(const CaseBuilder& c) {
    CheckFixtureRow(builder_.AddCase(c.get()), c.get().ref());
  }

  v1::Outcome Outcome(double upheld) {
    if (!rng_.Chance(upheld)) return v1::OUTCOME_NOT_UPHELD;
    return rng_.Chance(0.5) ? v1::OUTCOME_UPHELD : v1::OUTCOME_PARTLY_UPHELD;
  }

  static CaseBuilder& At(CaseBuilder& c, absl::CivilDay day,
                         CaseBuilder& (CaseBuilder::*add)(int, int, int)) {
    return (c.*add)(static_cast<int>(day.year()), day.month(), day.day());
  }

  void AddComplaint(int year, const Directorate& d, const std::string& service,
                    double on_time, double upheld) {
    const std::string ref = absl::StrCat("CMP-", year, "-", ++serial_);
    const absl::CivilDay received = DayIn(rng_, year, rng_.Pick(kMonthWeights));
    CaseBuilder c(ref);
    c.In(d.name, service)
        .Received(static_cast<int>(received.year()), received.month(),
                  received.day());
    auto on = [](CaseBuilder& b, v1::Stage s, absl::CivilDay day,
                 auto member) -> CaseBuilder& {
      return (b.*member)(s, static_cast<int>(day.year()), day.month(),
                         day.day());
    };
    const absl::CivilDay ack =
        received +
        (rng_.Chance(0.93) ? rng_.Between(1, 4) : rng_.Between(6, 10));
    on(c, v1::STAGE_1, ack, &CaseBuilder::Ack);
    if (rng_.Chance(0.02)) {  // withdrawn while waiting for a response
      At(c, ack + rng_.Between(1, 8), &CaseBuilder::Withdraw);
      Add(c);
      return;
    }
    absl::CivilDay responded;
    if (rng_.Chance(0.06)) {  // an agreed extension, kept
      on(c, v1::STAGE_1, ack + 26, &CaseBuilder::Extend);
      responded = ack + rng_.Between(17, 25);
    } else {
      responded = ack + (rng_.Chance(on_time) ? rng_.Between(3, 13)
                                              : rng_.Between(16, 34));
    }
    const v1::Outcome outcome1 = Outcome(upheld);
    c.Respond(v1::STAGE_1, static_cast<int>(responded.year()),
              responded.month(), responded.day(), outcome1);
    absl::CivilDay final_day = responded;
    v1::Outcome final_outcome = outcome1;
    bool escalated = false;
    if (rng_.Chance(0.085 + 0.002 * (year - 2019))) {
      escalated = true;
      const absl::CivilDay requested = responded + rng_.Between(2, 25);
      At(c, requested, &CaseBuilder::Escalate);
      const absl::CivilDay ack2 = requested + rng_.Between(1, 6);
      on(c, v1::STAGE_2, ack2, &CaseBuilder::Ack);
      final_day = ack2 + (rng_.Chance(on_time - 0.08) ? rng_.Between(10, 27)
                                                      : rng_.Between(30, 50));
      final_outcome = Outcome(upheld * 0.8);
      c.Respond(v1::STAGE_2, static_cast<int>(final_day.year()),
                final_day.month(), final_day.day(), final_outcome);
    }
    const bool found_fault = final_outcome != v1::OUTCOME_NOT_UPHELD;
    if (found_fault && rng_.Chance(escalated ? 0.5 : 0.08)) {
      c.Remedy(100 * rng_.Between(5, 60) * 10);  // £50 to £600
    }
    if (found_fault && rng_.Chance(0.55)) {
      At(c, final_day + rng_.Between(3, 30), &CaseBuilder::Lesson);
    }
    if (escalated && rng_.Chance(0.14)) {
      const bool housing = d.landlord;
      const absl::CivilDay referred = final_day + rng_.Between(35, 120);
      c.Refer(housing ? v1::OMBUDSMAN_BODY_HOS : v1::OMBUDSMAN_BODY_LGSCO,
              static_cast<int>(referred.year()), referred.month(),
              referred.day());
      if (rng_.Chance(0.8)) {
        const absl::CivilDay decided = referred + rng_.Between(40, 200);
        const v1::OmbudsmanDecision decision =
            housing ? kHosDecisions[rng_.Pick({25, 25, 25, 5, 12, 8})]
                    : kLgscoDecisions[rng_.Pick({25, 35, 15, 8, 12, 5})];
        c.Decide(decision, static_cast<int>(decided.year()), decided.month(),
                 decided.day());
      }
    }
    Add(c);
    // Some customers chase, some come back after the response.
    if (rng_.Chance(0.12)) {
      builder_.AddInteraction(received + rng_.Between(5, 30), d.name, service,
                              v1::INTERACTION_KIND_FOLLOW_UP, ref);
    }
  }

  void AddCases(int year, v1::CaseType type, int count) {
    std::vector<int> weights;
    for (const Directorate& d : Directorates()) {
      weights.push_back(type == v1::CASE_TYPE_COMPLIMENT ? d.compliments
                                                         : d.complaints);
    }
    for (int n = 0; n < count; ++n) {
      const Directorate& d = Directorates()[rng_.Pick(weights)];
      const absl::CivilDay day = DayIn(rng_, year, rng_.Pick(kMonthWeights));
      CaseBuilder c(
          absl::StrCat(type == v1::CASE_TYPE_COMPLIMENT ? "CPL-" : "ENQ-", year,
                       "-", ++serial_),
          type);
      c.In(d.name,
           d.services[rng_.Between(0, static_cast<int>(d.services.size()) - 1)])
          .Received(static_cast<int>(day.year()), day.month(), day.day());
      Add(c);
    }
    if (type == v1::CASE_TYPE_COMPLIMENT) {
      for (int n = 0; n < (year == 2023 ? 7 : 4); ++n) {
        CaseBuilder c(absl::StrCat("CPL-", year, "-", ++serial_), type);
        const absl::CivilDay day = DayIn(rng_, year, rng_.Pick(kMonthWeights));
        c.In(ChiefExecutive().name, "Communications")
            .Received(static_cast<int>(day.year()), day.month(), day.day());
        Add(c);
      }
    }
  }

  void AddContacts(int year, int count) {
    for (int n = 0; n < count; ++n) {
      const Directorate& d = Directorates()[rng_.Pick(ComplaintWeights())];
      builder_.AddInteraction(
          DayIn(rng_, year, rng_.Pick(kMonthWeights)), d.name,
          d.services[rng_.Between(0, static_cast<int>(d.services.size()) - 1)],
          v1::INTERACTION_KIND_CONTACT, "");
    }
  }

  static constexpr v1::OmbudsmanDecision kLgscoDecisions[] = {
      v1::OMBUDSMAN_DECISION_PREMATURE,
      v1::OMBUDSMAN_DECISION_CLOSED_AFTER_INITIAL_ENQUIRIES,
      v1::OMBUDSMAN_DECISION_UPHELD,
      v1::OMBUDSMAN_DECISION_UPHELD_SATISFACTORY_REMEDY,
      v1::OMBUDSMAN_DECISION_NOT_UPHELD,
      v1::OMBUDSMAN_DECISION_WITHDRAWN};
  static constexpr v1::OmbudsmanDecision kHosDecisions[] = {
      v1::OMBUDSMAN_DECISION_NO_MALADMINISTRATION,
      v1::OMBUDSMAN_DECISION_SERVICE_FAILURE,
      v1::OMBUDSMAN_DECISION_MALADMINISTRATION,
      v1::OMBUDSMAN_DECISION_SEVERE_MALADMINISTRATION,
      v1::OMBUDSMAN_DECISION_REDRESS,
      v1::OMBUDSMAN_DECISION_OUTSIDE_JURISDICTION};

  Random rng_{20240630};
  DatasetBuilder builder_;
  int serial_ = 0;
};

// The fixture, plus a directorate and a service whose names hold every
// character HTML must escape.
Dataset FixtureWithAwkwardNames() {
  DatasetBuilder b;
  AddFixtureRows(b);
  CheckFixtureRow(
      b.AddCase(
          CaseBuilder("P1")
              .In("<Parks & \"Open\" Spaces>", "Playgrounds & 'Splash' Pads")
              .Received(2023, 8, 1)
              .Ack(v1::STAGE_1, 2023, 8, 2)
              .Respond(v1::STAGE_1, 2023, 8, 10, v1::OUTCOME_UPHELD)
              .get()),
      "P1");
  CheckFixtureRow(b.AddCase(CaseBuilder("P2", v1::CASE_TYPE_COMPLIMENT)
                                .In("<Parks & \"Open\" Spaces>",
                                    "Playgrounds & 'Splash' Pads")
                                .Received(2023, 9, 12)
                                .get()),
                  "P2");
  return std::move(b).Build();
}

bool Write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out)
    std::fprintf(stderr, "html_report_page: cannot write %s\n", path.c_str());
  return static_cast<bool>(out);
}

int Main(int argc, char** argv) {
  if (argc != 3 ||
      (std::string(argv[1]) != "fixture" && std::string(argv[1]) != "sample")) {
    std::fprintf(stderr, "usage: html_report_page fixture|sample OUT_PREFIX\n");
    return 2;
  }
  const bool sample = std::string(argv[1]) == "sample";
  v1::ReportSettings request = FixtureRequest();
  HtmlOptions options;
  absl::StatusOr<v1::AnnualReport> report;
  if (sample) {
    request.set_council("Northshire Council");
    request.set_publish(true);
    request.set_homes(12400);
    request.add_landlord_directorates("Housing");
    request.set_top_services(8);
    options.logo_text = "NC";
    report = BuildReport(SampleCouncil().Build(), request);
  } else {
    report = BuildReport(FixtureWithAwkwardNames(), request, 1);
  }
  if (!report.ok()) {
    std::fprintf(stderr, "html_report_page: %s\n",
                 report.status().ToString().c_str());
    return 1;
  }
  absl::StatusOr<std::string> json = RenderJson(*report);
  if (!json.ok()) {
    std::fprintf(stderr, "html_report_page: %s\n",
                 json.status().ToString().c_str());
    return 1;
  }
  const std::string prefix = argv[2];
  return Write(prefix + ".html", RenderHtml(*report, options)) &&
                 Write(prefix + ".json", *json)
             ? 0
             : 1;
}

}  // namespace
}  // namespace tellus

int main(int argc, char** argv) { return tellus::Main(argc, argv); }
