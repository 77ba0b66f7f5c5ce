// Protobuf streams at the scale of a large council's year: 1.5 million
// interactions written as a length-delimited stream and read back, plus a
// whole data directory loaded into a Dataset and, for comparison, JSON Lines
// at a tenth of the size.
//
//   build/release/benchmarks/proto_io_benchmark
//
// Files go to the system's temporary directory and are removed afterwards.
// Writing includes filling each message (an id, a time, a kind), as an
// import does; reading parses into one reused message.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include "absl/status/status.h"
#include "tellus/proto_io.h"
#include "tellus/v1/case.pb.h"
#include "tellus/v1/interaction.pb.h"

namespace tellus {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kInteractions = 1'500'000;
constexpr int64_t kCases = 50'000;
constexpr int64_t kStart = 1680307200;  // 2023-04-01T00:00:00Z

std::string TempPath(const std::string& name) {
  return (fs::temp_directory_path() / ("tellus_proto_io_benchmark_" +
                                       std::to_string(::getpid()) + "_" + name))
      .string();
}

// A realistic interaction: every field set, a case reference on one in ten.
void Fill(v1::Interaction& m, int64_t i) {
  char id[32];
  std::snprintf(id, sizeof id, "INT-%09lld", static_cast<long long>(i));
  m.set_id(id);
  m.mutable_at()->mutable_at()->set_seconds(kStart + i * 20);
  m.set_channel(static_cast<v1::Channel>(1 + i % 7));
  m.set_kind(static_cast<v1::InteractionKind>(1 + i % 5));
  m.set_directorate(i % 3 == 0 ? "Housing" : "Environment");
  m.set_service(i % 2 == 0 ? "Repairs" : "Waste");
  char customer[32];
  std::snprintf(customer, sizeof customer, "CUST-%07lld",
                static_cast<long long>(i % 400000));
  m.set_customer(customer);
  if (i % 10 == 0) {
    char ref[32];
    std::snprintf(ref, sizeof ref, "CMP-%06lld",
                  static_cast<long long>((i / 10) % kCases));
    m.set_case_ref(ref);
  } else {
    m.clear_case_ref();
  }
  m.mutable_source()->set_file("interactions.csv");
  m.mutable_source()->set_line(i + 2);
}

void Fill(v1::Case& c, int64_t i) {
  char ref[32];
  std::snprintf(ref, sizeof ref, "CMP-%06lld", static_cast<long long>(i));
  c.Clear();
  c.set_ref(ref);
  c.set_type(v1::CASE_TYPE_COMPLAINT);
  const int64_t received = kStart + i * 600;
  c.mutable_received()->mutable_at()->set_seconds(received);
  c.set_directorate(i % 3 == 0 ? "Housing" : "Environment");
  c.set_service(i % 2 == 0 ? "Repairs" : "Waste");
  v1::Event* ack = c.add_events();
  ack->mutable_when()->mutable_at()->set_seconds(received + 86400);
  ack->mutable_acknowledged()->set_stage(v1::STAGE_1);
  v1::Event* response = c.add_events();
  response->mutable_when()->mutable_at()->set_seconds(received + 8 * 86400);
  response->mutable_responded()->set_stage(v1::STAGE_1);
  response->mutable_responded()->set_outcome(
      static_cast<v1::Outcome>(1 + i % 3));
}

absl::Status WriteInteractions(const std::string& path, int64_t rows) {
  auto writer = DelimitedWriter::Create(path);
  if (!writer.ok()) return writer.status();
  v1::Interaction m;
  for (int64_t i = 0; i < rows; ++i) {
    Fill(m, i);
    if (absl::Status s = writer->Write(m); !s.ok()) return s;
  }
  return writer->Close();
}

void BM_WriteDelimited(benchmark::State& state) {
  const std::string path = TempPath("write.binpb");
  int64_t rows = 0;
  for (auto _ : state) {
    const absl::Status status = WriteInteractions(path, kInteractions);
    if (!status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      break;
    }
    rows += kInteractions;
  }
  std::error_code ec;
  state.SetBytesProcessed(static_cast<int64_t>(fs::file_size(path, ec)) *
                          state.iterations());
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows),
                                                benchmark::Counter::kIsRate);
  fs::remove(path, ec);
}
BENCHMARK(BM_WriteDelimited)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ReadDelimited(benchmark::State& state) {
  const std::string path = TempPath("read.binpb");
  if (absl::Status s = WriteInteractions(path, kInteractions); !s.ok()) {
    state.SkipWithError(std::string(s.message()).c_str());
    return;
  }
  int64_t rows = 0;
  v1::Interaction m;
  for (auto _ : state) {
    auto reader = DelimitedReader::Open(path);
    if (!reader.ok()) {
      state.SkipWithError(std::string(reader.status().message()).c_str());
      break;
    }
    int64_t n = 0;
    while (true) {
      absl::StatusOr<bool> more = reader->Next(m);
      if (!more.ok()) {
        state.SkipWithError(std::string(more.status().message()).c_str());
        break;
      }
      if (!*more) break;
      benchmark::DoNotOptimize(m);
      ++n;
    }
    if (n != kInteractions) {
      state.SkipWithError("wrong number of records read back");
      break;
    }
    rows += n;
  }
  std::error_code ec;
  state.SetBytesProcessed(static_cast<int64_t>(fs::file_size(path, ec)) *
                          state.iterations());
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows),
                                                benchmark::Counter::kIsRate);
  fs::remove(path, ec);
}
BENCHMARK(BM_ReadDelimited)->Unit(benchmark::kMillisecond)->UseRealTime();

// Reading a data directory into a Dataset: every case folded through the
// state machine, every interaction checked and linked.
void BM_LoadDataDir(benchmark::State& state) {
  const std::string dir = TempPath("data");
  {
    ProtoStreamSinkOptions options;
    options.sync = false;
    auto sink = ProtoStreamSink::Create(dir, options);
    if (!sink.ok()) {
      state.SkipWithError(std::string(sink.status().message()).c_str());
      return;
    }
    v1::Case c;
    for (int64_t i = 0; i < kCases; ++i) {
      Fill(c, i);
      if (!sink->WriteCase(c).ok()) state.SkipWithError("cannot write");
    }
    v1::Interaction m;
    for (int64_t i = 0; i < kInteractions; ++i) {
      Fill(m, i);
      if (!sink->WriteInteraction(m).ok()) state.SkipWithError("cannot write");
    }
    if (!sink->Commit().ok()) state.SkipWithError("cannot commit");
  }
  int64_t rows = 0;
  for (auto _ : state) {
    absl::StatusOr<Dataset> data = LoadDataDir(dir);
    if (!data.ok()) {
      state.SkipWithError(std::string(data.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(data->interactions().size());
    rows += static_cast<int64_t>(data->cases().size() +
                                 data->interactions().size());
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows),
                                                benchmark::Counter::kIsRate);
  std::error_code ec;
  fs::remove_all(dir, ec);
}
BENCHMARK(BM_LoadDataDir)->Unit(benchmark::kMillisecond)->UseRealTime();

// JSON Lines, for comparison, at a tenth of the rows.
void BM_JsonLinesRoundTrip(benchmark::State& state) {
  const int64_t n = state.range(0);
  const std::string path = TempPath("rows.jsonl");
  int64_t rows = 0;
  v1::Interaction m;
  for (auto _ : state) {
    auto writer = JsonLinesWriter::Create(path);
    if (!writer.ok()) {
      state.SkipWithError("cannot create");
      break;
    }
    for (int64_t i = 0; i < n; ++i) {
      Fill(m, i);
      if (!writer->Write(m).ok()) state.SkipWithError("cannot write");
    }
    if (!writer->Close().ok()) state.SkipWithError("cannot close");
    auto reader = JsonLinesReader::Open(path);
    if (!reader.ok()) {
      state.SkipWithError("cannot open");
      break;
    }
    while (true) {
      absl::StatusOr<bool> more = reader->Next(m);
      if (!more.ok() || !*more) break;
      benchmark::DoNotOptimize(m);
    }
    rows += n;
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows),
                                                benchmark::Counter::kIsRate);
  std::error_code ec;
  fs::remove(path, ec);
}
BENCHMARK(BM_JsonLinesRoundTrip)
    ->Arg(kInteractions / 10)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace tellus

BENCHMARK_MAIN();
