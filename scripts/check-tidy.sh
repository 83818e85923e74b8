#!/usr/bin/env bash
# Runs clang-tidy with the repository's .clang-tidy over flowrun's C++ sources, in parallel, from the compile
# commands of a configured build. Fails on any finding (the configuration makes every warning an error).
# Usage: bash scripts/check-tidy.sh [BUILD_DIR]     (default: $BUILD_DIR or build; it must be configured)
# Environment: JOBS (default: number of cores); TIDY_FILES, a regular expression of the absolute paths to check
#              (default: flowrun's sources under src/); CLANG_TIDY, another clang-tidy program.
# Cost, measured with clang-tidy 14: about 5-7 s of CPU a file under src/ (118 files: about 6 minutes on two
# cores), 7-13 s a test file (98 more: about 7 minutes more). The test script checks src/ only, to keep CI short;
# TIDY_FILES="^$PWD/(src|tests|bench|fuzz)/" checks everything.
# clang-tidy versions differ in what they report: the tree is kept clean for clang-tidy 14 (Debian 12's). Another
# major version skips the check; FLOWRUN_TIDY_ANY_VERSION=1 forces it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

build_dir=${1:-${BUILD_DIR:-build}}
jobs=${JOBS:-$(nproc)}
if [ ! -f "$build_dir/compile_commands.json" ]; then
  echo "check-tidy: $build_dir/compile_commands.json is missing: configure the build first (scripts/test.sh does)" >&2
  exit 2
fi

first_found() {
  for candidate in "$@"; do
    if command -v "$candidate" >/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}
clang_tidy=${CLANG_TIDY:-$(first_found clang-tidy-14 clang-tidy || true)}
run_clang_tidy=$(first_found run-clang-tidy-14 run-clang-tidy || true)
if [ -z "$clang_tidy" ] || [ -z "$run_clang_tidy" ]; then
  echo "check-tidy: clang-tidy and run-clang-tidy are needed (scripts/install-deps.sh installs them)" >&2
  exit 2
fi
version=$("$clang_tidy" --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -n 1)
if [ "$version" != 14 ] && [ "${FLOWRUN_TIDY_ANY_VERSION:-0}" != 1 ]; then
  echo "check-tidy: skipped: $clang_tidy is version ${version:-unknown}, the tree is kept clean for version 14"
  exit 0
fi

# The build's flags are g++'s: clang does not know some of its warning options.
files=${TIDY_FILES:-"^$root/src/"}
started=$(date +%s)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
"$run_clang_tidy" -quiet -p "$build_dir" -j "$jobs" -clang-tidy-binary "$clang_tidy" \
  -extra-arg=-Wno-unknown-warning-option "$files" >"$log" 2>&1 || status=$?
# Only the findings, without colours: run-clang-tidy also echoes each command, and clang-tidy counts the warnings
# it suppressed in system headers, a line a file.
sed 's/\x1b\[[0-9;]*m//g' "$log" |
  grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$|^Suppressed [0-9]+ warnings|^Use -header-filter|^Error while processing|^(/[^ ]*/)?clang-tidy[-0-9]* ' |
  grep -v -E '^\s*$' || true
elapsed=$(($(date +%s) - started))
if [ "$status" -ne 0 ]; then
  echo "check-tidy: clang-tidy found problems (above) in ${elapsed} s; fix them, or explain in .clang-tidy why a check is off" >&2
  exit 1
fi
echo "check-tidy: no findings (${elapsed} s, $jobs jobs)"
