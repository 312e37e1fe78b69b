#!/usr/bin/env bash
# Runs `mvn -B verify` (unless --no-build) and scans everything the test suite printed (the build's
# console output, surefire reports with each test's stdout/stderr, reliability reports) for the API
# keys the tests store in config snapshots. Exit 1 and the offending lines when one shows up.
# Usage: scripts/reliability/scan-test-output.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${1:-}" != "--no-build" ]; then
  mvn -B verify 2>&1 | tee /tmp/aj-sessions-build-$$.log
  mkdir -p target/reliability && mv /tmp/aj-sessions-build-$$.log target/reliability/build.log
fi
# every key literal the tests pass to ConfigSnapshot/AwfulConfig (longer than 3 characters)
mapfile -t keys < <(grep -rhoE 'new (ConfigSnapshot|AwfulConfig)\("[^"]*", "[^"]{4,}"' src/test/java \
  | awk -F'"' '{print $4}' | sort -u)
[ "${#keys[@]}" -gt 0 ] || { echo "no test keys found in src/test/java"; exit 2; }
found=0
for k in "${keys[@]}"; do
  if grep -rnF -- "$k" target/surefire-reports target/reliability 2>/dev/null | grep -v -- '-with-secrets' | head -5; then
    found=1
  fi
done
echo "scanned target/surefire-reports and target/reliability for ${#keys[@]} test keys: ${keys[*]}"
[ "$found" -eq 0 ] && echo "no key found" || { echo "KEY FOUND (lines above)"; exit 1; }
