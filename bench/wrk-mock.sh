#!/usr/bin/env bash
# The LLM mock's throughput under an external load generator (wrk), against a bare net/http
# handler that writes the same answer bytes without computing them: whole completions
# (non-stream) and streams (the same SSE frames, flushed one by one; chunks/s = req/s x
# frames per answer, the same for both). Each target runs in its own process; wrk
# alternates between them, RUNS times each, -t1 -c32 for DURATION. Every run's figure is
# printed, and the mock/bare ratio of each pair.
#
#   bench/wrk-mock.sh            # or: make bench-wrk
#   RUNS=5 DURATION=4s bench/wrk-mock.sh
#
# Run it on an otherwise idle machine (make bench-wrk takes /tmp/llmchaos-heavy.lock).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
DURATION=${DURATION:-4s}
CONNS=${CONNS:-32}

if ! command -v wrk >/dev/null 2>&1; then
  echo "installing Debian's wrk" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/wrkserver" ./bench/wrkserver

# start TARGET: serves it in the background (in this shell, so cleanup stops it) and
# waits for its address, written to $work/TARGET.addr.
start() {
  "$work/wrkserver" -target "$1" >"$work/$1.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 200); do
    if grep -q '^listening on ' "$work/$1.out" 2>/dev/null; then
      sed -n 's/^listening on //p' "$work/$1.out" >"$work/$1.addr"
      return
    fi
    sleep 0.05
  done
  echo "wrkserver -target $1 did not start:" >&2; cat "$work/$1.out" >&2; exit 1
}
start mock
start bare
mock=$(cat "$work/mock.addr")
bare=$(cat "$work/bare.addr")

body='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello [llmchaos-id:bench-1]"}]}'
stream_body='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello [llmchaos-id:bench-1]"}],"stream":true}'
lua() { # a wrk script posting $1
  cat >"$2" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '$1'
LUA
}
lua "$body" "$work/post.lua"
lua "$stream_body" "$work/stream.lua"
frames=$(curl -s -X POST -H 'Content-Type: application/json' -d "$stream_body" "http://$mock/v1/chat/completions" | grep -c '^data: ')

# rps ADDR SCRIPT: one wrk run's requests/s (after emptying the mock's journal, so every
# run starts alike; the bare handler has none).
rps() {
  curl -s -X DELETE "http://$mock/_llmchaos/journal" >/dev/null
  wrk -t1 -c"$CONNS" -d"$DURATION" -s "$2" "http://$1/v1/chat/completions" | awk '/^Requests\/sec:/ {print $2}'
}

echo "wrk -t1 -c$CONNS -d$DURATION, $RUNS alternating runs per target; stream answers have $frames SSE data frames"
echo "mode        run  bare req/s   mock req/s   mock/bare"
for mode in non-stream stream; do
  script="$work/post.lua"; [ "$mode" = stream ] && script="$work/stream.lua"
  for i in $(seq "$RUNS"); do
    b=$(rps "$bare" "$script")
    m=$(rps "$mock" "$script")
    printf "%-11s %3d  %10s   %10s   %.3f\n" "$mode" "$i" "$b" "$m" "$(awk -v m="$m" -v b="$b" 'BEGIN {print m / b}')"
  done
done
