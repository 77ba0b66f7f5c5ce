// RETURN_IF_ERROR and ASSIGN_OR_RETURN for absl::Status code.
//
//   absl::StatusOr<Report> Build(const Input& in) {
//     TELLUS_RETURN_IF_ERROR(Validate(in));
//     TELLUS_ASSIGN_OR_RETURN(Table table, MakeTable(in));
//     return Aggregate(table);
//   }
//
// Debian's Abseil 20220623 ships absl::Status but not these macros.
#ifndef TELLUS_STATUS_MACROS_H_
#define TELLUS_STATUS_MACROS_H_

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define TELLUS_RETURN_IF_ERROR(expr)                \
  do {                                              \
    const ::absl::Status tellus_status_ = (expr);   \
    if (ABSL_PREDICT_FALSE(!tellus_status_.ok())) { \
      return tellus_status_;                        \
    }                                               \
  } while (false)

#define TELLUS_STATUS_CONCAT_INNER_(a, b) a##b
#define TELLUS_STATUS_CONCAT_(a, b) TELLUS_STATUS_CONCAT_INNER_(a, b)

#define TELLUS_ASSIGN_OR_RETURN(lhs, expr) \
  TELLUS_ASSIGN_OR_RETURN_IMPL_(           \
      TELLUS_STATUS_CONCAT_(tellus_statusor_, __LINE__), lhs, expr)

#define TELLUS_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                  \
  if (ABSL_PREDICT_FALSE(!statusor.ok())) {                \
    return std::move(statusor).status();                   \
  }                                                        \
  lhs = *std::move(statusor)

#endif  // TELLUS_STATUS_MACROS_H_
