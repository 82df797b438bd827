#!/usr/bin/env bash
# Builds the crate's library for the browser, three times: with WebAssembly SIMD into www/pkg/,
# with SIMD and relaxed SIMD into www/pkg-relaxed/, and without SIMD into www/pkg-nosimd/
# (wasm-bindgen's ES module and its .wasm in each).
# Uses the toolchain that scripts/setup.sh chose (target/manju-toolchain.env), and runs setup
# first when it has not chosen yet.
#
# MANJU_SIMD=0 builds only the variant without SIMD128 (and copies it to www/pkg/ and
# www/pkg-relaxed/ too).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
ENV_FILE="$ROOT/target/manju-toolchain.env"
CRATE=manju
TARGET=wasm32-unknown-unknown

# A setup that stopped half-way leaves no wasm-bindgen line: run it (again) then.
grep -q '^MANJU_WASM_BINDGEN=' "$ENV_FILE" 2>/dev/null || bash scripts/setup.sh
# shellcheck source=/dev/null
source "$ENV_FILE"

started=$(date +%s)
target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"

cargo_args=(rustc --lib --profile wasm --target "$TARGET" --crate-type cdylib)
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

# build <out dir> <target features>: one variant, through wasm-bindgen.
#
# The features go to the core's own crate only (`cargo rustc -- …`), so the dependencies
# (and, with Debian's Rust, the standard library) are compiled once for all three builds;
# only the core is compiled again for each, which is what its SIMD kernels need
# (src/compositor/kernels/). Setting them in RUSTFLAGS instead rebuilt everything three
# times (183 s against 112 s here).
build() {
    local out_dir=$1 features=$2 t0
    t0=$(date +%s)
    local flags=()
    [ -n "$features" ] && flags=(-- -C "target-feature=$features")
    "$MANJU_CARGO" "${cargo_args[@]}" "${flags[@]}"
    local wasm="$target_dir/$TARGET/wasm/$CRATE.wasm"
    [ -f "$wasm" ] || { echo "build-wasm: $wasm was not built" >&2; exit 1; }
    "$MANJU_WASM_BINDGEN" "$wasm" "$out_dir"
    # No wasm-opt: Debian 12's binaryen (108) shrinks this output by 12 % but breaks it —
    # the module then fails in init() on wasm-bindgen's externref table
    # ("WebAssembly.Table.set(): Argument 1 is invalid for table").
    local out="$out_dir/${CRATE}_bg.wasm" bytes gz
    bytes=$(stat -c %s "$out")
    # Compressed once here, served as they are by `manju serve` (.br, .gz beside the file).
    node -e '
      const fs = require("fs"), zlib = require("zlib");
      const f = process.argv[1], data = fs.readFileSync(f);
      fs.writeFileSync(f + ".br", zlib.brotliCompressSync(data, { params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
      fs.writeFileSync(f + ".gz", zlib.gzipSync(data, { level: 9 }));
    ' "$out"
    gz=$(stat -c %s "$out.gz")
    echo "build-wasm: $out $((bytes / 1024)) KiB ($((gz / 1024)) KiB gzipped, ${features:-no simd}) in $(($(date +%s) - t0)) s"
}

# Three builds; the page loads the first whose instructions the browser validates
# (www/player/wasm-loader.js). SIMD128 (Chrome 91+, Firefox 89+, Safari 16.4+) runs the
# compositor's row kernels four pixels at a time (src/compositor/kernels/simd.rs); relaxed
# SIMD (Chrome 114+) runs their lerps and texel picks in fewer instructions, with only
# inputs whose results the relaxed instructions fix. All three make the same pixels.
if [ "${MANJU_SIMD:-1}" = 1 ]; then
    build www/pkg-nosimd ""
    build www/pkg "+simd128"
    build www/pkg-relaxed "+simd128,+relaxed-simd"
else
    # Only the build without SIMD, in every place (a quick look at the fallback).
    build www/pkg-nosimd ""
    mkdir -p www/pkg www/pkg-relaxed
    cp www/pkg-nosimd/* www/pkg/
    cp www/pkg-nosimd/* www/pkg-relaxed/
fi
echo "build-wasm: all builds ($MANJU_TOOLCHAIN toolchain) in $(($(date +%s) - started)) s"
