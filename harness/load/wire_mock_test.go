package load

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/onsi/gomega"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// The driver against the real LLM mock, served as if it were the SUT: every protocol,
// streamed and not, with and without tools, is OK; each new fault, relayed as the mock
// plays it, gets its outcome.

func mockSUT(t *testing.T, f ...control.Fault) (*llm.Server, string) {
	t.Helper()
	s, err := llm.New(llm.WithName("primary"))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range f {
		if _, err := s.SetFault(x); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv.URL
}

var llmProtocols = []Protocol{ProtocolOpenAIChat, ProtocolOpenAIResponses, ProtocolAnthropicMessages}

func TestDriverEveryProtocolAgainstTheMock(t *testing.T) {
	for _, proto := range llmProtocols {
		for _, stream := range []bool{false, true} {
			for _, tools := range []bool{false, true} {
				name := fmt.Sprintf("%s/stream=%v/tools=%v", proto, stream, tools)
				t.Run(name, func(t *testing.T) {
					m, url := mockSUT(t)
					s := driverTestOne(t, Request{Protocol: proto, Stream: stream, Tools: tools}, url)
					wantTurns, wantCalls := 1, 0
					if tools {
						wantTurns, wantCalls = 2, 1
					}
					if s.Outcome != OutcomeOK || s.ServedBy != "primary" || int(s.Turns) != wantTurns || int(s.ToolCalls) != wantCalls || s.FirstToken().IsZero() {
						t.Fatalf("sample %+v", s)
					}
					// a mock journals an attempt when its handler returns, maybe just after the client read the answer
					var at []control.Attempt
					gomega.NewWithT(t).Eventually(func() int { at = m.Journal().Attempts(); return len(at) }).
						WithTimeout(5 * time.Second).WithPolling(5 * time.Millisecond).Should(gomega.Equal(wantTurns))
					if len(at) != wantTurns || at[0].CorrelationID != s.ID || at[0].ToolCalls != wantCalls {
						t.Fatalf("journal %+v", at)
					}
					if tools && (!at[1].FollowUp || at[1].CorrelationID != s.ID || at[1].ToolCalls != 0) {
						t.Fatalf("follow-up %+v", at[1])
					}
				})
			}
		}
	}
}

// TestDriverNewFaults: the outcome of each new fault as the mock plays it, on every protocol.
func TestDriverNewFaults(t *testing.T) {
	cases := []struct {
		name   string
		f      control.Fault
		stream bool
		tools  bool
		want   func(Protocol) (Outcome, string)
	}{
		{"tool call cut in a stream", control.Fault{Type: control.TypeToolCallCut}, true, true,
			func(Protocol) (Outcome, string) { return OutcomeIncomplete, "stream ended without" }},
		{"tool call cut in a whole answer", control.Fault{Type: control.TypeToolCallCut}, false, true,
			func(Protocol) (Outcome, string) { return OutcomeTruncated, "tool call " + DriverToolName }},
		{"response failed", control.Fault{Type: control.TypeResponseFailed, AfterChunks: 2}, true, false,
			func(p Protocol) (Outcome, string) {
				if p == ProtocolOpenAIResponses {
					return OutcomeHTTPError, "response failed: server_error"
				}
				return OutcomeHTTPError, "error"
			}},
		{"response failed, whole", control.Fault{Type: control.TypeResponseFailed}, false, false,
			func(p Protocol) (Outcome, string) {
				if p == ProtocolOpenAIResponses {
					return OutcomeHTTPError, "response failed"
				}
				return OutcomeHTTPError, "HTTP 5"
			}},
		{"response incomplete", control.Fault{Type: control.TypeResponseIncomplete, AfterChunks: 3}, true, false,
			func(Protocol) (Outcome, string) { return OutcomeEndedEarly, "ended early" }},
		{"content filtered output, whole", control.Fault{Type: control.TypeContentFilter, Filtered: control.FilterOutput, AfterChunks: 3}, false, true,
			func(Protocol) (Outcome, string) { return OutcomeEndedEarly, "ended early" }},
		{"context length", control.Fault{Type: control.TypeContextLength}, true, true,
			func(p Protocol) (Outcome, string) {
				if p == ProtocolOpenAIResponses {
					return OutcomeHTTPError, "context_length_exceeded"
				}
				return OutcomeHTTPError, "HTTP 400"
			}},
		{"quota", control.Fault{Type: control.TypeQuota, TokensPerMinute: 1}, false, false,
			func(Protocol) (Outcome, string) { return OutcomeHTTPError, "HTTP 429" }},
	}
	for _, c := range cases {
		for _, proto := range llmProtocols {
			t.Run(c.name+"/"+string(proto), func(t *testing.T) {
				_, url := mockSUT(t, c.f)
				s := driverTestOne(t, Request{Protocol: proto, Stream: c.stream, Tools: c.tools}, url)
				want, has := c.want(proto)
				if s.Outcome != want || !strings.Contains(s.Error, has) {
					t.Fatalf("outcome %q error %q, want %q with %q", s.Outcome, s.Error, want, has)
				}
			})
		}
	}
}

// TestDriverToolArgumentsRelayedCut: an app that relays a cut tool call as whole
// (finish_reason tool_calls and [DONE] after half the arguments, or {} for the
// arguments) is a silent truncation; an app that answers text where a call was required
// is malformed.
func TestDriverToolArgumentsRelayedCut(t *testing.T) {
	chunk := func(w http.ResponseWriter, delta, finish string) {
		fmt.Fprintf(w, `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":%s,"finish_reason":%s}]}`+"\n\n", delta, finish)
	}
	for _, args := range []string{`{\"query\":\"[llmchaos-call upstream=primary`, `{}`} {
		srv := driverTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			chunk(w, `{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"`+DriverToolName+`","arguments":"`+args+`"}}]}`, "null")
			chunk(w, `{}`, `"tool_calls"`)
			fmt.Fprint(w, "data: [DONE]\n\n")
		})
		s := driverTestOne(t, Request{Protocol: ProtocolOpenAIChat, Stream: true, Tools: true}, srv.URL)
		if s.Outcome != OutcomeTruncated || s.Turns != 1 {
			t.Fatalf("arguments %s: %+v", args, s)
		}
		if strings.HasPrefix(args, "{\\\"query") && s.ServedBy != "primary" {
			t.Fatalf("served by %q, want primary from the cut proof", s.ServedBy)
		}
	}
	_, url := mockSUT(t)
	srv := driverTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.NoBody // drop the tools: the mock answers text
		fwd, _ := http.NewRequest(http.MethodPost, url+"/v1/chat/completions", strings.NewReader(`{"model":"m","messages":[{"role":"user","content":"x"}]}`))
		resp, err := http.DefaultClient.Do(fwd)
		if err != nil {
			t.Error(err)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		_, _ = fmt.Fprint(w, readAllString(resp))
	})
	if s := driverTestOne(t, Request{Protocol: ProtocolOpenAIChat, Tools: true}, srv.URL, 5*time.Second); s.Outcome != OutcomeMalformed || !strings.Contains(s.Error, "tool call was required") {
		t.Fatalf("text for a required call: %+v", s)
	}
}

func readAllString(r *http.Response) string {
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := r.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}
