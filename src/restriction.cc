#include "tellus/restriction.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "tellus/dates.h"
#include "tellus/learning_rules.h"

namespace tellus {
namespace {

bool Blank(absl::string_view s) {
  return absl::StripAsciiWhitespace(s).empty();
}

// Dates of a valid restriction (ValidateRestriction checked them).
absl::CivilDay Day(const v1::Date& d) { return FromProto(d); }

}  // namespace

absl::Status ValidateRestriction(const v1::Restriction& r) {
  if (r.id().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("restriction without an id (customer ",
                     r.customer().empty() ? "not known" : r.customer(), ")"));
  }
  const std::string where = absl::StrCat("restriction ", r.id(), ": ");
  auto fail = [&](absl::string_view rule) {
    return absl::InvalidArgumentError(absl::StrCat(where, rule));
  };
  if (Blank(r.customer())) return fail("names no customer");
  if (r.type() <= v1::RESTRICTION_TYPE_UNSPECIFIED ||
      !v1::RestrictionType_IsValid(r.type())) {
    return fail(
        "has no type (expected single point of contact, written contact "
        "only, limited call times, supervised meetings only, no further "
        "correspondence or other)");
  }
  switch (r.scope()) {
    case v1::RESTRICTION_SCOPE_SERVICE:
      if (Blank(r.directorate()) || Blank(r.service())) {
        return fail(
            "covers one service but does not name its directorate and "
            "service");
      }
      break;
    case v1::RESTRICTION_SCOPE_WHOLE_COUNCIL:
      if (!r.directorate().empty() || !r.service().empty()) {
        return fail(absl::StrCat(
            "covers the whole council but names the service ", r.directorate(),
            " / ", r.service(), " (give one scope or the other)"));
      }
      break;
    default:
      return fail("has no scope (expected one service or the whole council)");
  }
  if (Blank(r.reason())) return fail("gives no reason");
  if (Blank(r.authorised_by())) {
    return fail("does not say which role authorised it");
  }
  auto date = [&](const v1::Date& d, bool present, absl::string_view what)
      -> absl::StatusOr<std::optional<absl::CivilDay>> {
    if (!present) return std::nullopt;
    auto day = CheckedDate(d);
    if (!day.ok()) {
      return fail(absl::StrCat(what, ": ", day.status().message()));
    }
    return std::optional<absl::CivilDay>(*day);
  };
  if (!r.has_start()) return fail("has no start date");
  if (!r.has_review()) return fail("has no review date");
  auto start = date(r.start(), true, "start date");
  if (!start.ok()) return start.status();
  auto review = date(r.review(), true, "review date");
  if (!review.ok()) return review.status();
  auto end = date(r.end(), r.has_end(), "end date");
  if (!end.ok()) return end.status();
  auto notice = date(r.notice_sent(), r.has_notice_sent(), "notice date");
  if (!notice.ok()) return notice.status();
  const absl::CivilDay first = **start;
  if (**review < first) {
    return fail(absl::StrCat("review date ", FormatDate(**review),
                             " precedes the start ", FormatDate(first)));
  }
  if (*end && **end < first) {
    return fail(absl::StrCat("end date ", FormatDate(**end),
                             " precedes the start ", FormatDate(first)));
  }

  std::optional<absl::CivilDay> previous;
  for (int i = 0; i < r.reviews_size(); ++i) {
    const v1::RestrictionReview& rv = r.reviews(i);
    const std::string which = absl::StrCat("review ", i + 1);
    if (!rv.has_date()) return fail(absl::StrCat(which, " has no date"));
    auto on = date(rv.date(), true, absl::StrCat(which, " date"));
    if (!on.ok()) return on.status();
    const absl::CivilDay day = **on;
    const std::string label = absl::StrCat(which, " on ", FormatDate(day));
    if (day < first) {
      return fail(
          absl::StrCat(label, " precedes the start ", FormatDate(first)));
    }
    if (*end && day > **end) {
      return fail(
          absl::StrCat(label, " comes after the end ", FormatDate(**end)));
    }
    if (previous && day < *previous) {
      return fail(absl::StrCat(label, " precedes review ", i, " on ",
                               FormatDate(*previous),
                               " (reviews are kept in date order)"));
    }
    previous = day;
    auto next = date(rv.next_review(), rv.has_next_review(),
                     absl::StrCat(which, " next review date"));
    if (!next.ok()) return next.status();
    switch (rv.outcome()) {
      case v1::REVIEW_OUTCOME_CONTINUED:
      case v1::REVIEW_OUTCOME_VARIED:
        if (!*next) {
          return fail(absl::StrCat(
              label, " keeps the restriction but sets no next review date"));
        }
        if (**next <= day) {
          return fail(absl::StrCat(label, " sets the next review on ",
                                   FormatDate(**next),
                                   ", not after the review"));
        }
        break;
      case v1::REVIEW_OUTCOME_LIFTED:
        if (*next) {
          return fail(absl::StrCat(label,
                                   " lifts the restriction but sets a next "
                                   "review date"));
        }
        if (!*end) {
          return fail(absl::StrCat(
              label, " lifts the restriction, which has no end date"));
        }
        if (i + 1 != r.reviews_size()) {
          return fail(absl::StrCat(
              label, " lifts the restriction but a later review follows"));
        }
        break;
      default:
        return fail(absl::StrCat(
            label, " has no outcome (expected continued, varied or lifted)"));
    }
  }
  return absl::OkStatus();
}

bool InForceOn(const v1::Restriction& r, absl::CivilDay day) {
  if (Day(r.start()) > day) return false;
  return !r.has_end() || day <= Day(r.end());
}

absl::CivilDay ReviewDueOn(const v1::Restriction& r, absl::CivilDay day) {
  absl::CivilDay due = Day(r.review());
  for (const v1::RestrictionReview& rv : r.reviews()) {
    if (Day(rv.date()) > day) break;  // in date order
    if (rv.has_next_review()) due = Day(rv.next_review());
  }
  return due;
}

bool ReviewOverdueOn(const v1::Restriction& r, absl::CivilDay day) {
  return InForceOn(r, day) && ReviewDueOn(r, day) < day;
}

bool AppliesTo(const v1::Restriction& r, absl::string_view directorate,
               absl::string_view service) {
  if (r.scope() == v1::RESTRICTION_SCOPE_WHOLE_COUNCIL) return true;
  return r.directorate() == directorate && r.service() == service;
}

std::vector<const v1::Restriction*> RestrictionsFor(
    absl::Span<const v1::Restriction> restrictions, absl::string_view customer,
    absl::CivilDay day) {
  std::vector<const v1::Restriction*> out;
  if (customer.empty()) return out;
  for (const v1::Restriction& r : restrictions) {
    if (r.customer() == customer && InForceOn(r, day)) out.push_back(&r);
  }
  return out;
}

std::string RestrictionTypeWords(v1::RestrictionType type) {
  std::string name = v1::RestrictionType_Name(type);
  if (name.empty() || type == v1::RESTRICTION_TYPE_UNSPECIFIED) {
    return "type not known";
  }
  name = name.substr(std::string("RESTRICTION_TYPE_").size());
  absl::AsciiStrToLower(&name);
  return absl::StrReplaceAll(name, {{"_", " "}});
}

std::string RestrictionScopeWords(const v1::Restriction& r) {
  if (r.scope() == v1::RESTRICTION_SCOPE_WHOLE_COUNCIL) return "whole council";
  return absl::StrCat(r.directorate(), " / ", r.service());
}

std::string RestrictionWarning(absl::string_view case_ref,
                               const v1::Restriction& r) {
  std::string out = absl::StrCat(
      "case ", case_ref, ": customer ", r.customer(),
      " has a restriction in force (", RestrictionTypeWords(r.type()),
      r.scope() == v1::RESTRICTION_SCOPE_SERVICE
          ? absl::StrCat(", ", RestrictionScopeWords(r))
          : std::string(),
      ", restriction ", r.id(),
      ") \u2014 follow the agreed contact arrangement");
  if (!Blank(r.arrangement())) absl::StrAppend(&out, ": ", r.arrangement());
  return out;
}

}  // namespace tellus
