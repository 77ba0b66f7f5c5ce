// Benchmark data: deterministic cases.csv and interactions.csv of any size,
// in the columns of FORMATS.md, for the benchmarks, the make_data program
// and benchmarks/compare.
//
//   tellus::bench::BenchDataOptions options;
//   options.interactions = 15'000'000;  // and 450 thousand cases
//   std::string error;
//   if (!tellus::bench::WriteBenchData(options, "data/15m", &error)) ...
//
// The shape is a metropolitan council's: 3 cases per 100 interactions by
// default (45 thousand for 1.5 million), complaints, compliments and
// enquiries received from April 2019 to September 2024 with stage 1 and 2
// histories that FORMATS.md's state machine accepts, Ombudsman referrals,
// lessons and remedies; interactions from April 2022 to September 2024 in
// time order, a share of them follow-ups linked to cases and a few naming
// unknown references. Some events fall after 2024-06-30, the as-of date the
// benchmarks report at, so that the as-of rule matters. Every row is valid:
// the import rejects none.
//
// Dates are ISO (YYYY-MM-DD; receipt and contacts as YYYY-MM-DDTHH:MM:SS,
// London local time), so that SQL peers can read them as they are. Rows come
// from a small PRNG and integer arithmetic only, so a seed gives the same
// bytes everywhere; generation streams, so 150 million rows need only the
// cases in memory.
#ifndef TELLUS_BENCHMARKS_BENCH_DATA_H_
#define TELLUS_BENCHMARKS_BENCH_DATA_H_

#include <cstdint>
#include <string>

namespace tellus::bench {

struct BenchDataOptions {
  int64_t interactions = 1'500'000;
  int64_t cases = -1;  // -1: 3 per 100 interactions
  uint64_t seed = 20240331;
};

// Writes `dir`/cases.csv and `dir`/interactions.csv into an existing
// directory. On failure returns false and says why in `error`.
bool WriteBenchData(const BenchDataOptions& options, const std::string& dir,
                    std::string* error);

// Where the benchmarks keep the data set of `interactions` rows:
// $TMPDIR (or /tmp) /tellus_bench_data_v1_<interactions>.
std::string BenchDataDir(int64_t interactions);

// Sets `dir` to BenchDataDir(interactions), writing the data set there
// first if it is not there yet.
bool EnsureBenchData(int64_t interactions, std::string* dir,
                     std::string* error);

}  // namespace tellus::bench

#endif  // TELLUS_BENCHMARKS_BENCH_DATA_H_
