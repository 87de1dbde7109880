package main

import (
	"encoding/json"
	"strings"
	"time"
)

// responsesEmitter writes an answer as Responses API events (and, whole, as a Response
// object): what the secondary's Anthropic answer becomes. Events carry their type and a
// sequence number from 0, in the order the API sends them: response.created and
// .in_progress; the message item and its text deltas; each function call's item,
// argument deltas and done events; then response.completed or response.incomplete.
type responsesEmitter struct {
	out      responseSink
	id       string
	model    string
	created  int64
	seq      int
	text     strings.Builder
	itemOpen bool
	calls    []emitCall
	inTok    int64
	outTok   int64
	reason   string // incomplete_details.reason, "" when complete
	gone     bool
}

type emitCall struct {
	id, name string
	args     strings.Builder
	done     bool
}

func newResponsesEmitter(out responseSink, id, model string) *responsesEmitter {
	return &responsesEmitter{out: out, id: "resp_" + id, model: model, created: time.Now().Unix()}
}

// emit sends one event: its type, sequence number and fields.
func (e *responsesEmitter) emit(typ string, fields map[string]any) {
	fields["type"], fields["sequence_number"] = typ, e.seq
	e.seq++
	b, _ := json.Marshal(fields)
	if !e.gone && !e.out.event(typ, b) {
		e.gone = true
	}
}

func (e *responsesEmitter) start() {
	e.emit("response.created", map[string]any{"response": e.response("in_progress", false)})
	e.emit("response.in_progress", map[string]any{"response": e.response("in_progress", false)})
}

func (e *responsesEmitter) msgID() string { return "msg_" + strings.TrimPrefix(e.id, "resp_") }

func (e *responsesEmitter) textDelta(s string) {
	if !e.itemOpen {
		e.itemOpen = true
		e.emit("response.output_item.added", map[string]any{"output_index": 0, "item": e.messageItem("in_progress", false)})
		e.emit("response.content_part.added", map[string]any{"item_id": e.msgID(), "output_index": 0, "content_index": 0,
			"part": map[string]any{"type": "output_text", "annotations": []any{}, "text": ""}})
	}
	e.text.WriteString(s)
	e.emit("response.output_text.delta", map[string]any{"item_id": e.msgID(), "output_index": 0, "content_index": 0, "delta": s, "logprobs": []any{}})
}

// outputIndex is where call i sits in the output: after the message item, if any.
func (e *responsesEmitter) outputIndex(i int) int {
	if e.itemOpen {
		return i + 1
	}
	return i
}

func (e *responsesEmitter) toolStart(id, name string) int {
	e.calls = append(e.calls, emitCall{id: id, name: name})
	i := len(e.calls) - 1
	e.emit("response.output_item.added", map[string]any{"output_index": e.outputIndex(i), "item": e.callItem(i, "in_progress")})
	return i
}

func (e *responsesEmitter) toolArgs(i int, frag string) {
	e.calls[i].args.WriteString(frag)
	e.emit("response.function_call_arguments.delta", map[string]any{"item_id": "fc_" + e.calls[i].id, "output_index": e.outputIndex(i), "delta": frag})
}

func (e *responsesEmitter) toolEnd(i int) {
	e.calls[i].done = true
	e.emit("response.function_call_arguments.done", map[string]any{"item_id": "fc_" + e.calls[i].id, "output_index": e.outputIndex(i),
		"name": e.calls[i].name, "arguments": e.calls[i].args.String()})
	e.emit("response.output_item.done", map[string]any{"output_index": e.outputIndex(i), "item": e.callItem(i, "completed")})
}

// finish closes the message item and sends the terminal event.
func (e *responsesEmitter) finish() {
	status := e.status()
	if e.itemOpen {
		pos := map[string]any{"item_id": e.msgID(), "output_index": 0, "content_index": 0}
		e.emit("response.output_text.done", merge(pos, map[string]any{"text": e.text.String(), "logprobs": []any{}}))
		e.emit("response.content_part.done", merge(pos, map[string]any{"part": textPart(e.text.String())}))
		e.emit("response.output_item.done", map[string]any{"output_index": 0, "item": e.messageItem(status, true)})
	}
	e.emit("response."+status, map[string]any{"response": e.response(status, true)})
}

func (e *responsesEmitter) status() string {
	if e.reason != "" {
		return "incomplete"
	}
	return "completed"
}

// response is the Response object; with output, its items and usage.
func (e *responsesEmitter) response(status string, output bool) map[string]any {
	r := map[string]any{"id": e.id, "object": "response", "created_at": e.created, "status": status, "model": e.model,
		"error": nil, "incomplete_details": nil, "output": []any{}, "usage": nil, "metadata": map[string]any{},
		"parallel_tool_calls": true, "tool_choice": "auto", "tools": []any{}, "instructions": nil}
	if e.reason != "" {
		r["incomplete_details"] = map[string]any{"reason": e.reason}
	}
	if !output {
		return r
	}
	var items []any
	if e.itemOpen {
		items = append(items, e.messageItem(status, true))
	}
	for i := range e.calls {
		items = append(items, e.callItem(i, "completed"))
	}
	r["output"] = append([]any{}, items...)
	r["usage"] = map[string]any{"input_tokens": e.inTok, "output_tokens": e.outTok, "total_tokens": e.inTok + e.outTok,
		"input_tokens_details": map[string]any{"cached_tokens": 0}, "output_tokens_details": map[string]any{"reasoning_tokens": 0}}
	return r
}

func (e *responsesEmitter) messageItem(status string, withText bool) map[string]any {
	content := []any{}
	if withText {
		content = append(content, textPart(e.text.String()))
	}
	return map[string]any{"id": e.msgID(), "type": "message", "status": status, "role": "assistant", "content": content}
}

func (e *responsesEmitter) callItem(i int, status string) map[string]any {
	c := &e.calls[i]
	return map[string]any{"id": "fc_" + c.id, "type": "function_call", "status": status, "call_id": c.id,
		"name": c.name, "arguments": c.args.String()}
}

func textPart(text string) map[string]any {
	return map[string]any{"type": "output_text", "annotations": []any{}, "text": text}
}

func merge(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// incompleteReason maps an Anthropic stop_reason to the Responses API's
// incomplete_details.reason ("" for a whole answer).
func incompleteReason(stop string) string {
	switch stop {
	case "max_tokens", "model_context_window_exceeded":
		return "max_output_tokens"
	case "refusal":
		return "content_filter"
	}
	return ""
}
