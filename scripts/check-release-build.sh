#!/usr/bin/env bash
# Builds every target (flowrun, the tests, the benchmarks) as a Release build with warnings as errors, in its own
# build folder: g++ warns differently with -O3 than with the test build's -O2, and users build Release.
# Usage: bash scripts/check-release-build.sh     Environment: RELEASE_BUILD_DIR (default build-release), JOBS.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir=${RELEASE_BUILD_DIR:-build-release}
jobs=${JOBS:-$(nproc)}
cmake_args=(-DCMAKE_BUILD_TYPE=Release -DFLOWRUN_WERROR=ON)
if command -v ccache >/dev/null; then cmake_args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
started=$(date +%s)
cmake -S . -B "$build_dir" "${cmake_args[@]}" >/dev/null
cmake --build "$build_dir" -j "$jobs"
echo "check-release-build: Release build of every target in $build_dir: $(($(date +%s) - started)) s"
