#!/usr/bin/env bash
# Regenerates samples/expected/*.json from samples/advisories/* with the built CLI and a fixed
# clock, and shows what changed. Read the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/prose2stix}"
mkdir -p samples/expected
for f in samples/advisories/*; do
  name=$(basename "$f")
  "$bin" convert --pretty --fixed-time 2025-01-01T00:00:00.000Z "samples/advisories/$name" -o "samples/expected/$name.json"
done
git --no-pager diff --stat -- samples/expected || true
