package control

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// adminTestMock is the smallest Mock: a FaultSet, a journal and a 200.
type adminTestMock struct {
	FaultSet
	journal Journal
}

func (m *adminTestMock) Name() string                                     { return "test" }
func (m *adminTestMock) Journal() *Journal                                { return &m.journal }
func (m *adminTestMock) ServeHTTP(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(200) }

func adminTestPost(t *testing.T, url, body string) (int, map[string]string) {
	t.Helper()
	resp, err := http.Post(url+"/_llmchaos/faults", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]string
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("POST %s: answer %q is not a JSON object: %v", body, b, err)
	}
	return resp.StatusCode, out
}

func TestAdminTakesTheVocabulary(t *testing.T) {
	m := &adminTestMock{}
	m.Supported = []Mode{ModeStatus, ModeHang}
	srv := httptest.NewServer(WithAdmin(m))
	defer srv.Close()

	for _, body := range []string{
		`{"type":"rate-limit","retry_after":"2s","retry_after_as":"ms","fraction":0.3}`,
		`{"type":"overloaded"}`,
		`{"type":"status","status":503}`,
		`{"type":"hang"}`,
		// the deprecated keys of the first admin API still work
		`{"mode":"status","status":429,"retry_after":"1s","retry_after_ms":true}`,
		`{"mode":"status","status":503,"retry_after":"1s","retry_after_date":true,"retry_after_ms":false}`,
	} {
		if code, out := adminTestPost(t, srv.URL, body); code != http.StatusCreated || out["id"] == "" {
			t.Errorf("POST %s: %d %v", body, code, out)
		}
	}
	got := m.Faults()
	if len(got) != 6 {
		t.Fatalf("active faults %v", got)
	}
	if f := got["f1"]; f.Type != TypeRateLimit || f.StatusCode() != 429 || f.RetryAfterAs != RetryAfterMs || f.Fraction != 0.3 {
		t.Errorf("rate-limit decoded as %+v", f)
	}
	if f := got["f5"]; f.Type != TypeStatus || f.Status != 429 || f.RetryAfterAs != RetryAfterMs {
		t.Errorf("legacy mode decoded as %+v", f)
	}
	if f := got["f6"]; f.RetryAfterAs != RetryAfterDate {
		t.Errorf("legacy retry_after_date decoded as %+v", f)
	}

	// GET /faults writes the vocabulary, never the deprecated keys.
	resp, err := http.Get(srv.URL + "/_llmchaos/faults")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if s := string(b); !strings.Contains(s, `"type":"rate-limit"`) || strings.Contains(s, `"mode"`) || strings.Contains(s, `retry_after_ms`) {
		t.Errorf("GET faults: %s", s)
	}
}

func TestAdminRefuses(t *testing.T) {
	m := &adminTestMock{}
	m.Supported = []Mode{ModeStatus, ModeHang}
	srv := httptest.NewServer(WithAdmin(m))
	defer srv.Close()
	cases := []struct{ body, msg string }{
		{`{"type":"down"}`, `"down" is a network fault: the proxy (Toxiproxy) in front of the mock plays it, not the mock`},
		{`{"type":"latency","latency":"1s"}`, "network fault"},
		{`{"type":"truncate","after_chunks":2}`, "not supported by this mock"},
		{`{"type":"rate-limit","status":500}`, "does not take status"},
		{`{"type":"status","mode":"status","status":500}`, "not both"},
		{`{"mode":"slow","ttft":"1s"}`, "not supported"}, // slow-tokens: this mock plays no ModeSlow
		{`{"type":"status","status":500,"retry_after":"1s","retry_after_ms":true,"retry_after_date":true}`, "together"},
		{`not json`, "JSON object"},
	}
	for _, c := range cases {
		code, out := adminTestPost(t, srv.URL, c.body)
		if code != http.StatusBadRequest || !strings.Contains(out["error"], c.msg) {
			t.Errorf("POST %s: %d %v; want 400 with %q", c.body, code, out, c.msg)
		}
	}
	if len(m.Faults()) != 0 {
		t.Errorf("a refused fault was set: %v", m.Faults())
	}
}
