#!/usr/bin/env bash
# Java writers + readers and an aj-like process (scripts/reliability/aj_like_writer.py) on one file,
# in both journal modes, at several loads. Figures: target/reliability/concurrency.txt (one line per run).
# Usage: scripts/reliability/concurrency.sh [SECONDS]   (default 60 per run; 5 runs x 2 journal modes)
set -euo pipefail
cd "$(dirname "$0")/../.."
S="${1:-60}"
mvn -B -q -DskipTests test-compile
rm -f target/reliability/concurrency.txt
run() { # label writers writerPauseMs readers readerPauseMs cliReaders
  mvn -B -q surefire:test -Dtest=AjConcurrencyTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dreliability.label="$1" -Dreliability.seconds="$S" -Dreliability.writers="$2" -Dreliability.writerPauseMs="$3" \
    -Dreliability.readers="$4" -Dreliability.readerPauseMs="$5" -Dreliability.cliReaders="$6" \
    | grep '\[reliability\]' || true
}
run app-load     3 100 2 100 1   # a JVM chat app (~25 writes/s, ~15 API reads/s) and the CLI's show/export/backup
run writers-only 3 100 0 0   0   # which side of the module makes aj fail: its writes ...
run readers-only 0 0   2 100 0   # ... or its API reads
run cli-only     0 0   0 100 1   # ... or the CLI's show/export/backup
run stress       3 5   2 5   1   # everything as fast as it goes
echo; cat target/reliability/concurrency.txt
