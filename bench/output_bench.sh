#!/usr/bin/env bash
# Output: a flow whose one command writes SIZE of job-log-like text (a 1 MiB block, with a secret in about one line
# in 200, repeated by one `cat`), with 50 secrets listed under `variables:` and set in the environment, through
# `flowrun run` (masking, stdout to /dev/null, the log to .flowrun/flowrun.log) against the same command run by bash
# into `cat` writing a file in the same folder (the same bytes, through a pipe, to the same disk, unmasked). Runs
# interleaved; medians. Figures: throughput (goal: flowrun >= 0.5x the baseline), peak RSS of flowrun and what it
# waited for (goal <= 32 MiB), and the growth from SIZE/10 to SIZE (~10x expected, > 20x flagged). Checks that the
# log holds [MASKED] and no secret.
# Usage: bench/output_bench.sh FLOWRUN_BINARY TIMER_BINARY
# Environment: OUTPUT_MIB (default 1024; 64 with FLOWRUN_BENCH_QUICK=1), RUNS (default 3).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
flowrun=$(realpath "${1:?usage: output_bench.sh FLOWRUN_BINARY TIMER_BINARY}")
FLOWRUN_BENCH_TIMER=$(realpath "${2:?usage: output_bench.sh FLOWRUN_BINARY TIMER_BINARY}")
export FLOWRUN_BENCH_TIMER
if [[ ${FLOWRUN_BENCH_QUICK:-0} == 1 ]]; then default_mib=64; else default_mib=1024; fi
big_mib=${OUTPUT_MIB:-$default_mib}
small_mib=$(((big_mib + 5) / 10))
runs=${RUNS:-3}
secrets=50

scratch=$(mktemp -d "${TMPDIR:-/tmp}/flowrun-output-bench-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
bench_environment "$scratch"
project=$scratch/project
bench_project "$project"

# 50 secrets of 32 characters, as tokens are; the flow lists them, so flowrun masks them.
for ((i = 1; i <= secrets; i++)); do
  name=$(printf 'BENCH_SECRET_%02d' "$i")
  value=$(head -c 24 /dev/urandom | base64 | tr '+/' 'xy')
  export "$name=$value"
  echo "$value" >>"$scratch/secret-values"
done

# The block: 1 MiB of lines like a build's log; every 200th line prints one of the secrets.
python3 - "$scratch/block" "$scratch/secret-values" <<'PY'
import sys
path, values = sys.argv[1], open(sys.argv[2]).read().split()
out, i = [], 0
size = 0
while size < 1 << 20:
    if i % 200 == 0:
        line = f"[{i:07d}] export API_TOKEN={values[(i // 200) % len(values)]} # configured\n"
    else:
        line = f"[{i:07d}] compiling src/module_{i % 97}/file_{i % 1013}.cpp -O2 -Wall -o build/obj_{i}.o\n"
    out.append(line)
    size += len(line)
    i += 1
data = "".join(out).encode()[: 1 << 20]
data = data[: data.rfind(b"\n") + 1]
data += b"#" * ((1 << 20) - len(data) - 1) + b"\n"
open(path, "wb").write(data)
PY

generator() { printf 'cat'; for ((b = 0; b < $1; b++)); do printf ' %s' "$scratch/block"; done; }
for mib in "$small_mib" "$big_mib"; do
  {
    echo "image: alpine:3.20"
    echo "commands:"
    echo "  - '$(generator "$mib")'"
    echo "variables:"
    for ((i = 1; i <= secrets; i++)); do printf '  - BENCH_SECRET_%02d\n' "$i"; done
  } | commit_flow "$project" "output$mib"
  generator "$mib" >"$scratch/generator$mib.sh"
done

run_flowrun() {
  local t
  (cd "$project" && timed t "$flowrun" run "output$1" --no-push --no-report </dev/null >/dev/null 2>&1 && echo "$t")
}
run_baseline() {
  local t
  timed t bash -c "bash '$scratch/generator$1.sh' | cat >'$scratch/baseline.log'" </dev/null
  rm -f "$scratch/baseline.log"
  echo "$t"
}

# Checked once on the small size: the run succeeds, the log has all the bytes, masked.
if ! (cd "$project" && "$flowrun" run "output$small_mib" --no-push --no-report </dev/null >/dev/null 2>"$scratch/check.err"); then
  echo "output_bench: flowrun run output$small_mib failed:" >&2
  tail -n 20 "$scratch/check.err" >&2
  exit 2
fi
log=$project/.flowrun/flowrun.log
if grep -qF -f "$scratch/secret-values" "$log"; then
  echo "output_bench: a secret reached the log unmasked" >&2
  exit 2
fi
masked=$(grep -c '\[MASKED\]' "$log" || true)
log_bytes=$(stat -c %s "$log")
rm -f "$log"

declare -A fw bw frss
for mib in "$small_mib" "$big_mib"; do
  fw[$mib]="" bw[$mib]="" frss[$mib]=""
  for ((run = 0; run < runs; run++)); do
    if ((run % 2)); then
      read -r f_ns _ _ f_rss _ < <(run_flowrun "$mib"); read -r b_ns _ _ _ _ < <(run_baseline "$mib")
    else
      read -r b_ns _ _ _ _ < <(run_baseline "$mib"); read -r f_ns _ _ f_rss _ < <(run_flowrun "$mib")
    fi
    rm -f "$log"
    fw[$mib]+=" $f_ns" bw[$mib]+=" $b_ns" frss[$mib]+=" $f_rss"
  done
done

mibps() { awk -v m="$1" -v ns="$2" 'BEGIN { printf "%.0f", (ns > 0) ? m / (ns / 1e9) : 0 }'; }
echo "output: $secrets secrets masked, a 1 MiB block repeated; medians of $runs interleaved runs"
echo "  check ($small_mib MiB): log of $log_bytes bytes, $masked lines with [MASKED], no secret in it"
declare -A fm bm rss
for mib in "$small_mib" "$big_mib"; do
  # shellcheck disable=SC2086  # space-separated numbers
  fm[$mib]=$(median ${fw[$mib]}); bm[$mib]=$(median ${bw[$mib]})
  # shellcheck disable=SC2086
  rss[$mib]=$(printf '%s\n' ${frss[$mib]} | sort -n | tail -n 1)
  printf '  %5d MiB: flowrun %8s ms (%5s MiB/s, peak RSS %s KiB); bash | cat > file %8s ms (%5s MiB/s)\n' "$mib" \
    "$(ns_to_ms "${fm[$mib]}")" "$(mibps "$mib" "${fm[$mib]}")" "${rss[$mib]}" "$(ns_to_ms "${bm[$mib]}")" \
    "$(mibps "$mib" "${bm[$mib]}")"
done
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"

throughput_ratio=$(ratio "${bm[$big_mib]}" "${fm[$big_mib]}")
result "output: $big_mib MiB, $secrets secrets" "$(mibps "$big_mib" "${fm[$big_mib]}") MiB/s" \
  "cat $(mibps "$big_mib" "${bm[$big_mib]}") MiB/s" "${throughput_ratio}x" ">= 0.5x" "$(at_least "$throughput_ratio" 0.5)"
peak_mib=$(awk -v k="${rss[$big_mib]}" 'BEGIN { printf "%.1f", k / 1024 }')
result "output: peak RSS of flowrun" "$peak_mib MiB" "-" "-" "<= 32 MiB" "$(at_most "$peak_mib" 32)"
growth=$(awk -v a="${fm[$big_mib]}" -v b="${fm[$small_mib]}" -v sb="$small_mib" -v bb="$big_mib" \
  'BEGIN { printf "%.2f", (b > 0) ? a / b * (10 * sb / bb) : 0 }')
base_growth=$(awk -v a="${bm[$big_mib]}" -v b="${bm[$small_mib]}" -v sb="$small_mib" -v bb="$big_mib" \
  'BEGIN { printf "%.2f", (b > 0) ? a / b * (10 * sb / bb) : 0 }')
result "growth: output $small_mib -> $big_mib MiB (per 10x)" "${growth}x" "cat ${base_growth}x" "-" "~10x, flag > 20x" \
  "$(growth_verdict "$growth")"
