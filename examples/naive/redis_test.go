package main

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/llmchaos/llmchaos/examples/internal/apptest"
	"github.com/llmchaos/llmchaos/harness/redistest"
)

// TestFailsWhenRedisIsDown is the negative control of the gateway's Redis degraded
// mode: with its history in a real Redis that is then cut off, naive fails every
// request (it treats history as required).
func TestFailsWhenRedisIsDown(t *testing.T) {
	g := apptest.NewGate(t, redistest.Start(t))
	e := newEnv(t, func(c *Config) { c.RedisAddr = g.Addr() })
	if r := ask(t, e.url, "redis-up", false); r.Status != http.StatusOK {
		t.Fatalf("with Redis up: status %d (%v), want 200", r.Status, r.ClientErr)
	}
	g.Cut()
	for _, stream := range []bool{false, true} {
		if r := ask(t, e.url, fmt.Sprintf("redis-down-%v", stream), stream); r.Status != http.StatusBadGateway {
			t.Fatalf("stream=%v with Redis cut off: status %d (%v), want 502", stream, r.Status, r.ClientErr)
		}
	}
}
