#!/usr/bin/env bash
# Seeds the corpora, then fuzzes each target for SECONDS (default 600), one
# after another, and prints per target: executions, exec/s, corpus size, and
# the crashes, timeouts and OOMs found (libFuzzer's last status line and the
# new files in fuzz/artifacts/<target>/). Needs the nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz`). Runs niced: it shares the machine.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# Fork mode (-fork=1 -ignore_*) keeps going after a finding, so one run
# reports every class it hits; logs go to fuzz/logs/<target>.log.
set -euo pipefail

fuzz_dir=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-600}
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(front_matter shortcodes markdown page)

# Longest input per target: front matter is short; 16 KiB of body holds
# every Markdown construct and nesting deep enough (8000 quote levels, 5000
# list levels) to overflow the stack before the nesting limits came.
max_len() {
    case $1 in
    front_matter) echo 4096 ;;
    shortcodes) echo 16384 ;;
    markdown) echo 16384 ;;
    page) echo 16384 ;;
    *) echo "run.sh: unknown target $1" >&2; exit 2 ;;
    esac
}
dicts() {
    case $1 in
    front_matter) echo front_matter ;;
    shortcodes) echo shortcode markdown ;;
    markdown) echo markdown shortcode html ;;
    page) echo front_matter markdown shortcode html ;;
    esac
}

"$fuzz_dir/seed.sh"
nice -n 10 cargo +nightly fuzz build --fuzz-dir "$fuzz_dir" -s none
mkdir -p "$fuzz_dir/logs"

summary=()
for t in "${targets[@]}"; do
    dict="$fuzz_dir/logs/$t.dict"
    for d in $(dicts "$t"); do cat "$fuzz_dir/dict/$d.dict"; done >"$dict"
    mkdir -p "$fuzz_dir/artifacts/$t"
    stamp="$fuzz_dir/logs/$t.start"
    touch "$stamp"
    log="$fuzz_dir/logs/$t.log"
    echo "run.sh: fuzzing $t for ${seconds}s (log: $log)"
    # A finding makes libFuzzer exit non-zero; the summary below reports it.
    nice -n 10 cargo +nightly fuzz run --fuzz-dir "$fuzz_dir" -s none "$t" "$fuzz_dir/corpus/$t" -- \
        -max_total_time="$seconds" -max_len="$(max_len "$t")" -dict="$dict" \
        -rss_limit_mb=500 -timeout=10 -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
        -ignore_ooms=1 -print_final_stats=1 >"$log" 2>&1 || true
    # The last status line: `#N: cov: .. corp: .. exec/s: E oom/timeout/crash: O/T/C time: Ss ..`
    last=$(grep -E '^#[0-9]+: cov:' "$log" | tail -1 || true)
    execs=$(sed -nE 's/^#([0-9]+):.*/\1/p' <<<"$last")
    # libFuzzer's exec/s is the last job's; the whole run's rate is execs/time.
    took=$(sed -nE 's/.* time: ([0-9]+)s.*/\1/p' <<<"$last")
    rate=$([[ -n "$execs" && "${took:-0}" -gt 0 ]] && echo $((execs / took)) || true)
    counts=$(sed -nE 's/.* oom\/timeout\/crash: ([0-9]+\/[0-9]+\/[0-9]+).*/\1/p' <<<"$last")
    corpus=$(find "$fuzz_dir/corpus/$t" -type f | wc -l)
    new=()
    for kind in crash timeout oom slow-unit; do
        n=$(find "$fuzz_dir/artifacts/$t" -name "$kind-*" -newer "$stamp" | wc -l)
        new+=("$kind=$n")
    done
    line=$(printf '%-13s execs=%-10s exec/s=%-6s corpus=%-6s oom/timeout/crash=%-8s new artifacts: %s' \
        "$t" "${execs:-?}" "${rate:-?}" "$corpus" "${counts:-?}" "${new[*]}")
    echo "$line"
    summary+=("$line")
done

echo
echo "run.sh: ${seconds}s per target; artifacts in $fuzz_dir/artifacts/<target>/"
printf '%s\n' "${summary[@]}"
