#!/usr/bin/env bash
# Side by side, on the same checkpointed databases in one run: SQLite's full table scan
# (SELECT * FROM t, and the integer/length sums) and PRAGMA integrity_check (sqlite3 CLI, timed with
# hyperfine), against walkit's TableScan / IntegrityCheck in process (DbScanMain, optionally JMH) and
# as whole processes. First checks that walkit and SQLite agree on every database: row count, the
# sums of integers and of text/blob lengths, the sha3_query('SELECT * FROM t') digest of every
# decoded value, the page count and the integrity verdict.
#
# Usage: benchmarks/run-db-sidebyside.sh [DBS...]
#   DBS  w256 w1g: the databases of ../shared/bench-anchors/make_wal.sh, checkpointed into
#        $WORK/ck/NAME.db (made with make_wal.sh when $WORK/gen has no NAME.db-wal);
#        NAME-pP: NAME's table t copied by sqlite3 into a database of page size P (e.g. w256-p1024)
#        default: w256 w1g w256-p1024 w256-p65536
# Environment:
#   WALKIT_BENCH_WORK  work directory (default /tmp/walkit-bench)
#   ITERS   timed in-process iterations (default 9; median reported)   WARMUP  untimed (default 10)
#   RUNS    hyperfine runs per SQLite command (default 10); JRUNS for java processes (default 5)
#   JMH=1   also run TableScanBenchmark and IntegrityCheckBenchmark on each database (-wi 2 -i 3 -r 2)
#   SKIP_BUILD=1  use the jars already built
# Output: $WORK/results/db-<time>/ (raw outputs, hyperfine JSON, summary.md); the summary is printed.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bin/lib/jdk25.sh"
walkit_select_jdk
JAVA="$JAVA_HOME/bin/java"

anchors=""
for d in "$root/../shared/bench-anchors" "$root/../../shared/bench-anchors"; do
  [ -f "$d/make_wal.sh" ] && anchors=$(cd "$d" && pwd) && break
done
for tool in sqlite3 hyperfine python3; do
  command -v $tool >/dev/null || { echo "run-db-sidebyside: $tool is required" >&2; exit 2; }
done

DBS=${*:-"w256 w1g w256-p1024 w256-p65536"}
WORK=${WALKIT_BENCH_WORK:-/tmp/walkit-bench}
ITERS=${ITERS:-9}; WARMUP=${WARMUP:-10}; RUNS=${RUNS:-10}; JRUNS=${JRUNS:-5}
OUT="$WORK/results/db-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$WORK/gen" "$WORK/ck" "$OUT"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== building cli and benchmarks jars" >&2
  (cd "$root" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ./mvnw -q -B -ntp -DskipTests -pl cli,benchmarks -am package >&2)
fi
BENCH_JAR="$root/benchmarks/target/benchmarks.jar"
CLI_JAR="$root/cli/target/walkit.jar"
[ -f "$BENCH_JAR" ] || { echo "run-db-sidebyside: $BENCH_JAR missing; run without SKIP_BUILD" >&2; exit 2; }
# the launcher flags of bin/walkit, for whole-process runs
LAUNCH="$JAVA --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto"
MAIN="$JAVA -cp $BENCH_JAR io.walkit.bench.DbScanMain"

mib_of() { case $1 in w16) echo 16;; w256) echo 256;; w1g) echo 1024;; w4g) echo 4096;;
  *) echo "unknown database name $1" >&2; exit 2;; esac; }
make_db() {  # $1 = NAME or NAME-pP; leaves $WORK/ck/$1.db
  local n=$1 base ps
  [ -f "$WORK/ck/$n.db" ] && return
  case $n in
    *-p*) base=${n%-p*}; ps=${n##*-p}; make_db "$base"
          echo "== copying $base into page size $ps" >&2
          rm -f "$WORK/ck/$n.db.tmp"
          sqlite3 "$WORK/ck/$n.db.tmp" "PRAGMA page_size=$ps;
            CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v BLOB); CREATE INDEX t_k ON t(k);
            ATTACH '$WORK/ck/$base.db' AS s; INSERT INTO t SELECT * FROM s.t;"
          mv "$WORK/ck/$n.db.tmp" "$WORK/ck/$n.db";;
    *)    if [ ! -f "$WORK/gen/$n.db-wal" ]; then
            [ -n "$anchors" ] || { echo "run-db-sidebyside: make_wal.sh not found" >&2; exit 2; }
            echo "== making $n with make_wal.sh" >&2
            (cd "$WORK/gen" && bash "$anchors/make_wal.sh" "$n" "$(mib_of $n)" >&2)
          fi
          echo "== checkpointing a copy of $n" >&2
          cp "$WORK/gen/$n.db" "$WORK/gen/$n.db-wal" "$WORK/ck/"; rm -f "$WORK/ck/$n.db-shm"
          sqlite3 "$WORK/ck/$n.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null;;
  esac
}
for n in $DBS; do make_db "$n"; done

{ echo "date: $(date -u)"; echo "load before: $(cat /proc/loadavg)"; echo "nproc: $(nproc)";
  grep -m1 'model name' /proc/cpuinfo; "$JAVA" -version 2>&1 | head -1; echo "sqlite3 $(sqlite3 -version)";
  hyperfine --version; echo "commit: $(cd "$root" && git rev-parse --short HEAD)"; } > "$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

ok=1
for n in $DBS; do
  db="$WORK/ck/$n.db"
  echo "== $n: correctness" >&2
  sqlite3 -readonly "$db" "SELECT count(*), sum(id)+sum(k), sum(length(v)) FROM t;
    SELECT lower(hex(sha3_query('SELECT * FROM t'))); PRAGMA page_count; PRAGMA page_size;" > "$OUT/$n.sqlite.txt"
  sqlite3 -readonly "$db" "PRAGMA integrity_check" > "$OUT/$n.sqlite-integrity.txt"
  $MAIN "$db" verify > "$OUT/$n.walkit.txt"
  python3 - "$OUT/$n.sqlite.txt" "$OUT/$n.sqlite-integrity.txt" "$OUT/$n.walkit.txt" "$n" > "$OUT/$n.agree.txt" <<'PY' || ok=0
import sys
s = open(sys.argv[1]).read().split()
integ = open(sys.argv[2]).read().strip()
w = {}
for line in open(sys.argv[3]):
    k, _, v = line.strip().partition(' ')
    w.setdefault(k, v)
count, sums, lens = s[0].split('|')
wr = dict(x.split('=') for x in w['ROWS'].split())
ws = dict(x.split('=') for x in w['ROWS_SELECT_STAR'].split())
checks = [('rows', count, wr['count']), ('rows select*', count, ws['count']),
          ('sum(id)+sum(k)', sums, wr['sum_int']), ('sum(id)+sum(k) select*', sums, ws['sum_int']),
          ('sum(length(v))', lens, wr['sum_len']), ('sum(length(v)) select*', lens, ws['sum_len']),
          ("sha3_query('SELECT * FROM t')", s[1], w['SHA3']), ('page_count', s[2], w['PAGES']),
          ('integrity verdict', 'ok' if integ == 'ok' else 'problems', 'ok' if w['INTEGRITY'] == 'ok' else 'problems')]
bad = [c for c in checks if c[1] != c[2]]
for c in checks:
    print(f"{sys.argv[4]}: {c[0]}: sqlite={c[1]} walkit={c[2]} {'ok' if c[1] == c[2] else 'MISMATCH'}")
sys.exit(1 if bad else 0)
PY
  cat "$OUT/$n.agree.txt" >&2
done
[ $ok = 1 ] || { echo "run-db-sidebyside: walkit and SQLite DISAGREE (see above)" >&2; exit 1; }

for n in $DBS; do
  db="$WORK/ck/$n.db"
  echo "== $n: SQLite (hyperfine) load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  hyperfine -N -w 2 -r "$RUNS" --export-json "$OUT/$n.sqlite.json" \
    -n sqlite_select_star   "sqlite3 -readonly -cmd '.output /dev/null' $db 'SELECT * FROM t'" \
    -n sqlite_sums          "sqlite3 -readonly $db 'SELECT count(*), sum(id), sum(k), sum(length(v)) FROM t'" \
    -n sqlite_integrity     "sqlite3 -readonly $db 'PRAGMA integrity_check'" \
    -n sqlite_baseline      "sqlite3 -readonly $db 'SELECT 1'" > "$OUT/$n.sqlite-hf.txt"
  echo "== $n: walkit in process (DbScanMain) load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  for op in selectStar decodeRecords integrityCheck; do
    $MAIN "$db" $op "$ITERS" "$WARMUP" > "$OUT/$n.walkit-$op.txt"
    tail -1 "$OUT/$n.walkit-$op.txt" >&2
  done
  echo "== $n: walkit whole processes (hyperfine) load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  hf=(-n walkit_oneshot_selectStar "$MAIN $db selectStar 1 0"
      -n walkit_oneshot_decodeRecords "$MAIN $db decodeRecords 1 0"
      -n walkit_oneshot_integrityCheck "$MAIN $db integrityCheck 1 0")
  if [ -f "$CLI_JAR" ]; then
    hf+=(-n walkit_cli_db_check "$LAUNCH -jar $CLI_JAR db check $db")
  fi
  hyperfine -N -i -w 1 -r "$JRUNS" --export-json "$OUT/$n.walkit.json" "${hf[@]}" > "$OUT/$n.walkit-hf.txt"
  if [ "${JMH:-0}" = 1 ]; then
    echo "== $n: JMH load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    "$JAVA" -jar "$BENCH_JAR" 'TableScanBenchmark|IntegrityCheckBenchmark' -p file="$db" -p rows=0 -p pageSize=0 \
      -wi 2 -w 2 -i 3 -r 2 -f 1 -rf json -rff "$OUT/$n.jmh.json" > "$OUT/$n.jmh.txt"
  fi
done
echo "load after: $(cat /proc/loadavg)" >> "$OUT/machine.txt"

python3 - "$OUT" $DBS > "$OUT/summary.md" <<'PY'
import json, os, re, sys
out, names = sys.argv[1], sys.argv[2:]
def hf(path):
    if not os.path.exists(path): return {}
    return {r['command']: r for r in json.load(open(path))['results']}
print("| db | pages | page size | rows | operation | SQLite (sqlite3 process) ms | SQLite rate | walkit in process median ms | walkit rate | walkit / SQLite | walkit fresh JVM one-shot ms (DbScanMain process) | JMH rate |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for n in names:
    s = open(f"{out}/{n}.sqlite.txt").read().split()
    rows = int(s[0].split('|')[0]); pages = int(s[2]); psz = int(s[3])
    sq = hf(f"{out}/{n}.sqlite.json"); wk = hf(f"{out}/{n}.walkit.json")
    jmh = {}
    if os.path.exists(f"{out}/{n}.jmh.json"):
        for r in json.load(open(f"{out}/{n}.jmh.json")):
            m = r['benchmark'].rsplit('.', 1)[1]
            for k, v in r.get('secondaryMetrics', {}).items():
                if k in ('rows', 'pages'): jmh[m] = v['score']
    for op, sqcmd, unit in (('selectStar', 'sqlite_select_star', 'rows'), ('decodeRecords', 'sqlite_sums', 'rows'),
                            ('integrityCheck', 'sqlite_integrity', 'pages')):
        res = open(f"{out}/{n}.walkit-{op}.txt").read().strip().splitlines()[-1]
        d = dict(x.split('=') for x in res.split()[1:])
        wms = float(d['median_ms'])
        sms = sq[sqcmd]['median'] * 1e3
        count = rows if unit == 'rows' else pages
        srate = count / sms * 1e3; wrate = count / wms * 1e3
        one = wk.get(f'walkit_oneshot_{op}', {}).get('median')
        j = jmh.get(op)
        label = {'selectStar': 'SELECT * (walkit: selectStar)', 'decodeRecords': 'sums of id, k, length(v) (walkit: decodeRecords)',
                 'integrityCheck': 'integrity_check'}[op]
        print(f"| {n} | {pages} | {psz} | {rows} | {label} | {sms:.1f} | {srate/1e6:.3f} M {unit}/s | {wms:.1f} | {wrate/1e6:.3f} M {unit}/s | "
              f"{wrate/srate:.2f} | {'' if one is None else f'{one*1e3:.0f}'} | {'' if j is None else f'{j/1e6:.3f} M {unit}/s'} |")
    base = sq.get('sqlite_baseline', {}).get('median')
    cli = wk.get('walkit_cli_db_check', {}).get('median')
    print(f"| {n} | | | | (process start: sqlite3 `SELECT 1` {base*1e3:.1f} ms; `walkit db check` whole process {'' if cli is None else f'{cli*1e3:.0f} ms'}) | | | | | | | |")
PY
cat "$OUT/machine.txt"
cat "$OUT/summary.md"
echo "results: $OUT" >&2
