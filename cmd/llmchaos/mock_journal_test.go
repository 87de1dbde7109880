package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// TestMockJournalLimit: `llmchaos mock llm --journal-limit 3` answers 5 requests and keeps
// the newest 3 in its journal, GET info counting the 2 dropped; --help states the flag
// with its default; a limit below 1 is refused (exit 2).
func TestMockJournalLimit(t *testing.T) {
	t.Parallel()
	base, cancel, done, stderr := startMockCmd(t, "llm", "--journal-limit", "3")
	defer cancel()
	client := &http.Client{Timeout: 10 * time.Second}
	var info control.Info
	for i := range 5 {
		req, _ := http.NewRequest(http.MethodPost, base+"/v1/chat/completions",
			strings.NewReader(`{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}`))
		req.Header.Set("X-Request-Id", fmt.Sprintf("soak.run-%d", i+1))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		// The mock journals an attempt once its handler returns, which can be just after
		// the client read the answer's end, and the next request may then be journalled
		// first: wait for each attempt before sending the next, so the ring drops seqs 1-2.
		waitFor(t, 10*time.Second, done, fmt.Sprintf("attempt %d journalled", i+1), func() bool {
			getJSON(t, client, base+"/_llmchaos/info", &info)
			return info.Journal.Kept+info.Journal.Dropped >= i+1
		})
	}
	if j := info.Journal; j.Limit != 3 || j.Kept != 3 || j.Dropped != 2 || j.DroppedThrough != 2 || j.Seq != 5 {
		t.Errorf("GET info journal %+v, want limit 3, kept 3, dropped 2 through seq 2, seq 5", j)
	}
	var journal []control.Attempt
	getJSON(t, client, base+"/_llmchaos/journal?prefix=soak.run-&after=3", &journal)
	if len(journal) != 2 || journal[0].CorrelationID != "soak.run-4" || journal[1].CorrelationID != "soak.run-5" {
		t.Errorf("journal after seq 3: %+v, want the newest two (soak.run-4, soak.run-5)", journal)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("exit code %d after cancel; stderr:\n%s", code, stderr.String())
	}

	var help, herr syncBuffer
	if code := dispatch(context.Background(), []string{"mock", "--help"}, &help, &herr); code != exitOK ||
		!strings.Contains(help.String(), "--journal-limit int") || !strings.Contains(help.String(), fmt.Sprintf("(default %d)", control.DefaultMaxJournal)) {
		t.Errorf("mock --help (exit %d) does not state --journal-limit with its default %d:\n%s", code, control.DefaultMaxJournal, help.String())
	}
	var out, errOut syncBuffer
	if code := dispatch(context.Background(), []string{"mock", "llm", "--listen", "127.0.0.1:0", "--journal-limit", "0"}, &out, &errOut); code != exitBadInput ||
		!strings.Contains(errOut.String(), "--journal-limit 0") {
		t.Errorf("--journal-limit 0: exit %d, stderr %q; want exit 2 naming the flag", code, errOut.String())
	}
}

func getJSON(t *testing.T, c *http.Client, url string, v any) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// TestMockStoreMaxUsers: `llmchaos mock store --max-users 2` keeps the histories of the 2
// users stored last and forgets the first; --max-users 0 is refused (exit 2).
func TestMockStoreMaxUsers(t *testing.T) {
	t.Parallel()
	base, cancel, done, _ := startMockCmd(t, "store", "--max-users", "2")
	defer cancel()
	client := &http.Client{Timeout: 10 * time.Second}
	for _, user := range []string{"a", "b", "c"} {
		req, _ := http.NewRequest(http.MethodPut, base+"/v1/history/"+user, strings.NewReader(`{"messages":[{"role":"user","content":"hi"}]}`))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("PUT %s: %d", user, resp.StatusCode)
		}
	}
	for user, want := range map[string]int{"a": 0, "b": 1, "c": 1} {
		var h struct {
			Messages []json.RawMessage `json:"messages"`
		}
		getJSON(t, client, base+"/v1/history/"+user, &h)
		if len(h.Messages) != want {
			t.Errorf("history of %s: %d messages, want %d (the first user forgotten)", user, len(h.Messages), want)
		}
	}
	cancel()
	<-done
	var out, errOut syncBuffer
	if code := dispatch(context.Background(), []string{"mock", "store", "--listen", "127.0.0.1:0", "--max-users", "0"}, &out, &errOut); code != exitBadInput ||
		!strings.Contains(errOut.String(), "--max-users 0") {
		t.Errorf("--max-users 0: exit %d, stderr %q; want exit 2 naming the flag", code, errOut.String())
	}
}

// startMockCmd runs `llmchaos mock KIND --listen 127.0.0.1:0 ARGS...` until cancel and
// returns the URL it serves on, the channel its exit code arrives on and its stderr.
func startMockCmd(t *testing.T, kind string, args ...string) (base string, cancel context.CancelFunc, done chan int, stderr *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout := &syncBuffer{}
	stderr = &syncBuffer{}
	done = make(chan int, 1)
	argv := append([]string{"mock", kind, "--listen", "127.0.0.1:0"}, args...)
	go func() { done <- dispatch(ctx, argv, stdout, stderr) }()
	re := regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+) `)
	waitFor(t, 10*time.Second, done, "the serving line", func() bool {
		if m := re.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
			return true
		}
		return false
	})
	return base, cancel, done, stderr
}
