// make_data: writes the benchmark data set (bench_data.h) of a given size.
//
//   make_data --out data/15m --interactions 15000000 [--cases N] [--seed N]
//
// --cases defaults to 3 per 100 interactions; the directory must exist.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench_data.h"

namespace {

int Usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s --out DIR [--interactions N] [--cases N] "
               "[--seed N]\n",
               argv0);
  return 2;
}

bool ParseCount(const char* text, int64_t& out) {
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v < 0) return false;
  out = v;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  tellus::bench::BenchDataOptions options;
  std::string out;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return Usage(argv[0]);
    const char* value = argv[++i];
    int64_t n = 0;
    if (arg == "--out") {
      out = value;
    } else if (arg == "--interactions" && ParseCount(value, n)) {
      options.interactions = n;
    } else if (arg == "--cases" && ParseCount(value, n)) {
      options.cases = n;
    } else if (arg == "--seed" && ParseCount(value, n)) {
      options.seed = static_cast<uint64_t>(n);
    } else {
      return Usage(argv[0]);
    }
  }
  if (out.empty()) return Usage(argv[0]);
  std::string error;
  if (!tellus::bench::WriteBenchData(options, out, &error)) {
    std::fprintf(stderr, "make_data: %s\n", error.c_str());
    return 1;
  }
  return 0;
}
