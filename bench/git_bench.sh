#!/usr/bin/env bash
# Times flowrun's commit step (libgit2: status, stage only the changed paths, commit) against the shell tail of the
# example flows (git diff --quiet; git diff --cached --quiet; git ls-files --others; git add .; git commit) on
# identical copies of a 100,000-file repository with 100 modified and 100 new files. Prints both medians and the
# ratio (goal: <= 0.5). Also times `git status --porcelain` alone on the same repository in the same run, the limit
# for any change detection (one scan of the work tree), and prints flowrun's whole git phase (detect, stage,
# commit, in its isolated child) against it (goal: <= 2x). It measures and prints; it does not fail on a slow result.
#
# Usage: bench/git_bench.sh [runs]      (default 5)
# Environment: BUILD_DIR (default <repo>/build-bench; an already configured one keeps its build type), FILES (default
# 100000), KEEP=1 keeps the scratch folder. Prints a RESULT line for bench/run_all.sh.
set -euo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$source_dir/build-bench}
runs=${1:-5}
files=${FILES:-100000}
changed=100

scratch=$(mktemp -d "${TMPDIR:-/tmp}/flowrun-git-bench-XXXXXX")
if [[ ${KEEP:-0} != 1 ]]; then trap 'rm -rf "$scratch"' EXIT; fi

export HOME=$scratch/home GIT_CONFIG_NOSYSTEM=1 LC_ALL=C
mkdir -p "$HOME"
git config --global user.name bench
git config --global user.email bench@example.com
git config --global init.defaultBranch main
# No background "gc --auto" racing the copies or the timings.
git config --global gc.auto 0
git config --global maintenance.auto false

echo "== building flowrun_git_bench in $build_dir"
bench_program=$build_dir/flowrun_git_bench
if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFLOWRUN_BUILD_TESTS=OFF >/dev/null
fi
if cmake --build "$build_dir" -j2 --target flowrun_git_bench >/dev/null 2>&1; then
  bench_program=$(find "$build_dir" -name flowrun_git_bench -type f -perm -u+x | head -n 1)
else
  # bench/ is not (yet) part of the top-level build: link the program against the module's libraries directly.
  cmake --build "$build_dir" -j2 --target flowrun_git >/dev/null
  read -ra libgit2_libs <<<"$(pkg-config --libs libgit2)"
  g++ -std=c++20 -O2 -I"$source_dir/src" -I"$build_dir/generated" "$source_dir/bench/git/git_bench.cpp" \
    "$(find "$build_dir" -name libflowrun_git.a | head -n 1)" "$(find "$build_dir" -name libflowrun_core.a | head -n 1)" \
    "${libgit2_libs[@]}" -o "$bench_program"
fi

echo "== generating a $files-file repository"
template=$scratch/template
mkdir -p "$template"
python3 - "$template" "$files" <<'PY'
import os, sys
root, count = sys.argv[1], int(sys.argv[2])
per_dir = 100
for i in range(count):
    folder = os.path.join(root, "src", f"d{i // per_dir:04d}")
    if i % per_dir == 0:
        os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"f{i % per_dir:03d}.txt"), "w") as f:
        f.write(f"file {i}\nline two\nline three\n")
PY
# Packed, as a fresh clone is.
(cd "$template" && git init -q && git add -A && git commit -q -m initial && git gc -q)

# Two identical copies of the repository with the same 200 changes. Each run first puts both back to the same
# state (the index at the base commit, the changes uncommitted, stat data fresh), which is much cheaper than copying
# 100,000 files again.
base=$(git -C "$template" rev-parse HEAD)
cp -a "$template" "$scratch/b"
mv "$template" "$scratch/a"
for copy in a b; do
  for ((i = 0; i < changed; i++)); do
    printf 'modified\n' >>"$scratch/$copy/src/d$(printf %04d $((i * 7 % (files / 100))))/f$(printf %03d $((i % 100))).txt"
    mkdir -p "$scratch/$copy/new/n$((i % 10))"
    printf 'new file %d\n' "$i" >"$scratch/$copy/new/n$((i % 10))/file$i.txt"
  done
done

reset_copy() {
  git -C "$1" reset -q "$base"
  git -C "$1" update-index -q --refresh >/dev/null || true
}

# Runs "$@" and prints "<wall ms> <cpu ms>" (cpu: user + system of the command and its children). On a shared
# machine the CPU time is the steadier number; both are reported.
timed() {
  local TIMEFORMAT='%R %U %S' times
  times=$({ time "$@" >/dev/null 2>&1; } 2>&1)
  awk -v t="$times" 'BEGIN { split(t, v, " "); printf "%d %d\n", v[1] * 1000, (v[2] + v[3]) * 1000 }'
}

shell_tail() {
  cd "$1" || return 1
  if ! git diff --quiet || ! git diff --cached --quiet || [ -n "$(git ls-files --others --exclude-standard)" ]; then
    git add .
    git commit -q --message "bench commit"
  fi
}

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }

flowrun_wall=() flowrun_cpu=() shell_wall=() shell_cpu=() status_wall=() status_cpu=()
for ((run = 1; run <= runs; run++)); do
  reset_copy "$scratch/a"
  reset_copy "$scratch/b"
  read -r wall cpu < <(timed git -C "$scratch/b" status --porcelain)
  status_wall+=("$wall") status_cpu+=("$cpu")
  read -r wall cpu < <(timed "$bench_program" "$scratch/a")
  flowrun_wall+=("$wall") flowrun_cpu+=("$cpu")
  read -r wall cpu < <(timed shell_tail "$scratch/b")
  shell_wall+=("$wall") shell_cpu+=("$cpu")
  # Same result in both copies: the same tree.
  if [[ $(git -C "$scratch/a" rev-parse 'HEAD^{tree}') != $(git -C "$scratch/b" rev-parse 'HEAD^{tree}') ]]; then
    echo "warning: run $run committed different trees" >&2
  fi
  echo "run $run: flowrun ${flowrun_wall[-1]} ms (cpu ${flowrun_cpu[-1]} ms), shell tail ${shell_wall[-1]} ms (cpu ${shell_cpu[-1]} ms), git status ${status_wall[-1]} ms (cpu ${status_cpu[-1]} ms)"
done

fw=$(median "${flowrun_wall[@]}") fc=$(median "${flowrun_cpu[@]}")
sw=$(median "${shell_wall[@]}") sc=$(median "${shell_cpu[@]}")
gw=$(median "${status_wall[@]}") gc=$(median "${status_cpu[@]}")
echo "git commit step, $files files, $changed modified + $changed new, $runs runs, medians:"
echo "  flowrun (libgit2 status + stage changed paths + commit): $fw ms wall, $fc ms cpu"
echo "  example shell tail (git diff, ls-files, add ., commit):  $sw ms wall, $sc ms cpu"
echo "  ratio: $(ratio "$fw" "$sw")x wall, $(ratio "$fc" "$sc")x cpu (goal <= 0.5x)"
echo "  git status --porcelain alone:                          $gw ms wall, $gc ms cpu"
echo "  whole git phase against git status: $(ratio "$fw" "$gw")x wall, $(ratio "$fc" "$gc")x cpu (goal <= 2x)"
echo "  load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
r=$(ratio "$fw" "$sw")
printf 'RESULT\t%s\t%s\t%s\t%s\t%s\t%s\n' "git: commit step, $files files" "$fw ms (cpu $fc ms)" \
  "shell $sw ms (cpu $sc ms)" "${r}x (cpu $(ratio "$fc" "$sc")x)" "<= 0.5x" \
  "$(awk -v a="$r" 'BEGIN { print (a <= 0.5) ? "PASS" : "MISS" }')"
g=$(ratio "$fw" "$gw")
printf 'RESULT\t%s\t%s\t%s\t%s\t%s\t%s\n' "git: whole git phase vs git status, $files files" "$fw ms (cpu $fc ms)" \
  "git status $gw ms (cpu $gc ms)" "${g}x (cpu $(ratio "$fc" "$gc")x)" "<= 2x" \
  "$(awk -v a="$g" 'BEGIN { print (a <= 2) ? "PASS" : "MISS" }')"
printf 'GIT_BENCH_MEDIANS\t%s\t%s\n' "$fw" "$sw"
