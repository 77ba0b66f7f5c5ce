// The hand-built learning fixture: cases with Lessons Learnt forms and their
// actions, Ombudsman recommendations, remedies and compliments, and contact
// restrictions, in 2022/23 and 2023/24. learning_report_test.cc works out
// every learning figure by hand from METRICS.md (the comments show the
// working); the listing and CLI tests read the same records.
//
//   LearningFixture f = MakeLearningFixture();
//   Dataset data = f.Build();
//   BuildReport(data, LearningRequest(), 1);   // 2023/24 as of 2024-06-30
//
// The report as of 2024-06-30: P = 2023-04-01..2024-03-31, previous =
// 2022-04-01..2023-03-31. Reference dates of the "at a time" figures: P's is
// T's date, 2024-06-30; the previous period's is as many days before it as
// 2022/23 starts before 2023/24 (365), 2023-07-01 (2024 is a leap year).
#ifndef TELLUS_TESTS_LEARNING_FIXTURE_H_
#define TELLUS_TESTS_LEARNING_FIXTURE_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "case_builder.h"
#include "report_fixture.h"
#include "tellus/dataset.h"
#include "tellus/v1/case.pb.h"
#include "tellus/v1/restriction.pb.h"

namespace tellus {

inline v1::Date Day(int y, int m, int d) {
  return ToProto(absl::CivilDay(y, m, d));
}

struct ActionSpec {
  std::string description;
  absl::CivilDay target;
  std::optional<absl::CivilDay> done;
};

// Adds a Lessons Learnt record to `c`.
inline v1::LessonLearnt& AddLesson(v1::Case& c, absl::CivilDay on,
                                   std::string theme,
                                   std::vector<ActionSpec> actions = {},
                                   std::string directorate = "") {
  v1::Event& e = *c.add_events();
  *e.mutable_when()->mutable_date() = ToProto(on);
  v1::LessonLearnt& l = *e.mutable_lesson_learnt();
  l.set_theme(std::move(theme));
  l.set_directorate(std::move(directorate));
  for (const ActionSpec& a : actions) {
    v1::LessonAction& action = *l.add_actions();
    action.set_description(a.description);
    action.set_owner("Repairs Manager");
    *action.mutable_target() = ToProto(a.target);
    if (a.done) *action.mutable_done() = ToProto(*a.done);
  }
  return l;
}

inline void AddRemedy(v1::Case& c, int64_t pence,
                      std::initializer_list<v1::RemedyKind> kinds) {
  v1::Remedy& r = *c.add_events()->mutable_remedy();
  r.set_pence(pence);
  for (v1::RemedyKind k : kinds) r.add_non_financial(k);
}

struct RecommendationSpec {
  absl::CivilDay due;
  std::optional<absl::CivilDay> complied;
};

// The Ombudsman decision event of `c` (the last one), with recommendations.
inline void AddRecommendations(v1::Case& c,
                               std::vector<RecommendationSpec> specs) {
  for (int i = c.events_size() - 1; i >= 0; --i) {
    if (!c.events(i).has_ombudsman_decided()) continue;
    int n = 0;
    for (const RecommendationSpec& s : specs) {
      v1::OmbudsmanRecommendation& r = *c.mutable_events(i)
                                            ->mutable_ombudsman_decided()
                                            ->add_recommendations();
      r.set_description("recommendation " + std::to_string(++n));
      *r.mutable_due() = ToProto(s.due);
      if (s.complied) *r.mutable_complied() = ToProto(*s.complied);
    }
    return;
  }
}

inline v1::Case Compliment(std::string ref, std::string directorate,
                           std::string service, absl::CivilDay on,
                           v1::ComplimentRoute route,
                           std::initializer_list<const char*> values,
                           std::string team = "", std::string staff = "") {
  v1::Case c = CaseBuilder(std::move(ref), v1::CASE_TYPE_COMPLIMENT)
                   .In(std::move(directorate), std::move(service))
                   .Received(static_cast<int>(on.year()), on.month(), on.day())
                   .get();
  c.set_compliment_route(route);
  for (const char* v : values) c.add_council_values(v);
  c.set_team(std::move(team));
  c.set_staff(std::move(staff));
  return c;
}

struct ReviewSpec {
  absl::CivilDay on;
  v1::ReviewOutcome outcome;
  std::optional<absl::CivilDay> next;
};

inline v1::Restriction MakeRestriction(
    std::string id, std::string customer, v1::RestrictionType type,
    absl::CivilDay start, absl::CivilDay review,
    std::optional<absl::CivilDay> end = std::nullopt,
    std::vector<ReviewSpec> reviews = {}, std::string directorate = "",
    std::string service = "") {
  v1::Restriction r;
  r.set_id(std::move(id));
  r.set_customer(std::move(customer));
  r.set_type(type);
  r.set_scope(directorate.empty() ? v1::RESTRICTION_SCOPE_WHOLE_COUNCIL
                                  : v1::RESTRICTION_SCOPE_SERVICE);
  r.set_directorate(std::move(directorate));
  r.set_service(std::move(service));
  r.set_reason("repeated calls about a closed complaint");
  r.set_authorised_by("Head of Customer Services");
  *r.mutable_start() = ToProto(start);
  *r.mutable_review() = ToProto(review);
  if (end) *r.mutable_end() = ToProto(*end);
  *r.mutable_notice_sent() = ToProto(start);
  for (const ReviewSpec& s : reviews) {
    v1::RestrictionReview& rv = *r.add_reviews();
    *rv.mutable_date() = ToProto(s.on);
    rv.set_outcome(s.outcome);
    if (s.next) *rv.mutable_next_review() = ToProto(*s.next);
    rv.set_reviewed_by("Head of Customer Services");
  }
  return r;
}

struct LearningFixture {
  std::vector<v1::Case> cases;
  std::vector<v1::Restriction> restrictions;

  Dataset Build() const {
    DatasetBuilder b;
    for (const v1::Case& c : cases) CheckFixtureRow(b.AddCase(c), c.ref());
    for (const v1::Restriction& r : restrictions) {
      CheckFixtureRow(b.AddRestriction(r), r.id());
    }
    return std::move(b).Build();
  }
};

inline LearningFixture MakeLearningFixture() {
  using absl::CivilDay;
  using v1::STAGE_1;
  using v1::STAGE_2;
  LearningFixture f;

  // L1: resolved at stage 1 on 2023-05-12 (in P) with £50, an apology and
  // an action. Its lesson (2023-05-20, Housing, "Communication") has:
  //   A1 target 2023-06-30 done 2023-06-15: done in time, never overdue;
  //   A2 target 2024-01-31 open: overdue at 2024-06-30;
  //   A3 target 2024-06-30 open: due on T's date itself, so not overdue
  //      (a target date passes when its day is over);
  //   A4 target 2023-06-01 done 2024-07-15 (after T): overdue at T.
  v1::Case l1 = CaseBuilder("L1")
                    .In("Housing", "Repairs")
                    .Received(2023, 5, 2)
                    .Ack(STAGE_1, 2023, 5, 3)
                    .Respond(STAGE_1, 2023, 5, 12, v1::OUTCOME_UPHELD)
                    .get();
  l1.set_customer("CUST-1");
  AddRemedy(l1, 5000, {v1::REMEDY_KIND_APOLOGY, v1::REMEDY_KIND_ACTION});
  v1::LessonLearnt& lesson1 = AddLesson(
      l1, CivilDay(2023, 5, 20), "Communication",
      {{"Call back within a day", CivilDay(2023, 6, 30), CivilDay(2023, 6, 15)},
       {"Retrain the repairs desk", CivilDay(2024, 1, 31), std::nullopt},
       {"Review the letter templates", CivilDay(2024, 6, 30), std::nullopt},
       {"Audit open jobs", CivilDay(2023, 6, 1), CivilDay(2024, 7, 15)}});
  lesson1.set_question_set_id("lessons-learnt");
  lesson1.set_question_set_version(1);
  v1::LessonAnswer& answer = *lesson1.add_answers();
  answer.set_question_id("what_went_wrong");
  answer.set_text("Nobody called the customer back.");
  f.cases.push_back(l1);

  // L2 (Environment): a 2022/23 complaint whose lesson (2022-07-01) belongs
  // to Adults, theme "Policy"; action B1 target 2022-12-31, done
  // 2023-08-01: overdue at 2023-07-01, done by 2024-06-30. A policy change,
  // resolved 2022-06-10 (previous period).
  v1::Case l2 = CaseBuilder("L2")
                    .In("Environment", "Waste")
                    .Received(2022, 6, 1)
                    .Ack(STAGE_1, 2022, 6, 2)
                    .Respond(STAGE_1, 2022, 6, 10, v1::OUTCOME_NOT_UPHELD)
                    .get();
  AddRemedy(l2, 0, {v1::REMEDY_KIND_POLICY_CHANGE});
  AddLesson(l2, CivilDay(2022, 7, 1), "Policy",
            {{"Rewrite the bins policy", CivilDay(2022, 12, 31),
              CivilDay(2023, 8, 1)}},
            "Adults");
  f.cases.push_back(l2);

  // L3: escalated, answered at stage 2 on 2023-10-20 (in P) with an
  // apology; lesson 2023-10-25 "Communication"; LGSCO upheld on 2024-01-10
  // with four recommendations:
  //   R1 due 2024-02-10 complied 2024-02-09: due in P, on time;
  //   R2 due 2024-03-10 complied 2024-03-20: due in P, late;
  //   R3 due 2024-05-01 open: due after P; overdue at 2024-06-30;
  //   R4 due 2024-03-31 open: due in P, not complied; overdue.
  v1::Case l3 = CaseBuilder("L3")
                    .In("Housing", "Repairs")
                    .Received(2023, 9, 1)
                    .Ack(STAGE_1, 2023, 9, 4)
                    .Respond(STAGE_1, 2023, 9, 15, v1::OUTCOME_PARTLY_UPHELD)
                    .Escalate(2023, 9, 20)
                    .Ack(STAGE_2, 2023, 9, 21)
                    .Respond(STAGE_2, 2023, 10, 20, v1::OUTCOME_UPHELD)
                    .Refer(v1::OMBUDSMAN_BODY_LGSCO, 2023, 11, 1)
                    .Decide(v1::OMBUDSMAN_DECISION_UPHELD, 2024, 1, 10)
                    .get();
  AddRemedy(l3, 0, {v1::REMEDY_KIND_APOLOGY});
  AddLesson(l3, CivilDay(2023, 10, 25), "Communication");
  AddRecommendations(l3, {{CivilDay(2024, 2, 10), CivilDay(2024, 2, 9)},
                          {CivilDay(2024, 3, 10), CivilDay(2024, 3, 20)},
                          {CivilDay(2024, 5, 1), std::nullopt},
                          {CivilDay(2024, 3, 31), std::nullopt}});
  f.cases.push_back(l3);

  // L4: withdrawn, so its remedy ("other") is never counted.
  v1::Case l4 = CaseBuilder("L4")
                    .In("Housing", "Repairs")
                    .Received(2023, 6, 1)
                    .Withdraw(2023, 6, 5)
                    .get();
  AddRemedy(l4, 0, {v1::REMEDY_KIND_OTHER});
  f.cases.push_back(l4);

  // L5: resolved 2024-02-10 with an action remedy; its lesson (2024-07-05)
  // is after T, so it does not count (nor does its action).
  v1::Case l5 = CaseBuilder("L5")
                    .In("Housing", "Repairs")
                    .Received(2024, 2, 1)
                    .Ack(STAGE_1, 2024, 2, 2)
                    .Respond(STAGE_1, 2024, 2, 10, v1::OUTCOME_NOT_UPHELD)
                    .get();
  AddRemedy(l5, 0, {v1::REMEDY_KIND_ACTION});
  AddLesson(l5, CivilDay(2024, 7, 5), "Access",
            {{"Fix the portal", CivilDay(2024, 7, 10), std::nullopt}});
  f.cases.push_back(l5);

  // Compliments: K1 and K2 in P (Housing), K3 in 2022/23 (Environment). K1
  // has a lesson (2023-05-06, "Good practice").
  v1::Case k1 = Compliment("K1", "Housing", "Repairs", CivilDay(2023, 5, 5),
                           v1::COMPLIMENT_ROUTE_CONTACT_CENTRE,
                           {"caring", "listening"}, "Repairs North", "S-7");
  AddLesson(k1, CivilDay(2023, 5, 6), "Good practice");
  f.cases.push_back(k1);
  f.cases.push_back(Compliment("K2", "Housing", "Repairs", CivilDay(2023, 8, 5),
                               v1::COMPLIMENT_ROUTE_COUNCILLOR, {"caring"},
                               "Repairs North", "S-9"));
  f.cases.push_back(Compliment(
      "K3", "Environment", "Waste", CivilDay(2022, 5, 5),
      v1::COMPLIMENT_ROUTE_UNSPECIFIED, {"listening"}, "Crews", "S-7"));

  // E1: an enquiry with a lesson (2023-06-02, Environment, "Communication").
  v1::Case e1 = CaseBuilder("E1", v1::CASE_TYPE_ENQUIRY)
                    .In("Environment", "Waste")
                    .Received(2023, 6, 1)
                    .get();
  AddLesson(e1, CivilDay(2023, 6, 2), "Communication");
  f.cases.push_back(e1);

  // Restrictions (end of P 2024-03-31, end of 2022/23 2023-03-31; reference
  // dates 2024-06-30 and 2023-07-01):
  //   RS1 whole council from 2023-01-10, reviewed 2023-07-05 (next
  //       2024-01-05): in force at both period ends; its review is overdue
  //       at 2024-06-30 (2024-01-05 passed), not at 2023-07-01 (first
  //       review 2023-07-10 still ahead, the 07-05 review not yet held).
  //   RS2 Housing/Repairs 2023-06-01..2024-05-31, reviewed 2023-12-01
  //       (next 2024-06-01): in force at the end of P only; ended by
  //       2024-06-30, so not overdue then.
  //   RS3 whole council from 2022-09-01, first review 2023-03-01, never
  //       reviewed: in force at both ends, overdue at both dates.
  //   RS4 from 2024-04-10 (after P): not in force at the end of P; in force
  //       at 2024-06-30, review 2024-10-10 not due.
  //   RS5 2022-01-01..2022-06-01, lifted at its review: never counted.
  f.restrictions.push_back(MakeRestriction(
      "RS1", "CUST-1", v1::RESTRICTION_TYPE_WRITTEN_CONTACT_ONLY,
      CivilDay(2023, 1, 10), CivilDay(2023, 7, 10), std::nullopt,
      {{CivilDay(2023, 7, 5), v1::REVIEW_OUTCOME_CONTINUED,
        CivilDay(2024, 1, 5)}}));
  f.restrictions.back().set_arrangement("email only, to the Housing Officer");
  f.restrictions.push_back(MakeRestriction(
      "RS2", "CUST-2", v1::RESTRICTION_TYPE_SINGLE_POINT_OF_CONTACT,
      CivilDay(2023, 6, 1), CivilDay(2023, 12, 1), CivilDay(2024, 5, 31),
      {{CivilDay(2023, 12, 1), v1::REVIEW_OUTCOME_CONTINUED,
        CivilDay(2024, 6, 1)}},
      "Housing", "Repairs"));
  f.restrictions.push_back(
      MakeRestriction("RS3", "CUST-3", v1::RESTRICTION_TYPE_LIMITED_CALL_TIMES,
                      CivilDay(2022, 9, 1), CivilDay(2023, 3, 1)));
  f.restrictions.push_back(MakeRestriction(
      "RS4", "CUST-4", v1::RESTRICTION_TYPE_WRITTEN_CONTACT_ONLY,
      CivilDay(2024, 4, 10), CivilDay(2024, 10, 10)));
  f.restrictions.push_back(MakeRestriction(
      "RS5", "CUST-5", v1::RESTRICTION_TYPE_OTHER, CivilDay(2022, 1, 1),
      CivilDay(2022, 6, 1), CivilDay(2022, 6, 1),
      {{CivilDay(2022, 6, 1), v1::REVIEW_OUTCOME_LIFTED, std::nullopt}}));
  return f;
}

// cases.csv rows for the import's restriction warning: C-1 is CUST-1's,
// under RS1 (whole council) on its receipt; C-2's customer has none; C-3 is
// CUST-2's, but RS2 covers Housing / Repairs only and had ended.
inline constexpr char kRestrictedCustomersCsv[] =
    "case_ref,type,received,directorate,service,customer\n"
    "C-1,complaint,2023-05-02,Housing,Repairs,CUST-1\n"
    "C-2,complaint,2023-05-02,Housing,Repairs,CUST-7\n"
    "C-3,enquiry,2024-06-02,Environment,Waste,CUST-2\n";
// The one warning those rows give.
inline constexpr char kC1Warning[] =
    "warning: case C-1: customer CUST-1 has a restriction in force (written "
    "contact only, restriction RS1) \u2014 follow the agreed contact "
    "arrangement: email only, to the Housing Officer";

// 2023/24 as of 30 June 2024, as the report fixture.
inline v1::ReportSettings LearningRequest() { return FixtureRequest(); }

}  // namespace tellus

#endif  // TELLUS_TESTS_LEARNING_FIXTURE_H_
