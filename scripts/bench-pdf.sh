#!/usr/bin/env bash
# Release-build timing of `folio build --format pdf` (issue 12's targets):
# the default press kit, the 169-page xmpp.org corpus, and the corpus
# repeated 6× as one book (a temporary content folder holding six copies of
# the corpus's pages under sections c1…c6, ~2 200 PDF pages: a stand-in for
# a whole site). Each is run $RUNS times (default 5) under GNU time; the
# median wall time and median peak RSS are printed next to the targets.
# Then pandoc (Markdown to HTML) + weasyprint (HTML to PDF) on the corpus,
# when installed (Debian: apt-get install pandoc weasyprint), and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/corpus.sh
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 1; }
cargo build --release --quiet
bin=target/release/folio
[ -x "$bin" ] || bin="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/folio"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
runs=${RUNS:-5}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}

# The corpus two and six times over, each as one book.
copies() {
  local dir=$1 n=$2
  mkdir -p "$dir/content"
  for i in $(seq "$n"); do
    cp -r "$corpus/content" "$dir/content/c$i"
    # Each copy a section of its own, named in the contents.
    printf -- '---\ntitle: "Copy %d"\n---\n' "$i" > "$dir/content/c$i/_index.md"
  done
}
two=$out/two
big=$out/six
copies "$two" 2
copies "$big" 6

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# median wall (ms) and median peak RSS (MB) over $runs runs of the command,
# printed with the targets; exits 0 either way (a benchmark, not a test).
measure() {
  local label=$1 wall_target=$2 rss_target=$3; shift 3
  : > "$out/walls"; : > "$out/rss"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$out/one" "$@" >/dev/null 2>&1
    read -r wall rss < "$out/one"
    echo "$wall" | awk '{printf "%d\n", $1 * 1000}' >> "$out/walls"
    echo $(( rss / 1024 )) >> "$out/rss"
  done
  local w r
  w=$(median < "$out/walls"); r=$(median < "$out/rss")
  echo "$w" > "$out/last-wall"
  echo "$r" > "$out/last-rss"
  printf '%-40s %6d ms (target %6s)   %5d MB peak (target %5s)\n' \
    "$label" "$w" "$wall_target" "$r" "$rss_target"
}

echo "median of $runs runs, release build, $(nproc) CPUs"
measure "folio: press kit PDF" "-" "-" \
  "$bin" -q build --format pdf --out "$out/kit"
measure "folio: corpus PDF (169 pages)" "≤150" "≤80" \
  "$bin" -q build --content "$corpus/content" --static "$corpus/static" --format pdf --out "$out/corpus"
corpus_wall=$(cat "$out/last-wall")
# The same build with no image cache (every image decoded, drawn and
# deflated again): the lines above are warm, their first run filling the
# cache of their output folder (`<out>/.folio-cache`) and the median
# being of the runs that read it.
measure "folio: corpus PDF, cold (--no-cache)" "-" "-" \
  "$bin" -q build --content "$corpus/content" --static "$corpus/static" --format pdf --out "$out/corpus-cold" --no-cache
measure "folio: corpus ×2 as one book" "-" "-" \
  "$bin" -q build --content "$two/content" --static "$corpus/static" --format pdf --out "$out/two-pdf"
two_rss=$(cat "$out/last-rss")
measure "folio: corpus ×6 as one book" "≤1000" "≤150" \
  "$bin" -q build --content "$big/content" --static "$corpus/static" --format pdf --out "$out/six-pdf"
six_rss=$(cat "$out/last-rss")
for f in "$out/kit/press-kit.pdf" "$out/corpus/site.pdf" "$out/two-pdf/site.pdf" "$out/six-pdf/site.pdf"; do
  pages=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}' || true)
  printf '%-40s %10d bytes %6s pages\n' "$(basename "$(dirname "$f")")/$(basename "$f")" \
    "$(stat -c %s "$f")" "${pages:-?}"
  echo "${pages:-0}" > "$out/pages-$(basename "$(dirname "$f")")"
done
# Memory flat in the page count: what each further 1 000 pages cost
# between the ×2 and ×6 books (the file itself, held in memory until it
# is written, is about 11 MB of that).
two_pages=$(cat "$out/pages-two-pdf"); six_pages=$(cat "$out/pages-six-pdf")
if [ "$six_pages" -gt "$two_pages" ]; then
  printf 'peak RSS per 1 000 more pages (×2 → ×6): %d MB\n' \
    $(( (six_rss - two_rss) * 1000 / (six_pages - two_pages) ))
fi

if command -v pandoc >/dev/null && command -v weasyprint >/dev/null; then
  mapfile -t corpus_pages < <(find "$corpus/content" -name '*.md' | sort)
  # pandoc then weasyprint, as one command so GNU time measures both
  cat > "$out/pw.sh" <<'PW'
#!/usr/bin/env bash
set -e
html=$1 pdf=$2 res=$3; shift 3
pandoc --quiet -f markdown -t html5 -s --metadata title=Bench --resource-path="$res" -o "$html" "$@"
weasyprint -q --base-url "$res" "$html" "$pdf"
PW
  chmod +x "$out/pw.sh"
  runs_save=$runs; runs=${PW_RUNS:-1}
  measure "pandoc+weasyprint: corpus" "-" "-" \
    "$out/pw.sh" "$out/corpus.html" "$out/corpus-pw.pdf" "$corpus/static" "${corpus_pages[@]}"
  pw_wall=$(cat "$out/last-wall")
  runs=$runs_save
  printf 'pandoc+weasyprint / folio on the corpus: %.0f× (target ≥150×)\n' \
    "$(echo "$pw_wall / $corpus_wall" | bc -l)"
else
  echo "skipped: pandoc and weasyprint comparison (apt-get install pandoc weasyprint)"
fi
