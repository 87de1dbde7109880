package llm

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// bedrockDialect is Amazon Bedrock's Converse API: POST /model/{modelId}/converse (a
// whole answer, JSON) and /converse-stream (the AWS event-stream binary framing,
// eventstream.go). SigV4 is accepted without checking. Errors are JSON {"message"} with
// the exception's name in x-amzn-ErrorType; inside a stream they are exception messages.
type bedrockDialect struct {
	model  string // the modelId of the path
	stream bool   // converse-stream
}

var (
	_ dialect          = bedrockDialect{}
	_ toolDialect      = bedrockDialect{}
	_ streamTyper      = bedrockDialect{}
	_ chunkBreaker     = bedrockDialect{}
	_ retryHintDialect = bedrockDialect{}
	_ errorHeaderer    = bedrockDialect{}
)

// The headers of Bedrock's stream events, encoded once.
var (
	bedrockMessageStart      = bedrockEventHeaders("messageStart")
	bedrockContentBlockStart = bedrockEventHeaders("contentBlockStart")
	bedrockContentBlockDelta = bedrockEventHeaders("contentBlockDelta")
	bedrockContentBlockStop  = bedrockEventHeaders("contentBlockStop")
	bedrockMessageStop       = bedrockEventHeaders("messageStop")
	bedrockMetadata          = bedrockEventHeaders("metadata")
)

func bedrockEventHeaders(event string) string {
	return esHeaderBlock(esHeader{":event-type", event}, esHeader{":content-type", "application/json"}, esHeader{":message-type", "event"})
}

func (bedrockDialect) streamContentType() string  { return "application/vnd.amazon.eventstream" }
func (bedrockDialect) breakChunk(b []byte) []byte { return breakESMessage(b) }

func (d bedrockDialect) parse(body []byte) (chatRequest, *apiError) {
	r, bad := parseBedrock(body)
	r.model, r.stream = d.model, d.stream
	return r, bad
}

func (bedrockDialect) statusError(status int) apiError { return bedrockStatusError(status) }
func (bedrockDialect) streamFailure(status int) apiError {
	if status == 0 {
		return apiError{status: 424, typ: "ModelStreamErrorException", msg: "The system encountered an unexpected error during processing. Try your request again."}
	}
	return bedrockStatusError(status)
}
func (bedrockDialect) providerError(t control.FaultType, ec errorContext) apiError {
	return bedrockProviderError(t, ec)
}

func (bedrockDialect) setHeaders(h http.Header, requestID string) {
	h["X-Amzn-Requestid"] = []string{requestID}
}

// setErrorHeaders names the exception: x-amzn-ErrorType, as Bedrock writes it.
func (bedrockDialect) setErrorHeaders(h http.Header, e apiError) {
	h["X-Amzn-Errortype"] = []string{e.typ + ":http://internal.amazon.com/coral/com.amazon.bedrock/"}
}

func (bedrockDialect) appendError(b []byte, e apiError, _ string) []byte {
	b = append(b, `{"message":`...)
	b = appendString(b, e.msg)
	return append(b, '}')
}

// retryHint sends f's delay as x-amz-retry-after in milliseconds, the hint the AWS
// SDKs' retry strategy reads (Bedrock documents no Retry-After).
func (bedrockDialect) retryHint(h http.Header, _ *apiError, f control.Fault, _ time.Time) time.Duration {
	d := f.RetryAfter.D()
	if d <= 0 {
		return 0
	}
	h["X-Amz-Retry-After"] = []string{strconv.FormatInt(d.Milliseconds(), 10)}
	return d
}

// bedrockStop is the stopReason of an answer that ended as c.stop says.
func bedrockStop(c *call) string {
	switch {
	case c.stop == stopLength:
		return "max_tokens"
	case c.stop == stopFilter:
		return "content_filtered"
	case c.calls != nil:
		return "tool_use"
	}
	return "end_turn"
}

func (bedrockDialect) begin(*call) {}

func appendBedrockUsage(b []byte, c *call) []byte {
	b = append(b, `"usage":{"inputTokens":`...)
	b = strconv.AppendInt(b, int64(c.promptTokens), 10)
	b = append(b, `,"outputTokens":`...)
	b = strconv.AppendInt(b, int64(c.outputTokens), 10)
	b = append(b, `,"totalTokens":`...)
	b = strconv.AppendInt(b, int64(c.promptTokens+c.outputTokens), 10)
	return append(b, '}')
}

func appendBedrockMetrics(b []byte, c *call) []byte {
	b = append(b, `"metrics":{"latencyMs":`...)
	b = strconv.AppendInt(b, max(1, time.Since(c.began).Milliseconds()), 10)
	return append(b, '}')
}

// appendAnswer writes a Converse response: the message's content (a text block, or a
// toolUse block per call, its input the argument object or {} when a fault cut it),
// stopReason, usage and metrics.
func (bedrockDialect) appendAnswer(b []byte, c *call, toks []string) []byte {
	b = append(b, `{"output":{"message":{"role":"assistant","content":[`...)
	switch {
	case c.calls != nil:
		for i, tc := range c.calls {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"toolUse":{"toolUseId":`...)
			b = appendString(b, "tooluse_"+tc.id)
			b = append(b, `,"name":`...)
			b = appendString(b, tc.name)
			b = append(b, `,"input":`...)
			b = appendArgsObject(b, tc.arguments)
			b = append(b, "}}"...)
		}
	case !c.refused:
		b = append(b, `{"text":`...)
		b = appendStrings(b, toks)
		b = append(b, '}')
	}
	b = append(b, `]}},"stopReason":"`...)
	b = append(b, bedrockStop(c)...)
	b = append(b, `",`...)
	if !c.noUsage {
		b = appendBedrockUsage(b, c)
		b = append(b, ',')
	}
	b = appendBedrockMetrics(b, c)
	return append(b, '}')
}

// appendArgsObject writes a tool call's arguments as a JSON object: as they are, or {}
// when a fault left them not an object.
func appendArgsObject(b []byte, args string) []byte {
	if len(args) > 0 && args[0] == '{' && json.Valid([]byte(args)) {
		return append(b, args...)
	}
	return append(b, "{}"...)
}

func (bedrockDialect) appendStart(b []byte, _ *call) []byte {
	return appendESMessage(b, bedrockMessageStart, []byte(`{"role":"assistant"}`))
}

// bedrockDelta writes a contentBlockDelta of block i: a text delta, or (tool) a
// fragment of a toolUse input.
func bedrockDelta(b []byte, i int, text string, tool bool) []byte {
	b, start := beginESMessage(b, bedrockContentBlockDelta)
	b = append(b, `{"contentBlockIndex":`...)
	b = strconv.AppendInt(b, int64(i), 10)
	if tool {
		b = append(b, `,"delta":{"toolUse":{"input":`...)
		b = appendString(b, text)
		b = append(b, "}}}"...)
	} else {
		b = append(b, `,"delta":{"text":`...)
		b = appendString(b, text)
		b = append(b, "}}"...)
	}
	return endESMessage(b, start, len(bedrockContentBlockDelta))
}

func bedrockBlockStop(b []byte, i int) []byte {
	b, start := beginESMessage(b, bedrockContentBlockStop)
	b = append(b, `{"contentBlockIndex":`...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, '}')
	return endESMessage(b, start, len(bedrockContentBlockStop))
}

func (bedrockDialect) appendToken(b []byte, _ *call, tok string) []byte {
	return bedrockDelta(b, 0, tok, false)
}

// appendMalformed writes the token's delta as a frame whose JSON is cut.
func (bedrockDialect) appendMalformed(b []byte, _ *call, tok string) []byte {
	return breakESMessage(bedrockDelta(b, 0, tok, false))
}

// appendToolStart opens block i with a contentBlockStart carrying the toolUse's id and name.
func (bedrockDialect) appendToolStart(b []byte, c *call, i int) []byte {
	b, start := beginESMessage(b, bedrockContentBlockStart)
	b = append(b, `{"contentBlockIndex":`...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, `,"start":{"toolUse":{"toolUseId":`...)
	b = appendString(b, "tooluse_"+c.calls[i].id)
	b = append(b, `,"name":`...)
	b = appendString(b, c.calls[i].name)
	b = append(b, "}}}"...)
	return endESMessage(b, start, len(bedrockContentBlockStart))
}

func (bedrockDialect) appendToolArgs(b []byte, _ *call, i int, frag string) []byte {
	return bedrockDelta(b, i, frag, true)
}

func (bedrockDialect) appendToolEnd(b []byte, _ *call, i int) []byte { return bedrockBlockStop(b, i) }

// appendEnd closes the text block (a tool-call answer's blocks are closed), then
// messageStop with the stopReason and metadata with usage and metrics (left out under
// no-usage).
func (bedrockDialect) appendEnd(b []byte, c *call) []byte {
	if c.calls == nil && !c.refused {
		b = bedrockBlockStop(b, 0)
	}
	b, start := beginESMessage(b, bedrockMessageStop)
	b = append(b, `{"stopReason":"`...)
	b = append(b, bedrockStop(c)...)
	b = append(b, `"}`...)
	b = endESMessage(b, start, len(bedrockMessageStop))
	if c.noUsage {
		return b
	}
	b, start = beginESMessage(b, bedrockMetadata)
	b = append(b, '{')
	b = appendBedrockMetrics(b, c)
	b = append(b, ',')
	b = appendBedrockUsage(b, c)
	b = append(b, '}')
	return endESMessage(b, start, len(bedrockMetadata))
}

// appendStreamError writes e as an exception message (:message-type exception).
func (bedrockDialect) appendStreamError(b []byte, _ *call, e apiError) []byte {
	name, original := bedrockStreamException(e)
	hdr := esHeaderBlock(esHeader{":exception-type", name}, esHeader{":content-type", "application/json"}, esHeader{":message-type", "exception"})
	b, start := beginESMessage(b, hdr)
	b = append(b, `{"message":`...)
	b = appendString(b, e.msg)
	if original {
		b = append(b, `,"originalStatusCode":`...)
		b = strconv.AppendInt(b, int64(e.status), 10)
		b = append(b, `,"originalMessage":`...)
		b = appendString(b, e.msg)
	}
	b = append(b, '}')
	return endESMessage(b, start, len(hdr))
}

func (bedrockDialect) appendKeepalive(b []byte) []byte { return b } // Bedrock sends none

func (bedrockDialect) appendModels(b []byte, _ int64) []byte { return b }
