package main

import (
	"encoding/json"
	"fmt"

	"github.com/anthropics/anthropic-sdk-go"
)

// Tool calls through the gateway. The primary gets the request's tools, tool_choice and
// messages as they came; the secondary gets them translated to Anthropic's tools,
// tool_choice, tool_use and tool_result blocks, and its tool_use answers come back as
// OpenAI tool_calls. A tool call is only worth relaying whole: a stream that carries one
// is buffered to its end (it has no content to commit on), and an answer whose call's
// arguments are not a whole JSON object counts as cut, so the gateway fails over
// instead of handing the client half a call.

// openAIMessages writes the messages for an OpenAI-format upstream, tool calls included.
func openAIMessages(msgs []chatMessage) []map[string]any {
	out := make([]map[string]any, 0, len(msgs))
	for _, m := range msgs {
		o := map[string]any{"role": m.Role, "content": string(m.Content)}
		if len(m.ToolCalls) > 0 {
			o["tool_calls"] = m.ToolCalls
			if m.Content == "" {
				o["content"] = nil
			}
		}
		if m.ToolCallID != "" {
			o["tool_call_id"] = m.ToolCallID
		}
		out = append(out, o)
	}
	return out
}

// argumentsWhole reports whether a tool call's arguments are one whole JSON object.
func argumentsWhole(args string) bool {
	var v map[string]any
	return json.Unmarshal([]byte(args), &v) == nil && v != nil
}

// callsWhole checks every call's arguments.
func callsWhole(calls []chatToolCall) error {
	for _, c := range calls {
		if !argumentsWhole(c.Function.Arguments) {
			return fmt.Errorf("tool call %s has arguments that are not a whole JSON object (%.40q): cut", c.Function.Name, c.Function.Arguments)
		}
	}
	return nil
}

// openAITool is one entry of OpenAI's tools.
type openAITool struct {
	Type     string `json:"type"`
	Function struct {
		Name        string          `json:"name"`
		Description string          `json:"description"`
		Parameters  json.RawMessage `json:"parameters"`
	} `json:"function"`
}

// anthropicTools translates OpenAI function tools to Anthropic tools.
func anthropicTools(raw json.RawMessage) ([]anthropic.ToolUnionParam, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var tools []openAITool
	if err := json.Unmarshal(raw, &tools); err != nil {
		return nil, fmt.Errorf("tools: %w", err)
	}
	var out []anthropic.ToolUnionParam
	for _, t := range tools {
		if t.Type != "function" {
			continue
		}
		out = append(out, anthropicTool(t.Function.Name, t.Function.Parameters))
	}
	return out, nil
}

// anthropicTool is one Anthropic tool: the JSON Schema's properties and required go to
// input_schema's fields, its other keywords along (but an empty key, which no JSON
// Schema keyword is and anthropic-sdk-go cannot marshal: found by FuzzChatToAnthropic).
func anthropicTool(name string, schema json.RawMessage) anthropic.ToolUnionParam {
	var s map[string]any
	_ = json.Unmarshal(schema, &s)
	in := anthropic.ToolInputSchemaParam{Properties: s["properties"], ExtraFields: map[string]any{}}
	for k, v := range s {
		switch k {
		case "type", "properties":
		case "required":
			for _, r := range asList(v) {
				if name, ok := r.(string); ok {
					in.Required = append(in.Required, name)
				}
			}
		case "":
		default:
			in.ExtraFields[k] = v
		}
	}
	return anthropic.ToolUnionParam{OfTool: &anthropic.ToolParam{Name: name, InputSchema: in}}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// anthropicToolChoice translates tool_choice ("auto", "none", "required", a named
// function) and parallel_tool_calls.
func anthropicToolChoice(raw json.RawMessage, parallel *bool) anthropic.ToolChoiceUnionParam {
	noParallel := anthropic.Bool(parallel != nil && !*parallel)
	var word string
	if json.Unmarshal(raw, &word) == nil {
		switch word {
		case "none":
			return anthropic.ToolChoiceUnionParam{OfNone: &anthropic.ToolChoiceNoneParam{}}
		case "required":
			return anthropic.ToolChoiceUnionParam{OfAny: &anthropic.ToolChoiceAnyParam{DisableParallelToolUse: noParallel}}
		}
		return anthropic.ToolChoiceUnionParam{OfAuto: &anthropic.ToolChoiceAutoParam{DisableParallelToolUse: noParallel}}
	}
	var named struct {
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
		Name string `json:"name"`
	}
	if json.Unmarshal(raw, &named) == nil && named.Function.Name+named.Name != "" {
		return anthropic.ToolChoiceUnionParam{OfTool: &anthropic.ToolChoiceToolParam{Name: named.Function.Name + named.Name, DisableParallelToolUse: noParallel}}
	}
	return anthropic.ToolChoiceUnionParam{OfAuto: &anthropic.ToolChoiceAutoParam{DisableParallelToolUse: noParallel}}
}

// anthropicBlocks is a message's content as Anthropic blocks: its text, its tool calls
// as tool_use blocks, a tool message as a tool_result.
func anthropicBlocks(m chatMessage) []anthropic.ContentBlockParamUnion {
	if m.Role == "tool" {
		return []anthropic.ContentBlockParamUnion{anthropic.NewToolResultBlock(m.ToolCallID, string(m.Content), false)}
	}
	var out []anthropic.ContentBlockParamUnion
	if m.Content != "" {
		out = append(out, anthropic.NewTextBlock(string(m.Content)))
	}
	for _, c := range m.ToolCalls {
		out = append(out, anthropic.NewToolUseBlock(c.ID, json.RawMessage(orEmptyObject(c.Function.Arguments)), c.Function.Name))
	}
	return out
}

func orEmptyObject(args string) string {
	if argumentsWhole(args) {
		return args
	}
	return "{}"
}
