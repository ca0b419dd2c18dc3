#!/usr/bin/env bash
# One-page rebuild times of `folio watch` at site scale (issue 9, item 3):
# the xmpp.org corpus four times over as one book (~680 pages, in a
# temporary folder: sections c1…c4, each with an `_index.md`). For each
# format (text, EPUB, then PDF, reported only) it starts `folio watch`,
# waits for the first build, edits one page $EDITS times (default 7), and
# reads each rebuild's time from watch's "rebuilt … in N ms" line; prints
# the median per format (target: text and EPUB under 100 ms). The EPUB is
# measured twice: as built by default (its page list needs the PDF's
# pagination, laid out from the chapters watch keeps) and with
# `page_list: false` (a folio.yaml beside the pages).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/corpus.sh
[ -n "${FOLIO_BIN:-}" ] || cargo build --release --quiet
bin=$(realpath "${FOLIO_BIN:-target/release/folio}")
out=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$out"' EXIT
edits=${EDITS:-7}
copies=${COPIES:-4}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}

big=$out/site
mkdir -p "$big/content"
for i in $(seq "$copies"); do
  cp -r "$corpus/content" "$big/content/c$i"
  printf -- '---\ntitle: "Copy %d"\n---\n' "$i" > "$big/content/c$i/_index.md"
done
pages=$(find "$big/content" -name '*.md' | wc -l)
# The page edited: one of the second copy, mid-book (the 20th, or the
# last; awk reads all of sort's output: `head` could end the pipe early,
# and pipefail then ended the script without a word).
page=$(find "$big/content/c2" -name '*.md' ! -name '_index.md' | sort | awk 'NR <= 20 {p = $0} END {print p}')

# CPU time (user + system, ms) process $1 has used so far: on a machine
# shared with other work, what a rebuild costs whatever the wait for a core.
cpu_ms() {
  awk -v tick="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); print int(($12 + $13) * 1000 / tick)}' "/proc/$1/stat"
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# Lines of $1 matching $2, waiting up to $3 s for at least $4 of them.
wait_for() {
  local log=$1 pattern=$2 limit=$3 count=$4
  for _ in $(seq $((limit * 10))); do
    # The log may not exist yet (the watch opens it once started).
    local n
    n=$(grep -c "$pattern" "$log" 2>/dev/null || true)
    [ "${n:-0}" -ge "$count" ] && return 0
    sleep 0.1
  done
  echo "timed out waiting for '$pattern' in $log" >&2
  tail -5 "$log" >&2
  return 1
}

# `epub-nolist`: the EPUB without a page list.
bench() {
  local format=$1 log=$out/$1.log
  cp "$page" "$out/page.orig"
  if [ "$format" = epub-nolist ]; then
    printf 'content: content\nstatic: %s\noutput: dist\ndefaults:\n  page_list: false\n' \
      "$corpus/static" > "$big/folio.yaml"
    (cd "$big" && exec "$bin" watch --format epub --out "$out/dist-$format") 2> "$log" > /dev/null &
  else
    rm -f "$big/folio.yaml"
    "$bin" watch --content "$big/content" --static "$corpus/static" \
      --format "$format" --out "$out/dist-$format" 2> "$log" > /dev/null &
  fi
  pid=$!
  wait_for "$log" "watching" 600 1
  local cpu_start
  cpu_start=$(cpu_ms "$pid")
  for n in $(seq "$edits"); do
    printf '\nEdit %d of the bench, %s.\n' "$n" "$format" >> "$page"
    wait_for "$log" "^rebuilt" 120 "$n"
    sleep 0.3
  done
  local cpu=$(( ($(cpu_ms "$pid") - cpu_start) / edits ))
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  cp "$out/page.orig" "$page"
  local times
  times=$(sed -n 's/^rebuilt .* in \([0-9]*\) ms$/\1/p' "$log")
  printf '%-11s median %5d ms over %d edits, %d ms CPU each on average (each: %s)\n' \
    "$format" "$(echo "$times" | median)" "$edits" "$cpu" "$(echo $times)"
}

echo "$pages pages ($copies copies of the corpus), $(nproc) CPUs, edited: ${page#$big/content/}"
for format in ${FORMATS:-text epub-nolist epub pdf}; do bench "$format"; done
