#!/usr/bin/env bash
# Side by side, on the same WAL files in one run: SQLite's own recovery (sqlite3 opening a database
# whose -shm is gone), the C reference kernels of walscan.c, walkit's scanner in process
# (WalScanMain) and the whole-process CLI (`walkit wal info`). Checks that every scanner prints the
# same result line and prints the ratios the targets of issue #6 are stated in.
#
# Usage: benchmarks/run-sidebyside.sh [NAMES...]
#   NAMES  WALs made by SQLite with ../shared/bench-anchors/make_wal.sh (page size 4096):
#          w16 w256 w1g w4g (16 MiB .. 4 GiB); default: w16 w256 w1g
# Environment:
#   WALKIT_BENCH_WORK  work directory (default /tmp/walkit-bench; needs ~2.2x the WAL sizes)
#   ITERS              iterations of the in-process scanners (default 9; median reported)
#   WARMUP             untimed warm-up iterations of walkit's in-process scanner (default 5)
#   RUNS               hyperfine runs per command (default 10)
#   SYNTH              extra synthetic WALs "MiB:pageSize ..." for page-size scaling, scanned by
#                      the C kernels and walkit only (default "256:1024 256:65536 1024:1024 1024:65536";
#                      "" to skip)
#   SKIP_BUILD=1       use the jars already built
#   CLI_VARIANTS=0     time only the shipped launcher flags, not the alternatives
# Output: $WALKIT_BENCH_WORK/results/<time>/ (raw outputs, hyperfine JSON, summary.md); the
# summary is also printed.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bin/lib/jdk25.sh"
walkit_select_jdk
JAVA="$JAVA_HOME/bin/java"

anchors=""
for d in "$root/../shared/bench-anchors" "$root/../../shared/bench-anchors"; do
  [ -f "$d/walscan.c" ] && anchors=$(cd "$d" && pwd) && break
done
[ -n "$anchors" ] || { echo "run-sidebyside: ../shared/bench-anchors (walscan.c, make_wal.sh) not found" >&2; exit 2; }
for tool in sqlite3 hyperfine gcc python3; do
  command -v $tool >/dev/null || { echo "run-sidebyside: $tool is required" >&2; exit 2; }
done

NAMES=${*:-"w16 w256 w1g"}
WORK=${WALKIT_BENCH_WORK:-/tmp/walkit-bench}
ITERS=${ITERS:-9}
WARMUP=${WARMUP:-5}
RUNS=${RUNS:-10}
SYNTH=${SYNTH-"256:1024 256:65536 1024:1024 1024:65536"}
CLI_VARIANTS=${CLI_VARIANTS:-1}
OUT="$WORK/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$WORK/gen" "$WORK/run" "$WORK/bin" "$OUT"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== building cli and benchmarks jars" >&2
   (cd "$root" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ./mvnw -q -B -ntp -DskipTests -pl cli,benchmarks -am package >&2)
fi
BENCH_JAR="$root/benchmarks/target/benchmarks.jar"
CLI_JAR="$root/cli/target/walkit.jar"
[ -f "$BENCH_JAR" ] && [ -f "$CLI_JAR" ] || { echo "run-sidebyside: jars missing; run without SKIP_BUILD" >&2; exit 2; }

echo "== compiling walscan.c (from $anchors, not copied)" >&2
gcc -O2 -o "$WORK/bin/walscan_O2" "$anchors/walscan.c"
gcc -O3 -march=native -o "$WORK/bin/walscan_O3n" "$anchors/walscan.c"

mib_of() { case $1 in w16) echo 16;; w256) echo 256;; w1g) echo 1024;; w4g) echo 4096;;
  *) echo "unknown WAL name $1 (w16 w256 w1g w4g)" >&2; exit 2;; esac; }
for n in $NAMES; do
  if [ ! -f "$WORK/gen/$n.db-wal" ]; then
    echo "== making $n with make_wal.sh ($(mib_of $n) MiB)" >&2
    (cd "$WORK/gen" && bash "$anchors/make_wal.sh" "$n" "$(mib_of $n)" >&2)
  fi
done
synth_files=""
for spec in $SYNTH; do
  mib=${spec%%:*}; ps=${spec##*:}; f="$WORK/gen/s${mib}m-p${ps}.db-wal"
  if [ ! -f "$f" ]; then
    echo "== making synthetic $f" >&2
    "$JAVA" -cp "$BENCH_JAR" io.walkit.bench.SyntheticWal "$f" "$mib" "$ps" >&2
  fi
  synth_files="$synth_files $f"
done

# CLI command lines. "shipped" = the flags of bin/walkit today; the others are candidates.
LAUNCH_FLAGS="--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto"
declare -A CLI
CLI[shipped]="$JAVA $LAUNCH_FLAGS -jar $CLI_JAR"
if [ "$CLI_VARIANTS" = 1 ]; then
  CLI[c2]="$JAVA --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xshare:auto -jar $CLI_JAR"
  # JDK 25 AOT cache (JEP 483/514/515): classes loaded+linked and method profiles from a training run
  sample="$root/testdata/wal/sample.db-wal"
  train="$WORK/gen/w16.db-wal"; [ -f "$train" ] || train="$sample"
  rm -f "$WORK/bin/walkit-c1.aot" "$WORK/bin/walkit-c2.aot"
  $JAVA --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:AOTCacheOutput="$WORK/bin/walkit-c1.aot" -jar "$CLI_JAR" wal info "$train" >/dev/null 2>"$OUT/aot-c1.log" || true
  $JAVA --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:AOTCacheOutput="$WORK/bin/walkit-c2.aot" -jar "$CLI_JAR" wal info "$train" >/dev/null 2>"$OUT/aot-c2.log" || true
  [ -f "$WORK/bin/walkit-c1.aot" ] && CLI[c1_aot]="$JAVA --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:AOTCache=$WORK/bin/walkit-c1.aot -jar $CLI_JAR"
  [ -f "$WORK/bin/walkit-c2.aot" ] && CLI[c2_aot]="$JAVA --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:AOTCache=$WORK/bin/walkit-c2.aot -jar $CLI_JAR"
  CLI[bin_walkit]="$root/bin/walkit"
fi

SQLITE_OPEN="sqlite3 -cmd '.dbconfig no_ckpt_on_close on'"
agree=1
result_of() { grep -m1 '^frames_valid=' "$1" || echo "no result line in $1"; }
median_of() { sed -n 's/^RESULT .* median=\([0-9.]*\).*/\1/p' "$1"; }

scan_file() {  # $1 = label, $2 = WAL file: every in-process scanner, same iterations
  local label=$1 wal=$2 ref line k io f
  echo "== $label: in-process scanners on $wal" >&2
  "$WORK/bin/walscan_O2" ref "$wal" "$ITERS" once > "$OUT/$label.c_ref_O2_once.txt"
  ref=$(result_of "$OUT/$label.c_ref_O2_once.txt")
  echo "$ref" > "$OUT/$label.expected"
  for k in "sum64 once" "ref each" "ref pread" "fast once" "blocked once" "blocked each"; do
    set -- $k
    "$WORK/bin/walscan_O3n" $1 "$wal" "$ITERS" $2 > "$OUT/$label.c_$1_$2.txt"
  done
  for k in "1 mapped" "1 once" "1 each" "0 once" "0 each"; do
    set -- $k
    "$JAVA" -Xmx1g -cp "$BENCH_JAR" io.walkit.bench.WalScanMain "$wal" "$ITERS" $2 $1 "$WARMUP" > "$OUT/$label.walkit_t$1_$2.txt"
  done
  for f in "$OUT/$label".c_ref*.txt "$OUT/$label".c_fast*.txt "$OUT/$label".c_blocked*.txt "$OUT/$label".walkit_*.txt; do
    line=$(result_of "$f")
    if [ "$line" != "$ref" ]; then
      echo "MISMATCH $f: $line (expected $ref)" | tee -a "$OUT/mismatches.txt" >&2; agree=0
    fi
  done
}

cli_check() {  # $1 = label, $2 = WAL: walkit wal info --json agrees with the C reference
  local label=$1 wal=$2
  ${CLI[shipped]} wal info --json "$wal" > "$OUT/$label.cli.json"
  python3 - "$OUT/$label.cli.json" "$OUT/$label.expected" <<'PY' || agree=0
import json, sys
j = json.load(open(sys.argv[1]))
exp = dict(kv.split("=") for kv in open(sys.argv[2]).read().split())
got = {"frames_valid": j["lastValidFrame"], "mxFrame": j["mxFrame"], "nPage": j["databaseSize"],
       "distinct_pages": j["distinctPages"]}
bad = {k: (v, exp[k]) for k, v in got.items() if str(v) != exp[k]}
if bad:
    print("MISMATCH walkit wal info", sys.argv[1], bad, file=sys.stderr); sys.exit(1)
PY
}

for n in $NAMES; do
  wal="$WORK/gen/$n.db-wal"
  scan_file "$n" "$wal"
  cli_check "$n" "$wal"
  # SQLite itself: mxFrame (wal_checkpoint's "log" column) and nPage (page_count) on a throw-away copy
  cp "$WORK/gen/$n.db" "$WORK/gen/$n.db-wal" "$WORK/run/"; rm -f "$WORK/run/$n.db-shm"
  sqlite3 "$WORK/run/$n.db" 'PRAGMA page_count; PRAGMA wal_checkpoint(PASSIVE);' > "$OUT/$n.sqlite_check.txt"
  python3 - "$OUT/$n.sqlite_check.txt" "$OUT/$n.expected" <<'PY' || agree=0
import sys
lines = open(sys.argv[1]).read().split()
page_count, (busy, log, ckpt) = lines[0], lines[1].split("|")
exp = dict(kv.split("=") for kv in open(sys.argv[2]).read().split())
if log != exp["mxFrame"] or page_count != exp["nPage"]:
    print("MISMATCH sqlite3:", "mxFrame", log, "nPage", page_count, "expected", exp, file=sys.stderr); sys.exit(1)
PY
  # fresh copy for timing (the check above checkpointed its copy)
  cp "$WORK/gen/$n.db" "$WORK/gen/$n.db-wal" "$WORK/run/"; rm -f "$WORK/run/$n.db-shm"
  md5_before=$(md5sum < "$WORK/run/$n.db-wal")
  echo "== $n: whole processes (hyperfine)" >&2
  args=(-N -w 2 -r "$RUNS" --export-json "$OUT/$n.hyperfine.json"
        -n sqlite_recovery --prepare "rm -f $WORK/run/$n.db-shm" "$SQLITE_OPEN $WORK/run/$n.db 'PRAGMA wal_checkpoint(NOOP)'")
  for v in "${!CLI[@]}"; do
    args+=(-n "walkit_$v" --prepare "true" "${CLI[$v]} wal info $WORK/run/$n.db-wal")
  done
  hyperfine "${args[@]}" > "$OUT/$n.hyperfine.txt" 2>&1 || { cat "$OUT/$n.hyperfine.txt" >&2; exit 1; }
  [ "$md5_before" = "$(md5sum < "$WORK/run/$n.db-wal")" ] || { echo "WAL changed by a timed run" >&2; agree=0; }
  # peak RSS of one run each (file-backed mapped pages count in RSS; see MEMORY lines for anon)
  rm -f "$WORK/run/$n.db-shm"
  /usr/bin/time -f "%M" -o "$OUT/$n.rss_sqlite.txt" sh -c "$SQLITE_OPEN $WORK/run/$n.db 'PRAGMA wal_checkpoint(NOOP)' >/dev/null"
  /usr/bin/time -f "%M" -o "$OUT/$n.rss_walkit.txt" ${CLI[shipped]} wal info "$WORK/run/$n.db-wal" >/dev/null
  /usr/bin/time -f "%M" -o "$OUT/$n.rss_c_blocked.txt" "$WORK/bin/walscan_O3n" blocked "$wal" 1 each >/dev/null
done
for f in $synth_files; do
  label=$(basename "$f" .db-wal)
  scan_file "$label" "$f"
  cli_check "$label" "$f"
done

python3 - "$OUT" "$NAMES" "$synth_files" > "$OUT/summary.md" <<'PY'
import json, os, re, sys, glob
out, names, synth = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
def med(label, kind):
    p = os.path.join(out, f"{label}.{kind}.txt")
    if not os.path.exists(p): return None
    m = re.search(r"median=([0-9.]+)", open(p).read())
    return float(m.group(1)) if m else None
def mem(label, kind):
    p = os.path.join(out, f"{label}.{kind}.txt")
    m = re.search(r"RssAnon_kB=(\d+)", open(p).read()) if os.path.exists(p) else None
    return int(m.group(1)) if m else None
def f(x, d=2): return "-" if x is None else f"{x:.{d}f}"
labels = names + [os.path.basename(s)[:-len(".db-wal")] for s in synth]
print("## In-process scanners, GB/s of WAL (median of ITERS; each = open+map+scan+verify+index+unmap, once = mapped+faulted once)\n")
print("| WAL | size MB | C sum64 once | C ref each | C ref pread | C fast once | C blocked once | C blocked each | walkit 1t mapped | walkit 1t once | walkit 1t each | walkit Nt once | walkit Nt each | walkit 1t mapped / fastest C once | heap RssAnon MB (Nt each) |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for l in labels:
    p = os.path.join(out, f"{l}.c_sum64_once.txt")
    size = re.search(r"size=(\d+)", open(p).read()).group(1) if os.path.exists(p) else "0"
    c = {k: med(l, k) for k in ["c_sum64_once", "c_ref_each", "c_ref_pread", "c_fast_once", "c_blocked_once", "c_blocked_each"]}
    w = {k: med(l, k) for k in ["walkit_t1_mapped", "walkit_t1_once", "walkit_t1_each", "walkit_t0_once", "walkit_t0_each"]}
    fastest = max(x for x in [c["c_ref_each"], c["c_fast_once"], c["c_blocked_once"]] if x is not None)
    ratio = w["walkit_t1_mapped"] / fastest if w["walkit_t1_mapped"] else None
    rss = mem(l, "walkit_t0_each")
    print(f"| {l} | {int(size)/1e6:.0f} | " + " | ".join(f(v) for v in c.values()) + " | " + " | ".join(f(v) for v in w.values())
          + f" | {f(ratio)} | {f(rss/1024 if rss else None, 0)} |")
print("\n## Whole processes (hyperfine, hot page cache), mean ms ± σ, and ratios to SQLite's recovery\n")
print("| WAL | command | mean ms | σ ms | GB/s | SQLite time / this time |")
print("|---|---|---|---|---|---|")
for n in names:
    p = os.path.join(out, f"{n}.hyperfine.json")
    if not os.path.exists(p): continue
    res = {r["command"]: r for r in json.load(open(p))["results"]}
    size = os.path.getsize(os.path.join(os.path.dirname(os.path.dirname(out)), "gen", f"{n}.db-wal"))
    base = res["sqlite_recovery"]["mean"]
    for name, r in sorted(res.items(), key=lambda kv: kv[1]["mean"]):
        print(f"| {n} | {name} | {r['mean']*1e3:.1f} | {r['stddev']*1e3:.1f} | {size/r['mean']/1e9:.2f} | {base/r['mean']:.2f} |")
print("\n## Targets\n")
for n in names:
    p = os.path.join(out, f"{n}.hyperfine.json")
    if not os.path.exists(p): continue
    res = {r["command"]: r for r in json.load(open(p))["results"]}
    size = os.path.getsize(os.path.join(os.path.dirname(os.path.dirname(out)), "gen", f"{n}.db-wal"))
    sqlite_gbs = size / res["sqlite_recovery"]["mean"] / 1e9
    inproc = med(n, "walkit_t0_each"); inproc1 = med(n, "walkit_t1_each")
    c = [med(n, k) for k in ["c_ref_each", "c_fast_once", "c_blocked_once"]]
    fastest = max(x for x in c if x is not None)
    w1 = med(n, "walkit_t1_mapped")
    cli = res["walkit_shipped"]["mean"]; sq = res["sqlite_recovery"]["mean"]
    print(f"- {n}: in-process one-shot (all threads) {f(inproc)} GB/s = {f(inproc/sqlite_gbs)}x SQLite recovery ({f(sqlite_gbs)} GB/s) [target >= 3]; "
          f"one thread {f(inproc1/sqlite_gbs)}x")
    print(f"- {n}: verify loop, one thread, mapped once: {f(w1)} GB/s = {f(w1/fastest)}x fastest C kernel ({f(fastest)} GB/s) [target >= 0.85]")
    print(f"- {n}: CLI `walkit wal info` (shipped flags) {cli*1e3:.0f} ms vs sqlite3 {sq*1e3:.0f} ms: {sq/cli:.2f}x [target > 1]")
    for k in ["rss_sqlite", "rss_walkit", "rss_c_blocked"]:
        p = os.path.join(out, f"{n}.{k}.txt")
        if os.path.exists(p):
            print(f"  - peak RSS {k[4:]}: {int(open(p).read().split()[-1])/1024:.0f} MB")
PY
cat "$OUT/summary.md"
echo
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $("$JAVA" -version 2>&1 | head -1); sqlite3: $(sqlite3 --version | cut -d' ' -f1); gcc: $(gcc -dumpversion)"
echo "raw outputs: $OUT"
if [ "$agree" = 1 ]; then echo "all scanners agree (C ref/fast/blocked, walkit 1/N threads, walkit wal info, sqlite3 mxFrame/nPage)"; else echo "SCANNERS DISAGREE: see above / $OUT/mismatches.txt"; exit 1; fi
