# Sourced by bin/walkit and bin/test: exports JAVA_HOME pointing at a JDK 25 or newer.
# Order: $JAVA_HOME if it is 25+, then `java` on PATH if 25+, then /usr/lib/jvm/*.
walkit_java_major_into() {
  # Sets walkit_major to the feature version of the JDK at $1 (empty when unknown).
  # $2 = "release-only": read the JDK's release file and never start a JVM (a JVM costs ~0.1 s of
  # CPU per walkit run); otherwise fall back to asking java.
  # Bash builtins only (no sed, no subshell): a fork costs several ms on a loaded machine, and
  # bin/walkit runs this before every command.
  local line
  walkit_major=""
  if [ -r "$1/release" ]; then
    while IFS= read -r line; do
      if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then
        walkit_major=${BASH_REMATCH[1]}
        break
      fi
    done < "$1/release"
  fi
  if [ -z "$walkit_major" ] && [ "${2:-}" != release-only ]; then
    walkit_major=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1)
  fi
}
walkit_java_major() {
  # Prints the feature version of the JDK at $1 (see walkit_java_major_into).
  walkit_java_major_into "$@"
  echo "$walkit_major"
}
walkit_select_jdk() {
  local candidate pass onpath="" resolved=""
  # Two passes: release files only first (cheap), then asking each java for its version.
  for pass in release-only ask; do
    for candidate in "${JAVA_HOME:-}" onpath /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* /usr/lib/jvm/*; do
      if [ "$candidate" = onpath ]; then
        # `java` on PATH, resolved through its links only when reached (readlink is a fork).
        if [ -z "$resolved" ]; then
          resolved=1
          onpath=$(command -v java 2>/dev/null) && onpath=$(readlink -f "$onpath") && onpath=${onpath%/bin/java} || onpath=""
        fi
        candidate=$onpath
      fi
      [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
      walkit_java_major_into "$candidate" "$pass"
      if [ -n "$walkit_major" ] && [ "$walkit_major" -ge 25 ]; then
        export JAVA_HOME="$candidate"
        return 0
      fi
    done
  done
  echo "walkit: no JDK 25 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm); install one and set JAVA_HOME" >&2
  return 1
}
