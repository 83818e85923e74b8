#!/usr/bin/env bash
# Installs the dependencies, builds flowrun and runs the whole test suite (unit and integration) through ctest.
# Usage: bash scripts/test.sh            (as root on a fresh Debian 12 or 13 machine; rerunning is cheap)
# Environment: BUILD_DIR (default build), JOBS (default: number of cores), FLOWRUN_SANITIZE=1 for ASan+UBSan,
#              FLOWRUN_IMAGE_CHECK=1 to also run docker/check-image.sh (several minutes),
#              FLOWRUN_BUNDLE_CHECK=1 to also run scripts/check-bundle.sh (the release bundle and npm package in
#              Debian 12 and 13 chroots; about 10 minutes cold, 3 with its cache).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
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
if [ "${FLOWRUN_IMAGE_CHECK:-0}" = 1 ]; then
  bash docker/check-image.sh
fi
if [ "${FLOWRUN_BUNDLE_CHECK:-0}" = 1 ]; then
  bash scripts/check-bundle.sh
fi
