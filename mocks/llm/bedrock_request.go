package llm

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// BedrockCorrelationKey is the requestMetadata key a Converse request may carry the
// correlation id in (besides X-Request-Id and the tag in the last user message).
const BedrockCorrelationKey = "llmchaos_id"

// bedrockBody is what the mock reads of a Converse request (the modelId is in the path).
type bedrockBody struct {
	Messages *[]message `json:"messages"`
	System   []struct {
		Text string `json:"text"`
	} `json:"system"`
	InferenceConfig *struct {
		MaxTokens *int `json:"maxTokens"`
	} `json:"inferenceConfig"`
	ToolConfig      *bedrockToolConfig `json:"toolConfig"`
	RequestMetadata map[string]string  `json:"requestMetadata"`
}

type bedrockToolConfig struct {
	Tools []struct {
		ToolSpec *struct {
			Name        string `json:"name"`
			InputSchema *struct {
				JSON json.RawMessage `json:"json"`
			} `json:"inputSchema"`
		} `json:"toolSpec"`
	} `json:"tools"`
	ToolChoice *struct {
		Auto *struct{} `json:"auto"`
		Any  *struct{} `json:"any"`
		Tool *struct {
			Name string `json:"name"`
		} `json:"tool"`
	} `json:"toolChoice"`
}

func bedrockInvalid(msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, typ: "ValidationException", msg: msg}
}

// parseBedrock reads a Converse request body: messages (content blocks: text, toolUse,
// toolResult, ...), system, inferenceConfig.maxTokens, toolConfig and requestMetadata.
func parseBedrock(body []byte) (chatRequest, *apiError) {
	var b bedrockBody
	if err := json.Unmarshal(body, &b); err != nil {
		return chatRequest{}, &apiError{status: http.StatusBadRequest, typ: "SerializationException", msg: "Malformed input request: " + err.Error() + ", please reformat your input and try again."}
	}
	switch {
	case b.Messages == nil:
		return chatRequest{}, bedrockInvalid("1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null")
	case len(*b.Messages) == 0:
		return chatRequest{}, bedrockInvalid("A conversation must start with a user message. Try again with a conversation that starts with a user message.")
	case b.InferenceConfig != nil && b.InferenceConfig.MaxTokens != nil && *b.InferenceConfig.MaxTokens < 1:
		return chatRequest{}, bedrockInvalid("1 validation error detected: Value at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1")
	}
	r := chatRequest{bodyID: b.RequestMetadata[BedrockCorrelationKey]}
	for _, s := range b.System {
		r.promptBytes += len(s.Text)
	}
	for _, m := range *b.Messages {
		r.promptBytes += len(m.Content)
		r.toolResult = m.Role == "user" && hasBlock(m.Content, "toolResult")
		if m.Role == "user" && !r.toolResult {
			r.lastUser = m.Content
		}
	}
	if bad := parseBedrockTools(&r, b.ToolConfig); bad != nil {
		return chatRequest{}, bad
	}
	return r, nil
}

// parseBedrockTools reads toolConfig: toolSpec tools, and toolChoice (auto, any, or a
// named tool; Bedrock has no "none": leave the tools out instead).
func parseBedrockTools(r *chatRequest, tc *bedrockToolConfig) *apiError {
	if tc == nil {
		return nil
	}
	for i, t := range tc.Tools {
		if t.ToolSpec == nil {
			continue // a cachePoint or a system tool
		}
		if t.ToolSpec.Name == "" || t.ToolSpec.InputSchema == nil {
			return bedrockInvalid("The toolConfig field at tools." + strconv.Itoa(i) + ".toolSpec must have a name and an inputSchema.")
		}
		r.tools = append(r.tools, toolSpec{name: t.ToolSpec.Name, schema: t.ToolSpec.InputSchema.JSON})
	}
	if len(r.tools) == 0 {
		return bedrockInvalid("The toolConfig field must be defined when using toolUse and toolResult content blocks.")
	}
	r.parallel = true
	switch ch := tc.ToolChoice; {
	case ch == nil || ch.Auto != nil:
	case ch.Any != nil:
		r.toolChoice.mode = choiceRequired
	case ch.Tool != nil:
		r.toolChoice = toolChoice{mode: choiceNamed, name: ch.Tool.Name}
		if !r.offers(ch.Tool.Name) {
			return bedrockInvalid("The tool " + ch.Tool.Name + " in toolChoice is not one of the tools in toolConfig.")
		}
	}
	return nil
}

// hasBlock reports whether content (an array of content blocks) holds a block with key.
func hasBlock(content json.RawMessage, key string) bool {
	content = bytes.TrimSpace(content)
	if len(content) == 0 || content[0] != '[' || !bytes.Contains(content, []byte(`"`+key+`"`)) {
		return false
	}
	var blocks []map[string]json.RawMessage
	if json.Unmarshal(content, &blocks) != nil {
		return false
	}
	for _, b := range blocks {
		if _, ok := b[key]; ok {
			return true
		}
	}
	return false
}
