#!/usr/bin/env bash
# The README's test command: installs what tellus needs, then configures,
# builds and runs every test in the release build and in the AddressSanitizer
# + UBSan build (CMake workflow presets), fuzzes every libFuzzer target for
# a bounded time (TELLUS_FUZZ_SECONDS, default 60), and ends with ctest's
# summary of each. Both run even if the first fails; the exit status is non-zero if
# either failed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

presets=(release asan)
mkdir -p build
status=0
for preset in "${presets[@]}"; do
  echo "==> ${preset}: configure, build, test" >&2
  cmake --workflow --preset "${preset}" 2>&1 | tee "build/${preset}.log" \
    || status=1
done

# pytest's own summary line: ctest shows a passing test's output only when
# asked, so the Python suite of the release build is shown verbosely.
pytest_line=$(ctest --test-dir build/release -R '^python$' -V 2>&1 \
  | grep -E '^[0-9]+: .*[0-9]+ (passed|failed)' | tail -n 1 | sed -E 's/^[0-9]+: //' || true)
[ -n "${pytest_line}" ] || { pytest_line="pytest: no summary (see build/release.log)"; status=1; }

# A bounded fuzzing run of every libFuzzer target (clang, ASan + UBSan).
fuzz_seconds="${TELLUS_FUZZ_SECONDS:-60}"
echo "==> fuzz: ${fuzz_seconds} s per fuzzer" >&2
fuzz_result="fuzz: every fuzzer ran ${fuzz_seconds} s with no crash, leak or failed check"
if ! scripts/fuzz.sh "${fuzz_seconds}" > build/fuzz.log 2>&1; then
  fuzz_result="fuzz: FAILED (see build/fuzz.log)"
  tail -n 30 build/fuzz.log
  status=1
fi

echo
echo "==> ctest summary"
passed=0
failed=0
complete=1
for preset in "${presets[@]}"; do
  line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' \
         "build/${preset}.log" | tail -n 1 || true)
  if [ -z "${line}" ]; then
    echo "${preset}: no test ran (configure or build failed, see build/${preset}.log)"
    status=1
    complete=0
    continue
  fi
  echo "${preset}: ${line}"
  sed -n '/^The following tests FAILED:/,/^$/p' "build/${preset}.log"
  [[ ${line} =~ ([0-9]+)\ tests\ failed\ out\ of\ ([0-9]+) ]]
  failed=$((failed + BASH_REMATCH[1]))
  passed=$((passed + BASH_REMATCH[2] - BASH_REMATCH[1]))
done
echo "pytest: ${pytest_line}"
echo "${fuzz_result}"
if [ "${complete}" -eq 1 ]; then
  echo "total: ${passed} passed, ${failed} failed"
fi
exit "${status}"
