#!/bin/sh
# Entrypoint of images built by ollama-build: start the server, wait until it answers, load the configured
# models (OLLAMA_BUILD_WARMUP, space-separated) and log how long each took, then wait on the server so that
# docker stop's SIGTERM reaches it. Needs only what the Ollama image has: no curl, no wget.
#
# `ollama-build-entrypoint --health` is the image's HEALTHCHECK: healthy once the warm-up is done and the
# server still answers (`ollama list` fails while it is down).
set -eu

ready_file=${OLLAMA_BUILD_READY_FILE:-/tmp/ollama-build.ready}
if [ "${1:-}" = "--health" ]; then
  [ -e "$ready_file" ] || exit 1
  exec ollama list
fi
# A restarted container keeps /tmp: readiness is earned again on every start.
rm -f "$ready_file"

log() {
  echo "ollama-build: $*"
}

# Milliseconds since boot, from /proc/uptime (hundredths of a second): busybox and dash have no date +%N.
now_ms() {
  read -r uptime _ </proc/uptime
  seconds=${uptime%.*}
  hundredths=${uptime#*.}
  echo $((seconds * 1000 + ${hundredths#0} * 10))
}

started=$(now_ms)
ollama serve &
server=$!
signalled=false
trap 'signalled=true; kill -TERM "$server" 2>/dev/null || true' TERM INT

tries=0
until ollama list >/dev/null 2>&1; do
  if ! kill -0 "$server" 2>/dev/null; then
    log "the server exited before it was ready"
    wait "$server" || exit $?
    exit 1
  fi
  tries=$((tries + 1))
  if [ "$tries" -ge "${OLLAMA_BUILD_READY_TRIES:-1200}" ]; then
    log "the server did not answer in time"
    exit 1
  fi
  sleep 0.1
done
log "server ready in $(($(now_ms) - started)) ms"

# An empty prompt loads a model without generating (Ollama's documented preload). `ollama run` pulls a model
# the server does not have, so only models in the image are loaded (`ollama show` never pulls). stdin is
# /dev/null: `ollama run` reads a stdin that is not a terminal to its end before it starts.
for model in ${OLLAMA_BUILD_WARMUP:-}; do
  if ! ollama show "$model" >/dev/null 2>&1; then
    log "warning: could not load $model: not in the image"
    continue
  fi
  loading=$(now_ms)
  if ollama run "$model" "" </dev/null >/dev/null 2>&1; then
    log "loaded $model in $(($(now_ms) - loading)) ms"
  else
    log "warning: could not load $model"
  fi
done
: >"$ready_file"
log "ready"

# Exit with the server's own status. A trapped signal (docker stop) interrupts wait, which then returns 128+N
# while the server may still be shutting down: wait again (the shell keeps the status of a child that has
# already exited) until a wait was not interrupted.
while :; do
  signalled=false
  status=0
  wait "$server" || status=$?
  if [ "$signalled" = false ]; then break; fi
done
exit "$status"
