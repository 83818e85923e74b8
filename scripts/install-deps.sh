#!/usr/bin/env bash
# Installs everything flowrun needs to build and test, from Debian's packages.
# Idempotent; for a fresh Debian 12 (bookworm) or 13 (trixie) machine, as root.
# Usage: bash scripts/install-deps.sh [KIND...]     KIND as for docker/packages.sh; default: build test
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (apt-get needs it)" >&2
  exit 2
fi

export DEBIAN_FRONTEND=noninteractive

# The package lists live in docker/ and are read only through docker/packages.sh, so this script, the Docker image
# and its check cannot drift apart. It picks the names for this Debian release (Boost differs between 12 and 13).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The kinds of docker/packages.sh to install: build and test, unless named (scripts/build-bundle.sh: build bundle).
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(build test)
packages=$(bash "$here/../docker/packages.sh" "${kinds[@]}")

apt_quiet() { apt-get -o Dpkg::Use-Pty=0 -qq "$@" >/dev/null; }

# apt-get update only when the lists are missing or older than a day: keeps reruns fast.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
  apt_quiet update
fi

missing=()
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  apt_quiet install --no-install-recommends --yes "${missing[@]}"
fi
# npm, for the agent tests (they install the agent CLIs from the npm registry). Only when there is none: Node from
# NodeSource carries its own npm, which Debian's npm package would conflict with.
if ! command -v npm >/dev/null; then
  echo "install-deps: installing nodejs npm"
  apt_quiet install --no-install-recommends --yes nodejs npm
fi
echo "install-deps: all build and test dependencies are installed"
