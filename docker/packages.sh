#!/usr/bin/env bash
# Prints the Debian packages flowrun needs, one a line, for the Debian release this runs on. The one place the lists
# are read: scripts/install-deps.sh, docker/Dockerfile and docker/check-image.sh all call this, so they cannot drift.
#
# Usage: bash docker/packages.sh KIND...     KIND: build, test (on top of build), runtime (the Docker image) or
#                                            bundle (on top of build: scripts/build-bundle.sh)
# The release comes from /etc/os-release (bookworm = Debian 12, trixie = Debian 13); FLOWRUN_DEBIAN_RELEASE overrides it,
# e.g. to print another release's list.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
supported="bookworm trixie"

if [ $# -eq 0 ]; then
  echo "usage: bash docker/packages.sh build|test|runtime|bundle..." >&2
  exit 2
fi

release=${FLOWRUN_DEBIAN_RELEASE:-}
if [ -z "$release" ]; then
  if [ ! -r /etc/os-release ]; then
    echo "packages.sh: /etc/os-release is missing, so the Debian release is unknown; set FLOWRUN_DEBIAN_RELEASE (one of: $supported)" >&2
    exit 2
  fi
  # In a subshell: os-release's variables must not leak into this script.
  # shellcheck source=/dev/null
  release=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
fi
case " $supported " in
  *" $release "*) ;;
  *)
    echo "packages.sh: Debian release '${release:-unknown}' is not supported (supported: $supported);" \
      "set FLOWRUN_DEBIAN_RELEASE to the closest one to try anyway" >&2
    exit 2
    ;;
esac

for kind in "$@"; do
  case "$kind" in
    build | test | runtime | bundle) ;;
    *)
      echo "packages.sh: unknown kind '$kind' (expected build, test, runtime or bundle)" >&2
      exit 2
      ;;
  esac
  # A line is "package [release...]": no release means every release. Comments and blank lines are skipped.
  awk -v release="$release" '
    { sub(/#.*/, "") }
    NF == 0 { next }
    NF == 1 { print $1; next }
    { for (i = 2; i <= NF; i++) if ($i == release) { print $1; next } }
  ' "$here/$kind-packages.txt"
done
