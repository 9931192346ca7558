#!/usr/bin/env bash
# Checks for the two system packages the project reads and installs the missing ones when it can:
#   chromium               the browser suite (test/e2e) drives it headless through playwright-core;
#   dataset-fashion-mnist  the full Fashion-MNIST IDX files in /usr/share/datasets/fashion-mnist/,
#                          read by the training and quality scripts (the tests use data/'s subset).
# Runs as `pretest`, so `npm ci && npm test` works on a fresh Debian/Ubuntu machine. Installing
# needs root and apt-get; otherwise it prints the command to run and exits 0 (the browser suite and
# the dataset loader then fail with the install command in their message). With CI set, anything
# it cannot install is an error. DEQIR_SKIP_SYSTEM_DEPS=1 skips it.
set -euo pipefail

say() { echo "ensureSystemDeps: $*" >&2; }
# In CI (CI set, not "false"/"0") a dependency it cannot provide stops the run here.
fail_in_ci() { case "${CI:-}" in "" | false | 0) ;; *) exit 1 ;; esac; }
if [ -n "${DEQIR_SKIP_SYSTEM_DEPS:-}" ]; then exit 0; fi

FASHION_DIR=/usr/share/datasets/fashion-mnist
# Keep in step with CHROMIUM_CANDIDATES in test/e2e/chromium.ts.
CHROMIUM_CANDIDATES=(/usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable /snap/bin/chromium)

have_chromium() {
  local p
  for p in "${CHROMIUM_CANDIDATES[@]}"; do [ -x "$p" ] && return 0; done
  return 1
}
have_fashion() {
  local f
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    [ -f "$FASHION_DIR/$f.gz" ] || [ -f "$FASHION_DIR/$f" ] || return 1
  done
}

missing=()
why=()
if [ -n "${CHROMIUM_PATH:-}" ]; then
  # An explicit choice: installing Debian's chromium would not change what the tests use.
  if [ ! -x "$CHROMIUM_PATH" ]; then
    say "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable; point it at Chromium or unset it."
    fail_in_ci
  fi
elif ! have_chromium; then
  missing+=(chromium)
  why+=("chromium (the browser tests need it; none in ${CHROMIUM_CANDIDATES[*]})")
fi
if ! have_fashion; then
  missing+=(dataset-fashion-mnist)
  why+=("dataset-fashion-mnist (no Fashion-MNIST IDX files in $FASHION_DIR)")
fi
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

cmd="apt-get update && apt-get install -y ${missing[*]}"
reasons=${why[0]}
if [ ${#why[@]} -gt 1 ]; then reasons+=" and ${why[1]}"; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  say "missing ${reasons}. Install with: sudo sh -c '$cmd' (or set CHROMIUM_PATH to an existing Chromium)."
  fail_in_ci
  exit 0
fi

say "installing ${reasons} with apt-get."
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
  say "apt-get failed; install by hand with: $cmd"
  fail_in_ci
  exit 0
fi
if [ -z "${CHROMIUM_PATH:-}" ] && ! have_chromium || ! have_fashion; then
  say "still missing after apt-get; install by hand with: $cmd"
  fail_in_ci
fi
