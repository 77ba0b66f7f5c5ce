#include "tellus/timescales.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"

namespace tellus {
namespace {

absl::Status CheckDays(int32_t days, absl::string_view stage,
                       absl::string_view field) {
  if (days >= 0 && days <= kMaxPolicyWorkingDays) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "timescale policy: ", std::string(stage), ".", std::string(field), " is ",
      days,
      days < 0 ? "; a number of working days cannot be negative"
               : absl::StrCat("; a step of more than ", kMaxPolicyWorkingDays,
                              " working days (about 38 years) is not a "
                              "timescale")));
}

absl::StatusOr<StageTimescale> StageFromProto(const v1::StageTimescale& proto,
                                              absl::string_view stage) {
  for (const auto& [days, field] :
       {std::pair<int32_t, absl::string_view>{proto.acknowledge_days(),
                                              "acknowledge_days"},
        {proto.respond_days(), "respond_days"},
        {proto.max_extension_days(), "max_extension_days"}}) {
    absl::Status status = CheckDays(days, stage, field);
    if (!status.ok()) return status;
  }
  return StageTimescale{proto.acknowledge_days(), proto.respond_days(),
                        proto.max_extension_days()};
}

v1::StageTimescale StageToProto(const StageTimescale& stage) {
  v1::StageTimescale proto;
  proto.set_acknowledge_days(stage.acknowledge_days);
  proto.set_respond_days(stage.respond_days);
  proto.set_max_extension_days(stage.max_extension_days);
  return proto;
}

}  // namespace

absl::StatusOr<TimescalePolicy> PolicyFromProto(const v1::TimescalePolicy& p) {
  TimescalePolicy policy;  // The Code's defaults for any stage left unset.
  if (p.has_stage1()) {
    absl::StatusOr<StageTimescale> stage1 =
        StageFromProto(p.stage1(), "stage1");
    if (!stage1.ok()) return stage1.status();
    policy.stage1 = *stage1;
  }
  if (p.has_stage2()) {
    absl::StatusOr<StageTimescale> stage2 =
        StageFromProto(p.stage2(), "stage2");
    if (!stage2.ok()) return stage2.status();
    policy.stage2 = *stage2;
  }
  return policy;
}

v1::TimescalePolicy PolicyToProto(const TimescalePolicy& policy) {
  v1::TimescalePolicy proto;
  *proto.mutable_stage1() = StageToProto(policy.stage1);
  *proto.mutable_stage2() = StageToProto(policy.stage2);
  return proto;
}

absl::CivilDay AcknowledgementDue(const Calendar& cal,
                                  const TimescalePolicy& policy,
                                  v1::Stage stage, absl::CivilDay start) {
  return cal.AddWorkingDays(start, policy.ForStage(stage).acknowledge_days);
}

absl::CivilDay ResponseDue(const Calendar& cal, const TimescalePolicy& policy,
                           v1::Stage stage, absl::CivilDay start,
                           std::optional<absl::CivilDay> acknowledged) {
  const absl::CivilDay acknowledgement_due =
      AcknowledgementDue(cal, policy, stage, start);
  // An early acknowledgement starts the clock early; a late one does not
  // move it.
  const absl::CivilDay clock_starts =
      acknowledged ? std::min(*acknowledged, acknowledgement_due)
                   : acknowledgement_due;
  return cal.AddWorkingDays(clock_starts, policy.ForStage(stage).respond_days);
}

absl::CivilDay ExtendedDue(const Calendar& cal, const TimescalePolicy& policy,
                           v1::Stage stage, absl::CivilDay due,
                           absl::CivilDay extended_to) {
  const absl::CivilDay latest_allowed =
      cal.AddWorkingDays(due, policy.ForStage(stage).max_extension_days);
  return std::min(extended_to, latest_allowed);
}

bool RespondedOnTime(const Calendar& cal, const TimescalePolicy& policy,
                     v1::Stage stage, absl::CivilDay due,
                     absl::CivilDay responded,
                     std::optional<absl::CivilDay> extended_to) {
  if (responded <= due) return true;
  return extended_to.has_value() &&
         responded <= ExtendedDue(cal, policy, stage, due, *extended_to);
}

}  // namespace tellus
