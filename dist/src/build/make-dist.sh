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
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --output "$dist/runtime"
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
cp "$here/README.dist" "$dist/README"
cp "$shaded" "$target/$name.jar"
tar -C "$target" -czf "$target/$name-linux-x64.tar.gz.tmp" "$name"
mv "$target/$name-linux-x64.tar.gz.tmp" "$target/$name-linux-x64.tar.gz"
echo "make-dist: $target/$name-linux-x64.tar.gz ($(du -sh "$dist" | cut -f1) unpacked)"
