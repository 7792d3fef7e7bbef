#!/usr/bin/env bash
# Batch conversion benchmark (run by hand, not in CI).
#
#   tools/bench/batch_bench.sh [TARGET_MB] [PROSE2STIX_BINARY]
#
# Builds a corpus of at least TARGET_MB (default 200) megabytes under /tmp: the AnnoCTR texts
# (../shared/data/annoctr/text), the seeds (../shared/seeds) and samples/advisories, replicated
# under new names in nested folders, with a few corrupt files mixed in (truncated PDFs, binary
# junk, empty files). Then, on the same files, it times `wc -w` and `prose2stix convert --out-dir`
# with --jobs 1 and --jobs 2, and reports MB/s, documents/s, peak RSS, the 1 -> 2 job speedup and
# the ratio to wc -w. The corpus is kept for re-runs (delete /tmp/prose2stix-batch-corpus-*).
# Environment: PROSE2STIX_SHARED_DIR (default: the repository's sibling ../shared), KEEP_OUT=1 keeps
# the output directories, JOBS="1 2" chooses the job counts (JOBS="" builds the corpus and times wc
# only), SYNC=0 adds --no-sync, OUT_ROOT=DIR puts the output folders there (default /tmp; on an ext4
# without a journal that has just deleted many files, creating 17,000 new ones costs seconds of
# kernel time in inode allocation: OUT_ROOT=/dev/shm takes the disk out of the measure).
#
# Measured 2026-11-27, 21:45 UTC, on the 2-core dev machine (Release build), 200.6 MB, 17,184 files
# (537 corrupt or empty, all reported in failures.ndjson), three runs:
#   OUT_ROOT=/dev/shm SYNC=0  convert --jobs 1  10.1-11.0 CPU s, 18.3-19.8 MB per CPU second: 8.2-9.5x the CPU
#                             time of wc -w (163-182 MB per CPU second in the same runs), 41 MB RSS
#                             convert --jobs 2  5.1-5.7 s wall (1.93-2.03x), 35.3-39.3 MB/s: 4.7-5.0x the wall
#                             time of wc -w, 9.0-9.3x its CPU time, 45 MB RSS
#   the build before this round, same session: --jobs 1 16.2 MB per CPU second (11.3x), --jobs 2 32.8 MB/s.
#   outputs on /tmp (ext4)    14.2 MB per CPU second with fsync (12.0x), 12.3 without: the kernel's inode
#                             allocation among the thousands of files just deleted costs more than fsync.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
target_mb=${1:-200}
bin=${2:-$here/build/prose2stix}
shared=${PROSE2STIX_SHARED_DIR:-$here/../shared}
[[ -d $shared/data ]] || shared=/work/shared
corpus=/tmp/prose2stix-batch-corpus-$target_mb
jobs_list=${JOBS-"1 2"}
sync_flag=""
[[ ${SYNC:-1} == 0 ]] && sync_flag="--no-sync"

[[ -x $bin ]] || { echo "no prose2stix binary at $bin (build it first)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time: apt-get install -y time" >&2; exit 2; }

sources=()
for d in "$shared/data/annoctr/text" "$shared/seeds" "$here/samples/advisories"; do
  [[ -d $d ]] || continue
  while IFS= read -r -d '' f; do sources+=("$f"); done < <(find "$d" -type f ! -name 'README*' -print0 | sort -z)
done
(( ${#sources[@]} > 0 )) || { echo "no source documents found (shared dir: $shared)" >&2; exit 2; }

if [[ ! -f $corpus/.complete ]]; then
  echo "building a corpus of >= $target_mb MB in $corpus from ${#sources[@]} documents ..."
  rm -rf "$corpus"
  mkdir -p "$corpus"
  target_bytes=$((target_mb * 1000 * 1000))
  # Bytes of one replica (the corrupt files add about 3.7 kB more).
  rep_bytes=$(cat "${sources[@]}" | wc -c)
  bytes=0
  rep=0
  while (( bytes < target_bytes )); do
    dir="$corpus/batch$((rep / 20))/set$rep"
    mkdir -p "$dir/a" "$dir/b/c"
    i=0
    for f in "${sources[@]}"; do
      base=$(basename "$f")
      case $((i % 3)) in
        0) dst="$dir/a/r${rep}-$base" ;;
        1) dst="$dir/b/r${rep}-$base" ;;
        *) dst="$dir/b/c/r${rep}-$base" ;;
      esac
      cp "$f" "$dst"
      i=$((i + 1))
    done
    # Corrupt inputs, one of each kind per replica: truncated PDF, binary junk, empty file.
    if [[ -f $here/samples/advisories/energy-sector-alert.pdf ]]; then
      head -c 700 "$here/samples/advisories/energy-sector-alert.pdf" > "$dir/a/r${rep}-truncated.pdf"
    fi
    head -c 3000 /dev/urandom > "$dir/b/r${rep}-junk.bin"
    : > "$dir/b/c/r${rep}-empty.txt"
    bytes=$((bytes + rep_bytes + 3700))
    rep=$((rep + 1))
  done
  touch "$corpus/.complete"
fi

files=$(find "$corpus" -type f ! -name .complete | wc -l)
bytes=$(find "$corpus" -type f ! -name .complete -printf '%s\n' | awk '{s += $1} END {print s}')
mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}')
echo "corpus: $files files, $mb MB"
echo "binary: $bin"
echo

# Runs "$@" under /usr/bin/time -v; sets secs (wall), cpu (user + system seconds) and rss_mb.
measure() {
  local log
  log=$(mktemp)
  /usr/bin/time -v "$@" > /dev/null 2> "$log" || true
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$log")
  rss_mb=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$log")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$log")
  grep -E '^prose2stix convert: [0-9]+ converted' "$log" | sed 's/^/    /' || true
  rm -f "$log"
}

rate() { awk -v b="$bytes" -v s="$1" 'BEGIN {printf "%.2f", (s > 0 ? b / 1e6 / s : 0)}'; }
docs_rate() { awk -v n="$files" -v s="$1" 'BEGIN {printf "%.1f", (s > 0 ? n / s : 0)}'; }

# Warm the page cache so both tools read from memory.
find "$corpus" -type f ! -name .complete -print0 | xargs -0 cat > /dev/null

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (wall times suffer on a busy machine;"
echo "CPU seconds and MB per CPU-second do not)"
printf '%-20s %8s %8s %9s %10s %8s %11s\n' "run" "wall s" "CPU s" "MB/s" "docs/s" "RSS MB" "MB/CPU-s"
measure bash -c "find '$corpus' -type f ! -name .complete -print0 | xargs -0 wc -w"
wc_secs=$secs
wc_cpu=$cpu
printf '%-20s %8s %8s %9s %10s %8s %11s\n' "wc -w" "$wc_secs" "$cpu" "$(rate "$wc_secs")" "$(docs_rate "$wc_secs")" \
  "$rss_mb" "$(rate "$cpu")"

declare -A conv_secs conv_cpu
for j in $jobs_list; do
  out=$(mktemp -d "${OUT_ROOT:-/tmp}/prose2stix-batch-out-XXXXXX")
  measure "$bin" convert --quiet $sync_flag --jobs "$j" --out-dir "$out" "$corpus"
  # --quiet drops the totals; count outputs and failures instead.
  outputs=$(find "$out" -name '*.json' | wc -l)
  failures=$(wc -l < "$out/failures.ndjson")
  conv_secs[$j]=$secs
  conv_cpu[$j]=$cpu
  printf '%-20s %8s %8s %9s %10s %8s %11s   (%s bundles, %s failures)\n' "convert --jobs $j" "$secs" "$cpu" \
    "$(rate "$secs")" "$(docs_rate "$secs")" "$rss_mb" "$(rate "$cpu")" "$outputs" "$failures"
  [[ ${KEEP_OUT:-0} == 1 ]] || rm -rf "$out"
done

echo
if [[ -n ${conv_secs[1]:-} && -n ${conv_secs[2]:-} ]]; then
  awk -v a="${conv_secs[1]}" -v b="${conv_secs[2]}" 'BEGIN {printf "speedup 1 -> 2 jobs: %.2fx\n", a / b}'
fi
for j in $jobs_list; do
  awk -v c="${conv_secs[$j]}" -v w="$wc_secs" -v cc="${conv_cpu[$j]}" -v wc="$wc_cpu" -v j="$j" \
    'BEGIN {printf "convert --jobs %s / wc -w: %.1fx the wall time, %.1fx the CPU time (target: within 10x)\n", j,
            (w > 0 ? c / w : 0), (wc > 0 ? cc / wc : 0)}'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
