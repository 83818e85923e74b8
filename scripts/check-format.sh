#!/usr/bin/env bash
# Fails when a tracked C++ file differs from what clang-format makes of it with the repository's .clang-format.
# Usage: bash scripts/check-format.sh     (CLANG_FORMAT names another clang-format program)
# Versions of clang-format format differently: the tree is kept formatted by clang-format 14 (Debian 12's). Another
# major version skips the check rather than report changes that are not errors; FLOWRUN_FORMAT_ANY_VERSION=1 forces it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

clang_format=${CLANG_FORMAT:-}
if [ -z "$clang_format" ]; then
  for candidate in clang-format-14 clang-format; do
    if command -v "$candidate" >/dev/null; then
      clang_format=$candidate
      break
    fi
  done
fi
if [ -z "$clang_format" ]; then
  echo "check-format: no clang-format found (scripts/install-deps.sh installs it)" >&2
  exit 2
fi
version=$("$clang_format" --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
if [ "$version" != 14 ] && [ "${FLOWRUN_FORMAT_ANY_VERSION:-0}" != 1 ]; then
  echo "check-format: skipped: $clang_format is version ${version:-unknown}, the tree is formatted with version 14"
  exit 0
fi

# One run over every file (one process per file costs minutes on a busy machine); it names each file that would change.
mapfile -d '' files < <(git ls-files -z -- '*.cpp' '*.h' '*.hpp' '*.cc')
report=$("$clang_format" --style=file --dry-run --Werror "${files[@]}" 2>&1 >/dev/null || true)
mapfile -t unformatted < <(printf '%s\n' "$report" | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' | sort -u)

if [ ${#unformatted[@]} -gt 0 ]; then
  echo "check-format: ${#unformatted[@]} file(s) are not formatted with the repository's .clang-format:" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  echo "Fix with: $clang_format -i ${unformatted[*]}" >&2
  exit 1
fi
echo "check-format: every tracked C++ file is formatted"
