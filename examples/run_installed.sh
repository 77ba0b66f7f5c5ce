#!/usr/bin/env bash
# Installs a tellus build into a scratch prefix, then builds examples/report.c
# against it seeing nothing but tellus.h (copied alone into its own include
# folder) and libtellus.so, runs it on a data set and checks the report.
#
# Usage: run_installed.sh BUILD_DIR WORK_DIR LIBDIR DATA_DIR
# Environment: CMAKE, CC, CFLAGS (e.g. the sanitizer flags of the build).
set -euo pipefail
build=$1
work=$2
libdir=$3
data=$4
here=$(cd "$(dirname "$0")" && pwd)
prefix=$work/prefix

rm -rf "$work"
mkdir -p "$work/include/tellus"
"${CMAKE:-cmake}" --install "$build" --prefix "$prefix" >"$work/install.log"
cp "$prefix/include/tellus/tellus.h" "$work/include/tellus/"
# shellcheck disable=SC2086  # CFLAGS is a list of flags
"${CC:-cc}" -std=c99 -Wall -Wextra -Werror -pedantic ${CFLAGS:-} \
  -I"$work/include" "$here/report.c" -o "$work/report_c" \
  -L"$prefix/$libdir" -ltellus -Wl,-rpath,"$prefix/$libdir"
loaded=$(ldd "$work/report_c" | awk '$1 ~ /^libtellus\.so/ { print $3 }')
[ "$(realpath "$loaded")" = "$(realpath "$prefix/$libdir/libtellus.so.0")" ] || {
  echo "run_installed: report_c loads '$loaded', not the installed library" >&2
  exit 1
}
"$work/report_c" "$data/cases.csv" "$data/interactions.csv" 2023/24 \
  2024-06-30 json >"$work/report.json"
grep -q '"complaints_received"' "$work/report.json"
grep -q '"label": "2023/24"' "$work/report.json" ||
  grep -q '"label":"2023/24"' "$work/report.json"
echo "run_installed: report_c built against the installed tellus.h and" \
     "libtellus.so printed the 2023/24 report"
