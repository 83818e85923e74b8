#!/usr/bin/env bash
# The whole benchmark suite, in one command. Builds what it needs in BUILD_DIR, prints the machine it runs on, then
# runs each benchmark (each prints its figure, the baseline measured in the same run, the ratio, and the goal with
# PASS or MISS), and ends with a summary table. It reports; it does not fail on a missed goal (exit status 2 only when
# a benchmark cannot run). Timings on a shared machine move with its load, which is printed before and after.
#
# Usage: bash bench/run_all.sh [BUILD_DIR]      (default: <repo>/build-bench; configured RelWithDebInfo if new)
# Environment: FLOWRUN_BENCH_QUICK=1 for a quick pass (64 MiB of output, 10,000-file git repository, fewer runs,
# validate's pass with shellcheck on 100 files only): under 2 minutes on an idle machine; the full suite aims at under 10.
# OUTPUT_MIB overrides the output size (default 1024 MiB).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=$(cd "$here/.." && pwd)
build_dir=$(realpath -m "${1:-$source_dir/build-bench}")
quick=${FLOWRUN_BENCH_QUICK:-0}
started=$(date +%s)

results=$(mktemp "${TMPDIR:-/tmp}/flowrun-bench-results-XXXXXX")
trap 'rm -f "$results"' EXIT

section() { printf '\n==== %s\n' "$*"; }
# run_bench NAME COMMAND...: runs one benchmark, shows its output, keeps its RESULT lines for the summary.
run_bench() {
  local name=$1 status=0 start=$SECONDS
  shift
  section "$name"
  "$@" 2>&1 | tee -a "$results" || status=$?
  if ((status != 0)); then
    printf 'RESULT\t%s\t%s\t-\t-\t-\tFAILED (exit %s)\n' "$name" "did not run" "$status" | tee -a "$results"
  fi
  echo "($name took $((SECONDS - start)) s)"
}

section "machine"
version_of() { "$@" 2>/dev/null | head -n 1 || echo "not installed"; }
echo "date:          $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cpus (nproc):  $(nproc)"
echo "cpu model:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory:        $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) total, $(awk '/MemAvailable/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) available"
echo "load average:  $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
echo "kernel:        $(uname -sr)"
echo "debian:        $(cat /etc/debian_version 2>/dev/null || echo unknown) ($(. /etc/os-release && echo "$PRETTY_NAME"))"
echo "compiler:      $(version_of "${CXX:-g++}" --version)"
echo "cmake:         $(version_of cmake --version)"
echo "libgit2:       $(pkg-config --modversion libgit2 2>/dev/null || echo unknown)"
echo "yaml-cpp:      $(pkg-config --modversion yaml-cpp 2>/dev/null || echo unknown)"
echo "boost:         $(sed -n 's/^#define BOOST_LIB_VERSION "\(.*\)"/\1/p' /usr/include/boost/version.hpp 2>/dev/null || echo unknown)"
echo "libcurl:       $(pkg-config --modversion libcurl 2>/dev/null || echo unknown)"
echo "bash:          $(version_of bash --version)"
echo "git:           $(version_of git --version)"
echo "shellcheck:    $(shellcheck --version 2>/dev/null | sed -n 's/^version: //p' || true)"
echo "python3:       $(version_of python3 --version)"
echo "mode:          $([[ $quick == 1 ]] && echo quick || echo full)"

section "build ($build_dir)"
if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFLOWRUN_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build_dir" -j2 --target flowrun flowrun_git_bench flowrun_mask_bench flowrun_bench_timer >/dev/null
flowrun=$build_dir/flowrun
timer=$(find "$build_dir" -name flowrun_bench_timer -type f -perm -u+x | head -n 1)
mask_bench=$(find "$build_dir" -name flowrun_mask_bench -type f -perm -u+x | head -n 1)
echo "build type:    $(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build_dir/CMakeCache.txt")"
echo "flowrun:       $("$flowrun" --version 2>/dev/null | head -n 1)"

if [[ $quick == 1 ]]; then
  startup_runs=60 overhead_runs=7 output_runs=1 push_runs=3 validate_runs=1 git_runs=3 git_files=(10000) mask_mib=64
else
  startup_runs=200 overhead_runs=15 output_runs=3 push_runs=5 validate_runs=3 git_runs=3 git_files=(10000 100000) mask_mib=256
fi

run_bench "start-up" env RUNS=$startup_runs bash "$here/startup_bench.sh" "$flowrun" "$timer"
run_bench "executor overhead" env RUNS=$overhead_runs bash "$here/run_overhead.sh" "$flowrun" "$timer"
run_bench "output" env RUNS=$output_runs FLOWRUN_BENCH_QUICK="$quick" bash "$here/output_bench.sh" "$flowrun" "$timer"
masking() {
  local out
  out=$("$mask_bench" "$mask_mib")
  echo "$out"
  awk -v mib="$mask_mib" '
    /^MaskingStream/ { mask = $2; mask_cpu = $3 }
    /^cat through a pipe/ { cat = $5; cat_cpu = $6 }
    /^ratio masking \/ cat/ {
      printf "RESULT\tmasker alone: %s MiB (flowrun_mask_bench)\t%s MB/s (cpu %s)\tcat %s MB/s (cpu %s)\t%sx (cpu %sx)\t>= 0.5x\t%s\n",
        mib, mask, mask_cpu, cat, cat_cpu, $5, $6, ($5 >= 0.5) ? "PASS" : "MISS" }' <<<"$out"
}
run_bench "masker alone" masking
run_bench "git push" env RUNS=$push_runs bash "$here/push_bench.sh" "$flowrun" "$timer"
if [[ $quick == 1 ]]; then
  run_bench "validate, 100 files" env FILES=100 RUNS=$validate_runs bash "$here/validate_bench.sh" "$flowrun"
  run_bench "validate, 1000 files" env FILES=1000 RUNS=$validate_runs VALIDATE_SHELLCHECK=0 \
    bash "$here/validate_bench.sh" "$flowrun"
else
  run_bench "validate, 100 files" env FILES=100 RUNS=$validate_runs bash "$here/validate_bench.sh" "$flowrun"
  run_bench "validate, 1000 files" env FILES=1000 RUNS=$validate_runs SHELLCHECK_RUNS=1 \
    bash "$here/validate_bench.sh" "$flowrun"
fi
for files in "${git_files[@]}"; do
  run_bench "git commit step, $files files" env BUILD_DIR="$build_dir" FILES="$files" bash "$here/git_bench.sh" "$git_runs"
done

# Growth for 10x the work, from figures measured above.
growth_line() {  # NAME SMALL BIG
  awk -v name="$1" -v a="$2" -v b="$3" 'BEGIN {
      if (a <= 0 || b == "") { printf "RESULT\t%s\t-\t-\t-\t~10x, flag > 20x\tnot measured\n", name; exit }
      g = b / a
      printf "RESULT\t%s\t%.2fx\t-\t-\t~10x, flag > 20x\t%s\n", name, g, (g > 20) ? "FLAG (over 20x)" : "ok (<= 20x)" }'
}
validate_ms() { awk -F'\t' -v f="$1" '$1 == "RESULT" && $2 == "validate: " f " files, --no-shellcheck" { sub(/ ms/, "", $3); print $3 }' "$results"; }
growth_line "growth: validate 100 -> 1000 files" "$(validate_ms 100)" "$(validate_ms 1000)" | tee -a "$results"
if ((${#git_files[@]} == 2)); then
  read -r git_small git_big < <(awk -F'\t' '$1 == "GIT_BENCH_MEDIANS" { printf "%s ", $2 } END { print "" }' "$results")
  growth_line "growth: git commit step 10k -> 100k files" "$git_small" "$git_big" | tee -a "$results"
fi

section "summary ($(($(date +%s) - started)) s, load average now $(cut -d' ' -f1-3 /proc/loadavg))"
{
  printf 'benchmark\tfigure\tbaseline (same run)\tratio\tgoal\tverdict\n'
  awk -F'\t' '$1 == "RESULT" { print $2 "\t" $3 "\t" $4 "\t" $5 "\t" $6 "\t" $7 }' "$results"
} | column -t -s $'\t'
