#!/bin/sh
# Rebuilds www/fonts/manju-sans.otf, Manju's default font, from Debian's fonts-noto-cjk
# (Noto Sans CJK SC, SIL Open Font License 1.1, see LICENSE-OFL.txt).
#
#   apt-get install -y fonts-noto-cjk && pip install fonttools brotli
#   sh www/fonts/make-font.sh
#
# Coverage: Latin-1, Latin Extended-A and the pinyin tone letters, general punctuation,
# a few symbols common in comics (★☆○●◎◇◆□■△▲▽▼→←↑↓♪♫♥), CJK symbols and punctuation,
# Hiragana, Katakana, full-width forms, all 6763 hanzi of GB 2312 (levels 1 and 2) and the
# 2965 level-1 kanji of JIS X 0208 (which hold nearly all of the Jōyō kanji), drawn in
# the Simplified Chinese style. Both lists come from Python's own gb2312 and euc_jp
# codecs, so the result is reproducible offline.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=${NOTO_CJK:-/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}
list=$(mktemp)
trap 'rm -f "$list"' EXIT

python3 - "$list" <<'PY'
import sys
chars = set()
def span(a, b):
    chars.update(chr(c) for c in range(a, b + 1))
span(0x20, 0x7E)        # ASCII
span(0xA0, 0xFF)        # Latin-1
span(0x100, 0x17F)      # Latin Extended-A (pinyin ā ē ī ō ū …)
span(0x1CD, 0x1DC)      # pinyin ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ
span(0x2000, 0x206F)    # general punctuation
span(0x3000, 0x303F)    # CJK symbols and punctuation
span(0x3040, 0x309F)    # Hiragana
span(0x30A0, 0x30FF)    # Katakana
span(0x31F0, 0x31FF)    # Katakana phonetic extensions (small kana for Ainu)
span(0xFF00, 0xFFEF)    # half-width and full-width forms
chars.update("€™℃№←↑→↓■□▲△▼▽◆◇○◎●★☆♪♫♥")
for hi in range(0xB0, 0xF8):            # GB 2312 levels 1 and 2: rows 16-87
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass                        # the unassigned end of row 55
for hi in range(0xB0, 0xD0):            # JIS X 0208 level 1: rows 16-47
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("euc_jp"))
        except UnicodeDecodeError:
            pass                        # the unassigned end of row 47
with open(sys.argv[1], "w") as f:
    f.write(",".join("U+%04X" % ord(c) for c in sorted(chars)))
PY

# Face 2 of the collection is Noto Sans CJK SC. Hinting is dropped (the renderer does
# not hint), vertical metrics too (text is set horizontally); only positioning features are kept, since substitutions (vertical forms,
# other locales' glyphs) would pull in glyphs the renderer never draws.
pyftsubset "$src" --font-number=2 --unicodes-file="$list" \
  --layout-features=kern,palt --no-hinting \
  --drop-tables+=vhea,vmtx,VORG,BASE --name-IDs='*' --name-languages='*' --notdef-outline --recommended-glyphs \
  --output-file="$here/manju-sans.otf"
ls -l "$here/manju-sans.otf"
