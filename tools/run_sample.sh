#!/usr/bin/env bash
# Installs what is missing, builds prose2stix, and converts a bundled sample advisory to STIX 2.1.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >&2
cmake --build build -j"$(nproc)" --target prose2stix-bin >&2
sample="${1:-samples/advisories/volt-typhoon-utilities.txt}"
build/prose2stix convert --pretty "$sample"
