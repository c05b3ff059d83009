#!/usr/bin/env bash
# Whole-process restore speed against real Litestream v0.3.13, same replica, same run.
# Builds a database of about SIZE_MB megabytes with sqlite3, replicates it with `litestream replicate`
# to a file replica (one snapshot plus WAL segments of a few more transactions), stops it, then times
#   litestream restore -o A file://replica
#   walkit litestream restore replica -o B                       (with walkit's integrity check)
#   walkit litestream restore replica -o C --no-integrity-check
# and checks that A, B and C are byte-identical. Usage: benchmarks/run-litestream-restore.sh [SIZE_MB]
# Needs ~/.cache/walkit/litestream/package/litestream (.ci/run installs it) or WALKIT_LITESTREAM.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
ls_bin=${WALKIT_LITESTREAM:-$HOME/.cache/walkit/litestream/package/litestream}
work=$(mktemp -d "${TMPDIR:-/tmp}/walkit-ls-bench.XXXXXX")
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
rows=$(( size_mb * 1024 * 1024 / 1100 ))
sqlite3 "$work/app.db" <<SQL >/dev/null
PRAGMA page_size=4096; PRAGMA journal_mode=WAL;
CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<$rows)
INSERT INTO t SELECT i, randomblob(1000) FROM n;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
cat > "$work/ls.yml" <<YML
dbs:
  - path: $work/app.db
    monitor-interval: 200ms
    replicas:
      - type: file
        path: $work/replica
        sync-interval: 200ms
YML
"$ls_bin" replicate -config "$work/ls.yml" > "$work/ls.log" 2>&1 &
pid=$!
until ls "$work"/replica/generations/*/snapshots/*.lz4 >/dev/null 2>&1; do sleep 1; done
for k in 1 2 3 4 5; do
  sqlite3 "$work/app.db" "PRAGMA busy_timeout=10000; INSERT INTO t(v) SELECT randomblob(1000) FROM generate_series(1, 2000);" >/dev/null
  sleep 1
done
sleep 3
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
replica_mb=$(du -sm "$work/replica" | cut -f1)
db_mb=$(( $(stat -c %s "$work/app.db") / 1048576 ))
bin/walkit --version >/dev/null 2>&1 || true   # build the jar outside the timing
. bin/lib/jdk25.sh; walkit_select_jdk
# bin/walkit runs C1 only (fast start for short runs); a 1 GiB restore is a long run, so the JVM
# runs with its default tiered JIT here: java -jar cli/target/walkit.jar.
walkit() { "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar cli/target/walkit.jar "$@"; }
time_it() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN{printf "%.2f", e-s}'; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "database ${db_mb} MiB, replica ${replica_mb} MiB (compressed)"
for round in 1 2; do
  rm -f "$work"/a.db* "$work"/b.db "$work"/c.db "$work"/d.db
  t_c1=$(time_it bin/walkit litestream restore "$work/replica" -o "$work/d.db" --no-integrity-check)
  t_ls=$(time_it "$ls_bin" restore -o "$work/a.db" "file://$work/replica")
  t_wk=$(time_it walkit litestream restore "$work/replica" -o "$work/b.db")
  t_wn=$(time_it walkit litestream restore "$work/replica" -o "$work/c.db" --no-integrity-check)
  cmp "$work/a.db" "$work/b.db" && cmp "$work/a.db" "$work/c.db" && same=identical || same=DIFFERENT
  echo "round $round: litestream restore ${t_ls} s | walkit restore + integrity check ${t_wk} s | walkit restore only ${t_wn} s | bin/walkit (C1 only) restore only ${t_c1} s | outputs ${same}"
done
