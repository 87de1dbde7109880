package main

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/onsi/gomega"

	"github.com/llmchaos/llmchaos/examples/internal/apptest"
)

func TestSpansReachTheCollector(t *testing.T) {
	col := apptest.NewCollector(t)
	url := apptest.ServeMock(t, col)
	e := newEnv(t, func(c *Config) { c.OTLPEndpoint = url })
	const n = 5
	for i := range n {
		id := fmt.Sprintf("span-%d", i)
		mustServe(t, ask(t, e.url, id, true), "primary", id, true)
	}
	// the batch goes out within its 1s batch timeout
	gomega.NewWithT(t).Eventually(func() int64 { return col.Counts().Spans.Received }).
		WithTimeout(5*time.Second).WithPolling(10*time.Millisecond).
		Should(gomega.BeNumerically(">=", n), "spans the collector received")
}

func TestHangingCollectorDoesNotSlowRequests(t *testing.T) {
	hit := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	url := apptest.ServeMock(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(hit) })
		select { // hang until the exporter gives up or the test ends
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release) }) // runs before the collector's Close
	e := newEnv(t, func(c *Config) {
		c.OTLPEndpoint = url
		c.ExportTimeout = 10 * time.Second // the export stays stuck for the whole test
	})
	for i := range 3 {
		id := fmt.Sprintf("warm-%d", i)
		mustServe(t, ask(t, e.url, id, false), "primary", id, false)
	}
	select {
	case <-hit: // an export is now stuck in the collector
	case <-time.After(5 * time.Second):
		t.Fatal("the gateway never exported to the collector")
	}
	var worst time.Duration
	for i := range 20 {
		id := fmt.Sprintf("tel-%d", i)
		r := ask(t, e.url, id, i%2 == 0)
		mustServe(t, r, "primary", id, i%2 == 0)
		worst = max(worst, r.Latency)
	}
	// A mock answer takes milliseconds; a request waiting on the export would take 10s.
	if worst > time.Second {
		t.Fatalf("worst latency %v while the collector hangs: telemetry is in the request path", worst)
	}
}
