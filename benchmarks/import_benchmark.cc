// CSV import end to end: an interactions.csv of 1.5 or 15 million rows
// read, every row validated as FORMATS.md says (UTF-8, field count,
// required values, date-time, enumerations, duplicate ids, case links) and
// added to the columnar Dataset, on one thread or two
// (ImportOptions::threads).
//
//   import_benchmark --benchmark_repetitions=5 (add
//       --benchmark_report_aggregates_only=true for medians only)
//
// Arguments: interactions, threads. The files are bench_data.h's (1.5
// million interactions and 45 thousand cases, or ten times that). The cases
// are imported first, untimed in BM_ImportInteractionsToDataset, so that
// interactions link to them as in a real import. Each run also reports its
// process CPU time (cpu_ms, a counter averaged over the iterations): the
// machine may be shared. Results: benchmarks/RESULTS.md.
#include <time.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "bench_data.h"
#include "benchmark/benchmark.h"
#include "tellus/dataset.h"
#include "tellus/import.h"

namespace tellus {
namespace {

// The data set of `interactions` rows, written on first use; null when it
// cannot be.
const std::string* DataDir(int64_t interactions) {
  static auto* const dirs = new std::map<int64_t, std::string>;
  auto it = dirs->find(interactions);
  if (it == dirs->end()) {
    std::string d, error;
    if (!bench::EnsureBenchData(interactions, &d, &error)) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return nullptr;
    }
    it = dirs->emplace(interactions, d).first;
  }
  return &it->second;
}

double CpuMs() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

// The interactions file into a Dataset (the path `tellus report` takes).
void BM_ImportInteractionsToDataset(benchmark::State& state) {
  const int64_t interactions = state.range(0);
  const std::string* dir = DataDir(interactions);
  if (dir == nullptr) return state.SkipWithError("cannot write the data");
  ImportOptions options;
  options.threads = static_cast<int>(state.range(1));
  int64_t rows = 0;
  double cpu_ms = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto sink = std::make_unique<DatasetSink>();
    Importer importer(*sink, nullptr, options);
    if (!importer.ImportCases(*dir + "/cases.csv").ok()) {
      return state.SkipWithError("cases import failed");
    }
    const double cpu = CpuMs();
    state.ResumeTiming();
    if (!importer.ImportInteractions(*dir + "/interactions.csv").ok()) {
      return state.SkipWithError("import failed");
    }
    Dataset data = std::move(*sink).Build();
    benchmark::DoNotOptimize(data.interactions().size());
    if (importer.summary().interactions.accepted != interactions) {
      return state.SkipWithError("rows were rejected");
    }
    rows += importer.summary().interactions.read;
    state.PauseTiming();
    cpu_ms += CpuMs() - cpu;
    // Freeing the data set is not part of the import.
    { Dataset discard = std::move(data); }
    sink.reset();
    state.ResumeTiming();
  }
  state.counters["rows_per_second"] = benchmark::Counter(
      static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.counters["cpu_ms"] =
      benchmark::Counter(cpu_ms, benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_ImportInteractionsToDataset)
    ->ArgNames({"interactions", "threads"})
    ->ArgsProduct({{1'500'000, 15'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The cases file alone into a Dataset (45 or 450 thousand cases: each
// parsed into a message and folded by the case state machine).
void BM_ImportCasesToDataset(benchmark::State& state) {
  const std::string* dir = DataDir(state.range(0));
  if (dir == nullptr) return state.SkipWithError("cannot write the data");
  ImportOptions options;
  options.threads = static_cast<int>(state.range(1));
  int64_t rows = 0;
  double cpu_ms = 0;
  for (auto _ : state) {
    const double cpu = CpuMs();
    auto sink = std::make_unique<DatasetSink>();
    Importer importer(*sink, nullptr, options);
    if (!importer.ImportCases(*dir + "/cases.csv").ok()) {
      return state.SkipWithError("import failed");
    }
    Dataset data = std::move(*sink).Build();
    benchmark::DoNotOptimize(data.cases().size());
    rows += importer.summary().cases.read;
    state.PauseTiming();
    cpu_ms += CpuMs() - cpu;
    { Dataset discard = std::move(data); }
    sink.reset();
    state.ResumeTiming();
  }
  state.counters["rows_per_second"] = benchmark::Counter(
      static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.counters["cpu_ms"] =
      benchmark::Counter(cpu_ms, benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_ImportCasesToDataset)
    ->ArgNames({"interactions", "threads"})
    ->ArgsProduct({{1'500'000, 15'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Both files into a Dataset, as `tellus report --cases --interactions`
// loads them (rows: interactions and cases).
void BM_ImportBothFiles(benchmark::State& state) {
  const std::string* dir = DataDir(state.range(0));
  if (dir == nullptr) return state.SkipWithError("cannot write the data");
  ImportOptions options;
  options.threads = static_cast<int>(state.range(1));
  int64_t rows = 0;
  const double cpu = CpuMs();
  for (auto _ : state) {
    DatasetSink sink;
    Importer importer(sink, nullptr, options);
    // As `tellus report` loads them: in one call, so that on two threads
    // the cases are read while part of the interactions is.
    if (!importer
             .ImportCasesAndInteractions(*dir + "/cases.csv",
                                         *dir + "/interactions.csv")
             .ok()) {
      return state.SkipWithError("import failed");
    }
    Dataset data = std::move(sink).Build();
    benchmark::DoNotOptimize(data.interactions().size());
    rows +=
        importer.summary().interactions.read + importer.summary().cases.read;
  }
  state.counters["rows_per_second"] = benchmark::Counter(
      static_cast<double>(rows), benchmark::Counter::kIsRate);
  // Freeing the data sets included, as the timing does.
  state.counters["cpu_ms"] =
      benchmark::Counter(CpuMs() - cpu, benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_ImportBothFiles)
    ->ArgNames({"interactions", "threads"})
    ->ArgsProduct({{1'500'000, 15'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace tellus

BENCHMARK_MAIN();
