#!/usr/bin/env bash
# Functions that assemble a container root file system from this machine's files, for images that cannot be
# pulled (no Docker Hub): a binary and the shared libraries `ldd` lists for it, static busybox applets, and
# the few files in /etc a process expects. Sourced by build-node-base.sh and build-ollama.sh.
#
# Layout is usr-merged: /bin, /sbin, /lib, /lib64 are symlinks into /usr.

# rootfs_die MESSAGE...: the caller's die, if it has one.
rootfs_die() {
  if declare -F die >/dev/null; then die "$@"; fi
  echo "rootfs: error: $*" >&2
  exit 1
}

# rootfs_skeleton ROOT: the directories, /tmp (1777) and /root (0700).
rootfs_skeleton() {
  local root=$1 dir
  mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,usr/lib64,usr/local/bin,usr/local/sbin,etc,root,tmp,proc,sys,dev}
  for dir in bin sbin lib lib64; do ln -s "usr/$dir" "$root/$dir"; done
  chmod 1777 "$root/tmp"
  chmod 0700 "$root/root"
}

# rootfs_add_binary ROOT SOURCE TARGET: copies the executable SOURCE to TARGET (an absolute path in the
# image), with the libraries `ldd` lists for it at the paths the loader looks them up, and the loader.
# Prints how many libraries it copied.
rootfs_add_binary() {
  local root=$1 source=$2 target=$3 line lib interp
  local libs=()
  mkdir -p -- "$root$(dirname -- "$target")"
  cp -- "$source" "$root$target"
  chmod 0755 "$root$target"
  while read -r line; do
    # "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
    if [[ $line =~ =\>\ (/[^ ]+) ]]; then
      libs+=("${BASH_REMATCH[1]}")
    elif [[ $line =~ ^(/[^ ]+)\ \( ]]; then
      libs+=("${BASH_REMATCH[1]}")
    elif [[ $line == *"not found"* ]]; then
      rootfs_die "ldd $source: $line"
    fi
  done < <(LC_ALL=C ldd "$source")
  ((${#libs[@]} > 0)) || rootfs_die "ldd listed no libraries for $source"
  for lib in "${libs[@]}"; do
    mkdir -p -- "$root$(dirname -- "$lib")"
    cp -L -- "$lib" "$root$lib"
  done
  interp=$(LC_ALL=C readelf -l "$source" 2>/dev/null | sed -n 's/.*interpreter: \(.*\)]$/\1/p' || true)
  if [[ -n $interp && ! -e $root$interp ]]; then
    mkdir -p -- "$root$(dirname -- "$interp")"
    cp -L -- "$interp" "$root$interp"
  fi
  echo "${#libs[@]}"
}

# rootfs_add_programs ROOT PROGRAM...: this machine's PROGRAMs (found on PATH) at /usr/bin/PROGRAM, each with
# the libraries it links.
rootfs_add_programs() {
  local root=$1 program source
  shift
  for program in "$@"; do
    source=$(command -v "$program") || rootfs_die "$program is not installed"
    rootfs_add_binary "$root" "$(readlink -f -- "$source")" "/usr/bin/$program" >/dev/null
  done
}

# rootfs_busybox_path: the static busybox binary (Debian's busybox-static), or dies.
rootfs_busybox_path() {
  local bin ldd_out
  bin=$(readlink -f /bin/busybox 2>/dev/null || true)
  [[ -n $bin && -x $bin ]] || rootfs_die "/bin/busybox is missing: install Debian's busybox-static"
  ldd_out=$(LC_ALL=C ldd "$bin" 2>&1 || true)
  if [[ $ldd_out != *"not a dynamic executable"* && $ldd_out != *"statically linked"* ]]; then
    rootfs_die "$bin is not static: install busybox-static (not busybox)"
  fi
  echo "$bin"
}

# rootfs_add_busybox ROOT [APPLET...]: static busybox at /usr/bin/busybox and a symlink per applet, at the
# path busybox gives it; every applet when none is named. Prints how many applets it linked.
rootfs_add_busybox() {
  local root=$1
  shift
  local bin applet count=0
  bin=$(rootfs_busybox_path)
  cp -- "$bin" "$root/usr/bin/busybox"
  chmod 0755 "$root/usr/bin/busybox"
  local wanted=" $* "
  while read -r applet; do
    case $applet in
      "" | linuxrc | */busybox) continue ;;
    esac
    if (($# > 0)) && [[ $wanted != *" ${applet##*/} "* ]]; then continue; fi
    if [[ -e $root/$applet || -L $root/$applet ]]; then continue; fi
    mkdir -p -- "$root/$(dirname -- "$applet")"
    ln -s /usr/bin/busybox "$root/$applet"
    count=$((count + 1))
  done < <("$bin" --list-full)
  [[ -L $root/bin/sh || -L $root/usr/bin/sh ]] || rootfs_die "busybox has no sh applet"
  echo "$count"
}

# rootfs_etc ROOT NAME: /etc/passwd and /etc/group (root, nobody), nsswitch.conf and an os-release naming NAME.
rootfs_etc() {
  local root=$1 name=$2
  cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
  printf 'ID=ollama-build-test\nNAME="%s"\n' "$name" >"$root/etc/os-release"
}

# rootfs_import ROOT TAG MESSAGE [--change INSTRUCTION]...: `docker import`s ROOT as TAG.
rootfs_import() {
  local root=$1 import_tag=$2 message=$3
  shift 3
  tar --numeric-owner --owner=0 --group=0 -C "$root" -c . |
    docker import "$@" --message "$message" - "$import_tag" >/dev/null
}

# rootfs_replace IMAGE CANDIDATE: moves the tag IMAGE onto CANDIDATE and drops the image IMAGE named before.
rootfs_replace() {
  local tag=$1 candidate_tag=$2 old_id new_id
  old_id=$(docker image inspect --format '{{ .Id }}' "$tag" 2>/dev/null || true)
  docker tag "$candidate_tag" "$tag"
  docker rmi "$candidate_tag" >/dev/null
  new_id=$(docker image inspect --format '{{ .Id }}' "$tag")
  if [[ -n $old_id && $old_id != "$new_id" ]]; then
    # The previous build, now untagged; kept if something still uses it.
    docker rmi "$old_id" >/dev/null 2>&1 || true
  fi
}
