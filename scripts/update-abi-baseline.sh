#!/usr/bin/env bash
# Regenerates the committed ABI baseline, abi/libtellus.abi, from the
# release build of libtellus.so. Run it only when the C ABI changes on
# purpose:
#   - after adding functions to tellus.h (the gate passes without it, but
#     the baseline should then protect the new functions too);
#   - for a new major version, when functions are removed or changed.
# Then review `git diff abi/` and commit the baseline with the change.
#
# Usage: scripts/update-abi-baseline.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}

if [ ! -f "$build/CMakeCache.txt" ]; then
  if [ "$build" = build/release ]; then
    cmake --preset release >&2
  else
    echo "update-abi-baseline: $build is not a configured build" >&2
    exit 1
  fi
fi
if grep -q '^TELLUS_SANITIZE:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "update-abi-baseline: $build is a sanitizer build; use a release one" >&2
  exit 1
fi
cmake --build "$build" --target tellus >&2
mkdir -p abi
bash tests/abi_check.sh dump "$build/libtellus.so" abi/libtellus.abi
echo "update-abi-baseline: wrote abi/libtellus.abi" \
     "($(grep -c "<elf-symbol name='tellus_" abi/libtellus.abi) functions)"
