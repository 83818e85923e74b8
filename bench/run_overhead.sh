#!/usr/bin/env bash
# Executor overhead: `flowrun run` of a flow of trivial commands (`true`, `x=$((x+1))`) in a fresh git work tree
# (--no-push --no-report, no CI_WORKLOAD_REF, so the git phase only finds nothing to commit) against `bash` running
# the same commands in the script GitLab Runner 19 writes (prelude, one `eval` in a subshell, `$ command` echo lines),
# fed on stdin as the Docker executor does. Both write to /dev/null. The two are interleaved run by run (alternating
# which goes first) and the medians compared. Figures: the cost of one more command, (t200 - t20) / 180, for both
# (goal: flowrun's per-command overhead <= 3x bash's own per-command cost), 200 commands, 1 command (the fixed
# cost), and the growth from 20 to 200.
# Usage: bench/run_overhead.sh FLOWRUN_BINARY TIMER_BINARY   Environment: RUNS (default 15).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
flowrun=$(realpath "${1:?usage: run_overhead.sh FLOWRUN_BINARY TIMER_BINARY}")
FLOWRUN_BENCH_TIMER=$(realpath "${2:?usage: run_overhead.sh FLOWRUN_BINARY TIMER_BINARY}")
export FLOWRUN_BENCH_TIMER
runs=${RUNS:-15}
sizes=(1 20 200)

scratch=$(mktemp -d "${TMPDIR:-/tmp}/flowrun-overhead-bench-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
bench_environment "$scratch"
project=$scratch/project
bench_project "$project"

# The commands: alternately a no-op and an assignment, as cheap as a command can be, so what is measured is the
# executor, not the commands.
command_at() { if (($1 % 2)); then echo 'x=$((x+1))'; else echo 'true'; fi; }
for n in "${sizes[@]}"; do
  {
    echo "image: alpine:3.20"
    echo "commands:"
    for ((i = 0; i < n; i++)); do echo "  - '$(command_at "$i")'"; done
  } | commit_flow "$project" "bench$n"
  # What GitLab Runner 19 gives bash for the same commands: the body, then the script that evals it.
  {
    for ((i = 0; i < n; i++)); do
      printf "echo \$'\\e[32;1m\$ %s\\e[0;m'\n%s\n" "$(command_at "$i")" "$(command_at "$i")"
    done
  } >"$scratch/body$n.sh"
  {
    printf "trap 'exit 1' TERM\nset -o pipefail\nset -o errexit\nset +o noclobber\n"
    printf "(trap 'exit 1' TERM; eval %s) < /dev/null\nexit 0\n" "$(printf '%q' "$(cat "$scratch/body$n.sh")")"
  } >"$scratch/bash$n.sh"
done

# One run of each first, checked, so a broken setup does not produce figures.
if ! (cd "$project" && "$flowrun" run bench200 --no-push --no-report </dev/null >"$scratch/check.out" 2>&1); then
  echo "run_overhead: flowrun run bench200 failed:" >&2
  tail -n 20 "$scratch/check.out" >&2
  exit 2
fi
bash <"$scratch/bash200.sh" >"$scratch/check-bash.out"
if [[ $(grep -c '^.*\$ true' "$scratch/check-bash.out") -ne 100 ]]; then
  echo "run_overhead: the bash baseline did not echo its 200 commands" >&2
  exit 2
fi

declare -A flowrun_ns bash_ns flowrun_cpu bash_cpu
for n in "${sizes[@]}"; do flowrun_ns[$n]="" bash_ns[$n]="" flowrun_cpu[$n]="" bash_cpu[$n]=""; done
run_flowrun() { local t; (cd "$project" && timed t "$flowrun" run "bench$1" --no-push --no-report </dev/null >/dev/null 2>&1 && echo "$t"); }
run_bash() { local t; timed t bash <"$scratch/bash$1.sh" >/dev/null 2>&1; echo "$t"; }
for ((run = 0; run < runs; run++)); do
  for n in "${sizes[@]}"; do
    if ((run % 2)); then
      read -r fw fu fs _ _ < <(run_flowrun "$n"); read -r bw bu bs _ _ < <(run_bash "$n")
    else
      read -r bw bu bs _ _ < <(run_bash "$n"); read -r fw fu fs _ _ < <(run_flowrun "$n")
    fi
    flowrun_ns[$n]+=" $fw" bash_ns[$n]+=" $bw"
    flowrun_cpu[$n]+=" $((fu + fs))" bash_cpu[$n]+=" $((bu + bs))"
  done
done

declare -A fm bm fc bc
for n in "${sizes[@]}"; do
  # shellcheck disable=SC2086  # the lists are space-separated numbers
  fm[$n]=$(median ${flowrun_ns[$n]}); bm[$n]=$(median ${bash_ns[$n]})
  # shellcheck disable=SC2086
  fc[$n]=$(median ${flowrun_cpu[$n]}); bc[$n]=$(median ${bash_cpu[$n]})
done

echo "executor overhead: medians of $runs interleaved runs, wall time (CPU time = user + system, children included)"
printf '  %-14s %12s %12s %8s %14s %14s\n' commands "flowrun ms" "bash ms" ratio "flowrun cpu ms" "bash cpu ms"
for n in "${sizes[@]}"; do
  printf '  %-14s %12s %12s %7sx %14s %14s\n' "$n" "$(ns_to_ms "${fm[$n]}")" "$(ns_to_ms "${bm[$n]}")" \
    "$(ratio "${fm[$n]}" "${bm[$n]}")" "$(awk -v u="${fc[$n]}" 'BEGIN { printf "%.1f", u / 1000 }')" \
    "$(awk -v u="${bc[$n]}" 'BEGIN { printf "%.1f", u / 1000 }')"
done
flowrun_per=$(awk -v a="${fm[200]}" -v b="${fm[20]}" 'BEGIN { printf "%.1f", (a - b) / 180 / 1000 }')
bash_per=$(awk -v a="${bm[200]}" -v b="${bm[20]}" 'BEGIN { printf "%.1f", (a - b) / 180 / 1000 }')
fixed=$(awk -v a="${fm[1]}" -v b="${bm[1]}" 'BEGIN { printf "%.1f", (a - b) / 1e6 }')
echo "  one more command: flowrun $flowrun_per us, bash $bash_per us ($(ratio "$flowrun_per" "$bash_per")x)"
echo "  fixed cost of flowrun over bash (1-command flow): $fixed ms"
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"

per_ratio=$(ratio "$flowrun_per" "$bash_per")
result "executor: one more command" "$flowrun_per us" "bash $bash_per us" "${per_ratio}x" "<= 3x" \
  "$(at_most "$per_ratio" 3)"
result "executor: 200-command flow" "$(ns_to_ms "${fm[200]}") ms" "bash $(ns_to_ms "${bm[200]}") ms" \
  "$(ratio "${fm[200]}" "${bm[200]}")x" "(reported)" "-"
result "executor: 1-command flow (fixed cost)" "$(ns_to_ms "${fm[1]}") ms" "bash $(ns_to_ms "${bm[1]}") ms" \
  "$(ratio "${fm[1]}" "${bm[1]}")x" "(reported)" "+$fixed ms"
growth=$(ratio "${fm[200]}" "${fm[20]}")
result "growth: executor 20 -> 200 commands" "${growth}x" "bash $(ratio "${bm[200]}" "${bm[20]}")x" "-" "~10x, flag > 20x" \
  "$(growth_verdict "$growth")"
