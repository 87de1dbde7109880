package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"
)

var _ responsesProvider = (*anthropicProvider)(nil)

// respond answers a Responses API request with the Anthropic upstream: the request
// translated (responsesParams), the answer written as Responses events (or a whole
// Response) by a responsesEmitter. A stream that ends without message_stop, or a tool
// call whose input is not a whole object, is a cutError.
func (p *anthropicProvider) respond(ctx context.Context, req *responsesRequest, meta requestMeta, out responseSink) error {
	params, err := p.responsesParams(req, meta)
	if err != nil {
		return err
	}
	if !req.Stream {
		msg, err := p.client.Messages.New(ctx, params, anthropicOptions(meta)...)
		if err != nil {
			return err
		}
		e := newResponsesEmitter(out, msg.ID, req.Model)
		for _, b := range msg.Content {
			switch b.Type {
			case "text":
				e.itemOpen = true
				e.text.WriteString(b.Text)
			case "tool_use":
				e.calls = append(e.calls, emitCall{id: b.ID, name: b.Name})
				e.calls[len(e.calls)-1].args.WriteString(string(b.Input))
			}
		}
		e.inTok, e.outTok, e.reason = msg.Usage.InputTokens, msg.Usage.OutputTokens, incompleteReason(string(msg.StopReason))
		if err := e.callsWhole(); err != nil {
			return err
		}
		body, _ := json.Marshal(e.response(e.status(), true))
		out.whole(body)
		return nil
	}
	return p.respondStream(ctx, params, req, meta, out)
}

// respondStream translates an Anthropic stream into Responses events as they come.
func (p *anthropicProvider) respondStream(ctx context.Context, params anthropic.MessageNewParams, req *responsesRequest, meta requestMeta, out responseSink) error {
	s := p.client.Messages.NewStreaming(ctx, params, anthropicOptions(meta)...)
	defer s.Close()
	var e *responsesEmitter
	blocks := map[int64]int{} // tool_use block index → call
	partial := map[int64]bool{}
	for s.Next() {
		ev := s.Current()
		switch ev.Type {
		case "message_start":
			e = newResponsesEmitter(out, ev.Message.ID, req.Model)
			e.inTok = ev.Message.Usage.InputTokens
			e.start()
		case "content_block_start":
			if ev.ContentBlock.Type == "tool_use" && e != nil {
				blocks[ev.Index] = e.toolStart(ev.ContentBlock.ID, ev.ContentBlock.Name)
			}
		case "content_block_delta":
			p.responsesDelta(e, ev, blocks, partial)
		case "content_block_stop":
			if i, ok := blocks[ev.Index]; ok && e != nil {
				if !partial[ev.Index] {
					e.calls[i].args.WriteString("{}")
				}
				e.toolEnd(i)
			}
		case "message_delta":
			if e != nil {
				e.outTok, e.reason = ev.Usage.OutputTokens, incompleteReason(string(ev.Delta.StopReason))
			}
		case "message_stop":
			if e == nil {
				return &cutError{msg: "message_stop before message_start"}
			}
			if err := e.callsWhole(); err != nil {
				return err
			}
			e.finish()
			out.end()
			return nil
		}
	}
	if err := s.Err(); err != nil {
		return err
	}
	return &cutError{msg: "Anthropic stream ended without message_stop"}
}

func (p *anthropicProvider) responsesDelta(e *responsesEmitter, ev anthropic.MessageStreamEventUnion, blocks map[int64]int, partial map[int64]bool) {
	if e == nil {
		return
	}
	switch ev.Delta.Type {
	case "text_delta":
		if ev.Delta.Text != "" {
			e.textDelta(ev.Delta.Text)
		}
	case "input_json_delta":
		if i, ok := blocks[ev.Index]; ok && ev.Delta.PartialJSON != "" {
			partial[ev.Index] = true
			e.toolArgs(i, ev.Delta.PartialJSON)
		}
	}
}

// callsWhole refuses an answer whose tool call's input is not a whole JSON object.
func (e *responsesEmitter) callsWhole() error {
	for _, c := range e.calls {
		if !argumentsWhole(c.args.String()) {
			return &cutError{msg: "tool_use " + c.name + " has cut input: " + clip(c.args.String(), 40)}
		}
	}
	return nil
}

// responsesParams translates a Responses API request into Anthropic params: input
// messages (and a string input) to messages, function_call items to tool_use blocks,
// function_call_output items to tool_result blocks, instructions and system messages to
// system, function tools and tool_choice, max_output_tokens to max_tokens.
func (p *anthropicProvider) responsesParams(req *responsesRequest, meta requestMeta) (anthropic.MessageNewParams, error) {
	mp := anthropic.MessageNewParams{Model: anthropic.Model(p.model), MaxTokens: p.maxTokens}
	if req.MaxOutputTokens != nil && *req.MaxOutputTokens > 0 {
		mp.MaxTokens = *req.MaxOutputTokens
	}
	if req.Instructions != "" {
		mp.System = append(mp.System, anthropic.TextBlockParam{Text: req.Instructions})
	}
	items, err := responsesItems(req.Input)
	if err != nil {
		return mp, err
	}
	for _, it := range items {
		role, blocks, system := it.anthropic()
		if system != "" {
			mp.System = append(mp.System, anthropic.TextBlockParam{Text: system})
			continue
		}
		if len(blocks) == 0 {
			continue
		}
		if n := len(mp.Messages); n > 0 && mp.Messages[n-1].Role == role {
			mp.Messages[n-1].Content = append(mp.Messages[n-1].Content, blocks...)
			continue
		}
		mp.Messages = append(mp.Messages, anthropic.MessageParam{Role: role, Content: blocks})
	}
	if meta.user != "" {
		mp.Metadata.UserID = anthropic.String(meta.user)
	}
	tools, err := responsesAnthropicTools(req.Tools)
	if err != nil {
		return mp, err
	}
	if len(tools) > 0 {
		mp.Tools = tools
		mp.ToolChoice = anthropicToolChoice(req.ToolChoice, req.ParallelToolCalls)
	}
	return mp, nil
}

// responsesItem is one input item of a Responses API request.
type responsesItem struct {
	Type      string          `json:"type"`
	Role      string          `json:"role"`
	Content   json.RawMessage `json:"content"`
	CallID    string          `json:"call_id"`
	Name      string          `json:"name"`
	Arguments string          `json:"arguments"`
	Output    json.RawMessage `json:"output"`
}

// responsesItems reads input: a string is one user message.
func responsesItems(input json.RawMessage) ([]responsesItem, error) {
	var s string
	if json.Unmarshal(input, &s) == nil {
		text, _ := json.Marshal(s)
		return []responsesItem{{Role: "user", Content: text}}, nil
	}
	var items []responsesItem
	if err := json.Unmarshal(input, &items); err != nil {
		return nil, fmt.Errorf("input is neither a string nor a list of items: %w", err)
	}
	return items, nil
}

// anthropic is the item as Anthropic blocks in role's turn, or as system text.
func (it responsesItem) anthropic() (anthropic.MessageParamRole, []anthropic.ContentBlockParamUnion, string) {
	user, assistant := anthropic.MessageParamRoleUser, anthropic.MessageParamRoleAssistant
	switch it.Type {
	case "function_call":
		return assistant, []anthropic.ContentBlockParamUnion{anthropic.NewToolUseBlock(it.CallID, json.RawMessage(orEmptyObject(it.Arguments)), it.Name)}, ""
	case "function_call_output":
		return user, []anthropic.ContentBlockParamUnion{anthropic.NewToolResultBlock(it.CallID, partsText(it.Output), false)}, ""
	case "", "message":
	default:
		return user, nil, "" // reasoning and other items: nothing Anthropic takes
	}
	text := partsText(it.Content)
	switch it.Role {
	case "system", "developer":
		return user, nil, text
	case "assistant":
		return assistant, textBlocks(text), ""
	}
	return user, textBlocks(text), ""
}

func textBlocks(text string) []anthropic.ContentBlockParamUnion {
	if text == "" {
		return nil
	}
	return []anthropic.ContentBlockParamUnion{anthropic.NewTextBlock(text)}
}

// partsText is a content or output value's text: a string, or the text of its parts.
func partsText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []struct {
		Text string `json:"text"`
	}
	_ = json.Unmarshal(raw, &parts)
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

// responsesAnthropicTools translates the Responses API's flat function tools.
func responsesAnthropicTools(raw json.RawMessage) ([]anthropic.ToolUnionParam, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var tools []struct {
		Type       string          `json:"type"`
		Name       string          `json:"name"`
		Parameters json.RawMessage `json:"parameters"`
	}
	if err := json.Unmarshal(raw, &tools); err != nil {
		return nil, errors.New("tools: " + err.Error())
	}
	var out []anthropic.ToolUnionParam
	for _, t := range tools {
		if t.Type == "function" {
			out = append(out, anthropicTool(t.Name, t.Parameters))
		}
	}
	return out, nil
}
