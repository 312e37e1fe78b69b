#!/usr/bin/env bash
# Every reliability figure of the README: concurrency with an aj-like process, SIGKILL crashes, and the
# bad-input, secrets and lock tests (these run in CI at full size already).
# Usage: scripts/reliability/all.sh [SECONDS_PER_CONCURRENCY_RUN] [KILLS_PER_JOURNAL_MODE]
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/reliability/concurrency.sh "${1:-60}"
scripts/reliability/crash.sh "${2:-25}"
mvn -B -q surefire:test -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest='BadInputTest*,SecretsTest,ReadsHoldNoLockTest,SameJvmLocksTest'
echo "bad input, secrets, reads-hold-no-lock, same-JVM locks: passed"
