#include "tellus/restriction_check.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "tellus/dates.h"
#include "tellus/proto_io.h"
#include "tellus/restriction.h"
#include "tellus/status_macros.h"

namespace tellus {

std::vector<std::string> RestrictionWarningsFor(
    const v1::Case& c, absl::Span<const v1::Restriction> restrictions) {
  std::vector<std::string> out;
  if (c.customer().empty() || restrictions.empty()) return out;
  auto received = FromProto(c.received());
  if (!received.ok()) return out;
  for (const v1::Restriction* r :
       RestrictionsFor(restrictions, c.customer(), received->date)) {
    if (AppliesTo(*r, c.directorate(), c.service())) {
      out.push_back(RestrictionWarning(c.ref(), *r));
    }
  }
  return out;
}

absl::StatusOr<std::vector<v1::Restriction>> ReadRestrictions(
    const std::string& path) {
  std::vector<v1::Restriction> out;
  absl::flat_hash_set<std::string> ids;
  TELLUS_RETURN_IF_ERROR(
      ForEachRestriction(path, [&](const v1::Restriction& r) -> absl::Status {
        TELLUS_RETURN_IF_ERROR(ValidateRestriction(r));
        if (!ids.insert(r.id()).second) {
          return absl::AlreadyExistsError(
              absl::StrCat("restriction ", r.id(), ": the id is already used"));
        }
        out.push_back(r);
        return absl::OkStatus();
      }));
  return out;
}

RestrictionWarningSink::RestrictionWarningSink(
    ImportSink& next, absl::Span<const v1::Restriction> restrictions,
    std::function<void(const std::string&)> warn)
    : next_(next), restrictions_(restrictions), warn_(std::move(warn)) {}

absl::Status RestrictionWarningSink::OnCase(const v1::Case& c,
                                            const CaseState& state) {
  for (const std::string& line : RestrictionWarningsFor(c, restrictions_)) {
    ++warnings_;
    if (warn_) warn_(line);
  }
  return next_.OnCase(c, state);
}

absl::Status RestrictionWarningSink::OnInteraction(
    const v1::Interaction& interaction, const EventTime& at) {
  return next_.OnInteraction(interaction, at);
}

}  // namespace tellus
