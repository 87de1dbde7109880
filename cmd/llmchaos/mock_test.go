package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// waitFor polls cond every few milliseconds until it holds; it fails the test when
// timeout passes first or when stopped yields (the command ended early).
func waitFor(t *testing.T, timeout time.Duration, stopped <-chan int, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case code := <-stopped:
			t.Fatalf("waiting for %s: the command ended with exit code %d", what, code)
		case <-deadline.C:
			t.Fatalf("waiting for %s: not after %v", what, timeout)
		case <-tick.C:
		}
	}
}

// TestMockLLMServesUntilCancelled: `llmchaos mock llm` on 127.0.0.1:0 prints the address
// it serves on, answers a chat completion and journals it, and exits 0 when its context
// ends (Ctrl-C).
func TestMockLLMServesUntilCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- dispatch(ctx, []string{"mock", "llm", "--listen", "127.0.0.1:0", "--name", "primary"}, &stdout, &stderr)
	}()

	re := regexp.MustCompile(`llmchaos mock llm serving on http://(127\.0\.0\.1:\d+) `)
	var base string
	waitFor(t, 10*time.Second, done, "the serving line", func() bool {
		if m := re.FindStringSubmatch(stdout.String()); m != nil {
			base = "http://" + m[1]
			return true
		}
		return false
	})

	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Post(base+"/v1/chat/completions", "application/json",
		strings.NewReader(`{"model":"m","messages":[{"role":"user","content":"hi"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var completion struct {
		Choices []struct {
			Message struct {
				Content string `json:"content"`
			} `json:"message"`
		} `json:"choices"`
	}
	err = json.NewDecoder(resp.Body).Decode(&completion)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || err != nil || len(completion.Choices) != 1 || completion.Choices[0].Message.Content == "" {
		t.Fatalf("chat completion: status %d, decode error %v, answer %+v", resp.StatusCode, err, completion)
	}

	resp, err = client.Get(base + "/_llmchaos/journal")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var journal []json.RawMessage
	if err := json.Unmarshal(body, &journal); err != nil || len(journal) != 1 {
		t.Errorf("journal: want the one attempt, got %s (%v)", body, err)
	}

	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit code %d after cancel, want 0; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the mock did not stop within 10s of its context ending")
	}
	if _, err := client.Get(base + "/healthz"); err == nil {
		t.Errorf("%s still answers after the mock stopped", base)
	}
}

// TestMockTelemetryAndStoreStart: the other two mocks start and stop the same way.
func TestMockTelemetryAndStoreStart(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"telemetry", "store"} {
		t.Run(kind, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var stdout, stderr syncBuffer
			done := make(chan int, 1)
			go func() { done <- dispatch(ctx, []string{"mock", kind, "--listen", "127.0.0.1:0"}, &stdout, &stderr) }()
			waitFor(t, 10*time.Second, done, "the serving line", func() bool {
				return strings.Contains(stdout.String(), "llmchaos mock "+kind+" serving on http://127.0.0.1:")
			})
			cancel()
			if code := <-done; code != exitOK {
				t.Errorf("exit code %d after cancel, want 0; stderr:\n%s", code, stderr.String())
			}
		})
	}
}
