#!/bin/sh
# Writes build-info.properties for 'walkit --version': version, git commit, and the SQLite versions the
# tests run against (the sqlite3 CLI on this machine, the sqlite-jdbc library's bundled SQLite).
# Usage: build-info.sh VERSION SQLITE_JDBC_VERSION OUTPUT_FILE
set -u
version=$1; jdbc=$2; out=$3
commit=$(git -C "$(dirname "$0")" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$(dirname "$0")" status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit+modified"; fi
sqlite3=$(sqlite3 --version 2>/dev/null | cut -d' ' -f1)
# sqlite-jdbc 3.50.3.0 bundles SQLite 3.50.3.
jdbcsqlite=$(echo "$jdbc" | sed 's/^\([0-9]*\.[0-9]*\.[0-9]*\)\..*/\1/')
mkdir -p "$(dirname "$out")"
{
  echo "version=$version"
  echo "commit=$commit"
  echo "sqlite3=${sqlite3:-not installed at build time}"
  echo "sqliteJdbc=$jdbcsqlite"
} > "$out.tmp" && mv "$out.tmp" "$out"
