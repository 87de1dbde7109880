package llm

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// Each dialect reads its wire format's tools and tool_choice into the common model
// (toolSpec, toolChoice). Tools of other kinds (OpenAI custom tools, Anthropic server
// tools, Responses built-in tools) are accepted and never called.

// openAIChatTool is one entry of Chat Completions tools.
type openAIChatTool struct {
	Type     string `json:"type"`
	Function *struct {
		Name       string          `json:"name"`
		Parameters json.RawMessage `json:"parameters"`
	} `json:"function"`
}

// parseOpenAIChatTools reads Chat Completions tools, tool_choice and parallel_tool_calls.
func parseOpenAIChatTools(r *chatRequest, tools []openAIChatTool, choice json.RawMessage, parallel *bool) *apiError {
	for i, t := range tools {
		if t.Type != "" && t.Type != "function" {
			continue
		}
		if t.Function == nil || t.Function.Name == "" {
			p := "tools[" + strconv.Itoa(i) + "].function"
			return openAIInvalid("Missing required parameter: '"+p+"'.", p, "missing_required_parameter")
		}
		r.tools = append(r.tools, toolSpec{name: t.Function.Name, schema: t.Function.Parameters})
	}
	return r.openAIToolChoice(choice, parallel)
}

// openAIToolChoice reads an OpenAI tool_choice ("auto", "none", "required", or a named
// function: {"type":"function","function":{"name"}} in Chat Completions,
// {"type":"function","name"} in the Responses API) and parallel_tool_calls.
func (r *chatRequest) openAIToolChoice(choice json.RawMessage, parallel *bool) *apiError {
	if len(r.tools) > 0 {
		r.parallel = parallel == nil || *parallel
	}
	choice = bytes.TrimSpace(choice)
	if len(choice) == 0 || bytes.Equal(choice, []byte("null")) {
		return nil
	}
	var word string
	if json.Unmarshal(choice, &word) == nil {
		switch word {
		case "auto":
		case "none":
			r.toolChoice.mode = choiceNone
		case "required":
			r.toolChoice.mode = choiceRequired
		default:
			return openAIInvalid("Invalid value: '"+word+"'. Supported values are: 'none', 'auto', and 'required'.", "tool_choice", "invalid_value")
		}
		return r.checkChoice()
	}
	var named struct {
		Type     string `json:"type"`
		Name     string `json:"name"`
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	}
	if json.Unmarshal(choice, &named) != nil {
		return openAIInvalid("Invalid type for 'tool_choice': expected a string or an object.", "tool_choice", "invalid_type")
	}
	if named.Type != "function" {
		return nil // allowed_tools, a built-in tool, ...: the model chooses
	}
	r.toolChoice = toolChoice{mode: choiceNamed, name: named.Function.Name + named.Name}
	return r.checkChoice()
}

// checkChoice refuses a choice that needs tools the request does not offer.
func (r *chatRequest) checkChoice() *apiError {
	switch {
	case r.toolChoice.mode == choiceNone || r.toolChoice.mode == choiceAuto:
		return nil
	case len(r.tools) == 0:
		return openAIInvalid("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", "tool_choice", "")
	case r.toolChoice.mode == choiceNamed && !r.offers(r.toolChoice.name):
		return openAIInvalid("Invalid value for 'tool_choice': function '"+r.toolChoice.name+"' is not one of the functions in 'tools'.", "tool_choice", "invalid_value")
	}
	return nil
}

func (r *chatRequest) offers(name string) bool {
	for _, t := range r.tools {
		if t.name == name {
			return true
		}
	}
	return false
}

func openAIInvalid(msg, param, code string) *apiError {
	return &apiError{status: http.StatusBadRequest, typ: "invalid_request_error", msg: msg, param: param, code: code}
}

// anthropicTool is one entry of Messages tools.
type anthropicTool struct {
	Type        string          `json:"type"`
	Name        string          `json:"name"`
	InputSchema json.RawMessage `json:"input_schema"`
}

type anthropicToolChoice struct {
	Type                   string `json:"type"`
	Name                   string `json:"name"`
	DisableParallelToolUse bool   `json:"disable_parallel_tool_use"`
}

// parseAnthropicTools reads Messages tools and tool_choice ({"type": "auto" | "any" |
// "tool" | "none", "name", "disable_parallel_tool_use"}).
func parseAnthropicTools(r *chatRequest, tools []anthropicTool, choice *anthropicToolChoice) *apiError {
	for i, t := range tools {
		if t.Type != "" && t.Type != "custom" {
			continue // a server tool (web search, bash, ...): the mock never calls it
		}
		p := "tools." + strconv.Itoa(i)
		switch {
		case t.Name == "":
			return anthropicInvalid(p + ".custom.name: Field required")
		case t.InputSchema == nil:
			return anthropicInvalid(p + ".custom.input_schema: Field required")
		}
		r.tools = append(r.tools, toolSpec{name: t.Name, schema: t.InputSchema})
	}
	if len(r.tools) > 0 {
		r.parallel = choice == nil || !choice.DisableParallelToolUse
	}
	if choice == nil {
		return nil
	}
	switch choice.Type {
	case "auto":
	case "none":
		r.toolChoice.mode = choiceNone
	case "any":
		r.toolChoice.mode = choiceRequired
	case "tool":
		r.toolChoice = toolChoice{mode: choiceNamed, name: choice.Name}
		if !r.offers(choice.Name) {
			return anthropicInvalid("tool_choice: tool '" + choice.Name + "' not found in tools")
		}
	default:
		return anthropicInvalid("tool_choice.type: Input tag '" + choice.Type + "' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'")
	}
	if r.toolChoice.mode == choiceRequired && len(r.tools) == 0 {
		return anthropicInvalid("tool_choice: tool_choice.type 'any' requires tools")
	}
	return nil
}

func anthropicInvalid(msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, typ: "invalid_request_error", msg: msg}
}

// anthropicToolResult reports whether a user message's content holds a tool_result block.
func anthropicToolResult(content json.RawMessage) bool {
	content = bytes.TrimSpace(content)
	if len(content) == 0 || content[0] != '[' || !bytes.Contains(content, []byte("tool_result")) {
		return false
	}
	var blocks []struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(content, &blocks) != nil {
		return false
	}
	for _, b := range blocks {
		if b.Type == "tool_result" {
			return true
		}
	}
	return false
}
