#!/usr/bin/env bash
# Whole processes side by side, in one run, for issue 13's targets 1 (start-up) and 3 (many files):
#   1. `bin/walkit wal info --json` on the bundled 49 KB sample WAL vs SQLite's recovery of it
#      (`sqlite3 -cmd '.dbconfig no_ckpt_on_close on' DB 'PRAGMA wal_checkpoint(NOOP)'` on a copy
#      whose -shm is removed before every run, not timed), a bare JVM (`java -version`) and the
#      start-up levers one at a time (direct java without AOT cache, with it, through picocli, and
#      "before": picocli, dynamic CDS archive, the flags bin/walkit used before issue 13).
#   2. `bin/walkit scan --json DIR` over N copies of that database + WAL vs a shell loop of the same
#      sqlite3 recovery over the same files, and vs a loop of single `bin/walkit wal info` calls
#      (over LOOPN of the files, scaled to N: a loop over 2,000 JVMs takes minutes here).
# hyperfine alternates nothing by itself; each command gets its runs back to back, so the script
# repeats the whole comparison ROUNDS times and prints every round: compare ratios within a round.
#
# Usage: benchmarks/run-startup.sh
# Environment: WALKIT_BENCH_WORK (default /tmp/walkit-bench), N (default 2000), LOOPN (default 100),
#   RUNS (hyperfine runs for target 1, default 20), T3RUNS (for target 3, default 3), ROUNDS (default 2)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bin/lib/jdk25.sh"
walkit_select_jdk
JAVA="$JAVA_HOME/bin/java"
for tool in sqlite3 hyperfine; do
  command -v $tool >/dev/null || { echo "run-startup: $tool is required" >&2; exit 2; }
done
WORK=${WALKIT_BENCH_WORK:-/tmp/walkit-bench}/startup
N=${N:-2000}
LOOPN=${LOOPN:-100}
RUNS=${RUNS:-20}
ROUNDS=${ROUNDS:-2}
out="$WORK/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out" "$WORK/one" "$WORK/many"

"$root/bin/walkit" --version >/dev/null   # builds the jar and the AOT cache when needed
jar="$root/cli/target/walkit.jar"
aot="$root/cli/target/walkit-fast.aot"   # the cache bin/walkit uses for wal info (bin/lib/verbs.conf)
fullaot="$root/cli/target/walkit.aot"
cp "$root/testdata/wal/sample.db" "$root/testdata/wal/sample.db-wal" "$WORK/one/"
rm -f "$WORK/one/sample.db-shm"
if [ "$(ls "$WORK/many" | grep -c '\.db-wal$' || true)" != "$N" ]; then
  rm -rf "$WORK/many" && mkdir -p "$WORK/many"
  for i in $(seq -w 1 "$N"); do
    cp "$root/testdata/wal/sample.db" "$WORK/many/s$i.db"
    cp "$root/testdata/wal/sample.db-wal" "$WORK/many/s$i.db-wal"
  done
fi
rm -f "$WORK/many/"*-shm

# Both must agree before anything is timed: SQLite's mxFrame (log column) and walkit's.
sq=$(sqlite3 -cmd '.dbconfig no_ckpt_on_close on' "$WORK/one/sample.db" 'PRAGMA wal_checkpoint(NOOP)' | tail -n 1 | cut -d'|' -f2)
rm -f "$WORK/one/sample.db-shm"
wk=$("$root/bin/walkit" wal info --json "$WORK/one/sample.db-wal" | sed -n 's/.*"mxFrame":\([0-9]*\).*/\1/p')
echo "mxFrame: sqlite3 $sq, walkit $wk" | tee "$out/agree.txt"
[ "$sq" = "$wk" ] || { echo "run-startup: walkit and SQLite disagree" >&2; exit 1; }

flags="--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10"
# The distribution's launcher, when dist/ has been built (mvn package -pl dist -am).
distcmd=()
for d in "$root"/dist/target/walkit-*/bin/walkit; do
  [ -x "$d" ] && distcmd=(-n dist-launcher "$d wal info --json $WORK/one/sample.db-wal")
done
one="$WORK/one/sample.db-wal"
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round, target 1 ($(uptime | sed 's/.*load/load/'))"
  hyperfine -N -w 3 -r "$RUNS" --export-json "$out/t1-$round.json" \
    --prepare "rm -f $WORK/one/sample.db-shm" \
    -n sqlite3-recovery "sqlite3 -cmd '.dbconfig no_ckpt_on_close on' $WORK/one/sample.db 'PRAGMA wal_checkpoint(NOOP)'" \
    -n bin-walkit "$root/bin/walkit wal info --json $one" "${distcmd[@]}" \
    -n java-aot-fastpath "$JAVA $flags -XX:AOTCache=$aot -Xlog:aot=off -Xlog:cds=off -jar $jar wal info --json $one" \
    -n java-noaot-fastpath "$JAVA $flags -jar $jar wal info --json $one" \
    -n java-aot-picocli "$JAVA $flags -XX:AOTCache=$fullaot -Xlog:aot=off -Xlog:cds=off -jar $jar wal info --json -- $one" \
    -n before-picocli-jsa "$JAVA $flags -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$WORK/before.jsa -Xlog:cds=off -Xlog:cds+dynamic=off -jar $jar wal info --json -- $one" \
    -n java-version "$JAVA $flags -version" 2>&1 | grep -v "^ *$" | tee "$out/t1-$round.txt" | grep -E "^Benchmark|Time \(mean|Range"
  echo "== round $round, target 3: $N sets ($(uptime | sed 's/.*load/load/'))"
  hyperfine -N -w 0 -r "${T3RUNS:-3}" --export-json "$out/t3-$round.json" \
    --prepare "bash -c 'rm -f $WORK/many/*-shm'" \
    -n "sqlite3-loop-$N" "bash -c 'for f in $WORK/many/*.db; do sqlite3 -cmd \".dbconfig no_ckpt_on_close on\" \$f \"PRAGMA wal_checkpoint(NOOP)\" >/dev/null; done'" \
    -n "walkit-scan-$N" "$root/bin/walkit scan --json $WORK/many" \
    -n "walkit-loop-$LOOPN" "bash -c 'for f in \$(ls $WORK/many/*.db-wal | head -n $LOOPN); do $root/bin/walkit wal info --json \$f >/dev/null; done'" \
    2>&1 | grep -v "^ *$" | tee "$out/t3-$round.txt" | grep -E "^Benchmark|Time \(mean|Range"
done
echo "results: $out"
