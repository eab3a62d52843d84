#!/usr/bin/env bash
# Smoke test of the frozen program: --version, start-up, parse and export of a corpus notice to .pdf,
# with no network (an empty network namespace when `unshare` is allowed) and no CJK font installed
# on the machine (fontconfig is pointed at an empty configuration, so only the bundled fonts exist).
set -euo pipefail
cd "$(dirname "$0")/.."
app=dist/NoticeDesk/NoticeDesk
corpus=${CORPUS:-../shared/corpus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/fontconfig"
cat > "$work/fontconfig/fonts.conf" <<'XML'
<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>/nonexistent</dir><cachedir>/tmp/nd-empty-fc</cachedir></fontconfig>
XML
export FONTCONFIG_FILE="$work/fontconfig/fonts.conf" NOTICEDESK_DATA_DIR="$work/data" QT_QPA_PLATFORM=offscreen
export NOTICEDESK_FONT_DIRS="$work/no-fonts"
run() {
    if unshare --net true 2>/dev/null; then unshare --net "$@"; else "$@"; fi
}
echo "== frozen: --version"; run "$app" --version
echo "== frozen: start-up"
t0=$(date +%s%N); run "$app" --quit-when-ready --no-err-windows; t1=$(date +%s%N)
echo "ready and quit in $(( (t1 - t0) / 1000000 )) ms"
echo "== frozen: parse"; run "$app" parse "$corpus/000_songming_2021.txt" --json > "$work/parsed.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['tasks']) >= 10, d['tasks']; print(len(d['tasks']), 'tasks')" "$work/parsed.json"
echo "== frozen: import + export pdf"
id=$(run "$app" import "$corpus/002_lezhi_2023_table.txt" | tail -1)
run "$app" export "$id" --what table --format pdf --out "$work/table.pdf"
run "$app" export "$id" --what report --format docx --out "$work/report.docx"
python3 - "$work/table.pdf" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
assert data.startswith(b"%PDF"), "not a PDF"
assert b"/FontFile2" in data, "fonts are not embedded"
assert b"Helvetica" not in data, "an un-embedded Helvetica is referenced"
print("pdf ok:", len(data), "bytes,", len(re.findall(rb"/Type\s*/Page\b", data)), "pages")
PY
echo "smoke test passed"
