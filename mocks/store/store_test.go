package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/store"
)

// newStore returns store.New(opts...) or fails the test.
func newStore(t testing.TB, opts ...store.Option) *store.Store {
	t.Helper()
	s, err := store.New(opts...)
	if err != nil {
		t.Fatalf("store.New: %v", err)
	}
	return s
}

func serve(t *testing.T, s *store.Store) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		_ = s.Close()
		srv.CloseClientConnections()
		srv.Close()
	})
	return srv
}

type answer struct {
	status int
	header http.Header
	body   string
	err    error
}

func do(ctx context.Context, method, url, body string, header ...string) answer {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return answer{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(b), err: err}
}

func history(t *testing.T, a answer) store.History {
	t.Helper()
	var h store.History
	if err := json.Unmarshal([]byte(a.body), &h); err != nil {
		t.Fatalf("answer %d %q is not a history: %v", a.status, a.body, err)
	}
	return h
}

func TestHistoryRoundTrip(t *testing.T) {
	s := newStore(t)
	srv := serve(t, s)
	ctx := context.Background()
	url := srv.URL + "/v1/history/alice"

	a := do(ctx, "GET", url, "")
	if a.status != 200 || !strings.Contains(a.body, `"messages":[]`) {
		t.Fatalf("new user: %d %s, want an empty list", a.status, a.body)
	}
	put := `{"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"héllo"}]}`
	if a := do(ctx, "PUT", url, put, "X-Request-Id", "REQ-7"); a.status != 200 || len(history(t, a).Messages) != 2 {
		t.Fatalf("PUT: %d %s", a.status, a.body)
	}
	if a := do(ctx, "POST", url, `{"role":"assistant","content":"hi"}`); a.status != 200 || len(history(t, a).Messages) != 3 {
		t.Fatalf("POST: %d %s", a.status, a.body)
	}
	h := history(t, do(ctx, "GET", url, ""))
	want := []store.Message{{Role: "system", Content: "be brief"}, {Role: "user", Content: "héllo"}, {Role: "assistant", Content: "hi"}}
	if h.User != "alice" || len(h.Messages) != 3 || h.Messages[0] != want[0] || h.Messages[1] != want[1] || h.Messages[2] != want[2] {
		t.Fatalf("GET after PUT and POST: %+v", h)
	}
	if got := s.History("alice"); len(got.Messages) != 3 {
		t.Fatalf("History(): %+v", got)
	}
	if a := do(ctx, "GET", srv.URL+"/v1/history/bob", ""); len(history(t, a).Messages) != 0 {
		t.Fatal("users share a history")
	}
	if a := do(ctx, "DELETE", url, ""); a.status != 204 {
		t.Fatalf("DELETE: %d", a.status)
	}
	if len(s.History("alice").Messages) != 0 {
		t.Fatal("DELETE did not forget the user")
	}
	if a := do(ctx, "GET", srv.URL+"/healthz", ""); a.status != 200 {
		t.Fatalf("healthz: %d", a.status)
	}

	j := s.Journal().Attempts()
	if len(j) != 6 { // healthz is not journaled
		t.Fatalf("journal has %d attempts, want 6: %+v", len(j), j)
	}
	if j[1].Method != "PUT" || j[1].CorrelationID != "REQ-7" || j[1].Status != 200 || !j[1].Complete || j[1].Upstream != "store" || j[1].RetryCount != -1 {
		t.Fatalf("PUT journaled as %+v", j[1])
	}
}

func TestHistoryBadInput(t *testing.T) {
	s := newStore(t, store.WithMaxBodyBytes(512), store.WithMaxMessages(2))
	srv := serve(t, s)
	ctx := context.Background()
	url := srv.URL + "/v1/history/carol"
	if err := s.SetHistory("carol", []store.Message{{Role: "user", Content: "keep me"}}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, method, url, body string
		want                    int
	}{
		{"not json", "PUT", url, `{"messages":`, 400},
		{"unknown field", "PUT", url, `{"messages":[],"extra":1}`, 400},
		{"no messages", "PUT", url, `{}`, 400},
		{"bad role", "PUT", url, `{"messages":[{"role":"wizard","content":"x"}]}`, 400},
		{"user mismatch", "PUT", url, `{"user":"mallory","messages":[]}`, 400},
		{"two values", "PUT", url, `{"messages":[]} {"messages":[]}`, 400},
		{"too many", "PUT", url, `{"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"},{"role":"user","content":"c"}]}`, 400},
		{"too big", "PUT", url, `{"messages":[{"role":"user","content":"` + strings.Repeat("x", 600) + `"}]}`, 413},
		{"wrong type", "POST", url, `["user","hi"]`, 400},
		{"long user", "GET", srv.URL + "/v1/history/" + strings.Repeat("u", store.MaxUserLen+1), "", 400},
	}
	for _, tc := range cases {
		a := do(ctx, tc.method, tc.url, tc.body)
		var e struct {
			Error struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if a.status != tc.want || json.Unmarshal([]byte(a.body), &e) != nil || e.Error.Code != tc.want || e.Error.Message == "" {
			t.Errorf("%s: %d %s, want %d with an error body", tc.name, a.status, a.body, tc.want)
		}
	}
	if h := s.History("carol"); len(h.Messages) != 1 || h.Messages[0].Content != "keep me" {
		t.Fatalf("bad input changed the history: %+v", h)
	}
	if err := s.SetHistory("carol", []store.Message{{Role: "x"}}); err == nil {
		t.Fatal("SetHistory accepted a bad role")
	}
	// a full history refuses appends with 409
	_ = do(ctx, "POST", url, `{"role":"user","content":"2"}`)
	if a := do(ctx, "POST", url, `{"role":"user","content":"3"}`); a.status != http.StatusConflict {
		t.Fatalf("append to a full history: %d %s", a.status, a.body)
	}
	if at := s.Journal().Attempts(); at[0].Error == "" || at[0].Status != 400 || at[0].Complete {
		t.Fatalf("bad input journaled as %+v", at[0])
	}
}

func TestStoreFaults(t *testing.T) {
	s := newStore(t, store.WithName("history"))
	srv := serve(t, s)
	ctx := context.Background()
	url := srv.URL + "/v1/history/dave"

	if _, err := s.SetFault(control.Fault{Type: control.TypePartialSuccess, RejectFraction: 1}); !errors.Is(err, control.ErrUnsupported) {
		t.Fatalf("partial-success on the store: %v, want ErrUnsupported", err)
	}
	a := do(ctx, "POST", srv.URL+"/_llmchaos/faults", `{"mode":"status","status":503,"retry_after":"2s","first_n":2}`)
	if a.status != 201 {
		t.Fatalf("admin POST fault: %d %s", a.status, a.body)
	}
	if a := do(ctx, "PUT", url, `{"messages":[{"role":"user","content":"x"}]}`); a.status != 503 || a.header.Get("Retry-After") != "2" || !strings.Contains(a.body, "injected fault") {
		t.Fatalf("faulted PUT: %d %v %s", a.status, a.header, a.body)
	}
	if len(s.History("dave").Messages) != 0 {
		t.Fatal("a faulted PUT changed the history")
	}
	if a := do(ctx, "GET", srv.URL+"/healthz", ""); a.status != 200 {
		t.Fatal("healthz should not be faulted")
	}
	if a := do(ctx, "GET", url, ""); a.status != 503 {
		t.Fatalf("second faulted request: %d", a.status)
	}
	if a := do(ctx, "GET", url, ""); a.status != 200 {
		t.Fatalf("after first_n: %d", a.status)
	}
	j := s.Journal().Attempts()
	if j[0].Fault != "status" || j[0].RetryAfter != 2*time.Second || j[0].Upstream != "history" || j[2].Fault != "" {
		t.Fatalf("journal %+v", j)
	}

	s.ClearFaults()
	if _, err := s.SetFault(control.Fault{Type: control.TypeHang, Hold: control.Duration(80 * time.Millisecond)}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if a := do(ctx, "GET", url, ""); a.status != 504 || time.Since(start) < 80*time.Millisecond {
		t.Fatalf("hang with hold: %d after %s", a.status, time.Since(start))
	}
	s.ClearFaults()
	if _, err := s.SetFault(control.Fault{Type: control.TypeHang}); err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
	defer cancel()
	if a := do(tctx, "GET", url, ""); !errors.Is(a.err, context.DeadlineExceeded) {
		t.Fatalf("hang: %d %v, want the client to give up", a.status, a.err)
	}
	eventually(t, "the abandoned hang journaled", func() bool { return len(s.Journal().Attempts()) == 5 })
	if last := s.Journal().Attempts()[4]; last.Status != 0 || !last.Cut || last.Fault != "hang" {
		t.Fatalf("hang journaled as %+v", last)
	}

	// Close releases a request held in a hang with 503 (a hang that starts after Close
	// is released at once, so the order of the two does not matter).
	done := make(chan answer, 1)
	go func() { done <- do(ctx, "GET", url, "") }()
	_ = s.Close()
	if a := <-done; a.status != 503 {
		t.Fatalf("hung request during Close: %d %v, want 503", a.status, a.err)
	}
}

// eventually polls cond until it holds, failing after 10s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

func TestNewOptions(t *testing.T) {
	if _, err := store.New(store.WithMaxMessages(-1)); err == nil {
		t.Fatal("negative max_messages accepted")
	}
	if _, err := store.New(store.WithMaxBodyBytes(0)); err == nil {
		t.Fatal("zero body limit accepted")
	}
	if _, err := store.New(store.WithName("")); err == nil {
		t.Fatal("empty name accepted")
	}
	s, err := store.New(store.WithName("kv"), store.WithMaxMessages(1))
	if err != nil || s.Name() != "kv" {
		t.Fatalf("%v %v", err, s)
	}
	if err := s.SetHistory("u", []store.Message{{Role: "user"}, {Role: "user"}}); err == nil {
		t.Fatal("max_messages not applied")
	}
}
