#!/usr/bin/env bash
# The README's main job: installs what tellus needs, builds it and prints the
# annual report on the embedded default data set. Only the report goes to
# stdout; installing and building report on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target tellus_cli >&2
exec build/release/tools/tellus/tellus demo "$@"
