#!/usr/bin/env bash
# Installs what building and testing Manju needs, and only what is missing:
#   - a Rust toolchain that can build for wasm32-unknown-unknown,
#   - wasm-bindgen at exactly the version Cargo.toml pins (tools/bindgen, built from its
#     library: target/bindgen/manju-bindgen),
#   - Debian packages the tests and the demo use (Chromium, ChromeDriver, PostgreSQL, espeak-ng, sox,
#     ffmpeg, and the DejaVu and Liberation fonts the browser tests draw with),
#   - node_modules, from package-lock.json.
# The packages and node_modules are fetched while the tool builds.
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

# --- (b, c, d) at once: Debian packages and node_modules fetch while the tool builds --------
# Each background step writes its log to target/; a failure prints it and stops here.
mkdir -p "$ROOT/target"
pids=()
logs=()
in_background() { # name command...
    local log="$ROOT/target/setup-$1.log"
    shift
    ("$@") >"$log" 2>&1 &
    pids+=($!)
    logs+=("$log")
}
wait_background() {
    local i failed=0
    for i in "${!pids[@]}"; do
        if ! wait "${pids[$i]}"; then
            echo "setup: error: a step failed; its log (${logs[$i]}):" >&2
            cat "${logs[$i]}" >&2
            failed=1
        else
            grep '^setup: ' "${logs[$i]}" >&2 || true
        fi
    done
    [ "$failed" = 0 ] || exit 1
}

# --- (c) Debian packages for the tests and the demo
# The browser tests draw the page with a bare machine's fonts and no others
# (scripts/chromium.mjs): DejaVu and Liberation must be there, whatever else is.
need_pkgs=()
command -v chromium >/dev/null || need_pkgs+=(chromium)
command -v chromedriver >/dev/null || need_pkgs+=(chromium-driver)
command -v espeak-ng >/dev/null || need_pkgs+=(espeak-ng)
command -v sox >/dev/null || need_pkgs+=(sox)
command -v ffmpeg >/dev/null || need_pkgs+=(ffmpeg)
command -v node >/dev/null || need_pkgs+=(nodejs npm)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_pkgs+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || need_pkgs+=(fonts-liberation)
# The review tests run `manju serve` on a real PostgreSQL too (scripts/postgres.sh makes a
# throwaway cluster); psql makes their databases.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need_pkgs+=(postgresql)
command -v psql >/dev/null || need_pkgs+=(postgresql-client)
[ ${#need_pkgs[@]} -eq 0 ] || in_background apt apt_install "${need_pkgs[@]}"

# --- (d) node_modules
# npm ci rewrites node_modules from the lock file; a stamp holding the lock file's hash says
# whether node_modules already matches it. (Without node, it waits for the packages above.)
node_modules() {
    local stamp=node_modules/.manju-lock.sha256 want
    want=$(sha256sum package-lock.json | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        say "installing node_modules (npm ci)"
        npm ci --no-audit --no-fund
        echo "$want" >"$stamp"
    fi
}
npm_started=0
if command -v npm >/dev/null; then
    in_background npm node_modules
    npm_started=1
fi

# --- (b) wasm-bindgen: its library at the pinned version, as tools/bindgen (built once)
# The `wasm-bindgen` crate and `wasm-bindgen-cli-support` must be the same release: both
# are pinned with `=`; say so here rather than deep in a build.
pinned() { # crate manifest
    grep -E "^[[:space:]]*$1[[:space:]]*=" "$2" | grep -oE '"=[0-9]+\.[0-9]+\.[0-9]+"' | head -n1 | tr -d '"='
}
WB_CRATE=$(pinned wasm-bindgen Cargo.toml)
WB_TOOL=$(pinned wasm-bindgen-cli-support tools/bindgen/Cargo.toml)
[ -n "$WB_CRATE" ] && [ "$WB_CRATE" = "$WB_TOOL" ] ||
    die "wasm-bindgen (Cargo.toml: '$WB_CRATE') and wasm-bindgen-cli-support (tools/bindgen/Cargo.toml: '$WB_TOOL') must be pinned to the same version with ="
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
WB="$TARGET_DIR/bindgen/manju-bindgen"
cargo_for_tools=$(command -v cargo || echo /usr/bin/cargo)
[ -x "$WB" ] || say "building wasm-bindgen $WB_CRATE (tools/bindgen, about 20 s)"
"$cargo_for_tools" build -q -p manju-bindgen --profile bindgen >&2 ||
    die "tools/bindgen did not build"
[ -x "$WB" ] || die "$WB was not built"
echo "MANJU_WASM_BINDGEN=$WB" >>"$ENV_FILE"

wait_background
[ "$npm_started" = 1 ] || node_modules >&2
