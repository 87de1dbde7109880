package store_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/llmchaos/llmchaos/mocks/store"
)

// FuzzPutHistory sends arbitrary PUT bodies: the store answers 2xx or 4xx, never panics,
// and what it accepted is what GET gives back.
func FuzzPutHistory(f *testing.F) {
	for _, s := range []string{
		`{"messages":[]}`,
		`{"user":"u1","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}`,
		`{"messages":[{"role":"tool","content":"\u0000\ud800"}]}`,
		`{"messages":null}`, `{}`, `[]`, `null`, ``, `{"messages":[{"role":1}]}`,
		`{"messages":[{"role":"user","content":"x"}]}trailing`,
		`{"messages":[` + strings.Repeat(`{"role":"user","content":"x"},`, 20) + `{"role":"user","content":"y"}]}`,
	} {
		f.Add([]byte(s))
	}
	s := newStore(f, store.WithMaxBodyBytes(1<<14), store.WithMaxMessages(16))
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodPut, "/v1/history/u1", bytes.NewReader(body)))
		if rec.Code != http.StatusOK {
			if rec.Code < 400 || rec.Code >= 500 {
				t.Fatalf("PUT %q: status %d %s", body, rec.Code, rec.Body)
			}
			return
		}
		var put store.History
		if err := json.Unmarshal(rec.Body.Bytes(), &put); err != nil {
			t.Fatalf("PUT answer %s: %v", rec.Body, err)
		}
		get := httptest.NewRecorder()
		s.ServeHTTP(get, httptest.NewRequest(http.MethodGet, "/v1/history/u1", nil))
		var got store.History
		if err := json.Unmarshal(get.Body.Bytes(), &got); err != nil || get.Code != http.StatusOK {
			t.Fatalf("GET after PUT: %d %s", get.Code, get.Body)
		}
		if len(got.Messages) != len(put.Messages) {
			t.Fatalf("GET gave %d messages, PUT stored %d", len(got.Messages), len(put.Messages))
		}
		for i := range got.Messages {
			if got.Messages[i] != put.Messages[i] {
				t.Fatalf("message %d: GET %+v, PUT %+v", i, got.Messages[i], put.Messages[i])
			}
		}
	})
}
