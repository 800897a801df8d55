#!/usr/bin/env bash
# Mutation testing of the model, the checkers and the validation code with
# cargo-mutants (installed if missing, about 3 minutes). Extra arguments go to
# cargo-mutants, e.g. `scripts/mutants.sh --iterate` (skip mutants caught in
# the previous run) or `scripts/mutants.sh --jobs 2`.
#
# The tests run per mutant are the fast in-process ones (unit tests, golden
# scenarios, properties, checker sensitivity, metamorphic) at 10% of their default
# case counts; results land in mutants.out/ (not in git) and are summarised in
# docs/mutants.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-mutants >/dev/null 2>&1 || cargo install cargo-mutants --locked
export SELC_CASES_PERCENT="${SELC_CASES_PERCENT:-10}"
# check/coverage.rs (verify statistics), check/compare.rs and check/diff.rs
# (report formatting) are not checkers and are left out.
exec cargo mutants --gitignore true \
  --file 'src/model/**' --file 'src/check/**' \
  --exclude src/check/coverage.rs --exclude src/check/compare.rs --exclude src/check/diff.rs \
  --minimum-test-timeout 60 \
  "$@" \
  -- --lib --test golden --test properties --test checkers --test metamorphic
