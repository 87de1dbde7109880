package main

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/redistest"
)

// TestRedisHistoryRoundTrip: against a real Redis, a user's history is written, read
// back trimmed to the limit, and an unknown user has none.
func TestRedisHistoryRoundTrip(t *testing.T) {
	h := newRedisHistory(redistest.Start(t), time.Second, 2)
	ctx := context.Background()
	msgs := []chatMessage{{Role: "user", Content: "a"}, {Role: "assistant", Content: "b"}, {Role: "user", Content: "c"}}
	if err := h.put(ctx, "u1", msgs); err != nil {
		t.Fatal(err)
	}
	got, err := h.get(ctx, "u1")
	if err != nil || len(got) != 2 || got[0].Content != "b" || got[1].Content != "c" {
		t.Errorf("get: %+v, %v; want the newest 2 messages", got, err)
	}
	if got, err := h.get(ctx, "nobody"); err != nil || got != nil {
		t.Errorf("unknown user: %+v, %v; want none and no error", got, err)
	}
}

// TestRedisHistoryFailsFast: with nothing listening, get fails within its timeout (the
// gateway then answers without history) instead of retrying.
func TestRedisHistoryFailsFast(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	h := newRedisHistory(addr, 300*time.Millisecond, 2)
	start := time.Now()
	if _, err := h.get(context.Background(), "u1"); err == nil {
		t.Fatal("get from a closed port succeeded")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("get took %v with a 300ms timeout", took)
	}
}
