package load

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/llmchaos/llmchaos/harness/tmpl"
)

// openAIResponses speaks the OpenAI Responses API, streaming or not. Requests are
// stateless (store: false, the whole conversation in input), so a follow-up can be
// served by any upstream the SUT picks.
type openAIResponses struct {
	model  string
	stream bool
	prompt string
	tools  bool
}

var (
	_ wireProtocol     = (*openAIResponses)(nil)
	_ followUpProtocol = (*openAIResponses)(nil)
)

type responsesRequest struct {
	Model      string             `json:"model"`
	Input      []any              `json:"input"`
	User       string             `json:"user"`
	Store      bool               `json:"store"`
	Stream     bool               `json:"stream,omitempty"`
	Tools      []responsesToolDef `json:"tools,omitempty"`
	ToolChoice string             `json:"tool_choice,omitempty"`
}

// responsesToolDef is DriverToolName in the Responses API's tools.
type responsesToolDef struct {
	Type        string          `json:"type"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Parameters  json.RawMessage `json:"parameters"`
	Strict      bool            `json:"strict"`
}

func responsesTools() []responsesToolDef {
	return []responsesToolDef{{Type: "function", Name: DriverToolName, Description: driverToolDescription, Parameters: driverToolSchema, Strict: true}}
}

func (p *openAIResponses) defaults() (string, string) { return http.MethodPost, "/v1/responses" }

func (p *openAIResponses) success(status int) bool { return protoIs2xx(status) }

func (p *openAIResponses) request(data *tmpl.Request) responsesRequest {
	return responsesRequest{
		Model:  p.model,
		Input:  []any{openAIMessage{Role: "user", Content: protoPrompt(p.prompt, data.ID)}},
		User:   data.ID,
		Stream: p.stream,
	}
}

func (p *openAIResponses) body(data *tmpl.Request) ([]byte, http.Header, error) {
	req := p.request(data)
	if p.tools {
		req.Tools, req.ToolChoice = responsesTools(), "required"
	}
	return p.marshal(req)
}

// followUp is the turn after calls: the input again, each function_call and its
// function_call_output, tool_choice auto.
func (p *openAIResponses) followUp(data *tmpl.Request, calls []toolCallSeen) ([]byte, error) {
	req := p.request(data)
	for _, c := range calls {
		req.Input = append(req.Input,
			map[string]any{"type": "function_call", "call_id": c.id, "name": c.name, "arguments": c.args},
			map[string]any{"type": "function_call_output", "call_id": c.id, "output": toolResult(c)})
	}
	req.Tools, req.ToolChoice = responsesTools(), "auto"
	b, _, err := p.marshal(req)
	return b, err
}

func (p *openAIResponses) marshal(req responsesRequest) ([]byte, http.Header, error) {
	b, err := json.Marshal(req)
	h := http.Header{"Content-Type": {"application/json"}}
	if p.stream {
		h.Set("Accept", "text/event-stream")
	}
	return b, h, err
}

// responsesObject is the part of a Response the driver reads.
type responsesObject struct {
	Object string `json:"object"`
	Status string `json:"status"`
	Output []struct {
		Type      string `json:"type"`
		CallID    string `json:"call_id"`
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
		Content   []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"content"`
	} `json:"output"`
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	IncompleteDetails *struct {
		Reason string `json:"reason"`
	} `json:"incomplete_details"`
}

// judge judges a Response by its status: completed is judged on its output, incomplete
// ended early, failed is an error.
func (r *responsesObject) judge(text string, calls []toolCallSeen, wantCalls bool) protoDecoded {
	switch r.Status {
	case "completed":
		return protoJudge(text, calls, endReason{}, wantCalls)
	case "incomplete":
		reason := "?"
		if r.IncompleteDetails != nil {
			reason = r.IncompleteDetails.Reason
		}
		return protoJudge(text, calls, endReason{early: "status incomplete: " + reason}, wantCalls)
	case "failed":
		detail := "response failed"
		if r.Error != nil {
			detail += ": " + r.Error.Code + ": " + driverClip(r.Error.Message, 120)
		}
		return protoDecoded{text: text, calls: calls, outcome: OutcomeHTTPError, detail: detail}
	}
	return protoDecoded{text: text, calls: calls, outcome: OutcomeMalformed, detail: fmt.Sprintf("response status %q is not a final one", r.Status)}
}

func (p *openAIResponses) decode(body io.Reader, mark func(), turn int) protoDecoded {
	if p.stream {
		return p.decodeStream(body, mark, turn)
	}
	b, failed, ok := protoReadBody(body)
	if !ok {
		return failed
	}
	var resp responsesObject
	if err := json.Unmarshal(b, &resp); err != nil {
		return protoDecoded{text: string(b), outcome: OutcomeMalformed, detail: "body is not a response: " + err.Error()}
	}
	if resp.Object != "response" {
		var e struct {
			Error *openAIError `json:"error"`
		}
		if json.Unmarshal(b, &e) == nil && e.Error != nil {
			return protoDecoded{outcome: OutcomeHTTPError, detail: "error body with a 2xx status: " + e.Error.String()}
		}
		return protoDecoded{text: string(b), outcome: OutcomeMalformed, detail: fmt.Sprintf("body object is %q, want response", resp.Object)}
	}
	var text string
	var calls []toolCallSeen
	for _, o := range resp.Output {
		for _, c := range o.Content {
			if c.Type == "output_text" {
				text += c.Text
			}
		}
		if o.Type == "function_call" {
			calls = append(calls, toolCallSeen{id: o.CallID, name: o.Name, args: o.Arguments})
		}
	}
	return resp.judge(text, calls, p.tools && turn == 0)
}

// responsesEvent is the data of one stream event (the fields the driver reads).
type responsesEvent struct {
	Type        string `json:"type"`
	Delta       string `json:"delta"`
	Arguments   string `json:"arguments"`
	OutputIndex int    `json:"output_index"`
	Item        struct {
		Type   string `json:"type"`
		CallID string `json:"call_id"`
		Name   string `json:"name"`
	} `json:"item"`
	Response responsesObject `json:"response"`
	Error    *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// responsesStream is what a Responses stream gathered so far.
type responsesStream struct {
	text    *protoText
	calls   callsSeen
	slots   map[int]int // output_index → call
	started bool
}

// call is the call at output index i, a new one for an index not seen yet.
func (st *responsesStream) call(i int) *toolCallSeen {
	n, ok := st.slots[i]
	if !ok {
		n = len(st.calls.calls)
		st.slots[i] = n
	}
	return st.calls.at(n)
}

func (st *responsesStream) decoded(outcome Outcome, detail string) protoDecoded {
	return protoDecoded{text: st.text.String(), calls: st.calls.calls, outcome: outcome, detail: detail}
}

func (p *openAIResponses) decodeStream(body io.Reader, mark func(), turn int) protoDecoded {
	st := &responsesStream{text: &protoText{mark: mark}, calls: callsSeen{mark: mark}, slots: map[int]int{}}
	return decodeSSEStream(body, st, p.tools && turn == 0, "stream ended without response.completed")
}

// event takes one stream event; done is true with the judgement when the stream is over.
func (st *responsesStream) event(ev protoSSEEvent, wantCalls bool) (protoDecoded, bool) {
	var e responsesEvent
	if err := json.Unmarshal([]byte(ev.data), &e); err != nil {
		return st.decoded(OutcomeMalformed, fmt.Sprintf("stream event %s data %q does not parse: %v", ev.name, driverClip(ev.data, 60), err)), true
	}
	if ev.name != "" && ev.name != e.Type {
		return st.decoded(OutcomeMalformed, fmt.Sprintf("stream event %q carries data of type %q", ev.name, e.Type)), true
	}
	if e.Type == "error" {
		code, msg := e.Code, e.Message
		if e.Error != nil {
			code, msg = e.Error.Code, e.Error.Message
		}
		return st.decoded(OutcomeHTTPError, "stream error event: "+code+": "+driverClip(msg, 120)), true
	}
	if !st.started {
		if e.Type != "response.created" {
			return st.decoded(OutcomeMalformed, fmt.Sprintf("stream event %q before response.created", e.Type)), true
		}
		st.started = true
	}
	switch e.Type {
	case "response.output_text.delta":
		st.text.WriteString(e.Delta)
	case "response.output_item.added":
		if e.Item.Type == "function_call" {
			c := st.call(e.OutputIndex)
			c.id, c.name = e.Item.CallID, e.Item.Name
		}
	case "response.function_call_arguments.delta":
		st.call(e.OutputIndex).args += e.Delta
	case "response.function_call_arguments.done":
		st.call(e.OutputIndex).args = e.Arguments
	case "response.completed", "response.incomplete", "response.failed":
		return e.Response.judge(st.text.String(), st.calls.calls, wantCalls), true
	}
	return protoDecoded{}, false
}
