package llm

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// chatRequest is what the mock needs of a completion request, in either wire format.
type chatRequest struct {
	model        string
	stream       bool
	includeUsage bool
	// bodyID is the correlation id carried in the body: OpenAI user, Anthropic metadata.user_id.
	bodyID string
	// lastUser is the raw content of the last user message (a string or an array of parts).
	lastUser json.RawMessage
	// promptBytes sizes the prompt, for the usage counts.
	promptBytes int

	// The tool-call model (tools.go): the function tools offered, the tool choice,
	// whether parallel calls are allowed (true by default when tools are offered), and
	// whether the request carries a tool result (the turn after a tool call).
	tools      []toolSpec
	toolChoice toolChoice
	parallel   bool
	toolResult bool

	// The Responses API's own fields (responses_request.go).
	maxOutputTokens int    // max_output_tokens, 0 when not set
	previousID      string // previous_response_id
	noStore         bool   // store: false
}

// message is one chat message of either format; content is decoded only when needed.
type message struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
}

type openAIBody struct {
	Model         *string    `json:"model"`
	Messages      *[]message `json:"messages"`
	Stream        *bool      `json:"stream"`
	StreamOptions *struct {
		IncludeUsage *bool `json:"include_usage"`
	} `json:"stream_options"`
	User              *string          `json:"user"`
	Tools             []openAIChatTool `json:"tools"`
	ToolChoice        json.RawMessage  `json:"tool_choice"`
	ParallelToolCalls *bool            `json:"parallel_tool_calls"`
}

type anthropicBody struct {
	Model     *string    `json:"model"`
	Messages  *[]message `json:"messages"`
	MaxTokens *int64     `json:"max_tokens"`
	Stream    *bool      `json:"stream"`
	Metadata  *struct {
		UserID *string `json:"user_id"`
	} `json:"metadata"`
	Tools      []anthropicTool      `json:"tools"`
	ToolChoice *anthropicToolChoice `json:"tool_choice"`
}

// parseOpenAI reads a Chat Completions request, or says what is wrong with it.
func parseOpenAI(body []byte) (chatRequest, *apiError) { return parseOpenAIOr(body, "") }

// parseOpenAIOr is parseOpenAI with the model defaultModel when the body names none
// (an Azure deployment's path names it); "" requires it.
func parseOpenAIOr(body []byte, defaultModel string) (chatRequest, *apiError) {
	if r, ok := fastParse(body, false); ok {
		return r, nil
	}
	return decodeOpenAI(body, defaultModel)
}

// decodeOpenAI is parseOpenAIOr through encoding/json: any body, and the errors.
func decodeOpenAI(body []byte, defaultModel string) (chatRequest, *apiError) {
	var b openAIBody
	if err := json.Unmarshal(body, &b); err != nil {
		return chatRequest{}, &apiError{status: http.StatusBadRequest, typ: "invalid_request_error",
			msg: "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload (" + err.Error() + ")."}
	}
	if (b.Model == nil || *b.Model == "") && defaultModel != "" {
		b.Model = &defaultModel
	}
	switch {
	case b.Model == nil || *b.Model == "":
		return chatRequest{}, &apiError{status: http.StatusBadRequest, typ: "invalid_request_error",
			msg: "you must provide a model parameter"}
	case b.Messages == nil:
		return chatRequest{}, &apiError{status: http.StatusBadRequest, typ: "invalid_request_error",
			msg: "Missing required parameter: 'messages'.", param: "messages", code: "missing_required_parameter"}
	case len(*b.Messages) == 0:
		return chatRequest{}, &apiError{status: http.StatusBadRequest, typ: "invalid_request_error",
			msg:   "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
			param: "messages", code: "empty_array"}
	}
	r := chatRequest{model: *b.Model}
	if b.Stream != nil {
		r.stream = *b.Stream
	}
	if b.StreamOptions != nil && b.StreamOptions.IncludeUsage != nil {
		if !r.stream {
			return chatRequest{}, &apiError{status: http.StatusBadRequest, typ: "invalid_request_error",
				msg: "The 'stream_options' parameter is only allowed when 'stream' is enabled.", param: "stream_options"}
		}
		r.includeUsage = *b.StreamOptions.IncludeUsage
	}
	if b.User != nil {
		r.bodyID = *b.User
	}
	r.fromMessages(*b.Messages)
	if bad := parseOpenAIChatTools(&r, b.Tools, b.ToolChoice, b.ParallelToolCalls); bad != nil {
		return chatRequest{}, bad
	}
	return r, nil
}

// parseAnthropic reads a Messages request, or says what is wrong with it.
func parseAnthropic(body []byte) (chatRequest, *apiError) {
	if r, ok := fastParse(body, true); ok {
		return r, nil
	}
	return decodeAnthropic(body)
}

// decodeAnthropic is parseAnthropic through encoding/json: any body, and the errors.
func decodeAnthropic(body []byte) (chatRequest, *apiError) {
	var b anthropicBody
	if err := json.Unmarshal(body, &b); err != nil {
		return chatRequest{}, &apiError{status: http.StatusBadRequest, typ: "invalid_request_error",
			msg: "There was an issue with the request body: " + err.Error()}
	}
	switch {
	case b.Model == nil || *b.Model == "":
		return chatRequest{}, &apiError{status: http.StatusBadRequest, typ: "invalid_request_error", msg: "model: Field required"}
	case b.Messages == nil:
		return chatRequest{}, &apiError{status: http.StatusBadRequest, typ: "invalid_request_error", msg: "messages: Field required"}
	case len(*b.Messages) == 0:
		return chatRequest{}, &apiError{status: http.StatusBadRequest, typ: "invalid_request_error", msg: "messages: at least one message is required"}
	case b.MaxTokens == nil:
		return chatRequest{}, &apiError{status: http.StatusBadRequest, typ: "invalid_request_error", msg: "max_tokens: Field required"}
	case *b.MaxTokens < 0:
		return chatRequest{}, &apiError{status: http.StatusBadRequest, typ: "invalid_request_error", msg: "max_tokens: Input should be greater than or equal to 0"}
	}
	r := chatRequest{model: *b.Model}
	if b.Stream != nil {
		r.stream = *b.Stream
	}
	if b.Metadata != nil && b.Metadata.UserID != nil {
		r.bodyID = *b.Metadata.UserID
	}
	r.fromMessages(*b.Messages)
	if bad := parseAnthropicTools(&r, b.Tools, b.ToolChoice); bad != nil {
		return chatRequest{}, bad
	}
	return r, nil
}

// fromMessages sizes the prompt, keeps the last user message that is not a tool result
// (where the correlation tag is), and notes whether the conversation ends with a tool
// result: an OpenAI role "tool" message, or an Anthropic user message with tool_result
// blocks.
func (r *chatRequest) fromMessages(ms []message) {
	for _, m := range ms {
		r.promptBytes += len(m.Content)
		switch m.Role {
		case "user":
			if r.toolResult = anthropicToolResult(m.Content); !r.toolResult {
				r.lastUser = m.Content
			}
		case "tool":
			r.toolResult = true
		default:
			r.toolResult = false
		}
	}
}

// correlationID returns the request's correlation id from whichever carrier survived,
// in order: the X-Request-Id header, the body field, the tag in the last user message.
// It returns "" when none did.
func correlationID(h http.Header, r *chatRequest) string {
	if id := headerValue(h, "X-Request-Id"); id != "" {
		return cleanID(id)
	}
	if r.bodyID != "" {
		return cleanID(r.bodyID)
	}
	if !bytes.Contains(r.lastUser, []byte("llmchaos-id:")) {
		return ""
	}
	// A JSON string without escapes reads as its bytes between the quotes (invalid
	// UTF-8 aside, which never touches the ASCII of a tag): search it in place.
	if raw := bytes.TrimSpace(r.lastUser); len(raw) >= 2 && raw[0] == '"' && bytes.IndexByte(raw, '\\') < 0 {
		return idFromBytes(raw[1 : len(raw)-1])
	}
	return IDFromText(contentText(r.lastUser))
}

// contentText returns the text of a message content: a JSON string, or the text
// fields of an array of parts, joined by newlines. Anything else gives "".
func contentText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	case '[':
		var parts []struct {
			Text string `json:"text"`
		}
		if json.Unmarshal(raw, &parts) == nil {
			texts := make([]string, 0, len(parts))
			for _, p := range parts {
				if p.Text != "" {
					texts = append(texts, p.Text)
				}
			}
			return strings.Join(texts, "\n")
		}
	}
	return ""
}

// headerValue is h.Get(key) for a key in canonical form, as the keys of a request's
// header are (net/http canonicalizes them as it reads, HTTP/1 and HTTP/2 alike): one map
// lookup, without canonicalizing key again on every request.
func headerValue(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}
