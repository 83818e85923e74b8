#!/usr/bin/env bash
# Push: 1,000 changed files (of a 1,000-file project) pushed to a local git smart-HTTP server (the fake GitLab of the
# tests, tests/support/fake_gitlab) by flowrun's git phase (libgit2: status, stage, commit, push with the token in
# an Authorization header) against the shell tail of the example flows (git add -A; git commit; git push). Each run
# changes every file with new content (so every blob is new to the server) and pushes a new branch.
# flowrun's figure is its git phase: the run's wall time minus its command's duration from .flowrun/report.json
# (so flowrun's start-up and preflight count against it). The clone is full: with a shallow clone libgit2 before
# 1.7 cannot push and flowrun uses the git command line instead.
# Usage: bench/push_bench.sh FLOWRUN_BINARY TIMER_BINARY   Environment: RUNS (default 5), PUSH_FILES (default 1000).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
flowrun=$(realpath "${1:?usage: push_bench.sh FLOWRUN_BINARY TIMER_BINARY}")
FLOWRUN_BENCH_TIMER=$(realpath "${2:?usage: push_bench.sh FLOWRUN_BINARY TIMER_BINARY}")
export FLOWRUN_BENCH_TIMER
runs=${RUNS:-5}
files=${PUSH_FILES:-1000}
server_script=$here/../tests/support/fake_gitlab/fake_gitlab.py
python=$(command -v /usr/bin/python3 || command -v python3)

scratch=$(mktemp -d "${TMPDIR:-/tmp}/flowrun-push-bench-XXXXXX")
server_pid=""
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT
bench_environment "$scratch"

mkfifo "$scratch/server.out"
"$python" "$server_script" --data-dir "$scratch/server" --no-stdin-watch >"$scratch/server.out" 2>"$scratch/server.err" \
  </dev/null &
server_pid=$!
exec 3<"$scratch/server.out"
if ! read -r -t 20 -u 3 ready port || [[ $ready != READY ]]; then
  echo "push_bench: the fake GitLab did not start:" >&2
  cat "$scratch/server.err" >&2
  exit 2
fi
base_url=http://127.0.0.1:$port
token=glpat-benchPushToken0123456789
admin() { curl -fsS -X POST -H 'Content-Type: application/json' --data "$2" "$base_url/__admin/$1" >/dev/null; }
admin projects '{"id": 1, "path": "bench/flowrun", "default_branch": "main", "validate_branches": false}'
admin projects '{"id": 2, "path": "bench/shell", "default_branch": "main", "validate_branches": false}'
admin tokens "{\"token\": \"$token\", \"kind\": \"pat\", \"username\": \"bench-bot\"}"
auth_header="Authorization: Basic $(printf 'bench-bot:%s' "$token" | base64 -w0)"
git_auth() { git -c "http.extraHeader=$auth_header" "$@"; }

# The project: $files small files and the flow, pushed to both server projects, then cloned as the job's checkout.
seed=$scratch/seed
bench_project "$seed"
git -C "$seed" checkout -q main
for ((i = 0; i < files; i++)); do
  mkdir -p "$seed/src/d$((i / 100))"
  printf 'file %d\nline two\nline three\n' "$i" >"$seed/src/d$((i / 100))/f$i.txt"
done
cat <<'YAML' | commit_flow "$seed" push
image: alpine:3.20
commands:
  - 'for f in src/*/*.txt; do printf "changed in run %s\n" "$BENCH_RUN" >>"$f"; done'
YAML
for project in flowrun shell; do
  git_auth -C "$seed" push -q "$base_url/bench/$project.git" main
  git_auth clone -q "$base_url/bench/$project.git" "$scratch/$project"
  git -C "$scratch/$project" checkout -q --detach
done
base=$(git -C "$seed" rev-parse HEAD)

reset_checkout() {
  git -C "$1" checkout -q --detach -f "$base"
  git -C "$1" clean -qfdx
}
run_flowrun() {  # RUN -> "<wall ns> <git phase ns>"
  local t command_seconds
  reset_checkout "$scratch/flowrun"
  (
    cd "$scratch/flowrun"
    export BENCH_RUN=$1 FLOWRUN_GIT_TOKEN=$token CI_WORKLOAD_REF=refs/workloads/bench$1
    timed t "$flowrun" run push --remote "$base_url/bench/flowrun.git" --no-report </dev/null >"$scratch/flowrun.out" 2>&1
    if [[ ${t##* } != 0 ]]; then
      echo "push_bench: flowrun run failed:" >&2
      tail -n 20 "$scratch/flowrun.out" >&2
      exit 2
    fi
    command_seconds=$("$python" -c 'import json, sys; print(sum(c["duration_seconds"] for c in json.load(open(sys.argv[1]))["commands"]))' .flowrun/report.json)
    read -r wall _ <<<"$t"
    echo "$wall $(awk -v w="$wall" -v c="$command_seconds" 'BEGIN { printf "%.0f", w - c * 1e9 }')"
  )
}
run_shell() {  # RUN -> "<git ns>"
  local t
  reset_checkout "$scratch/shell"
  (
    cd "$scratch/shell"
    for f in src/*/*.txt; do printf 'changed in run %s\n' "$1" >>"$f"; done
    timed t bash -c 'git add -A && git commit -q -m "Changes of the agent" &&
      git -c "http.extraHeader=$0" push -q "$1" HEAD:refs/heads/workloads/bench$2' \
      "$auth_header" "$base_url/bench/shell.git" "$1" </dev/null >"$scratch/shell.out" 2>&1
    if [[ ${t##* } != 0 ]]; then
      echo "push_bench: the shell tail failed:" >&2
      tail -n 20 "$scratch/shell.out" >&2
      exit 2
    fi
    echo "${t%% *}"
  )
}

flowrun_wall=() flowrun_git=() shell_git=()
for ((run = 1; run <= runs; run++)); do
  if ((run % 2)); then
    read -r fw fg < <(run_flowrun "$run"); read -r sg < <(run_shell "$run")
  else
    read -r sg < <(run_shell "$run"); read -r fw fg < <(run_flowrun "$run")
  fi
  flowrun_wall+=("$fw") flowrun_git+=("$fg") shell_git+=("$sg")
done

# The pushed branches hold the same tree: every file changed, nothing else.
for project in flowrun shell; do
  changed=$(git --git-dir "$scratch/server/repos/bench/$project.git" diff --name-only "$base" "workloads/bench$runs" | wc -l)
  if [[ $changed -ne $files ]]; then
    echo "push_bench: workloads/bench$runs of bench/$project changes $changed files, not $files" >&2
    exit 2
  fi
done

fw=$(median "${flowrun_wall[@]}") fg=$(median "${flowrun_git[@]}") sg=$(median "${shell_git[@]}")
echo "push: $files changed files to a local smart-HTTP server, medians of $runs interleaved runs"
echo "  flowrun run (one command changing the files, then its git phase): $(ns_to_ms "$fw") ms"
echo "  flowrun git phase (run minus the command's duration):            $(ns_to_ms "$fg") ms"
echo "  git add -A; git commit; git push:                                 $(ns_to_ms "$sg") ms"
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
r=$(ratio "$fg" "$sg")
result "git: push of $files changed files" "$(ns_to_ms "$fg") ms" "git $(ns_to_ms "$sg") ms" "${r}x" "(reported, <= 1x hoped)" \
  "$(at_most "$r" 1)"
