#!/usr/bin/env bash
# Release-build timing of `folio build --format pdf` for the default press kit
# and the 169-page xmpp.org corpus, with peak memory (GNU time) and file
# sizes; then pandoc (Markdown to HTML) + weasyprint (HTML to PDF) on the same
# pages for comparison (Debian: apt-get install pandoc weasyprint).
set -euo pipefail
cd "$(dirname "$0")/.."
# ../shared/corpus/xmpp-org, or the nearest such folder above the checkout
corpus=""
dir=$PWD
while [ "$dir" != / ]; do
  if [ -d "$dir/shared/corpus/xmpp-org/content" ]; then corpus=$dir/shared/corpus/xmpp-org; break; fi
  dir=$(dirname "$dir")
done
[ -n "$corpus" ] || { echo "shared/corpus/xmpp-org not found beside the checkout" >&2; exit 1; }
cargo build --release --quiet
bin=target/release/folio
[ -x "$bin" ] || bin="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/folio"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
runs=${RUNS:-10}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}

# best and mean wall time in ms over $runs runs, then peak RSS of one run
measure() {
  local label=$1; shift
  local best=999999999 total=0
  for _ in $(seq "$runs"); do
    local t0 t1 us
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    us=$(( (t1 - t0) / 1000 ))
    total=$(( total + us )); (( us < best )) && best=$us
  done
  local rss
  rss=$(/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}')
  printf '%-46s best %8.1f ms  mean %8.1f ms  peak RSS %7s KiB\n' "$label" \
    "$(echo "$best/1000" | bc -l)" "$(echo "$total/$runs/1000" | bc -l)" "$rss"
  echo "$best" > "$out/last-best"
}

measure "folio: press kit PDF" "$bin" -q build --book press-kit --format pdf --out "$out/kit"
kit_best=$(cat "$out/last-best")
measure "folio: corpus PDF (169 pages)" "$bin" -q build --content "$corpus/content" --static "$corpus/static" --format pdf --out "$out/corpus"
corpus_best=$(cat "$out/last-best")
ls -l "$out/kit/press-kit.pdf" "$out/corpus/site.pdf" | awk '{printf "%-46s %10d bytes\n", $9, $5}'

if command -v pandoc >/dev/null && command -v weasyprint >/dev/null; then
  # The same pages, in the same order: the press kit's four pages, and every
  # corpus page in file order, each as one HTML document.
  kit_pages=(content/about/press-kit.md content/about/features-and-benefits.md content/about/xsf/mission.md content/about/xsf/roadmap.md)
  mapfile -t corpus_pages < <(find "$corpus/content" -name '*.md' | sort)
  # pandoc then weasyprint, as one command so GNU time can measure it
  cat > "$out/pw.sh" <<'PW'
#!/usr/bin/env bash
set -e
html=$1 pdf=$2 res=$3; shift 3
pandoc --quiet -f markdown -t html5 -s --metadata title=Bench --resource-path="$res" -o "$html" "$@"
weasyprint -q --base-url "$res" "$html" "$pdf"
PW
  chmod +x "$out/pw.sh"
  runs_save=$runs; runs=${PW_RUNS:-3}
  measure "pandoc+weasyprint: press kit" "$out/pw.sh" "$out/kit.html" "$out/kit-pw.pdf" content "${kit_pages[@]}"
  pw_kit=$(cat "$out/last-best")
  measure "pandoc+weasyprint: corpus (169 pages)" "$out/pw.sh" "$out/corpus.html" "$out/corpus-pw.pdf" "$corpus/static" "${corpus_pages[@]}"
  pw_corpus=$(cat "$out/last-best")
  runs=$runs_save
  ls -l "$out/kit-pw.pdf" "$out/corpus-pw.pdf" | awk '{printf "%-46s %10d bytes\n", $9, $5}'
  printf 'pandoc+weasyprint / folio: press kit %.1fx, corpus %.1fx\n' \
    "$(echo "$pw_kit/$kit_best" | bc -l)" "$(echo "$pw_corpus/$corpus_best" | bc -l)"
else
  echo "pandoc or weasyprint not installed: skipping the comparison"
fi
