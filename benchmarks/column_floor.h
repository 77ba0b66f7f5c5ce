// The floor of the report's speed: the time merely to read every column the
// report's kernels touch, summed so that nothing is optimised away. Shared by
// report_benchmark (BM_ColumnReadFloor) and tellus_bench_driver (--floor,
// which benchmarks/compare times beside the report).
//
//   uint64_t sum = tellus::bench::ReadReportColumns(data, /*threads=*/2);
#ifndef TELLUS_BENCHMARKS_COLUMN_FLOOR_H_
#define TELLUS_BENCHMARKS_COLUMN_FLOOR_H_

#include <cstddef>
#include <cstdint>

#include "tellus/dataset.h"

namespace tellus::bench {

// Reads slice `part` of `parts` of every column the report reads (the cases',
// the interactions' days and cells, and the links), as the report's threads
// share the rows.
uint64_t ReadReportColumnsPart(const Dataset& data, size_t part, size_t parts);

// The same, every slice at once on `threads` threads, the caller's one of
// them (as Aggregate shares the report's rows).
uint64_t ReadReportColumns(const Dataset& data, int threads);

}  // namespace tellus::bench

#endif  // TELLUS_BENCHMARKS_COLUMN_FLOOR_H_
