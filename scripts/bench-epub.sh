#!/bin/sh
# Times folio's release binary building the EPUB booklet (the default
# project's `about-xmpp`) and an EPUB of the whole xmpp.org corpus, then
# `pandoc -t epub3` on the same Markdown files; prints times, sizes, peak
# memory, the pandoc/folio ratio, and epubcheck's verdict on all four.
#
#   scripts/bench-epub.sh            # from anywhere in the repository
#   RUNS=20 CORPUS=/path/to/xmpp-org scripts/bench-epub.sh
#
# Needs: cargo, pandoc, python3, GNU time (/usr/bin/time); epubcheck if
# installed. Times are the median of RUNS runs, wall clock and CPU (user +
# system: the steadier figure on a machine shared with other builds);
# memory is the peak RSS of one run.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-10}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
# The corpus: shared/corpus/xmpp-org beside the repository (or higher up).
if [ -z "${CORPUS:-}" ]; then
    dir=$ROOT
    while [ "$dir" != / ] && [ ! -d "$dir/shared/corpus/xmpp-org" ]; do dir=$(dirname "$dir"); done
    CORPUS=$dir/shared/corpus/xmpp-org
fi

cd "$ROOT"
cargo build --release --quiet
BIN=$CARGO_TARGET_DIR/release/folio
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# "wall cpu": median wall-clock and CPU milliseconds of RUNS runs.
median_ms() {
    python3 - "$RUNS" "$@" <<'PY'
import resource, statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
wall, cpu = [], []
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall.append((time.perf_counter() - start) * 1000)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
print(f"{statistics.median(wall):.1f} {statistics.median(cpu):.1f}")
PY
}

# Peak resident memory (KB) of one run.
peak_kb() {
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'
}

# Runs a command once (it must succeed), then measures it: "wall cpu peak".
measure() {
    "$@" > "$OUT/log" 2>&1 || { cat "$OUT/log"; echo "failed: $*" >&2; exit 1; }
    echo "$(median_ms "$@") $(peak_kb "$@")"
}

# name, "wall cpu peak", file
report() {
    set -- "$1" $2 "$3"
    printf '%-15s %8s ms wall %8s ms cpu %9s KB peak %10s bytes\n' "$1" "$2" "$3" "$4" "$(stat -c %s "$5")"
}

BOOKLET_PAGES="content/about/features-and-benefits.md content/about/xsf/mission.md content/about/xsf/roadmap.md content/about/press-kit.md"
find "$CORPUS/content" -name '*.md' | LC_ALL=C sort > "$OUT/corpus-pages"

folio_booklet=$(measure "$BIN" build --book about-xmpp --format epub --out "$OUT/booklet")
folio_corpus=$(measure "$BIN" build --content "$CORPUS/content" --static "$CORPUS/static" --format epub --out "$OUT/corpus")
# pandoc on the same files: the booklet's pages in book order, every corpus
# page in path order, one book each.
# shellcheck disable=SC2086
pandoc_booklet=$(measure pandoc -f markdown -t epub3 --resource-path=content --metadata title="About XMPP" -o "$OUT/pandoc-booklet.epub" $BOOKLET_PAGES)
# shellcheck disable=SC2046
pandoc_corpus=$(measure pandoc -f markdown -t epub3 --resource-path="$CORPUS/static" --metadata title="xmpp.org" -o "$OUT/pandoc-corpus.epub" $(cat "$OUT/corpus-pages"))

echo "folio $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), median of $RUNS runs"
report "folio booklet" "$folio_booklet" "$OUT/booklet/about-xmpp.epub"
report "folio corpus" "$folio_corpus" "$OUT/corpus/site.epub"
report "pandoc booklet" "$pandoc_booklet" "$OUT/pandoc-booklet.epub"
report "pandoc corpus" "$pandoc_corpus" "$OUT/pandoc-corpus.epub"
echo "$pandoc_booklet $folio_booklet $pandoc_corpus $folio_corpus" | awk '{
    printf "pandoc / folio, wall: booklet %.1fx, corpus %.1fx\n", $1 / $4, $7 / $10
    printf "pandoc / folio, cpu:  booklet %.1fx, corpus %.1fx\n", $2 / $5, $8 / $11 }'

if [ -f /usr/bin/epubcheck ]; then
    for f in "$OUT/booklet/about-xmpp.epub" "$OUT/corpus/site.epub" "$OUT/pandoc-booklet.epub" "$OUT/pandoc-corpus.epub"; do
        printf 'epubcheck %-20s ' "$(basename "$f"):"
        java -jar /usr/bin/epubcheck "$f" 2>&1 | grep -E '^Messages:' || echo "did not run"
    done
fi
