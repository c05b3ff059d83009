#!/usr/bin/env bash
# Whole processes side by side on one big WAL made by SQLite (issue 13, targets 2 and 4):
# `bin/walkit wal info --json` against SQLite's recovery of a copy of the same database + WAL
# (`sqlite3 -cmd '.dbconfig no_ckpt_on_close on' DB 'PRAGMA wal_checkpoint(NOOP)'`, the -shm
# removed before every run, not timed), wall time (hyperfine) and peak RSS (/usr/bin/time %M), after
# checking that both report the same mxFrame.
#
# Usage: benchmarks/run-bigfile.sh [NAME...]   NAME made by ../shared/bench-anchors/make_wal.sh
#        under $WALKIT_BENCH_WORK/gen (default w1g; w4g for 4 GiB); made here when missing.
# Environment: WALKIT_BENCH_WORK (default /tmp/walkit-bench), RUNS (default 5),
#   BASELINE: another checkout's bin/walkit (e.g. a `git worktree` of main, built) timed in the same
#   run as "baseline-walkit", to show what a change bought.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
WORK=${WALKIT_BENCH_WORK:-/tmp/walkit-bench}
RUNS=${RUNS:-5}
anchors="$root/../shared/bench-anchors"
[ -f "$anchors/make_wal.sh" ] || anchors="$root/../../shared/bench-anchors"
out="$WORK/results/bigfile-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out" "$WORK/gen"
"$root/bin/walkit" --version >/dev/null
for name in ${*:-w1g}; do
  if [ ! -f "$WORK/gen/$name.db-wal" ]; then
    mib=$(case $name in w16) echo 16;; w256) echo 256;; w1g) echo 1024;; w4g) echo 4096;; *) echo 64;; esac)
    (cd "$WORK/gen" && bash "$anchors/make_wal.sh" "$name" "$mib")
  fi
  mkdir -p "$WORK/rec"
  cp "$WORK/gen/$name.db" "$WORK/gen/$name.db-wal" "$WORK/rec/"
  rm -f "$WORK/rec/$name.db-shm"
  sq=$(sqlite3 -cmd '.dbconfig no_ckpt_on_close on' "$WORK/rec/$name.db" 'PRAGMA wal_checkpoint(NOOP)' | tail -n 1 | cut -d'|' -f2)
  rm -f "$WORK/rec/$name.db-shm"
  wk=$("$root/bin/walkit" wal info --json "$WORK/gen/$name.db-wal" | sed -n 's/.*"mxFrame":\([0-9]*\).*/\1/p')
  echo "$name mxFrame: sqlite3 $sq, walkit $wk" | tee -a "$out/agree.txt"
  [ "$sq" = "$wk" ] || { echo "run-bigfile: walkit and SQLite disagree on $name" >&2; exit 1; }
  echo "== $name ($(uptime | sed 's/.*load/load/'))"
  hyperfine -N -w 1 -r "$RUNS" --export-json "$out/$name.json" --prepare "rm -f $WORK/rec/$name.db-shm" \
    -n sqlite3-recovery "sqlite3 -cmd '.dbconfig no_ckpt_on_close on' $WORK/rec/$name.db 'PRAGMA wal_checkpoint(NOOP)'" \
    -n bin-walkit "$root/bin/walkit wal info --json $WORK/gen/$name.db-wal" \
    ${BASELINE:+-n baseline-walkit "$BASELINE wal info --json $WORK/gen/$name.db-wal"} 2>&1 \
    | grep -v "^ *$" | tee "$out/$name.txt" | grep -E "^Benchmark|Time \(mean|Range|faster|±|times"
  for i in 1 2 3; do
    rm -f "$WORK/rec/$name.db-shm"
    /usr/bin/time -f "sqlite3 %e s wall %U s user %S s sys %M KB peak RSS" \
      sqlite3 -cmd '.dbconfig no_ckpt_on_close on' "$WORK/rec/$name.db" 'PRAGMA wal_checkpoint(NOOP)' 2>&1 >/dev/null | tee -a "$out/$name.rss"
    /usr/bin/time -f "walkit  %e s wall %U s user %S s sys %M KB peak RSS" \
      "$root/bin/walkit" wal info --json "$WORK/gen/$name.db-wal" 2>&1 >/dev/null | tee -a "$out/$name.rss"
    if [ -n "${BASELINE:-}" ]; then
      /usr/bin/time -f "baseline %e s wall %U s user %S s sys %M KB peak RSS" \
        "$BASELINE" wal info --json "$WORK/gen/$name.db-wal" 2>&1 >/dev/null | tee -a "$out/$name.rss"
    fi
  done
done
echo "results: $out"
