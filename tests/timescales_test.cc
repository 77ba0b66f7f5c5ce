#include "tellus/timescales.h"

#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tellus/calendar.h"

namespace tellus {
namespace {

using ::testing::HasSubstr;

absl::CivilDay Day(int year, int month, int day) {
  return absl::CivilDay(year, month, day);
}

class TimescalesTest : public ::testing::Test {
 protected:
  const Calendar calendar_ = Calendar::ForRegion(Region::kEnglandAndWales);
  const TimescalePolicy code_;  // The Complaint Handling Code's defaults.
};

TEST_F(TimescalesTest, DefaultsAreTheCodes) {
  EXPECT_EQ(code_.stage1, (StageTimescale{5, 10, 10}));
  EXPECT_EQ(code_.stage2, (StageTimescale{5, 20, 20}));
  EXPECT_EQ(code_.ForStage(v1::STAGE_2), code_.stage2);
  EXPECT_EQ(code_.ForStage(v1::STAGE_1), code_.stage1);
}

TEST_F(TimescalesTest, AcknowledgementDue) {
  // Friday 5 May 2023; Monday 8 May was the coronation holiday.
  EXPECT_EQ(AcknowledgementDue(calendar_, code_, v1::STAGE_1, Day(2023, 5, 5)),
            Day(2023, 5, 15));
  // Received on a Saturday: the following Monday is the first working day.
  EXPECT_EQ(AcknowledgementDue(calendar_, code_, v1::STAGE_1, Day(2024, 6, 8)),
            Day(2024, 6, 14));
}

TEST_F(TimescalesTest, AcknowledgementDueDependsOnTheRegion) {
  // Thursday before Easter 2023: Easter Monday is a holiday in England and
  // Wales only.
  EXPECT_EQ(AcknowledgementDue(calendar_, code_, v1::STAGE_1, Day(2023, 4, 6)),
            Day(2023, 4, 17));
  EXPECT_EQ(AcknowledgementDue(Calendar::ForRegion(Region::kScotland), code_,
                               v1::STAGE_1, Day(2023, 4, 6)),
            Day(2023, 4, 14));
}

TEST_F(TimescalesTest, ResponseDueRunsFromTheAcknowledgementDueDate) {
  // Acknowledgement due 15 May 2023; + 10 working days, skipping the spring
  // bank holiday on 29 May.
  EXPECT_EQ(
      ResponseDue(calendar_, code_, v1::STAGE_1, Day(2023, 5, 5), std::nullopt),
      Day(2023, 5, 30));
  EXPECT_EQ(ResponseDue(calendar_, code_, v1::STAGE_1, Day(2023, 5, 5),
                        Day(2023, 5, 15)),
            Day(2023, 5, 30));
}

TEST_F(TimescalesTest, EarlyAcknowledgementStartsTheClockEarly) {
  EXPECT_EQ(ResponseDue(calendar_, code_, v1::STAGE_1, Day(2023, 5, 5),
                        Day(2023, 5, 9)),
            Day(2023, 5, 23));
}

TEST_F(TimescalesTest, LateAcknowledgementNeverBuysTime) {
  EXPECT_EQ(ResponseDue(calendar_, code_, v1::STAGE_1, Day(2023, 5, 5),
                        Day(2023, 5, 20)),
            Day(2023, 5, 30));
  EXPECT_EQ(ResponseDue(calendar_, code_, v1::STAGE_1, Day(2023, 5, 5),
                        Day(2023, 7, 1)),
            Day(2023, 5, 30));
}

TEST_F(TimescalesTest, StageTwoUsesItsOwnTimescales) {
  // Escalation requested Wednesday 10 January 2024.
  const absl::CivilDay requested = Day(2024, 1, 10);
  EXPECT_EQ(AcknowledgementDue(calendar_, code_, v1::STAGE_2, requested),
            Day(2024, 1, 17));
  const absl::CivilDay due =
      ResponseDue(calendar_, code_, v1::STAGE_2, requested, std::nullopt);
  EXPECT_EQ(due, Day(2024, 2, 14));
  // The most an extension may add at stage 2 is 20 working days.
  EXPECT_EQ(ExtendedDue(calendar_, code_, v1::STAGE_2, due, Day(2024, 6, 30)),
            Day(2024, 3, 13));
}

TEST_F(TimescalesTest, OnTimeWithoutAnExtension) {
  const absl::CivilDay due = Day(2023, 5, 30);
  EXPECT_TRUE(RespondedOnTime(calendar_, code_, v1::STAGE_1, due,
                              Day(2023, 5, 12), std::nullopt));
  EXPECT_TRUE(
      RespondedOnTime(calendar_, code_, v1::STAGE_1, due, due, std::nullopt));
  EXPECT_FALSE(RespondedOnTime(calendar_, code_, v1::STAGE_1, due,
                               Day(2023, 5, 31), std::nullopt));
}

TEST_F(TimescalesTest, OnTimeWithAnExtensionWithinTheCap) {
  const absl::CivilDay due = Day(2023, 5, 30);
  const absl::CivilDay agreed = Day(2023, 6, 9);
  EXPECT_EQ(ExtendedDue(calendar_, code_, v1::STAGE_1, due, agreed), agreed);
  EXPECT_TRUE(
      RespondedOnTime(calendar_, code_, v1::STAGE_1, due, agreed, agreed));
  EXPECT_FALSE(RespondedOnTime(calendar_, code_, v1::STAGE_1, due,
                               Day(2023, 6, 12), agreed));
}

TEST_F(TimescalesTest, ExtensionBeyondTheCapIsCutToTheCap) {
  // Due 30 May 2023 + 10 working days = 13 June.
  const absl::CivilDay due = Day(2023, 5, 30);
  const absl::CivilDay agreed = Day(2023, 7, 31);
  EXPECT_EQ(ExtendedDue(calendar_, code_, v1::STAGE_1, due, agreed),
            Day(2023, 6, 13));
  EXPECT_TRUE(RespondedOnTime(calendar_, code_, v1::STAGE_1, due,
                              Day(2023, 6, 13), agreed));
  EXPECT_FALSE(RespondedOnTime(calendar_, code_, v1::STAGE_1, due,
                               Day(2023, 6, 14), agreed));
}

TEST_F(TimescalesTest, ExtensionEarlierThanTheDueDateTakesNoTimeAway) {
  const absl::CivilDay due = Day(2023, 5, 30);
  const absl::CivilDay agreed = Day(2023, 5, 20);
  EXPECT_EQ(ExtendedDue(calendar_, code_, v1::STAGE_1, due, agreed), agreed);
  EXPECT_TRUE(RespondedOnTime(calendar_, code_, v1::STAGE_1, due,
                              Day(2023, 5, 25), agreed));
  EXPECT_FALSE(RespondedOnTime(calendar_, code_, v1::STAGE_1, due,
                               Day(2023, 5, 31), agreed));
}

TEST_F(TimescalesTest, CustomPolicy) {
  TimescalePolicy policy;
  policy.stage1 = {3, 7, 0};
  const absl::CivilDay received = Day(2023, 5, 5);
  EXPECT_EQ(AcknowledgementDue(calendar_, policy, v1::STAGE_1, received),
            Day(2023, 5, 11));
  const absl::CivilDay due =
      ResponseDue(calendar_, policy, v1::STAGE_1, received, std::nullopt);
  EXPECT_EQ(due, Day(2023, 5, 22));
  // No extension allowed: an agreed later date does not help.
  EXPECT_FALSE(RespondedOnTime(calendar_, policy, v1::STAGE_1, due,
                               Day(2023, 5, 23), Day(2023, 6, 30)));
  // Stage 2 keeps the Code's numbers.
  EXPECT_EQ(AcknowledgementDue(calendar_, policy, v1::STAGE_2, received),
            Day(2023, 5, 15));
}

TEST(PolicyProtoTest, UnsetStagesTakeTheCodesDefaults) {
  const absl::StatusOr<TimescalePolicy> empty =
      PolicyFromProto(v1::TimescalePolicy());
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(*empty, TimescalePolicy());

  v1::TimescalePolicy proto;
  proto.mutable_stage1()->set_acknowledge_days(3);
  proto.mutable_stage1()->set_respond_days(7);
  proto.mutable_stage1()->set_max_extension_days(5);
  const absl::StatusOr<TimescalePolicy> policy = PolicyFromProto(proto);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->stage1, (StageTimescale{3, 7, 5}));
  EXPECT_EQ(policy->stage2, (StageTimescale{5, 20, 20}));
}

TEST(PolicyProtoTest, ASetStageIsTakenAsWrittenEvenZero) {
  v1::TimescalePolicy proto;
  proto.mutable_stage2();  // present, every field 0
  const absl::StatusOr<TimescalePolicy> policy = PolicyFromProto(proto);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->stage1, (StageTimescale{5, 10, 10}));
  EXPECT_EQ(policy->stage2, (StageTimescale{0, 0, 0}));
}

TEST(PolicyProtoTest, DaysPastTheLimitAreAnError) {
  v1::TimescalePolicy proto;
  proto.mutable_stage1()->set_max_extension_days(kMaxPolicyWorkingDays);
  ASSERT_TRUE(PolicyFromProto(proto).ok());
  proto.mutable_stage1()->set_max_extension_days(kMaxPolicyWorkingDays + 1);
  const absl::StatusOr<TimescalePolicy> policy = PolicyFromProto(proto);
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(policy.status().message()),
              HasSubstr("stage1.max_extension_days is 10001; a step of more "
                        "than 10000 working days"));
}

TEST(PolicyProtoTest, NegativeDaysAreAnError) {
  v1::TimescalePolicy proto;
  proto.mutable_stage2()->set_acknowledge_days(5);
  proto.mutable_stage2()->set_respond_days(-1);
  const absl::StatusOr<TimescalePolicy> policy = PolicyFromProto(proto);
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(policy.status().message()),
              HasSubstr("stage2.respond_days is -1"));
}

TEST(PolicyProtoTest, RoundTrips) {
  TimescalePolicy policy;
  policy.stage1 = {2, 8, 4};
  policy.stage2 = {6, 25, 0};
  const v1::TimescalePolicy proto = PolicyToProto(policy);
  EXPECT_EQ(proto.stage1().respond_days(), 8);
  EXPECT_EQ(proto.stage2().acknowledge_days(), 6);
  const absl::StatusOr<TimescalePolicy> back = PolicyFromProto(proto);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, policy);
}

}  // namespace
}  // namespace tellus
