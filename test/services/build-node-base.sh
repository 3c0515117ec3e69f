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

busybox_bin=$(readlink -f /bin/busybox 2>/dev/null || true)
if [[ -z $busybox_bin || ! -x $busybox_bin ]]; then
  die "/bin/busybox is missing: install Debian's busybox-static"
fi
busybox_ldd=$(LC_ALL=C ldd "$busybox_bin" 2>&1 || true)
if [[ $busybox_ldd != *"not a dynamic executable"* && $busybox_ldd != *"statically linked"* ]]; then
  die "$busybox_bin is not static: install busybox-static (not busybox)"
fi

command -v docker >/dev/null || die "docker CLI not found"
docker info >/dev/null 2>&1 || die "the Docker daemon does not answer (run test/services/up.sh)"

node_sha=$(sha256sum -- "$node_bin" | cut -d' ' -f1)
busybox_sha=$(sha256sum -- "$busybox_bin" | cut -d' ' -f1)
script_sha=$(sha256sum -- "${BASH_SOURCE[0]}" | cut -d' ' -f1)
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

# Usr-merged skeleton.
mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,usr/lib64,usr/local/bin,usr/local/sbin,etc,root,tmp,proc,sys,dev}
for dir in bin sbin lib lib64; do ln -s "usr/$dir" "$root/$dir"; done
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"

# Node and the libraries it links (copied dereferenced, at the paths the
# loader looks them up; the usr-merge symlinks above take /lib/... to /usr/lib/...).
cp -- "$node_bin" "$root/usr/local/bin/node"
chmod 0755 "$root/usr/local/bin/node"
libs=()
while read -r line; do
  # "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
  if [[ $line =~ =\>\ (/[^ ]+) ]]; then
    libs+=("${BASH_REMATCH[1]}")
  elif [[ $line =~ ^(/[^ ]+)\ \( ]]; then
    libs+=("${BASH_REMATCH[1]}")
  elif [[ $line == *"not found"* ]]; then
    die "ldd: $line"
  fi
done < <(LC_ALL=C ldd "$node_bin")
((${#libs[@]} > 0)) || die "ldd listed no libraries for $node_bin"
for lib in "${libs[@]}"; do
  mkdir -p -- "$root$(dirname -- "$lib")"
  cp -L -- "$lib" "$root$lib"
done
interp=$(LC_ALL=C readelf -l "$node_bin" 2>/dev/null | sed -n 's/.*interpreter: \(.*\)]$/\1/p' || true)
if [[ -n $interp && ! -e $root$interp ]]; then
  mkdir -p -- "$root$(dirname -- "$interp")"
  cp -L -- "$interp" "$root$interp"
fi

# Busybox and its applets (what `busybox --install -s` would do).
cp -- "$busybox_bin" "$root/usr/bin/busybox"
chmod 0755 "$root/usr/bin/busybox"
applets=0
while read -r applet; do
  case $applet in
    "" | linuxrc | */busybox) continue ;;
  esac
  if [[ -e $root/$applet || -L $root/$applet ]]; then continue; fi
  mkdir -p -- "$root/$(dirname -- "$applet")"
  ln -s /usr/bin/busybox "$root/$applet"
  applets=$((applets + 1))
done < <("$busybox_bin" --list-full)
[[ -L $root/bin/sh || -L $root/usr/bin/sh ]] || die "busybox has no sh applet"

cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
printf 'ID=ollama-build-test\nNAME="ollama-build test base (node %s, busybox)"\n' \
  "$node_version" >"$root/etc/os-release"

# Import under a temporary tag, check it, then move the real tag onto it.
tar --numeric-owner --owner=0 --group=0 -C "$root" -c . |
  docker import \
    --change "ENV PATH=$image_path" \
    --change 'WORKDIR /' \
    --change 'CMD ["node"]' \
    --change "LABEL $key_label=$key" \
    --change "LABEL ollama-build-test.node-version=$node_version" \
    --message "ollama-build test base: node $node_version + busybox" \
    - "$candidate" >/dev/null

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

old_id=$(docker image inspect --format '{{ .Id }}' "$image" 2>/dev/null || true)
docker tag "$candidate" "$image"
docker rmi "$candidate" >/dev/null
new_id=$(docker image inspect --format '{{ .Id }}' "$image")
if [[ -n $old_id && $old_id != "$new_id" ]]; then
  # The previous build, now untagged; kept if something still uses it.
  docker rmi "$old_id" >/dev/null 2>&1 || true
fi
size=$(docker image inspect --format '{{ .Size }}' "$image")
took_ms=$(((${EPOCHREALTIME/./} - started) / 1000))
echo "node-base: built $image (node $node_version, ${#libs[@]} libraries, $applets busybox applets," \
  "$((size / 1024 / 1024)) MiB, 'docker run … node' ${run_ms} ms, build ${took_ms} ms, key ${key:0:12})"
