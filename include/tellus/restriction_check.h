// Warns staff when a case is recorded for a customer under a contact
// restriction, so they follow the agreed arrangement. The warning is for
// people: it never changes a figure or refuses a case.
//
//   TELLUS_ASSIGN_OR_RETURN(std::vector<v1::Restriction> restrictions,
//                           tellus::ReadRestrictions("restrictions.binpb"));
//   tellus::RestrictionWarningSink checked(
//       sink, restrictions,
//       [](const std::string& line) { std::cerr << line << "\n"; });
//   tellus::Importer importer(checked, &rejects);   // as before
//   // "case C-1: customer CUST-9 has a restriction in force (written
//   //  contact only, restriction R-12) — follow the agreed contact
//   //  arrangement"
#ifndef TELLUS_RESTRICTION_CHECK_H_
#define TELLUS_RESTRICTION_CHECK_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tellus/import.h"
#include "tellus/v1/case.pb.h"
#include "tellus/v1/restriction.pb.h"

namespace tellus {

// The warnings for one case: one line (restriction.h: RestrictionWarning)
// per restriction of its customer in force on the day it was received that
// covers its directorate and service. None for a case without a customer.
std::vector<std::string> RestrictionWarningsFor(
    const v1::Case& c, absl::Span<const v1::Restriction> restrictions);

// Reads a restrictions file (length-delimited, or JSON Lines for ".jsonl"),
// every restriction validated and its id used once; errors name the file and
// the record.
absl::StatusOr<std::vector<v1::Restriction>> ReadRestrictions(
    const std::string& path);

// An ImportSink that passes every row on to `next` unchanged, calling `warn`
// with each restriction warning of an accepted case first.
class RestrictionWarningSink : public ImportSink {
 public:
  RestrictionWarningSink(ImportSink& next,
                         absl::Span<const v1::Restriction> restrictions,
                         std::function<void(const std::string&)> warn);

  absl::Status OnCase(const v1::Case& c, const CaseState& state) override;
  absl::Status OnInteraction(const v1::Interaction& interaction,
                             const EventTime& at) override;

  int64_t warnings() const { return warnings_; }

 private:
  ImportSink& next_;
  absl::Span<const v1::Restriction> restrictions_;
  std::function<void(const std::string&)> warn_;
  int64_t warnings_ = 0;
};

}  // namespace tellus

#endif  // TELLUS_RESTRICTION_CHECK_H_
