#!/usr/bin/env bash
# SIGKILL a JVM doing continuous appends and turns, KILLS times per journal mode (default 25), at random
# moments (one in four during start-up and migration). Figures: target/reliability/crash.txt.
# Usage: scripts/reliability/crash.sh [KILLS]
set -euo pipefail
cd "$(dirname "$0")/../.."
K="${1:-25}"
mvn -B -q -DskipTests test-compile
rm -f target/reliability/crash.txt
mvn -B -q surefire:test -Dtest=CrashTest -Dsurefire.failIfNoSpecifiedTests=false -Dreliability.kills="$K" \
  | grep '\[reliability\]' || true
echo; cat target/reliability/crash.txt
