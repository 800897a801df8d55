#!/usr/bin/env bash
# Build the differential target for ClusterFuzzLite (inside the OSS-Fuzz
# image: $SRC, $OUT and the sanitizer flags are set, cargo-fuzz is there).
set -euo pipefail
cd "$SRC/my-licensing"
cargo fuzz build -O --debug-assertions selc_differential
cp fuzz/target/x86_64-unknown-linux-gnu/release/selc_differential "$OUT/"
