package llm

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// responsesBody is what the mock reads of a Responses API request.
type responsesBody struct {
	Model              *string         `json:"model"`
	Input              json.RawMessage `json:"input"`
	Instructions       json.RawMessage `json:"instructions"`
	PreviousResponseID *string         `json:"previous_response_id"`
	Store              *bool           `json:"store"`
	MaxOutputTokens    *int64          `json:"max_output_tokens"`
	Stream             *bool           `json:"stream"`
	User               *string         `json:"user"`
	SafetyIdentifier   *string         `json:"safety_identifier"`
	Tools              []responsesTool `json:"tools"`
	ToolChoice         json.RawMessage `json:"tool_choice"`
	ParallelToolCalls  *bool           `json:"parallel_tool_calls"`
}

// responsesTool is one entry of Responses API tools: function tools are flat
// ({"type":"function","name","parameters"}); built-in tools are never called.
type responsesTool struct {
	Type       string          `json:"type"`
	Name       string          `json:"name"`
	Parameters json.RawMessage `json:"parameters"`
}

// responsesItem is one input item: a message (type "message" or none, with role and
// content), a function_call, a function_call_output, ...
type responsesItem struct {
	Type    string          `json:"type"`
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
	Output  json.RawMessage `json:"output"`
}

// minMaxOutputTokens is the smallest max_output_tokens the Responses API accepts.
const minMaxOutputTokens = 16

// parseResponses reads a Responses API request, or says what is wrong with it, in the
// API's words. input is a string or an array of items; the last user message holds the
// correlation tag; a request whose input ends with a function_call_output carries a
// tool result. The correlation id in the body is user, else safety_identifier.
func parseResponses(body []byte) (chatRequest, *apiError) {
	var b responsesBody
	if err := json.Unmarshal(body, &b); err != nil {
		return chatRequest{}, openAIInvalid("We could not parse the JSON body of your request. The OpenAI API expects a JSON payload ("+err.Error()+").", "", "")
	}
	if b.Model == nil || *b.Model == "" {
		return chatRequest{}, openAIInvalid("Missing required parameter: 'model'.", "model", "missing_required_parameter")
	}
	r := chatRequest{model: *b.Model, noStore: b.Store != nil && !*b.Store}
	if b.Stream != nil {
		r.stream = *b.Stream
	}
	if b.PreviousResponseID != nil {
		r.previousID = *b.PreviousResponseID
	}
	if b.MaxOutputTokens != nil {
		if *b.MaxOutputTokens < minMaxOutputTokens {
			return chatRequest{}, openAIInvalid("Invalid 'max_output_tokens': integer below minimum value. Expected a value >= "+
				strconv.Itoa(minMaxOutputTokens)+", but got "+strconv.FormatInt(*b.MaxOutputTokens, 10)+" instead.", "max_output_tokens", "integer_below_min_value")
		}
		r.maxOutputTokens = int(min(*b.MaxOutputTokens, 1<<30))
	}
	for _, id := range []*string{b.User, b.SafetyIdentifier} {
		if id != nil && *id != "" && r.bodyID == "" {
			r.bodyID = *id
		}
	}
	r.promptBytes = len(b.Instructions)
	if bad := r.fromInput(b.Input); bad != nil {
		return chatRequest{}, bad
	}
	if bad := r.responsesTools(b.Tools, b.ToolChoice, b.ParallelToolCalls); bad != nil {
		return chatRequest{}, bad
	}
	return r, nil
}

// fromInput reads input: a string (the user's message) or an array of items.
func (r *chatRequest) fromInput(input json.RawMessage) *apiError {
	input = bytes.TrimSpace(input)
	switch {
	case len(input) == 0 || bytes.Equal(input, []byte("null")):
		if r.previousID == "" {
			return openAIInvalid("Missing required parameter: 'input'.", "input", "missing_required_parameter")
		}
		return nil
	case input[0] == '"':
		r.lastUser = append(json.RawMessage(nil), input...)
		r.promptBytes += len(input)
		return nil
	case input[0] != '[':
		return openAIInvalid("Invalid type for 'input': expected one of a string or array of input items, but got "+jsonKind(input)+" instead.", "input", "invalid_type")
	}
	var items []responsesItem
	if err := json.Unmarshal(input, &items); err != nil {
		return openAIInvalid("Invalid 'input': "+err.Error()+".", "input", "invalid_value")
	}
	for _, it := range items {
		r.promptBytes += len(it.Content) + len(it.Output)
		switch {
		case it.Type == "function_call_output":
			r.toolResult = true
		case (it.Type == "" || it.Type == "message") && it.Role == "user":
			r.lastUser = it.Content
			r.toolResult = false
		default:
			r.toolResult = false
		}
	}
	return nil
}

// responsesTools reads function tools, tool_choice and parallel_tool_calls.
func (r *chatRequest) responsesTools(tools []responsesTool, choice json.RawMessage, parallel *bool) *apiError {
	for i, t := range tools {
		if t.Type != "function" {
			continue
		}
		if t.Name == "" {
			p := "tools[" + strconv.Itoa(i) + "].name"
			return openAIInvalid("Missing required parameter: '"+p+"'.", p, "missing_required_parameter")
		}
		r.tools = append(r.tools, toolSpec{name: t.Name, schema: t.Parameters})
	}
	return r.openAIToolChoice(choice, parallel)
}

// jsonKind names the kind of a JSON value, as OpenAI's type errors do.
func jsonKind(v []byte) string {
	switch v[0] {
	case '{':
		return "an object"
	case 't', 'f':
		return "a boolean"
	default:
		return "a number"
	}
}
