#!/usr/bin/env bash
# JIT flags per verb (issue 13, target 1; bin/lib/verbs.conf): every verb that the table sets to
# full tiered compilation ("c2"), timed as a whole process through the distribution's launcher with
# its table setting and with C1 only (WALKIT_JAVA_OPTS=-XX:TieredStopAtLevel=1, which comes after
# the table's flags and so wins), on a database made here with sqlite3:
#   big.db   400,000 rows (INTEGER PRIMARY KEY, TEXT with an index, REAL, 60-byte BLOB), checkpointed,
#   big.db-wal  then every 7th row deleted, every 11th updated, every 13th deleted (no checkpoint)
#   many/    COPIES copies of testdata/wal/sample.db + -wal (for scan)
# and wal info on the bundled sample (the start-up case) with "quick" (the table's setting),
# "c1", "c2" and -Xint. hyperfine alternates nothing by itself; compare within one run and give
# the load (uptime) with the figures.
#
# Usage: benchmarks/run-jit-verbs.sh     (builds nothing: run `bin/test -pl dist -am -DskipTests` first)
# Environment: WALKIT_BENCH_WORK (default /tmp/walkit-bench), ROWS (400000), COPIES (500), RUNS (3)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
for tool in sqlite3 hyperfine; do
  command -v $tool >/dev/null || { echo "run-jit-verbs: $tool is required" >&2; exit 2; }
done
walkit=$(ls "$root"/dist/target/walkit-*/bin/walkit 2>/dev/null | head -n 1)
[ -x "$walkit" ] || { echo "run-jit-verbs: build the distribution first (bin/test -pl dist -am -DskipTests)" >&2; exit 2; }
WORK=${WALKIT_BENCH_WORK:-/tmp/walkit-bench}/jit
ROWS=${ROWS:-400000}
COPIES=${COPIES:-500}
RUNS=${RUNS:-3}
mkdir -p "$WORK/many"
if [ ! -f "$WORK/big.db-wal" ] || [ "$(cat "$WORK/rows" 2>/dev/null)" != "$ROWS" ]; then
  rm -f "$WORK"/big.db*
  sqlite3 -cmd '.dbconfig no_ckpt_on_close on' "$WORK/big.db" >/dev/null <<EOF
PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;
CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, val REAL, b BLOB);
CREATE INDEX t_name ON t(name);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<$ROWS)
  INSERT INTO t SELECT x, 'name-'||x||hex(randomblob(20)), x*1.5, randomblob(60) FROM c;
PRAGMA wal_checkpoint(TRUNCATE);
DELETE FROM t WHERE id % 7 = 0;
UPDATE t SET val = val + 1 WHERE id % 11 = 0;
DELETE FROM t WHERE id % 13 = 0;
EOF
  rm -f "$WORK/big.db-shm"
  echo "$ROWS" > "$WORK/rows"
fi
if [ "$(ls "$WORK/many" | grep -c '\.db-wal$' || true)" != "$COPIES" ]; then
  rm -rf "$WORK/many" && mkdir -p "$WORK/many"
  for i in $(seq -w 1 "$COPIES"); do
    cp "$root/testdata/wal/sample.db" "$WORK/many/s$i.db"
    cp "$root/testdata/wal/sample.db-wal" "$WORK/many/s$i.db-wal"
  done
fi
ls -la "$WORK"/big.db*
echo "load before: $(uptime | sed 's/.*load/load/')"
c1=-XX:TieredStopAtLevel=1
run() {   # label, walkit arguments...
  local label=$1; shift
  echo "== $label"
  hyperfine -N -w 1 -r "$RUNS" \
    -n "table" "$walkit $*" \
    -n "c1" "env WALKIT_JAVA_OPTS=$c1 $walkit $*" 2>&1 \
    | grep -E "^Benchmark|Time \(mean|Range" || true
}
s=$root/testdata/wal/sample.db-wal
echo "== wal info sample (start-up case)"
hyperfine -N -w 2 -r $((RUNS * 4)) \
  -n "quick (table)" "$walkit wal info --json $s" \
  -n "c1" "env WALKIT_JAVA_OPTS='-XX:CompileThresholdScaling=1' $walkit wal info --json $s" \
  -n "c2" "env WALKIT_JAVA_OPTS='-XX:TieredStopAtLevel=4 -XX:CompileThresholdScaling=1' $walkit wal info --json $s" \
  -n "Xint" "env WALKIT_JAVA_OPTS=-Xint $walkit wal info --json $s" 2>&1 | grep -E "^Benchmark|Time \(mean|Range" || true
echo "== wal info big.db-wal"
hyperfine -N -w 1 -r "$RUNS" \
  -n "quick (table)" "$walkit wal info --json $WORK/big.db-wal" \
  -n "c2" "env WALKIT_JAVA_OPTS='-XX:TieredStopAtLevel=4 -XX:CompileThresholdScaling=1' $walkit wal info --json $WORK/big.db-wal" 2>&1 \
  | grep -E "^Benchmark|Time \(mean|Range" || true
run "db check big.db (+WAL)" db check --json "$WORK/big.db"
run "db dump big.db t (+WAL)" db dump --json "$WORK/big.db" t
run "db carve big.db (+WAL)" db carve --json "$WORK/big.db"
run "db history big.db t --rowid=77" db history --json --rowid=77 "$WORK/big.db" t
run "scan $COPIES sets" scan --json "$WORK/many"
echo "load after: $(uptime | sed 's/.*load/load/')"
