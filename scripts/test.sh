#!/usr/bin/env bash
# Installs the dependencies, checks the formatting, builds flowrun, runs the whole test suite (unit and integration)
# through ctest, runs clang-tidy over the sources, and builds everything once more as a Release build.
# Usage: bash scripts/test.sh            (as root on a fresh Debian 12 or 13 machine; rerunning is cheap)
# Environment: BUILD_DIR (default build), JOBS (default: number of cores), FLOWRUN_SANITIZE=1 for ASan+UBSan
#              (without the Release build), FLOWRUN_IMAGE_CHECK=1 to also run docker/check-image.sh (several
#              minutes), FLOWRUN_BUNDLE_CHECK=1 to also run scripts/check-bundle.sh (the release bundle and npm package
#              in Debian 12 and 13 chroots; about 10 minutes cold, 3 with its cache), FLOWRUN_SKIP_CHECKS=1 to leave out
#              the format, clang-tidy and Release build checks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
checks=1
if [ "${FLOWRUN_SKIP_CHECKS:-0}" = 1 ]; then checks=0; fi
# First: it takes seconds and names every file to fix.
if [ "$checks" = 1 ]; then bash scripts/check-format.sh; fi
build_dir=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc)}
cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DFLOWRUN_WERROR=ON)
# A compiler cache, where the machine has one, makes rebuilds of the same sources cheap; nothing depends on it.
if command -v ccache >/dev/null; then cmake_args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
if [ "${FLOWRUN_SANITIZE:-0}" = 1 ]; then
  build_dir=${BUILD_DIR:-build-sanitize}
  cmake_args+=(-DFLOWRUN_SANITIZE=ON)
  # libgit2 1.5 leaks inside libpcre2 (not flowrun's code): the suppression keeps LeakSanitizer on for the rest.
  export LSAN_OPTIONS="suppressions=$(pwd)/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
fi
cmake -S . -B "$build_dir" "${cmake_args[@]}" >/dev/null
cmake --build "$build_dir" -j "$jobs"
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" --timeout 300
if [ "$checks" = 1 ]; then
  JOBS=$jobs bash scripts/check-tidy.sh "$build_dir"
  if [ "${FLOWRUN_SANITIZE:-0}" != 1 ]; then JOBS=$jobs bash scripts/check-release-build.sh; fi
fi
if [ "${FLOWRUN_IMAGE_CHECK:-0}" = 1 ]; then
  bash docker/check-image.sh
fi
if [ "${FLOWRUN_BUNDLE_CHECK:-0}" = 1 ]; then
  bash scripts/check-bundle.sh
fi
