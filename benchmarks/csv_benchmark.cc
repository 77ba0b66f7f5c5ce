// CSV import speed: tellus's reader against libcsv on the same file, and the
// reader with every field parsed, over an interactions export of 1.5 million
// rows generated here (deterministically) into a temporary file.
//
//   csv_benchmark --benchmark_repetitions=5
//
// Results and the machine they were measured on: benchmarks/RESULTS.md.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "benchmark/benchmark.h"
#include "tellus/csv_reader.h"
#include "tellus/fields.h"

#ifdef TELLUS_HAVE_LIBCSV
#include <csv.h>
#endif

namespace tellus {
namespace {

constexpr int kRows = 1'500'000;

const std::string& DataPath() {
  static const std::string* const path = [] {
    std::error_code error;
    std::filesystem::path dir = std::filesystem::temp_directory_path(error);
    if (error) dir = ".";
    return new std::string(
        (dir / ("tellus_csv_benchmark_" + std::to_string(::getpid()) + ".csv"))
            .string());
  }();
  return *path;
}

// A small deterministic generator (xorshift), so every run reads the same
// bytes.
class Rng {
 public:
  uint32_t Next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return static_cast<uint32_t>(state_ >> 11);
  }
  uint32_t Below(uint32_t n) { return Next() % n; }

 private:
  uint64_t state_ = 0x9E3779B97F4A7C15ULL;
};

// interaction_id,at,channel,directorate,service,kind,customer,case_ref over
// the financial year 2023/24, in time order as a CRM exports them. About one
// row in twenty has a quoted service name with a comma in it.
bool WriteInteractions(const std::string& path) {
  static constexpr const char* kChannels[] = {
      "phone", "email", "web", "letter", "in_person", "social_media", "other"};
  static constexpr const char* kKinds[] = {
      "contact",   "contact",    "contact",  "enquiry",
      "complaint", "compliment", "follow_up"};
  static constexpr const char* kDirectorates[] = {
      "Housing",     "Adult Social Care", "Children's Services",
      "Environment", "Resources",         "Regeneration"};
  static constexpr const char* kServices[] = {
      "Repairs",     "Lettings", "Waste",     "Highways",
      "Council Tax", "Benefits", "Libraries", "\"Parks, Open Spaces\"",
      "Planning",    "Licensing"};
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (out == nullptr) return false;
  std::fputs(
      "interaction_id,at,channel,directorate,service,kind,customer,case_ref\n",
      out);
  Rng rng;
  // 2023-04-01 00:00 London .. 2024-03-31, evenly spread.
  const int64_t span = 366LL * 24 * 3600;
  char line[256];
  for (int i = 0; i < kRows; ++i) {
    const int64_t offset = span * i / kRows;
    const int64_t day = offset / 86400;
    const int sec = static_cast<int>(offset % 86400);
    static constexpr int kMonthDays[] = {30, 31, 30, 31, 31, 30,
                                         31, 30, 31, 31, 29, 31};
    int month = 0;
    int64_t d = day;
    while (d >= kMonthDays[month]) d -= kMonthDays[month++];
    const int year = month < 9 ? 2023 : 2024;
    const int mon = (month + 3) % 12 + 1;
    const uint32_t service = rng.Below(20);
    const bool linked = rng.Below(4) == 0;
    char case_ref[32] = "";
    if (linked) {
      std::snprintf(case_ref, sizeof(case_ref), "CMP-%d-%04u", year,
                    rng.Below(9000) + 1);
    }
    const int n = std::snprintf(
        line, sizeof(line),
        "INT-%07d,%04d-%02d-%02dT%02d:%02d:%02d,%s,%s,%s,%s,"
        "C-%06u,%s\n",
        i + 1, year, mon, static_cast<int>(d) + 1, sec / 3600, (sec / 60) % 60,
        sec % 60, kChannels[rng.Below(7)], kDirectorates[rng.Below(6)],
        service < 10 ? kServices[service] : kServices[service % 7],
        kKinds[rng.Below(7)], rng.Below(400000), case_ref);
    std::fwrite(line, 1, n, out);
  }
  return std::fclose(out) == 0;
}

bool EnsureData() {
  static const bool ok = WriteInteractions(DataPath());
  return ok;
}

void ReportRows(benchmark::State& state, int64_t rows) {
  state.counters["rows_per_second"] = benchmark::Counter(
      static_cast<double>(rows), benchmark::Counter::kIsRate);
  std::error_code error;
  const uintmax_t size = std::filesystem::file_size(DataPath(), error);
  if (!error) {
    state.SetBytesProcessed(static_cast<int64_t>(size * state.iterations()));
  }
}

// (a) Splitting only: every record's fields, as views.
void BM_TellusReaderSplit(benchmark::State& state) {
  if (!EnsureData()) return state.SkipWithError("cannot write the data");
  int64_t rows = 0;
  for (auto _ : state) {
    absl::StatusOr<CsvReader> reader = CsvReader::OpenFile(DataPath());
    if (!reader.ok()) return state.SkipWithError("cannot open the data");
    CsvRecord record;
    size_t fields = 0;
    while (true) {
      absl::StatusOr<bool> more = reader->Next(record);
      if (!more.ok() || !*more) break;
      fields += record.fields.size();
      benchmark::DoNotOptimize(record.fields.data());
      ++rows;
    }
    benchmark::DoNotOptimize(fields);
  }
  ReportRows(state, rows);
}
BENCHMARK(BM_TellusReaderSplit)->Unit(benchmark::kMillisecond)->UseRealTime();

#ifdef TELLUS_HAVE_LIBCSV
struct LibcsvCounts {
  int64_t fields = 0;
  int64_t rows = 0;
};

void OnField(void* data, size_t len, void* counts) {
  benchmark::DoNotOptimize(data);
  benchmark::DoNotOptimize(len);
  ++static_cast<LibcsvCounts*>(counts)->fields;
}

void OnRow(int, void* counts) { ++static_cast<LibcsvCounts*>(counts)->rows; }

// (b) libcsv on the same file, read in the same 1 MiB blocks.
void BM_LibcsvSplit(benchmark::State& state) {
  if (!EnsureData()) return state.SkipWithError("cannot write the data");
  int64_t rows = 0;
  std::vector<char> block(size_t{1} << 20);
  for (auto _ : state) {
    std::FILE* in = std::fopen(DataPath().c_str(), "rb");
    if (in == nullptr) return state.SkipWithError("cannot open the data");
    csv_parser parser;
    csv_init(&parser, 0);
    LibcsvCounts counts;
    size_t got;
    while ((got = std::fread(block.data(), 1, block.size(), in)) > 0) {
      if (csv_parse(&parser, block.data(), got, OnField, OnRow, &counts) !=
          got) {
        state.SkipWithError("libcsv failed");
        break;
      }
    }
    csv_fini(&parser, OnField, OnRow, &counts);
    csv_free(&parser);
    std::fclose(in);
    rows += counts.rows;
    benchmark::DoNotOptimize(counts.fields);
  }
  ReportRows(state, rows);
}
BENCHMARK(BM_LibcsvSplit)->Unit(benchmark::kMillisecond)->UseRealTime();
#endif

// (c) The reader plus every field parsed as the import does: UTF-8 checked,
// values trimmed, the date-time to an instant and London date, channel and
// kind to their enums.
void BM_TellusReaderParse(benchmark::State& state) {
  if (!EnsureData()) return state.SkipWithError("cannot write the data");
  int64_t rows = 0;
  for (auto _ : state) {
    absl::StatusOr<CsvReader> reader = CsvReader::OpenFile(DataPath());
    if (!reader.ok()) return state.SkipWithError("cannot open the data");
    CsvRecord record;
    if (!reader->Next(record).value_or(false)) {
      return state.SkipWithError("no header");
    }
    absl::StatusOr<CsvHeader> header = CsvHeader::Create(record.fields);
    if (!header.ok()) return state.SkipWithError("bad header");
    const int id = header->FindColumn("interaction_id").value_or(-1);
    const int at = header->FindColumn("at").value_or(-1);
    const int channel = header->FindColumn("channel").value_or(-1);
    const int directorate = header->FindColumn("directorate").value_or(-1);
    const int service = header->FindColumn("service").value_or(-1);
    const int kind = header->FindColumn("kind").value_or(-1);
    const int customer = header->FindColumn("customer").value_or(-1);
    const int case_ref = header->FindColumn("case_ref").value_or(-1);
    int64_t bad = 0;
    int64_t checksum = 0;
    while (true) {
      absl::StatusOr<bool> more = reader->Next(record);
      if (!more.ok() || !*more) break;
      ++rows;
      if (!record.error.empty() || record.fields.size() != header->size() ||
          !IsValidUtf8(record.raw)) {
        ++bad;
        continue;
      }
      const auto& f = record.fields;
      absl::StatusOr<EventTime> when = ParseDateOrDateTime(f[at]);
      absl::StatusOr<v1::Channel> ch = ParseChannel(f[channel]);
      absl::StatusOr<v1::InteractionKind> k = ParseInteractionKind(f[kind]);
      if (!when.ok() || !ch.ok() || !k.ok()) {
        ++bad;
        continue;
      }
      checksum +=
          absl::ToUnixSeconds(*when->at) + DayNumber(when->date) + *ch + *k;
      checksum += TrimSpaces(f[id]).size() + TrimSpaces(f[directorate]).size() +
                  TrimSpaces(f[service]).size() +
                  TrimSpaces(f[customer]).size() +
                  TrimSpaces(f[case_ref]).size();
    }
    benchmark::DoNotOptimize(checksum);
    if (bad != 0) return state.SkipWithError("rows failed to parse");
  }
  ReportRows(state, rows);
}
BENCHMARK(BM_TellusReaderParse)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tellus

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ignored;
  std::filesystem::remove(tellus::DataPath(), ignored);
  return 0;
}
