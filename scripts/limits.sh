#!/usr/bin/env bash
# The resource cases of issue 7 on the release binary: deep nesting of each
# kind (at ~10 KB and ~1 MB), 20 000 duplicate paragraphs, 100 000
# warnings, a site of 5 000 pages, a 100 000-level YAML flow collection in
# front matter, a PNG decompression bomb and an SVG 1 × 1e9 high. Each runs
# `folio build` (text, PDF and EPUB) under GNU time; the table gives the
# exit code, wall and CPU time and peak memory; the verdict holds the wall
# time and memory against the limits (2 s, 500 MB; MAX_SECONDS and MAX_MB
# change them). The CPU time tells a slow case from a busy machine.
# Exits 1 when any case crashes (a signal, a panic, a stack overflow),
# times out (60 s) or exceeds a limit.
#
# Usage: scripts/limits.sh [CASE-PREFIX...]   (default: every case)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
max_seconds=${MAX_SECONDS:-2}
max_mb=${MAX_MB:-500}
[ -x /usr/bin/time ] || { echo "limits.sh needs GNU time (apt-get install time)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "limits.sh needs python3 to make the cases" >&2; exit 2; }

cargo build --release --quiet
bin=$repo/target/release/folio
# The cases live on tmpfs where there is one, so that the figures are
# folio's work and not the disk's: on this VM's ext4, creating a new file
# costs 0.4-0.6 ms of kernel time whatever writes it (5 000 text files
# alone: 2-3 s; measured with a Python loop as well as with folio).
# FOLIO_LIMITS_TMP picks the folder.
tmp_root=${FOLIO_LIMITS_TMP:-}
if [ -z "$tmp_root" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then tmp_root=/dev/shm; fi
work=$(mktemp -d ${tmp_root:+-p "$tmp_root"})
echo "cases in $work"
trap 'rm -rf "$work"' EXIT

# Every case is a folder with folio.yaml and content/ (and static/).
python3 - "$work" "$repo" <<'EOF'
import os, struct, sys, zlib

work, repo = sys.argv[1], sys.argv[2]
FRONT = "---\ntitle: Page\n---\n\n"

def config(pages="[page.md]"):
    listed = f"    pages: {pages}\n" if pages else ""
    return (f"fonts: {repo}/fonts\ntemplates: {repo}/templates\nshortcodes: {{box: inner}}\n"
            f"static: static\nbooks:\n  b:\n    title: Book\n    formats: [text, pdf, epub]\n{listed}")

def case(name, files, pages="[page.md]"):
    d = os.path.join(work, name)
    os.makedirs(os.path.join(d, "content"))
    os.makedirs(os.path.join(d, "static"))
    with open(os.path.join(d, "folio.yaml"), "w") as f:
        f.write(config(pages))
    for rel, data in files.items():
        path = os.path.join(d, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())

def page(body):
    return {"content/page.md": FRONT + body}

def times(unit, size):
    return unit * max(1, size // len(unit))

# Deep nesting: open `size` bytes' worth of the unit, the deepest words, close.
kinds = {
    "quote": lambda s: times(">", s) + " deepest words\n",
    "list": lambda s: times("- ", s) + "deepest words\n",
    "div": lambda s: times("<div>\n", s // 2) + "deepest words\n" + times("</div>\n", s // 2),
    "span": lambda s: "x " + times("<span>", s // 2) + "deepest words" + times("</span>", s // 2) + "\n",
    "emphasis": lambda s: times("*a _", s // 2) + "deepest words" + times("_ b*", s // 2) + "\n",
    "image": lambda s: times("![", s // 5) + "deepest words" + times("](/x.png)", s * 4 // 5) + "\n",
    "shortcode": lambda s: times("{{< box >}}\n", s // 2) + "deepest words\n" + times("{{< /box >}}\n", s // 2),
    "shortcode-inline": lambda s: times("{{% box %}}", s // 2) + "deepest words" + times("{{% /box %}}", s // 2) + "\n",
    "footnote": lambda s: "see[^a]\n\n[^a]: " + times("> ", s) + "deepest words\n",
    "mixed": lambda s: times("{{< box >}}\n<div>\n\n> - <span>*a* ", s) + "\ndeepest words\n",
}
for kind, make in kinds.items():
    for label, size in (("10k", 10_000), ("1m", 1_000_000)):
        case(f"deep-{kind}-{label}", page(make(size)))

case("duplicate-paragraphs-20000", page("Same paragraph.\n\n" * 20_000))
case("warnings-100000", page("".join(f"[x](#missing-{i}) " for i in range(100_000)) + "\n"))
site = {"content/_index.md": FRONT + "Home.\n"}
for i in range(5_000):
    site[f"content/s{i % 50}/p{i}.md"] = f"---\ntitle: P{i}\n---\n\nPage {i}.\n"
case("site-5000-pages", site, pages=None)
case("yaml-depth-100000", {"content/page.md": "---\ntitle: Page\ndeep: " + "[" * 100_000 + "]" * 100_000 + "\n---\n\nText.\n"})

def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

# 20000 x 20000 RGBA: 1.6 GB once inflated, some 1.6 MB of real zlib stream.
row = b"\0" * (1 + 20_000 * 4)
z = zlib.compressobj(9)
idat = b"".join(z.compress(row) for _ in range(20_000)) + z.flush()
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 20_000, 20_000, 8, 6, 0, 0, 0))
       + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
case("png-bomb-20000x20000", {**page('{{< figure src="/bomb.png" alt="bomb" >}}\n\n![b](/bomb.png)\n'), "static/bomb.png": png})
svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1e9" viewBox="0 0 1 1e9"><rect width="1" height="1e9"/></svg>'
case("svg-1x1e9", {**page('{{< figure src="/tall.svg" alt="tall" >}}\n\n![t](/tall.svg)\n'), "static/tall.svg": svg})
EOF

printf '%-28s %5s %8s %8s %8s  %s\n' case exit "wall s" "cpu s" "peak MB" verdict
failed=0
for dir in "$work"/*/; do
  name=$(basename "$dir")
  if [ $# -gt 0 ]; then
    keep=0
    for prefix in "$@"; do [[ $name == "$prefix"* ]] && keep=1; done
    [ "$keep" = 1 ] || continue
  fi
  log=$work/$name.time
  err=$work/$name.stderr
  set +e
  (cd "$dir" && /usr/bin/time -v -o "$log" timeout 60 "$bin" -q build >/dev/null 2>"$err")
  set -e
  code=$(awk -F': ' '/Exit status/ {print $2}' "$log")
  signal=$(sed -n 's/.*terminated by signal \([0-9]*\).*/\1/p' "$log")
  [ -n "$signal" ] && code=$((128 + signal))
  seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {
      n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.2f", s }' "$log")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$log")
  mb=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$log")
  verdict=ok
  if [ "${code:-255}" = 124 ]; then
    verdict="TIMEOUT (60 s)"
  elif [ "${code:-255}" -ge 128 ] || [ "$code" = 101 ] \
    || grep -q -e 'panicked at' -e 'stack overflow' -e 'memory allocation' "$err"; then
    verdict="CRASH: $(grep -m1 -e 'panicked at' -e 'overflow' -e 'allocation' -e 'signal' "$err" "$log" | cut -d: -f2- | cut -c1-60)"
  elif awk -v s="$seconds" -v m="$max_seconds" 'BEGIN { exit !(s > m) }'; then
    verdict="SLOW (> ${max_seconds} s)"
  elif [ "$mb" -gt "$max_mb" ]; then
    verdict="MEMORY (> ${max_mb} MB)"
  fi
  [ "$verdict" = ok ] || failed=1
  printf '%-28s %5s %8s %8s %8s  %s\n' "$name" "$code" "$seconds" "$cpu" "$mb" "$verdict"
done
exit $failed
