// The learning records of a data set, beside its CaseTable: Lessons Learnt
// records and their actions, Ombudsman recommendations, non-financial
// remedies, compliments' routes and council values, and the contact
// restrictions (which are not cases). Filled by DatasetBuilder; read by the
// learning figures (learning.h).
//
//   const tellus::LearningTable& t = dataset.learning();
//   for (uint32_t l = t.lessons_of_case[row]; l < t.lessons_of_case[row + 1];
//        ++l) {
//     t.lessons.theme[l];  ...
//   }
//
// Rows of the per-case lists are grouped by case row, in case row order:
// the records of case row r are [offsets[r], offsets[r + 1]), so a partial
// over case rows [begin, end) reads exactly its own records.
#ifndef TELLUS_LEARNING_TABLE_H_
#define TELLUS_LEARNING_TABLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "tellus/v1/case.pb.h"
#include "tellus/v1/restriction.pb.h"

namespace tellus {

struct LessonRows {
  std::vector<uint32_t> case_row;
  std::vector<std::string> directorate;  // the lesson's (default: the case's)
  std::vector<std::string> theme;
  std::vector<int32_t> day;        // London date it was recorded
  std::vector<int64_t> seen_from;  // unix second from which it is seen
  size_t size() const { return case_row.size(); }
};

struct ActionRows {
  std::vector<uint32_t> lesson;  // row in LessonRows
  std::vector<int32_t> target;   // day number
  std::vector<int32_t> done;     // day number, or kNoDay while open
  size_t size() const { return lesson.size(); }
};

struct RecommendationRows {
  std::vector<uint32_t> case_row;
  std::vector<int32_t> due;       // day number
  std::vector<int32_t> complied;  // day number, or kNoDay
  size_t size() const { return case_row.size(); }
};

struct LearningTable {
  LessonRows lessons;
  ActionRows actions;
  RecommendationRows recommendations;
  // Per case row, size cases + 1 once a case is added.
  std::vector<uint32_t> lessons_of_case{0};
  std::vector<uint32_t> actions_of_case{0};
  std::vector<uint32_t> recommendations_of_case{0};
  std::vector<uint32_t> values_of_case{0};
  std::vector<uint8_t> remedy_kinds;          // bit k: v1::RemedyKind k agreed
  std::vector<uint8_t> compliment_route;      // v1::ComplimentRoute
  std::vector<std::string> council_values;    // of compliments, grouped by case
  std::vector<v1::Restriction> restrictions;  // validated, ids unique

  // Adds the records of the next case row; `c` has passed FoldCase. Actions
  // marked done by later events (lesson_actions.h) are read as done then.
  void AddCase(const v1::Case& c);
  // Validates (ValidateRestriction) and adds; fails on an id already added.
  absl::Status AddRestriction(const v1::Restriction& r);

 private:
  void AddRecords(const v1::Case& c);
  absl::flat_hash_set<std::string> restriction_ids_;
};

}  // namespace tellus

#endif  // TELLUS_LEARNING_TABLE_H_
