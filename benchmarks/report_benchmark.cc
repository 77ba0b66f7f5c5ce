// The whole annual report from a data set in memory (every figure of
// METRICS.md, by directorate and service, monthly, five-year, top services)
// at 1.5 and 15 million interactions on 1 and 2 threads, against the floor:
// the time merely to read every column the report touches.
//
//   report_benchmark --benchmark_repetitions=5 (add
//       --benchmark_report_aggregates_only=true for medians only)
//
// The data sets are bench_data.h's (1.5 million interactions and 45
// thousand cases, and ten times that), imported once from CSV into the
// columnar Dataset before the timed loops. Results: benchmarks/RESULTS.md.
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "bench_data.h"
#include "benchmark/benchmark.h"
#include "column_floor.h"
#include "tellus/aggregate.h"
#include "tellus/dataset.h"
#include "tellus/import.h"
#include "tellus/report.h"

namespace tellus {
namespace {

// The data set of `interactions` rows, imported on first use and kept.
const Dataset* Data(int64_t interactions) {
  static auto* const cache = new std::map<int64_t, std::unique_ptr<Dataset>>;
  auto& slot = (*cache)[interactions];
  if (slot) return slot.get();
  std::string dir, error;
  if (!bench::EnsureBenchData(interactions, &dir, &error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return nullptr;
  }
  DatasetSink sink;
  Importer importer(sink, nullptr);
  if (!importer.ImportCases(dir + "/cases.csv").ok() ||
      !importer.ImportInteractions(dir + "/interactions.csv").ok()) {
    return nullptr;
  }
  slot = std::make_unique<Dataset>(std::move(sink).Build());
  return slot.get();
}

v1::ReportSettings Request() {
  v1::ReportSettings r;
  r.set_period("2023/24");
  r.set_as_of("2024-06-30");
  return r;
}

void SetCounters(benchmark::State& state, const Dataset& data) {
  state.counters["rows_per_second"] =
      benchmark::Counter(static_cast<double>(data.interactions().size()),
                         benchmark::Counter::kIsIterationInvariantRate);
  state.counters["column_bytes_per_interaction"] =
      static_cast<double>(data.ColumnBytes()) /
      static_cast<double>(data.interactions().size());
}

// The whole report: settings resolved, every row aggregated on `threads`
// threads, partials merged, the AnnualReport message built.
void BM_Report(benchmark::State& state) {
  const Dataset* data = Data(state.range(0));
  if (data == nullptr) return state.SkipWithError("cannot load the data");
  const int threads = static_cast<int>(state.range(1));
  const absl::Time now = absl::FromUnixSeconds(1735689600);  // 2025-01-01
  for (auto _ : state) {
    absl::StatusOr<v1::AnnualReport> report =
        BuildReport(*data, Request(), threads, now);
    if (!report.ok()) return state.SkipWithError("report failed");
    benchmark::DoNotOptimize(report->metrics_size());
  }
  SetCounters(state, *data);
}
BENCHMARK(BM_Report)
    ->ArgNames({"interactions", "threads"})
    ->ArgsProduct({{1'500'000, 15'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// The same, built on an arena (report.h), as the CLI and the C ABI build it:
// the message's thousands of small parts are allocated from the arena's
// blocks and freed with it at once.
void BM_ReportOnArena(benchmark::State& state) {
  const Dataset* data = Data(state.range(0));
  if (data == nullptr) return state.SkipWithError("cannot load the data");
  const int threads = static_cast<int>(state.range(1));
  const absl::Time now = absl::FromUnixSeconds(1735689600);  // 2025-01-01
  for (auto _ : state) {
    google::protobuf::Arena arena;
    absl::StatusOr<v1::AnnualReport*> report =
        BuildReport(*data, Request(), arena, threads, now);
    if (!report.ok()) return state.SkipWithError("report failed");
    benchmark::DoNotOptimize((*report)->metrics_size());
  }
  SetCounters(state, *data);
}
BENCHMARK(BM_ReportOnArena)
    ->ArgNames({"interactions", "threads"})
    ->ArgsProduct({{1'500'000, 15'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

double ThreadCpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// What two threads would take on two free cores: the CPU time of the
// slower of the two halves (each thread's own clock, over Aggregate's two
// phases) plus the serial part
// (settings, merge, the report message), timed manually. On a machine whose
// cores other work shares, the wall clock of BM_Report/threads:2 cannot
// show the speed-up; this does, as far as CPU time goes (it cannot show
// contention for memory bandwidth).
void BM_ReportTwoThreadsCriticalPath(benchmark::State& state) {
  const Dataset* data = Data(state.range(0));
  if (data == nullptr) return state.SkipWithError("cannot load the data");
  const absl::Time now = absl::FromUnixSeconds(1735689600);
  const size_t n_cases = data->cases().size();
  const size_t n_rows = data->interactions().size();
  for (auto _ : state) {
    double serial = ThreadCpuSeconds();
    absl::StatusOr<AggregationSettings> settings =
        ResolveSettings(Request(), now);
    if (!settings.ok()) return state.SkipWithError("bad settings");
    std::vector<PartialAggregate> parts(2, PartialAggregate(*settings));
    serial = ThreadCpuSeconds() - serial;
    std::vector<aggregate_internal::CaseTimeline> timelines(n_cases);
    // Chunks of rows to whichever thread asks next, as Aggregate hands
    // them out.
    std::atomic<size_t> next_chunk{0};
    auto next_rows = [&](size_t* begin, size_t* end) {
      constexpr size_t kChunkRows = size_t{1} << 16;
      const size_t from = next_chunk.fetch_add(1) * kChunkRows;
      if (from >= n_rows) return false;
      *begin = from;
      *end = std::min(n_rows, from + kChunkRows);
      return true;
    };
    // Aggregate's two phases: the cases and their timelines, then the
    // interactions; each thread's CPU time summed over both.
    double cpu[2] = {0, 0};
    for (int phase = 0; phase < 2; ++phase) {
      std::vector<std::thread> pool;
      for (int i = 0; i < 2; ++i) {
        pool.emplace_back([&, i, phase] {
          const double start = ThreadCpuSeconds();
          if (phase == 0) {
            const size_t begin = n_cases * i / 2, end = n_cases * (i + 1) / 2;
            parts[i].AddCases(*data, begin, end, absl::MakeSpan(timelines));
          } else {
            parts[i].AddInteractions(*data, next_rows, timelines);
          }
          cpu[i] += ThreadCpuSeconds() - start;
        });
      }
      for (std::thread& t : pool) t.join();
    }
    const double tail = ThreadCpuSeconds();
    if (!parts[0].Merge(parts[1]).ok()) return state.SkipWithError("merge");
    absl::StatusOr<v1::AnnualReport> report = BuildReport(parts[0], Request());
    if (!report.ok()) return state.SkipWithError("report failed");
    benchmark::DoNotOptimize(report->metrics_size());
    serial += ThreadCpuSeconds() - tail;
    state.SetIterationTime(std::max(cpu[0], cpu[1]) + serial);
  }
  SetCounters(state, *data);
}
BENCHMARK(BM_ReportTwoThreadsCriticalPath)
    ->ArgNames({"interactions"})
    ->Arg(1'500'000)
    ->Arg(15'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime();

// The report's parts, one at a time on one thread (1.5 and 15 million
// interactions): what ResolveSettings and a partial's day tables cost; the
// case kernel (AddCases, with the timelines, and the restrictions); the
// interaction kernel (AddInteractions, the timelines made beforehand); and
// the report message built from the merged partial (on an arena, as
// BM_ReportOnArena and the CLI build it).
enum Part { kSettings, kCases, kInteractions, kMessage };

void BM_ReportPart(benchmark::State& state) {
  const Dataset* data = Data(state.range(0));
  if (data == nullptr) return state.SkipWithError("cannot load the data");
  const Part part = static_cast<Part>(state.range(1));
  const absl::Time now = absl::FromUnixSeconds(1735689600);
  absl::StatusOr<AggregationSettings> settings =
      ResolveSettings(Request(), now);
  if (!settings.ok()) return state.SkipWithError("bad settings");
  std::vector<aggregate_internal::CaseTimeline> timelines(data->cases().size());
  PartialAggregate whole(*settings);
  whole.AddCases(*data, 0, data->cases().size(), absl::MakeSpan(timelines));
  whole.AddRestrictions(*data, 0, data->learning().restrictions.size());
  whole.AddInteractions(*data, 0, data->interactions().size(), timelines);
  for (auto _ : state) {
    switch (part) {
      case kSettings: {
        absl::StatusOr<AggregationSettings> s = ResolveSettings(Request(), now);
        PartialAggregate partial(*s);
        benchmark::DoNotOptimize(partial.cell_count());
        break;
      }
      case kCases: {
        PartialAggregate partial(*settings);
        partial.AddCases(*data, 0, data->cases().size(),
                         absl::MakeSpan(timelines));
        partial.AddRestrictions(*data, 0, data->learning().restrictions.size());
        benchmark::DoNotOptimize(partial.cell_count());
        break;
      }
      case kInteractions: {
        PartialAggregate partial(*settings);
        partial.AddInteractions(*data, 0, data->interactions().size(),
                                timelines);
        benchmark::DoNotOptimize(partial.cell_count());
        break;
      }
      case kMessage: {
        google::protobuf::Arena arena;
        absl::StatusOr<v1::AnnualReport*> report =
            BuildReport(whole, Request(), arena);
        if (!report.ok()) return state.SkipWithError("report failed");
        benchmark::DoNotOptimize((*report)->metrics_size());
        break;
      }
    }
  }
}
BENCHMARK(BM_ReportPart)
    ->ArgNames({"interactions", "part"})
    ->ArgsProduct({{1'500'000, 15'000'000},
                   {kSettings, kCases, kInteractions, kMessage}})
    ->Unit(benchmark::kMicrosecond);

// The floor: reading the columns the report touches, on `threads` threads.
void BM_ColumnReadFloor(benchmark::State& state) {
  const Dataset* data = Data(state.range(0));
  if (data == nullptr) return state.SkipWithError("cannot load the data");
  const int threads = static_cast<int>(state.range(1));
  for (auto _ : state) {
    benchmark::DoNotOptimize(bench::ReadReportColumns(*data, threads));
  }
  SetCounters(state, *data);
}
BENCHMARK(BM_ColumnReadFloor)
    ->ArgNames({"interactions", "threads"})
    ->ArgsProduct({{1'500'000, 15'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace
}  // namespace tellus

BENCHMARK_MAIN();
