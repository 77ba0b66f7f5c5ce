// The embedded default data set: a deterministic synthetic council.
//
//   tellus::GeneratorOptions options;  // profile "sandwell-2023-24"
//   tellus::GenerationSummary summary;
//   absl::Status status =
//       tellus::GenerateToDirectory(options, "demo-data", &summary);
//   // demo-data/cases.csv and demo-data/interactions.csv, in the formats of
//   // FORMATS.md; report on them for 2023/24 as of 2024-06-30.
//
// A profile is a made-up council whose computed figures (METRICS.md) equal a
// real council's published ones for the profiled years. Rows are drawn from a
// self-contained PRNG (xoshiro256**, seeded by splitmix64) and integer
// arithmetic only, so a seed gives the same bytes on every platform and
// standard library.
//
// Profile "sandwell-2023-24": a metropolitan borough, cases received from
// 2019-04-01 to the extract date 2024-06-30 (nothing is dated later), and the
// interaction log of the two financial years the report compares plus the
// extract's part of 2024/25 (2022-04-01 to 2024-06-30). For 2023/24 and
// 2022/23 the figures equal Sandwell's published ones at any as-of time from
// the end of 2024-03-31: no event after that day changes them.
#ifndef TELLUS_GENERATOR_H_
#define TELLUS_GENERATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace tellus {

struct GeneratorOptions {
  std::string profile = "sandwell-2023-24";
  uint64_t seed = 20240331;
  // The share of the profile's contacts not tied to a case (kind contact,
  // and enquiries not recorded as cases) to write, in (0, 1]. 1 gives the
  // published interaction counts; less makes a small file for tests. Cases
  // and case-linked interactions are the same whatever the volume.
  double contact_volume = 1.0;
};

struct GeneratorProfile {
  std::string name;
  std::string description;
  // The report the profile is built for: its financial year's label
  // ("2023/24") and the as-of date its figures are quoted at.
  std::string default_period;
  absl::CivilDay default_as_of;
  // First and last day any generated row is dated.
  absl::CivilDay first_day;
  absl::CivilDay extract_day;
};

// What a generation wrote.
struct GenerationSummary {
  std::string cases_path;
  std::string interactions_path;
  int64_t cases = 0;  // data rows of cases.csv
  int64_t interactions = 0;
  int64_t cases_bytes = 0;
  int64_t interactions_bytes = 0;
};

// The built-in profiles, by name.
absl::StatusOr<std::vector<GeneratorProfile>> ListProfiles();

// NotFound, listing the known names, for an unknown profile.
absl::StatusOr<GeneratorProfile> FindProfile(const std::string& name);

// Writes `dir`/cases.csv and `dir`/interactions.csv, creating `dir` when it
// does not exist. Each file is written under a temporary name and renamed
// when complete, so a failure never leaves a partial file behind. Fails on
// an unknown profile, a contact_volume outside (0, 1], or a directory that
// cannot be created or written. `summary` may be null.
absl::Status GenerateToDirectory(const GeneratorOptions& options,
                                 const std::string& dir,
                                 GenerationSummary* summary = nullptr);

}  // namespace tellus

#endif  // TELLUS_GENERATOR_H_
