#!/usr/bin/env bash
# Install what .ci/run and the tests need on a fresh machine, and nothing when it
# is already there: rustfmt and clippy, the toolchain of the declared
# rust-version, python3 (the bundled example implementations) and Chromium (the
# browser check of the HTML pages, scripts/browser-check.py).
# cargo-fuzz is installed by scripts/fuzz.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup component add rustfmt clippy >/dev/null 2>&1 || true

msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
if ! rustup run "$msrv" rustc --version >/dev/null 2>&1; then
  echo "ci-deps: installing Rust $msrv (the declared rust-version)"
  rustup toolchain install "$msrv" --profile minimal
fi

apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "ci-deps: $* missing and there is no apt-get to install it" >&2
    exit 1
  fi
  sudo_=""; [ "$(id -u)" -ne 0 ] && sudo_="sudo"
  $sudo_ apt-get update -qq && $sudo_ apt-get install -y -qq "$@"
}

if ! command -v python3 >/dev/null 2>&1; then
  echo "ci-deps: installing python3"
  apt_install python3
fi
if ! command -v chromium >/dev/null 2>&1; then
  echo "ci-deps: installing chromium (Debian's package)"
  apt_install chromium
fi
