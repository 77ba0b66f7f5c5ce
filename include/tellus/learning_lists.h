// Listings from the learning records, for people: the monthly digest of one
// directorate for its Directorate Management Team, the compliments about one
// officer or team for a 1-2-1 or an appraisal, and the contact restrictions
// in force on a day with their overdue reviews. They read case messages (a
// data directory, an import, the store) rather than the columnar Dataset,
// because they show the records themselves.
//
//   tellus::DigestRequest request;
//   request.directorate = "Housing";
//   request.month = absl::CivilMonth(2024, 1);
//   request.as_of = tellus::EndOfLondonDay(absl::CivilDay(2024, 1, 31));
//   TELLUS_ASSIGN_OR_RETURN(tellus::Digest digest,
//                           tellus::BuildDigest(cases, request));
//   std::string agenda = *tellus::RenderDigest(digest, "markdown");
//
//   TELLUS_ASSIGN_OR_RETURN(auto praise, tellus::ListCompliments(
//       cases, {.staff = "S-7", .period = *tellus::ParsePeriod("2023/24")}));
//
//   auto in_force = tellus::RestrictionsInForce(restrictions, day);
//
// Every listing follows the as-of rule of METRICS.md: only what was
// recorded by its as-of time is shown.
#ifndef TELLUS_LEARNING_LISTS_H_
#define TELLUS_LEARNING_LISTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "tellus/calendar.h"
#include "tellus/period.h"
#include "tellus/timescales.h"
#include "tellus/v1/case.pb.h"
#include "tellus/v1/restriction.pb.h"

namespace tellus {

// --- Compliments -------------------------------------------------------------

struct ComplimentEntry {
  std::string ref;
  absl::CivilDay received;
  std::string directorate;
  std::string service;
  std::string team;
  std::string staff;
  v1::ComplimentRoute route = v1::COMPLIMENT_ROUTE_UNSPECIFIED;
  std::vector<std::string> values;
  // Text the source system recorded beside the compliment (unknown CSV
  // columns such as the customer's words), as (name, value).
  std::vector<std::pair<std::string, std::string>> attributes;
};

struct ComplimentQuery {
  std::string staff;  // the officer's id; empty: any
  std::string team;   // empty: any (at least one of the two is required)
  Period period;      // received in this period
};

// The compliments received in the period about that officer and/or team,
// in date order then by reference. InvalidArgument when neither is given.
absl::StatusOr<std::vector<ComplimentEntry>> ListCompliments(
    absl::Span<const v1::Case> cases, const ComplimentQuery& query);

// "text" or "markdown": a heading naming the person or team and period, one
// entry per compliment (date, directorate / service, route, values, text).
absl::StatusOr<std::string> RenderCompliments(
    absl::Span<const ComplimentEntry> entries, const ComplimentQuery& query,
    absl::string_view format);

// --- The directorate digest ------------------------------------------------

struct DigestRequest {
  std::string directorate;
  absl::CivilMonth month;
  // What is seen; a time before the month starts is an error.
  absl::Time as_of;
  Calendar calendar = Calendar::ForRegion();
  TimescalePolicy policy;
};

struct DigestAction {
  std::string case_ref;
  int number = 0;  // 1-based position on its lesson's form
  std::string description;
  std::string owner;
  absl::CivilDay target;
  std::optional<absl::CivilDay> done;  // as seen at the as-of time
};

struct DigestLesson {
  std::string case_ref;
  v1::CaseType type = v1::CASE_TYPE_UNSPECIFIED;
  absl::CivilDay recorded;
  std::string theme;
  std::vector<DigestAction> actions;
};

struct DigestDecision {
  std::string case_ref;
  v1::OmbudsmanBody body = v1::OMBUDSMAN_BODY_UNSPECIFIED;
  v1::OmbudsmanDecision decision = v1::OMBUDSMAN_DECISION_UNSPECIFIED;
  absl::CivilDay decided;
  std::vector<v1::OmbudsmanRecommendation> recommendations;
};

struct Digest {
  std::string directorate;
  absl::CivilMonth month;
  absl::Time as_of;
  int64_t complaints_received = 0;  // complaints received in the month
  // Stage responses dated in the month and how many were on time
  // (METRICS.md timescales).
  int64_t stage1_responses = 0, stage1_on_time = 0;
  int64_t stage2_responses = 0, stage2_on_time = 0;
  // Lessons of the directorate (the lesson's, default the case's) recorded
  // in the month, by date then case, and their themes, most frequent first.
  std::vector<DigestLesson> lessons;
  std::vector<std::pair<std::string, int64_t>> themes;
  // Every action of the directorate's lessons overdue at the as-of time
  // (target date before its London date, not done by then), by target.
  std::vector<DigestAction> overdue_actions;
  std::vector<ComplimentEntry> compliments;         // received in the month
  std::vector<DigestDecision> ombudsman_decisions;  // decided in the month
};

// Folds each case (an invalid one is an error naming it) and gathers the
// directorate's month. A directorate no case or lesson names is an error
// that lists the directorates there are.
absl::StatusOr<Digest> BuildDigest(absl::Span<const v1::Case> cases,
                                   const DigestRequest& request);

// "text" or "markdown", for the meeting's papers.
absl::StatusOr<std::string> RenderDigest(const Digest& digest,
                                         absl::string_view format);

// --- Restrictions ------------------------------------------------------------

struct RestrictionStatus {
  const v1::Restriction* restriction = nullptr;
  absl::CivilDay review_due;  // ReviewDueOn the day
  bool review_overdue = false;
};

// The restrictions in force on `day`, overdue reviews first (longest
// overdue first), then by id.
std::vector<RestrictionStatus> RestrictionsInForce(
    absl::Span<const v1::Restriction> restrictions, absl::CivilDay day);

// "text" or "markdown": counts, then one row per restriction.
absl::StatusOr<std::string> RenderRestrictions(
    absl::Span<const RestrictionStatus> statuses, absl::CivilDay day,
    absl::string_view format);

}  // namespace tellus

#endif  // TELLUS_LEARNING_LISTS_H_
