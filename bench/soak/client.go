package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// clientWorkers is how many requests the standalone mock's client keeps in flight at
// most; a request whose turn finds none free is counted late and not sent.
const clientWorkers = 256

// streamBody is the request the client sends: a streamed chat completion.
const streamBody = `{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hello"}]}`

// clientCounts is what the client saw.
type clientCounts struct {
	sent, ok, failed, late atomic.Int64
}

// driveMock sends streamed chat completions to base at rate per second, open loop (on a
// schedule, not when the previous answer ends), until ctx ends. Every request carries a
// correlation id of the shape a remote run sends, SOAK.RUNID-SEQ, so the mock journals
// what it journals in a shared staging topology.
func driveMock(ctx context.Context, base string, rate int, c *clientCounts) {
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: clientWorkers, MaxConnsPerHost: clientWorkers},
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for range clientWorkers {
		wg.Go(func() {
			for seq := range work {
				c.sent.Add(1)
				if err := streamOnce(ctx, client, base, seq); err != nil {
					c.failed.Add(1)
				} else {
					c.ok.Add(1)
				}
			}
		})
	}
	start := time.Now()
	interval := time.Second / time.Duration(rate)
	for seq := 1; ; seq++ {
		next := start.Add(time.Duration(seq-1) * interval)
		if d := time.Until(next); d > 0 {
			select {
			case <-ctx.Done():
				close(work)
				wg.Wait()
				return
			case <-time.After(d):
			}
		}
		select {
		case work <- seq:
		case <-ctx.Done():
			close(work)
			wg.Wait()
			return
		default:
			c.late.Add(1)
		}
	}
}

// streamOnce sends one streamed chat completion and reads the answer to its end.
func streamOnce(ctx context.Context, client *http.Client, base string, seq int) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/chat/completions", strings.NewReader(streamBody))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", fmt.Sprintf("soak.5eed50a6-%d", seq))
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "[DONE]") {
		return fmt.Errorf("status %d, %d bytes without the end marker", resp.StatusCode, len(b))
	}
	return nil
}
