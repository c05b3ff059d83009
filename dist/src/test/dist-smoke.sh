#!/bin/sh
# Starts the distribution from a directory outside the clone, with no JDK on PATH and no JAVA_HOME:
# unpacks the archive into a fresh temporary directory and runs walkit on a copy of a sample.
# Usage: dist-smoke.sh ARCHIVE SAMPLE_DIR
set -eu
archive=$1; samples=$2
work=$(mktemp -d /tmp/walkit-dist-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$archive"
walkit=$(echo "$work"/walkit-*/bin/walkit)
cp "$samples/sample.db" "$samples/sample.db-wal" "$work/"
cd "$work"
fail() { echo "dist-smoke: FAILED: $*" >&2; exit 1; }
v=$(env -i PATH=/usr/bin:/bin HOME="$work" "$walkit" --version) || fail "--version exited $?"
echo "$v" | grep -q '^walkit [0-9]' || fail "--version printed: $v"
echo "$v" | grep -q '^git commit ' || fail "--version has no commit: $v"
out=$(env -i PATH=/bin HOME="$work" "$walkit" db dump --json sample.db person) || fail "db dump exited $?"
[ "$(echo "$out" | head -1)" = '{"rowid":1,"id":1,"name":"Ada","email":"ada@lovelace.example"}' ] || fail "db dump printed: $out"
set +e
env -i PATH=/bin "$walkit" db info nosuch.db 2>/dev/null; code=$?
set -e
[ "$code" = 4 ] || fail "missing file exited $code, not 4"
# The fast path, and the per-verb JVM settings of lib/verbs.conf as the launcher applies them.
out=$(env -i PATH=/bin "$walkit" wal info --json sample.db-wal) || fail "wal info exited $?"
echo "$out" | grep -q '"mxFrame":12,' || fail "wal info printed: $out"
[ -f "$(dirname "$walkit")/../lib/verbs.conf" ] || fail "no lib/verbs.conf"
jvm=$(env -i PATH=/bin WALKIT_JAVA_OPTS=-XX:+PrintCommandLineFlags "$walkit" wal info --json sample.db-wal | head -n 1)
echo "$jvm" | grep -q -- '-XX:TieredStopAtLevel=1' || fail "wal info not C1-only as lib/verbs.conf says: $jvm"
echo "$jvm" | grep -q -- 'walkit-fast.aot' || fail "wal info not started with the fast AOT cache: $jvm"
ln -s "$walkit" "$work/wk"
"$work/wk" help db dump | grep -q -- '--no-journal' || fail "help through a symlinked launcher"
[ -f "$(dirname "$walkit")/../completion/walkit" ] || fail "no completion script"
ls "$(dirname "$walkit")"/../man/man1/walkit-db-dump.1 >/dev/null 2>&1 \
  || ls "$(dirname "$walkit")"/../man-adoc/walkit-db-dump.adoc >/dev/null || fail "no man page"
echo "dist-smoke: ok ($(echo "$v" | head -1), from $work)"
