package llm

import (
	"net/http"
	"strconv"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// geminiDialect is the Gemini API's generateContent: a whole GenerateContentResponse,
// or streamGenerateContent: with alt=sse, one `data: {response}` event per chunk (no end
// sentinel: the chunk with finishReason is the last); without it, the chunks as one JSON
// array. Function calls are whole functionCall parts (Gemini streams no argument
// fragments). Errors are Google's {"error":{"code","message","status","details"}},
// inside a stream as a chunk of that shape. The key (x-goog-api-key or key=) is accepted
// without checking.
type geminiDialect struct {
	model  string // the model of the path
	stream bool   // streamGenerateContent
	sse    bool   // alt=sse
}

var (
	_ dialect          = geminiDialect{}
	_ toolDialect      = geminiDialect{}
	_ streamTyper      = geminiDialect{}
	_ chunkBreaker     = geminiDialect{}
	_ retryHintDialect = geminiDialect{}
)

// geminiEventEnd ends an SSE event as Google's servers do.
const geminiEventEnd = "\r\n\r\n"

func (d geminiDialect) streamContentType() string {
	if d.sse {
		return "text/event-stream"
	}
	return "application/json; charset=UTF-8"
}

func (d geminiDialect) parse(body []byte) (chatRequest, *apiError) {
	r, bad := parseGemini(body)
	r.model, r.stream = d.model, d.stream
	return r, bad
}

func (geminiDialect) statusError(status int) apiError { return geminiStatusError(status) }
func (geminiDialect) streamFailure(status int) apiError {
	return geminiStatusError(orStatus(status, http.StatusInternalServerError))
}
func (geminiDialect) providerError(t control.FaultType, ec errorContext) apiError {
	return geminiProviderError(t, ec)
}

func (geminiDialect) setHeaders(h http.Header, _ string) {
	h["Server"] = []string{"scaffolding on HTTPServer2"}
}

// appendError writes Google's error body; the JSON-array stream wraps it in an array.
func (d geminiDialect) appendError(b []byte, e apiError, _ string) []byte {
	if d.stream && !d.sse {
		b = append(b, '[')
		b = appendGeminiError(b, e)
		return append(b, ']')
	}
	return appendGeminiError(b, e)
}

// retryHint puts f's delay in a RetryInfo detail of the error body (Google sends no
// Retry-After header).
func (geminiDialect) retryHint(_ http.Header, e *apiError, f control.Fault, _ time.Time) time.Duration {
	if d := f.RetryAfter.D(); d > 0 {
		e.retryDelay = d
		return d
	}
	return 0
}

// geminiFinish is the finishReason of an answer that ended as c.stop says (Gemini says
// STOP after function calls too).
func geminiFinish(c *call) string {
	switch c.stop {
	case stopLength:
		return "MAX_TOKENS"
	case stopFilter:
		return "SAFETY"
	}
	return "STOP"
}

// begin keeps the tail every chunk ends with: the model version and the response id.
func (d geminiDialect) begin(c *call) {
	p := make([]byte, 0, 48+len(d.model)+len(c.messageID))
	p = append(p, `,"modelVersion":`...)
	p = appendString(p, d.model)
	p = append(p, `,"responseId":`...)
	p = appendString(p, c.messageID)
	c.prefix = append(p, '}')
}

func appendGeminiUsage(b []byte, c *call, output int) []byte {
	b = append(b, `,"usageMetadata":{"promptTokenCount":`...)
	b = strconv.AppendInt(b, int64(c.promptTokens), 10)
	if output > 0 {
		b = append(b, `,"candidatesTokenCount":`...)
		b = strconv.AppendInt(b, int64(output), 10)
	}
	b = append(b, `,"totalTokenCount":`...)
	b = strconv.AppendInt(b, int64(c.promptTokens+output), 10)
	return append(b, '}')
}

// appendFunctionCall writes a functionCall part (its args an object: {} when a fault
// left them not one).
func appendFunctionCall(b []byte, tc toolCall) []byte {
	b = append(b, `{"functionCall":{"name":`...)
	b = appendString(b, tc.name)
	b = append(b, `,"args":`...)
	b = appendArgsObject(b, tc.arguments)
	return append(b, "}}"...)
}

// geminiBlocked is the answer to a prompt the filter refused: promptFeedback and no candidates.
const geminiBlocked = `{"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[{"category":"HARM_CATEGORY_DANGEROUS_CONTENT","probability":"HIGH","blocked":true}]}`

// appendAnswer writes a GenerateContentResponse: one candidate with the text or the
// function calls, its finishReason, usage (not under no-usage), model and id.
func (d geminiDialect) appendAnswer(b []byte, c *call, toks []string) []byte {
	if c.refused {
		b = append(b, geminiBlocked...)
	} else {
		b = append(b, `{"candidates":[{"content":{"parts":[`...)
		if c.calls != nil {
			for i, tc := range c.calls {
				if i > 0 {
					b = append(b, ',')
				}
				b = appendFunctionCall(b, tc)
			}
		} else {
			b = append(b, `{"text":`...)
			b = appendStrings(b, toks)
			b = append(b, '}')
		}
		b = append(b, `],"role":"model"},"finishReason":"`...)
		b = append(b, geminiFinish(c)...)
		b = append(b, `","index":0}]`...)
	}
	if !c.noUsage {
		b = appendGeminiUsage(b, c, c.outputTokens)
	}
	b = append(b, `,"modelVersion":`...)
	b = appendString(b, d.model)
	b = append(b, `,"responseId":`...)
	b = appendString(b, c.messageID)
	return append(b, '}')
}

// chunkOpen starts a stream chunk: `data: ` (SSE), or the array's separator.
func (d geminiDialect) chunkOpen(b []byte, c *call) []byte {
	c.seq++
	switch {
	case d.sse:
		return append(b, "data: "...)
	case c.seq > 1:
		return append(b, ",\r\n"...)
	}
	return b
}

func (d geminiDialect) chunkClose(b []byte) []byte {
	if d.sse {
		return append(b, geminiEventEnd...)
	}
	return b
}

// appendStart opens the JSON array; an SSE stream has no opening event.
func (d geminiDialect) appendStart(b []byte, _ *call) []byte {
	if d.sse {
		return b
	}
	return append(b, '[')
}

// textChunk writes a chunk holding tok, with the usage so far (Gemini repeats a
// cumulative usageMetadata on every chunk).
func (d geminiDialect) textChunk(b []byte, c *call, tok string) []byte {
	c.sentTokens++
	b = d.chunkOpen(b, c)
	b = append(b, `{"candidates":[{"content":{"parts":[{"text":`...)
	b = appendString(b, tok)
	b = append(b, `}],"role":"model"},"index":0}]`...)
	if !c.noUsage {
		b = appendGeminiUsage(b, c, c.sentTokens)
	}
	return append(b, c.prefix...)
}

func (d geminiDialect) appendToken(b []byte, c *call, tok string) []byte {
	return d.chunkClose(d.textChunk(b, c, tok))
}

// appendMalformed writes the token's chunk cut in half: not JSON.
func (d geminiDialect) appendMalformed(b []byte, c *call, tok string) []byte {
	start := len(b)
	b = d.textChunk(b, c, tok)
	return d.chunkClose(b[:start+(len(b)-start)/2])
}

// breakChunk cuts a chunk (all of b) in half.
func (d geminiDialect) breakChunk(b []byte) []byte {
	if d.sse {
		b = b[:len(b)-len(geminiEventEnd)]
		return append(b[:len(b)/2], geminiEventEnd...)
	}
	return b[:len(b)/2]
}

// appendToolStart and appendToolArgs send nothing: Gemini sends each call whole.
func (geminiDialect) appendToolStart(b []byte, _ *call, _ int) []byte { return b }
func (geminiDialect) appendToolArgs(b []byte, _ *call, _ int, _ string) []byte {
	return b
}

// appendToolEnd sends call i as a chunk with its functionCall part, unless a fault cut
// the answer (the call never went out whole).
func (d geminiDialect) appendToolEnd(b []byte, c *call, i int) []byte {
	if c.stop != stopDone {
		return b
	}
	b = d.chunkOpen(b, c)
	b = append(b, `{"candidates":[{"content":{"parts":[`...)
	b = appendFunctionCall(b, c.calls[i])
	b = append(b, `],"role":"model"},"index":0}]`...)
	b = append(b, c.prefix...)
	return d.chunkClose(b)
}

// appendEnd writes the last chunk: finishReason and the whole usage (a blocked prompt:
// promptFeedback), then closes the array.
func (d geminiDialect) appendEnd(b []byte, c *call) []byte {
	b = d.chunkOpen(b, c)
	if c.refused {
		b = append(b, geminiBlocked...)
	} else {
		b = append(b, `{"candidates":[{"content":{"parts":[{"text":""}],"role":"model"},"finishReason":"`...)
		b = append(b, geminiFinish(c)...)
		b = append(b, `","index":0}]`...)
	}
	if !c.noUsage {
		b = appendGeminiUsage(b, c, c.outputTokens)
	}
	b = append(b, c.prefix...)
	b = d.chunkClose(b)
	if !d.sse {
		b = append(b, ']')
	}
	return b
}

// appendStreamError writes e as an error chunk (the JSON array is then closed).
func (d geminiDialect) appendStreamError(b []byte, c *call, e apiError) []byte {
	b = d.chunkOpen(b, c)
	b = appendGeminiError(b, e)
	b = d.chunkClose(b)
	if !d.sse {
		b = append(b, ']')
	}
	return b
}

func (geminiDialect) appendKeepalive(b []byte) []byte { return b } // Gemini sends none

func (geminiDialect) appendModels(b []byte, _ int64) []byte { return b }
