# shellcheck shell=bash
# Shared helpers of the shell benchmarks (sourced, not run). They need FLOWRUN_BENCH_TIMER: the path of
# flowrun_bench_timer (bench/timer.cpp), which writes "<wall ns> <user us> <system us> <peak RSS KiB> <exit>".

# timed RESULT_VAR PROGRAM [ARGS...]: runs the program (stdin, stdout, stderr as the caller redirected them) and sets
# RESULT_VAR to "<wall ns> <user us> <system us> <peak RSS KiB> <exit>".
timed() {
  local -n timed_result=$1
  shift
  local file
  file=$(mktemp "${TMPDIR:-/tmp}/flowrun-bench-time-XXXXXX")
  "$FLOWRUN_BENCH_TIMER" "$file" "$@" || true
  # shellcheck disable=SC2034  # a name reference: this sets the caller's variable
  timed_result=$(cat "$file")
  rm -f "$file"
}

# median VALUES...: the median (the mean of the middle two for an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ratio A B: A / B with 2 decimals (0 when B is 0).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }

# ns_to_ms NS: milliseconds with 1 decimal.
ns_to_ms() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1e6 }'; }

# at_most A LIMIT / at_least A LIMIT: PASS or MISS.
at_most() { awk -v a="$1" -v l="$2" 'BEGIN { print (a <= l) ? "PASS" : "MISS" }'; }
at_least() { awk -v a="$1" -v l="$2" 'BEGIN { print (a >= l) ? "PASS" : "MISS" }'; }

# growth_verdict FACTOR: how a figure grew for 10x the work: ~10x is linear, over 20x is flagged.
growth_verdict() { awk -v g="$1" 'BEGIN { print (g > 20) ? "FLAG (over 20x for 10x the work)" : "ok (<= 20x)" }'; }

# result NAME FIGURE BASELINE RATIO GOAL VERDICT: one line that bench/run_all.sh collects into its summary.
result() {
  printf 'RESULT\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@"
}

# bench_environment DIR: a private HOME with a git identity and no system git configuration, for reproducible runs.
bench_environment() {
  export HOME=$1/home GIT_CONFIG_NOSYSTEM=1 LC_ALL=C.UTF-8 GIT_TERMINAL_PROMPT=0
  mkdir -p "$HOME"
  git config --global user.name "Bench User"
  git config --global user.email bench@example.com
  git config --global init.defaultBranch main
  git config --global gc.auto 0
  git config --global maintenance.auto false
  # The job's variables of a real run would point flowrun at GitLab; the benchmarks run without them.
  unset CI_WORKLOAD_REF CI_SERVER_URL CI_API_V4_URL CI_PROJECT_PATH CI_PROJECT_DIR CI_PROJECT_ID CI_JOB_TOKEN \
    GITLAB_TOKEN CI_JOB_TIMEOUT FLOWRUN_TIMEOUT AI_FLOW_CONTEXT AI_FLOW_INPUT AI_FLOW_EVENT
}

# bench_project DIR: a git work tree with one commit on a detached HEAD, as a CI job checks it out.
bench_project() {
  mkdir -p "$1"
  git -C "$1" init -q
  printf '# Bench project\n' >"$1/README.md"
  git -C "$1" add -A
  git -C "$1" commit -q -m "Initial commit"
  git -C "$1" checkout -q --detach
}

# commit_flow PROJECT NAME < YAML: adds .gitlab/duo/flows/NAME.yaml and commits it (a flow is part of the project).
commit_flow() {
  mkdir -p "$1/.gitlab/duo/flows"
  cat >"$1/.gitlab/duo/flows/$2.yaml"
  git -C "$1" add -A
  git -C "$1" commit -q -m "Add flow $2"
}
