#!/usr/bin/env bash
# Builds the jar of a git revision into a temp dir and prints the jar's path, for before/after
# comparisons in one run: BENCH_BASELINE_JAR=$(bench/build-jar.sh HEAD~1) bench/models-vs-nginx.sh
# The checkout is not touched (git archive); delete the printed directory when done.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rev="${1:?usage: bench/build-jar.sh REVISION}"
. "$root/scripts/java-home.sh"
commit=$(git -C "$root" rev-parse --short "$rev^{commit}")
dir="${TMPDIR:-/tmp}/switchboard-$commit"
# Where the jar is: switchboard-cli/ since the CLI has its own module, switchboard-server/ before.
jar_of() {
  local module
  for module in switchboard-cli switchboard-server; do
    [ -f "$1/$module/target/switchboard.jar" ] && { echo "$1/$module/target/switchboard.jar"; return 0; }
  done
  return 1
}
if ! jar_of "$dir" >/dev/null; then
  rm -rf "$dir" && mkdir -p "$dir"
  git -C "$root" archive "$commit" | tar -x -C "$dir"
  (cd "$dir" && ./mvnw -B -q -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package >&2)
fi
jar_of "$dir"
