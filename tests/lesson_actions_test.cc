// Lessons Learnt actions marked done by a later event: the state machine's
// checks, the fold onto the action, and the as-of rule of
// lessons_actions_overdue (METRICS.md) on the learning fixture.
#include "tellus/lesson_actions.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "learning_fixture.h"
#include "tellus/case.h"
#include "tellus/learning_lists.h"
#include "tellus/report.h"

namespace tellus {
namespace {

using ::testing::HasSubstr;

v1::Event Done(int lesson, int action, absl::CivilDay on) {
  v1::Event e;
  *e.mutable_when()->mutable_date() = ToProto(on);
  e.mutable_lesson_action_done()->set_lesson(lesson);
  e.mutable_lesson_action_done()->set_action(action);
  return e;
}

// C-7: a lesson on 2024-01-05 with two open actions.
v1::Case CaseWithLesson() {
  v1::Case c = CaseBuilder("C-7")
                   .In("Housing", "Repairs")
                   .Received(2024, 1, 2)
                   .Ack(v1::STAGE_1, 2024, 1, 3)
                   .get();
  AddLesson(c, absl::CivilDay(2024, 1, 5), "Repairs",
            {{"Retrain", absl::CivilDay(2024, 3, 1), std::nullopt},
             {"Audit", absl::CivilDay(2024, 4, 1), std::nullopt}});
  return c;
}

std::string FoldError(const v1::Case& c) {
  absl::StatusOr<CaseState> s = FoldCase(c);
  return s.ok() ? "ok" : std::string(s.status().message());
}

TEST(LessonActionsTest, FoldsOntoTheAction) {
  v1::Case c = CaseWithLesson();
  EXPECT_FALSE(HasActionsDone(c));
  *c.add_events() = Done(1, 2, absl::CivilDay(2024, 2, 1));
  EXPECT_TRUE(HasActionsDone(c));
  ASSERT_EQ(FoldError(c), "ok");
  absl::StatusOr<v1::Case> folded = WithActionsDone(c);
  ASSERT_TRUE(folded.ok()) << folded.status();
  const v1::LessonLearnt& l = folded->events(1).lesson_learnt();
  EXPECT_FALSE(l.actions(0).has_done());
  ASSERT_TRUE(l.actions(1).has_done());
  EXPECT_EQ(FromProto(l.actions(1).done()), absl::CivilDay(2024, 2, 1));
  EXPECT_EQ(folded->events_size(), c.events_size());  // the events stay
  // On the day of the lesson itself: after it (the procedure's order).
  v1::Case same_day = CaseWithLesson();
  *same_day.add_events() = Done(1, 1, absl::CivilDay(2024, 1, 5));
  EXPECT_EQ(FoldError(same_day), "ok");
}

TEST(LessonActionsTest, RulesNameTheCaseTheEventTheDateAndTheRule) {
  v1::Case c = CaseWithLesson();
  *c.add_events() = Done(2, 1, absl::CivilDay(2024, 2, 1));
  EXPECT_EQ(FoldError(c),
            "case C-7: action 1 of Lessons Learnt record 2 marked done on "
            "2024-02-01 names Lessons Learnt record 2, but the case has 1");

  c = CaseWithLesson();
  *c.add_events() = Done(1, 3, absl::CivilDay(2024, 2, 1));
  EXPECT_EQ(FoldError(c),
            "case C-7: action 3 of Lessons Learnt record 1 marked done on "
            "2024-02-01 names action 3, but Lessons Learnt record 1 (on "
            "2024-01-05) has 2 actions");

  c = CaseWithLesson();
  *c.add_events() = Done(1, 1, absl::CivilDay(2024, 1, 4));
  EXPECT_EQ(FoldError(c),
            "case C-7: action 1 of Lessons Learnt record 1 marked done on "
            "2024-01-04 precedes the lesson on 2024-01-05");

  c = CaseWithLesson();
  *c.add_events() = Done(1, 1, absl::CivilDay(2024, 2, 1));
  *c.add_events() = Done(1, 1, absl::CivilDay(2024, 2, 3));
  EXPECT_EQ(FoldError(c),
            "case C-7: action 1 of Lessons Learnt record 1 marked done on "
            "2024-02-03 marks action 1 (Retrain) of Lessons Learnt record 1 "
            "(on 2024-01-05) done again: it was done on 2024-02-01");

  // Done on the form already.
  c = CaseWithLesson();
  *c.mutable_events(1)
       ->mutable_lesson_learnt()
       ->mutable_actions(0)
       ->mutable_done() = ToProto(absl::CivilDay(2024, 1, 20));
  *c.add_events() = Done(1, 1, absl::CivilDay(2024, 2, 1));
  EXPECT_THAT(FoldError(c), HasSubstr("done again: it was done on 2024-01-20"));

  c = CaseWithLesson();
  v1::Event undated = Done(1, 1, absl::CivilDay(2024, 2, 1));
  undated.clear_when();
  *c.add_events() = undated;
  EXPECT_EQ(FoldError(c),
            "case C-7: action 1 of Lessons Learnt record 1 marked done has "
            "no date");

  // Before the receipt: the state machine's own rule.
  c = CaseWithLesson();
  *c.add_events() = Done(1, 1, absl::CivilDay(2023, 12, 1));
  EXPECT_THAT(FoldError(c), HasSubstr("precedes the receipt on 2024-01-02"));
}

TEST(LessonActionsTest, ACaseOfAnyTypeMayMarkItsLessonsActionsDone) {
  v1::Case k =
      Compliment("K9", "Housing", "Repairs", absl::CivilDay(2024, 1, 2),
                 v1::COMPLIMENT_ROUTE_CONTACT_CENTRE, {});
  AddLesson(k, absl::CivilDay(2024, 1, 3), "Good practice",
            {{"Share it", absl::CivilDay(2024, 2, 1), std::nullopt}});
  *k.add_events() = Done(1, 1, absl::CivilDay(2024, 1, 10));
  EXPECT_EQ(FoldError(k), "ok");
}

int64_t ActionsOverdue(const LearningFixture& f) {
  absl::StatusOr<v1::AnnualReport> r =
      BuildReport(f.Build(), LearningRequest(), 1);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return -1;
  return FindMetric(r->metrics(), "lessons_actions_overdue")->current().count();
}

TEST(LessonActionsTest, TheFiguresSeeADoneDateOnlyFromThatDate) {
  // The fixture: A2 (L1's action 2, target 2024-01-31, open) and A4 are
  // overdue at T = 2024-06-30 (learning_report_test.cc), so 2.
  LearningFixture f = MakeLearningFixture();
  ASSERT_EQ(f.cases[0].ref(), "L1");
  EXPECT_EQ(ActionsOverdue(f), 2);
  // A2 marked done on 2024-03-01 (late, but by T): only A4 is left = 1.
  LearningFixture done = f;
  *done.cases[0].add_events() = Done(1, 2, absl::CivilDay(2024, 3, 1));
  EXPECT_EQ(ActionsOverdue(done), 1);
  // Marked done on 2024-07-10, after T: not yet seen, still 2.
  LearningFixture later = f;
  *later.cases[0].add_events() = Done(1, 2, absl::CivilDay(2024, 7, 10));
  EXPECT_EQ(ActionsOverdue(later), 2);

  // The digest's overdue actions follow the same rule.
  DigestRequest request;
  request.directorate = "Housing";
  request.month = absl::CivilMonth(2024, 6);
  request.as_of = EndOfLondonDay(absl::CivilDay(2024, 6, 30));
  absl::StatusOr<Digest> before = BuildDigest(later.cases, request);
  absl::StatusOr<Digest> after = BuildDigest(done.cases, request);
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_EQ(before->overdue_actions.size(), 2u);
  ASSERT_EQ(after->overdue_actions.size(), 1u);
  EXPECT_EQ(after->overdue_actions[0].description, "Audit open jobs");
}

}  // namespace
}  // namespace tellus
