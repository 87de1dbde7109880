package llm

import (
	"strconv"
	"strings"
)

// The Responses API's objects: the Response (whole answers and the lifecycle events),
// its output items (a message with output_text parts, function calls) and usage.

// responseFailedMessage is the error of a failed response, as the API words it.
const responseFailedMessage = "An error occurred while processing your request. You can retry your request, " +
	"or contact us through our help center at help.openai.com if the error persists."

// appendResponse writes the Response object with status; with output, its output items
// and usage (a response in progress has neither yet).
func appendResponse(b []byte, c *call, status string, output bool) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, c.messageID)
	b = append(b, `,"object":"response","created_at":`...)
	b = strconv.AppendInt(b, c.created, 10)
	b = append(b, `,"status":"`...)
	b = append(b, status...)
	b = append(b, `","background":false,"error":`...)
	if c.failed {
		b = append(b, `{"code":"server_error","message":`...)
		b = appendString(b, responseFailedMessage+" Please include the request ID "+c.requestID+" in your message.")
		b = append(b, '}')
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"incomplete_details":`...)
	b = appendIncomplete(b, c, status)
	b = append(b, `,"instructions":null,"max_output_tokens":`...)
	b = appendIntOrNull(b, c.maxOutputTokens)
	b = append(b, `,"model":`...)
	b = appendString(b, c.model)
	b = append(b, `,"output":[`...)
	if output && !c.failed {
		b = appendOutputItems(b, c)
	}
	b = append(b, `],"parallel_tool_calls":`...)
	b = strconv.AppendBool(b, c.parallel)
	b = append(b, `,"previous_response_id":`...)
	b = appendStringOrNull(b, c.previousID)
	b = append(b, `,"reasoning":{"effort":null,"summary":null},"store":`...)
	b = strconv.AppendBool(b, !c.noStore)
	b = append(b, `,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","usage":`...)
	if output && !c.noUsage && !c.failed {
		b = appendResponsesUsage(b, c)
	} else {
		b = append(b, "null"...)
	}
	return append(b, `,"user":null,"metadata":{}}`...)
}

func appendIncomplete(b []byte, c *call, status string) []byte {
	if status != "incomplete" {
		return append(b, "null"...)
	}
	reason := "max_output_tokens"
	if c.stop == stopFilter {
		reason = "content_filter"
	}
	b = append(b, `{"reason":"`...)
	b = append(b, reason...)
	return append(b, `"}`...)
}

func appendIntOrNull(b []byte, n int) []byte {
	if n == 0 {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, int64(n), 10)
}

// appendOutputItems writes the output items: the message of a text answer (c.text, as
// sent), or the function calls whose close went out (c.sentArgs).
func appendOutputItems(b []byte, c *call) []byte {
	if c.calls == nil {
		return appendMessageItem(b, c, itemStatus(c), string(c.text), true)
	}
	first := true
	for i := range c.calls {
		if i >= len(c.sentArgs) {
			break
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendCallItem(b, c, i, itemStatus(c), c.sentArgs[i])
	}
	return b
}

// appendMessageItem writes the assistant message item; withText gives it its one
// output_text part.
func appendMessageItem(b []byte, c *call, status, text string, withText bool) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, messageItemID(c))
	b = append(b, `,"type":"message","status":"`...)
	b = append(b, status...)
	b = append(b, `","content":[`...)
	if withText {
		b = appendTextPart(b, text)
	}
	return append(b, `],"role":"assistant"}`...)
}

func appendTextPart(b []byte, text string) []byte {
	b = append(b, `{"type":"output_text","annotations":[],"logprobs":[],"text":`...)
	b = appendString(b, text)
	return append(b, '}')
}

// appendCallItem writes function call i as an output item.
func appendCallItem(b []byte, c *call, i int, status, args string) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, callItemID(c, i))
	b = append(b, `,"type":"function_call","status":"`...)
	b = append(b, status...)
	b = append(b, `","arguments":`...)
	b = appendString(b, args)
	b = append(b, `,"call_id":`...)
	b = appendString(b, "call_"+c.calls[i].id)
	b = append(b, `,"name":`...)
	b = appendString(b, c.calls[i].name)
	return append(b, '}')
}

func appendResponsesUsage(b []byte, c *call) []byte {
	out := c.outputTokens
	if c.stop != stopDone && c.calls == nil {
		out = c.sentTokens
	}
	b = append(b, `{"input_tokens":`...)
	b = strconv.AppendInt(b, int64(c.promptTokens), 10)
	b = append(b, `,"input_tokens_details":{"cached_tokens":0},"output_tokens":`...)
	b = strconv.AppendInt(b, int64(out), 10)
	b = append(b, `,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":`...)
	b = strconv.AppendInt(b, int64(c.promptTokens+out), 10)
	return append(b, '}')
}

// appendAnswer writes a whole answer: the Response with toks as its text, or its tool
// calls (c.calls, arguments as a fault left them); status completed, incomplete
// (c.stop) or failed (c.failed).
func (responsesDialect) appendAnswer(b []byte, c *call, toks []string) []byte {
	if c.calls == nil {
		c.text = append(c.text[:0], strings.Join(toks, "")...)
		c.sentTokens = len(toks)
	} else {
		c.sentArgs = c.sentArgs[:0]
		for _, tc := range c.calls {
			c.sentArgs = append(c.sentArgs, tc.arguments)
		}
	}
	status := "completed"
	switch {
	case c.failed:
		status = "failed"
	case c.stop != stopDone:
		status = "incomplete"
	}
	return appendResponse(b, c, status, true)
}

// appendToolStart writes output_item.added for function call i.
func (responsesDialect) appendToolStart(b []byte, c *call, i int) []byte {
	b = event(b, c, "response.output_item.added")
	b = append(b, `,"output_index":`...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, `,"item":`...)
	b = appendCallItem(b, c, i, "in_progress", "")
	return endEvent(b)
}

// appendToolArgs writes function_call_arguments.delta for call i.
func (responsesDialect) appendToolArgs(b []byte, c *call, i int, frag string) []byte {
	c.args[i] = append(c.args[i], frag...)
	b = event(b, c, "response.function_call_arguments.delta")
	b = appendCallPosition(b, c, i)
	b = append(b, `,"delta":`...)
	b = appendString(b, frag)
	return endEvent(b)
}

func appendCallPosition(b []byte, c *call, i int) []byte {
	b = append(b, `,"item_id":`...)
	b = appendString(b, callItemID(c, i))
	b = append(b, `,"output_index":`...)
	return strconv.AppendInt(b, int64(i), 10)
}

// appendToolEnd writes function_call_arguments.done and output_item.done for call i,
// with the arguments sent.
func (responsesDialect) appendToolEnd(b []byte, c *call, i int) []byte {
	args := string(c.args[i])
	for len(c.sentArgs) <= i {
		c.sentArgs = append(c.sentArgs, "")
	}
	c.sentArgs[i] = args
	b = event(b, c, "response.function_call_arguments.done")
	b = appendCallPosition(b, c, i)
	b = append(b, `,"name":`...)
	b = appendString(b, c.calls[i].name)
	b = append(b, `,"arguments":`...)
	b = appendString(b, args)
	b = endEvent(b)
	b = event(b, c, "response.output_item.done")
	b = append(b, `,"output_index":`...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, `,"item":`...)
	b = appendCallItem(b, c, i, itemStatus(c), args)
	return endEvent(b)
}
