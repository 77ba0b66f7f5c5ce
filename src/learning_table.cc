#include "tellus/learning_table.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "tellus/dataset.h"
#include "tellus/dates.h"
#include "tellus/lesson_actions.h"
#include "tellus/restriction.h"
#include "tellus/status_macros.h"

namespace tellus {
namespace {

int32_t DayOrNone(const v1::Date& d, bool present) {
  return present ? DayNumber(FromProto(d)) : kNoDay;
}

}  // namespace

void LearningTable::AddCase(const v1::Case& c) {
  if (HasActionsDone(c)) {
    // FoldCase has checked the events, so this cannot fail.
    absl::StatusOr<v1::Case> folded = WithActionsDone(c);
    if (folded.ok()) return AddRecords(*folded);
  }
  AddRecords(c);
}

void LearningTable::AddRecords(const v1::Case& c) {
  uint8_t remedy_kinds_of_case = 0;
  for (const v1::Event& e : c.events()) {
    switch (e.kind_case()) {
      case v1::Event::kLessonLearnt: {
        // FoldCase checked the date and every action.
        const EventTime when = *FromProto(e.when());
        const v1::LessonLearnt& lesson = e.lesson_learnt();
        lessons.case_row.push_back(
            static_cast<uint32_t>(lessons_of_case.size() - 1));
        lessons.directorate.push_back(lesson.directorate().empty()
                                          ? c.directorate()
                                          : lesson.directorate());
        lessons.theme.push_back(lesson.theme());
        lessons.day.push_back(DayNumber(when.date));
        lessons.seen_from.push_back(absl::ToUnixSeconds(when.SeenFrom()));
        const uint32_t lesson_row = static_cast<uint32_t>(lessons.size() - 1);
        for (const v1::LessonAction& a : lesson.actions()) {
          actions.lesson.push_back(lesson_row);
          actions.target.push_back(DayNumber(FromProto(a.target())));
          actions.done.push_back(DayOrNone(a.done(), a.has_done()));
        }
        break;
      }
      case v1::Event::kOmbudsmanDecided:
        for (const v1::OmbudsmanRecommendation& r :
             e.ombudsman_decided().recommendations()) {
          recommendations.case_row.push_back(
              static_cast<uint32_t>(lessons_of_case.size() - 1));
          recommendations.due.push_back(DayNumber(FromProto(r.due())));
          recommendations.complied.push_back(
              DayOrNone(r.complied(), r.has_complied()));
        }
        break;
      case v1::Event::kRemedy:
        for (int k : e.remedy().non_financial()) {
          remedy_kinds_of_case |= static_cast<uint8_t>(1u << k);
        }
        break;
      default:
        break;
    }
  }
  lessons_of_case.push_back(static_cast<uint32_t>(lessons.size()));
  actions_of_case.push_back(static_cast<uint32_t>(actions.size()));
  recommendations_of_case.push_back(
      static_cast<uint32_t>(recommendations.size()));
  remedy_kinds.push_back(remedy_kinds_of_case);
  compliment_route.push_back(static_cast<uint8_t>(c.compliment_route()));
  for (const std::string& v : c.council_values()) council_values.push_back(v);
  values_of_case.push_back(static_cast<uint32_t>(council_values.size()));
}

absl::Status LearningTable::AddRestriction(const v1::Restriction& r) {
  TELLUS_RETURN_IF_ERROR(ValidateRestriction(r));
  if (!restriction_ids_.insert(r.id()).second) {
    return absl::AlreadyExistsError(
        absl::StrCat("restriction ", r.id(), ": the id is already used"));
  }
  restrictions.push_back(r);
  return absl::OkStatus();
}

}  // namespace tellus
