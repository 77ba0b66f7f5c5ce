// CSV import end to end: an interactions.csv of 1.5 million rows read,
// every row validated as FORMATS.md says (UTF-8, field count, required
// values, date-time, enumerations, duplicate ids, case links) and added to
// the columnar Dataset, on one core.
//
//   import_benchmark --benchmark_repetitions=5 (add
//       --benchmark_report_aggregates_only=true for medians only)
//
// The files are bench_data.h's 1.5 million interactions and 45 thousand
// cases. The cases are imported first, untimed, so that interactions link
// to them as in a real import. Results: benchmarks/RESULTS.md.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "bench_data.h"
#include "benchmark/benchmark.h"
#include "tellus/dataset.h"
#include "tellus/import.h"

namespace tellus {
namespace {

constexpr int64_t kInteractions = 1'500'000;

const std::string* DataDir() {
  static const std::string* const dir = [] {
    std::string d, error;
    if (!bench::EnsureBenchData(kInteractions, &d, &error)) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return static_cast<std::string*>(nullptr);
    }
    return new std::string(d);
  }();
  return dir;
}

// The interactions file into a Dataset (the path `tellus report` takes).
void BM_ImportInteractionsToDataset(benchmark::State& state) {
  const std::string* dir = DataDir();
  if (dir == nullptr) return state.SkipWithError("cannot write the data");
  int64_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto sink = std::make_unique<DatasetSink>();
    Importer importer(*sink, nullptr);
    if (!importer.ImportCases(*dir + "/cases.csv").ok()) {
      return state.SkipWithError("cases import failed");
    }
    state.ResumeTiming();
    if (!importer.ImportInteractions(*dir + "/interactions.csv").ok()) {
      return state.SkipWithError("import failed");
    }
    Dataset data = std::move(*sink).Build();
    benchmark::DoNotOptimize(data.interactions().size());
    if (importer.summary().interactions.accepted != kInteractions) {
      return state.SkipWithError("rows were rejected");
    }
    rows += importer.summary().interactions.read;
    state.PauseTiming();
    // Freeing the data set is not part of the import.
    { Dataset discard = std::move(data); }
    sink.reset();
    state.ResumeTiming();
  }
  state.counters["rows_per_second"] = benchmark::Counter(
      static_cast<double>(rows), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ImportInteractionsToDataset)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Both files into a Dataset, as `tellus report --cases --interactions`
// loads them (rows: interactions and cases).
void BM_ImportBothFiles(benchmark::State& state) {
  const std::string* dir = DataDir();
  if (dir == nullptr) return state.SkipWithError("cannot write the data");
  int64_t rows = 0;
  for (auto _ : state) {
    DatasetSink sink;
    Importer importer(sink, nullptr);
    if (!importer.ImportCases(*dir + "/cases.csv").ok() ||
        !importer.ImportInteractions(*dir + "/interactions.csv").ok()) {
      return state.SkipWithError("import failed");
    }
    Dataset data = std::move(sink).Build();
    benchmark::DoNotOptimize(data.interactions().size());
    rows +=
        importer.summary().interactions.read + importer.summary().cases.read;
  }
  state.counters["rows_per_second"] = benchmark::Counter(
      static_cast<double>(rows), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ImportBothFiles)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tellus

BENCHMARK_MAIN();
