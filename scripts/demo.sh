#!/usr/bin/env bash
# The README's main job: installs what tellus needs, builds it and prints the
# annual report on the embedded default data set.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target tellus_cli
build/release/tools/tellus/tellus demo "$@"
