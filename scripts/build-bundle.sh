#!/usr/bin/env bash
# Builds the portable release bundle, dist/flowrun-VERSION-linux-ARCH.tar.gz: flowrun for any x86_64 Linux with
# glibc >= 2.36 (Debian 12 and 13, Ubuntu 24.04, the node:22 images) and nothing else installed.
#
#   flowrun-VERSION/bin/flowrun     the binary; RPATH $ORIGIN/../lib
#   flowrun-VERSION/lib/            the shared libraries it needs that are not glibc's (libcurl, OpenSSL, ...)
#   flowrun-VERSION/share/doc/      the licence and notice file of every library inside, static or carried
#
# libgit2 is 1.9, built here as a static archive from Debian 13's source package: Debian 12's 1.5 cannot push from a
# shallow clone, and a binary built on Debian 13 would need Debian 13's glibc (2.41). Built on Debian 12 (glibc 2.36),
# the bundle runs on 2.36 and newer.
#
# Usage: bash scripts/build-bundle.sh            as root on Debian 12 (apt-get installs what is missing)
# Environment: BUNDLE_WORK (default build-bundle: the build and the libgit2 source, reused by the next run),
#              BUNDLE_OUT (default dist), JOBS (default: number of cores)
# Prints the path of the tarball on its last line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)
work=$(realpath -m "${BUNDLE_WORK:-build-bundle}")
out=$(realpath -m "${BUNDLE_OUT:-dist}")
jobs=${JOBS:-$(nproc)}
# The Debian release whose libgit2 source package is built (from the mirror apt uses here).
libgit2_suite=trixie

say() { printf 'build-bundle: %s\n' "$*" >&2; }
die() {
  printf 'build-bundle: %s\n' "$*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || die "run as root: apt-get installs the build packages"
# shellcheck source=/dev/null
release=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
[ "$release" = bookworm ] || die "build on Debian 12 (bookworm), not '$release': the bundle needs only the glibc it is built against"

# ---- the build packages ----
bash scripts/install-deps.sh build bundle >&2

# ---- libgit2 1.9, static, from Debian 13's source package ----
# debian_mirror: the Debian archive this machine's apt uses.
# shellcheck source=docker/debian-lib.sh
source "$repo/docker/debian-lib.sh"
libgit2_prefix="$work/libgit2"
build_libgit2() {
  # A private apt state for the deb-src line, so the machine's own sources and lists stay as they are.
  local src="$work/libgit2-source" apt_state="$work/apt-$libgit2_suite" mirror dsc
  mirror=$(debian_mirror)
  rm -rf "$src" "$libgit2_prefix" "$work/libgit2-build"
  mkdir -p "$src" "$apt_state/lists/partial"
  printf 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' "$mirror" "$libgit2_suite" \
    >"$apt_state/sources.list"
  local apt_options=(-o "Dir::Etc::SourceList=$apt_state/sources.list" -o Dir::Etc::SourceParts=/nonexistent
    -o "Dir::State::Lists=$apt_state/lists" -o Dpkg::Use-Pty=0 -qq)
  say "libgit2: source package from $mirror $libgit2_suite"
  apt-get "${apt_options[@]}" update || die "apt-get update for $libgit2_suite's sources from $mirror failed"
  (cd "$src" && apt-get "${apt_options[@]}" --download-only source libgit2) 2>&1 |
    { grep -v '^W: Download is performed unsandboxed' || true; }
  dsc=$(find "$src" -maxdepth 1 -name 'libgit2_1.9.*.dsc' | head -n 1)
  [ -n "$dsc" ] || die "no libgit2 1.9 source package in $mirror $libgit2_suite (found: $(ls "$src"))"
  # dpkg-source checks the files against the signed-by-archive checksums in the .dsc and applies Debian's patches
  # (security fixes among them).
  (cd "$src" && dpkg-source --no-check -x "$(basename "$dsc")" tree >/dev/null)
  say "libgit2: building $(basename "$dsc" .dsc) as a static archive"
  # As Debian builds it, but static, with OpenSSL (carried in lib/, shared with libcurl) and without SSH or GSSAPI:
  # flowrun pushes over HTTPS only.
  cmake -S "$src/tree" -B "$work/libgit2-build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
    -DBUILD_TESTS=OFF -DBUILD_CLI=OFF -DUSE_SSH=OFF -DUSE_GSSAPI=OFF -DUSE_NTLMCLIENT=OFF -DUSE_HTTPS=OpenSSL \
    -DUSE_HTTP_PARSER=http-parser -DREGEX_BACKEND=pcre2 -DUSE_BUNDLED_ZLIB=OFF -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DCMAKE_INSTALL_PREFIX="$libgit2_prefix" -DCMAKE_INSTALL_LIBDIR=lib >"$work/libgit2-configure.log" 2>&1 ||
    die "configuring libgit2 failed: $work/libgit2-configure.log"
  cmake --build "$work/libgit2-build" -j "$jobs" >"$work/libgit2-build.log" 2>&1 ||
    die "building libgit2 failed: $work/libgit2-build.log"
  cmake --install "$work/libgit2-build" >/dev/null
  mkdir -p "$libgit2_prefix/share/doc/libgit2"
  cp "$src/tree/COPYING" "$src/tree/debian/copyright" "$libgit2_prefix/share/doc/libgit2/"
  basename "$dsc" .dsc >"$libgit2_prefix/source-package"
}
mkdir -p "$work"
if [ -f "$libgit2_prefix/source-package" ] && [ -f "$libgit2_prefix/lib/libgit2.a" ]; then
  say "libgit2: reusing $(cat "$libgit2_prefix/source-package") in $libgit2_prefix"
else
  build_libgit2
fi

# ---- flowrun, portable ----
say "flowrun: building (FLOWRUN_PORTABLE)"
# A compiler cache, where the machine has one, makes the next bundle's build cheap; nothing depends on it.
launcher=${CMAKE_CXX_COMPILER_LAUNCHER:-$(command -v ccache || true)}
PKG_CONFIG_PATH="$libgit2_prefix/lib/pkgconfig" cmake -S "$repo" -B "$work/flowrun" -DCMAKE_BUILD_TYPE=Release \
  -DFLOWRUN_PORTABLE=ON -DFLOWRUN_BUILD_TESTS=OFF -DFLOWRUN_BUILD_BENCH=OFF -DFLOWRUN_WERROR=OFF \
  ${launcher:+-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher"} >"$work/flowrun-configure.log" ||
  die "configuring flowrun failed: $work/flowrun-configure.log"
cmake --build "$work/flowrun" --target flowrun -j "$jobs"
stage="$work/stage"
rm -rf "$stage"
cmake --install "$work/flowrun" --strip --prefix "$stage/tree" >/dev/null
version=$("$stage/tree/bin/flowrun" --version | awk 'NR == 1 { print $2 }')
[ -n "$version" ] || die "the built flowrun printed no version"
arch=$(uname -m)
name="flowrun-$version"
root="$stage/$name"
mv "$stage/tree" "$root"

# ---- the shared libraries it carries: everything it loads but glibc's own ----
is_glibc() {
  case "$1" in
    ld-linux*.so* | libc.so.* | libm.so.* | libpthread.so.* | libdl.so.* | librt.so.* | libresolv.so.* | \
      libutil.so.* | libanl.so.* | libnsl.so.* | libmvec.so.*) return 0 ;;
  esac
  return 1
}
mkdir -p "$root/lib" "$root/share/doc"
carried=()
while read -r soname path; do
  is_glibc "$soname" && continue
  [ -f "$path" ] || die "ldd found no $soname for $root/bin/flowrun"
  cp -L "$path" "$root/lib/$soname"
  chmod 644 "$root/lib/$soname"
  carried+=("$path")
done < <(ldd "$root/bin/flowrun" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }')

# ---- CA certificates, for systems without any (slim images): flowrun uses them only when the system has none ----
mkdir -p "$root/share/flowrun"
[ -s /etc/ssl/certs/ca-certificates.crt ] || die "/etc/ssl/certs/ca-certificates.crt is missing: apt-get install ca-certificates"
cp /etc/ssl/certs/ca-certificates.crt "$root/share/flowrun/ca-certificates.crt"

# ---- licences: each Debian package whose files are inside, static or carried ----
static_archives=$(sed -n 's/.*portable build: libgit2 [^ ]* linked as //p' "$work/flowrun-configure.log" | tr ';' '\n' |
  grep '\.a$' | grep -v "^$libgit2_prefix" || true)
static_archives+=$'\n'$(find /usr/lib -name 'libyaml-cpp.a' -o -name 'libboost_filesystem.a' | head -n 2)
# The package owning a file: dpkg knows it by the path it installed, which on a merged /usr may be either form.
owner_of() {
  local f=$1 real
  real=$(realpath "$f")
  for candidate in "$f" "$real" "$(dirname "$f")/$(basename "$real")" "${real#/usr}"; do
    dpkg-query -S "$candidate" 2>/dev/null | head -n 1 | cut -d: -f1 | grep . && return 0
  done
  die "no Debian package owns $f: its licence cannot be shipped"
}
packages_inside=$(
  {
    for f in "${carried[@]}" $static_archives "$(g++ -print-file-name=libstdc++.a)"; do owner_of "$f"; done
    echo ca-certificates
  } | sort -u
)
for p in $packages_inside; do
  [ -f "/usr/share/doc/$p/copyright" ] || die "no copyright file for $p, whose files the bundle carries"
  mkdir -p "$root/share/doc/$p"
  cp "/usr/share/doc/$p/copyright" "$root/share/doc/$p/"
done
cp -r "$libgit2_prefix/share/doc/libgit2" "$root/share/doc/libgit2"
{
  echo "flowrun $version for Linux $arch (glibc >= $(ldd --version | awk 'NR == 1 { print $NF }'))"
  echo
  echo "bin/flowrun links statically: libgit2 ($(cat "$libgit2_prefix/source-package"), Debian 13's source" \
    "package), yaml-cpp, Boost.Filesystem, nlohmann/json, CLI11, libstdc++."
  echo "lib/ carries the other shared libraries it loads, from Debian 12 (found through RPATH \$ORIGIN/../lib)."
  echo "share/flowrun/ca-certificates.crt: Debian's CA certificates, used only on a system without its own" \
    "(/etc/ssl/certs/ca-certificates.crt) and when CI_SERVER_TLS_CA_FILE is not set."
  echo "share/doc/PACKAGE/copyright holds the licence and notice of each, by Debian package name."
} >"$root/share/doc/README"

# ---- it runs, with its own libraries only ----
if ldd "$root/bin/flowrun" | grep -q 'not found'; then die "a library is missing: $(ldd "$root/bin/flowrun")"; fi
outside=$(ldd "$root/bin/flowrun" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' | while read -r soname path; do
  is_glibc "$soname" || case "$(realpath "$path")" in "$root/lib/"*) ;; *) echo "$path" ;; esac
done)
[ -z "$outside" ] || die "flowrun loads libraries from outside the bundle: $outside"
"$root/bin/flowrun" --version | grep -q '^libgit2 1\.9\.' || die "the bundle's flowrun does not carry libgit2 1.9"

mkdir -p "$out"
tarball="$out/$name-linux-$arch.tar.gz"
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime='2000-01-01 00:00Z' -cf - "$name" |
  gzip -n -9 >"$tarball.tmp"
mv "$tarball.tmp" "$tarball"
say "$(du -h "$tarball" | cut -f1) with ${#carried[@]} carried libraries; flowrun --version:"
"$root/bin/flowrun" --version | sed 's/^/  /' >&2
echo "$tarball"
