# Sourced by every script: exports JAVA_HOME pointing at a JDK >= 21.
# The machine's default java may be older, so look in the usual places too.
switchboard_java_major() {
  # The JDK's release file says it without starting a JVM (~0.1 s saved on every launch).
  local version
  version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  if [ -n "$version" ]; then echo "$version"; return 0; fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}
switchboard_find_java() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/* /opt/java/* /usr/local/java/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(switchboard_java_major "$candidate")
    if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}
if ! JAVA_HOME=$(switchboard_find_java); then
  echo "switchboard: no JDK 21 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm); install one, e.g. 'apt-get install openjdk-21-jdk'" >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# JDK 24+ warns about sun.misc.Unsafe memory access (Netty, and Maven's own Guice); older JDKs reject the flag.
SWITCHBOARD_JDK_FLAGS=""
if [ "$(switchboard_java_major "$JAVA_HOME" | cut -d. -f1)" -ge 24 ] 2>/dev/null; then
  SWITCHBOARD_JDK_FLAGS="--sun-misc-unsafe-memory-access=allow"
  case " ${MAVEN_OPTS:-} " in *unsafe-memory-access*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} $SWITCHBOARD_JDK_FLAGS" ;; esac
fi
export SWITCHBOARD_JDK_FLAGS
