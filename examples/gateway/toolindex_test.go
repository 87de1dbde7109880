package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestToolCallIndexBounded: an upstream's stream that names a tool call index far beyond
// MaxToolCalls makes the answer's calls unusable (toolsErr names the limit); the gateway
// does not grow its list of calls to that index. A stream within the limit is whole.
func TestToolCallIndexBounded(t *testing.T) {
	for _, tc := range []struct {
		index int64
		want  string // "" a whole call; else what toolsErr must say
	}{
		{0, ""},
		{MaxToolCalls - 1, "cut"}, // within the bound: gathered, the calls before it empty (not whole)
		{MaxToolCalls, "MaxToolCalls"},
		{1 << 40, "MaxToolCalls"},
		{-1, "MaxToolCalls"},
	} {
		t.Run(fmt.Sprint(tc.index), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/event-stream")
				chunk := `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":%s,"finish_reason":%s}]}`
				fmt.Fprintf(w, "data: "+chunk+"\n\n", fmt.Sprintf(`{"tool_calls":[{"index":%d,"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]}`, tc.index), "null")
				fmt.Fprintf(w, "data: "+chunk+"\n\n", "{}", `"tool_calls"`)
				fmt.Fprint(w, "data: [DONE]\n\n")
			}))
			defer srv.Close()
			p := newOpenAIProvider("primary", srv.URL, "key", srv.Client())
			st, err := p.stream(context.Background(), &chatRequest{Model: "m", Stream: true, Messages: []chatMessage{{Role: "user"}}}, requestMeta{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.close()
			for st.next() {
			}
			if !st.ended() {
				t.Fatalf("stream did not end: %v", st.err())
			}
			if n := len(st.(*openAIStream).calls); n > MaxToolCalls {
				t.Fatalf("%d calls gathered, more than MaxToolCalls", n)
			}
			err = st.toolsErr()
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("index %d: toolsErr %v, want %q", tc.index, err, tc.want)
			}
		})
	}
}
