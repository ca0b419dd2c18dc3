#!/usr/bin/env bash
# Typographic report of PDFs (issue 12), read from `pdftotext -bbox-layout`
# (poppler-utils) with python3. For each FILE.pdf it prints:
#   overfull lines      lines whose right edge passes the text block's right
#                       margin by more than 0.5 pt (hard limit: 0)
#   into left margin    lines starting left of the text block (list labels)
#   hyphen runs 3+      runs of three or more consecutive lines ending with a
#                       hyphen (hard limit: 0), and the longest run
#   hyphenated ends     lines ending with a hyphen
#   space ratio         word spaces on justified lines over the natural space
#                       of their font size: min, p5, median, max (hard limit:
#                       min >= 0.8)
#   one-word last lines paragraphs whose last line holds one word
#   chars per line      median over justified lines, and lines over 80
# The text block is the most common left and right edge of lines; a
# justified line ends at the right edge (not the last of its paragraph); the
# natural space of a font size is the median word gap on ragged lines of that
# size. `-v` lists the offending lines. Exits 1 when a hard limit is broken,
# 2 on a usage or tool error.
set -euo pipefail
verbose=0
if [ "${1:-}" = "-v" ]; then verbose=1; shift; fi
if [ $# -eq 0 ]; then
  echo "usage: $0 [-v] FILE.pdf..." >&2
  exit 2
fi
command -v pdftotext >/dev/null || { echo "pdftotext not found (apt-get install poppler-utils)" >&2; exit 2; }
status=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for pdf in "$@"; do
  [ -f "$pdf" ] || { echo "$pdf: no such file" >&2; exit 2; }
  pdftotext -q -bbox-layout "$pdf" "$tmp" || { echo "$pdf: pdftotext failed" >&2; exit 2; }
  VERBOSE=$verbose python3 - "$pdf" "$tmp" <<'PY' || status=1
import os, re, statistics, sys
import xml.etree.ElementTree as ET

name = sys.argv[1]
verbose = os.environ.get("VERBOSE") == "1"
ns = "{http://www.w3.org/1999/xhtml}"
text = open(sys.argv[2], encoding="utf-8").read()
# The DOCTYPE names an external DTD; ElementTree needs none.
text = re.sub(r"<!DOCTYPE[^>]*>", "", text, count=1)
root = ET.fromstring(text)

def f(e, k):
    return float(e.get(k))

# pages -> blocks -> lines -> words (x0, x1, y0, y1, text)
pages = []
for page in root.iter(ns + "page"):
    blocks = []
    for block in page.iter(ns + "block"):
        lines = []
        for line in block.iter(ns + "line"):
            words = [(f(w, "xMin"), f(w, "xMax"), f(w, "yMin"), f(w, "yMax"), w.text or "")
                     for w in line.iter(ns + "word")]
            if words:
                lines.append(words)
        if lines:
            blocks.append(lines)
    pages.append(blocks)

all_lines = [l for p in pages for b in p for l in b]
if not all_lines:
    print(f"{name}: no text")
    sys.exit(0)

def mode(values):
    counts = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return max(counts.items(), key=lambda kv: (kv[1], -kv[0]))[0]

# The text block: the most common edges of lines of several words.
long_lines = [l for l in all_lines if len(l) >= 4] or all_lines
right = mode(round(l[-1][1] * 2) / 2 for l in long_lines)
right = max(l[-1][1] for l in long_lines if abs(l[-1][1] - right) <= 0.5)
left = mode(round(l[0][0] * 2) / 2 for l in long_lines)
left = min(l[0][0] for l in long_lines if abs(l[0][0] - left) <= 0.5)

def height(w):
    return round(w[3] - w[2], 1)

def line_height(l):
    return mode(height(w) for w in l)

def is_leader(l):
    return sum(1 for w in l if set(w[4]) <= {".", "·", "…"}) * 2 > len(l)

def gaps(l):
    h = line_height(l)
    return [b[0] - a[1] for a, b in zip(l, l[1:]) if height(a) == h and height(b) == h]

def justified(l):
    return abs(l[-1][1] - right) <= 0.5 and len(l) >= 3 and not is_leader(l)

def line_text(l):
    return " ".join(w[4] for w in l)

def hyphenated(l):
    t = l[-1][4]
    return len(t) >= 2 and t[-1] in "-\u2010\u00ad" and t[-2].isalpha()

# A paragraph: consecutive lines of a block; a justified line is never last.
paragraph_lines = []  # (line, is_last_of_paragraph, page)
for pn, p in enumerate(pages, 1):
    for b in p:
        for i, l in enumerate(b):
            nxt = b[i + 1] if i + 1 < len(b) else None
            last = not justified(l) or nxt is None
            paragraph_lines.append((l, last and (i > 0 and justified(b[i - 1])), pn))

# Natural space per font height: the median gap on ragged lines.
samples = {}
for l in all_lines:
    if justified(l) or is_leader(l) or len(l) < 3:
        continue
    samples.setdefault(line_height(l), []).extend(g for g in gaps(l) if g > 0)
natural = {h: statistics.median(g) for h, g in samples.items() if len(g) >= 5}

overfull, into_margin = [], []
for pn, p in enumerate(pages, 1):
    for b in p:
        for l in b:
            if l[-1][1] > right + 0.5:
                overfull.append((pn, l[-1][1] - right, line_text(l)))
            if l[0][0] < left - 0.5:
                into_margin.append((pn, left - l[0][0], line_text(l)))

# Hyphenated line ends and their runs, within a block, page by page.
hyphen_ends, runs3, longest = 0, [], 0
for pn, p in enumerate(pages, 1):
    for b in p:
        run = []
        for l in b + [None]:
            if l is not None and hyphenated(l):
                hyphen_ends += 1
                run.append(l)
                continue
            longest = max(longest, len(run))
            if len(run) >= 3:
                runs3.append((pn, [r[-1][4] for r in run]))
            run = []

ratios, unsized, chars = [], 0, []
tight = []
for pn, p in enumerate(pages, 1):
    for b in p:
        for i, l in enumerate(b):
            if not justified(l):
                continue
            # The last line of a block is a paragraph end unless it is full
            # and the paragraph runs on (a page break): counted as justified.
            chars.append(len(line_text(l)))
            g = [x for x in gaps(l) if x > 0]
            nat = natural.get(line_height(l))
            if not g or nat is None:
                unsized += 1
                continue
            # Coordinates are rounded: a ratio is known to 0.01.
            r = round(statistics.median(g) / nat, 2)
            ratios.append(r)
            if r < 0.8:
                tight.append((pn, r, line_text(l)))

one_word_last = [(pn, line_text(l)) for l, last, pn in paragraph_lines if last and len(l) == 1]
over80 = [(pn, line_text(l)) for pn, p in enumerate(pages, 1) for b in p for l in b
          if len(line_text(l)) > 80 and not is_leader(l)]

def pct(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(q * (len(s) - 1) + 0.5))]

print(f"{name}: {len(pages)} pages, {len(all_lines)} lines, text block {left:.1f}..{right:.1f} pt")
print(f"  overfull lines:      {len(overfull)}")
print(f"  into left margin:    {len(into_margin)}")
print(f"  hyphenated ends:     {hyphen_ends}")
print(f"  hyphen runs 3+:      {len(runs3)} (longest run {longest})")
if ratios:
    print(f"  space ratio:         min {min(ratios):.2f}  p5 {pct(ratios, 0.05):.2f}  median {statistics.median(ratios):.2f}  p95 {pct(ratios, 0.95):.2f}  max {max(ratios):.2f}  ({len(ratios)} justified lines, {len(tight)} below 0.80, {unsized} unsized)")
else:
    print(f"  space ratio:         no justified lines ({unsized} unsized)")
print(f"  one-word last lines: {len(one_word_last)}")
if chars:
    print(f"  chars per line:      median {statistics.median(chars):g} (justified lines)")
print(f"  lines over 80 chars: {len(over80)}")
if verbose:
    for pn, d, t in overfull:
        print(f"    overfull p{pn} +{d:.2f} pt: {t}")
    for pn, d, t in into_margin:
        print(f"    margin p{pn} -{d:.2f} pt: {t}")
    for pn, ws in runs3:
        print(f"    hyphen run p{pn}: {' '.join(ws)}")
    for pn, r, t in tight:
        print(f"    tight p{pn} {r:.2f}: {t}")
    for pn, t in one_word_last:
        print(f"    last line p{pn}: {t}")
failed = []
if overfull:
    failed.append("overfull lines")
if runs3:
    failed.append("runs of 3+ hyphenated lines")
if ratios and min(ratios) < 0.8:
    failed.append("word spaces below 0.8 of natural")
if failed:
    print(f"  FAIL: {', '.join(failed)}")
    sys.exit(1)
PY
done
exit $status
