// The listings on the learning fixture, worked out by hand.
#include "tellus/learning_lists.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "learning_fixture.h"
#include "tellus/restriction_check.h"

namespace tellus {
namespace {

using ::absl::CivilDay;
using ::testing::HasSubstr;
using ::testing::Not;

DigestRequest Request(absl::string_view directorate, int year, int month) {
  DigestRequest r;
  r.directorate = std::string(directorate);
  r.month = absl::CivilMonth(year, month);
  r.as_of = EndOfLondonDay(absl::CivilDay(r.month + 1) - 1);
  return r;
}

TEST(DigestTest, HousingInMay2023) {
  const LearningFixture f = MakeLearningFixture();
  auto d = BuildDigest(f.cases, Request("Housing", 2023, 5));
  ASSERT_TRUE(d.ok()) << d.status();
  // L1, received 2 May; answered 12 May against a due date of 18 May
  // (acknowledged 3 May; the coronation holiday on 8 May).
  EXPECT_EQ(d->complaints_received, 1);
  EXPECT_EQ(d->stage1_responses, 1);
  EXPECT_EQ(d->stage1_on_time, 1);
  EXPECT_EQ(d->stage2_responses, 0);
  // K1's lesson (6 May) and L1's (20 May), in date order.
  ASSERT_EQ(d->lessons.size(), 2u);
  EXPECT_EQ(d->lessons[0].case_ref, "K1");
  EXPECT_EQ(d->lessons[0].type, v1::CASE_TYPE_COMPLIMENT);
  EXPECT_EQ(d->lessons[1].case_ref, "L1");
  ASSERT_EQ(d->lessons[1].actions.size(), 4u);
  EXPECT_EQ(d->lessons[1].actions[0].owner, "Repairs Manager");
  // A1 was done on 15 June: after the as-of time, so not yet done.
  EXPECT_FALSE(d->lessons[1].actions[0].done.has_value());
  ASSERT_EQ(d->themes.size(), 2u);
  // Nothing is overdue on 31 May (A4's target is 1 June).
  EXPECT_TRUE(d->overdue_actions.empty());
  ASSERT_EQ(d->compliments.size(), 1u);
  EXPECT_EQ(d->compliments[0].ref, "K1");
  EXPECT_TRUE(d->ombudsman_decisions.empty());
}

TEST(DigestTest, HousingInOctober2023AndJanuary2024) {
  const LearningFixture f = MakeLearningFixture();
  auto october = BuildDigest(f.cases, Request("Housing", 2023, 10));
  ASSERT_TRUE(october.ok());
  // L3's stage 2 response on 20 October was due on 19 October (escalated
  // 20 September, acknowledged 21 September, + 20 working days): late.
  EXPECT_EQ(october->stage2_responses, 1);
  EXPECT_EQ(october->stage2_on_time, 0);
  // A4 (target 1 June, done only in July 2024) is overdue on 31 October.
  ASSERT_EQ(october->overdue_actions.size(), 1u);
  EXPECT_EQ(october->overdue_actions[0].case_ref, "L1");
  EXPECT_EQ(october->overdue_actions[0].number, 4);

  auto january = BuildDigest(f.cases, Request("Housing", 2024, 1));
  ASSERT_TRUE(january.ok());
  // A2's target is 31 January itself: not overdue on 31 January.
  ASSERT_EQ(january->overdue_actions.size(), 1u);
  // L3's LGSCO decision on 10 January, with its four recommendations; R1's
  // compliance (9 February) is not known on 31 January.
  ASSERT_EQ(january->ombudsman_decisions.size(), 1u);
  const DigestDecision& decision = january->ombudsman_decisions[0];
  EXPECT_EQ(decision.case_ref, "L3");
  ASSERT_EQ(decision.recommendations.size(), 4u);
  EXPECT_FALSE(decision.recommendations[0].has_complied());

  auto text = RenderDigest(*january, "text");
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, HasSubstr("Housing: customer feedback digest, January "
                               "2024"));
  EXPECT_THAT(*text, HasSubstr("2024-01-10 L3: LGSCO, upheld"));
  EXPECT_THAT(*text, HasSubstr("overdue by 244 days"));  // 1 June - 31 Jan
  auto markdown = RenderDigest(*october, "markdown");
  ASSERT_TRUE(markdown.ok());
  EXPECT_THAT(*markdown, HasSubstr("## Actions overdue"));
  EXPECT_THAT(*markdown, HasSubstr("Stage 2 responses on time: 0 of 1 (0%)"));
  EXPECT_THAT(*markdown,
              HasSubstr("| L1 #4 | Audit open jobs | Repairs Manager | "
                        "2023-06-01 | overdue by 152 days |"));
}

TEST(DigestTest, ALessonCountsUnderItsOwnDirectorate) {
  const LearningFixture f = MakeLearningFixture();
  // Adults owns L2's lesson (an Environment complaint): its action B1
  // (target 2022-12-31) is overdue on 31 July 2023 (done 1 August).
  auto d = BuildDigest(f.cases, Request("Adults", 2023, 7));
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->overdue_actions.size(), 1u);
  EXPECT_EQ(d->overdue_actions[0].case_ref, "L2");
  EXPECT_EQ(d->complaints_received, 0);
}

TEST(DigestTest, BadRequests) {
  const LearningFixture f = MakeLearningFixture();
  auto unknown = BuildDigest(f.cases, Request("Parks", 2024, 1));
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(unknown.status().message(),
            "no case or lesson names the directorate \"Parks\"; the data "
            "names: Adults, Environment, Housing");
  DigestRequest early = Request("Housing", 2024, 1);
  early.as_of = EndOfLondonDay(CivilDay(2023, 12, 31));
  EXPECT_THAT(std::string(BuildDigest(f.cases, early).status().message()),
              HasSubstr("needs an as-of time in or after that month"));
  std::vector<v1::Case> broken = f.cases;
  broken[0].mutable_events(0)->mutable_acknowledged()->clear_stage();
  EXPECT_THAT(
      std::string(
          BuildDigest(broken, Request("Housing", 2024, 1)).status().message()),
      HasSubstr("case L1:"));
  auto d = BuildDigest(f.cases, Request("Housing", 2024, 1));
  EXPECT_FALSE(RenderDigest(*d, "pdf").ok());
}

TEST(ComplimentsTest, ForAnOfficerOrATeam) {
  const LearningFixture f = MakeLearningFixture();
  ComplimentQuery q;
  q.staff = "S-7";
  q.period = *ParsePeriod("2023/24");
  auto staff = ListCompliments(f.cases, q);
  ASSERT_TRUE(staff.ok());
  ASSERT_EQ(staff->size(), 1u);  // K1; K3 is 2022/23's
  EXPECT_EQ((*staff)[0].ref, "K1");
  EXPECT_EQ((*staff)[0].route, v1::COMPLIMENT_ROUTE_CONTACT_CENTRE);
  EXPECT_THAT((*staff)[0].values,
              ::testing::ElementsAre("caring", "listening"));

  q.period = *ParsePeriod("2022-04-01..2024-03-31");
  staff = ListCompliments(f.cases, q);
  ASSERT_EQ(staff->size(), 2u);  // K3 (May 2022) then K1 (May 2023)
  EXPECT_EQ((*staff)[0].ref, "K3");

  ComplimentQuery team;
  team.team = "Repairs North";
  team.period = *ParsePeriod("2023/24");
  auto listed = ListCompliments(f.cases, team);
  ASSERT_EQ(listed->size(), 2u);  // K1, K2
  auto text = RenderCompliments(*listed, team, "text");
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, HasSubstr("Compliments about team Repairs North, "
                               "2023/24"));
  EXPECT_THAT(*text, HasSubstr("2 compliments received from 2023-04-01 to "
                               "2024-03-31."));
  EXPECT_THAT(*text, HasSubstr("Council values shown: caring 2, listening "
                               "1."));
  EXPECT_THAT(*text, HasSubstr("councillor"));

  ComplimentQuery nobody;
  nobody.period = team.period;
  EXPECT_EQ(ListCompliments(f.cases, nobody).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ComplimentsTest, TheCustomersWordsComeFromTheSourceColumns) {
  v1::Case k =
      Compliment("K9", "Housing", "Repairs", CivilDay(2023, 6, 1),
                 v1::COMPLIMENT_ROUTE_DIRECT_TO_SERVICE, {}, "T", "S-1");
  v1::Attribute& a = *k.add_attributes();
  a.set_name("comment");
  a.set_value("Fixed the boiler on a Sunday | thank you");
  ComplimentQuery q;
  q.staff = "S-1";
  q.period = *ParsePeriod("2023/24");
  std::vector<v1::Case> cases = {k};
  auto listed = ListCompliments(cases, q);
  ASSERT_EQ(listed->size(), 1u);
  auto md = RenderCompliments(*listed, q, "markdown");
  EXPECT_THAT(*md, HasSubstr("comment: Fixed the boiler on a Sunday \\| "
                             "thank you"));
}

TEST(RestrictionListTest, InForceOverdueFirst) {
  const LearningFixture f = MakeLearningFixture();
  const auto on = RestrictionsInForce(f.restrictions, CivilDay(2024, 6, 30));
  // RS2 ended on 31 May. RS3 is overdue since 1 March 2023, RS1 since
  // 5 January 2024; RS4's review is in October.
  ASSERT_EQ(on.size(), 3u);
  EXPECT_EQ(on[0].restriction->id(), "RS3");
  EXPECT_TRUE(on[0].review_overdue);
  EXPECT_EQ(on[1].restriction->id(), "RS1");
  EXPECT_EQ(on[1].review_due, CivilDay(2024, 1, 5));
  EXPECT_EQ(on[2].restriction->id(), "RS4");
  EXPECT_FALSE(on[2].review_overdue);
  auto text = RenderRestrictions(on, CivilDay(2024, 6, 30), "text");
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, HasSubstr("3 restrictions in force; 2 reviews overdue."));
  EXPECT_THAT(*text, HasSubstr("overdue by 487 days"));  // since 2023-03-01
  EXPECT_THAT(*text, HasSubstr("overdue by 177 days"));  // since 2024-01-05
  EXPECT_THAT(*text, Not(HasSubstr("RS2")));
}

TEST(RestrictionCheckTest, WarningsForCasesOfRestrictedCustomers) {
  const LearningFixture f = MakeLearningFixture();
  // L1 is CUST-1's, received 2 May 2023 while RS1 (whole council) was in
  // force.
  EXPECT_THAT(RestrictionWarningsFor(f.cases[0], f.restrictions),
              ::testing::ElementsAre(HasSubstr(
                  "case L1: customer CUST-1 has a restriction in force "
                  "(written contact only, restriction RS1)")));
  // RS2 covers Housing / Repairs only.
  v1::Case other = f.cases[0];
  other.set_customer("CUST-2");
  *other.mutable_received()->mutable_date() = Day(2023, 7, 1);
  other.clear_events();
  EXPECT_EQ(RestrictionWarningsFor(other, f.restrictions).size(), 1u);
  other.set_service("Lettings");
  EXPECT_TRUE(RestrictionWarningsFor(other, f.restrictions).empty());
  other.clear_customer();
  EXPECT_TRUE(RestrictionWarningsFor(other, f.restrictions).empty());
}

}  // namespace
}  // namespace tellus
