package llm

import (
	"runtime"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/internal/slowbody"
)

// TestSlowBodiesAreCutOffWithoutPreallocation: 40 connections that declare a 1 MB body
// and trickle it are cut off once the body read timeout passes, and the mock does not
// reserve the declared megabyte for each (it used to: 40 MB here, 522 MB for 500
// connections).
func TestSlowBodiesAreCutOffWithoutPreallocation(t *testing.T) {
	const conns, declared = 40, 1_000_000
	_, hs := start(t, WithBodyReadTimeout(300*time.Millisecond), WithMaxBodyBytes(2*declared))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	ended := slowbody.Trickle(t, hs.Listener.Addr().String(), slowbody.Request{
		Path: "/v1/chat/completions", Headers: map[string]string{"Content-Type": "application/json"},
		Declared: declared, Prefix: []byte("{"), Interval: 100 * time.Millisecond,
	}, conns)
	slowbody.Await(t, ended, conns, 10*time.Second)
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > conns*declared/4 {
		t.Fatalf("the mock allocated %d MB for %d slow bodies that sent a few bytes each: it reserves what a request declares", grew>>20, conns)
	}
}
