#!/bin/sh
# Assembles the linux-x64 distribution of walkit (run by the dist module's package phase):
#   walkit-VERSION/bin/walkit          launcher (the only place with JVM flags)
#   walkit-VERSION/lib/walkit.jar      walkit and its libraries in one jar (the shaded jar of cli/)
#   walkit-VERSION/lib/verbs.conf      JVM settings per verb (a copy of bin/lib/verbs.conf)
#   walkit-VERSION/lib/walkit*.aot     AOT caches (full: everyday verbs; fast: the fast-path verbs)
#   walkit-VERSION/runtime/            a jlinked Java runtime with only the modules walkit needs
#   walkit-VERSION/man/man1/*.1        man pages (AsciiDoc from picocli, troff by asciidoctor if installed)
#   walkit-VERSION/completion/walkit   bash/zsh completion (picocli AutoComplete)
# and walkit-VERSION-linux-x64.tar.gz, plus the runnable jar walkit-VERSION.jar.
# Usage: make-dist.sh JAVA_HOME TARGET VERSION TOOL_CLASSPATH SHADED_JAR
set -eu
java_home=$1; target=$2; version=$3; toolcp=$4; shaded=$5
name=walkit-$version
dist=$target/$name
here=$(cd "$(dirname "$0")" && pwd)
# Only the JDK modules walkit needs (jdeps --print-module-deps on the shaded jar: java.base, jdk.unsupported for lz4-java).
modules=java.base,jdk.unsupported
rm -rf "$dist/runtime" "$dist/bin" "$dist/man" "$dist/man-adoc" "$dist/completion"
# --generate-cds-archive: a jlinked runtime has no default class-data archive otherwise, and every
# JDK class would be loaded and verified from the modules file at each start.
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --generate-cds-archive --output "$dist/runtime"
mkdir -p "$dist/bin"
cp "$here/walkit" "$dist/bin/walkit"
chmod 755 "$dist/bin/walkit"
# One jar on the class path, the shaded one: picocli's class files in it are upgraded so the AOT
# cache holds them (cli/src/build/UpgradeOldClassFiles.java), and the JVM opens and checks one jar
# instead of nine at each start.
rm -rf "$dist/lib"
mkdir -p "$dist/lib"
cp "$shaded" "$dist/lib/walkit.jar"
cp "$here/../../../bin/lib/verbs.conf" "$dist/lib/verbs.conf"
"$java_home/bin/java" -cp "$toolcp" io.walkit.dist.DistTool "$dist"
mkdir -p "$dist/man/man1"
if command -v asciidoctor >/dev/null 2>&1; then
  asciidoctor -b manpage -D "$dist/man/man1" "$dist"/man-adoc/*.adoc
  rm -rf "$dist/man-adoc"
else
  echo "make-dist: asciidoctor not installed (apt-get install asciidoctor): man pages left as AsciiDoc in $name/man-adoc" >&2
  rmdir "$dist/man/man1" "$dist/man"
fi
# The AOT caches (JEP 483/514; docs/performance.md "Start-up"): training runs of the everyday
# verbs (walkit.aot) and of the fast-path verbs alone (walkit-fast.aot; the JVM loads every class
# of a cache at start, so the small one starts `wal info` quickest) on the repository's testdata,
# with the bundled runtime and the launcher's flags; lib/verbs.conf says which verb uses which. The
# JVM ignores a cache silently when it does not match (another runtime, moved or changed jar);
# then walkit only starts slower. Failure to make one does not fail the build.
testdata=$(cd "$here/../../../testdata" 2>/dev/null && pwd || true)
flags="$(sed -n 's/^JVM_FLAGS="\(.*\)"$/\1/p' "$here/walkit") -XX:TieredStopAtLevel=1"
for set in full fast; do
  case $set in full) aot=$dist/lib/walkit.aot ;; fast) aot=$dist/lib/walkit-fast.aot ;; esac
  rm -f "$aot"
  if [ -n "$testdata" ] && "$dist/runtime/bin/java" $flags -XX:AOTCacheOutput="$aot" \
      -Xlog:aot=off -Xlog:cds=off -cp "$dist/lib/walkit.jar" io.walkit.cli.AotTraining "$set" "$testdata" >/dev/null 2>&1; then
    echo "make-dist: AOT cache lib/${aot##*/} ($(du -h "$aot" | cut -f1))"
  else
    echo "make-dist: no AOT cache lib/${aot##*/} (training failed); the launcher runs without it" >&2
    rm -f "$aot" "$aot.config"
  fi
done
cp "$here/README.dist" "$dist/README"
cp "$shaded" "$target/$name.jar"
tar -C "$target" -czf "$target/$name-linux-x64.tar.gz.tmp" "$name"
mv "$target/$name-linux-x64.tar.gz.tmp" "$target/$name-linux-x64.tar.gz"
echo "make-dist: $target/$name-linux-x64.tar.gz ($(du -sh "$dist" | cut -f1) unpacked)"
