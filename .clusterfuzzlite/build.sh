#!/usr/bin/env bash
# Build selc's fuzz targets for ClusterFuzzLite: every target of fuzz/ into $OUT,
# with its dictionary and a seed corpus built from the golden scenarios.
#
# In the OSS-Fuzz image $SRC and $OUT are set and cargo-fuzz is there. Outside
# Docker it runs as far as it can: `OUT=/tmp/cflite .clusterfuzzlite/build.sh`
# builds the same binaries with the local toolchain (nightly with sanitizers when
# it works, else stable with `--sanitizer none`), installing cargo-fuzz if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${OUT:?set OUT to the directory for the fuzz binaries}"
mkdir -p "$OUT"
# example_engine_broken is left out: it exists to be found (scripts/fuzz.sh).
targets=(scenario_json model_events serve_lines metamorphic example_engine)

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
if [ -n "${SANITIZER:-}" ]; then
  # Inside OSS-Fuzz: its flags and sanitizer.
  tool=(cargo fuzz build -O --debug-assertions)
elif cargo +nightly --version >/dev/null 2>&1 && (cd fuzz && cargo +nightly fuzz build -O "${targets[0]}") >/dev/null 2>&1; then
  tool=(cargo +nightly fuzz build -O --debug-assertions)
else
  tool=(cargo fuzz build -O --debug-assertions --sanitizer none)
fi
(cd fuzz && "${tool[@]}")

target_dir=$(cd fuzz && ls -d target/*/release 2>/dev/null | head -1)
for t in "${targets[@]}"; do
  cp "fuzz/$target_dir/$t" "$OUT/$t"
  cp fuzz/dicts/selc.dict "$OUT/$t.dict"
  # Seed corpus: the golden scenarios (the JSON targets read them as they are).
  python3 - "$OUT/${t}_seed_corpus.zip" <<'PY'
import pathlib, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for p in sorted(pathlib.Path("scenarios").rglob("*.json")):
        z.write(p, p.relative_to("scenarios"))
PY
done
echo "build.sh: built ${targets[*]} into $OUT"
