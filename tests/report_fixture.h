// The hand-built report fixture: a few cases and interactions in 2022/23 and
// 2023/24 whose every figure report_test.cc works out by hand from
// METRICS.md (the comments show the working). Shared by the report and
// renderer tests and by the page the browser test renders.
//
//   absl::StatusOr<v1::AnnualReport> report =
//       BuildReport(Fixture(), FixtureRequest(), 1);
//
// AddFixtureRows adds the same rows to a builder that may add more, or to
// anything with the same AddCase and AddInteraction calls (the store tests
// record the messages).
#ifndef TELLUS_TESTS_REPORT_FIXTURE_H_
#define TELLUS_TESTS_REPORT_FIXTURE_H_

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "case_builder.h"
#include "tellus/dataset.h"
#include "tellus/v1/report.pb.h"

namespace tellus {

// The fixture is written by hand: a row the builder refuses is a bug in it,
// so stop at once, saying which row, rather than test a different data set.
inline void CheckFixtureRow(const absl::Status& status, const std::string& id) {
  if (status.ok()) return;
  std::fprintf(stderr, "report fixture: row %s refused: %s\n", id.c_str(),
               status.ToString().c_str());
  std::abort();
}

// Adds the fixture's cases and interactions to `b`.
template <typename Builder>
void AddFixtureRows(Builder& b) {
  using v1::OMBUDSMAN_BODY_HOS;
  using v1::OMBUDSMAN_BODY_LGSCO;
  using v1::OUTCOME_NOT_UPHELD;
  using v1::OUTCOME_PARTLY_UPHELD;
  using v1::OUTCOME_UPHELD;
  using v1::STAGE_1;
  using v1::STAGE_2;

  constexpr auto kFollowUp = v1::INTERACTION_KIND_FOLLOW_UP;
  constexpr auto kContact = v1::INTERACTION_KIND_CONTACT;

  auto add = [&](const CaseBuilder& c) {
    CheckFixtureRow(b.AddCase(c.get()), c.get().ref());
  };
  // C1: acknowledged and answered on time (ack due 10 May: the coronation
  // on 8 May is no working day; response due 18 May). Upheld.
  add(CaseBuilder("C1")
          .In("Housing", "Repairs")
          .Received(2023, 5, 2)
          .Ack(STAGE_1, 2023, 5, 3)
          .Respond(STAGE_1, 2023, 5, 12, OUTCOME_UPHELD));
  // C2: never acknowledged (ack due 8 June, late), stage 1 late (due 22
  // June), escalated 10 July, stage 2 late (due 9 August), partly upheld at
  // stage 2 with £150 redress; a lesson; an LGSCO referral and decision.
  add(CaseBuilder("C2")
          .In("Housing", "Repairs")
          .Received(2023, 6, 1)
          .Respond(STAGE_1, 2023, 7, 3, OUTCOME_NOT_UPHELD)
          .Escalate(2023, 7, 10)
          .Ack(STAGE_2, 2023, 7, 12)
          .Respond(STAGE_2, 2023, 8, 30, OUTCOME_PARTLY_UPHELD)
          .Remedy(15000)
          .Lesson(2023, 9, 1)
          .Refer(OMBUDSMAN_BODY_LGSCO, 2023, 10, 1)
          .Decide(v1::OMBUDSMAN_DECISION_UPHELD_SATISFACTORY_REMEDY, 2024, 1,
                  15));
  // C3: late against 18 July, but within its agreed extension (1 August,
  // which is also due + 10 working days). Partly upheld.
  add(CaseBuilder("C3")
          .In("Environment", "Waste")
          .Received(2023, 7, 3)
          .Ack(STAGE_1, 2023, 7, 4)
          .Extend(STAGE_1, 2023, 8, 1)
          .Respond(STAGE_1, 2023, 7, 28, OUTCOME_PARTLY_UPHELD));
  // C4: an extension beyond the cap: due 19 September, capped at 3 October,
  // answered 20 October: late.
  add(CaseBuilder("C4")
          .In("Environment", "Waste")
          .Received(2023, 9, 4)
          .Ack(STAGE_1, 2023, 9, 5)
          .Extend(STAGE_1, 2023, 10, 31)
          .Respond(STAGE_1, 2023, 10, 20, OUTCOME_NOT_UPHELD));
  // C5: withdrawn before its ack due date without an acknowledgement: out of
  // the acknowledgement denominator; never resolved.
  add(CaseBuilder("C5")
          .In("Housing", "Repairs")
          .Received(2023, 10, 2)
          .Withdraw(2023, 10, 4));
  // C6: acknowledged, then withdrawn: counts as acknowledged on time.
  add(CaseBuilder("C6")
          .In("Housing", "Repairs")
          .Received(2023, 10, 2)
          .Ack(STAGE_1, 2023, 10, 3)
          .Withdraw(2023, 10, 5));
  // C7: escalation requested in the next year (before the as-of time): the
  // final response is then the awaited stage 2 one, so it is unresolved.
  add(CaseBuilder("C7")
          .In("Housing", "Repairs")
          .Received(2024, 3, 1)
          .Ack(STAGE_1, 2024, 3, 4)
          .Respond(STAGE_1, 2024, 3, 15, OUTCOME_UPHELD)
          .Escalate(2024, 4, 10));
  // C8: a lesson recorded after the period end but before the as-of time.
  add(CaseBuilder("C8")
          .In("Housing", "Repairs")
          .Received(2024, 2, 1)
          .Ack(STAGE_1, 2024, 2, 2)
          .Respond(STAGE_1, 2024, 2, 9, OUTCOME_NOT_UPHELD)
          .Lesson(2024, 5, 1));
  // C9: events after the as-of time are not seen: resolved at stage 1.
  add(CaseBuilder("C9")
          .In("Housing", "Repairs")
          .Received(2024, 1, 10)
          .Ack(STAGE_1, 2024, 1, 11)
          .Respond(STAGE_1, 2024, 1, 19, OUTCOME_UPHELD)
          .Escalate(2024, 7, 15)
          .Lesson(2024, 8, 1));
  // C10: 2023-03-31T23:30Z is 00:30 BST on 1 April: in 2023/24. Never
  // acknowledged (due 11 April, after Easter).
  add(CaseBuilder("C10")
          .In("Housing", "Repairs")
          .ReceivedAt(AtUtc(2023, 3, 31, 23, 30)));
  // C11: 2024-03-31T23:30Z is 1 April 2024 in London: not in 2023/24.
  add(CaseBuilder("C11")
          .In("Housing", "Repairs")
          .ReceivedAt(AtUtc(2024, 3, 31, 23, 30)));
  // 2022/23: C12 upheld, with an LGSCO referral not upheld; C13 received in
  // March 2023 and answered (not upheld) in April 2023; C14 not upheld, with
  // a Housing Ombudsman referral in 2023/24.
  add(CaseBuilder("C12")
          .In("Housing", "Repairs")
          .Received(2022, 6, 1)
          .Ack(STAGE_1, 2022, 6, 2)
          .Respond(STAGE_1, 2022, 6, 10, OUTCOME_UPHELD)
          .Refer(OMBUDSMAN_BODY_LGSCO, 2022, 9, 1)
          .Decide(v1::OMBUDSMAN_DECISION_NOT_UPHELD, 2022, 12, 1));
  add(CaseBuilder("C13")
          .In("Housing", "Repairs")
          .Received(2023, 3, 20)
          .Ack(STAGE_1, 2023, 3, 21)
          .Respond(STAGE_1, 2023, 4, 3, OUTCOME_NOT_UPHELD));
  add(CaseBuilder("C14")
          .In("Housing", "Repairs")
          .Received(2022, 11, 1)
          .Ack(STAGE_1, 2022, 11, 2)
          .Respond(STAGE_1, 2022, 11, 10, OUTCOME_NOT_UPHELD)
          .Refer(OMBUDSMAN_BODY_HOS, 2023, 5, 15)
          .Decide(v1::OMBUDSMAN_DECISION_MALADMINISTRATION, 2023, 12, 1));
  add(CaseBuilder("K1", v1::CASE_TYPE_COMPLIMENT)
          .In("Housing", "Repairs")
          .Received(2023, 5, 5));
  add(CaseBuilder("K2", v1::CASE_TYPE_COMPLIMENT)
          .In("Housing", "Repairs")
          .Received(2022, 5, 5));
  add(CaseBuilder("E1", v1::CASE_TYPE_ENQUIRY)
          .In("Environment", "Waste")
          .Received(2023, 6, 1));
  add(CaseBuilder("E2", v1::CASE_TYPE_ENQUIRY)
          .In("Environment", "Waste")
          .Received(2024, 4, 2));

  auto interact = [&](std::string id, const v1::When& at,
                      v1::InteractionKind kind, std::string ref = "",
                      std::string directorate = "Housing") {
    CheckFixtureRow(b.AddInteraction(MakeInteraction(
                        id, at, kind, directorate, "Repairs", std::move(ref))),
                    id);
  };
  interact("I1", On(2023, 6, 15), kContact);
  interact("I2", On(2023, 6, 5), kFollowUp, "C2");     // chasing stage 1
  interact("I3", On(2023, 7, 5), kFollowUp, "C2");     // 2 days after s1
  interact("I4", On(2023, 7, 11), kFollowUp, "C2");    // chasing stage 2
  interact("I5", On(2023, 10, 10), kFollowUp, "C2");   // 41 days: neither
  interact("I6", On(2023, 8, 30), kFollowUp, "C2");    // response day: after
  interact("I7", On(2023, 10, 6), kFollowUp, "C6");    // after withdrawal
  interact("I8", On(2023, 6, 20), kFollowUp, "K1");    // a compliment's
  interact("I9", On(2023, 6, 21), kFollowUp, "NOPE");  // unlinked
  interact("I10", On(2023, 6, 22), v1::INTERACTION_KIND_ENQUIRY, "", "");
  interact("I11", On(2022, 6, 15), kContact);
  interact("I12", AtUtc(2024, 3, 31, 23, 30), kContact);  // 1 April 2024
  interact("I13", AtUtc(2023, 3, 31, 23, 30), kContact);  // 1 April 2023
}

inline Dataset Fixture() {
  DatasetBuilder b;
  AddFixtureRows(b);
  return std::move(b).Build();
}

// The report the fixture is worked out for: 2023/24 as of 30 June 2024.
inline v1::ReportSettings FixtureRequest() {
  v1::ReportSettings r;
  r.set_period("2023/24");
  r.set_as_of("2024-06-30");
  return r;
}

}  // namespace tellus

#endif  // TELLUS_TESTS_REPORT_FIXTURE_H_
