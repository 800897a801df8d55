#!/usr/bin/env bash
# Time to the first divergence: `selc fuzz` against the random part of
# `selc verify` (--no-golden --no-exhaustive), on the broken examples whose bug
# lies beyond the exhaustive default scope, over several seeds. Prints a
# Markdown table (docs/fuzzing.md holds the last one measured).
#
#   scripts/fuzz-vs-random.sh [SEEDS] [LIMIT]    (defaults: 5 seeds, 120 s)
#
# Each run stops at its first divergence (--max-failures 1 --no-shrink); the
# time is the whole process's wall time, start-up included, the same for both.
# A run that finds nothing within LIMIT counts as LIMIT (a lower bound, marked >).
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-5}
limit=${2:-120}
cargo build --release --quiet
selc=target/release/selc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() { # tool example seed -> "seconds found"
    local tool=$1 example=$2 seed=$3 start end found
    local common=(--impl "examples/impls/python/$example.py" --seed "$seed" --time "${limit}s"
        --max-failures 1 --no-shrink --save-failures "$work/failures" --report "$work/r.json")
    # Fresh each run: a saved failure or a corpus of an earlier run would seed it.
    rm -rf "$work/corpus" "$work/failures" "$work/r.json"
    start=$(date +%s.%N)
    if [ "$tool" = fuzz ]; then
        "$selc" fuzz "${common[@]}" --corpus "$work/corpus" >/dev/null 2>&1 || true
    else
        "$selc" verify "${common[@]}" --no-golden --no-exhaustive >/dev/null 2>&1 || true
    fi
    end=$(date +%s.%N)
    found=$(python3 -c "import json,sys; print('yes' if json.load(open(sys.argv[1]))['failures'] else 'no')" "$work/r.json")
    echo "$(python3 -c "print(f'{$end-$start:.1f}')") $found"
}

echo "| example | tool | $(seq -s ' | ' 1 "$seeds" | sed 's/[0-9]\+/seed &/g') | median |"
echo "|---|---|$(printf -- '---|%.0s' $(seq 1 "$seeds"))---|"
for example in broken_deep_outages broken_deep_systems broken_deep_config; do
    for tool in fuzz verify; do
        cells=() times=()
        for seed in $(seq 1 "$seeds"); do
            read -r t found < <(run "$tool" "$example" "$seed")
            times+=("$t")
            if [ "$found" = yes ]; then cells+=("$t s"); else cells+=("> $limit s"); fi
        done
        median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
        label=$([ "$tool" = fuzz ] && echo "selc fuzz" || echo "selc verify --no-golden --no-exhaustive")
        echo "| $example | $label | $(IFS='|'; echo "${cells[*]}" | sed 's/|/ | /g') | $median s |"
    done
done
