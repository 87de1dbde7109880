package llm

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// responsesDialect is the OpenAI Responses API wire format (POST /v1/responses). A
// stream is typed events, each "event: TYPE" and data with "type" and a
// "sequence_number" counting from 0:
//
//	response.created, response.in_progress                       (appendStart)
//	response.output_item.added, response.content_part.added       (the message item, before its first token)
//	response.output_text.delta ...                                 (appendToken)
//	response.output_text.done, response.content_part.done,
//	response.output_item.done                                      (appendEnd, a text answer)
//	response.output_item.added, response.function_call_arguments.delta ...,
//	response.function_call_arguments.done, response.output_item.done  (a tool call)
//	response.completed | response.incomplete                       (appendEnd)
//	response.failed                                                (appendFailed)
//	error                                                          (appendStreamError)
//
// There is no [DONE]: the terminal event ends the stream.
type responsesDialect struct{}

var (
	_ dialect          = responsesDialect{}
	_ toolDialect      = responsesDialect{}
	_ rateLimitDialect = responsesDialect{}
	_ failDialect      = responsesDialect{}
)

func (responsesDialect) parse(body []byte) (chatRequest, *apiError) { return parseResponses(body) }
func (responsesDialect) statusError(status int) apiError            { return openAIStatusError(status) }
func (responsesDialect) streamFailure(status int) apiError {
	return openAIStatusError(orStatus(status, http.StatusInternalServerError))
}
func (responsesDialect) providerError(t control.FaultType, ec errorContext) apiError {
	return openAIProviderError(t, ec, true)
}
func (responsesDialect) setHeaders(h http.Header, requestID string) {
	openAIDialect{}.setHeaders(h, requestID)
}
func (responsesDialect) appendError(b []byte, e apiError, _ string) []byte {
	return appendOpenAIError(b, e)
}
func (responsesDialect) setRateLimitHeaders(h http.Header, l control.Limits, _ time.Time) {
	setOpenAIRateLimitHeaders(h, l)
}
func (responsesDialect) appendKeepalive(b []byte) []byte { return append(b, ": keepalive\n\n"...) }
func (responsesDialect) appendModels(b []byte, created int64) []byte {
	return openAIDialect{}.appendModels(b, created)
}
func (responsesDialect) begin(*call) {}

// event opens event typ: its event line and its data up to the sequence number.
func event(b []byte, c *call, typ string) []byte {
	b = append(b, "event: "...)
	b = append(b, typ...)
	b = append(b, "\ndata: {\"type\":\""...)
	b = append(b, typ...)
	b = append(b, `","sequence_number":`...)
	b = strconv.AppendInt(b, int64(c.seq), 10)
	c.seq++
	return b
}

func endEvent(b []byte) []byte { return append(b, "}\n\n"...) }

func (responsesDialect) appendStart(b []byte, c *call) []byte {
	b = event(b, c, "response.created")
	b = append(b, `,"response":`...)
	b = appendResponse(b, c, "in_progress", false)
	b = endEvent(b)
	b = event(b, c, "response.in_progress")
	b = append(b, `,"response":`...)
	b = appendResponse(b, c, "in_progress", false)
	return endEvent(b)
}

// messageItemID and friends name a response's items.
func messageItemID(c *call) string { return "msg_" + strings.TrimPrefix(c.messageID, "resp_") }
func callItemID(c *call, i int) string {
	return "fc_" + strings.TrimPrefix(c.messageID, "resp_") + "_" + strconv.Itoa(i)
}

// openItem writes the message item's output_item.added and content_part.added.
func openItem(b []byte, c *call) []byte {
	c.itemOpen = true
	b = event(b, c, "response.output_item.added")
	b = append(b, `,"output_index":0,"item":`...)
	b = appendMessageItem(b, c, "in_progress", "", false)
	b = endEvent(b)
	b = event(b, c, "response.content_part.added")
	b = appendPartPosition(b, c)
	b = append(b, `,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":""}`...)
	return endEvent(b)
}

func appendPartPosition(b []byte, c *call) []byte {
	b = append(b, `,"item_id":`...)
	b = appendString(b, messageItemID(c))
	return append(b, `,"output_index":0,"content_index":0`...)
}

func (responsesDialect) appendToken(b []byte, c *call, tok string) []byte {
	if !c.itemOpen {
		b = openItem(b, c)
	}
	c.text = append(c.text, tok...)
	c.sentTokens++
	b = event(b, c, "response.output_text.delta")
	b = appendPartPosition(b, c)
	b = append(b, `,"delta":`...)
	b = appendString(b, tok)
	b = append(b, `,"logprobs":[]`...)
	return endEvent(b)
}

func (d responsesDialect) appendMalformed(b []byte, c *call, tok string) []byte {
	return malformedChunk(d.appendToken(b, c, tok))
}

// appendEnd closes the message item of a text answer, then sends the terminal event:
// response.completed, or response.incomplete with the reason c.stop gives.
func (responsesDialect) appendEnd(b []byte, c *call) []byte {
	if c.calls == nil {
		if !c.itemOpen {
			b = openItem(b, c)
		}
		status := itemStatus(c)
		b = event(b, c, "response.output_text.done")
		b = appendPartPosition(b, c)
		b = append(b, `,"text":`...)
		b = appendString(b, string(c.text))
		b = append(b, `,"logprobs":[]`...)
		b = endEvent(b)
		b = event(b, c, "response.content_part.done")
		b = appendPartPosition(b, c)
		b = append(b, `,"part":`...)
		b = appendTextPart(b, string(c.text))
		b = endEvent(b)
		b = event(b, c, "response.output_item.done")
		b = append(b, `,"output_index":0,"item":`...)
		b = appendMessageItem(b, c, status, string(c.text), true)
		b = endEvent(b)
	}
	typ, status := "response.completed", "completed"
	if c.stop != stopDone {
		typ, status = "response.incomplete", "incomplete"
	}
	b = event(b, c, typ)
	b = append(b, `,"response":`...)
	b = appendResponse(b, c, status, true)
	return endEvent(b)
}

func itemStatus(c *call) string {
	if c.stop != stopDone {
		return "incomplete"
	}
	return "completed"
}

// appendStreamError writes the error event; the error is an object, as the API sends it.
func (responsesDialect) appendStreamError(b []byte, c *call, e apiError) []byte {
	b = event(b, c, "error")
	b = append(b, `,"error":{"type":`...)
	b = appendString(b, e.typ)
	b = append(b, `,"code":`...)
	code := e.code
	if code == "" {
		code = e.typ
	}
	b = appendString(b, code)
	b = append(b, `,"message":`...)
	b = appendString(b, e.msg)
	b = append(b, `,"param":`...)
	b = appendStringOrNull(b, e.param)
	return append(b, "}}\n\n"...)
}

// appendFailed writes response.failed: the response with status failed and its error.
func (responsesDialect) appendFailed(b []byte, c *call) []byte {
	c.failed = true
	b = event(b, c, "response.failed")
	b = append(b, `,"response":`...)
	b = appendResponse(b, c, "failed", false)
	return endEvent(b)
}
