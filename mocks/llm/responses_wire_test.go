package llm

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// checkResponsesStream checks a Responses API stream's framing: every event's name is
// its data's type, sequence numbers count from 0, and there is no [DONE]. It returns
// the events' data decoded.
func checkResponsesStream(t *testing.T, body []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	for i, ev := range readSSE(t, body) {
		if ev.event == ":" || ev.data == "[DONE]" {
			t.Fatalf("event %d: %+v (the Responses API sends neither comments here nor [DONE])", i, ev)
		}
		m := decode(t, ev.data)
		if m["type"] != ev.event {
			t.Fatalf("event %d named %q carries type %v", i, ev.event, m["type"])
		}
		if seq, _ := m["sequence_number"].(float64); int(seq) != i {
			t.Fatalf("event %d (%s) has sequence_number %v", i, ev.event, m["sequence_number"])
		}
		out = append(out, m)
	}
	return out
}

func eventTypes(events []map[string]any) []string {
	var out []string
	for _, e := range events {
		out = append(out, e["type"].(string))
	}
	return out
}

func TestResponsesStreamFraming(t *testing.T) {
	_, hs := start(t, WithAnswerWords(3))
	res := post(t, hs.URL+"/v1/responses", `{"model":"m","stream":true,"input":[{"role":"user","content":[{"type":"input_text","text":"hi `+Tag("w-1")+`"}]}]}`)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("status %d, %v", res.StatusCode, res.Header)
	}
	events := checkResponsesStream(t, readAll(t, res.Body))
	types := eventTypes(events)
	want := []string{"response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
		"response.output_text.delta", "response.output_text.delta", "response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
		"response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"}
	if strings.Join(types, " ") != strings.Join(want, " ") {
		t.Fatalf("events\n%v\nwant\n%v", types, want)
	}
	done := events[len(events)-1]["response"].(map[string]any)
	if done["status"] != "completed" || done["usage"] == nil || done["store"] != true {
		t.Fatalf("completed response %v", done)
	}
	text := events[9]["text"].(string)
	if a, err := Verify(text); err != nil || a.ID != "w-1" {
		t.Fatalf("text %q: %v", text, err)
	}
}

// TestResponsesToolCallStreamFraming: a tool call streams as output_item.added (the
// function_call), argument deltas, arguments.done and output_item.done; the deltas
// join to the done arguments.
func TestResponsesToolCallStreamFraming(t *testing.T) {
	_, hs := start(t)
	res := post(t, hs.URL+"/v1/responses", `{"model":"m","stream":true,"input":"x","user":"u-1","tool_choice":"required",`+
		`"tools":[{"type":"function","name":"lookup","parameters":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}},{"type":"web_search"}]}`)
	events := checkResponsesStream(t, readAll(t, res.Body))
	var deltas strings.Builder
	var done string
	for _, e := range events {
		switch e["type"] {
		case "response.function_call_arguments.delta":
			deltas.WriteString(e["delta"].(string))
		case "response.function_call_arguments.done":
			done = e["arguments"].(string)
		}
	}
	if deltas.String() != done {
		t.Fatalf("deltas %q, done %q", deltas.String(), done)
	}
	if p, err := VerifyToolCall("lookup", done); err != nil || p.ID != "u-1" {
		t.Fatalf("arguments %q: %+v %v", done, p, err)
	}
	last := events[len(events)-1]["response"].(map[string]any)
	out := last["output"].([]any)
	if len(out) != 1 || out[0].(map[string]any)["arguments"] != done || out[0].(map[string]any)["type"] != "function_call" {
		t.Fatalf("output %v", out)
	}
}

func TestResponsesBadRequests(t *testing.T) {
	_, hs := start(t)
	cases := []struct{ body, param, code string }{
		{`{"input":"x"}`, "model", "missing_required_parameter"},
		{`{"model":"m"}`, "input", "missing_required_parameter"},
		{`{"model":"m","input":{"role":"user"}}`, "input", "invalid_type"},
		{`{"model":"m","input":"x","max_output_tokens":15}`, "max_output_tokens", "integer_below_min_value"},
		{`{"model":"m","input":"x","tools":[{"type":"function"}]}`, "tools[0].name", "missing_required_parameter"},
		{`{"model":"m","input":"x","tool_choice":"required"}`, "tool_choice", ""},
		{`{"model":"m","input":"x","tool_choice":"sometimes","tools":[{"type":"function","name":"f"}]}`, "tool_choice", "invalid_value"},
		{`{"model":"m","input":"x","previous_response_id":"resp_gone"}`, "previous_response_id", "previous_response_not_found"},
		{`{"model":`, "", ""},
	}
	for _, c := range cases {
		res := post(t, hs.URL+"/v1/responses", c.body)
		var e struct {
			Error struct {
				Type  string  `json:"type"`
				Param *string `json:"param"`
				Code  *string `json:"code"`
			} `json:"error"`
		}
		if err := json.Unmarshal(readAll(t, res.Body), &e); err != nil || res.StatusCode != 400 || e.Error.Type != "invalid_request_error" {
			t.Fatalf("%s: %d %+v %v", c.body, res.StatusCode, e, err)
		}
		if deref(e.Error.Param) != c.param || deref(e.Error.Code) != c.code {
			t.Fatalf("%s: param %q code %q", c.body, deref(e.Error.Param), deref(e.Error.Code))
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TestMalformedToolChunk: a malformed fault on a tool-call answer breaks the JSON of the
// chunk at its cut, in every dialect.
func TestMalformedToolChunk(t *testing.T) {
	s, hs := start(t)
	setFault(t, s, control.Fault{Type: control.TypeMalformed, AfterChunks: 2})
	tools := `"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}}],"tool_choice":"required"`
	res := post(t, hs.URL+"/v1/chat/completions", `{"model":"m","stream":true,"messages":[{"role":"user","content":"x"}],`+tools+`}`)
	broken := 0
	for _, ev := range readSSE(t, readAll(t, res.Body)) {
		if ev.data != "[DONE]" && !json.Valid([]byte(ev.data)) {
			broken++
		}
	}
	if broken != 1 {
		t.Fatalf("%d broken chunks, want 1", broken)
	}
}
