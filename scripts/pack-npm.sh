#!/usr/bin/env bash
# Makes the npm package `flowrun` from a release bundle: npm/ (the launcher, package.json, README) plus the bundle's
# files under native/, at the bundle's version, packed with `npm pack` into dist/flowrun-VERSION.tgz.
# Publishing it is the release's step (.gitlab-ci.yml): npm publish dist/flowrun-VERSION.tgz.
#
# Usage: bash scripts/pack-npm.sh [BUNDLE.tar.gz]    default: the bundle scripts/build-bundle.sh left in dist/
# Environment: BUNDLE_OUT (default dist: where the package goes). Prints the path of the .tgz on its last line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=$(realpath -m "${BUNDLE_OUT:-dist}")

die() {
  printf 'pack-npm: %s\n' "$*" >&2
  exit 1
}
command -v npm >/dev/null || die "npm is missing: apt-get install npm (or use a Node.js image)"

bundle=${1:-}
if [ -z "$bundle" ]; then
  bundle=$(find "$out" -maxdepth 1 -name 'flowrun-*-linux-x86_64.tar.gz' 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bundle" ] || die "no bundle in $out: run scripts/build-bundle.sh first, or name one"
fi
[ -f "$bundle" ] || die "no such bundle: $bundle"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -r npm "$stage/package"
mkdir "$stage/package/native"
tar -C "$stage/package/native" --strip-components=1 -xzf "$bundle"
version=$("$stage/package/native/bin/flowrun" --version | awk 'NR == 1 { print $2 }')
[ -n "$version" ] || die "the bundle's flowrun printed no version"
case "$(basename "$bundle")" in
  "flowrun-$version-linux-"*) ;;
  *) die "$(basename "$bundle") holds flowrun $version: its name says otherwise" ;;
esac
# The package's version is the binary's own: the one place it is decided is CMakeLists.txt's project().
FLOWRUN_VERSION=$version node -e '
  const fs = require("fs");
  const file = process.argv[1];
  const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  manifest.version = process.env.FLOWRUN_VERSION;
  fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + "\n");
' "$stage/package/package.json"
sed -i "s/flowrun@VERSION/flowrun@$version/g" "$stage/package/README.md"
"$stage/package/bin/flowrun" --version >/dev/null || die "the launcher does not run the native binary"

mkdir -p "$out"
tgz=$(cd "$stage/package" && npm pack --silent --pack-destination "$out" | tail -n 1)
[ -f "$out/$tgz" ] || die "npm pack wrote no $out/$tgz"
# npm keeps the executable bits the launcher and the binary need: check, as a registry would serve them.
modes=$(tar -tvzf "$out/$tgz" package/bin/flowrun package/native/bin/flowrun | awk '{ print $1 }' | sort -u)
[ "$modes" = "-rwxr-xr-x" ] || die "$tgz lost the executable bit of bin/flowrun or native/bin/flowrun ($modes)"
printf 'pack-npm: %s, %s\n' "$out/$tgz" "$(du -h "$out/$tgz" | cut -f1)" >&2
echo "$out/$tgz"
