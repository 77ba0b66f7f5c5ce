#!/usr/bin/env bash
# Fails unless the shared library exports functions and every one of them is
# part of the C ABI (named tellus_*).
# Usage: exported_symbols_test.sh NM LIBRARY
set -euo pipefail
nm=$1
lib=$2

symbols=$("$nm" -D --defined-only "$lib" | awk '{ print $NF }' | sort)
if [ -z "$symbols" ]; then
  echo "$lib exports no symbol" >&2
  exit 1
fi
stray=$(grep -v '^tellus_' <<<"$symbols" || true)
if [ -n "$stray" ]; then
  echo "$lib exports $(wc -l <<<"$stray") symbol(s) outside the C ABI:" >&2
  head -n 50 <<<"$stray" >&2
  exit 1
fi
echo "$lib exports $(wc -l <<<"$symbols") symbol(s), all tellus_*:"
echo "$symbols"
