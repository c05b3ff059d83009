#!/usr/bin/env bash
# Row history over many commits in one process: builds a WAL of COMMITS commits with Python's sqlite3
# (a 20,000-row table t(id INTEGER PRIMARY KEY, k INTEGER, v TEXT); the first commit inserts the rows,
# every later commit updates 20 random rows; auto-checkpoint off, files copied while the writer is
# still open so the WAL survives), then times `walkit db history` on it, whole process (JVM start
# included), for every version of the table and for one rowid, with the launcher's flags (C1 only) and
# with full tiered compilation (the jar run directly).
# Usage: benchmarks/run-history.sh [COMMITS]
set -euo pipefail
cd "$(dirname "$0")/.."
commits=${1:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$commits" <<'PY'
import os, random, shutil, sqlite3, sys
work, commits = sys.argv[1], int(sys.argv[2])
src = os.path.join(work, "gen")
os.makedirs(src)
c = sqlite3.connect(os.path.join(src, "h.db"), isolation_level=None)
c.execute("PRAGMA page_size=4096")
c.execute("PRAGMA journal_mode=WAL")
c.execute("PRAGMA wal_autocheckpoint=0")
c.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v TEXT)")
rnd = random.Random(12)
c.execute("BEGIN")
c.executemany("INSERT INTO t VALUES(?,?,?)", ((i, rnd.randrange(1 << 40), "value-%d-%s" % (i, "x" * rnd.randrange(20, 80))) for i in range(1, 20001)))
c.execute("COMMIT")
for n in range(commits - 1):
    c.execute("BEGIN")
    for _ in range(20):
        i = rnd.randrange(1, 20001)
        c.execute("UPDATE t SET k = ?, v = ? WHERE id = ?", (rnd.randrange(1 << 40), "upd-%d-%d" % (n, i), i))
    c.execute("COMMIT")
shutil.copy(os.path.join(src, "h.db"), os.path.join(work, "h.db"))
shutil.copy(os.path.join(src, "h.db-wal"), os.path.join(work, "h.db-wal"))
c.close()
PY
rm -rf "$work/gen"
echo "WAL $(stat -c %s "$work/h.db-wal") bytes, $commits commits; $(uptime)"
bin/walkit --version >/dev/null 2>&1 || true
jar=cli/target/walkit.jar
. bin/lib/jdk25.sh
walkit_select_jdk
java="$JAVA_HOME/bin/java"
run() {
  local label=$1; shift
  /usr/bin/time -f "$label: %e s wall, %U s user, %S s sys, %M KB max RSS" "$@" > "$work/out.jsonl"
  echo "  $(wc -l < "$work/out.jsonl") lines"
}
for i in 1 2 3; do
  run "bin/walkit (C1, AOT cache) all rows " bin/walkit db history "$work/h.db" t --json
  run "bin/walkit (C1, AOT cache) --rowid 77" bin/walkit db history "$work/h.db" t --rowid 77 --json
  run "jar, full tiered        all rows " "$java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp "$jar" io.walkit.cli.Walkit db history "$work/h.db" t --json
  run "jar, full tiered        --rowid 77" "$java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp "$jar" io.walkit.cli.Walkit db history "$work/h.db" t --rowid 77 --json
done
ls "$work"   # no -shm or new files beside the inputs
