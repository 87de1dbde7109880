// Command wrkserver serves, for bench/wrk-mock.sh, either the LLM mock (mocks/llm, with
// its admin API, as `llmchaos mock llm` serves it) or a bare net/http handler that writes
// the same answer bytes without computing them: a whole completion (non-stream), or the
// same SSE frames flushed one by one (stream). An external load generator (wrk) then
// measures both the same way. It prints "listening on ADDR" once it serves.
//
//	go run ./bench/wrkserver -target mock|bare
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// requestBody is the chat completion request wrk sends (stream set by the script).
const requestBody = `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello [llmchaos-id:bench-1]"}]%s}`

func main() {
	target := flag.String("target", "mock", "mock or bare")
	listen := flag.String("listen", "127.0.0.1:0", "address to serve on")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole serving time to this file")
	spin := flag.Duration("spin", 0, "bare only: spend this much CPU on every request before answering (a calibration: what a fixed cost in the handler does under wrk)")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	m, err := llm.New()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var h http.Handler = control.WithAdmin(m)
	if *target == "bare" {
		whole, wholeHeader := capture(m, "")
		stream, streamHeader := capture(m, `,"stream":true`)
		h = bare(fixed{whole, wholeHeader}, fixed{stream, streamHeader}, *spin)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := control.Serve(ctx, ln, h); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}

// capture is the mock's answer to the bench request: its body and its headers.
func capture(m *llm.Server, extra string) ([]byte, http.Header) {
	req := httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(fmt.Sprintf(requestBody, extra)))
	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, req)
	return rec.Body.Bytes(), rec.Header()
}

// fixed is a whole captured answer: the bare handler writes it as it is.
type fixed struct {
	body   []byte
	header http.Header
}

// frames splits an SSE body into its frames, each with its blank line.
func frames(body []byte) [][]byte {
	var out [][]byte
	for _, f := range bytes.SplitAfter(body, []byte("\n\n")) {
		if len(f) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// bare answers every POST with the mock's captured answer, headers and body, written as
// they are: the whole completion, or, when the request asks for a stream, its SSE frames
// flushed one by one. The floor of what a server can do to send the same bytes. With
// spin > 0 it first spends that much CPU (a busy loop): a bare handler made slower by a
// known amount.
func bare(whole, stream fixed, spin time.Duration) http.Handler {
	frames := frames(stream.body)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for t := time.Now(); spin > 0 && time.Since(t) < spin; {
		}
		body, _ := io.ReadAll(r.Body)
		streamed := bytes.Contains(body, []byte(`"stream":true`))
		answer := whole
		if streamed {
			answer = stream
		}
		h := w.Header()
		for k, v := range answer.header {
			h[k] = v
		}
		if !streamed {
			_, _ = w.Write(answer.body)
			return
		}
		fl, _ := w.(http.Flusher)
		for _, f := range frames {
			_, _ = w.Write(f)
			if fl != nil {
				fl.Flush()
			}
		}
	})
}
