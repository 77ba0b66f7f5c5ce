// Each rule of the learning records (learning_rules.h), through FoldCase as
// a store or importer meets it, and the question set checks.
#include "tellus/learning_rules.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "learning_fixture.h"
#include "tellus/case.h"

namespace tellus {
namespace {

using ::testing::HasSubstr;

std::string FoldError(const v1::Case& c) {
  auto s = FoldCase(c);
  return s.ok() ? "ok" : std::string(s.status().message());
}

v1::Case Complaint() {
  return CaseBuilder("C-7")
      .Received(2024, 1, 2)
      .Respond(v1::STAGE_1, 2024, 1, 10)
      .get();
}

TEST(LessonRulesTest, AValidFormFolds) {
  v1::Case c = Complaint();
  v1::LessonLearnt& l = AddLesson(
      c, absl::CivilDay(2024, 1, 5), "Communication",
      {{"Retrain", absl::CivilDay(2024, 2, 1), std::nullopt},
       {"Audit", absl::CivilDay(2024, 1, 5), absl::CivilDay(2024, 1, 5)}});
  l.set_question_set_id("lessons-learnt");
  l.set_question_set_version(2);
  v1::LessonAnswer& a = *l.add_answers();
  a.set_question_id("root_cause");
  a.set_text("No call back");
  EXPECT_EQ(FoldError(c), "ok");
}

TEST(LessonRulesTest, ActionsNeedDescriptionOwnerAndDatesNotBeforeTheLesson) {
  const absl::CivilDay lesson(2024, 1, 5);
  {
    v1::Case c = Complaint();
    AddLesson(c, lesson, "", {{"Retrain", absl::CivilDay(2024, 1, 4), {}}});
    EXPECT_EQ(FoldError(c),
              "case C-7: Lessons Learnt record on 2024-01-05 has action 1 "
              "(Retrain) with a target date 2024-01-04 before the lesson");
  }
  {
    v1::Case c = Complaint();
    AddLesson(
        c, lesson, "",
        {{"Retrain", absl::CivilDay(2024, 2, 1), {}},
         {"Audit", absl::CivilDay(2024, 2, 1), absl::CivilDay(2024, 1, 2)}});
    EXPECT_EQ(FoldError(c),
              "case C-7: Lessons Learnt record on 2024-01-05 has action 2 "
              "(Audit) done on 2024-01-02, before the lesson");
  }
  {
    v1::Case c = Complaint();
    AddLesson(c, lesson, "", {{" ", absl::CivilDay(2024, 2, 1), {}}});
    EXPECT_THAT(FoldError(c), HasSubstr("has action 1 without a description"));
  }
  {
    v1::Case c = Complaint();
    AddLesson(c, lesson, "", {{"Retrain", absl::CivilDay(2024, 2, 1), {}}})
        .mutable_actions(0)
        ->clear_owner();
    EXPECT_THAT(FoldError(c), HasSubstr("action 1 (Retrain) without an owner"));
  }
  {
    v1::Case c = Complaint();
    AddLesson(c, lesson, "", {{"Retrain", absl::CivilDay(2024, 2, 1), {}}})
        .mutable_actions(0)
        ->clear_target();
    EXPECT_THAT(FoldError(c), HasSubstr("without a target date"));
  }
  {
    v1::Case c = Complaint();
    v1::LessonAction& a =
        *AddLesson(c, lesson, "", {{"Retrain", absl::CivilDay(2024, 2, 1), {}}})
             .mutable_actions(0);
    a.mutable_target()->set_day(31);
    a.mutable_target()->set_month(2);
    EXPECT_THAT(FoldError(c),
                HasSubstr("action 1 target date: 2024-02-31 is not a calendar "
                          "date"));
  }
}

TEST(LessonRulesTest, QuestionSetIdVersionAndAnswers) {
  const absl::CivilDay on(2024, 1, 5);
  {
    v1::Case c = Complaint();
    AddLesson(c, on, "").set_question_set_id("lessons-learnt");
    EXPECT_THAT(FoldError(c),
                HasSubstr("names question set 'lessons-learnt' without its "
                          "version"));
  }
  {
    v1::Case c = Complaint();
    AddLesson(c, on, "").set_question_set_version(3);
    EXPECT_THAT(FoldError(c),
                HasSubstr("has question set version 3 but no question set "
                          "id"));
  }
  {
    v1::Case c = Complaint();
    AddLesson(c, on, "").add_answers()->set_question_id("q");
    EXPECT_THAT(FoldError(c),
                HasSubstr("has answers but names no question set"));
  }
  {
    v1::Case c = Complaint();
    v1::LessonLearnt& l = AddLesson(c, on, "");
    l.set_question_set_id("ll");
    l.set_question_set_version(1);
    l.add_answers()->set_question_id("q");
    l.add_answers()->set_question_id("q");
    EXPECT_THAT(FoldError(c), HasSubstr("answers question 'q' more than once"));
    l.mutable_answers(1)->clear_question_id();
    EXPECT_THAT(FoldError(c), HasSubstr("has answer 2 to no question id"));
  }
}

TEST(LessonRulesTest, LessonsComeAfterReceiptOnAnyCaseType) {
  v1::Case c =
      CaseBuilder("K-1", v1::CASE_TYPE_COMPLIMENT).Received(2024, 1, 2).get();
  AddLesson(c, absl::CivilDay(2024, 1, 1), "Good practice");
  EXPECT_EQ(FoldError(c),
            "case K-1: Lessons Learnt record on 2024-01-01 precedes the "
            "receipt on 2024-01-02");
}

TEST(RecommendationRulesTest, DueAndCompliedNotBeforeTheDecision) {
  auto decided = [] {
    return CaseBuilder("C-9")
        .Received(2023, 1, 2)
        .Respond(v1::STAGE_1, 2023, 1, 10)
        .Refer(v1::OMBUDSMAN_BODY_LGSCO, 2023, 3, 1)
        .Decide(v1::OMBUDSMAN_DECISION_UPHELD, 2023, 6, 1)
        .get();
  };
  v1::Case ok = decided();
  AddRecommendations(
      ok, {{absl::CivilDay(2023, 7, 1), absl::CivilDay(2023, 6, 20)}});
  EXPECT_EQ(FoldError(ok), "ok");

  v1::Case early = decided();
  AddRecommendations(early, {{absl::CivilDay(2023, 5, 1), std::nullopt}});
  EXPECT_EQ(FoldError(early),
            "case C-9: Ombudsman decision 'upheld' on "
            "2023-06-01 has recommendation 1 (recommendation 1) due on "
            "2023-05-01, before the decision");

  v1::Case complied = decided();
  AddRecommendations(
      complied, {{absl::CivilDay(2023, 7, 1), absl::CivilDay(2023, 5, 30)}});
  EXPECT_THAT(FoldError(complied),
              HasSubstr("complied with on 2023-05-30, before the decision"));

  v1::Case undated = decided();
  AddRecommendations(undated, {{absl::CivilDay(2023, 7, 1), std::nullopt}});
  undated.mutable_events(2)
      ->mutable_ombudsman_decided()
      ->mutable_recommendations(0)
      ->clear_due();
  EXPECT_THAT(FoldError(undated), HasSubstr("without a due date"));

  v1::Case blank = decided();
  AddRecommendations(blank, {{absl::CivilDay(2023, 7, 1), std::nullopt}});
  blank.mutable_events(2)
      ->mutable_ombudsman_decided()
      ->mutable_recommendations(0)
      ->set_description("");
  EXPECT_THAT(FoldError(blank),
              HasSubstr("has recommendation 1 without a description"));
}

TEST(RemedyRulesTest, KindsNamedOnceAndPenceNotNegative) {
  v1::Case ok = Complaint();
  AddRemedy(ok, 0, {v1::REMEDY_KIND_APOLOGY, v1::REMEDY_KIND_POLICY_CHANGE});
  EXPECT_EQ(FoldError(ok), "ok");

  v1::Case twice = Complaint();
  AddRemedy(twice, 0, {v1::REMEDY_KIND_APOLOGY, v1::REMEDY_KIND_APOLOGY});
  EXPECT_EQ(FoldError(twice),
            "case C-7: remedy names the non-financial remedy 'apology' more "
            "than once");

  v1::Case unknown = Complaint();
  AddRemedy(unknown, 0, {v1::REMEDY_KIND_UNSPECIFIED});
  EXPECT_THAT(FoldError(unknown),
              HasSubstr("non-financial remedy of unknown kind 0"));

  v1::Case negative = Complaint();
  AddRemedy(negative, -1, {});
  EXPECT_EQ(FoldError(negative), "case C-7: remedy is negative");
}

TEST(ComplimentRulesTest, RouteAndValuesOnlyOnCompliments) {
  v1::Case enquiry =
      CaseBuilder("E-1", v1::CASE_TYPE_ENQUIRY).Received(2024, 1, 2).get();
  enquiry.set_compliment_route(v1::COMPLIMENT_ROUTE_CONTACT_CENTRE);
  EXPECT_EQ(FoldError(enquiry),
            "case E-1: has a compliment route (contact centre), but only a "
            "compliment has one and this is an enquiry");
  enquiry.clear_compliment_route();
  enquiry.add_council_values("caring");
  EXPECT_EQ(FoldError(enquiry),
            "case E-1: shows council values, but only a compliment shows "
            "them and this is an enquiry");

  v1::Case k =
      Compliment("K-1", "Housing", "Repairs", absl::CivilDay(2024, 1, 2),
                 v1::COMPLIMENT_ROUTE_MP, {"caring", "honest"});
  EXPECT_EQ(FoldError(k), "ok");
  k.add_council_values("caring");
  EXPECT_EQ(FoldError(k),
            "case K-1: shows the council value 'caring' more than once");
  k.mutable_council_values(2)->assign(" ");
  EXPECT_EQ(FoldError(k), "case K-1: has an empty council value");
  k.clear_council_values();
  k.set_compliment_route(static_cast<v1::ComplimentRoute>(42));
  EXPECT_EQ(FoldError(k), "case K-1: has an unknown compliment route 42");
}

v1::QuestionSet Form() {
  v1::QuestionSet set;
  set.set_id("lessons-learnt");
  set.set_version(2);
  set.set_title("Lessons Learnt");
  v1::Question* q = set.add_questions();
  q->set_id("what_went_wrong");
  q->set_text("What went wrong?");
  q->set_required(true);
  q = set.add_questions();
  q->set_id("cost");
  q->set_text("What did it cost?");
  return set;
}

TEST(QuestionSetTest, RulesOfTheConfiguration) {
  EXPECT_TRUE(ValidateQuestionSet(Form()).ok());
  v1::QuestionSet s = Form();
  s.clear_id();
  EXPECT_EQ(ValidateQuestionSet(s).message(), "question set without an id");
  s = Form();
  s.set_version(0);
  EXPECT_EQ(ValidateQuestionSet(s).message(),
            "question set lessons-learnt: version 0 is not 1 or more");
  s = Form();
  s.clear_questions();
  EXPECT_EQ(ValidateQuestionSet(s).message(),
            "question set lessons-learnt version 2: asks no questions");
  s = Form();
  s.mutable_questions(1)->set_id("what_went_wrong");
  EXPECT_EQ(ValidateQuestionSet(s).message(),
            "question set lessons-learnt version 2: question 2 reuses the id "
            "'what_went_wrong'");
  s = Form();
  s.mutable_questions(1)->clear_id();
  EXPECT_THAT(ValidateQuestionSet(s).message(),
              HasSubstr("question 2 has no id"));
  s = Form();
  s.mutable_questions(1)->set_text("  ");
  EXPECT_THAT(ValidateQuestionSet(s).message(),
              HasSubstr("question 2 ('cost') has no text"));
}

TEST(QuestionSetTest, AnswersAgainstTheFormTheyName) {
  v1::LessonLearnt l;
  l.set_question_set_id("lessons-learnt");
  l.set_question_set_version(2);
  v1::LessonAnswer* a = l.add_answers();
  a->set_question_id("what_went_wrong");
  a->set_text("No call back");
  EXPECT_TRUE(CheckAnswers(l, Form()).ok());

  v1::LessonLearnt old = l;
  old.set_question_set_version(1);
  EXPECT_EQ(CheckAnswers(old, Form()).message(),
            "answers question set lessons-learnt version 1, not question set "
            "lessons-learnt version 2");

  v1::LessonLearnt stray = l;
  stray.add_answers()->set_question_id("mood");
  EXPECT_EQ(CheckAnswers(stray, Form()).message(),
            "answers question 'mood', which question set lessons-learnt "
            "version 2 does not ask");

  v1::LessonLearnt blank = l;
  blank.mutable_answers(0)->set_text(" ");
  EXPECT_EQ(CheckAnswers(blank, Form()).message(),
            "leaves the required question 'what_went_wrong' of question set "
            "lessons-learnt version 2 unanswered");
}

TEST(NamesTest, KeysAndWords) {
  EXPECT_EQ(RemedyKindKey(v1::REMEDY_KIND_POLICY_CHANGE), "policy_change");
  EXPECT_EQ(RemedyKindWords(v1::REMEDY_KIND_POLICY_CHANGE), "policy change");
  EXPECT_EQ(ComplimentRouteKey(v1::COMPLIMENT_ROUTE_UNSPECIFIED), "not_known");
  EXPECT_EQ(ComplimentRouteWords(v1::COMPLIMENT_ROUTE_DIRECT_TO_SERVICE),
            "direct to service");
  EXPECT_EQ(ComplimentRouteWords(v1::COMPLIMENT_ROUTE_MP), "MP");
}

}  // namespace
}  // namespace tellus
