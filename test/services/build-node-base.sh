#!/usr/bin/env bash
# Builds the local base image the integration tests build FROM:
#
#   ollama-build-test/node-base:latest
#
# Nothing can be pulled (no Docker Hub), so the image is assembled from this
# machine's files and loaded with `docker import`:
#   /usr/local/bin/node   the repo's Node binary (node_modules/.bin/node, the
#                         Node 24 that `npm ci` installs), symlink resolved
#   the shared libraries `ldd` lists for it, at the same absolute paths, plus
#                         the dynamic loader
#   /bin/busybox          static busybox (Debian's busybox-static) with
#                         symlinks for sh, env and every other applet
#   /etc/passwd, /etc/group (root, nobody), /tmp (1777), /root
# Layout is usr-merged: /bin, /sbin, /lib, /lib64 are symlinks into /usr.
# Image config: PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin,
# WORKDIR /, CMD ["node"], label ollama-build-test.key (see below).
#
# Rebuilt only when its key changes: sha256 over the node binary, the busybox
# binary and this script. The key is a label on the image, so a wiped Docker
# data dir or a removed image also triggers a rebuild. --force rebuilds anyway.
#
# Usage: bash test/services/build-node-base.sh [--force]
# Needs: a running Docker daemon, `npm ci` done, /bin/busybox from
# busybox-static (test/services/up.sh installs it and calls this script).
# The root file system is assembled by rootfs.sh's functions.
set -euo pipefail

readonly image=ollama-build-test/node-base:latest
readonly key_label=ollama-build-test.key
readonly image_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

force=false
case ${1:-} in
  "") ;;
  --force) force=true ;;
  *)
    echo "usage: $0 [--force]" >&2
    exit 2
    ;;
esac

die() {
  echo "node-base: error: $*" >&2
  exit 1
}

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd -- "$here/../.." && pwd)

node_link=$repo/node_modules/.bin/node
[[ -e $node_link ]] || die "$node_link is missing: run 'npm ci' first"
node_bin=$(readlink -f -- "$node_link")
[[ -f $node_bin && -x $node_bin ]] || die "$node_bin is not an executable file"

# shellcheck source=/dev/null
source "$here/rootfs.sh"
busybox_bin=$(rootfs_busybox_path)

command -v docker >/dev/null || die "docker CLI not found"
docker info >/dev/null 2>&1 || die "the Docker daemon does not answer (run test/services/up.sh)"

node_sha=$(sha256sum -- "$node_bin" | cut -d' ' -f1)
busybox_sha=$(sha256sum -- "$busybox_bin" | cut -d' ' -f1)
script_sha=$(cat -- "${BASH_SOURCE[0]}" "$here/rootfs.sh" | sha256sum | cut -d' ' -f1)
key=$(printf 'node %s\nbusybox %s\nscript %s\n' "$node_sha" "$busybox_sha" "$script_sha" |
  sha256sum | cut -d' ' -f1)

node_version=$("$node_bin" --version)

current=$(docker image inspect --format "{{ index .Config.Labels \"$key_label\" }}" "$image" 2>/dev/null || true)
if [[ $force == false && $current == "$key" ]]; then
  echo "node-base: up to date: $image (node $node_version, key ${key:0:12})"
  exit 0
fi

started=${EPOCHREALTIME/./}
work=$(mktemp -d "${TMPDIR:-/tmp}/ollama-build-node-base.XXXXXX")
candidate=ollama-build-test/node-base:candidate-${key:0:12}
cleanup() {
  rm -rf -- "$work"
  docker rmi "$candidate" >/dev/null 2>&1 || true
}
trap cleanup EXIT
root=$work/rootfs

rootfs_skeleton "$root"
libs=$(rootfs_add_binary "$root" "$node_bin" /usr/local/bin/node) || die "copying node failed"
applets=$(rootfs_add_busybox "$root") || die "installing busybox failed"
rootfs_etc "$root" "ollama-build test base (node $node_version, busybox)"

# Import under a temporary tag, check it, then move the real tag onto it.
rootfs_import "$root" "$candidate" "ollama-build test base: node $node_version + busybox" \
  --change "ENV PATH=$image_path" \
  --change 'WORKDIR /' \
  --change 'CMD ["node"]' \
  --change "LABEL $key_label=$key" \
  --change "LABEL ollama-build-test.node-version=$node_version"

check() {
  local out
  out=$(docker run --rm --network none "$candidate" node -e 'console.log(process.version)') ||
    die "node does not run in $candidate"
  [[ $out == "$node_version" ]] || die "node in $candidate printed '$out', expected '$node_version'"
  out=$(docker run --rm --network none "$candidate" sh -c 'echo ok') ||
    die "sh does not run in $candidate"
  [[ $out == ok ]] || die "sh in $candidate printed '$out'"
}
check
run_started=${EPOCHREALTIME/./}
docker run --rm --network none "$candidate" node -e '' >/dev/null
run_ms=$(((${EPOCHREALTIME/./} - run_started) / 1000))

rootfs_replace "$image" "$candidate"
size=$(docker image inspect --format '{{ .Size }}' "$image")
took_ms=$(((${EPOCHREALTIME/./} - started) / 1000))
echo "node-base: built $image (node $node_version, $libs libraries, $applets busybox applets," \
  "$((size / 1024 / 1024)) MiB, 'docker run … node' ${run_ms} ms, build ${took_ms} ms, key ${key:0:12})"
