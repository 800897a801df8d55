#!/usr/bin/env bash
# The `--jobs` benchmark of docs/performance.md: `selc verify --jobs 1` and
# `--jobs 2` against the bundled Python example, alternated run by run (this
# machine's noise drifts over minutes, so alternating keeps the two sides
# comparable), then the median of each and the speed-up, and the median of the
# speed-ups of each pair of runs (less moved by the machine slowing down or
# speeding up for a minute, as this shared 2-core machine does by 20% and more).
#
# usage: scripts/jobs-speedup.sh [RUNS] [extra selc verify arguments...]
#   e.g. scripts/jobs-speedup.sh 5 --cases 1500 --no-steer
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
shift || true
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--cases 1500 --no-steer)
cargo build --release -q
selc=target/release/selc
one=() two=()
seconds() {
  local start end
  start=$(date +%s%N)
  "$selc" verify --no-golden "${args[@]}" --jobs "$1" >/dev/null 2>&1 || {
    echo "selc verify --jobs $1 did not pass" >&2
    exit 1
  }
  end=$(date +%s%N)
  echo "$(( (end - start) / 1000000 ))"
}
# In every other round --jobs 2 goes first (ABBA), so that a machine slowing
# down or speeding up steadily favours neither side.
for r in $(seq "$runs"); do
  if (( r % 2 )); then
    one+=("$(seconds 1)")
    two+=("$(seconds 2)")
  else
    two+=("$(seconds 2)")
    one+=("$(seconds 1)")
  fi
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m1=$(median "${one[@]}")
m2=$(median "${two[@]}")
echo "selc verify --no-golden ${args[*]}: $runs runs each"
echo "--jobs 1: median $m1 ms (${one[*]})"
echo "--jobs 2: median $m2 ms (${two[*]})"
awk -v a="$m1" -v b="$m2" 'BEGIN {printf "speed-up: %.2fx\n", a / b}'
pairs=()
for i in "${!one[@]}"; do
  pairs+=("$(awk -v a="${one[$i]}" -v b="${two[$i]}" 'BEGIN {printf "%.3f", a / b}')")
done
echo "speed-up of each pair: ${pairs[*]}"
echo "median speed-up of the pairs: $(median "${pairs[@]}")x"
