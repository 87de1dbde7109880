package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

// Fuzz targets for the request parsers of the cloud surfaces: whatever the body, the
// mock never panics and answers either 200 with a whole answer in the surface's framing
// (text that verifies, or tool calls whose arguments verify) or a 4xx in the surface's
// error shape.

func serveFuzz(t *testing.T, path, header string, body []byte) *httptest.ResponseRecorder {
	s := mustNew(t, WithAnswerWords(3), WithMaxBodyBytes(4096))
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	if header != "" {
		req.Header.Set("X-Request-Id", header)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK && (rec.Code < 400 || rec.Code >= 500) {
		t.Fatalf("%s: status %d: %q", path, rec.Code, rec.Body.Bytes())
	}
	return rec
}

// verifyAnswer checks an answer's text, or its calls' arguments when it made calls.
func verifyAnswer(t *testing.T, text string, calls [][2]string, out []byte) {
	for _, c := range calls {
		if _, err := VerifyToolCall(c[0], c[1]); err != nil && !errors.Is(err, ErrNoProof) {
			t.Fatalf("200 tool call does not verify: %v: %q", err, out)
		}
	}
	if len(calls) == 0 {
		if _, err := Verify(text); err != nil {
			t.Fatalf("200 answer does not verify: %v: %q", err, out)
		}
	}
}

func FuzzGeminiRequest(f *testing.F) {
	tools := `"tools":[{"functionDeclarations":[{"name":"f","parameters":{"type":"OBJECT","properties":{"q":{"type":"STRING"}},"required":["q"]}}]}]`
	f.Add("", false, []byte(`{"contents":[{"role":"user","parts":[{"text":"hi [llmchaos-id:g]"}]}]}`))
	f.Add("h", true, []byte(`{"systemInstruction":{"parts":[{"text":"s"}]},"contents":[{"parts":[{"text":"x"}]}],`+tools+`,"toolConfig":{"functionCallingConfig":{"mode":"ANY"}}}`))
	f.Add("", true, []byte(`{"contents":[{"role":"user","parts":[{"text":"x"}]},{"role":"model","parts":[{"functionCall":{"name":"f","args":{}}}]},{"role":"user","parts":[{"functionResponse":{"name":"f","response":{}}}]}],`+tools+`}`))
	f.Add("", false, []byte(`{"contents":[],"toolConfig":{"functionCallingConfig":{"mode":"SOMETIMES"}}}`))
	f.Add("", false, []byte(`{"contents":[{"parts":"x"}],"tools":[{"functionDeclarations":[{"name":""}]}]}`))
	f.Fuzz(func(t *testing.T, header string, stream bool, body []byte) {
		path := "/v1beta/models/gemini-x:generateContent"
		if stream {
			path = "/v1beta/models/gemini-x:streamGenerateContent?alt=sse"
		}
		rec := serveFuzz(t, path, header, body)
		out := rec.Body.Bytes()
		if rec.Code != http.StatusOK {
			var e struct {
				Error *struct {
					Code    int    `json:"code"`
					Message string `json:"message"`
					Status  string `json:"status"`
				} `json:"error"`
			}
			if json.Unmarshal(out, &e) != nil || e.Error == nil || e.Error.Code != rec.Code || e.Error.Message == "" || e.Error.Status == "" {
				t.Fatalf("not Google's error: %q", out)
			}
			return
		}
		chunks := [][]byte{out}
		if stream {
			chunks = nil
			for _, ev := range bytes.Split(bytes.TrimSuffix(out, []byte("\r\n\r\n")), []byte("\r\n\r\n")) {
				chunks = append(chunks, bytes.TrimPrefix(ev, []byte("data: ")))
			}
		}
		var text strings.Builder
		var calls [][2]string
		finish := ""
		for _, ch := range chunks {
			var r struct {
				Candidates []struct {
					Content struct {
						Parts []struct {
							Text         string `json:"text"`
							FunctionCall *struct {
								Name string          `json:"name"`
								Args json.RawMessage `json:"args"`
							} `json:"functionCall"`
						} `json:"parts"`
					} `json:"content"`
					FinishReason string `json:"finishReason"`
				} `json:"candidates"`
			}
			if err := json.Unmarshal(ch, &r); err != nil || len(r.Candidates) != 1 {
				t.Fatalf("chunk %q: %v", ch, err)
			}
			for _, p := range r.Candidates[0].Content.Parts {
				text.WriteString(p.Text)
				if p.FunctionCall != nil {
					calls = append(calls, [2]string{p.FunctionCall.Name, string(p.FunctionCall.Args)})
				}
			}
			finish = r.Candidates[0].FinishReason
		}
		if finish != "STOP" {
			t.Fatalf("answer ends with finishReason %q: %q", finish, out)
		}
		verifyAnswer(t, text.String(), calls, out)
	})
}

func FuzzAzureRequest(f *testing.F) {
	f.Add("", false, []byte(`{"messages":[{"role":"user","content":"hi [llmchaos-id:a]"}]}`))
	f.Add("h", true, []byte(`{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}}],"tool_choice":"required"}`))
	f.Add("", true, []byte(`{"stream":true,"messages":[]}`))
	f.Add("", false, []byte(`{"model":7}`))
	f.Fuzz(func(t *testing.T, header string, v1 bool, body []byte) {
		path := "/openai/deployments/dep/chat/completions?api-version=2024-10-21"
		if v1 {
			path = "/openai/v1/chat/completions"
		}
		rec := serveFuzz(t, path, header, body)
		out := rec.Body.Bytes()
		switch {
		case rec.Code != http.StatusOK:
			var e struct {
				Error *struct {
					Message string `json:"message"`
				} `json:"error"`
			}
			if json.Unmarshal(out, &e) != nil || e.Error == nil || e.Error.Message == "" {
				t.Fatalf("not an Azure error: %q", out)
			}
		case bytes.HasPrefix(out, []byte(`data: {"choices":[],`)):
			checkStreamEnd(t, "/v1/chat/completions", out)
		default:
			if !bytes.Contains(out, []byte(`"prompt_filter_results"`)) {
				t.Fatalf("no prompt_filter_results: %q", out)
			}
			checkWholeAnswer(t, out)
		}
	})
}

func FuzzBedrockRequest(f *testing.F) {
	tools := `"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}}}],"toolChoice":{"any":{}}}`
	f.Add("", false, []byte(`{"messages":[{"role":"user","content":[{"text":"hi [llmchaos-id:b]"}]}]}`))
	f.Add("h", true, []byte(`{"system":[{"text":"s"}],"inferenceConfig":{"maxTokens":9},"requestMetadata":{"llmchaos_id":"r"},"messages":[{"role":"user","content":[{"text":"x"}]}],`+tools+`}`))
	f.Add("", true, []byte(`{"messages":[{"role":"user","content":[{"text":"x"}]},{"role":"assistant","content":[{"toolUse":{"toolUseId":"t","name":"f","input":{}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"t","content":[{"text":"ok"}]}}]}],`+tools+`}`))
	f.Add("", false, []byte(`{"messages":[],"inferenceConfig":{"maxTokens":0}}`))
	f.Add("", false, []byte(`{"messages":[{"role":"user","content":[]}],"toolConfig":{"tools":[{"toolSpec":{"name":"f"}}],"toolChoice":{"tool":{"name":"g"}}}}`))
	f.Fuzz(func(t *testing.T, header string, stream bool, body []byte) {
		path := "/model/anthropic.claude-x/converse"
		if stream {
			path += "-stream"
		}
		rec := serveFuzz(t, path, header, body)
		out := rec.Body.Bytes()
		if rec.Code != http.StatusOK {
			var e struct {
				Message *string `json:"message"`
			}
			if err := strictDecode(out, &e); err != nil || e.Message == nil || !strings.Contains(rec.Header().Get("X-Amzn-Errortype"), "Exception") {
				t.Fatalf("not a Bedrock error (%v, x-amzn-errortype %q): %q", err, rec.Header().Get("X-Amzn-Errortype"), out)
			}
			return
		}
		if stream {
			checkBedrockStream(t, out)
			return
		}
		var r struct {
			Output struct {
				Message struct {
					Content []struct {
						Text    string `json:"text"`
						ToolUse *struct {
							Name  string          `json:"name"`
							Input json.RawMessage `json:"input"`
						} `json:"toolUse"`
					} `json:"content"`
				} `json:"message"`
			} `json:"output"`
		}
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatalf("200 answer is not JSON: %v: %q", err, out)
		}
		var text string
		var calls [][2]string
		for _, c := range r.Output.Message.Content {
			text += c.Text
			if c.ToolUse != nil {
				calls = append(calls, [2]string{c.ToolUse.Name, string(c.ToolUse.Input)})
			}
		}
		verifyAnswer(t, text, calls, out)
	})
}

// checkBedrockStream decodes a whole ConverseStream with the AWS SDK's decoder: every
// frame an event, messageStop then metadata last, the text or calls verifying.
func checkBedrockStream(t *testing.T, out []byte) {
	r := bytes.NewReader(out)
	dec := eventstream.NewDecoder()
	var events []string
	var text strings.Builder
	calls := map[int]*[2]string{}
	for r.Len() > 0 {
		msg, err := dec.Decode(r, nil)
		if err != nil {
			t.Fatalf("frame %d: %v", len(events), err)
		}
		if mt := msg.Headers.Get(":message-type"); mt == nil || mt.String() != "event" {
			t.Fatalf("frame %d is not an event: %v", len(events), msg.Headers)
		}
		name := msg.Headers.Get(":event-type").String()
		events = append(events, name)
		var p struct {
			Index int `json:"contentBlockIndex"`
			Start struct {
				ToolUse *struct{ Name string } `json:"toolUse"`
			} `json:"start"`
			Delta struct {
				Text    string                  `json:"text"`
				ToolUse *struct{ Input string } `json:"toolUse"`
			} `json:"delta"`
		}
		if err := json.Unmarshal(msg.Payload, &p); err != nil {
			t.Fatalf("%s payload %q: %v", name, msg.Payload, err)
		}
		switch {
		case p.Start.ToolUse != nil:
			calls[p.Index] = &[2]string{p.Start.ToolUse.Name, ""}
		case p.Delta.ToolUse != nil:
			calls[p.Index][1] += p.Delta.ToolUse.Input
		default:
			text.WriteString(p.Delta.Text)
		}
	}
	if n := len(events); n < 3 || events[0] != "messageStart" || events[n-2] != "messageStop" || events[n-1] != "metadata" {
		t.Fatalf("events %v", events)
	}
	var list [][2]string
	for _, c := range calls {
		list = append(list, *c)
	}
	verifyAnswer(t, text.String(), list, out)
}
