#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build/fuzz and
# runs every *_fuzzer for the given number of seconds each (default 60).
# Fails if any fuzzer finds a crash, a leak or a failed check.
#
#   scripts/fuzz.sh        # 60 s per fuzzer
#   scripts/fuzz.sh 600    # 10 min per fuzzer
#
# Seeds come from tests/data/fuzz/<name>/, where <name> is the fuzzer's name
# without "_fuzzer" (csv_reader_fuzzer -> csv_reader) or, failing that, its
# first word (csv_reader_fuzzer -> csv). New inputs go to
# build/fuzz/corpus/<fuzzer>/ and crashing inputs to build/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
if ! [[ "${seconds}" =~ ^[0-9]+$ ]] || [[ "${seconds}" -eq 0 ]]; then
  echo "usage: $0 [seconds per fuzzer]" >&2
  exit 2
fi

build=build/fuzz
CC=clang CXX=clang++ cmake -S . -B "${build}" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTELLUS_FUZZ=ON \
  -DTELLUS_BUILD_BENCHMARKS=OFF
cmake --build "${build}" -j2 --target tellus_fuzzers

mapfile -t fuzzers < <(find "${build}/tests/fuzz" -maxdepth 1 -type f \
  -name '*_fuzzer' -perm -u+x | sort)
if [[ ${#fuzzers[@]} -eq 0 ]]; then
  echo "no fuzzers were built" >&2
  exit 1
fi

mkdir -p "${build}/artifacts"
failed=()
for fuzzer in "${fuzzers[@]}"; do
  name="$(basename "${fuzzer}")"
  short="${name%_fuzzer}"
  corpus="${build}/corpus/${name}"
  mkdir -p "${corpus}"
  seeds=()
  for dir in "tests/data/fuzz/${short}" "tests/data/fuzz/${short%%_*}"; do
    if [[ -d "${dir}" ]]; then
      seeds=("${dir}")
      break
    fi
  done
  echo "==> ${name}: ${seconds} s, seeds: ${seeds[*]:-none}" >&2
  if ! "${fuzzer}" -max_total_time="${seconds}" -timeout=10 \
      -artifact_prefix="${build}/artifacts/${name}-" \
      -print_final_stats=1 "${corpus}" "${seeds[@]}"; then
    failed+=("${name}")
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "FAILED: ${failed[*]} (inputs in ${build}/artifacts/)" >&2
  exit 1
fi
echo "all ${#fuzzers[@]} fuzzers ran ${seconds} s each without a failure" >&2
