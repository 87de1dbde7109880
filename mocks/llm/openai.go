package llm

import (
	"net/http"
	"strconv"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// openAIDialect is the OpenAI Chat Completions wire format.
type openAIDialect struct{}

var (
	_ dialect          = openAIDialect{}
	_ toolDialect      = openAIDialect{}
	_ rateLimitDialect = openAIDialect{}
)

func (openAIDialect) providerError(t control.FaultType, ec errorContext) apiError {
	return openAIProviderError(t, ec, false)
}

func (openAIDialect) setRateLimitHeaders(h http.Header, l control.Limits, _ time.Time) {
	setOpenAIRateLimitHeaders(h, l)
}

// openAIFinish is the finish_reason of an answer that ended as c.stop says.
func openAIFinish(c *call) string {
	switch {
	case c.stop == stopLength:
		return "length"
	case c.stop == stopFilter:
		return "content_filter"
	case c.calls != nil:
		return "tool_calls"
	}
	return "stop"
}

func (openAIDialect) parse(body []byte) (chatRequest, *apiError) { return parseOpenAI(body) }
func (openAIDialect) statusError(status int) apiError            { return openAIStatusError(status) }
func (openAIDialect) streamFailure(status int) apiError {
	return openAIStatusError(orStatus(status, http.StatusInternalServerError))
}

func (openAIDialect) setHeaders(h http.Header, requestID string) {
	// canonical keys set directly: what Header.Set does, without canonicalizing
	h["X-Request-Id"] = []string{requestID}
	h["Openai-Version"] = openAIVersion
}

// Header values that never change, shared by every answer (three-index slices, so an
// Add appends to a copy): a per-request []string is an allocation on the hot path.
var (
	openAIVersion   = []string{"2020-10-01"}[:1:1]
	contentTypeJSON = []string{"application/json"}[:1:1]
)

func (openAIDialect) appendError(b []byte, e apiError, _ string) []byte {
	return appendOpenAIError(b, e)
}

func (openAIDialect) begin(c *call) {
	p := make([]byte, 0, 160+len(c.model))
	p = append(p, `data: {"id":`...)
	p = appendString(p, c.messageID)
	p = append(p, `,"object":"chat.completion.chunk","created":`...)
	p = strconv.AppendInt(p, c.created, 10)
	p = append(p, `,"model":`...)
	p = appendString(p, c.model)
	p = append(p, `,"service_tier":"default","system_fingerprint":"fp_llmchaos","choices":[{"index":0,"delta":{`...)
	c.prefix = p
}

func appendOpenAIUsage(b []byte, c *call) []byte {
	b = append(b, `"usage":{"prompt_tokens":`...)
	b = strconv.AppendInt(b, int64(c.promptTokens), 10)
	b = append(b, `,"completion_tokens":`...)
	b = strconv.AppendInt(b, int64(c.outputTokens), 10)
	b = append(b, `,"total_tokens":`...)
	b = strconv.AppendInt(b, int64(c.promptTokens+c.outputTokens), 10)
	return append(b, '}')
}

func (openAIDialect) appendAnswer(b []byte, c *call, toks []string) []byte {
	return appendChatAnswer(b, c, toks, false)
}

// appendChatAnswer writes a chat.completion; azure adds Azure's content filter results
// (prompt_filter_results, and content_filter_results in the choice).
func appendChatAnswer(b []byte, c *call, toks []string, azure bool) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, c.messageID)
	b = append(b, `,"object":"chat.completion","created":`...)
	b = strconv.AppendInt(b, c.created, 10)
	b = append(b, `,"model":`...)
	b = appendString(b, c.model)
	b = append(b, `,"choices":[{"index":0,"message":{"role":"assistant","content":`...)
	if c.calls != nil {
		b = append(b, "null"...)
		b = appendOpenAIToolCalls(b, c)
	} else {
		b = appendStrings(b, toks)
	}
	b = append(b, `,"refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"`...)
	b = append(b, openAIFinish(c)...)
	b = append(b, '"')
	if azure {
		b = append(b, `,"content_filter_results":`...)
		b = append(b, azureOutputFilter(c)...)
		b = append(b, `}],"prompt_filter_results":`...)
		b = append(b, azurePromptFilterResults...)
	} else {
		b = append(b, "}]"...)
	}
	if !c.noUsage {
		b = append(b, ',')
		b = appendOpenAIUsage(b, c)
	}
	return append(b, `,"service_tier":"default","system_fingerprint":"fp_llmchaos"}`...)
}

// appendOpenAIToolCalls writes a whole answer's "tool_calls" member.
func appendOpenAIToolCalls(b []byte, c *call) []byte {
	b = append(b, `,"tool_calls":[`...)
	for i, tc := range c.calls {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendString(b, "call_"+tc.id)
		b = append(b, `,"type":"function","function":{"name":`...)
		b = appendString(b, tc.name)
		b = append(b, `,"arguments":`...)
		b = appendString(b, tc.arguments)
		b = append(b, `}}`...)
	}
	return append(b, ']')
}

func (openAIDialect) appendStart(b []byte, c *call) []byte {
	b = append(b, c.prefix...)
	if c.calls != nil {
		b = append(b, `"role":"assistant","content":null,"refusal":null},"logprobs":null,"finish_reason":null}]`...)
	} else {
		b = append(b, `"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]`...)
	}
	return appendChunkTail(b, c)
}

// appendToolStart writes the chunk that opens call i: delta.tool_calls with its index,
// id, type and name, and empty arguments.
func (openAIDialect) appendToolStart(b []byte, c *call, i int) []byte {
	b = append(b, c.prefix...)
	b = append(b, `"tool_calls":[{"index":`...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, `,"id":`...)
	b = appendString(b, "call_"+c.calls[i].id)
	b = append(b, `,"type":"function","function":{"name":`...)
	b = appendString(b, c.calls[i].name)
	b = append(b, `,"arguments":""}}]},"logprobs":null,"finish_reason":null}]`...)
	return appendChunkTail(b, c)
}

// appendToolArgs writes a chunk with a fragment of call i's arguments.
func (openAIDialect) appendToolArgs(b []byte, c *call, i int, frag string) []byte {
	b = append(b, c.prefix...)
	b = append(b, `"tool_calls":[{"index":`...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, `,"function":{"arguments":`...)
	b = appendString(b, frag)
	b = append(b, `}}]},"logprobs":null,"finish_reason":null}]`...)
	return appendChunkTail(b, c)
}

// appendToolEnd sends nothing: Chat Completions closes tool calls with the finish reason.
func (openAIDialect) appendToolEnd(b []byte, _ *call, _ int) []byte { return b }

func appendChunkTail(b []byte, c *call) []byte {
	if c.includeUsage {
		b = append(b, `,"usage":null`...)
	}
	return append(b, "}\n\n"...)
}

func (openAIDialect) appendToken(b []byte, c *call, tok string) []byte {
	b = append(b, c.prefix...)
	b = append(b, `"content":`...)
	b = appendString(b, tok)
	b = append(b, `},"logprobs":null,"finish_reason":null}]`...)
	return appendChunkTail(b, c)
}

// appendMalformed writes the token's chunk cut inside its content string: not JSON.
func (openAIDialect) appendMalformed(b []byte, c *call, tok string) []byte {
	b = append(b, c.prefix...)
	b = append(b, `"content":"`...)
	b = appendEscaped(b, tok[:len(tok)/2])
	return append(b, "\n\n"...)
}

func (openAIDialect) appendEnd(b []byte, c *call) []byte { return appendChatEnd(b, c, "") }

// appendChatEnd writes the finish chunk (with Azure's content_filter_results when
// filter is set), the usage chunk when asked for, and [DONE].
func appendChatEnd(b []byte, c *call, filter string) []byte {
	b = append(b, c.prefix...)
	b = append(b, `},"logprobs":null,"finish_reason":"`...)
	b = append(b, openAIFinish(c)...)
	b = append(b, '"')
	if filter != "" {
		b = append(b, `,"content_filter_results":`...)
		b = append(b, filter...)
	}
	b = append(b, "}]"...)
	b = appendChunkTail(b, c)
	if c.includeUsage && !c.noUsage {
		// the usage chunk: same head, no choices
		head := c.prefix[:len(c.prefix)-len(`"choices":[{"index":0,"delta":{`)]
		b = append(b, head...)
		b = append(b, `"choices":[],`...)
		b = appendOpenAIUsage(b, c)
		b = append(b, "}\n\n"...)
	}
	return append(b, "data: [DONE]\n\n"...)
}

func (openAIDialect) appendStreamError(b []byte, _ *call, e apiError) []byte {
	b = append(b, "data: "...)
	b = appendOpenAIError(b, e)
	return append(b, "\n\n"...)
}

func (openAIDialect) appendKeepalive(b []byte) []byte { return append(b, ": keepalive\n\n"...) }

func (openAIDialect) appendModels(b []byte, created int64) []byte {
	b = append(b, `{"object":"list","data":[{"id":"`+DefaultModel+`","object":"model","created":`...)
	b = strconv.AppendInt(b, created, 10)
	return append(b, `,"owned_by":"llmchaos"}]}`...)
}
