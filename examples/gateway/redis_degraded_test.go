package main

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/onsi/gomega"
	"github.com/redis/go-redis/v9"

	"github.com/llmchaos/llmchaos/examples/internal/apptest"
	"github.com/llmchaos/llmchaos/harness/redistest"
)

// TestRedisOutageDegradesAndRecovers: with its history in a real Redis (REDIS_ADDR),
// the gateway prepends the stored history; while Redis is cut off it answers without
// history (X-Degraded: history) within its store timeout; once Redis is back it reads
// and writes the history there again. This is what the catalog's redis-outage scenario
// cannot see from outside (it judges availability only).
func TestRedisOutageDegradesAndRecovers(t *testing.T) {
	redisAddr := redistest.Start(t)
	g := apptest.NewGate(t, redisAddr)
	e := newEnv(t, func(c *Config) { c.RedisAddr = g.Addr() })
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr})
	t.Cleanup(func() { _ = rdb.Close() })

	r := ask(t, e.url, "r1", false)
	mustServe(t, r, "primary", "r1", false)
	if got := r.Header.Get("X-Degraded"); got != "" {
		t.Fatalf("X-Degraded %q with a healthy Redis", got)
	}
	waitRedisHistory(t, rdb, "user-r1", 3) // system, user, assistant

	g.Cut()
	for _, stream := range []bool{false, true} {
		id := "r1-down"
		if stream {
			id += "-stream"
		}
		r := askWith(t, e.url, "user-r1", id, stream)
		mustServe(t, r, "primary", id, stream)
		if got := r.Header.Get("X-Degraded"); got != "history" {
			t.Fatalf("request %s with Redis cut off: X-Degraded %q, want history", id, got)
		}
		if r.Latency > 1500*time.Millisecond { // STORE_TIMEOUT is 200ms here
			t.Fatalf("request %s: degraded answer took %v", id, r.Latency)
		}
	}

	g.Restore()
	// Back: the first answer not marked degraded read the stored 3 messages and the
	// history grows by its exchange on top of them (a gateway that had stopped using
	// Redis would leave it at 3). A pooled connection the cut closed may cost one
	// degraded answer, so ask until one is whole.
	gomega.NewWithT(t).Eventually(func() string {
		r := askAs(t, e.url, "r1", "r1-back")
		mustServe(t, r, "primary", "r1-back", false)
		return r.Header.Get("X-Degraded")
	}).WithTimeout(5*time.Second).WithPolling(50*time.Millisecond).Should(gomega.BeEmpty(),
		"X-Degraded after Redis came back")
	waitRedisHistory(t, rdb, "user-r1", 6)
}

// waitRedisHistory waits until Redis holds n messages for user (the write is
// asynchronous).
func waitRedisHistory(t *testing.T, rdb *redis.Client, user string, n int) {
	t.Helper()
	gomega.NewWithT(t).Eventually(func() (int, error) {
		b, err := rdb.Get(context.Background(), redisHistoryPrefix+user).Bytes()
		if err == redis.Nil {
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		var doc history
		if err := json.Unmarshal(b, &doc); err != nil {
			return 0, err
		}
		return len(doc.Messages), nil
	}).WithTimeout(5*time.Second).WithPolling(5*time.Millisecond).
		Should(gomega.Equal(n), "messages Redis holds for %s", user)
}
