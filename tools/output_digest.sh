#!/usr/bin/env bash
# Prints one digest of everything `convert` produces for a fixed set of inputs: the bundle and
# the --explain listing of every AnnoCTR text, every sample source and both seeds, at a fixed
# time. A speed change that must not change output keeps the digest; compare before and after:
#
#   tools/output_digest.sh build/prose2stix [SHARED_DIR]      # prints "<md5>  <files>"
#   KEEP=/tmp/out tools/output_digest.sh build/prose2stix     # also keeps the outputs to diff
set -euo pipefail
bin="$(realpath "$1")"
shared="$(realpath -m "${2:-${PROSE2STIX_SHARED_DIR:-$(dirname "$0")/../../shared}}")"
cd "$(dirname "$0")/.."
out="${KEEP:-$(mktemp -d)}"
mkdir -p "$out"
inputs=()
while IFS= read -r f; do inputs+=("$f"); done < <(
  { find samples/sources samples/advisories -type f 2>/dev/null
    find "$shared/data/annoctr/text" "$shared/seeds" -type f 2>/dev/null; } | LC_ALL=C sort)
for f in "${inputs[@]}"; do
  name="$(echo "$f" | tr '/' '_')"
  "$bin" convert --compact --fixed-time 2025-01-01T00:00:00.000Z "$f" > "$out/$name.json" 2>&1 || true
  "$bin" convert --explain --fixed-time 2025-01-01T00:00:00.000Z "$f" > "$out/$name.explain" 2>&1 || true
done
digest="$(cd "$out" && LC_ALL=C ls | xargs cat | md5sum | cut -d' ' -f1)"
echo "$digest  ${#inputs[@]} inputs"
[[ -n "${KEEP:-}" ]] || rm -rf "$out"
