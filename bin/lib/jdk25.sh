# Sourced by bin/walkit and bin/test: exports JAVA_HOME pointing at a JDK 25 or newer.
# Order: $JAVA_HOME if it is 25+, then `java` on PATH if 25+, then /usr/lib/jvm/*.
walkit_java_major() {
  # $2 = "release-only": read the JDK's release file and never start a JVM (a JVM costs ~0.1 s of
  # CPU per walkit run); otherwise fall back to asking java.
  # Bash builtins only (no sed, no subshell): a fork costs several ms on a loaded machine, and
  # bin/walkit runs this before every command.
  local v="" line
  if [ -r "$1/release" ]; then
    while IFS= read -r line; do
      if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then
        v=${BASH_REMATCH[1]}
        break
      fi
    done < "$1/release"
  fi
  if [ -z "$v" ] && [ "${2:-}" != release-only ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1)
  fi
  echo "$v"
}
walkit_select_jdk() {
  local candidate major pass
  # Two passes: release files only first (cheap), then asking each java for its version.
  for pass in release-only ask; do
    local onpath
    onpath=$(command -v java 2>/dev/null) && onpath=$(readlink -f "$onpath") && onpath=${onpath%/bin/java}
    for candidate in "${JAVA_HOME:-}" "${onpath:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* /usr/lib/jvm/*; do
      [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
      major=$(walkit_java_major "$candidate" "$pass")
      if [ -n "$major" ] && [ "$major" -ge 25 ]; then
        export JAVA_HOME="$candidate"
        return 0
      fi
    done
  done
  echo "walkit: no JDK 25 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm); install one and set JAVA_HOME" >&2
  return 1
}
