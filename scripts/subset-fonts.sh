#!/usr/bin/env bash
# Regenerates the font subsets shipped in libs/documents/fonts/ (see the README there).
# Needs fontTools (Debian: apt-get install python3-fonttools) and the DejaVu fonts
# (Debian: fonts-dejavu-core). Only needed when the subsets change; the product never runs it.
set -euo pipefail

SRC_DIR="${DEJAVU_DIR:-/usr/share/fonts/truetype/dejavu}"
OUT_DIR="$(cd "$(dirname "$0")/.." && pwd)/libs/documents/fonts"

# Latin, Vietnamese (precomposed, both cases, every tone mark) and the symbols metrology needs.
UNICODES=(
  U+0020-007E   # Basic Latin
  U+00A0-00FF   # Latin-1: ± µ ° ² ³ × · « » and the accented letters Vietnamese shares with French
  U+0100-017F   # Latin Extended-A: Ă ă Đ đ Ĩ ĩ Ũ ũ, plus foreign manufacturers' names
  U+01A0-01A1   # Ơ ơ
  U+01AF-01B0   # Ư ư
  U+0300-0303   # combining grave, acute, circumflex, tilde (text is NFC-normalised; kept as a fallback)
  U+0306 U+0309 U+031B U+0323  # combining breve, hook above, horn, dot below
  U+0391-03A9   # Greek capitals: Δ Σ Ω
  U+03B1-03C9   # Greek small: α β δ μ ν π σ
  U+1EA0-1EF9   # Latin Extended Additional: the Vietnamese letters with tone marks
  U+2010-2027   # dashes – —, quotes ‘ ’ “ ”, bullet •, ellipsis …
  U+2030 U+2032-2033  # ‰ ′ ″
  U+2070 U+2074-2079 U+2080-2089  # superscript and subscript digits
  U+20AB U+20AC # ₫ €
  U+2103 U+2116 U+2122 U+2126  # ℃ № ™ Ω (ohm sign)
  U+2212 U+2215 U+221A U+221E U+2248 U+2260 U+2264-2265 U+22C5  # − ∕ √ ∞ ≈ ≠ ≤ ≥ ⋅
  U+2610-2612 U+2713 U+2717  # ☐ ☑ ☒ ✓ ✗
)
UNICODE_LIST="$(IFS=,; echo "${UNICODES[*]}")"

# No OpenType layout tables (GSUB/GPOS/GDEF): Vietnamese needs none once text is NFC (every letter
# is a precomposed glyph), and without them fontkit skips shaping, which halves render time. The
# price is no kerning. --no-hinting: PDF viewers do not use TrueType hinting for print-size text.

# Debian's python3-fonttools ships no pyftsubset wrapper; `python3 -m fontTools.subset` is the same program.
PYTHON="${PYTHON:-/usr/bin/python3}"
if command -v pyftsubset >/dev/null 2>&1; then SUBSET=(pyftsubset); else SUBSET=("$PYTHON" -m fontTools.subset); fi
echo "fontTools $("$PYTHON" -c 'import fontTools; print(fontTools.version)' 2>/dev/null || echo unknown)"
for face in DejaVuSans DejaVuSans-Bold; do
  echo "source $SRC_DIR/$face.ttf sha256 $(sha256sum "$SRC_DIR/$face.ttf" | cut -d' ' -f1)"
  "${SUBSET[@]}" "$SRC_DIR/$face.ttf" \
    --unicodes="$UNICODE_LIST" \
    --layout-features='' \
    --drop-tables+=GSUB,GPOS,GDEF,FFTM,MATH \
    --no-hinting \
    --name-IDs='*' \
    --name-languages='*' \
    --output-file="$OUT_DIR/$face-subset.ttf"
  echo "$face-subset.ttf  $(wc -c <"$OUT_DIR/$face-subset.ttf") bytes  sha256 $(sha256sum "$OUT_DIR/$face-subset.ttf" | cut -d' ' -f1)"
done
