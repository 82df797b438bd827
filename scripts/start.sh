#!/usr/bin/env bash
# `npm start`: sets up what is missing, builds the page's wasm and the CLI, and runs
# `manju serve` on a library holding the demo drama (target/demo-library/demo/v1 is
# www/demo), review on: it prints the URL and the owner link.
#   PORT=8080 by default; MANJU_DATABASE=postgres://… to use PostgreSQL.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
bash scripts/build-wasm.sh
[ -f www/demo/manifest.json ] || cargo run --example make_demo
cargo build --bin manju

target="${CARGO_TARGET_DIR:-$PWD/target}"
library="$target/demo-library"
mkdir -p "$library/demo"
[ -e "$library/demo/v1" ] || ln -s "$PWD/www/demo" "$library/demo/v1"
exec "$target/debug/manju" serve "$library" --port "${PORT:-8080}" "$@"
