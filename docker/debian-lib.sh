#!/usr/bin/env bash
# Helpers for the scripts that work with Debian root file systems (docker/check-image.sh, scripts/check-bundle.sh)
# and Debian's archive (scripts/build-bundle.sh). Sourced, not run. The sourcing script defines die(), and $logs for step().

# The Debian archive this machine's apt uses: the deb822 stanza (or sources.list line) carrying the host's own suite,
# which skips the security archive and third-party repositories.
debian_mirror() {
  if [ -n "${FLOWRUN_DEBIAN_MIRROR:-}" ]; then
    printf '%s\n' "$FLOWRUN_DEBIAN_MIRROR"
    return
  fi
  local codename uri=""
  # shellcheck source=/dev/null
  codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    uri=$(awk -v suite="$codename" '
      function check() {
        if (types ~ /(^| )deb( |$)/ && tolower(enabled) != "no" && (" " suites " ") ~ (" " suite " ") && uris != "") {
          split(uris, u, " "); print u[1]; found = 1; exit
        }
        types = ""; uris = ""; suites = ""; enabled = "yes"
      }
      BEGIN { enabled = "yes" }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { check(); next }
      {
        key = tolower($1); sub(/:$/, "", key); value = $0; sub(/^[^:]*:[ \t]*/, "", value)
        if (key == "types") types = value
        else if (key == "uris") uris = value
        else if (key == "suites") suites = value
        else if (key == "enabled") enabled = value
      }
      END { if (!found) check() }
    ' "$f")
    [ -n "$uri" ] && break
  done
  if [ -z "$uri" ] && [ -r /etc/apt/sources.list ]; then
    uri=$(awk -v suite="$codename" '
      $1 == "deb" { i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i + 1) == suite) { print $i; exit } }
    ' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || die "found no Debian mirror for '$codename' in /etc/apt/sources.list.d/*.sources or" \
    "/etc/apt/sources.list; set FLOWRUN_DEBIAN_MIRROR to a Debian mirror's URL"
  printf '%s\n' "$uri"
}

# Unmounts everything mounted under a folder, deepest first, so nothing below it is ever deleted through a mount.
unmount_under() {
  local m
  awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" || true
  done
}
remove_tree() {
  [ -e "$1" ] || return 0
  unmount_under "$1"
  rm -rf --one-file-system "$1"
}

# What a container has and a root file system lacks: /proc, and a /dev with the usual devices only.
mount_proc_and_dev() {
  local root=$1 n
  mount -t proc proc "$root/proc"
  mount -t tmpfs -o mode=755,nosuid flowrun-dev "$root/dev"
  for n in null zero full random urandom tty; do
    touch "$root/dev/$n"
    mount --bind "/dev/$n" "$root/dev/$n"
  done
  ln -s /proc/self/fd "$root/dev/fd"
  ln -s /proc/self/fd/0 "$root/dev/stdin"
  ln -s /proc/self/fd/1 "$root/dev/stdout"
  ln -s /proc/self/fd/2 "$root/dev/stderr"
  mkdir "$root/dev/pts" "$root/dev/shm"
}

# Runs one step with its output in $logs/N.log; prints its duration, or the log's end and stops on failure.
step_no=0
step() {
  local label=$1 log
  shift
  step_no=$((step_no + 1))
  # shellcheck disable=SC2154 # $logs is the sourcing script's
  log="$logs/$step_no.log"
  local t0 rc
  t0=$(date +%s)
  # A subshell outside any condition, so errexit still stops the step at its first failing command.
  set +e
  (
    set -e
    "$@"
  ) >"$log" 2>&1
  rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then
    printf '  %-72s FAILED after %s s\n' "$label" "$(($(date +%s) - t0))"
    echo "---- last lines of $log ----" >&2
    tail -n 30 "$log" >&2
    die "failed: $label"
  fi
  printf '  %-72s %4s s\n' "$label" "$(($(date +%s) - t0))"
}
