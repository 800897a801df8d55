#!/usr/bin/env bash
# The robustness table of docs/verify.md: `selc verify --cases 50 --timeout
# MS` (default 5000) against each misbehaving program of
# tests/hostile/hostile_impl.py, release build. Prints, per program, the exit
# status, the wall time, whether the report was written, and the processes of
# the program left running afterwards (must be 0).
set -euo pipefail
cd "$(dirname "$0")/.."
ms="${1:-5000}"
cargo build --release -q
out=$(mktemp -d)
printf '| program | exit | seconds | report | left running |\n| --- | --- | --- | --- | --- |\n'
for mode in hang late no-newline close-stdout spawn-hang crash-on-load crash-mid garbage \
            wrong-shape huge-line not-utf8 wrong-version two-answers flood-stderr; do
  tag="SELC_HOSTILE_TAG=script-$$-$mode"
  start=$(date +%s.%N)
  set +e
  target/release/selc verify --impl "env $tag python3 tests/hostile/hostile_impl.py $mode" \
    --cases 50 --timeout "$ms" --report "$out/$mode.json" --junit "$out/$mode.xml" \
    --save-failures "$out/failures" >/dev/null 2>&1
  code=$?
  set -e
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  left=$( (grep -l "$tag" /proc/[0-9]*/environ 2>/dev/null || true) | wc -l)
  report=$([ -s "$out/$mode.json" ] && echo yes || echo NO)
  printf '| %s | %s | %.1f | %s | %s |\n' "$mode" "$code" "$secs" "$report" "$left"
done
rm -rf "$out"
