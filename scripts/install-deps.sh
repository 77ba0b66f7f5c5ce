#!/usr/bin/env bash
# Installs exactly the Debian 12 packages tellus needs to build, test and run.
# Idempotent: when everything is installed it touches nothing (not even the
# package lists). Progress goes to stderr, so callers' stdout stays theirs.
set -euo pipefail

packages=(
  # Compilers and build tools; clang and its runtimes build the fuzzers.
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  clang-format
  # Libraries.
  libabsl-dev libprotobuf-dev protobuf-compiler libsqlite3-dev libcsv-dev
  libcli11-dev
  # Tests and benchmarks.
  libgtest-dev libgmock-dev libbenchmark-dev valgrind abigail-tools sqlite3
  # Europe/London for every date; the Python bindings and their tests
  # (pip + setuptools + wheel install the package; distributed runs the Dask
  # example).
  tzdata python3 python3-protobuf python3-pytest python3-pip
  python3-setuptools python3-wheel python3-distributed
  # The HTML report is checked in a real browser.
  chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
as_root=()
[ "$(id -u)" -ne 0 ] && as_root=(sudo)
# env inside sudo: sudo would drop DEBIAN_FRONTEND (tzdata asks otherwise).
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
