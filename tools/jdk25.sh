# Sourced by ./rnn4j and ./test: sets JAVA_HOME to a JDK 25 or newer, or stops with a message.
# Looks at JAVA_HOME first, then the usual install places, then the java on PATH.

rnn4j_java_major() { # prints the feature version of the java in $1, or nothing
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

rnn4j_find_jdk25() {
  local candidates=() c v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/* /opt/java/* /opt/jdk* \
           "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$c" ] && candidates+=("$c")
  done
  if command -v java >/dev/null 2>&1; then
    c=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    candidates+=("$c")
  fi
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(rnn4j_java_major "$c")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  echo "rnn4j needs a JDK 25 or newer (java and javac), and found none." >&2
  echo "Looked at JAVA_HOME (${JAVA_HOME:-unset}), /usr/lib/jvm, /opt and the java on PATH." >&2
  echo "Install one (for example Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64) and set JAVA_HOME to it." >&2
  return 1
}
