#include "tellus/case.h"

#include <algorithm>
#include <random>
#include <vector>

#include "case_builder.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tellus/timescales.h"

namespace tellus {
namespace {

using ::testing::HasSubstr;

std::string FoldError(const CaseBuilder& b) {
  auto s = FoldCase(b.get());
  EXPECT_FALSE(s.ok()) << "expected the history to be refused";
  return s.ok() ? "" : std::string(s.status().message());
}

TEST(FoldCaseTest, FoldsAFullTwoStageHistory) {
  auto s =
      FoldCase(CaseBuilder()
                   .Ack(v1::STAGE_1, 2023, 5, 3)
                   .Respond(v1::STAGE_1, 2023, 5, 12, v1::OUTCOME_NOT_UPHELD)
                   .Escalate(2023, 5, 20)
                   .Ack(v1::STAGE_2, 2023, 5, 22)
                   .Respond(v1::STAGE_2, 2023, 6, 15, v1::OUTCOME_PARTLY_UPHELD)
                   .Lesson(2023, 6, 20)
                   .Refer(v1::OMBUDSMAN_BODY_LGSCO, 2023, 9, 1)
                   .Decide(v1::OMBUDSMAN_DECISION_UPHELD, 2023, 12, 1)
                   .Remedy(15000)
                   .get());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->status(), CaseStatus::kStage2Responded);
  EXPECT_EQ(s->stage1.outcome, v1::OUTCOME_NOT_UPHELD);
  EXPECT_EQ(s->stage2.outcome, v1::OUTCOME_PARTLY_UPHELD);
  EXPECT_EQ(s->final_stage(), &s->stage2);
  EXPECT_EQ(s->escalation_requested->date, absl::CivilDay(2023, 5, 20));
  EXPECT_EQ(s->ombudsman_decision, v1::OMBUDSMAN_DECISION_UPHELD);
  EXPECT_EQ(s->lessons.size(), 1u);
  EXPECT_EQ(s->remedy_pence, 15000);
}

TEST(FoldCaseTest, EventsAreTakenInDateOrderWhateverTheirPosition) {
  auto s = FoldCase(CaseBuilder()
                        .Respond(v1::STAGE_1, 2023, 5, 12)
                        .Ack(v1::STAGE_1, 2023, 5, 3)
                        .get());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->status(), CaseStatus::kStage1Responded);
}

TEST(FoldCaseTest, SameDayEventsAreInOrder) {
  // Acknowledged and answered the day it arrived, escalated the same day.
  auto s = FoldCase(CaseBuilder()
                        .Escalate(2023, 5, 2)
                        .Respond(v1::STAGE_1, 2023, 5, 2)
                        .Ack(v1::STAGE_1, 2023, 5, 2)
                        .get());
  EXPECT_TRUE(s.ok()) << s.status();
}

TEST(FoldCaseTest, StatusesOfAComplaint) {
  EXPECT_EQ(FoldCase(CaseBuilder().get())->status(),
            CaseStatus::kAwaitingStage1);
  EXPECT_EQ(FoldCase(CaseBuilder()
                         .Respond(v1::STAGE_1, 2023, 5, 9)
                         .Escalate(2023, 5, 10)
                         .get())
                ->status(),
            CaseStatus::kAwaitingStage2);
  EXPECT_EQ(FoldCase(CaseBuilder().Withdraw(2023, 5, 4).get())->status(),
            CaseStatus::kWithdrawn);
  EXPECT_EQ(
      FoldCase(CaseBuilder("C", v1::CASE_TYPE_COMPLIMENT).get())->status(),
      CaseStatus::kRecorded);
}

// Every rule of the state machine, with the message an officer reads.
TEST(FoldCaseRulesTest, ResponseBeforeReceipt) {
  EXPECT_EQ(FoldError(CaseBuilder().Respond(v1::STAGE_1, 2023, 4, 30)),
            "case CMP-1: stage 1 response (upheld) on 2023-04-30 precedes the "
            "receipt on 2023-05-02");
}

TEST(FoldCaseRulesTest, EveryDatedEventBeforeReceiptIsRefused) {
  EXPECT_THAT(FoldError(CaseBuilder().Ack(v1::STAGE_1, 2023, 5, 1)),
              HasSubstr("precedes the receipt"));
  EXPECT_THAT(FoldError(CaseBuilder().Extend(v1::STAGE_1, 2023, 5, 1)),
              HasSubstr("precedes the receipt"));
  EXPECT_THAT(FoldError(CaseBuilder().Withdraw(2023, 5, 1)),
              HasSubstr("withdrawal on 2023-05-01 precedes the receipt"));
  EXPECT_THAT(FoldError(CaseBuilder().Lesson(2023, 5, 1)),
              HasSubstr("Lessons Learnt record on 2023-05-01 precedes"));
  EXPECT_THAT(
      FoldError(CaseBuilder().Refer(v1::OMBUDSMAN_BODY_HOS, 2023, 5, 1)),
      HasSubstr("Housing Ombudsman referral on 2023-05-01 precedes"));
}

TEST(FoldCaseRulesTest, Stage2ResponseBeforeEscalation) {
  EXPECT_EQ(FoldError(CaseBuilder()
                          .Respond(v1::STAGE_1, 2023, 4, 20 + 10)
                          .Respond(v1::STAGE_2, 2023, 5, 2 + 0)
                          .Escalate(2023, 5, 9)
                          .Received(2023, 4, 28)),
            "case CMP-1: stage 2 response (upheld) on 2023-05-02 precedes the "
            "escalation request on 2023-05-09");
}

TEST(FoldCaseRulesTest, Stage2EventsWithoutEscalation) {
  EXPECT_EQ(FoldError(CaseBuilder()
                          .Respond(v1::STAGE_1, 2023, 5, 9)
                          .Ack(v1::STAGE_2, 2023, 5, 10)),
            "case CMP-1: stage 2 acknowledgement on 2023-05-10 has no "
            "escalation request before it");
  EXPECT_THAT(FoldError(CaseBuilder()
                            .Respond(v1::STAGE_1, 2023, 5, 9)
                            .Extend(v1::STAGE_2, 2023, 5, 10)),
              HasSubstr("stage 2 extension on 2023-05-10 has no escalation"));
}

TEST(FoldCaseRulesTest, EscalationBeforeStage1Response) {
  EXPECT_EQ(
      FoldError(
          CaseBuilder().Escalate(2023, 5, 5).Respond(v1::STAGE_1, 2023, 5, 9)),
      "case CMP-1: escalation request on 2023-05-05 precedes the stage 1 "
      "response on 2023-05-09");
  EXPECT_EQ(FoldError(CaseBuilder().Escalate(2023, 5, 5)),
            "case CMP-1: escalation request on 2023-05-05 has no stage 1 "
            "response before it");
}

TEST(FoldCaseRulesTest, ResponseBeforeItsAcknowledgement) {
  EXPECT_EQ(FoldError(CaseBuilder()
                          .Respond(v1::STAGE_1, 2023, 5, 5)
                          .Ack(v1::STAGE_1, 2023, 5, 8)),
            "case CMP-1: stage 1 acknowledgement on 2023-05-08 comes after the "
            "stage 1 response on 2023-05-05 (no response before its "
            "acknowledgement)");
}

TEST(FoldCaseRulesTest, SecondStage1Response) {
  EXPECT_EQ(FoldError(CaseBuilder()
                          .Respond(v1::STAGE_1, 2023, 5, 5)
                          .Respond(v1::STAGE_1, 2023, 5, 8)),
            "case CMP-1: stage 1 response (upheld) on 2023-05-08 repeats the "
            "stage 1 response on 2023-05-05");
}

TEST(FoldCaseRulesTest, RepeatedEvents) {
  EXPECT_THAT(FoldError(CaseBuilder()
                            .Ack(v1::STAGE_1, 2023, 5, 3)
                            .Ack(v1::STAGE_1, 2023, 5, 4)),
              HasSubstr("repeats the stage 1 acknowledgement on 2023-05-03"));
  EXPECT_THAT(FoldError(CaseBuilder()
                            .Extend(v1::STAGE_1, 2023, 5, 30)
                            .Extend(v1::STAGE_1, 2023, 6, 4)),
              HasSubstr("repeats the stage 1 extension to 2023-05-30"));
  EXPECT_THAT(
      FoldError(CaseBuilder().Withdraw(2023, 5, 3).Withdraw(2023, 5, 4)),
      HasSubstr("repeats the withdrawal"));
  EXPECT_THAT(FoldError(CaseBuilder()
                            .Respond(v1::STAGE_1, 2023, 5, 5)
                            .Escalate(2023, 5, 6)
                            .Escalate(2023, 5, 7)),
              HasSubstr("repeats the escalation request on 2023-05-06"));
}

TEST(FoldCaseRulesTest, OutcomeOnAWithdrawnCase) {
  EXPECT_EQ(
      FoldError(
          CaseBuilder().Withdraw(2023, 5, 4).Respond(v1::STAGE_1, 2023, 5, 8)),
      "case CMP-1: stage 1 response (upheld) on 2023-05-08 comes after "
      "the withdrawal on 2023-05-04");
}

TEST(FoldCaseRulesTest, NothingButLessonsAndOmbudsmanAfterWithdrawal) {
  EXPECT_THAT(
      FoldError(
          CaseBuilder().Withdraw(2023, 5, 4).Ack(v1::STAGE_1, 2023, 5, 5)),
      HasSubstr("comes after the withdrawal"));
  EXPECT_THAT(
      FoldError(
          CaseBuilder().Withdraw(2023, 5, 4).Extend(v1::STAGE_1, 2023, 5, 20)),
      HasSubstr("comes after the withdrawal"));
  EXPECT_THAT(FoldError(CaseBuilder()
                            .Respond(v1::STAGE_1, 2023, 5, 3)
                            .Escalate(2023, 5, 5)
                            .Withdraw(2023, 5, 6)
                            .Ack(v1::STAGE_2, 2023, 5, 7)),
              HasSubstr("comes after the withdrawal"));
  auto ok = FoldCase(CaseBuilder()
                         .Withdraw(2023, 5, 4)
                         .Lesson(2023, 5, 10)
                         .Refer(v1::OMBUDSMAN_BODY_LGSCO, 2023, 6, 1)
                         .get());
  EXPECT_TRUE(ok.ok()) << ok.status();
}

TEST(FoldCaseRulesTest, WithdrawalOnlyWhileSomethingIsPending) {
  EXPECT_EQ(
      FoldError(
          CaseBuilder().Respond(v1::STAGE_1, 2023, 5, 5).Withdraw(2023, 5, 9)),
      "case CMP-1: withdrawal on 2023-05-09 leaves nothing pending: the "
      "stage 1 response on 2023-05-05 answered the complaint");
  // The same day as the response that left nothing pending.
  EXPECT_THAT(
      FoldError(
          CaseBuilder().Withdraw(2023, 5, 5).Respond(v1::STAGE_1, 2023, 5, 5)),
      HasSubstr("leaves nothing pending"));
  EXPECT_THAT(FoldError(CaseBuilder()
                            .Respond(v1::STAGE_1, 2023, 5, 5)
                            .Escalate(2023, 5, 6)
                            .Respond(v1::STAGE_2, 2023, 6, 1)
                            .Withdraw(2023, 6, 1)),
              HasSubstr("the stage 2 response on 2023-06-01 closed the case"));
  // Pending at stage 2, including on the day of the escalation request.
  EXPECT_TRUE(FoldCase(CaseBuilder()
                           .Respond(v1::STAGE_1, 2023, 5, 5)
                           .Escalate(2023, 5, 6)
                           .Withdraw(2023, 5, 6)
                           .get())
                  .ok());
}

TEST(FoldCaseRulesTest, OmbudsmanDecisionRules) {
  EXPECT_EQ(FoldError(CaseBuilder().Decide(v1::OMBUDSMAN_DECISION_UPHELD, 2023,
                                           9, 1)),
            "case CMP-1: Ombudsman decision 'upheld' on "
            "2023-09-01 has no Ombudsman referral before it");
  EXPECT_THAT(FoldError(CaseBuilder()
                            .Decide(v1::OMBUDSMAN_DECISION_UPHELD, 2023, 9, 1)
                            .Refer(v1::OMBUDSMAN_BODY_LGSCO, 2023, 9, 5)),
              HasSubstr("precedes the Ombudsman referral on 2023-09-05"));
  EXPECT_THAT(
      FoldError(CaseBuilder()
                    .Refer(v1::OMBUDSMAN_BODY_LGSCO, 2023, 9, 1)
                    .Decide(v1::OMBUDSMAN_DECISION_REDRESS, 2023, 9, 5)),
      HasSubstr("is not a decision the LGSCO makes"));
  EXPECT_THAT(
      FoldError(CaseBuilder()
                    .Refer(v1::OMBUDSMAN_BODY_HOS, 2023, 9, 1)
                    .Decide(v1::OMBUDSMAN_DECISION_NOT_UPHELD, 2023, 9, 5)),
      HasSubstr("is not a decision the Housing Ombudsman makes"));
  EXPECT_TRUE(FoldCase(CaseBuilder()
                           .Refer(v1::OMBUDSMAN_BODY_HOS, 2023, 9, 1)
                           .Decide(v1::OMBUDSMAN_DECISION_WITHDRAWN, 2023, 9, 5)
                           .get())
                  .ok());
}

TEST(FoldCaseRulesTest, ComplimentsAndEnquiriesHaveOnlyLessons) {
  EXPECT_EQ(FoldError(CaseBuilder("K-1", v1::CASE_TYPE_COMPLIMENT)
                          .Ack(v1::STAGE_1, 2023, 5, 3)),
            "case K-1: stage 1 acknowledgement on 2023-05-03 cannot happen to "
            "a compliment (only complaints have events other than Lessons "
            "Learnt)");
  EXPECT_THAT(
      FoldError(CaseBuilder("E-1", v1::CASE_TYPE_ENQUIRY).Withdraw(2023, 5, 3)),
      HasSubstr("cannot happen to an enquiry"));
  // A lesson from praise or a question is part of the evidence bank.
  EXPECT_TRUE(
      FoldCase(
          CaseBuilder("E-2", v1::CASE_TYPE_ENQUIRY).Lesson(2023, 5, 3).get())
          .ok());
  EXPECT_TRUE(
      FoldCase(
          CaseBuilder("K-2", v1::CASE_TYPE_COMPLIMENT).Lesson(2023, 5, 3).get())
          .ok());
}

TEST(FoldCaseRulesTest, MalformedEventsAndHeaders) {
  EXPECT_THAT(FoldError(CaseBuilder().Respond(v1::STAGE_1, 2023, 5, 5,
                                              v1::OUTCOME_UNSPECIFIED)),
              HasSubstr("has no outcome"));
  EXPECT_THAT(FoldError(CaseBuilder().Ack(v1::STAGE_UNSPECIFIED, 2023, 5, 5)),
              HasSubstr("names no stage"));
  EXPECT_THAT(FoldError(CaseBuilder().Remedy(-1)), HasSubstr("is negative"));
  v1::Case no_ref = CaseBuilder().get();
  no_ref.clear_ref();
  EXPECT_FALSE(FoldCase(no_ref).ok());
  v1::Case no_dir = CaseBuilder().get();
  no_dir.clear_directorate();
  EXPECT_THAT(std::string(FoldCase(no_dir).status().message()),
              HasSubstr("has no directorate"));
  v1::Case bad_date = CaseBuilder().get();
  bad_date.mutable_received()->mutable_date()->set_day(31);
  bad_date.mutable_received()->mutable_date()->set_month(2);
  EXPECT_THAT(std::string(FoldCase(bad_date).status().message()),
              HasSubstr("is not a calendar date"));
  v1::Case no_kind = CaseBuilder().get();
  *no_kind.add_events()->mutable_when() = On(2023, 5, 5);
  EXPECT_THAT(std::string(FoldCase(no_kind).status().message()),
              HasSubstr("of no known kind"));
}

TEST(SeenAtTest, HidesEventsAfterTheAsOfTime) {
  auto s = FoldCase(CaseBuilder()
                        .Ack(v1::STAGE_1, 2023, 5, 3)
                        .Extend(v1::STAGE_1, 2023, 6, 30)
                        .Respond(v1::STAGE_1, 2023, 5, 20)
                        .Escalate(2023, 7, 1)
                        .Lesson(2023, 5, 25)
                        .Lesson(2023, 7, 5)
                        .get());
  ASSERT_TRUE(s.ok()) << s.status();
  const CaseState seen = SeenAt(*s, EndOfLondonDay(absl::CivilDay(2023, 6, 1)));
  EXPECT_TRUE(seen.stage1.responded.has_value());
  // Known with the response it applies to, though dated later.
  EXPECT_TRUE(seen.stage1.extended_to.has_value());
  EXPECT_FALSE(seen.escalation_requested.has_value());
  EXPECT_EQ(seen.lessons.size(), 1u);
  EXPECT_EQ(seen.status(), CaseStatus::kStage1Responded);

  const CaseState early =
      SeenAt(*s, EndOfLondonDay(absl::CivilDay(2023, 5, 10)));
  EXPECT_FALSE(early.stage1.responded.has_value());
  EXPECT_FALSE(early.stage1.extended_to.has_value());
  EXPECT_EQ(early.stage1.outcome, v1::OUTCOME_UNSPECIFIED);
}

TEST(SeenAtTest, DateOnlyEventsAreSeenFromTheStartOfTheirLondonDay) {
  const EventTime d = EventTime::OnDate(absl::CivilDay(2024, 6, 30));
  EXPECT_TRUE(d.SeenAt(StartOfLondonDay(absl::CivilDay(2024, 6, 30))));
  EXPECT_FALSE(d.SeenAt(StartOfLondonDay(absl::CivilDay(2024, 6, 30)) -
                        absl::Seconds(1)));
  // 2024-06-30T22:59:59Z is the last second of 30 June in London (BST).
  EXPECT_EQ(EndOfLondonDay(absl::CivilDay(2024, 6, 30)),
            absl::FromUnixSeconds(1719788399));
}

TEST(DeadlinesTest, DueDatesAndOnTime) {
  const Calendar cal = Calendar::ForRegion();
  const TimescalePolicy code;
  // Received Tue 2 May 2023; ack due 5 working days later skipping the
  // coronation (Mon 8 May): Wed 10 May.
  auto s = FoldCase(CaseBuilder()
                        .Ack(v1::STAGE_1, 2023, 5, 12)
                        .Respond(v1::STAGE_1, 2023, 5, 24)
                        .get());
  ASSERT_TRUE(s.ok());
  const CaseDeadlines d = Deadlines(*s, cal, code);
  EXPECT_EQ(d.stage1_ack_due, absl::CivilDay(2023, 5, 10));
  EXPECT_EQ(d.stage1_ack_on_time, false);
  // A late acknowledgement never buys time: 10 working days from 10 May.
  EXPECT_EQ(d.stage1_response_due, absl::CivilDay(2023, 5, 24));
  EXPECT_EQ(d.stage1_response_on_time, true);
  EXPECT_FALSE(d.stage2_ack_due.has_value());
}

TEST(FoldCasePropertyTest, RandomValidHistoriesAndTheirPrefixesFold) {
  std::mt19937_64 rng(20240331);
  for (int n = 0; n < 2000; ++n) {
    const v1::Case c = RandomHistory(rng, n);
    auto full = FoldCase(c);
    ASSERT_TRUE(full.ok()) << full.status() << "\n" << c.DebugString();
    // Prefixes in the order the machine applies them (by date).
    for (int keep = 0; keep <= c.events_size(); ++keep) {
      v1::Case prefix = c;
      prefix.clear_events();
      std::vector<const v1::Event*> sorted;
      for (const v1::Event& e : c.events()) sorted.push_back(&e);
      std::stable_sort(
          sorted.begin(), sorted.end(),
          [](const v1::Event* a, const v1::Event* b) {
            const int64_t da = a->has_when()
                                   ? DayNumber(FromProto(a->when().date()))
                                   : INT32_MAX;
            const int64_t db = b->has_when()
                                   ? DayNumber(FromProto(b->when().date()))
                                   : INT32_MAX;
            return da < db;
          });
      for (int i = 0; i < keep; ++i) *prefix.add_events() = *sorted[i];
      auto folded = FoldCase(prefix);
      ASSERT_TRUE(folded.ok()) << folded.status() << "\n"
                               << prefix.DebugString();
    }
  }
}

}  // namespace
// More events than FoldCase sorts in place (32): the same state, and the
// same error, whatever order they are given in.
TEST(FoldCaseTest, ManyEventsInAnyOrder) {
  CaseBuilder b("CMP-MANY");
  b.Received(2023, 1, 2).Ack(v1::STAGE_1, 2023, 1, 3);
  for (int d = 1; d <= 28; ++d) b.Lesson(2023, 2, d);
  for (int d = 1; d <= 10; ++d) b.Lesson(2023, 3, d);
  b.Respond(v1::STAGE_1, 2023, 1, 16, v1::OUTCOME_UPHELD);
  v1::Case sorted = b.get();
  ASSERT_GT(sorted.events_size(), 32);
  auto expected = FoldCase(sorted);
  ASSERT_TRUE(expected.ok()) << expected.status();
  EXPECT_EQ(expected->lessons.size(), 38u);
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 5; ++trial) {
    v1::Case shuffled = sorted;
    std::vector<v1::Event> events(shuffled.events().begin(),
                                  shuffled.events().end());
    std::shuffle(events.begin(), events.end(), rng);
    shuffled.clear_events();
    for (const v1::Event& e : events) *shuffled.add_events() = e;
    auto folded = FoldCase(shuffled);
    ASSERT_TRUE(folded.ok()) << folded.status();
    EXPECT_EQ(folded->lessons, expected->lessons);
    EXPECT_EQ(folded->status(), expected->status());
  }
  // An acknowledgement before receipt is found among them too.
  v1::Case bad = sorted;
  *bad.add_events() = bad.events(1);
  *bad.mutable_events(bad.events_size() - 1)->mutable_when() = On(2022, 12, 30);
  const auto refused = FoldCase(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()),
              ::testing::HasSubstr("CMP-MANY"));
}

}  // namespace tellus
