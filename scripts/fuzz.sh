#!/usr/bin/env bash
# Fuzzes Manju's readers with libFuzzer: the manifest reader (and timing), the subtitle
# readers (SRT, WebVTT, ASS, SSA), the zip reader, the image reader and the draft
# importers (Divina, OpenTimelineIO, Jianying, storyboard CSV), each for
# MANJU_FUZZ_SECONDS (30 by default), from a seed corpus of the demo and the test
# fixtures. Fails on the first panic, hang (10 s an input) or runaway allocation (2 GB).
#
#   bash scripts/fuzz.sh [target…]        targets: manifest subtitles zip image drafts
#
# The targets are cargo-fuzz's (fuzz/), but built here on the stable toolchain: coverage
# instrumentation comes from stable `-C passes` / `-C llvm-args` flags (no sanitizer, which
# needs nightly: Rust code is memory-safe, what fuzzing finds here is panics, hangs and
# allocations). With nightly and cargo-fuzz, `cargo fuzz run manifest` runs the same.
# A crash leaves its input in target/fuzz/artifacts/<target>/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
SECONDS_EACH=${MANJU_FUZZ_SECONDS:-30}
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}/fuzz"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(manifest subtitles zip image drafts)

export RUSTFLAGS="-C passes=sancov-module -C llvm-args=-sanitizer-coverage-level=4 \
-C llvm-args=-sanitizer-coverage-inline-8bit-counters -C llvm-args=-sanitizer-coverage-pc-table \
-C llvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -C debug-assertions -C overflow-checks"
# An explicit --target keeps the instrumentation off build scripts and proc macros.
HOST=$(rustc -vV | sed -n 's/^host: //p')
t0=$(date +%s)
cargo build -q --release --manifest-path fuzz/Cargo.toml --target-dir "$TARGET_DIR" --target "$HOST" \
    $(printf -- '--bin %s ' "${targets[@]}")
echo "fuzz: built in $(($(date +%s) - t0)) s"

# seeds <target> <dir>: the demo and the fixtures that target reads.
seeds() {
    local dir=$2 f
    case $1 in
        manifest)
            cp www/demo/manifest.json "$dir/demo.json"
            for f in tests/golden/*/*.json; do cp "$f" "$dir/$(basename "$(dirname "$f")")-$(basename "$f")"; done ;;
        subtitles)
            # The target's first byte picks the format: 0 SRT, 1 WebVTT, 2 ASS, 3 SSA.
            for f in tests/fixtures/subtitles/*.srt tests/fixtures/subtitles/*.vtt tests/fixtures/subtitles/*.ass tests/fixtures/subtitles/*.ssa; do
                local pick
                case $f in *.srt) pick='\x00' ;; *.vtt) pick='\x01' ;; *.ass) pick='\x02' ;; *) pick='\x03' ;; esac
                { printf "$pick"; cat "$f"; } >"$dir/$(basename "$f")"
            done ;;
        zip)
            python3 - "$dir" <<'PY'
import sys, zipfile
out = sys.argv[1]
for name, method in [("deflated.zip", zipfile.ZIP_DEFLATED), ("stored.zip", zipfile.ZIP_STORED)]:
    with zipfile.ZipFile(f"{out}/{name}", "w", method) as z:
        z.write("www/demo/manifest.json", "ep1/manifest.json")
        z.write("www/demo/sfx/whoosh.ogg", "ep1/sfx/whoosh.ogg")
        z.writestr("ep1/img/", "")
PY
            ;;
        drafts)
            # The first byte picks: 0 a Divina manifest.json, 1 its guided.json, 2 a storyboard CSV,
            # 3 an OpenTimelineIO timeline, 4 a Jianying draft_content.json.
            { printf '\x00'; cat ../shared/corpus/pepper-carrot-ep17/manifest.json; } >"$dir/divina-manifest"
            { printf '\x00'; cat ../shared/corpus/divina-turbomedia1/manifest.json; } >"$dir/turbomedia-manifest"
            { printf '\x01'; cat ../shared/corpus/pepper-carrot-ep17/guided.json; } >"$dir/guided"
            for f in ../shared/corpus/otio/*.otio; do { printf '\x03'; cat "$f"; } >"$dir/otio-$(basename "$f")"; done
            { printf '\x02'; printf '%s\n' '镜头,画面,时长,角色,台词,配音,运镜,转场,备注' '1,p1.png,3,林晚,"你好,""世界""",a/v1.mp3,推,叠化,开场' ',,,,再见,,,,'; } >"$dir/storyboard" ;;
        image)
            for f in tests/golden/assets/*.png tests/golden/assets/*.jpg tests/golden/assets/*.webp tests/golden/assets/*.gif; do
                [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 200000 ] && cp "$f" "$dir/"
            done
            true ;;
    esac
}

for target in "${targets[@]}"; do
    corpus=$(mktemp -d)
    artifacts="$TARGET_DIR/artifacts/$target"
    mkdir -p "$artifacts"
    seeds "$target" "$corpus"
    echo "fuzz: $target for ${SECONDS_EACH} s from $(find "$corpus" -type f | wc -l) seeds"
    if ! "$TARGET_DIR/$HOST/release/$target" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
        -max_len=1048576 -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >"$corpus.log" 2>&1; then
        tail -n 60 "$corpus.log" >&2
        echo "fuzz: $target failed; the input is in $artifacts/" >&2
        rm -rf "$corpus"
        exit 1
    fi
    grep -E '^stat::number_of_executed_units|^Done ' "$corpus.log" | tr '\n' ' '
    echo
    rm -rf "$corpus" "$corpus.log"
done
