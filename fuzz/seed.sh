#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ from the xmpp.org pages (never committed):
#   front_matter  each page's front matter with its delimiters and the first
#                 body line (the part split_front_matter and the parsers see)
#   shortcodes    each page's body (after the front matter)
#   markdown      each page's body
#   page          each whole page
# plus a few hand-made seeds for the forms the corpus lacks (TOML, Pelican,
# paired and escaped shortcodes), and every regression reproducer in
# tests/hostile/fuzz/ for every target.
#
# The corpus is looked for as shared/corpus/xmpp-org/content beside the
# repository or any folder above it; FOLIO_CORPUS=DIR overrides.
set -euo pipefail

fuzz_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$fuzz_dir")

find_corpus() {
    if [[ -n "${FOLIO_CORPUS:-}" ]]; then
        echo "$FOLIO_CORPUS"
        return
    fi
    local dir=$repo
    while [[ "$dir" != / ]]; do
        if [[ -d "$dir/shared/corpus/xmpp-org/content" ]]; then
            echo "$dir/shared/corpus/xmpp-org/content"
            return
        fi
        dir=$(dirname "$dir")
    done
    echo "seed.sh: shared/corpus/xmpp-org/content not found above $repo (set FOLIO_CORPUS)" >&2
    exit 1
}

content=$(find_corpus)
targets=(front_matter shortcodes markdown page)
for t in "${targets[@]}"; do
    mkdir -p "$fuzz_dir/corpus/$t"
done

# The front matter block (delimited by its first line, `---` or `+++`, or a
# Pelican header up to the first blank line) and one line after it.
front_part() {
    awk '
        NR == 1 { delim = $0; sub(/[ \t\r]+$/, "", delim) }
        { print }
        NR == 1 && delim != "---" && delim != "+++" { pelican = 1 }
        pelican && /^[ \t\r]*$/ { after = 1; next }
        NR > 1 && !pelican && !closed { d = $0; sub(/[ \t\r]+$/, "", d); if (d == delim) { closed = 1; next } }
        (closed || after) { exit }
    ' "$1"
}

# Everything after the front matter (the whole file when it has none).
body_part() {
    awk '
        NR == 1 { delim = $0; sub(/[ \t\r]+$/, "", delim); if (delim != "---" && delim != "+++") body = 1 }
        body { print; next }
        NR > 1 { d = $0; sub(/[ \t\r]+$/, "", d); if (d == delim) body = 1 }
    ' "$1"
}

n=0
while IFS= read -r -d '' page; do
    name=$(printf '%s' "${page#"$content"/}" | tr '/' '_')
    front_part "$page" >"$fuzz_dir/corpus/front_matter/$name"
    body_part "$page" >"$fuzz_dir/corpus/shortcodes/$name"
    cp "$fuzz_dir/corpus/shortcodes/$name" "$fuzz_dir/corpus/markdown/$name"
    cp "$page" "$fuzz_dir/corpus/page/$name"
    n=$((n + 1))
done < <(find "$content" -type f \( -name '*.md' -o -name '*.markdown' \) -print0 | sort -z)

# Hand-made seeds: forms the corpus has few or none of.
seed() { # target name text
    printf '%b' "$3" >"$fuzz_dir/corpus/$1/hand-$2"
}
for t in front_matter page; do
    seed "$t" toml '+++\ntitle = "T"\nweight = 3\ndate = 2024-01-02T03:04:05Z\naliases = ["/a/", "/b/"]\n[extra]\nk = [1, 2.5, true]\n+++\n\nBody.\n'
    seed "$t" pelican 'Title: A page\nDate: 2024-01-02 10:00\nStatus: draft\nTags: a,\n  b\n\nBody.\n'
    seed "$t" yaml-anchors '---\ntitle: &t "T"\nslug: *t\nweight: 0x10\ndraft: no\nextra: {a: [1, {b: ~}], c: !!str 3}\n---\nBody.\n'
    seed "$t" bom-crlf '\xef\xbb\xbf---\r\ntitle: CRLF\r\n---\r\nBody\r\n'
done
for t in shortcodes markdown page; do
    seed "$t" paired '{{% notice %}}\n**bold** {{< figure src="logo.png" caption="A *c*" >}}\n{{% /notice %}}\n'
    seed "$t" escaped 'Use {{</* figure src="x" */>}} or `{{< ref "a" >}}`.\n\n```\n{{< not-a-call\n```\n'
    seed "$t" nested '{{< a >}}{{< b x="1" y=2 >}}{{< /b >}}{{< c />}}{{< /a >}}{{< /stray >}}\n'
    seed "$t" html '<div class="note">\n\n- *a* [l](#x "t")\n- <b>b</b><br>\n\n</div>\n\n<figure><img src="logo.svg" alt="x"><figcaption>c</figcaption></figure>\n'
    seed "$t" table-notes '| a | b |\n|:--|--:|\n| `c` | [^1] |\n\n[^1]: Note with ![i](/logo.png).\n\n# H {#h .c}\n\n> > quote\n'
done

# Reproducers of past findings stay in every corpus.
shopt -s nullglob
for repro in "$repo"/tests/hostile/fuzz/*; do
    for t in "${targets[@]}"; do
        cp "$repro" "$fuzz_dir/corpus/$t/repro-$(basename "$repro")"
    done
done

for t in "${targets[@]}"; do
    echo "seed.sh: corpus/$t: $(find "$fuzz_dir/corpus/$t" -type f | wc -l) files ($n from $content)"
done
