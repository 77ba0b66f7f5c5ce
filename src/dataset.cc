#include "tellus/dataset.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "tellus/status_macros.h"

namespace tellus {
namespace {

std::string CellKey(absl::string_view directorate, absl::string_view service) {
  return absl::StrCat(directorate, absl::string_view("\0", 1), service);
}

}  // namespace

CellDictionary::CellDictionary() { cells_.emplace_back("", ""); }

uint32_t CellDictionary::Intern(absl::string_view directorate,
                                absl::string_view service) {
  if (directorate.empty()) return kNoDirectorate;
  std::string key = CellKey(directorate, service);
  auto [it, inserted] =
      index_.try_emplace(std::move(key), static_cast<uint32_t>(cells_.size()));
  if (inserted) cells_.emplace_back(directorate, service);
  return it->second;
}

void EventColumn::Append(const std::optional<EventTime>& t) {
  if (t) {
    day.push_back(DayNumber(t->date));
    seen_from.push_back(absl::ToUnixSeconds(t->SeenFrom()));
  } else {
    day.push_back(kNoDay);
    seen_from.push_back(kNeverSeen);
  }
}

std::optional<uint32_t> Dataset::FindCase(absl::string_view ref) const {
  auto it = case_rows_.find(ref);
  if (it == case_rows_.end()) return std::nullopt;
  return it->second;
}

size_t Dataset::ColumnBytes() const {
  const InteractionTable& i = interactions_;
  const size_t interaction_bytes = i.day.capacity() * sizeof(int32_t) +
                                   i.cell.capacity() * sizeof(uint32_t) +
                                   i.kind.capacity() +
                                   i.case_index.capacity() * sizeof(int32_t);
  // 12 event columns of 12 bytes, 8 one-byte columns, cell and remedy.
  const size_t case_bytes = cases_.size() * (12 * 12 + 8 + 4 + 8);
  return interaction_bytes + case_bytes;
}

absl::Status DatasetBuilder::AddCase(const v1::Case& c) {
  TELLUS_ASSIGN_OR_RETURN(CaseState state, FoldCase(c));
  return AddCase(c, state);
}

absl::Status DatasetBuilder::AddCase(const v1::Case& c, const CaseState& s) {
  const uint32_t row = static_cast<uint32_t>(data_.cases_.size());
  if (!data_.case_rows_.try_emplace(c.ref(), row).second) {
    return absl::AlreadyExistsError(
        absl::StrCat("case ", c.ref(), ": the reference is already used"));
  }
  CaseTable& t = data_.cases_;
  t.ref.push_back(c.ref());
  t.cell.push_back(data_.cells_.Intern(c.directorate(), c.service()));
  t.type.push_back(static_cast<uint8_t>(s.type));
  t.received.Append(s.received);
  t.s1_acknowledged.Append(s.stage1.acknowledged);
  t.s1_extended_to.Append(s.stage1.extended_to);
  t.s1_responded.Append(s.stage1.responded);
  t.s2_requested.Append(s.escalation_requested);
  t.s2_acknowledged.Append(s.stage2.acknowledged);
  t.s2_extended_to.Append(s.stage2.extended_to);
  t.s2_responded.Append(s.stage2.responded);
  t.withdrawn.Append(s.withdrawn);
  t.ombudsman_referred.Append(s.ombudsman_referred);
  t.ombudsman_decided.Append(s.ombudsman_decided);
  std::optional<EventTime> first_lesson;
  for (const EventTime& lesson : s.lessons) {
    if (!first_lesson || lesson.SeenFrom() < first_lesson->SeenFrom()) {
      first_lesson = lesson;
    }
  }
  t.first_lesson.Append(first_lesson);
  t.s1_outcome.push_back(static_cast<uint8_t>(s.stage1.outcome));
  t.s2_outcome.push_back(static_cast<uint8_t>(s.stage2.outcome));
  t.ombudsman_body.push_back(static_cast<uint8_t>(s.ombudsman_body));
  t.ombudsman_decision.push_back(static_cast<uint8_t>(s.ombudsman_decision));
  t.remedy_pence.push_back(s.remedy_pence.value_or(0));
  data_.learning_.AddCase(c);
  return absl::OkStatus();
}

absl::Status DatasetBuilder::AddRestriction(const v1::Restriction& r) {
  return data_.learning_.AddRestriction(r);
}

absl::Status DatasetBuilder::AddInteraction(const v1::Interaction& i) {
  const std::string where = absl::StrCat("interaction ", i.id(), ": ");
  if (!i.has_at()) {
    return absl::InvalidArgumentError(absl::StrCat(where, "has no time"));
  }
  auto at = FromProto(i.at());
  if (!at.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, at.status().message()));
  }
  if (i.kind() <= v1::INTERACTION_KIND_UNSPECIFIED ||
      i.kind() > v1::INTERACTION_KIND_FOLLOW_UP) {
    return absl::InvalidArgumentError(absl::StrCat(where, "has no kind"));
  }
  AddInteraction(at->date, i.directorate(), i.service(), i.kind(),
                 i.case_ref());
  return absl::OkStatus();
}

void DatasetBuilder::AddInteraction(absl::CivilDay day,
                                    absl::string_view directorate,
                                    absl::string_view service,
                                    v1::InteractionKind kind,
                                    absl::string_view case_ref) {
  InteractionTable& t = data_.interactions_;
  const uint32_t row = static_cast<uint32_t>(t.day.size());
  t.day.push_back(DayNumber(day));
  t.cell.push_back(data_.cells_.Intern(directorate, service));
  t.kind.push_back(static_cast<uint8_t>(kind));
  int32_t linked = kUnlinked;
  if (!case_ref.empty()) {
    if (auto found = data_.FindCase(case_ref)) {
      linked = static_cast<int32_t>(*found);
    } else {
      pending_links_.emplace_back(row, std::string(case_ref));
    }
  }
  t.case_index.push_back(linked);
}

void DatasetBuilder::Reserve(size_t cases, size_t interactions) {
  InteractionTable& t = data_.interactions_;
  t.day.reserve(interactions);
  t.cell.reserve(interactions);
  t.kind.reserve(interactions);
  t.case_index.reserve(interactions);
  data_.cases_.ref.reserve(cases);
  data_.case_rows_.reserve(cases);
}

Dataset DatasetBuilder::Build() && {
  for (const auto& [row, ref] : pending_links_) {
    if (auto found = data_.FindCase(ref)) {
      data_.interactions_.case_index[row] = static_cast<int32_t>(*found);
    } else {
      ++data_.unlinked_;
    }
  }
  pending_links_.clear();
  return std::move(data_);
}

}  // namespace tellus
