#!/usr/bin/env bash
# Installs and starts what the integration tests (test/integration/) need,
# then checks it works. Idempotent: what is installed, running or built
# already is detected and left alone (a changed config restarts that
# service), so a second run takes a second or two.
#
# What tests can rely on once this exits 0 (fixed; nothing is exported):
#   Docker Engine   default socket (/var/run/docker.sock, no DOCKER_HOST),
#                   BuildKit + buildx, default builder (docker driver, so
#                   FROM uses local images and nothing is pulled; never
#                   create a docker-container builder: it pulls BuildKit).
#                   containerd image store (when up.sh starts the daemon),
#                   so --cache-to/--cache-from type=registry work.
#                   127.0.0.0/8 registries are plain-HTTP ("insecure").
#   registry        127.0.0.1:5000  plain, no auth          (distribution 2.8)
#   registry-auth   127.0.0.1:5001  htpasswd basic auth     (distribution 2.8)
#                   user ollama-build, password test-password-not-secret
#                   Both: storage delete enabled, data kept across runs;
#                   up.sh's own check pushes ollama-build-test/smoke there.
#   node-base       ollama-build-test/node-base:latest, a local image (never
#                   pull it): node (the repo's node_modules/.bin/node) on
#                   PATH, static busybox with sh and the usual applets.
#                   Built by build-node-base.sh, rebuilt when node changes.
#   ollama          the real Ollama, for each version in ollama-versions:
#                   $state/ollama/<version>/ollama (go install from the Go module proxy, ggml's CPU
#                   backend through cgo) and ollama-build-test/ollama:<version>, an image laid out like
#                   ollama/ollama built from it (never pulled). Built by build-ollama.sh, rebuilt only when
#                   the version or the toolchain changes; the first build takes minutes.
# Readiness: `docker info`, `curl -sf http://127.0.0.1:5000/v2/`,
# `curl -sf -u ollama-build:test-password-not-secret http://127.0.0.1:5001/v2/`
# (401 without credentials).
#
# Engine: if a Docker daemon already answers (and has buildx), it is used.
# Otherwise, on Debian bookworm, trixie's docker.io, containerd and
# docker-buildx are installed from the Debian mirror next to bookworm's runc,
# tini and iptables, and dockerd is started in the background.
# Registries: Debian's docker-registry package, two instances in the
# background. Pid files, configs and data: /var/lib/ollama-build-test
# (as root; otherwise ~/.local/state/ollama-build-test); logs:
# /var/log/ollama-build-test (otherwise <state>/log). test/services/down.sh
# stops what this script started.
#
# Usage: bash test/services/up.sh   (as root, or a user with passwordless sudo)
# Needs `npm ci` first (the base image uses node_modules/.bin/node).
set -euo pipefail

readonly plain_addr=127.0.0.1:5000
readonly auth_addr=127.0.0.1:5001
readonly auth_user=ollama-build
readonly auth_password=test-password-not-secret
readonly docker_wait_s=60
readonly registry_wait_s=20

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)

if ((EUID == 0)); then
  state=/var/lib/ollama-build-test
  logs=/var/log/ollama-build-test
else
  state=${XDG_STATE_HOME:-$HOME/.local/state}/ollama-build-test
  logs=$state/log
fi
run=$state/run
mkdir -p -- "$state" "$logs" "$run"

die() {
  echo "up.sh: error: $*" >&2
  exit 1
}

# Shows the end of a log file on stderr (for failures).
show_log() {
  if [[ -s $1 ]]; then
    echo "--- last lines of $1:" >&2
    tail -n 25 -- "$1" >&2
    echo "---" >&2
  fi
}

as_root=()
if ((EUID != 0)); then
  command -v sudo >/dev/null || die "not root and no sudo: run as root"
  as_root=(sudo -n)
fi

# One up.sh at a time (launch closes fd 9 for the daemons).
exec 9>"$state/up.lock"
flock -w 900 9 || die "another up.sh holds $state/up.lock"

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
started_ms=$(now_ms)

# alive PID: the process exists and is not a zombie.
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# launch LOG CMD...: starts CMD in the background in a session of its own,
# stdin /dev/null, stdout and stderr appended to LOG, and no other open file
# (an inherited pipe would keep a CI step's output open; the lock on fd 9
# would be held forever). CMD replaces the subshell, so $! is its pid.
launch() {
  local log=$1
  shift
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      if ((fd > 2)); then exec {fd}>&-; fi
    done
    exec setsid "$@" </dev/null >>"$log" 2>&1
  ) &
}

# pid_of NAME PATTERN: prints the pid in $run/NAME.pid if that process is
# alive and its command line contains PATTERN (guards against reused pids).
# wait_for_start NAME PID LOG SECONDS WHAT CHECK [ARGS...]: polls CHECK until it succeeds; dies (showing
# the log) when the process exits first or the time runs out.
wait_for_start() {
  local name=$1 pid=$2 log=$3 seconds=$4 what=$5
  shift 5
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_log "$log"
      die "$name exited during startup"
    fi
    if ((SECONDS >= deadline)); then
      show_log "$log"
      die "$name did not $what within ${seconds}s (pid $pid, still running)"
    fi
    sleep 0.1
  done
}

pid_of() {
  local file=$run/$1.pid pid="" cmdline
  [[ -r $file ]] || return 1
  read -r pid <"$file" || [[ -n $pid ]] || return 1 # dockerd writes no newline
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline")
  [[ $cmdline == *"$2"* ]] || return 1
  echo "$pid"
}

# ---------------------------------------------------------------- packages

pkg_installed() {
  local status
  status=$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) || return 1
  [[ $status == installed ]]
}

apt_updated=false
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    if ! pkg_installed "$pkg"; then missing+=("$pkg"); fi
  done
  ((${#missing[@]} > 0)) || return 0
  echo "packages: installing ${missing[*]}"
  if [[ $apt_updated == false ]]; then
    "${as_root[@]}" apt-get update -qq || die "apt-get update failed"
    apt_updated=true
  fi
  with_policy_rc_d "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}" \
    >"$logs/apt.log" 2>&1 || {
    show_log "$logs/apt.log"
    die "apt-get install ${missing[*]} failed"
  }
}

# with_policy_rc_d CMD...: runs CMD with a policy-rc.d that forbids package
# scripts to start services (docker.io and docker-registry start theirs on
# install; this script starts them with its own configs). An existing
# policy-rc.d is left alone.
policy_rc_d=/usr/sbin/policy-rc.d
policy_rc_d_ours=false
with_policy_rc_d() {
  local rc=0
  if [[ -e $policy_rc_d ]]; then
    "$@" || rc=$?
    return "$rc"
  fi
  policy_rc_d_ours=true
  printf '#!/bin/sh\n# temporary, from ollama-build test/services/up.sh\nexit 101\n' |
    "${as_root[@]}" tee "$policy_rc_d" >/dev/null
  "${as_root[@]}" chmod 0755 "$policy_rc_d"
  "$@" || rc=$?
  remove_policy_rc_d
  return "$rc"
}

remove_policy_rc_d() {
  if [[ $policy_rc_d_ours == true ]]; then
    "${as_root[@]}" rm -f -- "$policy_rc_d"
    policy_rc_d_ours=false
  fi
}
trap remove_policy_rc_d EXIT

# ------------------------------------------------------------------ docker

docker_answers() { timeout 10 docker info >/dev/null 2>&1; }

buildx_works() { timeout 10 docker buildx version >/dev/null 2>&1; }

dockerd_major() {
  local v
  v=$(dockerd --version 2>/dev/null) || return 1
  v=${v#Docker version }
  echo "${v%%.*}"
}

# suite_apt SUITE APT-GET-ARGS...: apt-get against another Debian suite (trixie, sid), with sources derived
# from this machine's bookworm ones and lists kept apart in $state/apt-SUITE: the machine's own apt is untouched.
suite_apt() {
  local suite=$1
  shift
  local sources=/etc/apt/sources.list.d/debian.sources
  [[ -r $sources ]] || die "$sources not found (needed to derive the $suite sources)"
  local apt_dir=$state/apt-$suite
  mkdir -p -- "$apt_dir/sources" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  if [[ $suite == sid ]]; then
    # sid has neither -updates nor a security suite.
    sed -e 's/\bbookworm-updates\b//g' -e 's/\bbookworm\b/sid/g' "$sources" |
      awk 'BEGIN { RS = ""; ORS = "\n\n" } !/debian-security/' >"$apt_dir/sources/$suite.sources"
  else
    sed "s/\bbookworm\b/$suite/g" "$sources" >"$apt_dir/sources/$suite.sources"
  fi
  "${as_root[@]}" apt-get -o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt_dir/sources" \
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o APT::Sandbox::User=root "$@"
}

# download_debs SUITE DIR PKG...: the packages' .deb files from SUITE, into DIR (emptied first).
download_debs() {
  local suite=$1 dir=$2
  shift 2
  mkdir -p -- "$dir"
  rm -f -- "$dir"/*.deb
  {
    suite_apt "$suite" update -qq && (cd -- "$dir" && suite_apt "$suite" download "$@")
  } >"$logs/apt-$suite.log" 2>&1 || {
    show_log "$logs/apt-$suite.log"
    die "downloading $* from $suite failed"
  }
}

# Installs Debian trixie's docker.io, containerd and docker-buildx (and
# docker-cli if there is no docker CLI) on bookworm: bookworm's docker.io
# (20.10) has an old BuildKit and no buildx.
install_engine_from_trixie() {
  local codename=""
  if [[ -r /etc/os-release ]]; then
    # shellcheck disable=SC1091
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  fi
  if [[ $codename != bookworm ]]; then
    die "no usable Docker Engine (>= 23 with buildx) and this is not Debian bookworm" \
      "(VERSION_CODENAME=${codename:-unknown}): install Docker Engine with buildx first"
  fi
  local debs=$state/apt-trixie/debs
  local wanted=(docker.io containerd docker-buildx)
  if ! command -v docker >/dev/null; then wanted+=(docker-cli); fi
  echo "packages: downloading trixie ${wanted[*]}"
  download_debs trixie "$debs" "${wanted[@]}"
  echo "packages: installing $(cd -- "$debs" && echo *.deb)"
  with_policy_rc_d "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    dpkg -i "$debs"/*.deb >"$logs/dpkg-trixie.log" 2>&1 || {
    show_log "$logs/dpkg-trixie.log"
    die "dpkg -i of trixie's ${wanted[*]} failed"
  }
  rm -f -- "$debs"/*.deb
}

# docker_plan: sets docker_mode to "running" (a daemon answers), "start"
# (installed, not running) or "install".
docker_mode=""
docker_plan() {
  local major
  if docker_answers; then
    buildx_works || die "a Docker daemon answers but 'docker buildx version' fails: install buildx"
    docker_mode=running
    return
  fi
  major=$(dockerd_major || true)
  if [[ -z $major ]] || ((major < 23)) || ! command -v docker >/dev/null || ! buildx_works; then
    docker_mode=install
  else
    docker_mode=start
  fi
}

# stop_pid NAME PID: SIGTERM, wait (bounded), SIGKILL. For a restart.
stop_pid() {
  local name=$1 pid=$2 sudo=() deadline=$((SECONDS + 30))
  if [[ ! -O /proc/$pid ]]; then sudo=("${as_root[@]}"); fi
  "${sudo[@]}" kill -TERM "$pid" 2>/dev/null || true
  while alive "$pid"; do
    if ((SECONDS >= deadline)); then
      "${sudo[@]}" kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.1
  done
  ! alive "$pid" || die "could not stop $name (pid $pid)"
}

# The daemon config. The containerd image store is on: with the default
# builder (docker driver) BuildKit can then export cache (--cache-to
# type=registry), which the classic store refuses. 127.0.0.0/8 is insecure
# (plain HTTP) by default; stated here anyway.
docker_config_text() {
  cat <<'EOF'
{
  "insecure-registries": ["127.0.0.0/8"],
  "features": {"buildkit": true, "containerd-snapshotter": true}
}
EOF
}

docker_state=""
docker_config=$state/docker/daemon.json
ensure_docker() {
  local pid major restarted=false
  if [[ $docker_mode == running ]]; then
    if ! pid=$(pid_of dockerd "$docker_config"); then
      docker_state="running (not started by up.sh)"
      return
    fi
    if cmp -s "$docker_config" <(docker_config_text); then
      docker_state="running (pid $pid)"
      return
    fi
    echo "docker: $docker_config changed: restarting dockerd (pid $pid)"
    stop_pid dockerd "$pid"
    restarted=true
  fi

  if pid=$(pid_of dockerd "$docker_config"); then
    die "dockerd (pid $pid, started by up.sh) runs but 'docker info' fails; see $logs/dockerd.log" \
      "(bash test/services/down.sh stops it)"
  fi
  if [[ $docker_mode == install ]]; then
    install_engine_from_trixie
    major=$(dockerd_major || true)
    [[ -n $major ]] || die "dockerd missing after the install"
    ((major >= 23)) || die "dockerd $(dockerd --version) is too old after the install"
    buildx_works || die "'docker buildx version' fails after the install"
  fi

  local log=$logs/dockerd.log
  mkdir -p -- "$state/docker"
  docker_config_text >"$docker_config"
  local args=(dockerd --config-file "$docker_config" --pidfile "$run/dockerd.pid")
  if ((EUID != 0)); then args+=(--group "$(id -gn)"); fi
  echo "docker: starting dockerd (log $log)"
  "${as_root[@]}" rm -f -- "$run/dockerd.pid"
  launch "$log" "${as_root[@]}" "${args[@]}"
  local launcher=$!
  wait_for_start dockerd "$launcher" "$log" "$docker_wait_s" "answer 'docker info'" docker_answers
  pid=$(pid_of dockerd "$docker_config") || pid=$launcher
  if [[ $restarted == true ]]; then
    docker_state="restarted, config changed (pid $pid)"
  else
    docker_state="started (pid $pid)"
  fi
}

# containerd or classic: which image store the daemon uses.
image_store() {
  local status
  status=$(docker info --format '{{ json .DriverStatus }}' 2>/dev/null || true)
  if [[ $status == *io.containerd.snapshotter* ]]; then echo containerd; else echo classic; fi
}

# -------------------------------------------------------------- registries

http_code() {
  # http_code URL [curl args...]: prints the HTTP status, 000 if no answer.
  local url=$1
  shift
  curl -s -o /dev/null -m 5 -w '%{http_code}' "$@" "$url" 2>/dev/null || true
}

# registry_ok NAME: does the registry answer as expected?
registry_ok() {
  case $1 in
    registry) [[ $(http_code "http://$plain_addr/v2/") == 200 ]] ;;
    registry-auth)
      [[ $(http_code "http://$auth_addr/v2/") == 401 &&
        $(http_code "http://$auth_addr/v2/" -u "$auth_user:$auth_password") == 200 ]]
      ;;
  esac
}

ensure_htpasswd() {
  local file=$state/registry-auth/htpasswd
  mkdir -p -- "${file%/*}"
  if [[ -s $file ]] && htpasswd -vb "$file" "$auth_user" "$auth_password" >/dev/null 2>&1; then
    return
  fi
  # bcrypt: the only hash distribution's htpasswd auth accepts.
  htpasswd -Bbn "$auth_user" "$auth_password" | sed '/^$/d' >"$file.tmp"
  mv -f -- "$file.tmp" "$file"
}

# registry_config_text NAME ADDR: the registry's config.yml.
registry_config_text() {
  local name=$1 addr=$2 dir=$state/$1
  # No blobdescriptor cache: the in-memory one can claim a deleted blob still
  # exists, which breaks delete-then-push tests.
  cat <<EOF
# Written by test/services/up.sh (a change restarts the registry).
version: 0.1
log:
  level: info
  fields:
    service: $name
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: $addr
  secret: ollama-build-test-$name-not-secret
  headers:
    X-Content-Type-Options: [nosniff]
EOF
  if [[ $name == registry-auth ]]; then
    printf 'auth:\n  htpasswd:\n    realm: ollama-build-test\n    path: %s\n' "$dir/htpasswd"
  fi
}

declare -A registry_state=()
ensure_registry() {
  local name=$1 addr=$2 pid restarted=false
  local config=$state/$name/config.yml log=$logs/$name.log
  mkdir -p -- "$state/$name/data"
  if [[ $name == registry-auth ]]; then ensure_htpasswd; fi
  if pid=$(pid_of "$name" "$config"); then
    if cmp -s "$config" <(registry_config_text "$name" "$addr"); then
      registry_ok "$name" || die "$name (pid $pid) runs but does not answer as expected on $addr; see $log"
      registry_state[$name]="running (pid $pid)"
      return
    fi
    echo "$name: $config changed: restarting (pid $pid)"
    stop_pid "$name" "$pid"
    restarted=true
  elif [[ $(http_code "http://$addr/v2/") != 000 ]]; then
    registry_ok "$name" ||
      die "something else listens on $addr (not a registry configured as up.sh expects): stop it"
    registry_state[$name]="running (not started by up.sh)"
    return
  fi
  command -v docker-registry >/dev/null || die "docker-registry missing"
  registry_config_text "$name" "$addr" >"$config.tmp"
  mv -f -- "$config.tmp" "$config"
  launch "$log" docker-registry serve "$config"
  pid=$!
  echo "$pid" >"$run/$name.pid"
  wait_for_start "$name" "$pid" "$log" "$registry_wait_s" "answer on $addr" registry_ok "$name"
  if [[ $restarted == true ]]; then
    registry_state[$name]="restarted, config changed (pid $pid)"
  else
    registry_state[$name]="started (pid $pid)"
  fi
}

# ------------------------------------------------------------------ ollama

# The headers Ollama 0.12 to 0.24 include from vendor folders that Go's module zip drops: nlohmann/json and
# stb from bookworm (in /usr/include), miniaudio (header-only) from sid, unpacked into a folder of its own.
ollama_include=$state/ollama/include
ensure_ollama_headers() {
  apt_install nlohmann-json3-dev libstb-dev
  local header=$ollama_include/miniaudio/miniaudio.h debs=$state/apt-sid/debs
  if [[ -s $header ]]; then return; fi
  echo "packages: downloading sid libminiaudio-dev (header only)"
  download_debs sid "$debs" libminiaudio-dev
  mkdir -p -- "${header%/*}"
  dpkg-deb --fsys-tarfile "$debs"/libminiaudio-dev_*.deb | tar -xO ./usr/include/miniaudio.h >"$header.tmp" ||
    die "libminiaudio-dev has no usr/include/miniaudio.h"
  mv -f -- "$header.tmp" "$header"
  rm -f -- "$debs"/*.deb
}

# ------------------------------------------------------------------- smoke

# smoke_push DIR: pushes a one-file image to both registries through the
# engine (docker push) and through BuildKit (buildx build --push, what tests
# do; with --cache-to type=registry when the image store allows it). The
# login uses a private DOCKER_CONFIG, so ~/.docker is untouched.
smoke_push() {
  local cfg=$1/docker-config ctx=$1/ctx addr
  local local_tag=ollama-build-test/smoke:up-sh
  # Tags of their own for every run: distribution rewrites a tag's link file in place, and a push that reads
  # the tag it is overwriting can catch it half written (HTTP 500 "invalid checksum digest format").
  local run_tag
  run_tag=$(date +%s)-$$
  mkdir -p -- "$cfg" "$ctx" || return 1
  printf 'ok\n' >"$ctx/ok" || return 1
  printf 'FROM scratch\nCOPY --link ok /ok\n' >"$ctx/Dockerfile" || return 1
  tar -C "$ctx" -c ok | docker import - "$local_tag" || return 1
  for addr in "$plain_addr" "$auth_addr"; do
    local cache=()
    if [[ $store == containerd ]]; then
      cache=(--cache-to "type=registry,ref=$addr/ollama-build-test/smoke:buildcache-$run_tag,mode=max")
    fi
    if [[ $addr == "$auth_addr" ]]; then
      printf '%s' "$auth_password" |
        DOCKER_CONFIG=$cfg docker login --username "$auth_user" --password-stdin "$addr" || return 1
    fi
    docker tag "$local_tag" "$addr/ollama-build-test/smoke:up-sh-$run_tag" || return 1
    DOCKER_CONFIG=$cfg docker push -q "$addr/ollama-build-test/smoke:up-sh-$run_tag" || return 1
    docker rmi "$addr/ollama-build-test/smoke:up-sh-$run_tag" || return 1
    DOCKER_CONFIG=$cfg docker buildx build -q --push "${cache[@]}" \
      -t "$addr/ollama-build-test/smoke:buildx-$run_tag" "$ctx" || return 1
    docker rmi "$addr/ollama-build-test/smoke:buildx-$run_tag" || true
  done
  DOCKER_CONFIG=$cfg docker logout "$auth_addr" || return 1
  docker rmi "$local_tag" || return 1
}

smoke_test() {
  local dir log=$logs/smoke.log rc=0
  dir=$(mktemp -d "${TMPDIR:-/tmp}/ollama-build-up.XXXXXX")
  smoke_push "$dir" >"$log" 2>&1 || rc=$?
  rm -rf -- "$dir"
  if ((rc != 0)); then
    show_log "$log"
    die "smoke test (push to $plain_addr and $auth_addr) failed"
  fi
  smoke_state="docker push, buildx build --push"
  if [[ $store == containerd ]]; then smoke_state+=" --cache-to type=registry"; fi
  smoke_state+=": ok on both registries"
}

# -------------------------------------------------------------------- main

docker_plan
bookworm_packages=(docker-registry apache2-utils busybox-static curl)
# What trixie's docker.io and containerd need from bookworm.
if [[ $docker_mode == install ]]; then bookworm_packages+=(runc tini iptables); fi
apt_install "${bookworm_packages[@]}"
ensure_docker
ensure_registry registry "$plain_addr"
ensure_registry registry-auth "$auth_addr"
node_base=$(bash "$here/build-node-base.sh") || die "building the node base image failed"
ensure_ollama_headers
bash "$here/build-ollama.sh" --state "$state" --logs "$logs" --include "$ollama_include" ||
  die "building the real Ollama failed"
store=$(image_store)
smoke_state=""
smoke_test

server=$(docker version --format '{{ .Server.Version }}' 2>/dev/null || echo '?')
buildx=$(docker buildx version 2>/dev/null | awk '{print $2}')
echo "docker:        ${docker_state}; engine $server, buildx $buildx, $store image store"
if [[ $store != containerd ]]; then
  echo "warning: classic image store: the docker driver refuses --cache-to (enable the containerd image store)" >&2
fi
echo "registry:      ${registry_state[registry]}; http://$plain_addr (no auth)"
echo "registry-auth: ${registry_state[registry-auth]}; http://$auth_addr (user $auth_user)"
echo "node-base:     ${node_base#node-base: }"
echo "smoke:         $smoke_state"
echo "ollama:        $(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/ollama-versions" | tr -d ' ' | paste -sd ' ') (ollama-build-test/ollama:<version>)"
echo "up.sh: ready in $(($(now_ms) - started_ms)) ms (state $state, logs $logs)"
