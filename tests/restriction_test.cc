// Restrictions: every validation rule, in force, reviews due and overdue,
// scope, the lookup for a customer and the warning staff see.
#include "tellus/restriction.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "learning_fixture.h"

namespace tellus {
namespace {

using ::absl::CivilDay;
using ::testing::HasSubstr;

v1::Restriction Valid() {
  return MakeRestriction(
      "R-12", "CUST-9", v1::RESTRICTION_TYPE_WRITTEN_CONTACT_ONLY,
      CivilDay(2023, 3, 1), CivilDay(2023, 9, 1), std::nullopt,
      {{CivilDay(2023, 9, 1), v1::REVIEW_OUTCOME_VARIED,
        CivilDay(2024, 3, 1)}});
}

std::string Error(const v1::Restriction& r) {
  absl::Status s = ValidateRestriction(r);
  return s.ok() ? "ok" : std::string(s.message());
}

TEST(ValidateRestrictionTest, TheValidOneAndTheFixture) {
  EXPECT_EQ(Error(Valid()), "ok");
  for (const v1::Restriction& r : MakeLearningFixture().restrictions) {
    EXPECT_EQ(Error(r), "ok") << r.id();
  }
}

TEST(ValidateRestrictionTest, HeaderRules) {
  v1::Restriction r = Valid();
  r.clear_id();
  EXPECT_EQ(Error(r), "restriction without an id (customer CUST-9)");
  r = Valid();
  r.clear_customer();
  EXPECT_EQ(Error(r), "restriction R-12: names no customer");
  r = Valid();
  r.clear_type();
  EXPECT_THAT(Error(r), HasSubstr("restriction R-12: has no type"));
  r = Valid();
  r.clear_scope();
  EXPECT_EQ(Error(r),
            "restriction R-12: has no scope (expected one service or the "
            "whole council)");
  r = Valid();
  r.set_scope(v1::RESTRICTION_SCOPE_SERVICE);
  r.set_directorate("Housing");
  EXPECT_EQ(Error(r),
            "restriction R-12: covers one service but does not name its "
            "directorate and service");
  r.set_service("Repairs");
  EXPECT_EQ(Error(r), "ok");
  r.set_scope(v1::RESTRICTION_SCOPE_WHOLE_COUNCIL);
  EXPECT_THAT(Error(r), HasSubstr("covers the whole council but names the "
                                  "service Housing / Repairs"));
  r = Valid();
  r.set_reason(" ");
  EXPECT_EQ(Error(r), "restriction R-12: gives no reason");
  r = Valid();
  r.clear_authorised_by();
  EXPECT_EQ(Error(r),
            "restriction R-12: does not say which role authorised it");
}

TEST(ValidateRestrictionTest, DateRules) {
  v1::Restriction r = Valid();
  r.clear_start();
  EXPECT_EQ(Error(r), "restriction R-12: has no start date");
  r = Valid();
  r.clear_review();
  EXPECT_EQ(Error(r), "restriction R-12: has no review date");
  r = Valid();
  *r.mutable_review() = Day(2023, 1, 1);
  EXPECT_EQ(Error(r),
            "restriction R-12: review date 2023-01-01 precedes the start "
            "2023-03-01");
  r = Valid();
  *r.mutable_end() = Day(2023, 2, 1);
  EXPECT_EQ(Error(r),
            "restriction R-12: end date 2023-02-01 precedes the start "
            "2023-03-01");
  r = Valid();
  r.mutable_notice_sent()->set_day(30);
  r.mutable_notice_sent()->set_month(2);
  EXPECT_EQ(Error(r),
            "restriction R-12: notice date: 2023-02-30 is not a calendar date");
}

TEST(ValidateRestrictionTest, ReviewRules) {
  v1::Restriction r = Valid();
  r.mutable_reviews(0)->clear_date();
  EXPECT_EQ(Error(r), "restriction R-12: review 1 has no date");
  r = Valid();
  *r.mutable_reviews(0)->mutable_date() = Day(2023, 2, 1);
  EXPECT_EQ(Error(r),
            "restriction R-12: review 1 on 2023-02-01 precedes the start "
            "2023-03-01");
  r = Valid();
  *r.mutable_end() = Day(2023, 8, 1);
  EXPECT_EQ(Error(r),
            "restriction R-12: review 1 on 2023-09-01 comes after the end "
            "2023-08-01");
  r = Valid();
  r.mutable_reviews(0)->clear_outcome();
  EXPECT_THAT(Error(r), HasSubstr("review 1 on 2023-09-01 has no outcome"));
  r = Valid();
  r.mutable_reviews(0)->clear_next_review();
  EXPECT_EQ(Error(r),
            "restriction R-12: review 1 on 2023-09-01 keeps the restriction "
            "but sets no next review date");
  r = Valid();
  *r.mutable_reviews(0)->mutable_next_review() = Day(2023, 9, 1);
  EXPECT_THAT(Error(r), HasSubstr("sets the next review on 2023-09-01, not "
                                  "after the review"));
  r = Valid();
  v1::RestrictionReview* second = r.add_reviews();
  *second->mutable_date() = Day(2023, 8, 1);
  second->set_outcome(v1::REVIEW_OUTCOME_CONTINUED);
  *second->mutable_next_review() = Day(2024, 1, 1);
  EXPECT_EQ(Error(r),
            "restriction R-12: review 2 on 2023-08-01 precedes review 1 on "
            "2023-09-01 (reviews are kept in date order)");
}

TEST(ValidateRestrictionTest, LiftingReviews) {
  v1::Restriction r = Valid();
  r.mutable_reviews(0)->set_outcome(v1::REVIEW_OUTCOME_LIFTED);
  EXPECT_THAT(Error(r), HasSubstr("lifts the restriction but sets a next "
                                  "review date"));
  r.mutable_reviews(0)->clear_next_review();
  EXPECT_THAT(Error(r), HasSubstr("lifts the restriction, which has no end "
                                  "date"));
  *r.mutable_end() = Day(2023, 9, 1);
  EXPECT_EQ(Error(r), "ok");
  v1::RestrictionReview* later = r.add_reviews();
  *later->mutable_date() = Day(2023, 9, 1);
  later->set_outcome(v1::REVIEW_OUTCOME_CONTINUED);
  *later->mutable_next_review() = Day(2023, 12, 1);
  EXPECT_THAT(Error(r), HasSubstr("lifts the restriction but a later review "
                                  "follows"));
}

TEST(RestrictionTest, InForceFromStartToEndBothIncluded) {
  v1::Restriction r = Valid();
  *r.mutable_end() = Day(2024, 3, 1);
  EXPECT_FALSE(InForceOn(r, CivilDay(2023, 2, 28)));
  EXPECT_TRUE(InForceOn(r, CivilDay(2023, 3, 1)));
  EXPECT_TRUE(InForceOn(r, CivilDay(2024, 3, 1)));
  EXPECT_FALSE(InForceOn(r, CivilDay(2024, 3, 2)));
  r.clear_end();
  EXPECT_TRUE(InForceOn(r, CivilDay(2030, 1, 1)));
}

TEST(RestrictionTest, ReviewsDueAndOverdue) {
  const v1::Restriction r = Valid();  // first review 2023-09-01; reviewed
                                      // then, next 2024-03-01
  EXPECT_EQ(ReviewDueOn(r, CivilDay(2023, 8, 31)), CivilDay(2023, 9, 1));
  EXPECT_EQ(ReviewDueOn(r, CivilDay(2023, 9, 1)), CivilDay(2024, 3, 1));
  EXPECT_FALSE(ReviewOverdueOn(r, CivilDay(2024, 3, 1)));  // due that day
  EXPECT_TRUE(ReviewOverdueOn(r, CivilDay(2024, 3, 2)));
  v1::Restriction never = r;
  never.clear_reviews();
  EXPECT_TRUE(ReviewOverdueOn(never, CivilDay(2023, 9, 2)));
  never.mutable_end()->CopyFrom(Day(2023, 9, 30));
  EXPECT_FALSE(ReviewOverdueOn(never, CivilDay(2023, 10, 1)));  // ended
}

TEST(RestrictionTest, ScopeAndLookup) {
  const LearningFixture f = MakeLearningFixture();
  const auto found =
      RestrictionsFor(f.restrictions, "CUST-2", CivilDay(2023, 7, 1));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->id(), "RS2");
  EXPECT_TRUE(AppliesTo(*found[0], "Housing", "Repairs"));
  EXPECT_FALSE(AppliesTo(*found[0], "Housing", "Lettings"));
  EXPECT_TRUE(AppliesTo(f.restrictions[0], "Environment", "Waste"));
  EXPECT_TRUE(
      RestrictionsFor(f.restrictions, "CUST-2", CivilDay(2024, 6, 1)).empty());
  EXPECT_TRUE(
      RestrictionsFor(f.restrictions, "", CivilDay(2023, 7, 1)).empty());
  EXPECT_TRUE(
      RestrictionsFor(f.restrictions, "NOBODY", CivilDay(2023, 7, 1)).empty());
}

TEST(RestrictionTest, TheWarningNamesTheCaseCustomerTypeAndArrangement) {
  const LearningFixture f = MakeLearningFixture();
  EXPECT_EQ(RestrictionWarning("C-1", f.restrictions[0]),
            "case C-1: customer CUST-1 has a restriction in force (written "
            "contact only, restriction RS1) \u2014 follow the agreed contact "
            "arrangement: email only, to the Housing Officer");
  EXPECT_EQ(RestrictionWarning("C-2", f.restrictions[1]),
            "case C-2: customer CUST-2 has a restriction in force (single "
            "point of contact, Housing / Repairs, restriction RS2) \u2014 "
            "follow the agreed contact arrangement");
  EXPECT_EQ(RestrictionTypeWords(v1::RESTRICTION_TYPE_LIMITED_CALL_TIMES),
            "limited call times");
}

TEST(DatasetRestrictionsTest, ValidatedAndUnique) {
  DatasetBuilder b;
  EXPECT_TRUE(b.AddRestriction(Valid()).ok());
  absl::Status twice = b.AddRestriction(Valid());
  EXPECT_EQ(twice.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(twice.message(), "restriction R-12: the id is already used");
  v1::Restriction bad = Valid();
  bad.set_id("R-13");
  bad.clear_reason();
  EXPECT_EQ(b.AddRestriction(bad).message(),
            "restriction R-13: gives no reason");
  const Dataset data = std::move(b).Build();
  ASSERT_EQ(data.learning().restrictions.size(), 1u);
}

}  // namespace
}  // namespace tellus
