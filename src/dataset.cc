#include "tellus/dataset.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "tellus/status_macros.h"

namespace tellus {
CellDictionary::CellDictionary() { cells_.emplace_back("", ""); }

namespace {

// Up to the first and the last eight bytes of `s` (all of a short one) and
// its length, mixed: enough to tell cells apart in a memo whose entries are
// checked anyway.
uint64_t QuickMix(absl::string_view s) {
  uint64_t head = 0;
  uint64_t tail = 0;
  if (s.size() >= 8) {
    std::memcpy(&head, s.data(), 8);
    std::memcpy(&tail, s.data() + s.size() - 8, 8);
  } else if (s.size() >= 4) {
    uint32_t a, b;
    std::memcpy(&a, s.data(), 4);
    std::memcpy(&b, s.data() + s.size() - 4, 4);
    head = a;
    tail = b;
  } else if (!s.empty()) {
    head = static_cast<unsigned char>(s[0]) |
           static_cast<uint64_t>(static_cast<unsigned char>(s[s.size() / 2]))
               << 8 |
           static_cast<uint64_t>(static_cast<unsigned char>(s.back())) << 16;
  }
  return (head * 0x9E3779B97F4A7C15ull) ^
         ((tail + s.size()) * 0xC2B2AE3D27D4EB4Full);
}

}  // namespace

uint64_t CellDictionary::QuickHash(absl::string_view directorate,
                                   absl::string_view service) {
  const uint64_t h = QuickMix(directorate) * 31 + QuickMix(service);
  return h ^ (h >> 29);
}

uint32_t CellDictionary::Intern(absl::string_view directorate,
                                absl::string_view service) {
  std::string scratch;
  return Intern(directorate, service, scratch);
}

uint32_t CellDictionary::Intern(absl::string_view directorate,
                                absl::string_view service,
                                std::string& scratch) {
  if (directorate.empty()) return kNoDirectorate;
  const uint64_t quick = QuickHash(directorate, service);
  Recent& recent = recent_[quick % kRecent];
  if (recent.hash == quick && recent.cell != kNoDirectorate &&
      cells_[recent.cell].first == directorate &&
      cells_[recent.cell].second == service) {
    return recent.cell;
  }
  recent.hash = quick;
  recent.cell = InternSlowly(directorate, service, scratch);
  return recent.cell;
}

uint32_t CellDictionary::InternSlowly(absl::string_view directorate,
                                      absl::string_view service,
                                      std::string& scratch) {
  scratch.assign(directorate.data(), directorate.size());
  scratch.push_back('\0');
  scratch.append(service.data(), service.size());
  // Heterogeneous lookup first: a known cell costs no allocation.
  if (auto it = index_.find(absl::string_view(scratch)); it != index_.end()) {
    return it->second;
  }
  const uint32_t cell = static_cast<uint32_t>(cells_.size());
  index_.emplace(scratch, cell);
  cells_.emplace_back(directorate, service);
  return cell;
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
  return case_rows_.Find(cases_.ref, ref);
}

void Dataset::FindCases(absl::Span<const absl::string_view> refs,
                        absl::Span<std::optional<uint32_t>> rows) const {
  case_rows_.FindMany(cases_.ref, refs, rows);
}

int32_t InteractionTable::CaseOf(size_t row) const {
  const auto it = std::lower_bound(linked_row.begin(), linked_row.end(), row);
  if (it == linked_row.end() || *it != row) return kUnlinked;
  return linked_case[it - linked_row.begin()];
}

namespace {

template <typename T>
size_t Bytes(const std::vector<T>& column) {
  return column.capacity() * sizeof(T);
}

size_t Bytes(const EventColumn& column) {
  return Bytes(column.day) + Bytes(column.seen_from);
}

}  // namespace

size_t Dataset::ColumnBytes() const {
  const InteractionTable& i = interactions_;
  const CaseTable& c = cases_;
  size_t bytes = Bytes(i.day) + Bytes(i.cell) + Bytes(i.linked_row) +
                 Bytes(i.linked_case) + Bytes(i.linked_kind);
  for (const EventColumn* e :
       {&c.received, &c.s1_acknowledged, &c.s1_extended_to, &c.s1_responded,
        &c.s2_requested, &c.s2_acknowledged, &c.s2_extended_to, &c.s2_responded,
        &c.withdrawn, &c.ombudsman_referred, &c.ombudsman_decided,
        &c.first_lesson}) {
    bytes += Bytes(*e);
  }
  bytes += Bytes(c.cell) + Bytes(c.type) + Bytes(c.s1_outcome) +
           Bytes(c.s2_outcome) + Bytes(c.ombudsman_body) +
           Bytes(c.ombudsman_decision) + Bytes(c.remedy_pence);
  return bytes;
}

absl::Status DatasetBuilder::AddCase(const v1::Case& c) {
  TELLUS_ASSIGN_OR_RETURN(CaseState state, FoldCase(c));
  return AddCase(c, state);
}

absl::Status DatasetBuilder::AddCase(const v1::Case& c, const CaseState& s) {
  const uint32_t row = static_cast<uint32_t>(data_.cases_.size());
  CaseTable& t = data_.cases_;
  t.ref.push_back(c.ref());
  if (!data_.case_rows_.Insert(t.ref, row)) {
    t.ref.pop_back();
    return absl::AlreadyExistsError(
        absl::StrCat("case ", c.ref(), ": the reference is already used"));
  }
  t.cell.push_back(
      data_.cells_.Intern(c.directorate(), c.service(), cell_key_));
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
  AddInteraction(day, directorate, service, kind, case_ref,
                 case_ref.empty() ? std::nullopt : data_.FindCase(case_ref));
}

void DatasetBuilder::AddInteraction(absl::CivilDay day,
                                    absl::string_view directorate,
                                    absl::string_view service,
                                    v1::InteractionKind kind,
                                    absl::string_view case_ref,
                                    std::optional<uint32_t> found) {
  InteractionTable& t = data_.interactions_;
  const uint32_t row = static_cast<uint32_t>(t.day.size());
  t.day.push_back(DayNumber(day));
  t.cell.push_back(data_.cells_.Intern(directorate, service, cell_key_));
  if (case_ref.empty()) return;
  LinkInteraction(row, kind, case_ref, found);
}

void DatasetBuilder::LinkInteraction(uint32_t row, v1::InteractionKind kind,
                                     absl::string_view case_ref,
                                     std::optional<uint32_t> found) {
  InteractionTable& t = data_.interactions_;
  if (found) {
    t.linked_row.push_back(row);
    t.linked_case.push_back(static_cast<int32_t>(*found));
    t.linked_kind.push_back(static_cast<uint8_t>(kind));
  } else {
    pending_links_.push_back(
        {row, static_cast<uint8_t>(kind), std::string(case_ref)});
  }
}

void InteractionBlock::Add(absl::CivilDay day, absl::string_view directorate,
                           absl::string_view service, v1::InteractionKind kind,
                           absl::string_view case_ref,
                           std::optional<uint32_t> case_row) {
  const uint32_t row = static_cast<uint32_t>(day_.size());
  day_.push_back(DayNumber(day));
  cell_.push_back(cells_.Intern(directorate, service, cell_key_));
  if (case_ref.empty()) return;
  Link(row, kind, case_ref, case_row);
}

void InteractionBlock::Link(uint32_t row, v1::InteractionKind kind,
                            absl::string_view case_ref,
                            std::optional<uint32_t> case_row) {
  if (case_row) {
    linked_row_.push_back(row);
    linked_case_.push_back(static_cast<int32_t>(*case_row));
    linked_kind_.push_back(static_cast<uint8_t>(kind));
  } else {
    pending_.push_back(
        {row, static_cast<uint8_t>(kind), std::string(case_ref)});
  }
}

namespace {

// A link resolved after its row was added.
struct LateLink {
  uint32_t row;
  int32_t case_row;
  uint8_t kind;
};

// Merges `late` (ascending rows) into linked columns kept in row order.
void MergeLinks(const std::vector<LateLink>& late,
                std::vector<uint32_t>& linked_row,
                std::vector<int32_t>& linked_case,
                std::vector<uint8_t>& linked_kind) {
  if (late.empty()) return;
  const size_t n = linked_row.size() + late.size();
  std::vector<uint32_t> rows;
  std::vector<int32_t> cases;
  std::vector<uint8_t> kinds;
  rows.reserve(n);
  cases.reserve(n);
  kinds.reserve(n);
  size_t a = 0;
  auto keep_before = [&](uint64_t row) {
    for (; a < linked_row.size() && linked_row[a] < row; ++a) {
      rows.push_back(linked_row[a]);
      cases.push_back(linked_case[a]);
      kinds.push_back(linked_kind[a]);
    }
  };
  for (const LateLink& link : late) {
    keep_before(link.row);
    rows.push_back(link.row);
    cases.push_back(link.case_row);
    kinds.push_back(link.kind);
  }
  keep_before(UINT64_MAX);  // the rest
  linked_row = std::move(rows);
  linked_case = std::move(cases);
  linked_kind = std::move(kinds);
}

}  // namespace

void InteractionBlock::ResolvePending(
    const DatasetBuilder& builder,
    absl::FunctionRef<void(absl::string_view, std::optional<uint32_t>)> each) {
  if (pending_.empty()) return;
  std::vector<absl::string_view> refs;
  refs.reserve(pending_.size());
  for (const Pending& p : pending_) refs.push_back(p.case_ref);
  std::vector<std::optional<uint32_t>> found(refs.size());
  builder.FindCases(refs, absl::MakeSpan(found));
  std::vector<LateLink> late;
  std::vector<Pending> still_pending;
  for (size_t i = 0; i < pending_.size(); ++i) {
    Pending& p = pending_[i];
    each(p.case_ref, found[i]);
    if (found[i]) {
      late.push_back({p.row, static_cast<int32_t>(*found[i]), p.kind});
    } else {
      still_pending.push_back(std::move(p));
    }
  }
  MergeLinks(late, linked_row_, linked_case_, linked_kind_);
  pending_ = std::move(still_pending);
}

void InteractionBlock::Reserve(size_t rows) {
  day_.reserve(rows);
  cell_.reserve(rows);
}

void DatasetBuilder::AppendInteractions(InteractionBlock& block) {
  // The block's cells in the order its rows first named them: the order
  // AddInteraction would have met them in.
  std::vector<uint32_t> cell_of(block.cells_.size(), 0);
  for (uint32_t c = 1; c < block.cells_.size(); ++c) {
    cell_of[c] = data_.cells_.Intern(block.cells_.directorate(c),
                                     block.cells_.service(c), cell_key_);
  }
  InteractionTable& t = data_.interactions_;
  const uint32_t base = static_cast<uint32_t>(t.day.size());
  t.day.insert(t.day.end(), block.day_.begin(), block.day_.end());
  const size_t old_cells = t.cell.size();
  t.cell.resize(old_cells + block.cell_.size());
  uint32_t* out = t.cell.data() + old_cells;
  for (size_t i = 0; i < block.cell_.size(); ++i) {
    out[i] = cell_of[block.cell_[i]];
  }
  for (size_t i = 0; i < block.linked_row_.size(); ++i) {
    t.linked_row.push_back(base + block.linked_row_[i]);
  }
  t.linked_case.insert(t.linked_case.end(), block.linked_case_.begin(),
                       block.linked_case_.end());
  t.linked_kind.insert(t.linked_kind.end(), block.linked_kind_.begin(),
                       block.linked_kind_.end());
  for (InteractionBlock::Pending& p : block.pending_) {
    pending_links_.push_back({base + p.row, p.kind, std::move(p.case_ref)});
  }
  block = InteractionBlock();
}

void DatasetBuilder::Reserve(size_t cases, size_t interactions) {
  InteractionTable& t = data_.interactions_;
  t.day.reserve(interactions);
  t.cell.reserve(interactions);
  data_.cases_.ref.reserve(cases, 0);
  data_.case_rows_.Reserve(data_.cases_.ref, cases);
}

namespace {

template <typename T>
void Shrink(std::vector<T>& column) {
  column.shrink_to_fit();
}

void Shrink(EventColumn& column) {
  Shrink(column.day);
  Shrink(column.seen_from);
}

}  // namespace

const Dataset& DatasetBuilder::Peek() {
  ResolvePendingLinks();
  return data_;
}

void DatasetBuilder::ClearInteractions() {
  InteractionTable& t = data_.interactions_;
  // clear() keeps the capacity: the next chunk reuses the memory.
  t.day.clear();
  t.cell.clear();
  t.linked_row.clear();
  t.linked_case.clear();
  t.linked_kind.clear();
  pending_links_.clear();
}

void DatasetBuilder::ResolvePendingLinks() {
  InteractionTable& t = data_.interactions_;
  std::vector<LateLink> late;
  for (const PendingLink& p : pending_links_) {
    if (const auto found = data_.FindCase(p.case_ref)) {
      late.push_back({p.row, static_cast<int32_t>(*found), p.kind});
    } else {
      ++data_.unlinked_;
    }
  }
  MergeLinks(late, t.linked_row, t.linked_case, t.linked_kind);
  pending_links_.clear();
}

Dataset DatasetBuilder::Build() && {
  ResolvePendingLinks();
  InteractionTable& t = data_.interactions_;
  // The columns are final: give back what growth reserved, so that the
  // data set holds what ColumnBytes says.
  Shrink(t.day);
  Shrink(t.cell);
  Shrink(t.linked_row);
  Shrink(t.linked_case);
  Shrink(t.linked_kind);
  CaseTable& c = data_.cases_;
  for (EventColumn* e :
       {&c.received, &c.s1_acknowledged, &c.s1_extended_to, &c.s1_responded,
        &c.s2_requested, &c.s2_acknowledged, &c.s2_extended_to, &c.s2_responded,
        &c.withdrawn, &c.ombudsman_referred, &c.ombudsman_decided,
        &c.first_lesson}) {
    Shrink(*e);
  }
  c.ref.shrink_to_fit();
  Shrink(c.cell);
  Shrink(c.type);
  Shrink(c.s1_outcome);
  Shrink(c.s2_outcome);
  Shrink(c.ombudsman_body);
  Shrink(c.ombudsman_decision);
  Shrink(c.remedy_pence);
  return std::move(data_);
}

}  // namespace tellus
