#!/usr/bin/env bash
# Start-up cost: `flowrun --version` (load the program and its libraries, print, exit) against `bash -c true` (the
# cheapest thing a job's shell does), interleaved run by run and the medians compared. Goal: flowrun <= 2x bash.
# The dynamic loader's own figures (LD_DEBUG=statistics: libraries, relocations, cycles) are printed alongside, since
# loading flowrun's libraries is most of what is measured.
# Usage: bench/startup_bench.sh FLOWRUN_BINARY TIMER_BINARY   Environment: RUNS (default 200).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
flowrun=$(realpath "${1:?usage: startup_bench.sh FLOWRUN_BINARY TIMER_BINARY}")
FLOWRUN_BENCH_TIMER=$(realpath "${2:?usage: startup_bench.sh FLOWRUN_BINARY TIMER_BINARY}")
export FLOWRUN_BENCH_TIMER
runs=${RUNS:-200}
bash_path=$(command -v bash)

"$flowrun" --version >/dev/null || { echo "startup_bench: $flowrun --version failed" >&2; exit 2; }

flowrun_ns="" bash_ns=""
for ((run = 0; run < runs; run++)); do
  if ((run % 2)); then
    timed f "$flowrun" --version </dev/null >/dev/null 2>&1; timed b "$bash_path" -c true </dev/null >/dev/null 2>&1
  else
    timed b "$bash_path" -c true </dev/null >/dev/null 2>&1; timed f "$flowrun" --version </dev/null >/dev/null 2>&1
  fi
  flowrun_ns+=" ${f%% *}" bash_ns+=" ${b%% *}"
done
# shellcheck disable=SC2086  # the lists are space-separated numbers
fm=$(median $flowrun_ns); bm=$(median $bash_ns)
libraries=$(ldd "$flowrun" | grep -c '=>' || true)
loader=$(LD_DEBUG=statistics "$flowrun" --version 2>&1 >/dev/null | awk -F: '/total startup time in dynamic loader/ { gsub(/[^0-9]/, "", $3); print $3; exit }')
bash_loader=$(LD_DEBUG=statistics "$bash_path" -c true 2>&1 | awk -F: '/total startup time in dynamic loader/ { gsub(/[^0-9]/, "", $3); print $3; exit }')
echo "start-up: medians of $runs interleaved runs"
echo "  flowrun --version  $(ns_to_ms "$fm") ms   ($libraries shared libraries; dynamic loader ${loader:-?} cycles)"
echo "  bash -c true       $(ns_to_ms "$bm") ms   (dynamic loader ${bash_loader:-?} cycles)"
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
r=$(ratio "$fm" "$bm")
result "start-up: flowrun --version" "$(ns_to_ms "$fm") ms" "bash -c true $(ns_to_ms "$bm") ms" "${r}x" "<= 2x" \
  "$(at_most "$r" 2)"
