#!/usr/bin/env bash
# Instruction counts of load and apply (benches/instructions.rs) under valgrind.
# Installs the gungraun-runner matching the gungraun library in Cargo.lock if it
# is missing (about 5 minutes), so it stays out of .ci/run. Needs valgrind.
#
#   scripts/bench-instructions.sh [-- GUNGRAUN ARGS]   e.g. -- --save-baseline=main
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null 2>&1 || { echo "bench-instructions.sh: valgrind is needed (apt-get install valgrind)"; exit 2; }
version=$(cargo metadata --format-version 1 | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "gungraun"))')
if ! gungraun-runner --version 2>/dev/null | grep -q "$version"; then
  echo "bench-instructions.sh: installing gungraun-runner $version"
  cargo install gungraun-runner --version "$version" --locked
fi
cargo bench --bench instructions "$@"
