#!/usr/bin/env bash
# Java writers + readers and an aj-like process (scripts/reliability/aj_like_writer.py) on one file,
# in both journal modes, at several loads. Figures: target/reliability/concurrency.txt (one line per run).
# Usage: scripts/reliability/concurrency.sh [SECONDS]   (default 60 per run; 6 runs x 2 journal modes)
set -euo pipefail
cd "$(dirname "$0")/../.."
S="${1:-60}"
mvn -B -q -DskipTests test-compile
rm -f target/reliability/concurrency.txt
run() { # label writers writerPauseMs readers readerPauseMs
  mvn -B -q surefire:test -Dtest=AjConcurrencyTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dreliability.label="$1" -Dreliability.seconds="$S" -Dreliability.writers="$2" -Dreliability.writerPauseMs="$3" \
    -Dreliability.readers="$4" -Dreliability.readerPauseMs="$5" | grep '^\[reliability\]' || true
}
run app-load       3 100 2 100   # a JVM chat app: ~30 writes/s, ~20 reads/s
run writers-only   3 100 0 0
run readers-only   0 0   2 100
run stress         3 5   2 5     # writers and readers as fast as they go
run stress-writers 3 5   0 0
run stress-readers 0 0   2 5
echo; cat target/reliability/concurrency.txt
