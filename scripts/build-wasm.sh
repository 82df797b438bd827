#!/usr/bin/env bash
# Builds the crate's library for the browser: target/wasm32-unknown-unknown/release/manju.wasm,
# then wasm-bindgen's ES module and its .wasm into www/pkg/.
# Uses the toolchain that scripts/setup.sh chose (target/manju-toolchain.env), and runs setup
# first when it has not chosen yet.
#
# MANJU_SIMD=0 builds without SIMD128.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
ENV_FILE="$ROOT/target/manju-toolchain.env"
CRATE=manju
TARGET=wasm32-unknown-unknown
OUT_DIR=www/pkg

# A setup that stopped half-way leaves no wasm-bindgen line: run it (again) then.
grep -q '^MANJU_WASM_BINDGEN=' "$ENV_FILE" 2>/dev/null || bash scripts/setup.sh
# shellcheck source=/dev/null
source "$ENV_FILE"

started=$(date +%s)

# SIMD128 lets LLVM vectorise the compositor's per-pixel loops. Every browser with
# WebAssembly SIMD (Chrome 91+, Firefox 89+, Safari 16.4+) runs it; the build-std path builds
# std with the same flag.
rustflags=()
if [ "${MANJU_SIMD:-1}" = 1 ]; then
    rustflags+=(-C target-feature=+simd128)
fi

cargo_args=(build --lib --release --target "$TARGET")
if [ "$MANJU_BUILD_STD" = 1 ]; then
    # Debian's rustc-web has no prebuilt wasm32 std: build it from its source.
    # RUSTC_BOOTSTRAP allows -Z on a stable compiler; /usr/bin comes first so that build
    # scripts and proc macros also use Debian's rustc, not rustup's proxy.
    cargo_args+=("-Zbuild-std=std,panic_abort")
    export RUSTC_BOOTSTRAP=1
    export RUSTC="$MANJU_RUSTC"
    export PATH="/usr/bin:$PATH"
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$MANJU_WASM_LD"
fi
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${rustflags[*]}"

"$MANJU_CARGO" "${cargo_args[@]}"

target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
wasm="$target_dir/$TARGET/release/$CRATE.wasm"
[ -f "$wasm" ] || { echo "build-wasm: $wasm was not built" >&2; exit 1; }

"$MANJU_WASM_BINDGEN" --target web --out-dir "$OUT_DIR" "$wasm"

out="$OUT_DIR/${CRATE}_bg.wasm"
# No wasm-opt: Debian 12's binaryen (108) shrinks this output by 12 % but breaks it — the
# module then fails in init() on wasm-bindgen's externref table ("WebAssembly.Table.set():
# Argument 1 is invalid for table"). Release mode with LTO is what we ship.

bytes=$(stat -c %s "$out")
gz=$(gzip -9 -c "$out" | wc -c)
simd=$([ "${MANJU_SIMD:-1}" = 1 ] && echo "simd128" || echo "no simd")
echo "build-wasm: $out $((bytes / 1024)) KiB ($((gz / 1024)) KiB gzipped, $simd, $MANJU_TOOLCHAIN toolchain) in $(($(date +%s) - started)) s"
