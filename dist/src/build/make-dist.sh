#!/bin/sh
# Assembles the linux-x64 distribution of walkit (run by the dist module's package phase):
#   walkit-VERSION/bin/walkit          launcher (the only place with JVM flags)
#   walkit-VERSION/lib/*.jar           walkit and its libraries, on the class path
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
"$java_home/bin/java" -cp "$toolcp" io.walkit.dist.DistTool "$dist"
mkdir -p "$dist/man/man1"
if command -v asciidoctor >/dev/null 2>&1; then
  asciidoctor -b manpage -D "$dist/man/man1" "$dist"/man-adoc/*.adoc
  rm -rf "$dist/man-adoc"
else
  echo "make-dist: asciidoctor not installed (apt-get install asciidoctor): man pages left as AsciiDoc in $name/man-adoc" >&2
  rmdir "$dist/man/man1" "$dist/man"
fi
# The AOT cache (JEP 483/514; docs/performance.md "Start-up"): a training run of the everyday
# verbs on the repository's testdata with the bundled runtime and the launcher's flags. The JVM
# ignores it silently when it does not match (another runtime, moved or changed jars); then walkit
# only starts slower. Failure to make it does not fail the build.
testdata=$(cd "$here/../../../testdata" 2>/dev/null && pwd || true)
flags=$(sed -n 's/^JVM_FLAGS="\(.*\)"$/\1/p' "$here/walkit")
rm -f "$dist/lib/walkit.aot"
if [ -n "$testdata" ] && "$dist/runtime/bin/java" $flags -XX:AOTCacheOutput="$dist/lib/walkit.aot" \
    -Xlog:aot=off -Xlog:cds=off -cp "$dist/lib/*" io.walkit.cli.AotTraining "$testdata" >/dev/null 2>&1; then
  echo "make-dist: AOT cache lib/walkit.aot ($(du -h "$dist/lib/walkit.aot" | cut -f1))"
else
  echo "make-dist: no AOT cache (training failed); the launcher runs without it" >&2
  rm -f "$dist/lib/walkit.aot" "$dist/lib/walkit.aot.config"
fi
cp "$here/README.dist" "$dist/README"
cp "$shaded" "$target/$name.jar"
tar -C "$target" -czf "$target/$name-linux-x64.tar.gz.tmp" "$name"
mv "$target/$name-linux-x64.tar.gz.tmp" "$target/$name-linux-x64.tar.gz"
echo "make-dist: $target/$name-linux-x64.tar.gz ($(du -sh "$dist" | cut -f1) unpacked)"
