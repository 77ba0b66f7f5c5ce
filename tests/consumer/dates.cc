// Uses the C++ API of libtellus.a: dates, a message of the schema, and the
// C ABI from C++.
#include <tellus/dates.h>
#include <tellus/tellus.h>
#include <tellus/v1/common.pb.h>

#include <cstdio>
#include <string>

int main() {
  absl::StatusOr<absl::CivilDay> day = tellus::ParseIsoDate("2024-02-29");
  if (!day.ok()) {
    std::fprintf(stderr, "%s\n", day.status().ToString().c_str());
    return 1;
  }

  absl::StatusOr<absl::CivilDay> bad = tellus::ParseIsoDate("2023-02-29");
  if (bad.ok()) {
    std::fprintf(stderr, "2023-02-29 was accepted\n");
    return 1;
  }

  // The schema's Date round-trips through its serialized bytes.
  std::string bytes;
  tellus::v1::Date parsed;
  if (!tellus::ToProto(*day).SerializeToString(&bytes) ||
      !parsed.ParseFromString(bytes) || tellus::FromProto(parsed) != *day) {
    std::fprintf(stderr, "v1::Date did not round-trip\n");
    return 1;
  }

  // 2024-03-31T23:30:00Z is already 2024-04-01 in London (BST).
  std::string london =
      tellus::FormatDate(tellus::LondonDate(absl::FromUnixSeconds(1711927800)));
  if (london != "2024-04-01") {
    std::fprintf(stderr, "London date %s, expected 2024-04-01\n",
                 london.c_str());
    return 1;
  }

  std::printf("%s, rejected: %s; tellus %s\n", tellus::FormatDate(*day).c_str(),
              std::string(bad.status().message()).c_str(), tellus_version());
  return 0;
}
