package load

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestDriverProtocolsOK: whole answers, streamed and not, in both LLM protocols, are OK;
// the correlation id arrives in the header, the body field and the message tag; the
// sample says who served it.
func TestDriverProtocolsOK(t *testing.T) {
	cases := []struct {
		name     string
		req      Request
		upstream string
		answer   func(w http.ResponseWriter, tokens []string)
		path     string
	}{
		{"openai-stream", Request{Protocol: ProtocolOpenAIChat, Stream: true}, "primary",
			func(w http.ResponseWriter, tk []string) { driverTestOpenAIFrames(w, tk, true) }, "/v1/chat/completions"},
		{"openai", Request{Protocol: ProtocolOpenAIChat}, "primary",
			func(w http.ResponseWriter, tk []string) { driverTestOpenAIJSON(w, driverTestJoin(tk)) }, "/v1/chat/completions"},
		{"anthropic-stream", Request{Protocol: ProtocolAnthropicMessages, Stream: true}, "secondary",
			func(w http.ResponseWriter, tk []string) { driverTestAnthropicEvents(w, tk, true) }, "/v1/messages"},
		{"anthropic", Request{Protocol: ProtocolAnthropicMessages}, "secondary",
			func(w http.ResponseWriter, tk []string) { driverTestAnthropicJSON(w, driverTestJoin(tk)) }, "/v1/messages"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ids driverTestIDs
			srv := driverTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				c := driverTestRequest(r)
				ids.add(c)
				tc.answer(w, driverTestAnswer(tc.upstream, c.Header))
			})
			s := driverTestOne(t, tc.req, srv.URL)
			if s.Outcome != OutcomeOK || s.Status != 200 || s.Error != "" {
				t.Fatalf("sample = %+v, want ok 200", s)
			}
			if s.ServedBy != tc.upstream {
				t.Errorf("ServedBy = %q, want %q", s.ServedBy, tc.upstream)
			}
			if s.ID != "drv-test-0" || s.Phase != "steady" {
				t.Errorf("ID, Phase = %q, %q; want drv-test-0, steady", s.ID, s.Phase)
			}
			if s.FirstToken().IsZero() || s.FirstToken().Before(s.Started()) || s.Ended().Before(s.FirstToken()) || s.Bytes == 0 {
				t.Errorf("times/bytes out of order: %+v", s)
			}
			seen := ids.all()
			if len(seen) != 1 {
				t.Fatalf("handler saw %d requests, want 1", len(seen))
			}
			c := seen[0]
			if c.Header != s.ID || c.Body != s.ID || c.Tag != s.ID {
				t.Errorf("carriers header=%q body=%q tag=%q, want all %q", c.Header, c.Body, c.Tag, s.ID)
			}
			if c.Path != tc.path {
				t.Errorf("path %q, want %q", c.Path, tc.path)
			}
			if tc.req.Stream && !strings.Contains(c.RawBody, `"stream":true`) {
				t.Errorf("stream request body lacks stream:true: %s", c.RawBody)
			}
			if tc.req.Protocol == ProtocolOpenAIChat && tc.req.Stream && !strings.Contains(c.RawBody, `"include_usage":true`) {
				t.Errorf("openai stream body lacks stream_options.include_usage: %s", c.RawBody)
			}
		})
	}
}

// TestDriverProtocolFailures: every way an answer can go wrong after a 2xx gets its outcome.
func TestDriverProtocolFailures(t *testing.T) {
	openai := Request{Protocol: ProtocolOpenAIChat, Stream: true}
	anthropic := Request{Protocol: ProtocolAnthropicMessages, Stream: true}
	cases := []struct {
		name    string
		req     Request
		handler func(w http.ResponseWriter, tokens []string)
		want    Outcome
		errHas  string
	}{
		{"openai cut before end marker", openai, func(w http.ResponseWriter, tk []string) { driverTestOpenAIFrames(w, tk[:3], false) },
			OutcomeIncomplete, "[DONE]"},
		{"openai whole text without DONE", openai, func(w http.ResponseWriter, tk []string) { driverTestOpenAIFrames(w, tk, false) },
			OutcomeIncomplete, "[DONE]"},
		{"openai DONE but no end marker", openai, func(w http.ResponseWriter, tk []string) { driverTestOpenAIFrames(w, tk[:len(tk)-1], true) },
			OutcomeTruncated, "end marker"},
		{"openai word lost in the middle", openai, func(w http.ResponseWriter, tk []string) {
			driverTestOpenAIFrames(w, append(append([]string{}, tk[:2]...), tk[3:]...), true)
		}, OutcomeTruncated, "checksum"},
		{"openai malformed frame", openai, func(w http.ResponseWriter, tk []string) {
			driverTestOpenAIFrames(w, tk[:2], false)
			fmt.Fprint(w, "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\"x\n\n")
			driverTestOpenAIFrames(w, tk[2:], true)
		}, OutcomeMalformed, "does not parse"},
		{"openai frame of the wrong object", openai, func(w http.ResponseWriter, tk []string) {
			fmt.Fprint(w, "data: {\"object\":\"chat.completion\",\"choices\":[]}\n\n")
			driverTestOpenAIFrames(w, tk, true)
		}, OutcomeMalformed, "chat.completion.chunk"},
		{"openai not an event stream", openai, func(w http.ResponseWriter, tk []string) { driverTestOpenAIJSON(w, driverTestJoin(tk)) },
			OutcomeMalformed, "not an SSE field"},
		{"openai error frame", openai, func(w http.ResponseWriter, tk []string) {
			driverTestOpenAIFrames(w, tk[:2], false)
			fmt.Fprint(w, `data: {"error":{"message":"overloaded","type":"server_error","code":null}}`+"\n\n")
		}, OutcomeHTTPError, "overloaded"},
		{"openai non-stream cut", Request{Protocol: ProtocolOpenAIChat}, func(w http.ResponseWriter, tk []string) {
			driverTestOpenAIJSON(w, driverTestJoin(tk[:4]))
		}, OutcomeTruncated, "end marker"},
		{"openai non-stream malformed", Request{Protocol: ProtocolOpenAIChat}, func(w http.ResponseWriter, tk []string) {
			fmt.Fprint(w, `{"choices":[{"message":{"content":"`+tk[0])
		}, OutcomeMalformed, "not a chat completion"},
		{"anthropic no message_stop", anthropic, func(w http.ResponseWriter, tk []string) { driverTestAnthropicEvents(w, tk, false) },
			OutcomeIncomplete, "message_stop"},
		{"anthropic error event", anthropic, func(w http.ResponseWriter, tk []string) {
			driverTestAnthropicEvents(w, tk[:2], false)
			fmt.Fprint(w, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n")
		}, OutcomeHTTPError, "overloaded_error"},
		{"anthropic malformed data", anthropic, func(w http.ResponseWriter, tk []string) {
			driverTestAnthropicEvents(w, tk[:2], false)
			fmt.Fprint(w, "event: content_block_delta\ndata: {\"type\":\n\n")
		}, OutcomeMalformed, "does not parse"},
		{"anthropic delta before message_start", anthropic, func(w http.ResponseWriter, tk []string) {
			fmt.Fprint(w, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}\n\n")
		}, OutcomeMalformed, "before message_start"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := driverTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				tc.handler(w, driverTestAnswer("primary", driverTestRequest(r).Header))
			})
			s := driverTestOne(t, tc.req, srv.URL)
			if s.Outcome != tc.want || !strings.Contains(s.Error, tc.errHas) {
				t.Fatalf("outcome %q error %q, want %q with %q", s.Outcome, s.Error, tc.want, tc.errHas)
			}
			if s.Status != 200 {
				t.Errorf("status %d, want 200", s.Status)
			}
			textBeforeFailure := !strings.Contains(tc.name, "before message_start") && !strings.Contains(tc.name, "wrong object") && !strings.Contains(tc.name, "not an event stream")
			if textBeforeFailure && s.ServedBy != "primary" {
				t.Errorf("ServedBy = %q, want primary even when the answer failed", s.ServedBy)
			}
		})
	}
}
