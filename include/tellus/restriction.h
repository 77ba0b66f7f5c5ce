// Restrictions on how a customer may contact the council (the unreasonably
// persistent behaviour policy): their rules, whether one is in force, when
// its review is due, and the warning staff see when a case is recorded for
// a restricted customer.
//
//   TELLUS_RETURN_IF_ERROR(tellus::ValidateRestriction(r));
//   // "restriction R-12: review date 2023-01-01 precedes the start
//   //  2023-03-01"
//   for (const v1::Restriction* r :
//        tellus::RestrictionsFor(all, "CUST-9", absl::CivilDay(2024, 1, 8))) {
//     std::cerr << tellus::RestrictionWarning("C-1", *r) << "\n";
//     // "case C-1: customer CUST-9 has a restriction in force (written
//     //  contact only) — follow the agreed contact arrangement"
//   }
//
// Dates are London civil dates. A restriction is in force from its start to
// its end, both included (no end: open-ended). Its review is due on the
// next review date of its latest review, or on its first review date before
// any review; it is overdue on a day after the due date with no review.
#ifndef TELLUS_RESTRICTION_H_
#define TELLUS_RESTRICTION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "tellus/v1/restriction.pb.h"

namespace tellus {

// Every rule of a stored restriction: an id, a customer, a type and a scope
// (a service scope names a directorate and a service; the whole council
// names neither), a reason, the role that authorised it, real dates with
// the first review and the end not before the start, and reviews in date
// order within [start, end], each with an outcome and, unless it lifts the
// restriction, a next review after it; a lifting review needs the end date,
// on or after it, and is the last review. Messages name the restriction and
// the rule.
absl::Status ValidateRestriction(const v1::Restriction& r);

// In force on `day`: start <= day <= end (no end: open-ended). For a valid
// restriction.
bool InForceOn(const v1::Restriction& r, absl::CivilDay day);

// The review date that applies on `day`: the next review date of the latest
// review dated on or before `day` or, before any review, the first review
// date.
absl::CivilDay ReviewDueOn(const v1::Restriction& r, absl::CivilDay day);

// In force on `day` with its review date (ReviewDueOn) before `day`: the
// review date has passed without a review. A review due on `day` itself is
// not overdue yet.
bool ReviewOverdueOn(const v1::Restriction& r, absl::CivilDay day);

// Whether a restriction covers a case of this directorate and service: a
// whole-council one always, a service one when both match.
bool AppliesTo(const v1::Restriction& r, absl::string_view directorate,
               absl::string_view service);

// The customer's restrictions in force on `day`, in the order given. An
// empty customer has none.
std::vector<const v1::Restriction*> RestrictionsFor(
    absl::Span<const v1::Restriction> restrictions, absl::string_view customer,
    absl::CivilDay day);

// "written contact only", "single point of contact", ...
std::string RestrictionTypeWords(v1::RestrictionType type);
// "whole council" or "Housing / Repairs".
std::string RestrictionScopeWords(const v1::Restriction& r);

// The line staff see when a case is recorded for a restricted customer:
// "case C-1: customer CUST-9 has a restriction in force (written contact
// only) — follow the agreed contact arrangement", with the arrangement
// after a colon when the restriction states one.
std::string RestrictionWarning(absl::string_view case_ref,
                               const v1::Restriction& r);

}  // namespace tellus

#endif  // TELLUS_RESTRICTION_H_
