// tellus_bench_driver: tellus's side of benchmarks/compare. Loads the CSV
// exports into a Dataset (timed: file to validated columns), then times the
// whole report in-process, as DuckDB's in-memory query is timed, and writes
// the report as `tellus report --format json` prints it, for the figures'
// check.
//
//   tellus_bench_driver --cases cases.csv --interactions interactions.csv
//       --period 2023/24 --as-of 2024-06-30 --threads 2 --load-reps 1
//       --report-reps 10 --report-json report.json
//   tellus_bench_driver --calendar FILE --from 2017-01-01 --to 2027-12-31
//   tellus_bench_driver --stream --cases ... --interactions ...
//
// --threads is the threads of both the load (ImportOptions::threads) and the
// report. Prints one JSON object on stdout: the times in milliseconds (wall and
// process CPU), rows and the columns' bytes. --calendar writes the working
// days of England and Wales as CSV (day,working), the table the SQL peers
// do working-day arithmetic with. --stream times the streamed report
// (stream.h) end to end instead.
//
// Each report rep is followed by a rep of the floor (column_floor.h: reading
// every column the report touches, on the same threads), so that the two are
// timed under the same conditions: "floor_ms" beside "report_ms".
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "column_floor.h"
#include "tellus/calendar.h"
#include "tellus/dates.h"
#include "tellus/fields.h"
#include "tellus/import.h"
#include "tellus/render.h"
#include "tellus/report.h"
#include "tellus/stream.h"

namespace {

// Where the timed loop leaves a figure, so that no build is optimised away.
volatile int benchmark_sink = 0;

struct Options {
  std::string cases, interactions, period = "2023/24", as_of = "2024-06-30";
  std::string report_json, calendar, from, to;
  int threads = 1;
  int load_reps = 1;
  int report_reps = 10;
  bool stream = false;
};

double WallMs() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double CpuMs() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

std::string List(const std::vector<double>& v) {
  return absl::StrCat("[",
                      absl::StrJoin(v, ",",
                                    [](std::string* out, double x) {
                                      absl::StrAppend(
                                          out, absl::StrFormat("%.3f", x));
                                    }),
                      "]");
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "tellus_bench_driver: %s\n", message.c_str());
  return 1;
}

int WriteCalendar(const Options& o) {
  auto from = tellus::ParseIsoDate(o.from);
  auto to = tellus::ParseIsoDate(o.to);
  if (!from.ok() || !to.ok()) return Fail("--from and --to: YYYY-MM-DD");
  const tellus::Calendar cal = tellus::Calendar::ForRegion();
  std::ofstream out(o.calendar);
  out << "day,working\n";
  for (absl::CivilDay d = *from; d <= *to; ++d) {
    out << tellus::FormatDate(d) << ',' << (cal.IsWorkingDay(d) ? 1 : 0)
        << '\n';
  }
  return out ? 0 : Fail("cannot write " + o.calendar);
}

tellus::v1::ReportSettings Request(const Options& o) {
  tellus::v1::ReportSettings r;
  r.set_period(o.period);
  r.set_as_of(o.as_of);
  return r;
}

int Stream(const Options& o) {
  const double wall = WallMs(), cpu = CpuMs();
  auto settings = tellus::ResolveSettings(Request(o), absl::Now());
  if (!settings.ok()) return Fail(std::string(settings.status().message()));
  tellus::AggregatingSink sink(*settings);
  tellus::Importer importer(sink, nullptr);
  absl::Status status = importer.ImportCases(o.cases);
  if (status.ok()) status = importer.ImportInteractions(o.interactions);
  if (!status.ok()) return Fail(std::string(status.message()));
  const int64_t rows = sink.interactions();
  auto report = tellus::BuildReport(std::move(sink).Finish(), Request(o));
  if (!report.ok()) return Fail(std::string(report.status().message()));
  std::printf(
      "{\"engine\":\"tellus-stream\",\"interactions\":%lld,"
      "\"wall_ms\":%.3f,\"cpu_ms\":%.3f}\n",
      static_cast<long long>(rows), WallMs() - wall, CpuMs() - cpu);
  if (!o.report_json.empty()) {
    auto json = tellus::RenderReport(*report, "json");
    std::ofstream(o.report_json) << *json;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--stream") {
      o.stream = true;
      continue;
    }
    if (i + 1 >= argc) return Fail("missing value for " + arg);
    const std::string value = argv[++i];
    if (arg == "--cases") {
      o.cases = value;
    } else if (arg == "--interactions") {
      o.interactions = value;
    } else if (arg == "--period") {
      o.period = value;
    } else if (arg == "--as-of") {
      o.as_of = value;
    } else if (arg == "--report-json") {
      o.report_json = value;
    } else if (arg == "--calendar") {
      o.calendar = value;
    } else if (arg == "--from") {
      o.from = value;
    } else if (arg == "--to") {
      o.to = value;
    } else if (arg == "--threads") {
      o.threads = std::atoi(value.c_str());
    } else if (arg == "--load-reps") {
      o.load_reps = std::atoi(value.c_str());
    } else if (arg == "--report-reps") {
      o.report_reps = std::atoi(value.c_str());
    } else {
      return Fail("unknown option " + arg);
    }
  }
  if (!o.calendar.empty()) return WriteCalendar(o);
  if (o.cases.empty() || o.interactions.empty()) {
    return Fail("give --cases and --interactions");
  }
  if (o.stream) return Stream(o);

  std::vector<double> load_wall, load_cpu, report_wall, report_cpu, floor_wall;
  tellus::Dataset data;
  for (int rep = 0; rep < std::max(o.load_reps, 1); ++rep) {
    data = tellus::Dataset();
    const double wall = WallMs(), cpu = CpuMs();
    tellus::DatasetSink sink;
    tellus::ImportOptions import_options;
    import_options.threads = o.threads;
    tellus::Importer importer(sink, nullptr, import_options);
    absl::Status status =
        importer.ImportCasesAndInteractions(o.cases, o.interactions);
    if (!status.ok()) return Fail(std::string(status.message()));
    data = std::move(sink).Build();
    load_wall.push_back(WallMs() - wall);
    load_cpu.push_back(CpuMs() - cpu);
  }
  const tellus::v1::ReportSettings request = Request(o);
  // As `tellus report` builds it: on an arena, freed with it (timed too).
  for (int rep = 0; rep < std::max(o.report_reps, 1); ++rep) {
    const double wall = WallMs(), cpu = CpuMs();
    {
      google::protobuf::Arena arena;
      absl::StatusOr<tellus::v1::AnnualReport*> report =
          tellus::BuildReport(data, request, arena, o.threads);
      if (!report.ok()) return Fail(std::string(report.status().message()));
      benchmark_sink = (*report)->metrics_size();
    }
    report_wall.push_back(WallMs() - wall);
    report_cpu.push_back(CpuMs() - cpu);
    const double floor_start = WallMs();
    benchmark_sink = static_cast<int>(
        tellus::bench::ReadReportColumns(data, std::max(o.threads, 1)));
    floor_wall.push_back(WallMs() - floor_start);
  }
  if (!o.report_json.empty()) {
    absl::StatusOr<tellus::v1::AnnualReport> report =
        tellus::BuildReport(data, request, o.threads);
    if (!report.ok()) return Fail(std::string(report.status().message()));
    auto json = tellus::RenderReport(*report, "json");
    if (!json.ok()) return Fail(std::string(json.status().message()));
    std::ofstream(o.report_json) << *json;
  }
  std::printf(
      "{\"engine\":\"tellus\",\"threads\":%d,\"interactions\":%zu,"
      "\"cases\":%zu,\"column_bytes\":%zu,\"load_ms\":%s,\"load_cpu_ms\":%s,"
      "\"report_ms\":%s,\"report_cpu_ms\":%s,\"floor_ms\":%s}\n",
      o.threads, data.interactions().size(), data.cases().size(),
      data.ColumnBytes(), List(load_wall).c_str(), List(load_cpu).c_str(),
      List(report_wall).c_str(), List(report_cpu).c_str(),
      List(floor_wall).c_str());
  return 0;
}
