#!/usr/bin/env bash
# Checks dauys-verify's HTML report in a real browser: runs a small demo election, writes the
# page in Kazakh, Russian and English, prints each to PDF with headless Chromium and takes a
# screenshot, and asserts that the verdict and a count are on the printed page (pdftotext).
# A forged copy of the record must print "NOT CONFIRMED" beside what the record gives.
#
# Usage: scripts/html-report-in-chromium.sh [OUT_DIR]   (default: a new temporary directory)
# Needs chromium and pdftotext; on Debian/Ubuntu the script installs them (apt-get) if missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$(mktemp -d -t dauys-html-XXXXXX)}
mkdir -p "$out"

if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null; then
    if command -v apt-get >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium poppler-utils >/dev/null
    else
        echo "needs chromium and pdftotext (poppler-utils)" >&2
        exit 2
    fi
fi

cd "$root"
cargo build -q --release --bin dauys --bin dauys-verify
bin="${CARGO_TARGET_DIR:-$root/target}/release"
"$bin/dauys" demo --voters 40 --dir "$out/election" >"$out/demo.txt"
record="$out/election/record"

browser() { # HTML PDF PNG
    chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$2" "file://$1" 2>/dev/null
    chromium --headless --no-sandbox --disable-gpu --window-size=1200,1800 --screenshot="$3" "file://$1" 2>/dev/null
    [ -s "$2" ] && [ -s "$3" ] || { echo "chromium wrote nothing for $1" >&2; exit 1; }
}

counted=$(grep -o '"counted": [0-9]*' <("$bin/dauys-verify" "$record" --json) | grep -o '[0-9]*$')
for lang in en ru kk; do
    "$bin/dauys-verify" "$record" --lang "$lang" --html "$out/report-$lang.html" >/dev/null
    browser "$out/report-$lang.html" "$out/report-$lang.pdf" "$out/report-$lang.png"
    text=$(pdftotext -layout "$out/report-$lang.pdf" -)
    case $lang in
        en) verdict="VALID: the published result" count="ballots counted: $counted" ;;
        ru) verdict="ПОДТВЕРЖДЕНО: опубликованный результат" count="учтено бюллетеней: $counted" ;;
        kk) verdict="РАСТАЛДЫ: жарияланған нәтиже" count="есептелген бюллетеньдер: $counted" ;;
    esac
    grep -q "$verdict" <<<"$text" || { echo "$lang: the verdict is not on the printed page" >&2; exit 1; }
    grep -q "$count" <<<"$text" || { echo "$lang: \"$count\" is not on the printed page" >&2; exit 1; }
    echo "$lang: verdict and count ($counted ballots counted) on the printed page: $out/report-$lang.pdf"
done

# A forged copy: one vote more in the first contest's result, without re-signing
# (the verdict fails 2.2 too; what matters here is the mark and the value beside it).
forged="$out/forged"
cp -r "$record" "$forged"
python3 - "$forged/events.jsonl" <<'PY'
import re, sys
path = sys.argv[1]
lines = open(path, encoding="utf-8").read().splitlines()
# The bytes of the result line stay canonical: only the first count changes, by hand.
first = re.search(r'"counts":\[(\d+)', lines[-1])
lines[-1] = lines[-1][: first.start(1)] + str(int(first.group(1)) + 1) + lines[-1][first.end(1) :]
open(path, "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
"$bin/dauys-verify" "$forged" --html "$out/forged.html" >/dev/null || true
browser "$out/forged.html" "$out/forged.pdf" "$out/forged.png"
text=$(pdftotext -layout "$out/forged.pdf" -)
grep -q "NOT CONFIRMED" <<<"$text" || { echo "forged: no NOT CONFIRMED mark on the printed page" >&2; exit 1; }
grep -q "NOT VALID" <<<"$text" || { echo "forged: the verdict is not NOT VALID" >&2; exit 1; }
echo "forged: NOT VALID and NOT CONFIRMED on the printed page: $out/forged.pdf"
echo "all pages checked in $(chromium --version)"
