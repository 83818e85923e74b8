#!/usr/bin/env bash
# The steps of the image's stages, shared by docker/Dockerfile and docker/check-image.sh so the check runs exactly
# what the image build runs. As root, inside the stage's root file system.
#
# Usage: bash docker/stage.sh install build|runtime     apt-get installs that list of docker/packages.sh
#        bash docker/stage.sh compile SRC BUILD PREFIX   builds flowrun (Release, no tests), installs it stripped
#                                                        into PREFIX/bin; BUILD_JOBS sets the parallel jobs (nproc)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

case "${1:-}" in
  install)
    [ $# -eq 2 ] || { echo "usage: bash docker/stage.sh install build|runtime" >&2; exit 2; }
    packages=$(bash "$here/packages.sh" "$2")
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o Dpkg::Use-Pty=0 -qq update
    # shellcheck disable=SC2086 # one word a package
    apt-get -o Dpkg::Use-Pty=0 -qq install --yes --no-install-recommends $packages >/dev/null
    # The lists are only needed to install: leaving them would add tens of MB to the image.
    rm -rf /var/lib/apt/lists/*
    ;;
  compile)
    [ $# -eq 4 ] || { echo "usage: bash docker/stage.sh compile SRC BUILD PREFIX" >&2; exit 2; }
    src=$2 build=$3 prefix=$4
    # Warnings are not errors here: a newer compiler's new warning must not stop a release; the test builds
    # (scripts/test.sh) keep -Werror.
    cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFLOWRUN_BUILD_TESTS=OFF -DFLOWRUN_WERROR=OFF
    cmake --build "$build" --target flowrun -j "${BUILD_JOBS:-$(nproc)}"
    cmake --install "$build" --strip --prefix "$prefix"
    ;;
  *)
    echo "usage: bash docker/stage.sh install build|runtime | compile SRC BUILD PREFIX" >&2
    exit 2
    ;;
esac
