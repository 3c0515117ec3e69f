#!/usr/bin/env bash
# Builds the real Ollama for every version in test/services/ollama-versions, and from each binary an image
# laid out like ollama/ollama (nothing is pulled):
#
#   STATE/ollama/<version>/ollama        `CGO_ENABLED=1 go install github.com/ollama/ollama@v<version>` from
#                                        the Go module proxy: the server, the CLI and the runner in one binary,
#                                        ggml's CPU backend compiled through cgo and linked in
#   ollama-build-test/ollama:<version>   /usr/bin/ollama (/bin/ollama through the usr-merge), the libraries
#                                        `ldd` lists, dash as /bin/sh (as Ubuntu's) and a few coreutils, each
#                                        with its libraries (no curl, no wget, no busybox),
#                                        ENV OLLAMA_HOST=0.0.0.0:11434, ENTRYPOINT ["/bin/ollama"],
#                                        CMD ["serve"], EXPOSE 11434, a writable /root
#
# Go's module and build caches are reused, and nothing is rebuilt when its key is unchanged: a binary's key is
# the version, `go version` and the build flags; an image's is the binary, the programs and these scripts. Each
# build prints its time; the build log goes to LOGS/ollama-<version>.log.
#
# Usage: bash test/services/build-ollama.sh --state DIR --logs DIR --include DIR [--force]
#   --include DIR  the headers Ollama 0.12 to 0.24 include from vendor folders the module zip drops
#                  (nlohmann/, stb/, miniaudio/); test/services/up.sh prepares them from Debian's packages.
# Needs: Go (1.26) with the module proxy, gcc/g++, a running Docker daemon, dash and coreutils.
set -euo pipefail

readonly image_repository=ollama-build-test/ollama
readonly key_label=ollama-build-test.key
readonly image_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# The tools a script in the image may use besides the shell, from this machine; deliberately no curl or wget
# (the official image has neither) and no busybox (whose shell would find its wget applet).
readonly programs=(cat chmod cp cut date env grep head id ln ls mkdir mv rm sed sleep sort tail tr uname wc)

die() {
  echo "ollama: error: $*" >&2
  exit 1
}

state="" logs="" include="" force=false
while (($# > 0)); do
  case $1 in
    --state | --logs | --include)
      (($# >= 2)) || die "$1 needs a value"
      declare "${1#--}=$2"
      shift 2
      ;;
    --force)
      force=true
      shift
      ;;
    *)
      echo "usage: $0 --state DIR --logs DIR --include DIR [--force]" >&2
      exit 2
      ;;
  esac
done
[[ -n $state && -n $logs && -n $include ]] || die "--state, --logs and --include are required"

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=/dev/null
source "$here/rootfs.sh"

command -v go >/dev/null || die "go is not on PATH: Ollama is built with Go (1.26) from the Go module proxy"
command -v docker >/dev/null || die "docker CLI not found"
docker info >/dev/null 2>&1 || die "the Docker daemon does not answer (run test/services/up.sh)"

mapfile -t versions < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$here/ollama-versions")
((${#versions[@]} > 0)) || die "$here/ollama-versions names no version"

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
sha() { sha256sum | cut -d' ' -f1; }

go_version=$(go version)
programs_sha=$(for program in dash "${programs[@]}"; do sha <"$(readlink -f -- "$(command -v "$program")")"; done | sha)
scripts_sha=$(cat -- "${BASH_SOURCE[0]}" "$here/rootfs.sh" | sha)

# build_binary VERSION: STATE/ollama/VERSION/ollama, unless its key is unchanged.
build_binary() {
  local version=$1 dir=$state/ollama/$1 started
  local ldflags="-X=github.com/ollama/ollama/version.Version=$version"
  local cppflags="-I$include"
  local key
  key=$(printf 'ollama %s\n%s\nCGO_CPPFLAGS %s\nldflags %s\ntrimpath\n' "$version" "$go_version" "$cppflags" \
    "$ldflags" | sha)
  if [[ $force == false && -x $dir/ollama && $(cat -- "$dir/key" 2>/dev/null) == "$key" ]]; then
    echo "ollama $version: binary up to date ($dir/ollama)"
    return
  fi
  started=$(now_ms)
  rm -rf -- "$dir"
  mkdir -p -- "$dir/.bin"
  local log=$logs/ollama-$version.log
  echo "ollama $version: building with $go_version (log $log)"
  GOBIN=$dir/.bin CGO_ENABLED=1 CGO_CPPFLAGS=$cppflags \
    go install -trimpath -ldflags "$ldflags" "github.com/ollama/ollama@v$version" >"$log" 2>&1 || {
    show_log "$log"
    die "go install github.com/ollama/ollama@v$version failed"
  }
  "$dir/.bin/ollama" --version 2>&1 | grep -q "$version" || die "the built binary does not say it is $version"
  mv -- "$dir/.bin/ollama" "$dir/ollama"
  rmdir -- "$dir/.bin"
  printf '%s\n' "$key" >"$dir/key"
  echo "ollama $version: built $dir/ollama in $(($(now_ms) - started)) ms"
}

show_log() {
  if [[ -s $1 ]]; then
    echo "--- last lines of $1:" >&2
    tail -n 25 -- "$1" >&2
    echo "---" >&2
  fi
}

# build_image VERSION: ollama-build-test/ollama:VERSION from the binary, unless its key is unchanged.
build_image() {
  local version=$1 binary=$state/ollama/$1/ollama image=$image_repository:$1 key current started
  key=$(printf 'binary %s\nprograms %s\nscripts %s\n' "$(sha <"$binary")" "$programs_sha" "$scripts_sha" | sha)
  current=$(docker image inspect --format "{{ index .Config.Labels \"$key_label\" }}" "$image" 2>/dev/null || true)
  if [[ $force == false && $current == "$key" ]]; then
    echo "ollama $version: image up to date ($image, key ${key:0:12})"
    return
  fi
  started=$(now_ms)
  local work
  candidate=$image_repository:candidate-${key:0:12}
  work=$(mktemp -d "${TMPDIR:-/tmp}/ollama-build-ollama-image.XXXXXX")
  work_dirs+=("$work")
  local root=$work/rootfs libs
  rootfs_skeleton "$root"
  libs=$(rootfs_add_binary "$root" "$binary" /usr/bin/ollama) || die "copying the ollama binary failed"
  rootfs_add_programs "$root" dash "${programs[@]}"
  ln -s dash "$root/usr/bin/sh"
  rootfs_etc "$root" "ollama-build test Ollama $version"
  rootfs_import "$root" "$candidate" "ollama-build test image: Ollama $version built from its Go module" \
    --change "ENV PATH=$image_path" \
    --change "ENV OLLAMA_HOST=0.0.0.0:11434" \
    --change "EXPOSE 11434" \
    --change 'ENTRYPOINT ["/bin/ollama"]' \
    --change 'CMD ["serve"]' \
    --change "LABEL $key_label=$key" \
    --change "LABEL ollama-build-test.ollama-version=$version"
  local said
  said=$(docker run --rm --network none "$candidate" --version 2>&1) || die "ollama --version fails in $candidate"
  [[ $said == *"$version"* ]] || die "ollama --version in $candidate printed '$said'"
  if docker run --rm --network none --entrypoint /bin/sh "$candidate" -c 'command -v curl || command -v wget' >&2; then
    die "$candidate has curl or wget; the real image has neither"
  fi
  rootfs_replace "$image" "$candidate"
  candidate=""
  echo "ollama $version: built $image ($libs libraries, dash and ${#programs[@]} tools) in $(($(now_ms) - started)) ms"
}

# What an interrupted or failed image build leaves: its folders and its candidate tag.
work_dirs=()
candidate=""
cleanup() {
  if ((${#work_dirs[@]} > 0)); then rm -rf -- "${work_dirs[@]}"; fi
  if [[ -n $candidate ]]; then docker rmi "$candidate" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

for version in "${versions[@]}"; do
  build_binary "$version"
  build_image "$version"
done
