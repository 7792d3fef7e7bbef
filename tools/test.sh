#!/usr/bin/env bash
# Installs what is missing, builds prose2stix (Release, warnings as errors) and runs every test.
# Usage: tools/test.sh [BUILD_DIR] [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
build="${1:-build}"; shift || true
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DPROSE2STIX_WERROR=ON "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
