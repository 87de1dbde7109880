package main

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"testing"
)

// The gateway reads its clients' requests and, on a failover, translates them for the
// secondary (Anthropic): tools, tool choices, tool calls and tool results, Responses API
// input items. The fuzz targets hold both parsers to their contract on any body: no
// panic, and a request they accept becomes Anthropic params that marshal to JSON (what
// the SDK sends) with as many tools as the request offered function tools.

func fuzzProvider() *anthropicProvider {
	return newAnthropicProvider("secondary", "http://127.0.0.1:1", "key", "claude-test", 1024, nil)
}

// functionTools counts the function tools in a tools list (any other kind is dropped).
func functionTools(raw json.RawMessage) int {
	var tools []struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(raw, &tools) != nil {
		return -1
	}
	n := 0
	for _, t := range tools {
		if t.Type == "function" {
			n++
		}
	}
	return n
}

func FuzzChatToAnthropic(f *testing.F) {
	f.Add([]byte(`{"model":"m","messages":[{"role":"user","content":"hi"}]}`))
	f.Add([]byte(`{"model":"m","stream":true,"messages":[{"role":"system","content":"s"},{"role":"user","content":[{"type":"text","text":"x"}]}],` +
		`"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],"tool_choice":"required"}`))
	f.Add([]byte(`{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\":"}}]},` +
		`{"role":"tool","tool_call_id":"call_1","content":"r"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{"type":"function","function":{"name":"f"}},"parallel_tool_calls":false}`))
	f.Add([]byte(`{"messages":[],"tools":{},"tool_choice":7}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeChatRequest(httptest.NewRequest("POST", "/v1/chat/completions", bytes.NewReader(body)))
		if err != nil {
			return
		}
		mp, err := fuzzProvider().params(req, requestMeta{requestID: "r", user: "u"})
		if err != nil {
			return
		}
		if _, err := json.Marshal(mp); err != nil {
			t.Fatalf("accepted request's Anthropic params do not marshal: %v", err)
		}
		if want := functionTools(req.Tools); want >= 0 && len(mp.Tools) != want {
			t.Fatalf("%d function tools offered, %d translated", want, len(mp.Tools))
		}
	})
}

func FuzzResponsesToAnthropic(f *testing.F) {
	f.Add([]byte(`{"model":"m","input":"hi"}`))
	f.Add([]byte(`{"model":"m","stream":true,"instructions":"be brief","max_output_tokens":64,"input":[{"role":"user","content":[{"type":"input_text","text":"x"}]}],` +
		`"tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},{"type":"web_search"}],"tool_choice":"required"}`))
	f.Add([]byte(`{"input":[{"role":"user","content":"q"},{"type":"function_call","call_id":"call_1","name":"f","arguments":"{"},` +
		`{"type":"function_call_output","call_id":"call_1","output":"r"},{"role":"system","content":"s"}],"tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"function","name":"f"}}`))
	f.Add([]byte(`{"input":[{}],"tools":[{"type":"function"}],"parallel_tool_calls":false}`))
	f.Add([]byte(`{"input":5}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeResponsesRequest(httptest.NewRequest("POST", "/v1/responses", bytes.NewReader(body)))
		if err != nil {
			return
		}
		mp, err := fuzzProvider().responsesParams(req, requestMeta{requestID: "r", user: "u"})
		if err != nil {
			return
		}
		if _, err := json.Marshal(mp); err != nil {
			t.Fatalf("accepted request's Anthropic params do not marshal: %v", err)
		}
		if want := functionTools(req.Tools); want >= 0 && len(mp.Tools) != want {
			t.Fatalf("%d function tools offered, %d translated", want, len(mp.Tools))
		}
	})
}
