#!/usr/bin/env bash
# The README's test command: installs what tellus needs, then builds and runs
# every test in the release and the AddressSanitizer + UBSan builds.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

for preset in release asan; do
  echo "==> ${preset}: configure, build, test" >&2
  cmake --workflow --preset "${preset}"
done
