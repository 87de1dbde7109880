#!/bin/sh
# The LLM mock's Responses API path against its Chat Completions path, measured with an
# external load generator: `llmchaos mock llm` on a loopback port, wrk (2 threads, 32
# connections, 5 s) alternating the two paths, 3 runs each; every run's figure printed.
# Usage: bench/wrk-responses-vs-chat.sh [path/to/llmchaos]   (make bench-wrk builds it)
set -eu
BIN=${1:-bin/llmchaos}
DIR=$(dirname "$0")
if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk not installed: skipping the Responses-vs-Chat wrk benchmark (apt-get install wrk)"
  exit 0
fi
OUT=$(mktemp)
"$BIN" mock llm --listen 127.0.0.1:0 >"$OUT" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -f "$OUT"' EXIT
i=0
until grep -q serving "$OUT"; do
  i=$((i + 1))
  if [ $i -gt 100 ]; then echo "the mock did not start:"; cat "$OUT"; exit 1; fi
  sleep 0.1
done
URL=$(sed -n 's/.*serving on \(http:[^ ]*\).*/\1/p' "$OUT")
for run in 1 2 3; do
  for path in chat responses; do
    ep=/v1/chat/completions
    [ $path = responses ] && ep=/v1/responses
    printf 'run %s %-9s ' $run $path
    wrk -t2 -c32 -d5s -s "$DIR/wrk-$path.lua" "$URL$ep" | awk '/Requests\/sec/ {printf "%s req/s", $2} /Non-2xx/ {printf " NON-2XX: %s", $0}'
    echo
  done
done
