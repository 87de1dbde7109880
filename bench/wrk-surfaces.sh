#!/bin/sh
# wrk-surfaces.sh: the LLM mock's throughput per provider surface, measured from outside
# with wrk, whole answers, against Chat Completions in the same run: one standalone
# `llmchaos mock llm`, then ROUNDS rounds of (chat, gemini, azure, bedrock) one after
# the other, each for DURATION with CONNS connections on 1 thread. Every round's figure
# is printed (the spread) with the 1-minute load average, and each surface's ratio to
# the chat run of its own round. Sequential runs see whatever else the machine does:
# BenchmarkSurfacesVsChat (alternating request by request) is the fairer comparison.
#
#   make build && flock /tmp/llmchaos-heavy.lock bench/wrk-surfaces.sh
#
# Needs wrk (apt-get install wrk). ROUNDS, DURATION, CONNS override the defaults.
set -eu
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
CONNS=${CONNS:-16}
BIN=${LLMCHAOS:-bin/llmchaos}
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 2; }
[ -x "$BIN" ] || { echo "$BIN not found: run make build (or set LLMCHAOS)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'kill $mock 2>/dev/null; rm -rf "$tmp"' EXIT
"$BIN" mock llm --listen 127.0.0.1:0 >"$tmp/mock.out" 2>&1 &
mock=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
	url=$(sed -n 's/.*serving on \(http:[^ ]*\).*/\1/p' "$tmp/mock.out")
	[ -n "$url" ] && break
	sleep 0.5
done
[ -n "$url" ] || { echo "the mock did not start:" >&2; cat "$tmp/mock.out" >&2; exit 1; }

tag='hello [llmchaos-id:wrk-1]'
lua() { # lua NAME BODY: a wrk script that POSTs BODY
	printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[%s]]\n' "$2" >"$tmp/$1.lua"
}
lua chat "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"$tag\"}]}"
lua gemini "{\"systemInstruction\":{\"parts\":[{\"text\":\"be brief\"}]},\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"$tag\"}]}]}"
lua azure "{\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"$tag\"}]}"
lua bedrock "{\"system\":[{\"text\":\"be brief\"}],\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"$tag\"}]}]}"
path_chat=/v1/chat/completions
path_gemini=/v1beta/models/gemini-2.0-flash:generateContent
path_azure='/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21'
path_bedrock=/model/anthropic.claude-3-5-haiku-20241022-v1:0/converse

echo "round surface req/s ratio-to-chat load-1m"
order="chat gemini azure bedrock"
for r in $(seq 1 "$ROUNDS"); do
	chat=
	for s in $order; do
		eval "p=\$path_$s"
		out=$(wrk -t1 -c"$CONNS" -d"$DURATION" -s "$tmp/$s.lua" "$url$p")
		if echo "$out" | grep -q 'Non-2xx'; then
			echo "$s: answers that are not 2xx:" >&2
			echo "$out" >&2
			exit 1
		fi
		rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
		[ -z "$chat" ] && chat=$rps
		echo "$r $s $rps $(awk -v a="$rps" -v b="$chat" 'BEGIN {printf "%.2f", a/b}') $(cut -d' ' -f1 /proc/loadavg)"
		curl -s -XDELETE "$url/_llmchaos/journal" >/dev/null || true
	done
done
