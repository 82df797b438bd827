#!/usr/bin/env bash
# Installs what building and testing Manju needs, and only what is missing:
#   - a Rust toolchain that can build for wasm32-unknown-unknown,
#   - the wasm-bindgen CLI at exactly the version Cargo.toml pins,
#   - Debian packages the tests and the demo use (Chromium, ChromeDriver, espeak-ng, sox, ffmpeg),
#   - node_modules, from package-lock.json.
# Safe to run again: with everything present it only checks, and prints one line naming the
# wasm32 toolchain it chose. That choice is written to target/manju-toolchain.env, which
# scripts/build-wasm.sh reads. Delete that file to choose again.
#
# MANJU_TOOLCHAIN=rustup|debian forces a choice.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
ENV_FILE="$ROOT/target/manju-toolchain.env"
export DEBIAN_FRONTEND=noninteractive

# Debian's Rust, able to build the wasm32 standard library from source.
DEBIAN_RUST_PKGS=(rustc-web cargo-web rust-web-src lld-22)
DEBIAN_WASM_LD=/usr/lib/llvm-22/bin/wasm-ld
DEBIAN_RUST_SRC=/usr/lib/rustlib/src/rust/library

say() { echo "setup: $*" >&2; }
die() { echo "setup: error: $*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

# Installs the Debian packages among "$@" that are not installed yet.
apt_install() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || die "no apt-get: install ${missing[*]} by hand"
    say "installing Debian packages: ${missing[*]}"
    # A new machine's package lists are empty or old: refresh them when there are none,
    # or when the install fails (for instance on a package that moved on since).
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
        as_root apt-get update -q >&2
    fi
    if ! as_root apt-get install -y -q "${missing[@]}" >&2; then
        say "install failed; refreshing package lists and trying again"
        as_root apt-get update -q >&2
        as_root apt-get install -y -q "${missing[@]}" >&2
    fi
}

debian_rust_ready() {
    [ -x /usr/bin/cargo ] && [ -x /usr/bin/rustc ] && [ -x "$DEBIAN_WASM_LD" ] && [ -d "$DEBIAN_RUST_SRC" ]
}

rustup_has_wasm32() {
    command -v rustc >/dev/null || return 1
    local sysroot
    sysroot=$(rustc --print sysroot 2>/dev/null) || return 1
    [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ]
}

write_env() { # toolchain cargo rustc build_std linker
    mkdir -p "$ROOT/target"
    cat >"$ENV_FILE.tmp" <<EOF
# Written by scripts/setup.sh: the toolchain scripts/build-wasm.sh builds wasm32 with.
MANJU_TOOLCHAIN=$1
MANJU_CARGO=$2
MANJU_RUSTC=$3
MANJU_BUILD_STD=$4
MANJU_WASM_LD=$5
EOF
    mv "$ENV_FILE.tmp" "$ENV_FILE"
}

use_rustup() {
    write_env rustup "$(command -v cargo)" "$(command -v rustc)" 0 ""
    echo "wasm32 toolchain: rustup $(rustc --version | cut -d' ' -f2) with its wasm32-unknown-unknown target"
}

use_debian() { # why
    write_env debian /usr/bin/cargo /usr/bin/rustc 1 "$DEBIAN_WASM_LD"
    echo "wasm32 toolchain: Debian rustc-web $(/usr/bin/rustc --version | cut -d' ' -f2) building std with -Zbuild-std ($1)"
}

previous_choice() {
    [ -f "$ENV_FILE" ] && sed -n 's/^MANJU_TOOLCHAIN=//p' "$ENV_FILE"
}

# --- (a) the wasm32 toolchain ---------------------------------------------------------------
choose_toolchain() {
    case "${MANJU_TOOLCHAIN:-}" in
        rustup)
            rustup_has_wasm32 || timeout -k 5 120 rustup target add wasm32-unknown-unknown >&2 ||
                die "MANJU_TOOLCHAIN=rustup but rustup cannot add wasm32-unknown-unknown"
            use_rustup; return ;;
        debian)
            apt_install "${DEBIAN_RUST_PKGS[@]}"; use_debian "MANJU_TOOLCHAIN=debian"; return ;;
        "") ;;
        *) die "MANJU_TOOLCHAIN must be rustup or debian, not '$MANJU_TOOLCHAIN'" ;;
    esac

    if rustup_has_wasm32; then
        use_rustup; return
    fi
    # Asking rustup hangs where its download server is out of reach: remember that it failed
    # (the env file says debian) instead of waiting for it on every run.
    if [ "$(previous_choice)" = debian ] && debian_rust_ready; then
        use_debian "rustup could not add wasm32-unknown-unknown before; delete target/manju-toolchain.env to ask again"; return
    fi
    if command -v rustup >/dev/null; then
        say "trying: rustup target add wasm32-unknown-unknown (20 s at most)"
        if timeout -k 5 20 rustup target add wasm32-unknown-unknown >/dev/null 2>&1 && rustup_has_wasm32; then
            use_rustup; return
        fi
        say "rustup could not add the target; using Debian's Rust instead"
    fi
    apt_install "${DEBIAN_RUST_PKGS[@]}"
    debian_rust_ready || die "Debian's Rust is installed but incomplete (need /usr/bin/cargo, $DEBIAN_WASM_LD, $DEBIAN_RUST_SRC)"
    use_debian "rustup cannot add wasm32-unknown-unknown here"
}

choose_toolchain

# With no rustup at all, the native build, rustfmt and clippy come from Debian's Rust too.
if ! command -v cargo >/dev/null; then
    apt_install "${DEBIAN_RUST_PKGS[@]}" rustfmt-web rust-web-clippy
fi

# --- (b) wasm-bindgen CLI at the pinned version -----------------------------------------------
pinned_wasm_bindgen() {
    local v
    v=$(grep -E '^[[:space:]]*wasm-bindgen[[:space:]]*=' Cargo.toml | grep -oE '"=[0-9]+\.[0-9]+\.[0-9]+"' | head -n1 | tr -d '"=') || true
    if [ -z "$v" ] && [ -f Cargo.lock ]; then
        v=$(grep -A1 -x 'name = "wasm-bindgen"' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p' | head -n1)
    fi
    [ -n "$v" ] || die "cannot find the wasm-bindgen version: pin it in Cargo.toml as wasm-bindgen = \"=X.Y.Z\""
    echo "$v"
}

WB_VERSION=$(pinned_wasm_bindgen)
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
wb_version_of() { "$1" --version 2>/dev/null | cut -d' ' -f2; }
WB=$(command -v wasm-bindgen || echo "$CARGO_BIN/wasm-bindgen")
if [ "$(wb_version_of "$WB")" != "$WB_VERSION" ]; then
    say "installing wasm-bindgen-cli $WB_VERSION (a few minutes)"
    cargo_for_install=$(command -v cargo || echo /usr/bin/cargo)
    # --locked first; if the registry lacks a version the CLI's own lock file names (seen
    # here: webpki-roots 1.0.11), resolve afresh.
    "$cargo_for_install" install wasm-bindgen-cli --version "=$WB_VERSION" --locked >&2 ||
        "$cargo_for_install" install wasm-bindgen-cli --version "=$WB_VERSION" >&2
    WB="$CARGO_BIN/wasm-bindgen"
    [ "$(wb_version_of "$WB")" = "$WB_VERSION" ] || die "wasm-bindgen $WB_VERSION did not install"
fi
echo "MANJU_WASM_BINDGEN=$WB" >>"$ENV_FILE"

# --- (c) Debian packages for the tests and the demo -------------------------------------------
need_pkgs=()
command -v chromium >/dev/null || need_pkgs+=(chromium)
command -v chromedriver >/dev/null || need_pkgs+=(chromium-driver)
command -v espeak-ng >/dev/null || need_pkgs+=(espeak-ng)
command -v sox >/dev/null || need_pkgs+=(sox)
command -v ffmpeg >/dev/null || need_pkgs+=(ffmpeg)
command -v node >/dev/null || need_pkgs+=(nodejs npm)
[ ${#need_pkgs[@]} -eq 0 ] || apt_install "${need_pkgs[@]}"

# --- (d) node_modules -------------------------------------------------------------------------
# npm ci rewrites node_modules from the lock file; a stamp holding the lock file's hash says
# whether node_modules already matches it.
STAMP=node_modules/.manju-lock.sha256
if [ -f package-lock.json ]; then
    want=$(sha256sum package-lock.json | cut -d' ' -f1)
    if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
        say "installing node_modules (npm ci)"
        npm ci --no-audit --no-fund >&2
        echo "$want" >"$STAMP"
    fi
elif [ ! -d node_modules ]; then
    say "installing node_modules (npm install)"
    npm install --no-audit --no-fund >&2
fi
