#!/usr/bin/env bash
# The ABI gate of libtellus.so, with libabigail (Debian's abigail-tools).
#
#   abi_check.sh dump LIBRARY OUT   writes LIBRARY's ABI (abidw XML) to OUT
#   abi_check.sh check BASELINE LIBRARY
#       fails unless LIBRARY's ABI is BASELINE's, or BASELINE's plus added
#       functions: abidiff --no-added-syms, and ANY non-zero exit fails (4: a
#       changed function, 8 or 12: a removed one, 1 or 2: abidiff itself
#       failed).
#
# Both modes dump with the same options, so the baseline and the library
# compare like for like: only the exported tellus_* functions and the types
# they use (the handles stay opaque), no source locations, paths or
# dependencies.
# scripts/update-abi-baseline.sh regenerates abi/libtellus.abi on purpose.
# Environment: ABIDW, ABIDIFF (default: from PATH).
set -euo pipefail
abidw=${ABIDW:-abidw}
abidiff=${ABIDIFF:-abidiff}

dump() {
  "$abidw" --exported-interfaces-only --no-show-locs --no-comp-dir-path \
    --no-corpus-path --no-elf-needed --out-file "$2" "$1"
  # Without debug information abidw sees names only, and a changed signature
  # would pass unnoticed.
  if ! grep -q "<function-decl name='tellus_version_number'" "$2" ||
     ! grep -q "<parameter type-id=" "$2"; then
    echo "abi_check: $1 has no debug information for its C ABI;" \
         "the gate cannot see function signatures" >&2
    exit 1
  fi
}

case "${1:-}" in
  dump)
    [ $# -eq 3 ] || { echo "usage: $0 dump LIBRARY OUT" >&2; exit 2; }
    dump "$2" "$3"
    ;;
  check)
    [ $# -eq 3 ] || { echo "usage: $0 check BASELINE LIBRARY" >&2; exit 2; }
    baseline=$2
    library=$3
    [ -f "$baseline" ] || { echo "abi_check: no baseline $baseline" >&2; exit 1; }
    current=$(mktemp --suffix=.abi)
    trap 'rm -f "$current"' EXIT
    dump "$library" "$current"
    status=0
    "$abidiff" --no-added-syms "$baseline" "$current" || status=$?
    if [ "$status" -ne 0 ]; then
      echo "abi_check: the ABI of $(basename "$library") differs from" \
           "$baseline (abidiff exit $status)." >&2
      echo "A removed or changed function breaks every program built" \
           "against the baseline; add a new function (tellus_x_v2) instead." >&2
      echo "If the change is intended (a new major version), run" \
           "scripts/update-abi-baseline.sh and commit the baseline." >&2
      exit 1
    fi
    echo "abi_check: $(basename "$library") keeps the ABI of $baseline" \
         "($(grep -c "<elf-symbol name='tellus_" "$current") functions)"
    ;;
  *)
    echo "usage: $0 dump LIBRARY OUT | check BASELINE LIBRARY" >&2
    exit 2
    ;;
esac
