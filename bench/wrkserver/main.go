// Command wrkserver serves, for bench/wrk-mock.sh, either the LLM mock (mocks/llm, with
// its admin API, as `llmchaos mock llm` serves it) or a bare net/http handler that writes
// the same answer bytes without computing them: a whole completion (non-stream), or the
// same SSE frames flushed where the mock flushes them (stream). An external load
// generator (wrk) then measures both the same way. It prints "listening on ADDR" once it
// serves.
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
		whole, err := capture(m, "")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		stream, err := capture(m, `,"stream":true`)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		h = bare(whole, stream, *spin)
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

// capture is the mock's answer to the bench request: its headers, and its body as the
// mock wrote it: the pieces it flushed, each ended by a flush (empty when the mock
// flushed with nothing new, as for headers alone), then what it wrote after its last
// flush (all of a whole answer).
func capture(m *llm.Server, extra string) (fixed, error) {
	req := httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(fmt.Sprintf(requestBody, extra)))
	rec := &flushRecorder{ResponseRecorder: httptest.NewRecorder()}
	m.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return fixed{}, fmt.Errorf("the mock answered the bench request %d: %s", rec.Code, rec.Body)
	}
	body := rec.Body.Bytes()
	a := fixed{header: rec.Header()}
	start := 0
	for _, end := range rec.flushes {
		a.flushed = append(a.flushed, body[start:end])
		start = end
	}
	a.tail = body[start:]
	return a, nil
}

// flushRecorder notes where the body stood at each Flush: the mock's own write
// boundaries, which the bare handler then reproduces.
type flushRecorder struct {
	*httptest.ResponseRecorder
	flushes []int
}

func (r *flushRecorder) Flush() {
	r.flushes = append(r.flushes, r.Body.Len())
	r.ResponseRecorder.Flush()
}

// fixed is a captured answer: its headers, the pieces of its body each followed by a
// flush, and the rest of its body.
type fixed struct {
	header  http.Header
	flushed [][]byte
	tail    []byte
}

// bare answers every POST with the mock's captured answer, headers and body, written as
// the mock wrote them: the whole completion in one write, or, when the request asks for
// a stream, the same pieces with a flush after each where the mock flushed. The floor of
// what a server can do to send the same bytes in the same writes. With spin > 0 it
// first spends that much CPU (a busy loop): a bare handler made slower by a known amount.
func bare(whole, stream fixed, spin time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for t := time.Now(); spin > 0 && time.Since(t) < spin; {
		}
		body, _ := io.ReadAll(r.Body)
		answer := whole
		if bytes.Contains(body, []byte(`"stream":true`)) {
			answer = stream
		}
		h := w.Header()
		for k, v := range answer.header {
			h[k] = v
		}
		fl, _ := w.(http.Flusher)
		for _, p := range answer.flushed {
			_, _ = w.Write(p)
			if fl != nil {
				fl.Flush()
			}
		}
		_, _ = w.Write(answer.tail)
	})
}
