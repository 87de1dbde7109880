#!/usr/bin/env bash
# The LLM mock's throughput under an external load generator (wrk), against a bare net/http
# handler that writes the same answer bytes without computing them: whole completions
# (non-stream) and streams (the same SSE frames, flushed where the mock flushes;
# chunks/s = req/s x frames per answer, the same for both). Each target runs in its own
# process; wrk alternates between them, RUNS times each, -t1 -c32 for DURATION, after one
# unreported warm-up run per target. Every run's figure is printed: req/s, the mock/bare ratio of
# each pair, the server's CPU time per request (user + system, from /proc), which says
# what the server costs even when other work on the machine takes part of its core, and
# its read and write system calls per request (syscr, syscw of /proc/PID/io).
#
#   bench/wrk-mock.sh            # or: make bench-wrk
#   RUNS=7 DURATION=5s bench/wrk-mock.sh
#   OLD=/tmp/wrkserver-main bench/wrk-mock.sh   # also an older build's mock, in the same rounds
#   SPIN=4us bench/wrk-mock.sh   # also the bare handler made slower by 4 µs of CPU a request
#
# On a machine with two or more CPUs (and taskset), the servers run pinned to CPU 0 and
# wrk to CPU 1 (PIN=0 turns that off), so wrk never takes the server's core and the
# server is the bottleneck. Run it on an otherwise idle machine (make bench-wrk takes
# /tmp/llmchaos-heavy.lock).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
DURATION=${DURATION:-5s}
CONNS=${CONNS:-32}
PIN=${PIN:-1}
OLD=${OLD:-}
SPIN=${SPIN:-}

if ! command -v wrk >/dev/null 2>&1; then
  echo "installing Debian's wrk" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi

serverpin=() wrkpin=()
if [ "$PIN" = 1 ] && command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
  serverpin=(taskset -c 0) wrkpin=(taskset -c 1)
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

# start NAME BINARY TARGET [FLAG...]: serves it in the background (in this shell, so cleanup stops
# it) and waits for its address ($work/NAME.addr) and notes its pid ($work/NAME.pid).
start() {
  "${serverpin[@]}" "$2" -target "$3" "${@:4}" >"$work/$1.out" 2>&1 &
  pids+=($!)
  echo $! >"$work/$1.pid"
  for _ in $(seq 200); do
    if grep -q '^listening on ' "$work/$1.out" 2>/dev/null; then
      sed -n 's/^listening on //p' "$work/$1.out" >"$work/$1.addr"
      return
    fi
    sleep 0.05
  done
  echo "wrkserver -target $3 ($1) did not start:" >&2; cat "$work/$1.out" >&2; exit 1
}
targets=(bare mock)
start mock "$work/wrkserver" mock
start bare "$work/wrkserver" bare
if [ -n "$OLD" ]; then
  start old "$OLD" mock
  targets+=(old)
fi
if [ -n "$SPIN" ]; then
  start spin "$work/wrkserver" bare -spin "$SPIN"
  targets+=(spin)
fi
mock=$(cat "$work/mock.addr")

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

# counters NAME: the server's user + system CPU time so far in clock ticks, and its read
# and write system calls so far.
counters() {
  local pid
  pid=$(cat "$work/$1.pid")
  echo "$(awk '{print $14 + $15}' "/proc/$pid/stat") $(awk '/^sysc[rw]:/ {printf "%s ", $2}' "/proc/$pid/io")"
}

# run NAME SCRIPT DURATION: one wrk run against target NAME (after emptying the mocks'
# journals, so every run starts alike; the bare handlers have none), printing
# "req/s cpu-µs-per-request reads/request writes/request".
run() {
  local addr c0 c1 out
  addr=$(cat "$work/$1.addr")
  case $1 in bare | spin) ;; *) curl -s -X DELETE "http://$addr/_llmchaos/journal" >/dev/null ;; esac
  c0=$(counters "$1")
  out=$("${wrkpin[@]}" wrk -t1 -c"$CONNS" -d"$3" -s "$2" "http://$addr/v1/chat/completions")
  c1=$(counters "$1")
  awk -v c0="$c0" -v c1="$c1" -v hz="$(getconf CLK_TCK)" '
    /requests in/ {n = $1}
    /^Requests\/sec:/ {r = $2}
    END {
      split(c0, a, " "); split(c1, b, " ")
      if (n > 0) printf "%s %.1f %.2f %.2f\n", r, (b[1] - a[1]) / hz * 1e6 / n, (b[2] - a[2]) / n, (b[3] - a[3]) / n
      else print "0 0 0 0"
    }' <<<"$out"
}

echo "wrk -t1 -c$CONNS -d$DURATION, $RUNS alternating runs per target after a warm-up;" \
  "stream answers have $frames SSE data frames; pinned: ${serverpin[*]:-no} (servers) ${wrkpin[*]:-no} (wrk)"
header="mode        run  bare req/s (µs/req)   mock req/s (µs/req)   mock/bare"
[ -n "$OLD" ] && header="$header   old req/s (µs/req)   old/bare"
[ -n "$SPIN" ] && header="$header   spin req/s (µs/req)   spin/bare"
header="$header   reads/writes per request (bare mock${OLD:+ old}${SPIN:+ spin})"
for mode in non-stream stream; do
  script="$work/post.lua"; [ "$mode" = stream ] && script="$work/stream.lua"
  for t in "${targets[@]}"; do run "$t" "$script" 1s >/dev/null; done
  echo "load before $mode: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "$header"
  for i in $(seq "$RUNS"); do
    read -r b bc brd bwr < <(run bare "$script" "$DURATION")
    read -r m mc mrd mwr < <(run mock "$script" "$DURATION")
    line=$(printf "%-11s %3d  %10s (%5s)   %10s (%5s)   %.3f" "$mode" "$i" "$b" "$bc" "$m" "$mc" \
      "$(awk -v m="$m" -v b="$b" 'BEGIN {print m / b}')")
    calls="$brd/$bwr $mrd/$mwr"
    for t in old spin; do
      [[ " ${targets[*]} " == *" $t "* ]] || continue
      read -r o oc ord owr < <(run "$t" "$script" "$DURATION")
      line=$(printf "%s   %10s (%5s)   %.3f" "$line" "$o" "$oc" "$(awk -v m="$o" -v b="$b" 'BEGIN {print m / b}')")
      calls="$calls $ord/$owr"
    done
    echo "$line   $calls"
  done
done
