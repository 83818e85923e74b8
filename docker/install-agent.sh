#!/usr/bin/env bash
# Installs an agent's CLI into an image, at the version its catalog flow pins: the flow's own `npm install` line,
# read from flows/AGENT.yaml (the one place the versions live), run once at build time instead of in every job.
#
# Usage: bash docker/install-agent.sh [--print] FLOWS_DIR AGENT    AGENT empty: nothing to install (the plain image)
#        --print: only print the install command (bench/agent_install_bench.sh times it)
set -euo pipefail
print_only=0
if [ "${1:-}" = --print ]; then print_only=1; shift; fi
[ $# -eq 2 ] || { echo "usage: bash docker/install-agent.sh [--print] FLOWS_DIR AGENT" >&2; exit 2; }
flows=$1 agent=$2
[ -n "$agent" ] || exit 0
flow="$flows/$agent.yaml"
[ -f "$flow" ] || { echo "install-agent: no catalog flow $flow (AGENT is a file name in flows/, e.g. claude)" >&2; exit 2; }
install=$(sed -n 's/^  - \(npm install --global .*@[0-9][0-9A-Za-z.+-]*\)$/\1/p' "$flow")
[ -n "$install" ] || { echo "install-agent: $flow installs no pinned npm package; its CLI must come another way" >&2; exit 2; }
if [ "$print_only" = 1 ]; then echo "$install"; exit 0; fi
echo "install-agent: $install"
# shellcheck disable=SC2086 # the flow's command line, word for word
$install
npm cache clean --force 2>/dev/null
