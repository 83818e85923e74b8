#!/usr/bin/env bash
# Installs everything flowrun needs to build and test, from Debian's packages.
# Idempotent; for a fresh Debian 12 (bookworm) or 13 (trixie) machine, as root.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (apt-get needs it)" >&2
  exit 2
fi

export DEBIAN_FRONTEND=noninteractive

# Build packages, shared with docker/ through one list so the image and the checks cannot drift apart.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
read_list() { grep -v -E '^\s*(#|$)' "$1" | tr '\n' ' '; }

apt_quiet() { apt-get -o Dpkg::Use-Pty=0 -qq "$@" >/dev/null; }

# apt-get update only when the lists are missing or older than a day: keeps reruns fast.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
  apt_quiet update
fi

packages="$(read_list "$here/../docker/build-packages.txt") $(read_list "$here/../docker/test-packages.txt")"

# Boost: Debian 12 ships Process v2 only in the 1.81 packages; Debian 13's default Boost is 1.83.
if apt-cache show libboost1.81-dev >/dev/null 2>&1 && ! apt-cache show libboost1.83-dev >/dev/null 2>&1; then
  packages="$packages libboost1.81-dev libboost-filesystem1.81-dev"
else
  packages="$packages libboost-dev libboost-filesystem-dev"
fi

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "install-deps: installing$missing"
  apt_quiet install --no-install-recommends --yes $missing
fi
echo "install-deps: all build and test dependencies are installed"
