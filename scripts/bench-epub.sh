#!/bin/sh
# Times folio's release binary building the EPUB booklet (the default book)
# and an EPUB of the whole xmpp.org corpus, then pandoc -t epub3 on the same
# Markdown files, and prints sizes, times and the ratio.
#
#   scripts/bench-epub.sh            # from the repository root
#   RUNS=20 CORPUS=/path/to/xmpp-org scripts/bench-epub.sh
#
# Needs: cargo, pandoc, GNU time (/usr/bin/time). Times are the median of
# RUNS runs (wall clock); memory is the peak RSS of one run (time -v).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# The corpus: ../shared/corpus/xmpp-org beside the repository (or higher up).
if [ -z "${CORPUS:-}" ]; then
    dir=$ROOT
    while [ "$dir" != / ] && [ ! -d "$dir/shared/corpus/xmpp-org" ]; do dir=$(dirname "$dir"); done
    CORPUS=$dir/shared/corpus/xmpp-org
fi
RUNS=${RUNS:-10}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

cd "$ROOT"
cargo build --release --quiet
BIN=$CARGO_TARGET_DIR/release/folio
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# Median wall-clock milliseconds of RUNS runs of the given command.
median_ms() {
    i=0
    : > "$OUT/times"
    while [ "$i" -lt "$RUNS" ]; do
        start=$(date +%s%N)
        "$@" > /dev/null 2>&1
        end=$(date +%s%N)
        echo $(( (end - start) / 1000 )) >> "$OUT/times"
        i=$((i + 1))
    done
    sort -n "$OUT/times" | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f", m / 1000 }'
}

peak_kb() {
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'
}

size_of() {
    stat -c %s "$1"
}

report() {
    printf '%-22s %10s ms %10s bytes %8s KB peak\n' "$1" "$2" "$3" "$4"
}

# The booklet: the default project, EPUB only.
BOOKLET_OUT=$OUT/booklet
folio_booklet() { "$BIN" build --book about-xmpp --format epub --out "$BOOKLET_OUT"; }
folio_booklet > /dev/null 2>&1 || { echo "folio build failed:"; folio_booklet; exit 1; }
BOOKLET=$(find "$BOOKLET_OUT" -name '*.epub' | head -n 1)
t_booklet=$(median_ms folio_booklet)
m_booklet=$(peak_kb "$BIN" build --book about-xmpp --format epub --out "$BOOKLET_OUT")

# The corpus: every page, EPUB only.
CORPUS_OUT=$OUT/corpus
folio_corpus() { "$BIN" build --content "$CORPUS/content" --static "$CORPUS/static" --format epub --out "$CORPUS_OUT"; }
folio_corpus > /dev/null 2>&1 || { echo "folio corpus build failed:"; folio_corpus; exit 1; }
CORPUS_EPUB=$(find "$CORPUS_OUT" -name '*.epub' | head -n 1)
t_corpus=$(median_ms folio_corpus)
m_corpus=$(peak_kb "$BIN" build --content "$CORPUS/content" --static "$CORPUS/static" --format epub --out "$CORPUS_OUT")

# pandoc on the same Markdown files: the booklet's pages in book order, and
# every corpus page in path order; images resolved from the static root.
BOOKLET_PAGES="content/about/features-and-benefits.md content/about/xsf/mission.md content/about/xsf/roadmap.md content/about/press-kit.md"
pandoc_booklet() {
    # shellcheck disable=SC2086
    pandoc -f markdown -t epub3 --resource-path=content --metadata title="About XMPP" -o "$OUT/pandoc-booklet.epub" $BOOKLET_PAGES
}
find "$CORPUS/content" -name '*.md' | LC_ALL=C sort > "$OUT/corpus-pages"
pandoc_corpus() {
    # shellcheck disable=SC2046
    pandoc -f markdown -t epub3 --resource-path="$CORPUS/static" --metadata title="xmpp.org" -o "$OUT/pandoc-corpus.epub" $(cat "$OUT/corpus-pages")
}
pandoc_booklet > /dev/null 2>&1 || true
pandoc_corpus > /dev/null 2>&1 || true
t_pandoc_booklet=$(median_ms pandoc_booklet)
t_pandoc_corpus=$(median_ms pandoc_corpus)

echo "folio $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, median of $RUNS runs"
report "folio booklet" "$t_booklet" "$(size_of "$BOOKLET")" "$m_booklet"
report "folio corpus" "$t_corpus" "$(size_of "$CORPUS_EPUB")" "$m_corpus"
report "pandoc booklet" "$t_pandoc_booklet" "$(size_of "$OUT/pandoc-booklet.epub" 2>/dev/null || echo -)" "$(peak_kb sh -c "$(command -v pandoc) -f markdown -t epub3 --resource-path=content -o $OUT/p.epub $BOOKLET_PAGES")"
report "pandoc corpus" "$t_pandoc_corpus" "$(size_of "$OUT/pandoc-corpus.epub" 2>/dev/null || echo -)" "-"
awk -v a="$t_pandoc_booklet" -v b="$t_booklet" -v c="$t_pandoc_corpus" -v d="$t_corpus" \
    'BEGIN { printf "pandoc / folio: booklet %.1fx, corpus %.1fx\n", a / b, c / d }'

if [ -x /usr/bin/epubcheck ] || [ -f /usr/bin/epubcheck ]; then
    for f in "$BOOKLET" "$CORPUS_EPUB" "$OUT/pandoc-booklet.epub"; do
        printf '%s: ' "$(basename "$f")"
        java -jar /usr/bin/epubcheck "$f" 2>&1 | grep -E '^Messages:' || echo "epubcheck failed"
    done
fi
