package llm

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// fuzzRequest sends body to path on a fresh Server and checks the answer: never a panic
// (a panic fails the fuzz run), and either 200 with a whole answer or a 4xx in the
// provider's error shape.
func fuzzRequest(t *testing.T, path string, header string, body []byte) {
	s := mustNew(t, WithAnswerWords(3), WithMaxBodyBytes(4096))
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	if header != "" {
		req.Header.Set("X-Request-Id", header)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	out := rec.Body.Bytes()
	switch {
	case rec.Code == http.StatusOK:
		var text string
		if bytes.HasPrefix(out, []byte("data: ")) || bytes.HasPrefix(out, []byte("event: ")) {
			end := []byte("data: [DONE]\n\n")
			if path == "/v1/messages" {
				end = []byte("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")
			}
			if !bytes.HasSuffix(out, end) {
				t.Fatalf("200 stream without its end: %q", out)
			}
			return
		}
		var m struct {
			Choices []struct{ Message struct{ Content string } } `json:"choices"`
			Content []struct{ Text string }                      `json:"content"`
		}
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("200 answer is not JSON: %v: %q", err, out)
		}
		if len(m.Choices) > 0 {
			text = m.Choices[0].Message.Content
		} else if len(m.Content) > 0 {
			text = m.Content[0].Text
		}
		if _, err := Verify(text); err != nil {
			t.Fatalf("200 answer does not verify: %v: %q", err, out)
		}
	case rec.Code >= 400 && rec.Code < 500:
		if err := checkErrorShape(path, out, rec.Header()); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("status %d: %q", rec.Code, out)
	}
}

func FuzzOpenAIRequest(f *testing.F) {
	f.Add("", []byte(openAIReqBody))
	f.Add("id-1", []byte(`{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":[{"type":"text","text":"[llmchaos-id:x]"}]}],"user":"u"}`))
	f.Add("a\"b", []byte(`{"model":"m","messages":[{"role":"user","content":null}],"user":"\u2028\ud800"}`))
	f.Add("", []byte(`{"model":"m","stream_options":{"include_usage":true},"messages":[{"role":"user","content":"x"}]}`))
	f.Add("", []byte(`{"model":5,"messages":{}}`))
	f.Add("", []byte(`{"model":"m","messages":[{"role":"user","content":"`+"\xff\xfe"+`"}]}`))
	f.Add("", []byte(`null`))
	f.Add("", []byte(``))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		fuzzRequest(t, "/v1/chat/completions", header, body)
	})
}

func FuzzAnthropicRequest(f *testing.F) {
	f.Add("", []byte(anthropicReqBody))
	f.Add("", []byte(`{"model":"c","max_tokens":1,"stream":true,"metadata":{"user_id":"u"},"system":[{"type":"text","text":"s"}],"messages":[{"role":"user","content":"[llmchaos-id:a]"}]}`))
	f.Add("h", []byte(`{"model":"c","max_tokens":0,"messages":[{"role":"assistant","content":[{"type":"tool_use","input":{}}]}]}`))
	f.Add("", []byte(`{"model":"c","max_tokens":-1,"messages":[{"role":"user","content":"x"}]}`))
	f.Add("", []byte(`{"model":"c","max_tokens":1e99,"messages":[]}`))
	f.Add("", []byte(`{"metadata":{"user_id":7}}`))
	f.Add("", []byte(`[`))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		fuzzRequest(t, "/v1/messages", header, body)
	})
}
