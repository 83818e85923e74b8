#!/usr/bin/env bash
# Job start to the agent's first command: with the agent's CLI preinstalled in the image (docker/Dockerfile
# --build-arg AGENT=...) against installing it in the job with the catalog flow's own `npm install` line. The install
# reads npm's cache only (--offline, the cache filled once before timing), so the figure is the install's own work,
# not the network's. The "first command" is `AGENT --version`.
#
# Usage: bash bench/agent_install_bench.sh [AGENT] [RUNS]     AGENT default codex (its CLI runs on any Node), RUNS 5
# Prints each median, the ratio to the baseline (preinstalled, measured here) and RESULT lines for bench/run_all.sh.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
agent=${1:-codex}
runs=${2:-5}
install=$(bash "$here/../docker/install-agent.sh" --print "$here/../flows" "$agent")
command -v npm >/dev/null || { echo "agent_install_bench: npm is missing" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export npm_config_cache="$work/cache" npm_config_update_notifier=false
# The install line, into a prefix of its own: `npm install --global` writes to npm_config_prefix.
install_into() { npm_config_prefix=$1 $install "${@:2}" >/dev/null 2>&1; }

echo "agent_install_bench: $install ($runs runs, npm $(npm --version), node $(node --version))"
echo "filling npm's cache (network, not timed)"
install_into "$work/image" || { echo "agent_install_bench: the install failed; is the npm registry reachable?" >&2; exit 1; }
"$work/image/bin/$agent" --version >/dev/null || { echo "agent_install_bench: $agent --version failed" >&2; exit 1; }

now_ns() { date +%s%N; }
preinstalled=() rerun=() in_job=()
for ((i = 0; i < runs; i++)); do
  # Preinstalled: the image has it; the job's first command is the agent's.
  t0=$(now_ns)
  PATH="$work/image/bin:$PATH" "$agent" --version >/dev/null
  preinstalled+=($(($(now_ns) - t0)))
  # Preinstalled, and the flow still runs its install line (npm finds it up to date), then the agent.
  t0=$(now_ns)
  install_into "$work/image" --offline
  PATH="$work/image/bin:$PATH" "$agent" --version >/dev/null
  rerun+=($(($(now_ns) - t0)))
  # Installed in the job: a fresh prefix, as in the stock node image.
  rm -rf "$work/job"
  t0=$(now_ns)
  install_into "$work/job" --offline
  PATH="$work/job/bin:$PATH" "$agent" --version >/dev/null
  in_job+=($(($(now_ns) - t0)))
done
base=$(median "${preinstalled[@]}")
again=$(median "${rerun[@]}")
fresh=$(median "${in_job[@]}")
printf '%-58s %10s ms\n' "preinstalled (baseline)" "$(ns_to_ms "$base")"
printf '%-58s %10s ms  %sx\n' "preinstalled, the flow's install line still run" "$(ns_to_ms "$again")" "$(ratio "$again" "$base")"
printf '%-58s %10s ms  %sx\n' "installed in the job (npm cache only)" "$(ns_to_ms "$fresh")" "$(ratio "$fresh" "$base")"
result "agent start, $agent preinstalled" "$(ns_to_ms "$base") ms" "-" "1.00x" "-" "baseline"
result "agent start, $agent installed in the job" "$(ns_to_ms "$fresh") ms" "$(ns_to_ms "$base") ms" "$(ratio "$fresh" "$base")x" "-" "measured"
