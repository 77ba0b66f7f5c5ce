#include "tellus/learning_partial.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "tellus/dates.h"
#include "tellus/learning_rules.h"
#include "tellus/restriction.h"

namespace tellus {
namespace {

absl::string_view CaseTypeKey(uint8_t type) {
  switch (type) {
    case v1::CASE_TYPE_COMPLAINT:
      return "complaint";
    case v1::CASE_TYPE_COMPLIMENT:
      return "compliment";
    case v1::CASE_TYPE_ENQUIRY:
      return "enquiry";
    default:
      return "unknown";
  }
}

}  // namespace

LearningWindow::LearningWindow(const Period& p, absl::Time t)
    : period(p), previous(p.Previous()), as_of(t), as_of_day(LondonDate(t)) {
  first_[0] = DayNumber(period.start);
  last_[0] = DayNumber(period.end);
  first_[1] = DayNumber(previous.start);
  last_[1] = DayNumber(previous.end);
}

void LearningPartial::Add(absl::string_view key, absl::string_view directorate,
                          int period, int64_t n) {
  counts_[{std::string(key), std::string(directorate)}][period] += n;
}

namespace {

// The figures a case row adds to, before their keys are spelled out.
enum class Figure : uint8_t {
  kLessonsRecorded,
  kTheme,  // name: the theme; type: the case's
  kActionsOverdue,
  kComplimentsRoute,  // name: the route's key
  kValue,             // name: the council value
  kRemedy,            // name: the remedy kind's key
  kRecommendationsDue,
  kRecommendationsCompliedOnTime,
  kRecommendationsOverdue,
};

// A counter of one call, keyed by views into the Dataset (which outlives
// the call), so counting a record costs a hash probe, not the allocation
// and string building of the key; the keys are spelled once per call.
struct LocalKey {
  Figure figure;
  uint8_t type;
  absl::string_view name;
  absl::string_view directorate;

  friend bool operator==(const LocalKey&, const LocalKey&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const LocalKey& k) {
    return H::combine(std::move(h), k.figure, k.type, k.name, k.directorate);
  }
};

std::string KeyOf(const LocalKey& k) {
  switch (k.figure) {
    case Figure::kLessonsRecorded:
      return "lessons_recorded";
    case Figure::kTheme:
      return absl::StrCat("theme:", CaseTypeKey(k.type), ":", k.name);
    case Figure::kActionsOverdue:
      return "lessons_actions_overdue";
    case Figure::kComplimentsRoute:
      return absl::StrCat("compliments_route_", k.name);
    case Figure::kValue:
      return absl::StrCat("value:", k.name);
    case Figure::kRemedy:
      return absl::StrCat("remedies_", k.name);
    case Figure::kRecommendationsDue:
      return "ombudsman_recommendations_due";
    case Figure::kRecommendationsCompliedOnTime:
      return "ombudsman_recommendations_complied_on_time";
    case Figure::kRecommendationsOverdue:
      return "ombudsman_recommendations_overdue";
  }
  return "unknown";
}

}  // namespace

void LearningPartial::AddCases(const Dataset& data, const LearningWindow& w,
                               size_t begin, size_t end) {
  const CaseTable& t = data.cases();
  const LearningTable& l = data.learning();
  const int64_t as_of = absl::ToUnixSeconds(w.as_of);
  const int32_t as_of_day = DayNumber(w.as_of_day);
  absl::flat_hash_map<LocalKey, std::array<int64_t, 2>> local;
  auto add = [&](Figure figure, absl::string_view name,
                 absl::string_view directorate, int period, uint8_t type = 0) {
    ++local[LocalKey{figure, type, name, directorate}][period];
  };
  auto seen_day = [&](const EventColumn& col, size_t r) {
    return col.SeenDay(r, as_of_day, as_of);
  };
  // The commonest records counted in arrays by the data set's cell, and
  // added to `local` once per cell at the end: a probe of `local` (hashing
  // two names) cost more than the rest of a row. Compliments by cell and
  // route; lessons with no theme, of the case's own directorate (as every
  // lesson of a CSV export is), by cell and case type.
  const size_t n_cells = data.cells().size();
  constexpr size_t kRoutes = v1::ComplimentRoute_ARRAYSIZE;
  constexpr size_t kTypes = v1::CaseType_ARRAYSIZE;
  std::vector<std::array<int64_t, 2>> by_route(n_cells * kRoutes);
  std::vector<std::array<int64_t, 2>> plain_lessons(n_cells * kTypes);

  // A case's records count once the case is received at T.
  auto received = [&](size_t r) { return seen_day(t.received, r) != kNoDay; };
  auto directorate_of = [&](size_t r) -> const std::string& {
    return data.cells().directorate(t.cell[r]);
  };

  // Lessons, actions and recommendations are grouped by case, so those of
  // cases [begin, end) are one run of rows each: a loop over the records
  // rather than over every case, most of which have none.
  for (uint32_t li = l.lessons_of_case[begin]; li < l.lessons_of_case[end];
       ++li) {
    const uint32_t r = l.lessons.case_row[li];
    if (!received(r) || l.lessons.seen_from[li] > as_of) continue;
    const int p = w.PeriodOf(l.lessons.day[li]);
    if (p < 0) continue;
    const uint8_t type = t.type[r];
    if (l.lessons.theme[li].empty() && type < kTypes &&
        l.lessons.directorate[li] == directorate_of(r)) {
      ++plain_lessons[t.cell[r] * kTypes + type][p];
      continue;
    }
    add(Figure::kLessonsRecorded, {}, l.lessons.directorate[li], p);
    add(Figure::kTheme, l.lessons.theme[li], l.lessons.directorate[li], p,
        type);
  }
  // At T, for both periods' columns (one T per report).
  for (uint32_t ai = l.actions_of_case[begin]; ai < l.actions_of_case[end];
       ++ai) {
    const uint32_t li = l.actions.lesson[ai];
    const int32_t done = l.actions.done[ai];
    if (received(l.lessons.case_row[li]) && l.lessons.seen_from[li] <= as_of &&
        l.actions.target[ai] < as_of_day &&
        (done == kNoDay || done > as_of_day)) {
      add(Figure::kActionsOverdue, {}, l.lessons.directorate[li], 0);
      add(Figure::kActionsOverdue, {}, l.lessons.directorate[li], 1);
    }
  }
  // Of complaints with an Ombudsman decision seen at T.
  for (uint32_t ri = l.recommendations_of_case[begin];
       ri < l.recommendations_of_case[end]; ++ri) {
    const uint32_t r = l.recommendations.case_row[ri];
    if (!received(r) || t.type[r] != v1::CASE_TYPE_COMPLAINT ||
        seen_day(t.ombudsman_decided, r) == kNoDay) {
      continue;
    }
    const std::string& directorate = directorate_of(r);
    const int32_t due = l.recommendations.due[ri];
    const int32_t complied = l.recommendations.complied[ri];
    if (const int p = w.PeriodOf(due); p >= 0) {
      add(Figure::kRecommendationsDue, {}, directorate, p);
      if (complied != kNoDay && complied <= due && complied <= as_of_day) {
        add(Figure::kRecommendationsCompliedOnTime, {}, directorate, p);
      }
    }
    if (due < as_of_day && (complied == kNoDay || complied > as_of_day)) {
      add(Figure::kRecommendationsOverdue, {}, directorate, 0);
      add(Figure::kRecommendationsOverdue, {}, directorate, 1);
    }
  }

  for (size_t r = begin; r < end; ++r) {
    const uint8_t type = t.type[r];
    if (type == v1::CASE_TYPE_COMPLIMENT) {
      // A compliment received in P or before it: seen at T.
      const int p = w.PeriodOf(seen_day(t.received, r));
      if (p < 0) continue;
      const uint8_t route = l.compliment_route[r];
      if (route < kRoutes) {
        ++by_route[t.cell[r] * kRoutes + route][p];
      } else {
        add(Figure::kComplimentsRoute,
            ComplimentRouteKey(static_cast<v1::ComplimentRoute>(route)),
            directorate_of(r), p);
      }
      for (uint32_t v = l.values_of_case[r]; v < l.values_of_case[r + 1]; ++v) {
        add(Figure::kValue, l.council_values[v], directorate_of(r), p);
      }
      continue;
    }
    // Non-financial remedies go with the final internal response, as
    // remedy_pence does; never for a withdrawn complaint.
    if (l.remedy_kinds[r] == 0 || type != v1::CASE_TYPE_COMPLAINT ||
        !received(r) || seen_day(t.withdrawn, r) != kNoDay) {
      continue;
    }
    const int32_t escalated = seen_day(t.s2_requested, r);
    const int32_t final_response = escalated != kNoDay
                                       ? seen_day(t.s2_responded, r)
                                       : seen_day(t.s1_responded, r);
    if (const int p = w.PeriodOf(final_response); p >= 0) {
      for (int k = v1::REMEDY_KIND_APOLOGY; k <= v1::REMEDY_KIND_OTHER; ++k) {
        if (l.remedy_kinds[r] & (1u << k)) {
          add(Figure::kRemedy, RemedyKindKey(static_cast<v1::RemedyKind>(k)),
              directorate_of(r), p);
        }
      }
    }
  }
  for (size_t i = 0; i < plain_lessons.size(); ++i) {
    for (int p = 0; p < 2; ++p) {
      if (plain_lessons[i][p] == 0) continue;
      const std::string& directorate = data.cells().directorate(i / kTypes);
      const auto type = static_cast<uint8_t>(i % kTypes);
      local[LocalKey{Figure::kLessonsRecorded, 0, {}, directorate}][p] +=
          plain_lessons[i][p];
      local[LocalKey{Figure::kTheme, type, {}, directorate}][p] +=
          plain_lessons[i][p];
    }
  }
  for (size_t i = 0; i < by_route.size(); ++i) {
    for (int p = 0; p < 2; ++p) {
      if (by_route[i][p] == 0) continue;
      const auto route = static_cast<v1::ComplimentRoute>(i % kRoutes);
      local[LocalKey{Figure::kComplimentsRoute, 0, ComplimentRouteKey(route),
                     data.cells().directorate(i / kRoutes)}][p] +=
          by_route[i][p];
    }
  }
  for (const auto& [key, values] : local) {
    auto& counts = counts_[{KeyOf(key), std::string(key.directorate)}];
    counts[0] += values[0];
    counts[1] += values[1];
  }
}

void LearningPartial::AddRestrictions(const Dataset& data,
                                      const LearningWindow& w, size_t begin,
                                      size_t end) {
  const auto& all = data.learning().restrictions;
  for (size_t i = begin; i < end; ++i) {
    const v1::Restriction& r = all[i];
    // Whole-council restrictions name no directorate: totals only.
    const std::string& directorate = r.directorate();
    if (InForceOn(r, w.period.end)) Add("restrictions_active", directorate, 0);
    if (InForceOn(r, w.previous.end)) {
      Add("restrictions_active", directorate, 1);
    }
    // At T, for both periods' columns (one T per report).
    if (ReviewOverdueOn(r, w.as_of_day)) {
      Add("restriction_reviews_overdue", directorate, 0);
      Add("restriction_reviews_overdue", directorate, 1);
    }
  }
}

void LearningPartial::Merge(const LearningPartial& other) {
  for (const auto& [key, values] : other.counts_) {
    auto& mine = counts_[key];
    mine[0] += values[0];
    mine[1] += values[1];
  }
}

int64_t LearningPartial::Total(absl::string_view key, int period) const {
  int64_t total = 0;
  for (auto it = counts_.lower_bound({std::string(key), std::string()});
       it != counts_.end() && it->first.first == key; ++it) {
    total += it->second[period];
  }
  return total;
}

int64_t LearningPartial::Get(absl::string_view key,
                             absl::string_view directorate, int period) const {
  auto it = counts_.find({std::string(key), std::string(directorate)});
  return it == counts_.end() ? 0 : it->second[period];
}

v1::LearningPartial LearningPartial::ToProto() const {
  v1::LearningPartial out;
  for (const auto& [key, values] : counts_) {
    v1::LearningCount& c = *out.add_counts();
    c.set_key(key.first);
    c.set_directorate(key.second);
    c.set_current(values[0]);
    c.set_previous(values[1]);
  }
  return out;
}

absl::StatusOr<LearningPartial> LearningPartial::FromProto(
    const v1::LearningPartial& proto) {
  LearningPartial out;
  for (const v1::LearningCount& c : proto.counts()) {
    auto [it, inserted] = out.counts_.try_emplace(
        {c.key(), c.directorate()},
        std::array<int64_t, 2>{c.current(), c.previous()});
    if (!inserted) {
      return absl::InvalidArgumentError(
          absl::StrCat("partial aggregate: learning counter '", c.key(),
                       "' of '", c.directorate(), "' is listed twice"));
    }
  }
  return out;
}

}  // namespace tellus
