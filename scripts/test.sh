#!/usr/bin/env bash
# Everything CI checks; stops at the first failure.
#   setup → rustfmt → clippy → Rust tests → (demo) → browser tests
#                   └ wasm build, beside clippy and the Rust tests ┘
# Rust tests use the dev profile (Cargo.toml says which dependencies are optimised and
# why): the release profile's LTO with one codegen unit makes every test binary link
# slowly, which costs more than the golden-image tests gain from full optimisation.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

t0=$(date +%s)
step() {
    echo
    echo "=== $* ($(($(date +%s) - t0)) s)"
}

step "setup"
bash scripts/setup.sh
# Tests read real inputs made by others from the shared corpus beside the repository.
[ -d ../shared/corpus ] || {
    echo "test: ../shared/corpus is missing: the tests read the shared corpus beside the repository (clone Manju next to shared/)" >&2
    exit 1
}

step "cargo fmt --check"
cargo fmt --check

# The wasm builds run beside clippy and the Rust tests: they are in their own profile
# directories (no cargo lock between them), and most of their time is the core compiled
# three times on one thread, while the native builds keep both cores busy. Their output
# comes after the Rust tests; a failure there stops everything too.
wasm_log=$(mktemp "${TMPDIR:-/tmp}/manju-wasm-build.XXXXXX")
bash scripts/build-wasm.sh >"$wasm_log" 2>&1 &
wasm_pid=$!
trap 'kill "$wasm_pid" 2>/dev/null || true; rm -f "$wasm_log"' EXIT
echo "(the wasm build runs in the background from $(($(date +%s) - t0)) s)"

step "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test"
cargo test

step "wasm build (started beside clippy)"
if ! wait "$wasm_pid"; then
    cat "$wasm_log"
    echo "test: the wasm build failed" >&2
    exit 1
fi
grep -E '^build-wasm:|^warning' "$wasm_log" || true

if [ ! -f www/demo/manifest.json ]; then
    step "demo drama (www/demo/ is missing)"
    cargo run --example make_demo
fi

# The browser tests compare the page with the CLI `cargo test` built (the dev profile):
# building a release CLI only for them took longer than everything they do with it.
export MANJU_CLI="${CARGO_TARGET_DIR:-$PWD/target}/debug/manju"

step "browser tests"
shopt -s nullglob
browser_tests=(tests/browser/*.test.mjs)
if [ ${#browser_tests[@]} -eq 0 ]; then
    echo "test: no browser tests in tests/browser/" >&2
    exit 1
fi
node --test --test-concurrency=1 "${browser_tests[@]}"

step "all passed"
