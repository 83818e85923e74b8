#!/usr/bin/env bash
# Quick start: installs the dependencies, builds flowrun, and runs its main job end to end on the demo flow
# (examples/.gitlab/duo/flows/demo.yaml) in a throwaway project, with a local bare repository standing in for GitLab
# and the note written to a file. Usage: bash scripts/demo.sh   (as root on a fresh Debian 12 or 13 machine)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source_dir=$(pwd)

bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target flowrun
flowrun_bin="$source_dir/build/flowrun"

work=$(mktemp -d /tmp/flowrun-demo.XXXXXX)
export HOME="$work/home" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.name "Demo User"
git config --global user.email "demo@example.com"
git config --global init.defaultBranch main

# The project as GitLab would have it: a bare repository with a README, a file the agent deletes, and the flow.
git init --quiet --bare "$work/remote.git"
git clone --quiet "$work/remote.git" "$work/seed" 2>/dev/null
mkdir -p "$work/seed/.gitlab/duo/flows"
cp examples/.gitlab/duo/flows/demo.yaml "$work/seed/.gitlab/duo/flows/demo.yaml"
printf '# Demo project\n\nA project where an agent works.\n' > "$work/seed/README.md"
printf 'This file is no longer needed.\n' > "$work/seed/obsolete.txt"
git -C "$work/seed" add -A
git -C "$work/seed" commit --quiet -m "Initial commit"
git -C "$work/seed" push --quiet origin main

# The job's checkout: a detached HEAD, as in CI.
git clone --quiet "$work/remote.git" "$work/project"
git -C "$work/project" checkout --quiet --detach
workload=$(printf '%s' "$work" | sha1sum | cut -c1-11)

echo "== flowrun run demo (in $work/project)"
set +e
(
  cd "$work/project"
  PATH="$source_dir/build:$PATH" \
  CI_WORKLOAD_REF="refs/workloads/$workload" \
  CI_PROJECT_PATH="demo/project" \
  AI_FLOW_EVENT="mention" \
  AI_FLOW_INPUT="@demo-agent please add a changelog and task notes" \
    "$flowrun_bin" run demo --remote "$work/remote.git" --note-file "$work/note.md" --no-report
)
status=$?
set -e

echo
echo "== Where to look"
echo "exit code:       $status"
echo "pushed branch:   workloads/$workload in $work/remote.git"
git --git-dir="$work/remote.git" log --stat --format='commit:          %H%nauthor:          %an <%ae>%nsubject:         %s' -1 "workloads/$workload" 2>/dev/null || echo "(the branch was not pushed)"
echo "note:            $work/note.md"
echo "report:          $work/project/.flowrun/report.json"
echo "log:             $work/project/.flowrun/flowrun.log"
echo
echo "---- note ----"
cat "$work/note.md" 2>/dev/null || echo "(no note written)"
exit "$status"
