package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// fuzzRequest sends body to path on a fresh Server and checks the answer: never a panic
// (a panic fails the fuzz run), and either 200 with a whole answer (text that verifies,
// or tool calls whose arguments verify) or a 4xx in the provider's error shape.
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
		if bytes.HasPrefix(out, []byte("data: ")) || bytes.HasPrefix(out, []byte("event: ")) {
			checkStreamEnd(t, path, out)
			return
		}
		checkWholeAnswer(t, out)
	case rec.Code >= 400 && rec.Code < 500:
		if err := checkErrorShape(path, out, rec.Header()); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("status %d: %q", rec.Code, out)
	}
}

// checkStreamEnd checks that a 200 stream ends with its dialect's end.
func checkStreamEnd(t *testing.T, path string, out []byte) {
	ends := [][]byte{[]byte("data: [DONE]\n\n")}
	switch path {
	case "/v1/messages":
		ends = [][]byte{[]byte("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")}
	case "/v1/responses":
		i := bytes.LastIndex(out, []byte("event: "))
		ends = [][]byte{out[i:]}
		if !bytes.HasPrefix(out[i:], []byte("event: response.completed\n")) && !bytes.HasPrefix(out[i:], []byte("event: response.incomplete\n")) {
			t.Fatalf("200 Responses stream ends with %q", out[i:])
		}
	}
	for _, end := range ends {
		if bytes.HasSuffix(out, end) {
			return
		}
	}
	t.Fatalf("200 stream without its end: %q", out)
}

// checkWholeAnswer checks a 200 JSON answer in any dialect: its text verifies, or each
// of its tool calls does (a Responses answer cut by max_output_tokens says incomplete).
func checkWholeAnswer(t *testing.T, out []byte) {
	var m struct {
		Choices []struct {
			Message struct {
				Content   string
				ToolCalls []struct {
					Function struct{ Name, Arguments string }
				} `json:"tool_calls"`
			}
		} `json:"choices"`
		Content []struct {
			Type, Text, Name string
			Input            json.RawMessage
		} `json:"content"`
		Status string `json:"status"`
		Output []struct {
			Type, Name, Arguments string
			Content               []struct{ Text string }
		} `json:"output"`
	}
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("200 answer is not JSON: %v: %q", err, out)
	}
	var text string
	var calls [][2]string
	for _, c := range m.Choices[:min(1, len(m.Choices))] {
		text = c.Message.Content
		for _, tc := range c.Message.ToolCalls {
			calls = append(calls, [2]string{tc.Function.Name, tc.Function.Arguments})
		}
	}
	for _, c := range m.Content {
		text += c.Text
		if c.Type == "tool_use" {
			calls = append(calls, [2]string{c.Name, string(c.Input)})
		}
	}
	for _, o := range m.Output {
		for _, p := range o.Content {
			text += p.Text
		}
		if o.Type == "function_call" {
			calls = append(calls, [2]string{o.Name, o.Arguments})
		}
	}
	for _, c := range calls {
		if _, err := VerifyToolCall(c[0], c[1]); err != nil && !errors.Is(err, ErrNoProof) {
			t.Fatalf("200 tool call does not verify: %v: %q", err, out)
		}
	}
	if len(calls) > 0 || m.Status == "incomplete" {
		return
	}
	if _, err := Verify(text); err != nil {
		t.Fatalf("200 answer does not verify: %v: %q", err, out)
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

func FuzzResponsesRequest(f *testing.F) {
	f.Add("", []byte(`{"model":"m","input":"hi [llmchaos-id:r]"}`))
	f.Add("id", []byte(`{"model":"m","stream":true,"instructions":"be brief","store":false,"input":[{"role":"user","content":[{"type":"input_text","text":"x"}]}],"safety_identifier":"s"}`))
	f.Add("", []byte(`{"model":"m","max_output_tokens":16,"input":[{"type":"message","role":"user","content":"x"},{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":"ok"}]}`))
	f.Add("", []byte(`{"model":"m","input":"x","tool_choice":{"type":"function","name":"f"},"parallel_tool_calls":false,"tools":[{"type":"function","name":"f","parameters":{"type":"object","properties":{"a":{"type":"array","minItems":3,"items":{"type":"object","properties":{"b":{"type":"string"}},"required":["b"]}}},"required":["a"]}}]}`))
	f.Add("", []byte(`{"model":"m","previous_response_id":"resp_x"}`))
	f.Add("", []byte(`{"model":"m","input":7,"max_output_tokens":-1}`))
	f.Add("", []byte(`{"model":"m","input":[{"role":"user","content":null},null]}`))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		fuzzRequest(t, "/v1/responses", header, body)
	})
}

func FuzzChatToolRequest(f *testing.F) {
	tools := `"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"q":{"type":"string"},"n":{"type":"integer"}},"required":["q","n"]}}},{"type":"function","function":{"name":"g"}}]`
	f.Add("", []byte(`{"model":"m","messages":[{"role":"user","content":"x"}],`+tools+`,"tool_choice":"required"}`))
	f.Add("h", []byte(`{"model":"m","stream":true,"messages":[{"role":"user","content":"x"}],`+tools+`,"parallel_tool_calls":true,"tool_choice":"required"}`))
	f.Add("", []byte(`{"model":"m","messages":[{"role":"user","content":"x"},{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c","content":"ok"}],`+tools+`}`))
	f.Add("", []byte(`{"model":"m","messages":[{"role":"user","content":"x"}],`+tools+`,"tool_choice":{"type":"function","function":{"name":"nope"}}}`))
	f.Add("", []byte(`{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"type":["null","object"],"properties":{"a":{"$ref":"#"}},"required":["a"]}},"required":["a"]}}}],"tool_choice":"required"}`))
	f.Add("", []byte(`{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"custom","custom":{}}],"tool_choice":"none"}`))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		fuzzRequest(t, "/v1/chat/completions", header, body)
	})
}

func FuzzAnthropicToolRequest(f *testing.F) {
	tools := `"tools":[{"name":"f","input_schema":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}},{"type":"web_search_20250305","name":"web_search"}]`
	f.Add("", []byte(`{"model":"c","max_tokens":9,"messages":[{"role":"user","content":"x"}],`+tools+`,"tool_choice":{"type":"any"}}`))
	f.Add("", []byte(`{"model":"c","max_tokens":9,"stream":true,"messages":[{"role":"user","content":"x"}],`+tools+`,"tool_choice":{"type":"tool","name":"f","disable_parallel_tool_use":true}}`))
	f.Add("", []byte(`{"model":"c","max_tokens":9,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"ok"}]}],`+tools+`}`))
	f.Add("", []byte(`{"model":"c","max_tokens":9,"messages":[{"role":"user","content":"x"}],"tools":[{"name":"f"}],"tool_choice":{"type":"sometimes"}}`))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		fuzzRequest(t, "/v1/messages", header, body)
	})
}

// FuzzVerifyToolCall: never a panic; a cut of real arguments never verifies.
func FuzzVerifyToolCall(f *testing.F) {
	args := toolArguments(1, "primary", "f-1", 0, toolSpec{name: "f", schema: json.RawMessage(`{"type":"object","properties":{"q":{"type":"string"},"n":{"type":"number"}},"required":["q","n"]}`)})
	f.Add("f", args, len(args)/2)
	f.Add("f", `{"x":"[llmchaos-call upstream=p id=i n=0 sum=00000000]"}`, 3)
	f.Add("g", `[]`, 0)
	f.Fuzz(func(t *testing.T, name, arguments string, cut int) {
		_, _ = VerifyToolCall(name, arguments)
		_ = ToolCallServedBy(arguments)
		if cut >= 0 && cut < len(args) {
			if _, err := VerifyToolCall("f", args[:cut]); err == nil {
				t.Fatalf("a cut of the arguments verifies: %q", args[:cut])
			}
		}
	})
}

// FuzzToolArguments: any schema gives a JSON object that verifies (or has no proof);
// never a panic, however deep or odd the schema.
func FuzzToolArguments(f *testing.F) {
	for _, c := range toolSchemas {
		f.Add(c.schema)
	}
	f.Add(`{"type":"object","properties":{"a":{"type":"object","properties":{"a":{"type":"object","properties":{"a":{}},"required":["a"]}},"required":["a"]}},"required":["a"]}`)
	f.Add(`{"type":"array","minItems":100}`)
	f.Add(`{"required":["x","x"],"properties":{"x":{"enum":[]}}}`)
	f.Fuzz(func(t *testing.T, schema string) {
		args := toolArguments(1, "p", "id", 0, toolSpec{name: "f", schema: json.RawMessage(schema)})
		var m map[string]any
		if err := json.Unmarshal([]byte(args), &m); err != nil || m == nil {
			t.Fatalf("arguments %q for %q are not an object: %v", args, schema, err)
		}
		if _, err := VerifyToolCall("f", args); err != nil && !errors.Is(err, ErrNoProof) {
			t.Fatalf("arguments %q for %q: %v", args, schema, err)
		}
	})
}
