#!/usr/bin/env bash
# Whole-process carving speed: builds a database of about SIZE_MB megabytes with real sqlite3
# (secure_delete off, a third of the rows deleted), then times `walkit db carve --json` on it
# (JVM start, live-row filter and output included). Usage: benchmarks/run-carve.sh [SIZE_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-256}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rows=$(( size_mb * 1024 * 1024 / 200 ))
sqlite3 "$work/big.db" <<SQL
PRAGMA page_size=4096; PRAGMA journal_mode=DELETE; PRAGMA secure_delete=OFF;
CREATE TABLE t(a INTEGER, b TEXT, c REAL, d INTEGER);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<$rows)
INSERT INTO t SELECT random(), printf('row-%d-%s', i, hex(randomblob(70))), i * 0.5, i FROM n;
DELETE FROM t WHERE d % 3 = 0;
SQL
bytes=$(stat -c %s "$work/big.db")
bin/walkit --version >/dev/null 2>&1 || true
start=$(date +%s.%N)
bin/walkit db carve "$work/big.db" --json > "$work/out.jsonl"
end=$(date +%s.%N)
records=$(wc -l < "$work/out.jsonl")
awk -v b="$bytes" -v s="$start" -v e="$end" -v r="$records" 'BEGIN {
  t = e - s; printf "database %.1f MB, %d records recovered, %.2f s, %.1f MB/s (whole process)\n", b/1e6, r, t, b/1e6/t }'
