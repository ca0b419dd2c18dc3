#!/usr/bin/env bash
# Release-build timing of `folio build --format text` over the 169-page
# xmpp.org corpus and over the default books, with peak memory (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/xmpp-org
cargo build --release --quiet
bin=target/release/folio
[ -x "$bin" ] || bin="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/folio"
out=$(mktemp -d)
runs=${RUNS:-20}
# measure LABEL FRESH ARGS...: FRESH=1 empties the output folder before each
# run (a first build); FRESH=0 rebuilds over the previous output, where
# unchanged files are left alone.
measure() {
  local label=$1 fresh=$2; shift 2
  local best=999999 total=0
  for _ in $(seq "$runs"); do
    local t0 t1 ms
    [ "$fresh" = 1 ] && rm -rf "$out"/*
    t0=$(date +%s%N); "$bin" -q "$@" >/dev/null; t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000 ))
    total=$(( total + ms )); (( ms < best )) && best=$ms
  done
  local rss
  rss=$(/usr/bin/time -v "$bin" -q "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}')
  printf '%-40s best %6.1f ms  mean %6.1f ms  peak RSS %s KiB  (%d runs)\n' "$label" "$(echo "$best/1000" | bc -l)" "$(echo "$total/$runs/1000" | bc -l)" "$rss" "$runs"
}
measure "corpus text (169 pages), first build" 1 build --content "$corpus/content" --static "$corpus/static" --format text --out "$out/corpus"
measure "corpus text (169 pages), rebuild" 0 build --content "$corpus/content" --static "$corpus/static" --format text --out "$out/corpus"
measure "default books, text, first build" 1 build --format text --out "$out/default"
"$bin" -q build --content "$corpus/content" --static "$corpus/static" --format text --out "$out/corpus"
"$bin" -q build --format text --out "$out/default"
du -sh --apparent-size "$out/corpus/text" "$out/default/text"
rm -rf "$out"
