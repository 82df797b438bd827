#!/usr/bin/env bash
# Everything CI checks; stops at the first failure.
#   setup → PostgreSQL → rustfmt → clippy → Rust tests → review API tests → (demo) → browser tests
#                   ├ wasm build, beside clippy and the Rust tests ┤
#                   └ fuzzing (build, then each reader 30 s), too  ┘
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
cargo fmt --check --manifest-path fuzz/Cargo.toml

# Two jobs run in the background, beside clippy and the Rust tests: the wasm builds (in
# their own profile directories: no cargo lock between them; most of their time is the
# core compiled three times on one thread, while the native builds keep both cores busy),
# and the fuzzers (scripts/fuzz.sh: built instrumented in target/fuzz, then each reader
# for MANJU_FUZZ_SECONDS, 30 by default). Their output comes after the Rust tests; a
# failure in either stops everything too.
jobs_dir=$(mktemp -d "${TMPDIR:-/tmp}/manju-test.XXXXXX")
declare -A job_pid=()
background() { # name command...
    local name=$1
    shift
    "$@" >"$jobs_dir/$name.log" 2>&1 &
    job_pid[$name]=$!
    echo "($name runs in the background from $(($(date +%s) - t0)) s)"
}
finish() { # name pattern: waits for the job; prints the lines matching pattern, or all on failure
    if ! wait "${job_pid[$1]}"; then
        cat "$jobs_dir/$1.log"
        echo "test: $1 failed" >&2
        exit 1
    fi
    unset "job_pid[$1]"
    grep -E "$2" "$jobs_dir/$1.log" || true
}
trap 'for pid in "${job_pid[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$jobs_dir"; [ -z "${MANJU_PG_DIR:-}" ] || bash scripts/postgres.sh stop "$MANJU_PG_DIR"' EXIT
# A throwaway PostgreSQL cluster (scripts/postgres.sh): the review tests run every case on
# SQLite and on PostgreSQL, and two servers on one PostgreSQL.
step "PostgreSQL (a throwaway cluster)"
eval "$(bash scripts/postgres.sh start)"
echo "postgres: $MANJU_TEST_POSTGRES"

background "wasm build" bash scripts/build-wasm.sh
background "fuzzing" bash scripts/fuzz.sh

step "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test"
cargo test

# The review server's tests drive the CLI `cargo test` built, as real processes.
export MANJU_CLI="${CARGO_TARGET_DIR:-$PWD/target}/debug/manju"

step "review API tests (manju serve on SQLite and PostgreSQL)"
node --test --test-concurrency=1 tests/review/*.test.mjs

step "wasm build (started beside clippy)"
finish "wasm build" '^build-wasm:|^warning'

step "fuzzing (started beside clippy)"
finish "fuzzing" '^fuzz:|^Done'

if [ ! -f www/demo/manifest.json ]; then
    step "demo drama (www/demo/ is missing)"
    cargo run --example make_demo
fi

# The browser tests run against `manju serve` and compare the page with the CLI, both the
# one `cargo test` built (the dev profile): building a release CLI only for them took
# longer than everything they do with it.

step "browser tests"
shopt -s nullglob
browser_tests=(tests/browser/*.test.mjs)
if [ ${#browser_tests[@]} -eq 0 ]; then
    echo "test: no browser tests in tests/browser/" >&2
    exit 1
fi
node --test --test-concurrency=1 "${browser_tests[@]}"

step "all passed"
