#!/usr/bin/env bash
# Times `flowrun validate` on 1,000 realistic flow files (the five example flows of GitLab's documentation and
# flowrun's own, each copied with small variations), without and with shellcheck, against two baselines measured
# here on the same files: reading them (`cat`), and starting `bash -n` once per file (what a naive per-file
# shell check costs at least). Prints the figures, the ratios, and PASS/MISS for the goal: under 1 s without
# shellcheck. It reports; it does not fail a build (exit status 2 only when it cannot run).
# Usage: bench/validate_bench.sh [FLOWRUN_BINARY]   (default: build/flowrun)
# Environment: FILES (default 1000; the goal is for 1,000), RUNS (default 3), SHELLCHECK_RUNS (default RUNS),
# VALIDATE_SHELLCHECK=0 skips the run with shellcheck. Prints RESULT lines for bench/run_all.sh.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
binary=${1:-build/flowrun}
if [ ! -x "$binary" ]; then
  echo "validate_bench: no flowrun binary at $binary: build it, or give its path as the first argument" >&2
  exit 2
fi
files=${FILES:-1000}
runs=${RUNS:-3}
goal_ms=1000

work=$(mktemp -d "${TMPDIR:-/tmp}/flowrun-validate-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/flows"

# The originals: GitLab's five examples and the flows flowrun ships, whichever are there.
originals=()
for file in "$here"/tests/fixtures/seed004/*.yaml "$here"/flows/*.yaml; do
  [ -f "$file" ] && originals+=("$file")
done
if [ "${#originals[@]}" -eq 0 ]; then
  echo "validate_bench: no flow files to copy under $here/tests/fixtures/seed004 or $here/flows" >&2
  exit 2
fi

# Small variations, so no two files are the same: another image tag, a numbered echo, one more variable.
for ((i = 0; i < files; i++)); do
  original=${originals[$((i % ${#originals[@]}))]}
  sed -e "s/^image: \(.*\):\([^:]*\)$/image: \1:\2-v$((i % 7))/" \
      -e "0,/^commands:$/s//commands:\n  - echo \"bench copy $i of $(basename "$original")\"/" \
      -e "s/^variables:$/variables:\n  - BENCH_VARIABLE_$i/" \
      "$original" >"$work/flows/flow_$(printf '%04d' "$i").yaml"
done

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Best of $runs runs, in milliseconds, of the command given.
best_ms() {
  local best=""
  for ((run = 0; run < runs; run++)); do
    local start end status=0
    start=$(now_ms)
    "$@" >/dev/null 2>&1 || status=$?
    end=$(now_ms)
    # validate exits 1 when it has findings (the examples have some); anything else means it did not run right.
    if [ "$status" -gt 1 ]; then
      echo "validate_bench: '$*' failed with exit status $status" >&2
      exit 2
    fi
    local elapsed=$((end - start))
    if [ -z "$best" ] || [ "$elapsed" -lt "$best" ]; then best=$elapsed; fi
  done
  echo "$best"
}

read_files() { cat "$work"/flows/*.yaml; }
bash_per_file() { for file in "$work"/flows/*.yaml; do bash -n -c ':' "$file"; done; }

cat_ms=$(best_ms read_files)
bash_ms=$(best_ms bash_per_file)
plain_ms=$(best_ms "$binary" validate --no-shellcheck "$work/flows")
if [ "${VALIDATE_SHELLCHECK:-1}" = 1 ] && command -v shellcheck >/dev/null 2>&1; then
  shellcheck_ms=$(runs=${SHELLCHECK_RUNS:-$runs} best_ms "$binary" validate "$work/flows")
else
  shellcheck_ms=""
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 1; printf "%.1f", a / b }'; }

echo "flowrun validate: $files flow files ($(du -sh "$work/flows" | cut -f1)), best of $runs runs (shellcheck: ${SHELLCHECK_RUNS:-$runs})"
printf '  %-44s %6d ms\n' "baseline: cat of the files" "$cat_ms"
printf '  %-44s %6d ms\n' "baseline: bash -n started once per file" "$bash_ms"
printf '  %-44s %6d ms   %sx cat, %sx bash-per-file\n' "flowrun validate --no-shellcheck" "$plain_ms" \
  "$(ratio "$plain_ms" "$cat_ms")" "$(ratio "$plain_ms" "$bash_ms")"
if [ -n "$shellcheck_ms" ]; then
  printf '  %-44s %6d ms   %sx cat, %sx bash-per-file\n' "flowrun validate (with shellcheck)" "$shellcheck_ms" \
    "$(ratio "$shellcheck_ms" "$cat_ms")" "$(ratio "$shellcheck_ms" "$bash_ms")"
else
  echo "  flowrun validate (with shellcheck)            skipped (VALIDATE_SHELLCHECK=0, or shellcheck is not installed)"
fi
if [ -n "$shellcheck_ms" ]; then
  printf 'RESULT\t%s\t%s\t%s\t%s\t%s\t%s\n' "validate: $files files, with shellcheck" "$shellcheck_ms ms" \
    "cat $cat_ms ms" "$(ratio "$shellcheck_ms" "$cat_ms")x" "(reported)" "-"
fi
verdict=MISS
if [ "$files" -eq 1000 ] && [ "$plain_ms" -lt "$goal_ms" ]; then verdict=PASS; fi
if [ "$files" -ne 1000 ]; then verdict="- (goal is for 1,000 files)"; fi
printf 'RESULT\t%s\t%s\t%s\t%s\t%s\t%s\n' "validate: $files files, --no-shellcheck" "$plain_ms ms" "cat $cat_ms ms" \
  "$(ratio "$plain_ms" "$cat_ms")x" "< $goal_ms ms (1,000 files)" "$verdict"
if [ "$files" -ne 1000 ]; then
  :  # the goal is for 1,000 files
elif [ "$plain_ms" -lt "$goal_ms" ]; then
  echo "PASS: --no-shellcheck took $plain_ms ms, under the goal of $goal_ms ms"
else
  echo "MISS: --no-shellcheck took $plain_ms ms, over the goal of $goal_ms ms"
fi
