#!/usr/bin/env bash
# The whole test suite: every module, every test, on a JDK >= 21.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
exec ./mvnw -B verify "$@"
