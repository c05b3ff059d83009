#!/usr/bin/env bash
# Whole-process carving speed on a CarveDb workload of about SIZE_MIB MiB (made once with the sqlite3
# CLI into BENCH_DIR, default target/walkit-bench-data: four tables, a third / a fifth / half of the
# rows deleted, a contiguous range freed to the freelist, a dropped table, overflow chains;
# secure_delete off). Times, each with /usr/bin/time (JVM start, live-row filter and JSON Lines
# output included, output to /dev/null):
#   1. bin/walkit db carve DB --json           (the launcher: C1 only, serial GC, AOT cache)
#   2. java -cp walkit.jar ... db carve        (full tiered compilation, serial GC)
#   3. baselines on the same file: sqlite3 PRAGMA integrity_check, and SELECT * of every table
# Needs the benchmarks jar (MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow ./mvnw -q -DskipTests
# -pl benchmarks -am package) and sqlite3. Usage: benchmarks/run-carve.sh [SIZE_MIB] [BENCH_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
dir=${2:-benchmarks/target/walkit-bench-data}
. bin/lib/jdk25.sh
walkit_select_jdk
java="$JAVA_HOME/bin/java"
db=$("$java" -cp benchmarks/target/benchmarks.jar io.walkit.bench.CarveDb "$size_mib" "$dir")
bytes=$(stat -c %s "$db")
bin/walkit --version >/dev/null 2>&1 || true
echo "database $db: $bytes bytes; $(uptime)"
out=$(mktemp)
tf=$(mktemp)
trap 'rm -f "$out" "$tf"' EXIT
timed() {
  local label=$1; shift
  local t
  /usr/bin/time -o "$tf" -f "%e %U %S %M" "$@" > "$out" 2>/dev/null
  t=$(tail -1 "$tf")
  awk -v l="$label" -v b="$bytes" -v t="$t" -v n="$(wc -l < "$out")" 'BEGIN { split(t, a, " ");
    printf "%-32s %7.2f s wall %7.2f s user %5.2f s sys %7d KB RSS %6.1f MB/s wall %6.1f MB/s cpu (%d lines)\n",
      l, a[1], a[2], a[3], a[4], b/1e6/a[1], b/1e6/(a[2]+a[3]), n }'
}
timed "bin/walkit db carve (C1)" bin/walkit db carve "$db" --json
timed "jar db carve (full tiered)" "$java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC \
  -cp cli/target/walkit.jar io.walkit.cli.Walkit db carve "$db" --json
timed "sqlite3 PRAGMA integrity_check" sqlite3 -readonly "$db" 'PRAGMA integrity_check'
timed "sqlite3 SELECT * (every table)" sqlite3 -readonly "$db" 'SELECT * FROM t; SELECT * FROM msg; SELECT * FROM att'
