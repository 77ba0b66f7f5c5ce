// The store at the scale of a large council's year: 2023/24 of the
// synthetic sandwell-2023-24 data set (about 17 thousand cases and 1.5
// million interactions) imported from CSV into a new store, imported again
// (everything already present), loaded into a Dataset, and single events
// appended one transaction at a time.
//
//   build/release/benchmarks/store_benchmark --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true  (one command line)
//
// The data set is generated once into the system's temporary directory
// (or TELLUS_BENCHMARK_DATA, a folder reused between runs), and the year is
// cut from it: cases received and interactions dated from 2023-04-01 to
// 2024-03-31. Stores are written beside it and removed afterwards.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "tellus/csv_reader.h"
#include "tellus/generator.h"
#include "tellus/report.h"
#include "tellus/store.h"

namespace tellus {
namespace {

namespace fs = std::filesystem;

void Check(const absl::Status& status, const char* what) {
  if (status.ok()) return;
  std::fprintf(stderr, "store_benchmark: %s: %s\n", what,
               status.ToString().c_str());
  std::exit(1);
}

// Keeps the header and the records whose `column` starts with a date in
// [from, to] (ISO dates compare as text).
void CutYear(const std::string& in_path, const std::string& out_path,
             const std::string& column, const std::string& from,
             const std::string& to) {
  absl::StatusOr<CsvReader> reader = CsvReader::OpenFile(in_path);
  Check(reader.status(), "reading the generated data");
  std::ofstream out(out_path, std::ios::binary);
  CsvRecord record;
  absl::StatusOr<bool> more = reader->Next(record);
  Check(more.status(), "reading a header");
  absl::StatusOr<CsvHeader> header = CsvHeader::Create(record.fields);
  Check(header.status(), "reading a header");
  const int col = header->FindColumn(column).value_or(0);
  out << record.raw << '\n';
  while (true) {
    more = reader->Next(record);
    Check(more.status(), "reading the generated data");
    if (!*more) break;
    const std::string day(record.fields[col].substr(0, 10));
    if (day >= from && day <= to) out << record.raw << '\n';
  }
}

struct YearFiles {
  std::string dir;
  std::string cases;
  std::string interactions;
};

const YearFiles& Year() {
  static const YearFiles* files = [] {
    auto* f = new YearFiles;
    const char* env = std::getenv("TELLUS_BENCHMARK_DATA");
    f->dir = env != nullptr
                 ? env
                 : (fs::temp_directory_path() / "tellus_store_benchmark_data")
                       .string();
    f->cases = f->dir + "/year-cases.csv";
    f->interactions = f->dir + "/year-interactions.csv";
    if (!fs::exists(f->interactions)) {
      GeneratorOptions options;
      Check(GenerateToDirectory(options, f->dir), "generating the data set");
      CutYear(f->dir + "/cases.csv", f->cases, "received", "2023-04-01",
              "2024-03-31");
      CutYear(f->dir + "/interactions.csv", f->interactions, "at", "2023-04-01",
              "2024-03-31");
    }
    return f;
  }();
  return *files;
}

std::string StorePath(const std::string& name) {
  return (fs::temp_directory_path() /
          ("tellus_store_benchmark_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

void Remove(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(path + suffix, ec);
  }
}

// A store holding the year, built once and shared by the reading
// benchmarks.
const std::string& ImportedStore() {
  static const std::string* path = [] {
    auto* p = new std::string(StorePath("shared.db"));
    Remove(*p);
    absl::StatusOr<Store> store = Store::Open(*p);
    Check(store.status(), "opening a store");
    Check(store->ImportCsv(Year().cases, Year().interactions).status(),
          "importing the year");
    std::atexit([] { Remove(*path); });
    return p;
  }();
  return *path;
}

void BM_ImportYear(benchmark::State& state) {
  const YearFiles& year = Year();
  const std::string path = StorePath("import.db");
  int64_t cases = 0, interactions = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Remove(path);
    state.ResumeTiming();
    absl::StatusOr<Store> store = Store::Open(path);
    Check(store.status(), "opening a store");
    absl::StatusOr<StoreImportSummary> summary =
        store->ImportCsv(year.cases, year.interactions);
    Check(summary.status(), "importing the year");
    cases = summary->cases.added;
    interactions = summary->interactions.added;
  }
  Remove(path);
  state.counters["cases"] = static_cast<double>(cases);
  state.counters["interactions"] = static_cast<double>(interactions);
  state.counters["rows_per_second"] = benchmark::Counter(
      static_cast<double>(cases + interactions) * state.iterations(),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ImportYear)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

// The same files again: every row is looked up and found present.
void BM_ReimportYear(benchmark::State& state) {
  const YearFiles& year = Year();
  absl::StatusOr<Store> store = Store::Open(ImportedStore());
  Check(store.status(), "opening a store");
  int64_t present = 0;
  for (auto _ : state) {
    absl::StatusOr<StoreImportSummary> summary =
        store->ImportCsv(year.cases, year.interactions);
    Check(summary.status(), "importing the year again");
    if (summary->cases.added + summary->interactions.added != 0) {
      Check(absl::InternalError("rows were added"), "importing again");
    }
    present = summary->cases.present + summary->interactions.present;
  }
  state.counters["present"] = static_cast<double>(present);
}
BENCHMARK(BM_ReimportYear)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

void BM_LoadYear(benchmark::State& state) {
  absl::StatusOr<Store> store = Store::Open(ImportedStore());
  Check(store.status(), "opening a store");
  size_t interactions = 0;
  for (auto _ : state) {
    absl::StatusOr<Dataset> data = store->LoadDataset();
    Check(data.status(), "loading the year");
    interactions = data->interactions().size();
    benchmark::DoNotOptimize(data);
  }
  state.counters["interactions"] = static_cast<double>(interactions);
}
BENCHMARK(BM_LoadYear)->Unit(benchmark::kMillisecond)->UseRealTime();

// Loading and the whole report, as `tellus report --store` does.
void BM_ReportFromStore(benchmark::State& state) {
  absl::StatusOr<Store> store = Store::Open(ImportedStore());
  Check(store.status(), "opening a store");
  v1::ReportSettings request;
  request.set_period("2023/24");
  request.set_as_of("2024-06-30");
  for (auto _ : state) {
    absl::StatusOr<Dataset> data = store->LoadDataset();
    Check(data.status(), "loading the year");
    absl::StatusOr<v1::AnnualReport> report = BuildReport(*data, request);
    Check(report.status(), "reporting");
    benchmark::DoNotOptimize(report);
  }
}
BENCHMARK(BM_ReportFromStore)->Unit(benchmark::kMillisecond)->UseRealTime();

// One event a transaction, each committed to disk (synchronous=FULL when
// the argument is 1, NORMAL when 0), into a store of a few thousand cases.
void BM_AppendEvent(benchmark::State& state) {
  const std::string path =
      StorePath("append-" + std::to_string(state.range(0)) + ".db");
  Remove(path);
  StoreOptions options;
  options.full_sync = state.range(0) == 1;
  absl::StatusOr<Store> store = Store::Open(path, options);
  Check(store.status(), "opening a store");
  constexpr int kCases = 2000;
  for (int i = 0; i < kCases; ++i) {
    v1::Case c;
    c.set_ref("CMP-" + std::to_string(i));
    c.set_type(v1::CASE_TYPE_COMPLAINT);
    c.set_directorate("Housing");
    c.set_service("Repairs");
    *c.mutable_received()->mutable_date() = ToProto(absl::CivilDay(2023, 5, 2));
    Check(store->AddCase(c), "adding a case");
  }
  // Lessons Learnt records may repeat, so any number can be appended.
  v1::Event lesson;
  lesson.mutable_lesson_learnt()->set_theme("communication");
  int64_t n = 0;
  for (auto _ : state) {
    *lesson.mutable_when()->mutable_date() =
        ToProto(absl::CivilDay(2023, 6, 1) + (n % 300));
    Check(store->AppendEvent("CMP-" + std::to_string(n % kCases), lesson),
          "appending an event");
    ++n;
  }
  state.counters["events_per_second"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
  Remove(path);
}
BENCHMARK(BM_AppendEvent)
    ->Arg(1)
    ->Arg(0)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

}  // namespace
}  // namespace tellus

BENCHMARK_MAIN();
