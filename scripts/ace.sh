#!/usr/bin/env bash
# Runs Ace by DAISY (the EPUB accessibility checker publishers use) on the
# given EPUBs and fails on any violation. Ace is installed with npm into
# target/ace on first use (PUPPETEER_SKIP_DOWNLOAD: it drives the system's
# chromium, found as PUPPETEER_EXECUTABLE_PATH or /usr/bin/chromium).
# Prints, per book, the outcome and each violation's rule, impact and file.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: scripts/ace.sh BOOK.epub..." >&2; exit 2; }
export PUPPETEER_EXECUTABLE_PATH=${PUPPETEER_EXECUTABLE_PATH:-/usr/bin/chromium}
[ -x "$PUPPETEER_EXECUTABLE_PATH" ] || { echo "error: no chromium at $PUPPETEER_EXECUTABLE_PATH (apt-get install chromium)" >&2; exit 1; }
command -v npm >/dev/null || { echo "error: npm not installed (apt-get install npm)" >&2; exit 1; }
ace=target/ace/node_modules/.bin/ace-cli
if [ ! -x "$ace" ]; then
  mkdir -p target/ace
  (cd target/ace && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --silent @daisy/ace-cli@1 >/dev/null)
fi
status=0
for epub in "$@"; do
  out=$(mktemp -d)
  if ! "$ace" -s -o "$out" -f "$epub" >"$out.log" 2>&1; then
    tail -20 "$out.log"
    echo "FAIL: ace could not check $epub" >&2
    status=1
    continue
  fi
  python3 - "$epub" "$out/report.json" <<'PY' || status=1
import json, sys
epub, report = sys.argv[1], sys.argv[2]
r = json.load(open(report))
found = [
    (t["earl:test"]["dct:title"], t["earl:test"]["earl:impact"], a["earl:testSubject"]["url"])
    for a in r.get("assertions", [])
    for t in a.get("assertions", [])
]
print(f"-- {epub}\n   ace: {r['earl:result']['earl:outcome']}, {len(found)} violations")
for rule, impact, where in found[:30]:
    print(f"   {impact}: {rule} in {where}")
sys.exit(1 if found else 0)
PY
  rm -rf "$out" "$out.log"
done
exit $status
