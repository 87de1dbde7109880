package llm

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// anthropicDialect is the Anthropic Messages wire format.
type anthropicDialect struct{}

var (
	_ dialect          = anthropicDialect{}
	_ toolDialect      = anthropicDialect{}
	_ rateLimitDialect = anthropicDialect{}
)

func (anthropicDialect) providerError(t control.FaultType, ec errorContext) apiError {
	return anthropicProviderError(t, ec)
}

func (anthropicDialect) setRateLimitHeaders(h http.Header, l control.Limits, now time.Time) {
	setAnthropicRateLimitHeaders(h, l, now)
}

// anthropicStop is the stop_reason of an answer that ended as c.stop says.
func anthropicStop(c *call) string {
	switch {
	case c.stop == stopLength:
		return "max_tokens"
	case c.stop == stopFilter:
		return "refusal"
	case c.calls != nil:
		return "tool_use"
	}
	return "end_turn"
}

func (anthropicDialect) parse(body []byte) (chatRequest, *apiError) { return parseAnthropic(body) }
func (anthropicDialect) statusError(status int) apiError            { return anthropicStatusError(status) }
func (anthropicDialect) streamFailure(status int) apiError {
	return anthropicStatusError(orStatus(status, 529))
}

func (anthropicDialect) setHeaders(h http.Header, requestID string) {
	h["Request-Id"] = []string{requestID} // Header.Set without canonicalizing
}

func (anthropicDialect) appendError(b []byte, e apiError, requestID string) []byte {
	return appendAnthropicError(b, e, requestID)
}

func (anthropicDialect) begin(*call) {}

func appendAnthropicMessageHead(b []byte, c *call) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, c.messageID)
	b = append(b, `,"type":"message","role":"assistant","model":`...)
	return appendString(b, c.model)
}

func (anthropicDialect) appendAnswer(b []byte, c *call, toks []string) []byte {
	b = appendAnthropicMessageHead(b, c)
	if c.calls != nil {
		b = appendAnthropicToolUses(b, c)
	} else {
		b = append(b, `,"content":[{"type":"text","text":`...)
		b = appendStrings(b, toks)
		b = append(b, `}]`...)
	}
	b = append(b, `,"stop_reason":"`...)
	b = append(b, anthropicStop(c)...)
	b = append(b, `","stop_sequence":null`...)
	if !c.noUsage {
		b = append(b, `,"usage":{"input_tokens":`...)
		b = strconv.AppendInt(b, int64(c.promptTokens), 10)
		b = append(b, `,"output_tokens":`...)
		b = strconv.AppendInt(b, int64(c.outputTokens), 10)
		b = append(b, '}')
	}
	return append(b, '}')
}

func (anthropicDialect) appendStart(b []byte, c *call) []byte {
	b = append(b, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":"...)
	b = appendAnthropicMessageHead(b, c)
	b = append(b, `,"content":[],"stop_reason":null,"stop_sequence":null`...)
	if !c.noUsage {
		b = append(b, `,"usage":{"input_tokens":`...)
		b = strconv.AppendInt(b, int64(c.promptTokens), 10)
		b = append(b, `,"output_tokens":1}`...)
	}
	b = append(b, "}}\n\n"...)
	if c.calls == nil {
		b = append(b, "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"...)
	}
	return append(b, "event: ping\ndata: {\"type\": \"ping\"}\n\n"...)
}

// appendAnthropicToolUses writes a whole answer's content: one tool_use block per call,
// its input the argument object ({} when a fault left them not an object).
func appendAnthropicToolUses(b []byte, c *call) []byte {
	b = append(b, `,"content":[`...)
	for i, tc := range c.calls {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"type":"tool_use","id":`...)
		b = appendString(b, "toolu_"+tc.id)
		b = append(b, `,"name":`...)
		b = appendString(b, tc.name)
		b = append(b, `,"input":`...)
		if json.Valid([]byte(tc.arguments)) && len(tc.arguments) > 0 && tc.arguments[0] == '{' {
			b = append(b, tc.arguments...)
		} else {
			b = append(b, "{}"...)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendToolStart opens block i with a tool_use (its input {}, filled by the deltas)
// and the empty first input_json_delta the API sends.
func (anthropicDialect) appendToolStart(b []byte, c *call, i int) []byte {
	b = append(b, "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":"...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, `,"content_block":{"type":"tool_use","id":`...)
	b = appendString(b, "toolu_"+c.calls[i].id)
	b = append(b, `,"name":`...)
	b = appendString(b, c.calls[i].name)
	b = append(b, `,"input":{}}}`+"\n\n"...)
	return anthropicInputDelta(b, i, "")
}

func anthropicInputDelta(b []byte, i int, frag string) []byte {
	b = append(b, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":"...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, `,"delta":{"type":"input_json_delta","partial_json":`...)
	b = appendString(b, frag)
	return append(b, "}}\n\n"...)
}

// appendToolArgs writes an input_json_delta of block i.
func (anthropicDialect) appendToolArgs(b []byte, _ *call, i int, frag string) []byte {
	return anthropicInputDelta(b, i, frag)
}

// appendToolEnd writes block i's content_block_stop.
func (anthropicDialect) appendToolEnd(b []byte, _ *call, i int) []byte {
	b = append(b, "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":"...)
	b = strconv.AppendInt(b, int64(i), 10)
	return append(b, "}\n\n"...)
}

const anthropicDeltaHead = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"

func (anthropicDialect) appendToken(b []byte, _ *call, tok string) []byte {
	b = append(b, anthropicDeltaHead...)
	b = appendString(b, tok)
	return append(b, "}}\n\n"...)
}

// appendMalformed writes the token's delta cut inside its text string: not JSON.
func (anthropicDialect) appendMalformed(b []byte, _ *call, tok string) []byte {
	b = append(b, anthropicDeltaHead...)
	b = append(b, '"')
	b = appendEscaped(b, tok[:len(tok)/2])
	return append(b, "\n\n"...)
}

func (anthropicDialect) appendEnd(b []byte, c *call) []byte {
	if c.calls == nil {
		b = append(b, "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"...)
	}
	b = append(b, "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""...)
	b = append(b, anthropicStop(c)...)
	b = append(b, "\",\"stop_sequence\":null}"...)
	if !c.noUsage {
		b = append(b, `,"usage":{"output_tokens":`...)
		b = strconv.AppendInt(b, int64(c.outputTokens), 10)
		b = append(b, '}')
	}
	b = append(b, "}\n\n"...)
	return append(b, "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"...)
}

func (anthropicDialect) appendStreamError(b []byte, c *call, e apiError) []byte {
	b = append(b, "event: error\ndata: "...)
	b = appendAnthropicError(b, e, c.requestID)
	return append(b, "\n\n"...)
}

func (anthropicDialect) appendKeepalive(b []byte) []byte {
	return append(b, "event: ping\ndata: {\"type\": \"ping\"}\n\n"...)
}

func (anthropicDialect) appendModels(b []byte, _ int64) []byte {
	return append(b, `{"data":[{"type":"model","id":"`+DefaultModel+`","display_name":"llmchaos 1","created_at":"2025-01-01T00:00:00Z"}],"has_more":false,"first_id":"`+DefaultModel+`","last_id":"`+DefaultModel+`"}`...)
}
