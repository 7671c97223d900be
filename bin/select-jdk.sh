# Sourced by ./syncline and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if it is >= 21, then the newest JDK >= 21 in the usual JVM folders,
# then the `java` on PATH; otherwise fail with a message saying what to install.

_syncline_java_major() {
  # prints the feature release of the java binary $1 (17, 21, 25, ...) or nothing
  "$1" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2; exit}' | sed 's/^1\.//'
}

_syncline_is_jdk() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local major
  major=$(_syncline_java_major "$1/bin/java")
  [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null
}

syncline_select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && _syncline_is_jdk "$JAVA_HOME"; then
    export JAVA_HOME; export PATH="$JAVA_HOME/bin:$PATH"; return 0
  fi
  local best="" best_major=0 d major
  for d in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
           "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$d" ] && [ ! -L "$d" ] || continue
    _syncline_is_jdk "$d" || continue
    major=$(_syncline_java_major "$d/bin/java")
    if [ "$major" -gt "$best_major" ]; then best="$d"; best_major="$major"; fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    _syncline_is_jdk "$d" && best="$d"
  fi
  if [ -z "$best" ]; then
    echo "Syncline needs a JDK 21 or newer (found none: JAVA_HOME=${JAVA_HOME:-unset}, nothing >= 21 under /usr/lib/jvm or on PATH)." >&2
    echo "Install one (e.g. Temurin 21) and set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"; export PATH="$JAVA_HOME/bin:$PATH"
}
