#!/usr/bin/env bash
# Stops what test/services/up.sh started: the two registries and dockerd
# (with the containerd it manages), found by their pid files. Services
# up.sh did not start (e.g. a Docker daemon that was already running) are
# left alone. Safe to run when nothing runs. Keeps installed packages,
# registry data, Docker's data and the node-base image, so the next up.sh
# is fast.
#
# Usage: bash test/services/down.sh
set -euo pipefail

readonly stop_wait_s=30

if ((EUID == 0)); then
  state=/var/lib/ollama-build-test
else
  state=${XDG_STATE_HOME:-$HOME/.local/state}/ollama-build-test
fi
run=$state/run

as_root=()
if ((EUID != 0)) && command -v sudo >/dev/null; then as_root=(sudo -n); fi

# alive PID: the process exists and is not a zombie.
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# stop NAME PATTERN: stops the process in $run/NAME.pid if it is alive and
# its command line contains PATTERN (a reused pid is not ours: not killed).
stop() {
  local name=$1 pattern=$2 file=$run/$1.pid pid cmdline
  if [[ ! -e $file ]]; then
    echo "$name: not running (no pid file)"
    return
  fi
  pid=""
  read -r pid <"$file" || true # dockerd writes no final newline
  if [[ ! $pid =~ ^[0-9]+$ ]] || ! alive "$pid"; then
    echo "$name: not running (stale pid file)"
    rm -f -- "$file"
    return
  fi
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline")
  if [[ $cmdline != *"$pattern"* ]]; then
    echo "$name: not running (pid $pid is now another process: left alone)"
    rm -f -- "$file"
    return
  fi
  local sudo=()
  if [[ ! -O /proc/$pid ]]; then sudo=("${as_root[@]}"); fi
  "${sudo[@]}" kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + stop_wait_s))
  while alive "$pid"; do
    if ((SECONDS >= deadline)); then
      echo "$name: pid $pid still running after ${stop_wait_s}s: sending SIGKILL"
      "${sudo[@]}" kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.1
  done
  if alive "$pid"; then
    echo "$name: could not stop pid $pid" >&2
    return 1
  fi
  "${sudo[@]}" rm -f -- "$file"
  echo "$name: stopped (pid $pid)"
}

rc=0
stop registry-auth "$state/registry-auth/config.yml" || rc=1
stop registry "$state/registry/config.yml" || rc=1
stop dockerd "$state/docker/daemon.json" || rc=1
exit "$rc"
