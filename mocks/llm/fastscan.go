package llm

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// maxFastDepth is the deepest nesting fastScanner walks; deeper bodies go to encoding/json.
const maxFastDepth = 64

// fastScanner walks a JSON text and checks its grammar as it goes (RFC 8259, as
// json.Valid checks it): every method reports false on a syntax error, and the caller
// gives up on the fast path.
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
	if len(p.b)-p.i >= len(s) && string(p.b[p.i:p.i+len(s)]) == s {
		p.i += len(s)
		return true
	}
	return false
}

// member reads up to the value of an object's next member (the '{' already read; first
// for its first member): the key's raw bytes, or end when the object closed.
func (p *fastScanner) member(first bool) (key []byte, end, ok bool) {
	p.space()
	if p.consume('}') {
		return nil, true, true
	}
	if !first {
		if !p.consume(',') {
			return nil, false, false
		}
		p.space()
	}
	key, escaped, ok := p.rawString()
	if !ok || escaped {
		return nil, false, false // a key with escapes may name a field: encoding/json reads it
	}
	p.space()
	if !p.consume(':') {
		return nil, false, false
	}
	p.space()
	return key, false, true
}

// element reads up to an array's next element (the '[' already read; first for its
// first element), or reports end when the array closed.
func (p *fastScanner) element(first bool) (end, ok bool) {
	p.space()
	if p.consume(']') {
		return true, true
	}
	if !first {
		if !p.consume(',') {
			return false, false
		}
		p.space()
	}
	return false, true
}

// rawString reads a string and returns its bytes between the quotes, as they are, and
// whether it holds escapes (each checked).
func (p *fastScanner) rawString() (s []byte, escaped, ok bool) {
	if !p.consume('"') {
		return nil, false, false
	}
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			s = p.b[start:p.i]
			p.i++
			return s, escaped, true
		case c < 0x20:
			return nil, false, false
		case c == '\\':
			escaped = true
			if !p.escape() {
				return nil, false, false
			}
			continue
		}
		p.i++
	}
	return nil, false, false
}

// escape checks the escape sequence at p.i (its backslash) and passes it.
func (p *fastScanner) escape() bool {
	if p.i+1 >= len(p.b) {
		return false
	}
	switch p.b[p.i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		p.i += 2
		return true
	case 'u':
		if p.i+6 > len(p.b) {
			return false
		}
		for _, h := range p.b[p.i+2 : p.i+6] {
			if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
				return false
			}
		}
		p.i += 6
		return true
	}
	return false
}

// simpleString reads a string without escapes whose bytes are valid UTF-8: what
// encoding/json would decode to the same bytes.
func (p *fastScanner) simpleString() ([]byte, bool) {
	s, escaped, ok := p.rawString()
	if !ok || escaped || !utf8.Valid(s) {
		return nil, false
	}
	return s, true
}

// number reads a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *fastScanner) number() bool {
	p.consume('-')
	switch {
	case p.consume('0'):
	case p.i < len(p.b) && '1' <= p.b[p.i] && p.b[p.i] <= '9':
		p.digits()
	default:
		return false
	}
	if p.consume('.') && !p.digits() {
		return false
	}
	if p.consume('e') || p.consume('E') {
		if !p.consume('+') {
			p.consume('-')
		}
		if !p.digits() {
			return false
		}
	}
	return true
}

// digits passes one or more digits and reports whether there was one.
func (p *fastScanner) digits() bool {
	start := p.i
	for p.i < len(p.b) && '0' <= p.b[p.i] && p.b[p.i] <= '9' {
		p.i++
	}
	return p.i > start
}

// nonNegativeInt reads a number that is an integer literal, not negative, that fits an int64.
func (p *fastScanner) nonNegativeInt() bool {
	start := p.i
	if !p.number() {
		return false
	}
	n := p.b[start:p.i]
	for _, c := range n {
		if c < '0' || c > '9' {
			return false // a sign, a fraction or an exponent
		}
	}
	_, err := strconv.ParseInt(string(n), 10, 64)
	return err == nil
}

// skip checks and passes one value at nesting depth.
func (p *fastScanner) skip(depth int) bool {
	if p.i >= len(p.b) || depth >= maxFastDepth {
		return false
	}
	switch p.b[p.i] {
	case '"':
		_, _, ok := p.rawString()
		return ok
	case '{':
		p.i++
		for first := true; ; first = false {
			_, end, ok := p.member(first)
			if !ok || end {
				return ok
			}
			if !p.skip(depth + 1) {
				return false
			}
		}
	case '[':
		p.i++
		for first := true; ; first = false {
			end, ok := p.element(first)
			if !ok || end {
				return ok
			}
			if !p.skip(depth + 1) {
				return false
			}
		}
	case 't':
		return p.literal("true")
	case 'f':
		return p.literal("false")
	case 'n':
		return p.literal("null")
	}
	return p.number()
}

// messages reads a non-empty array of message objects into r (as fromMessages does),
// copying the last user content out of the body.
func (p *fastScanner) messages(r *chatRequest) bool {
	if !p.consume('[') {
		return false
	}
	n := 0
	var lastUser []byte
	for first := true; ; first = false {
		end, ok := p.element(first)
		if !ok {
			return false
		}
		if end {
			break
		}
		role, content, ok := p.message()
		if !ok {
			return false
		}
		n++
		r.promptBytes += len(content)
		if string(role) == "user" {
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

// message reads one message object: its role and its raw content (a string, an array
// or an object; nil when it has none).
func (p *fastScanner) message() (role, content []byte, ok bool) {
	if !p.consume('{') {
		return nil, nil, false
	}
	haveRole := false
	for first := true; ; first = false {
		key, end, good := p.member(first)
		if !good {
			return nil, nil, false
		}
		if end {
			return role, content, true
		}
		switch {
		case string(key) == "role" && !haveRole:
			if role, good = p.simpleString(); !good {
				return nil, nil, false
			}
			haveRole = true
		case string(key) == "content" && content == nil:
			if p.i >= len(p.b) || (p.b[p.i] != '"' && p.b[p.i] != '[' && p.b[p.i] != '{') {
				return nil, nil, false
			}
			start := p.i
			if !p.skip(1) {
				return nil, nil, false
			}
			content = p.b[start:p.i]
		case asciiEqualFold(key, "role") || asciiEqualFold(key, "content") || !isASCII(key):
			return nil, nil, false
		default:
			if !p.skip(1) {
				return nil, nil, false
			}
		}
	}
}
