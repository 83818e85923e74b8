#!/usr/bin/env bash
# Proves docker/Dockerfile's recipe on a machine without a Docker engine, with chroots standing in for its stages
# (0. first, a look that the Dockerfile still runs docker/stage.sh's steps, the same ones the chroots run):
#   1. a Debian 13 (trixie) minbase root file system, debootstrapped from the mirror this machine's apt uses;
#   2. build stage: a copy of it gets the build packages (docker/packages.sh, run inside, so it sees trixie) and the
#      source tree (the build context .dockerignore leaves), and builds flowrun with docker/stage.sh as the image does;
#   3. runtime stage: a fresh copy gets only the runtime packages and the binary; ldd must resolve every library,
#      `flowrun --version` must report libgit2 1.9, and no compiler or -dev package may be there;
#   4. in the runtime stage, the demo flow runs end to end as scripts/demo.sh does, but from a shallow clone
#      (what CI jobs have), so libgit2 1.9's push from a shallow clone is exercised; the branch must reach the bare
#      repository standing in for GitLab and the note must be written.
# Usage: bash docker/check-image.sh   (as root; unattended; exits non-zero on any failure)
# The base root file system and the downloaded packages are kept in FLOWRUN_IMAGE_CHECK_CACHE
# (default /var/tmp/flowrun-image-check), so reruns skip the debootstrap and the downloads; the base is rebuilt when
# it is 30 days old. Each step's log goes to $FLOWRUN_IMAGE_CHECK_CACHE/logs. FLOWRUN_DEBIAN_MIRROR overrides the
# mirror; BUILD_JOBS the compile jobs (default: cores).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${FLOWRUN_IMAGE_CHECK_CACHE:-/var/tmp/flowrun-image-check}
base="$cache/trixie-minbase"
base_max_age_days=30
chroot_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# The files the Dockerfile copies into a stage before installing packages.
stage_files=(packages.sh stage.sh build-packages.txt test-packages.txt runtime-packages.txt)

say() { printf 'check-image: %s\n' "$*"; }
die() {
  printf 'check-image: %s\n' "$*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || die "run as root: debootstrap, chroot and mount need it"
case "$cache" in
  /*[[:space:]]* | *[[:space:]]*) die "FLOWRUN_IMAGE_CHECK_CACHE must not contain spaces: '$cache'" ;;
  /*) ;;
  *) die "FLOWRUN_IMAGE_CHECK_CACHE must be an absolute path: '$cache'" ;;
esac
if ! command -v debootstrap >/dev/null; then
  say "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get -qq install --yes --no-install-recommends debootstrap >/dev/null ||
    die "could not install debootstrap: run 'apt-get update' and try again"
fi
[ -e /usr/share/debootstrap/scripts/trixie ] ||
  die "this debootstrap does not know trixie: upgrade it (apt-get install debootstrap)"

# debian_mirror, unmount_under, remove_tree, mount_proc_and_dev and step.
# shellcheck source=docker/debian-lib.sh
source "$repo/docker/debian-lib.sh"

mkdir -p "$cache/apt-archives/partial"
# One run at a time: runs share the cache.
exec 9>"$cache/lock"
if ! flock -n 9; then
  say "waiting for another check-image run to finish (lock $cache/lock)"
  flock -w 3600 9 || die "another check-image run held $cache/lock for an hour; if none is running, delete that file"
fi
avail_mb=$(df -Pm "$cache" | awk 'NR == 2 { print $4 }')
[ "$avail_mb" -ge 1024 ] || die "only $avail_mb MB free under $cache; the check needs about 1 GB there (4 GB without tmpfs)"

# The stages' root file systems (about 1.5 GB) live in a tmpfs when memory allows: creating and deleting them on
# disk costs minutes. They are discarded at the end, whatever the outcome; the logs stay in $cache/logs.
started=$(date +%s)
run="$cache/run"
logs="$cache/logs"
remove_tree "$run" # left by a killed run
rm -rf "$logs"
mkdir -p "$run" "$logs"
ok=0
cleanup() {
  remove_tree "$run"
  if [ "$ok" = 1 ]; then
    say "OK in $(($(date +%s) - started)) s: the image's recipe builds, links and runs flowrun's job on Debian 13" \
      "(logs: $logs)"
  else
    say "logs of the failed run: $logs" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mem_available_mb=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
if [ "$mem_available_mb" -ge 8192 ] && mount -t tmpfs -o size=6g,mode=755 flowrun-image-check "$run" 2>/dev/null; then
  where="in memory"
else
  [ "$avail_mb" -ge 4096 ] || die "only $avail_mb MB free under $cache and too little memory for a tmpfs; the check needs about 4 GB"
  where="on disk"
fi

# Runs a command inside a root file system, with a clean environment and no standard input.
in_root() {
  local root=$1
  shift
  env -i PATH="$chroot_path" HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
    BUILD_JOBS="${BUILD_JOBS:-$(nproc)}" chroot "$root" "$@" </dev/null
}

# A fresh copy of the base, as a Docker stage starts from its base image: /proc, a minimal /dev, DNS, and the shared
# download cache (apt keeps the .deb files there: no docker-clean hook in a debootstrapped system).
new_root() {
  local root="$run/$1"
  cp -a --reflink=auto "$base" "$root"
  rm -f "$root/etc/resolv.conf"
  cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
  mount_proc_and_dev "$root"
  mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"
  # Debian's Docker images set this too (docker-apt-speedup): without it dpkg's fsyncs make installing ten times slower.
  echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
}


if [ -f "$base/.flowrun-base-complete" ]; then
  say "Docker image recipe, checked in chroots $where (base cached in $cache)"
else
  say "Docker image recipe, checked in chroots $where (first run: the base goes to $cache and is reused)"
fi

# ---- 0. the Dockerfile runs what the chroots below run ----
dockerfile_step() {
  local df="$repo/docker/Dockerfile" problems=0 pattern f
  for pattern in '^ARG BUILD_IMAGE=debian:trixie-[0-9]+-slim$' '^ARG RUNTIME_IMAGE=node:22\.[0-9.]+-trixie-slim$' \
    '^RUN bash /src/docker/stage\.sh install build$' '^RUN bash /src/docker/stage\.sh compile /src /build /out$' \
    '^RUN bash /tmp/flowrun-docker/stage\.sh install runtime' '^COPY --from=build /out/bin/flowrun /usr/local/bin/flowrun$' \
    '^ENTRYPOINT \[\]$' 'org\.opencontainers\.image\.(title|description|source|licenses|version)='; do
    grep -Eq "$pattern" "$df" || { echo "docker/Dockerfile has no line matching: $pattern"; problems=1; }
  done
  [ "$(grep -Eo 'org\.opencontainers\.image\.[a-z]+=' "$df" | sort -u | wc -l)" -ge 5 ] ||
    { echo "docker/Dockerfile lacks some OCI labels (title, description, source, licenses, version)"; problems=1; }
  [ "$(grep -c '^ENTRYPOINT' "$df")" -eq 1 ] || { echo "docker/Dockerfile must clear the entry point once, and set none"; problems=1; }
  for f in "${stage_files[@]}"; do
    [ "$(grep -c "^COPY .*docker/$f " "$df")" -eq 2 ] || { echo "docker/Dockerfile must COPY docker/$f into both stages"; problems=1; }
  done
  return "$problems"
}
step "0. Dockerfile: shared stage steps, pinned bases, labels, no entry point" dockerfile_step

# ---- 1. the base root file system ----
base_step() {
  if [ -f "$base/.flowrun-base-complete" ] &&
    [ -z "$(find "$base/.flowrun-base-complete" -mtime +"$base_max_age_days")" ]; then
    echo "reusing $base"
    return
  fi
  local mirror
  mirror=$(debian_mirror)
  remove_tree "$base"
  remove_tree "$base.new"
  echo "debootstrap --variant=minbase trixie from $mirror"
  debootstrap --variant=minbase trixie "$base.new" "$mirror" ||
    { echo "debootstrap failed: does $mirror serve Debian 13 (trixie)? Set FLOWRUN_DEBIAN_MIRROR to one that does."; return 1; }
  rm -f "$base.new"/var/cache/apt/archives/*.deb
  touch "$base.new/.flowrun-base-complete"
  mv "$base.new" "$base"
}
step "1. Debian 13 minbase root file system" base_step
grep -q '^VERSION_CODENAME=trixie$' "$base/etc/os-release" || die "$base is not Debian 13 (trixie)"

# ---- 2. build stage ----
build_root="$run/build"
copy_context() {
  # The build context docker build sends: the work tree less what .dockerignore excludes ("**/x" anywhere,
  # other patterns from the root).
  local excludes=() line
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    case "$line" in '' | '#'*) continue ;; '!'*) echo "note: .dockerignore exception '$line' is not applied here" ;; esac
    line=${line#/}
    line=${line%/}
    if [ "${line#\*\*/}" != "$line" ]; then
      excludes+=(--no-anchored "--exclude=${line#\*\*/}")
    else
      excludes+=(--anchored "--exclude=./$line")
    fi
  done <"$repo/.dockerignore"
  mkdir -p "$build_root/src"
  tar -C "$repo" -cf - "${excludes[@]}" . | tar -C "$build_root/src" -xf -
  du -sh "$build_root/src"
}
build_deps_step() {
  new_root build
  copy_context
  in_root "$build_root" bash /src/docker/stage.sh install build
}
compile_step() {
  in_root "$build_root" bash /src/docker/stage.sh compile /src /build /out
  [ -x "$build_root/out/bin/flowrun" ] || { echo "no /out/bin/flowrun after the build"; return 1; }
  ls -l "$build_root/out/bin/flowrun"
}
step "2. build stage: build packages (apt-get, inside the chroot)" build_deps_step
step "   build stage: compile flowrun (Release, -j${BUILD_JOBS:-$(nproc)})" compile_step

# ---- 3. runtime stage ----
# shellcheck disable=SC2016 # dpkg-query's format, not shell
installed_kb() { in_root "$1" dpkg-query -W -f '${Installed-Size}\n' | awk '{ s += $1 } END { print s }'; }
runtime_root="$run/runtime"
runtime_step() {
  new_root runtime
  mkdir -p "$runtime_root/tmp/flowrun-docker"
  local f
  for f in "${stage_files[@]}"; do cp "$repo/docker/$f" "$runtime_root/tmp/flowrun-docker/"; done
  in_root "$runtime_root" bash /tmp/flowrun-docker/stage.sh install runtime
  rm -rf "$runtime_root/tmp/flowrun-docker"
  install -m 755 "$build_root/out/bin/flowrun" "$runtime_root/usr/local/bin/flowrun"

  local ldd_out version dockerfile_version extra
  ldd_out=$(in_root "$runtime_root" ldd /usr/local/bin/flowrun)
  echo "$ldd_out"
  if grep -q 'not found' <<<"$ldd_out"; then
    echo "libraries missing from the runtime stage (add their packages to docker/runtime-packages.txt):"
    grep 'not found' <<<"$ldd_out"
    return 1
  fi
  version=$(in_root "$runtime_root" flowrun --version)
  echo "$version"
  grep -q '^libgit2 1\.9\.' <<<"$version" || { echo "flowrun --version does not report libgit2 1.9"; return 1; }
  dockerfile_version=$(sed -n 's/^ARG FLOWRUN_VERSION=//p' "$repo/docker/Dockerfile")
  grep -q "^flowrun $dockerfile_version\$" <<<"$version" ||
    { echo "docker/Dockerfile's FLOWRUN_VERSION ($dockerfile_version) differs from the binary's version: update it"; return 1; }
  # shellcheck disable=SC2016 # dpkg-query's format, not shell
  extra=$(in_root "$runtime_root" dpkg-query -W -f '${Package}\n' | grep -E -- '-dev$|^(gcc|g\+\+|cpp|cmake|make)(-[0-9]+)?$' || true)
  [ -z "$extra" ] || { echo "the runtime stage has build tools or -dev packages it must not have:"; echo "$extra"; return 1; }
  echo "runtime packages: $(($(installed_kb "$runtime_root") - $(installed_kb "$base"))) kB installed on top of the base"
}
step "3. runtime stage: runtime packages only, ldd, flowrun --version" runtime_step

# ---- 4. the demo flow, from a shallow clone ----
demo_step() {
  cp "$repo/examples/.gitlab/duo/flows/demo.yaml" "$runtime_root/tmp/demo.yaml"
  cat >"$runtime_root/tmp/image-check-demo.sh" <<'EOF'
set -euo pipefail
work=/tmp/flowrun-demo
rm -rf "$work"
export HOME="$work/home" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.name "Demo User"
git config --global user.email "demo@example.com"
git config --global init.defaultBranch main

# GitLab's side: a bare repository with two commits, so a depth-1 clone has a shallow boundary whose parent is missing.
git init --quiet --bare "$work/remote.git"
git clone --quiet "$work/remote.git" "$work/seed" 2>/dev/null
mkdir -p "$work/seed/.gitlab/duo/flows"
cp /tmp/demo.yaml "$work/seed/.gitlab/duo/flows/demo.yaml"
printf '# Demo project\n\nA project where an agent works.\n' >"$work/seed/README.md"
git -C "$work/seed" add -A
git -C "$work/seed" commit --quiet -m "Initial commit"
printf 'This file is no longer needed.\n' >"$work/seed/obsolete.txt"
git -C "$work/seed" add -A
git -C "$work/seed" commit --quiet -m "Add a file the agent deletes"
git -C "$work/seed" push --quiet origin main

# The job's checkout as CI makes it: shallow and on a detached HEAD.
git clone --quiet --depth 1 "file://$work/remote.git" "$work/project"
git -C "$work/project" checkout --quiet --detach
[ -f "$work/project/.git/shallow" ] || { echo "the clone is not shallow"; exit 1; }
workload=$(printf '%s' "$work" | sha1sum | cut -c1-11)

set +e
(
  cd "$work/project"
  CI_WORKLOAD_REF="refs/workloads/$workload" CI_PROJECT_PATH="demo/project" AI_FLOW_EVENT="mention" \
    AI_FLOW_INPUT="@demo-agent please add a changelog and task notes" \
    flowrun run demo --remote "$work/remote.git" --note-file "$work/note.md" --no-report
)
status=$?
set -e
echo "flowrun run exit code: $status"
[ "$status" -eq 0 ] || exit 1
git --git-dir="$work/remote.git" log --stat --format='pushed: %H %s' -1 "workloads/$workload" ||
  { echo "the branch workloads/$workload did not reach the bare repository"; exit 1; }
git --git-dir="$work/remote.git" fsck --no-progress || { echo "the bare repository is not consistent after the push"; exit 1; }
[ -s "$work/note.md" ] || { echo "no note written to $work/note.md"; exit 1; }
echo "---- note ----"
cat "$work/note.md"
EOF
  in_root "$runtime_root" bash /tmp/image-check-demo.sh
}
step "4. demo flow from a shallow clone: push (libgit2 1.9) and note" demo_step

# The total is printed once the stage copies are removed (that takes a while on a slow disk).
ok=1
