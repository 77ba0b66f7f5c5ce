#include "tellus/lesson_actions.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tellus/case.h"
#include "tellus/dates.h"

namespace tellus {

bool HasActionsDone(const v1::Case& c) {
  for (const v1::Event& e : c.events()) {
    if (e.has_lesson_action_done()) return true;
  }
  return false;
}

absl::StatusOr<v1::Case> WithActionsDone(const v1::Case& c) {
  v1::Case out = c;
  // The lessons in the order of the case's events: their numbers.
  std::vector<v1::Event*> lessons;
  for (v1::Event& e : *out.mutable_events()) {
    if (e.has_lesson_learnt()) lessons.push_back(&e);
  }
  for (const v1::Event& e : c.events()) {
    if (!e.has_lesson_action_done()) continue;
    const v1::LessonActionDone& done = e.lesson_action_done();
    auto fail = [&](absl::string_view on, absl::string_view rule) {
      return absl::InvalidArgumentError(
          absl::StrCat("case ", c.ref(), ": ", EventName(e), on, " ", rule));
    };
    if (!e.has_when()) return fail("", "has no date");
    absl::StatusOr<EventTime> when = FromProto(e.when());
    if (!when.ok()) return fail("", when.status().message());
    const std::string on = absl::StrCat(" on ", FormatDate(when->date));
    if (done.lesson() < 1 || done.lesson() > static_cast<int>(lessons.size())) {
      return fail(
          on, absl::StrCat("names Lessons Learnt record ", done.lesson(),
                           ", but the case has ",
                           lessons.size() == 0 ? std::string("none")
                                               : absl::StrCat(lessons.size())));
    }
    v1::Event& lesson_event = *lessons[done.lesson() - 1];
    v1::LessonLearnt& lesson = *lesson_event.mutable_lesson_learnt();
    // FoldCase has checked the lesson's date before it gets here; a case
    // read without it may still hold garbage.
    absl::StatusOr<EventTime> recorded = FromProto(lesson_event.when());
    if (!recorded.ok()) {
      return fail(on, absl::StrCat("names Lessons Learnt record ",
                                   done.lesson(), ", which has no valid date"));
    }
    const std::string lesson_words =
        absl::StrCat("Lessons Learnt record ", done.lesson(), " (on ",
                     FormatDate(recorded->date), ")");
    if (done.action() < 1 || done.action() > lesson.actions_size()) {
      return fail(
          on, absl::StrCat("names action ", done.action(), ", but ",
                           lesson_words, " has ", lesson.actions_size(),
                           " action", lesson.actions_size() == 1 ? "" : "s"));
    }
    if (when->date < recorded->date) {
      return fail(on, absl::StrCat("precedes the lesson on ",
                                   FormatDate(recorded->date)));
    }
    v1::LessonAction& action = *lesson.mutable_actions(done.action() - 1);
    if (action.has_done()) {
      return fail(on, absl::StrCat("marks action ", done.action(), " (",
                                   action.description(), ") of ", lesson_words,
                                   " done again: it was done on ",
                                   FormatDate(FromProto(action.done()))));
    }
    *action.mutable_done() = ToProto(when->date);
  }
  return out;
}

}  // namespace tellus
