# Sourced by ./ajr and the scripts: sets JAVA_HOME to the newest JDK >= 21 found
# (JAVA_HOME first, then /usr/lib/jvm/*), or stops with a clear message.
# The feature version of the JDK at $1 (21, 25, ...): read from its release file, which every JDK
# has, so that no JVM is started just to ask; asked of the JVM when the file is missing.
ajr_java_version() {
  local v=""
  if [ -f "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -1)
  fi
  if [ -z "$v" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java.specification.version = //p' | head -1)
    v=${v%%.*}
  fi
  [ "$v" = 1 ] && v=8
  echo "$v"
}

ajr_find_java() {
  local candidates=() home v best="" best_version=0
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for home in /usr/lib/jvm/*; do [ -d "$home" ] && candidates+=("$home"); done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    v=$(ajr_java_version "$home")
    if [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_version" ]; then
      best="$home"; best_version=$v
    fi
  done
  if [ -z "$best" ]; then
    echo "ajr: needs a JDK 21 or newer; install one (apt-get install openjdk-21-jdk) or set JAVA_HOME" >&2
    exit 1
  fi
  export JAVA_HOME="$best"
}
ajr_find_java
# Maven's own libraries use sun.misc.Unsafe; JDK 24+ warns about it on every build.
if [ "$(ajr_java_version "$JAVA_HOME")" -ge 24 ] 2>/dev/null; then
  case " ${MAVEN_OPTS:-} " in
    *sun-misc-unsafe*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
  esac
fi
