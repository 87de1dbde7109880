package llm

import (
	"bytes"
	"unicode/utf8"
)

// fastParse reads the plain, common shape of a completion request without reflection
// and in one pass: a valid JSON object whose known keys appear once, spelt exactly,
// with values of the expected type and strings without escapes. It reports ok=false for
// anything else (bad input included), and the caller then parses with encoding/json,
// which gives the same result for every body fastParse accepts and the errors for the
// rest. The scan checks the JSON grammar as json.Valid does (every value, skipped ones
// included), so an invalid body is never accepted; it declines nesting deeper than
// maxFastDepth rather than walking it.
// anthropic selects the Messages fields (max_tokens) over the Chat Completions ones (user).
func fastParse(body []byte, anthropic bool) (r chatRequest, ok bool) {
	if mentionsTools(body) {
		return chatRequest{}, false
	}
	p := fastScanner{b: body}
	p.space()
	if !p.consume('{') {
		return chatRequest{}, false
	}
	var seen uint8
	for first := true; ; first = false {
		key, end, good := p.member(first)
		if !good {
			return chatRequest{}, false
		}
		if end {
			break
		}
		bit, good := p.field(&r, key, anthropic)
		if !good || seen&bit != 0 {
			return chatRequest{}, false // bad input, a field left to encoding/json, or a repeated field
		}
		seen |= bit
	}
	p.space()
	if p.i != len(p.b) || r.model == "" || seen&seenMessages == 0 || (anthropic && seen&seenMaxTokens == 0) {
		return chatRequest{}, false
	}
	return r, true
}

// The fields fastParse reads (bits of its seen set).
const (
	seenModel uint8 = 1 << iota
	seenMessages
	seenStream
	seenUser
	seenMaxTokens
)

// field reads the value of the top-level member key into r and returns its bit (0 for
// a member the mock ignores, whose value is checked and skipped); ok=false when the
// value is not what fastParse reads or key is a field left to encoding/json.
func (p *fastScanner) field(r *chatRequest, key []byte, anthropic bool) (bit uint8, ok bool) {
	switch {
	case string(key) == "model":
		m, good := p.simpleString()
		if !good {
			return 0, false
		}
		r.model = string(m)
		return seenModel, true
	case string(key) == "messages":
		return seenMessages, p.messages(r)
	case string(key) == "stream":
		switch {
		case p.literal("true"):
			r.stream = true
		case p.literal("false"):
		default:
			return 0, false
		}
		return seenStream, true
	case string(key) == "user" && !anthropic:
		u, good := p.simpleString()
		if !good {
			return 0, false
		}
		r.bodyID = string(u)
		return seenUser, true
	case string(key) == "max_tokens" && anthropic:
		return seenMaxTokens, p.nonNegativeInt()
	case foldsToField(key, anthropic):
		return 0, false // a known field spelt otherwise, or one left to encoding/json
	}
	return 0, p.skip(0)
}

// mentionsTools reports whether body may hold tools, a tool choice, tool calls or tool
// results (keys "tools", "tool_choice", "tool_calls", "tool_call_id", "parallel_tool_calls";
// role "tool"; blocks "tool_use", "tool_result"): those bodies go to encoding/json.
func mentionsTools(body []byte) bool {
	// one pass for "tool", then a look at the byte before it: `"tool` or `_tool`
	for i := 0; ; {
		j := bytes.Index(body[i:], []byte("tool"))
		if j < 0 {
			return false
		}
		if i += j; i > 0 && (body[i-1] == '"' || body[i-1] == '_') {
			return true
		}
		i++
	}
}

var (
	openAIFields    = []string{"model", "messages", "stream", "stream_options", "user", "tools", "tool_choice", "parallel_tool_calls"}
	anthropicFields = []string{"model", "messages", "stream", "max_tokens", "metadata", "tools", "tool_choice"}
)

// foldsToField reports whether key matches, ignoring case, a field of the request
// (encoding/json would decode it into that field), or is not plain ASCII.
func foldsToField(key []byte, anthropic bool) bool {
	if !isASCII(key) {
		return true
	}
	fields := openAIFields
	if anthropic {
		fields = anthropicFields
	}
	for _, f := range fields {
		if asciiEqualFold(key, f) {
			return true
		}
	}
	return false
}

// asciiEqualFold is strings.EqualFold for an ASCII key.
func asciiEqualFold(key []byte, s string) bool {
	if len(key) != len(s) {
		return false
	}
	for i := range key {
		a, b := key[i], s[i]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
