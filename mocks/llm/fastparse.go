package llm

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// fastParse reads the plain, common shape of a completion request without reflection:
// a valid JSON object whose known keys appear once, spelt exactly, with values of the
// expected type and strings without escapes. It reports ok=false for anything else
// (bad input included), and the caller then parses with encoding/json, which gives
// the same result for every body fastParse accepts and the errors for the rest.
// anthropic selects the Messages fields (max_tokens) over the Chat Completions ones (user).
func fastParse(body []byte, anthropic bool) (r chatRequest, ok bool) {
	if !json.Valid(body) || mentionsTools(body) {
		return chatRequest{}, false
	}
	p := fastScanner{b: body}
	p.space()
	if !p.consume('{') {
		return chatRequest{}, false
	}
	var seen uint8
	const (
		seenModel = 1 << iota
		seenMessages
		seenStream
		seenUser
		seenMaxTokens
	)
	haveMessages := false
	for p.space(); !p.consume('}'); p.space() {
		p.consume(',')
		p.space()
		key, good := p.simpleString()
		if !good {
			return chatRequest{}, false
		}
		p.space()
		p.consume(':')
		p.space()
		var bit uint8
		switch {
		case key == "model":
			bit = seenModel
			m, good := p.simpleString()
			if !good {
				return chatRequest{}, false
			}
			r.model = m
		case key == "messages":
			bit = seenMessages
			if !p.messages(&r) {
				return chatRequest{}, false
			}
			haveMessages = true
		case key == "stream":
			bit = seenStream
			switch {
			case p.literal("true"):
				r.stream = true
			case p.literal("false"):
			default:
				return chatRequest{}, false
			}
		case key == "user" && !anthropic:
			bit = seenUser
			u, good := p.simpleString()
			if !good {
				return chatRequest{}, false
			}
			r.bodyID = u
		case key == "max_tokens" && anthropic:
			bit = seenMaxTokens
			if !p.nonNegativeInt() {
				return chatRequest{}, false
			}
		case foldsToField(key, anthropic):
			return chatRequest{}, false // a known field spelt otherwise, or one left to encoding/json
		default:
			p.skipValue()
		}
		if seen&bit != 0 {
			return chatRequest{}, false // a repeated field
		}
		seen |= bit
	}
	if r.model == "" || !haveMessages || (anthropic && seen&seenMaxTokens == 0) {
		return chatRequest{}, false
	}
	return r, true
}

// mentionsTools reports whether body may hold tools, a tool choice, tool calls or tool
// results (keys "tools", "tool_choice", "tool_calls", "tool_call_id", "parallel_tool_calls";
// role "tool"; blocks "tool_use", "tool_result"): those bodies go to encoding/json.
func mentionsTools(body []byte) bool {
	return bytes.Contains(body, []byte(`"tool`)) || bytes.Contains(body, []byte("_tool"))
}

// foldsToField reports whether key matches, ignoring case, a field of the request
// (encoding/json would decode it into that field), or is not plain ASCII.
func foldsToField(key string, anthropic bool) bool {
	fields := []string{"model", "messages", "stream", "stream_options", "user", "tools", "tool_choice", "parallel_tool_calls"}
	if anthropic {
		fields = []string{"model", "messages", "stream", "max_tokens", "metadata", "tools", "tool_choice"}
	}
	for i := 0; i < len(key); i++ {
		if key[i] >= utf8.RuneSelf {
			return true
		}
	}
	for _, f := range fields {
		if strings.EqualFold(key, f) {
			return true
		}
	}
	return false
}

// fastScanner walks JSON already known to be valid.
type fastScanner struct {
	b []byte
	i int
}

func (p *fastScanner) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *fastScanner) consume(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *fastScanner) literal(s string) bool {
	if bytes.HasPrefix(p.b[p.i:], []byte(s)) {
		p.i += len(s)
		return true
	}
	return false
}

// simpleString reads a string without escapes whose bytes are valid UTF-8.
func (p *fastScanner) simpleString() (string, bool) {
	if !p.consume('"') {
		return "", false
	}
	end := bytes.IndexByte(p.b[p.i:], '"')
	if end < 0 {
		return "", false
	}
	s := p.b[p.i : p.i+end]
	if bytes.IndexByte(s, '\\') >= 0 || !utf8.Valid(s) {
		return "", false
	}
	p.i += end + 1
	return string(s), true
}

// nonNegativeInt reads an integer literal that fits an int64 and is not negative.
func (p *fastScanner) nonNegativeInt() bool {
	start := p.i
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
	}
	if p.i == start || p.i < len(p.b) && (p.b[p.i] == '.' || p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		return false
	}
	_, err := strconv.ParseInt(string(p.b[start:p.i]), 10, 64)
	return err == nil
}

// skipValue passes over one value.
func (p *fastScanner) skipValue() {
	if p.i >= len(p.b) {
		return
	}
	switch p.b[p.i] {
	case '"':
		p.skipString()
	case '{', '[':
		depth := 0
		for p.i < len(p.b) {
			switch p.b[p.i] {
			case '"':
				p.skipString()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			p.i++
			if depth == 0 {
				return
			}
		}
	default: // a number or a literal
		for p.i < len(p.b) {
			switch p.b[p.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return
			}
			p.i++
		}
	}
}

// skipString passes over one string.
func (p *fastScanner) skipString() {
	p.i++ // the opening quote
	for p.i < len(p.b) && p.b[p.i] != '"' {
		if p.b[p.i] == '\\' {
			p.i++
		}
		p.i++
	}
	p.i++ // the closing quote
}

// messages reads a non-empty array of message objects into r (as fromMessages does),
// copying the last user content out of the body.
func (p *fastScanner) messages(r *chatRequest) bool {
	if !p.consume('[') {
		return false
	}
	n := 0
	var lastUser []byte
	for p.space(); !p.consume(']'); p.space() {
		p.consume(',')
		p.space()
		if !p.consume('{') {
			return false
		}
		var role string
		var content []byte
		haveRole, haveContent := false, false
		for p.space(); !p.consume('}'); p.space() {
			p.consume(',')
			p.space()
			key, good := p.simpleString()
			if !good {
				return false
			}
			p.space()
			p.consume(':')
			p.space()
			switch {
			case key == "role" && !haveRole:
				if role, good = p.simpleString(); !good {
					return false
				}
				haveRole = true
			case key == "content" && !haveContent:
				if p.i >= len(p.b) || (p.b[p.i] != '"' && p.b[p.i] != '[' && p.b[p.i] != '{') {
					return false
				}
				start := p.i
				p.skipValue()
				content = p.b[start:p.i]
				haveContent = true
			case strings.EqualFold(key, "role") || strings.EqualFold(key, "content") || !isASCII(key):
				return false
			default:
				p.skipValue()
			}
		}
		n++
		r.promptBytes += len(content)
		if role == "user" {
			lastUser = content
		}
	}
	if n == 0 {
		return false
	}
	if lastUser != nil {
		r.lastUser = append(json.RawMessage(nil), lastUser...)
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
