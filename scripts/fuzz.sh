#!/usr/bin/env bash
# Build every fuzz target and run each for SECONDS (default 60).
#
#   scripts/fuzz.sh [SECONDS] [TARGET ...]
#
# Installs cargo-fuzz if missing. A short run (the CI smoke run, under 300 s a
# target) uses the nightly toolchain with AddressSanitizer when it works, else
# stable with `--sanitizer none` (cargo fuzz on stable passes -Zsanitizer and
# fails); says which. A long run (300 s or more a target) uses no sanitizer:
# the crate forbids `unsafe`, so AddressSanitizer buys little and costs exec/s
# (docs/fuzzing.md has the figures). SANITIZER=none|address forces one.
#
# Besides the targets, the smoke run checks that libFuzzer finds the
# deliberately broken variant of examples/rust_implementation.rs through the
# in-process target (example_engine_broken, fixed seed, no sanitizer, at most 180 s): the
# run fails if it does not. Debug assertions and
# overflow checks are on, so an overflow is a crash (R-TOTAL). Seed corpora are
# built from scenarios/ on every run (fuzz/seeds/, not committed); what the fuzzer
# adds goes to fuzz/corpus/ and crashes to fuzz/artifacts/ (not committed either).
# Exits non-zero on any crash.
set -euo pipefail
cd "$(dirname "$0")/.."

secs="${1:-60}"
[ $# -gt 0 ] && shift
targets=("$@")
check_broken=0
if [ ${#targets[@]} -eq 0 ]; then
  targets=(scenario_json model_events serve_lines metamorphic example_engine)
  check_broken=1
fi

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "fuzz.sh: installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

tool=(cargo fuzz)
san=(--sanitizer none)
want="${SANITIZER:-auto}"
if [ "$want" = auto ]; then
  if [ "$secs" -ge 300 ]; then want=none; else want=address; fi
fi
if cargo +nightly --version >/dev/null 2>&1 &&
   (cd fuzz && cargo +nightly fuzz build -O -a "${san[@]}" "${targets[0]}") >/tmp/selc-fuzz-nightly-$$.log 2>&1; then
  tool=(cargo +nightly fuzz)
  if [ "$want" = address ] &&
     (cd fuzz && cargo +nightly fuzz build -O -a "${targets[0]}") >>/tmp/selc-fuzz-nightly-$$.log 2>&1; then
    san=()
    echo "fuzz.sh: nightly toolchain, AddressSanitizer on"
  else
    echo "fuzz.sh: nightly toolchain, no sanitizer (debug assertions on)"
  fi
else
  echo "fuzz.sh: stable toolchain, no sanitizer (nightly missing or failed: see /tmp/selc-fuzz-nightly-$$.log)"
fi

# Seed corpora drawn from the shipped scenarios.
rm -rf fuzz/seeds
mkdir -p fuzz/seeds/scenario_json fuzz/seeds/serve_lines fuzz/seeds/model_events fuzz/seeds/metamorphic
find scenarios -name '*.json' | while read -r f; do
  cp "$f" "fuzz/seeds/scenario_json/$(echo "$f" | tr '/' '_')"
done
if command -v python3 >/dev/null 2>&1; then
  python3 - <<'PY'
import glob, json, os
for f in glob.glob("scenarios/**/*.json", recursive=True):
    d = json.load(open(f))
    lines = [{"op": "hello", "protocol": 1}, {"op": "load", "network": d["network"]}]
    lines += [{"op": "apply", "event": e} for e in d.get("events", [])]
    lines += [{"op": "snapshot"}, {"op": "bye"}]
    name = f.replace("/", "_")
    with open(os.path.join("fuzz/seeds/serve_lines", name), "w") as out:
        out.write("\n".join(json.dumps(l, separators=(",", ":")) for l in lines) + "\n")
PY
fi

logs=$(mktemp -d /tmp/selc-fuzz.XXXXXX)
status=0
summary=()
for t in "${targets[@]}"; do
  echo "fuzz.sh: building $t"
  # A finding check, not a memory check: no sanitizer, so it takes its ~50 s
  # (seed 1, this machine), not two or three times that.
  (cd fuzz && "${tool[@]}" build -O -a --sanitizer none "$t") >"$logs/build-$t.log" 2>&1 || {
    cat "$logs/build-$t.log"; exit 2; }
  mkdir -p "fuzz/corpus/$t" "fuzz/seeds/$t"
  echo "fuzz.sh: running $t for ${secs}s"
  log="$logs/$t.log"
  if (cd fuzz && "${tool[@]}" run -O -a "${san[@]}" "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$secs" -dict=dicts/selc.dict -print_final_stats=1 -rss_limit_mb=4096) >"$log" 2>&1; then
    result=ok
  else
    result=CRASH
    status=1
    tail -40 "$log"
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  summary+=("$(printf '%-14s %-6s %12s execs %10s exec/s' "$t" "$result" "${execs:-?}" "$(( ${execs:-0} / (secs > 0 ? secs : 1) ))")")
done
if [ "$check_broken" = 1 ]; then
  t=example_engine_broken
  echo "fuzz.sh: $t must be found: libFuzzer against the broken Rust example (at most 180 s)"
  # A finding check, not a memory check: no sanitizer, so it takes its ~50 s
  # (seed 1, this machine), not two or three times that.
  (cd fuzz && "${tool[@]}" build -O -a --sanitizer none "$t") >"$logs/build-$t.log" 2>&1 || {
    cat "$logs/build-$t.log"; exit 2; }
  log="$logs/$t.log"
  broken_dir=$(mktemp -d)
  found=0
  # A fresh corpus: the check measures finding the bug from nothing.
  mkdir -p "$broken_dir/corpus"
  start=$(date +%s)
  if (cd fuzz && SELC_FUZZ_SAVE="$broken_dir" SELC_FUZZ_STATS=0 "${tool[@]}" run -O -a --sanitizer none "$t" "$broken_dir/corpus" -- \
        -seed=1 -max_total_time=180 -rss_limit_mb=4096 -artifact_prefix="$broken_dir/") >"$log" 2>&1; then
    found=0
  elif grep -q "diverged from the reference" "$log" && ls "$broken_dir"/r-*-fuzz-*.json >/dev/null 2>&1; then
    found=1
  fi
  took=$(( $(date +%s) - start ))
  if [ "$found" = 1 ]; then
    summary+=("$(printf '%-22s found in %s s: %s' "$t" "$took" "$(basename "$(ls "$broken_dir"/r-*-fuzz-*.json | head -1)")")")
  else
    summary+=("$(printf '%-22s NOT FOUND in %s s' "$t" "$took")")
    tail -40 "$log"
    status=1
  fi
  rm -rf "$broken_dir"
fi
echo
printf '%s\n' "${summary[@]}"
echo "(logs in $logs)"
exit $status
