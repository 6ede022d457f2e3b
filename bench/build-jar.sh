#!/usr/bin/env bash
# Builds the server jar of a git revision into a temp dir and prints the jar's path, for before/after
# comparisons in one run: BENCH_BASELINE_JAR=$(bench/build-jar.sh HEAD~1) bench/models-vs-nginx.sh
# The checkout is not touched (git archive); delete the printed directory when done.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rev="${1:?usage: bench/build-jar.sh REVISION}"
. "$root/scripts/java-home.sh"
commit=$(git -C "$root" rev-parse --short "$rev^{commit}")
dir="${TMPDIR:-/tmp}/switchboard-$commit"
if [ ! -f "$dir/switchboard-server/target/switchboard.jar" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  git -C "$root" archive "$commit" | tar -x -C "$dir"
  (cd "$dir" && ./mvnw -B -q -DskipTests package >&2)
fi
echo "$dir/switchboard-server/target/switchboard.jar"
