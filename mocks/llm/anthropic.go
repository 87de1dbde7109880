package llm

import (
	"net/http"
	"strconv"
)

// anthropicDialect is the Anthropic Messages wire format.
type anthropicDialect struct{}

var _ dialect = anthropicDialect{}

func (anthropicDialect) parse(body []byte) (chatRequest, *apiError) { return parseAnthropic(body) }
func (anthropicDialect) statusError(status int) apiError            { return anthropicStatusError(status) }
func (anthropicDialect) streamFailure() apiError                    { return anthropicStatusError(529) }

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
	b = append(b, `,"content":[{"type":"text","text":`...)
	b = appendStrings(b, toks)
	b = append(b, `}],"stop_reason":"end_turn","stop_sequence":null`...)
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
	b = append(b, "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"...)
	return append(b, "event: ping\ndata: {\"type\": \"ping\"}\n\n"...)
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
	b = append(b, "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"...)
	b = append(b, "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null}"...)
	if !c.noUsage {
		b = append(b, `,"usage":{"output_tokens":`...)
		b = strconv.AppendInt(b, int64(c.outputTokens), 10)
		b = append(b, '}')
	}
	b = append(b, "}\n\n"...)
	return append(b, "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"...)
}

func (d anthropicDialect) appendStreamError(b []byte, c *call) []byte {
	b = append(b, "event: error\ndata: "...)
	b = appendAnthropicError(b, d.streamFailure(), c.requestID)
	return append(b, "\n\n"...)
}

func (anthropicDialect) appendKeepalive(b []byte) []byte {
	return append(b, "event: ping\ndata: {\"type\": \"ping\"}\n\n"...)
}

func (anthropicDialect) appendModels(b []byte, _ int64) []byte {
	return append(b, `{"data":[{"type":"model","id":"`+DefaultModel+`","display_name":"llmchaos 1","created_at":"2025-01-01T00:00:00Z"}],"has_more":false,"first_id":"`+DefaultModel+`","last_id":"`+DefaultModel+`"}`...)
}
