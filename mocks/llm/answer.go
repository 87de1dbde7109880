package llm

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"math/bits"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
)

// An answer from the mock reads, as one string:
//
//	[llmchaos upstream=primary id=REQ-1] lorem ipsum ... <<end upstream=primary id=REQ-1 n=12 sum=1a2b3c4d>>
//
// The head names the upstream that served it and the correlation id; the words are
// deterministic from the seed and the id; the end marker closes it and carries the
// number of words and an FNV-32a checksum of everything before the marker. So anyone
// holding only the text (the driver, behind a SUT that rewrote everything else) can tell
// who served it and whether it arrived whole, without knowing the mock's seed.

// Tag returns the text the driver puts in the last user message to carry id through a SUT.
func Tag(id string) string { return "[llmchaos-id:" + id + "]" }

// tagOpen opens a tag; the id follows, 1 to maxIDLen bytes of [A-Za-z0-9._:-], then ']'.
const (
	tagOpen  = "[llmchaos-id:"
	maxIDLen = 128
)

// IDFromText returns the correlation id tagged in s, or "".
func IDFromText(s string) string {
	// Tags cannot overlap ('[' is not an id byte), so the last one is the last
	// opening that is followed by a well-formed id and ']'.
	for end := len(s); ; {
		i := strings.LastIndex(s[:end], tagOpen)
		if i < 0 {
			return ""
		}
		if n := tagIDLen(s[i+len(tagOpen):]); n > 0 {
			return s[i+len(tagOpen) : i+len(tagOpen)+n]
		}
		end = i
	}
}

// idFromBytes is IDFromText for text held in bytes; only the id is copied.
func idFromBytes(b []byte) string {
	for end := len(b); ; {
		i := bytes.LastIndex(b[:end], []byte(tagOpen))
		if i < 0 {
			return ""
		}
		if n := tagIDLen(b[i+len(tagOpen):]); n > 0 {
			return string(b[i+len(tagOpen) : i+len(tagOpen)+n])
		}
		end = i
	}
}

// tagIDLen returns the length of the id at the start of rest (what follows a tag's
// opening) when a well-formed id and the closing ']' are there, else 0.
func tagIDLen[T string | []byte](rest T) int {
	k := 0
	for k < len(rest) && k <= maxIDLen && idByte(rest[k]) {
		k++
	}
	if k == 0 || k > maxIDLen || k >= len(rest) || rest[k] != ']' {
		return 0
	}
	return k
}

// Tokens returns the answer for (upstream, id) as the chunks a stream sends, in order:
// the head, n words (each with its leading space), then the end marker (with its leading
// space). Joined, they are the whole answer text. Deterministic from seed, upstream and id.
func Tokens(seed int64, upstream, id string, n int) []string {
	return appendTokens(make([]string, 0, n+2), seed, upstream, id, n)
}

// appendTokens appends Tokens(seed, upstream, id, n) to out (a recycled slice: the
// server answers without allocating one per request). The head and the end marker
// share one allocation; the words are substrings of spacedWords.
func appendTokens(out []string, seed int64, upstream, id string, n int) []string {
	// The seed of the words is FNV-64a of "seed|upstream|id", written without fmt.
	var keyBuf [128]byte
	key := strconv.AppendInt(keyBuf[:0], seed, 10)
	key = append(key, '|')
	key = append(key, upstream...)
	key = append(key, '|')
	key = append(key, id...)
	pcg := rand.NewPCG(uint64(seed), fnv64a(fnvOffset64, key))
	var textBuf [320]byte
	text := append(textBuf[:0], "[llmchaos upstream="...)
	text = append(text, upstream...)
	text = append(text, " id="...)
	text = append(text, id...)
	text = append(text, ']')
	headLen := len(text)
	sum := fnv32a(fnvOffset32, text)
	start := len(out)
	out = append(out, "") // the head, set below
	for i := 0; i < n; i++ {
		w := spacedWords[intN(pcg, len(spacedWords))]
		sum = fnv32aString(sum, w)
		out = append(out, w)
	}
	text = append(text, " <<end upstream="...)
	text = append(text, upstream...)
	text = append(text, " id="...)
	text = append(text, id...)
	text = append(text, " n="...)
	text = strconv.AppendInt(text, int64(n), 10)
	text = append(text, " sum="...)
	text = appendHex32(text, sum)
	text = append(text, ">>"...)
	both := string(text)
	out[start] = both[:headLen]
	return append(out, both[headLen:])
}

// intN is rand.New(pcg).IntN(n) (math/rand/v2's computation on 64-bit systems, which
// its 32-bit code reproduces), called on the PCG itself so that it stays on the stack.
func intN(pcg *rand.PCG, n int) int {
	un := uint64(n)
	if un&(un-1) == 0 {
		return int(pcg.Uint64() & (un - 1))
	}
	hi, lo := bits.Mul64(pcg.Uint64(), un)
	if lo < un {
		thresh := -un % un
		for lo < thresh {
			hi, lo = bits.Mul64(pcg.Uint64(), un)
		}
	}
	return int(hi)
}

// FNV-1a parameters (as hash/fnv), inlined so Tokens hashes without allocating.
const (
	fnvOffset32 uint32 = 2166136261
	fnvPrime32  uint32 = 16777619
	fnvOffset64 uint64 = 14695981039346656037
	fnvPrime64  uint64 = 1099511628211
)

// fnv64a continues the FNV-64a hash h over b.
func fnv64a(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime64
	}
	return h
}

// fnv32a continues the FNV-32a hash h over b.
func fnv32a(h uint32, b []byte) uint32 {
	for _, c := range b {
		h ^= uint32(c)
		h *= fnvPrime32
	}
	return h
}

// fnv32aString continues the FNV-32a hash h over s.
func fnv32aString(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= fnvPrime32
	}
	return h
}

// appendHex32 appends v as 8 lower-case hex digits, as fmt's %08x does.
func appendHex32(b []byte, v uint32) []byte {
	const hex = "0123456789abcdef"
	for shift := 28; shift >= 0; shift -= 4 {
		b = append(b, hex[(v>>uint(shift))&0xf])
	}
	return b
}

// Answer is what Verify learnt from a complete answer.
type Answer struct {
	Upstream string
	ID       string
	Words    int
}

var (
	headRE = regexp.MustCompile(`\[llmchaos upstream=([^ \]]+) id=([^ \]]*)\]`)
	endRE  = regexp.MustCompile(` <<end upstream=([^ ]+) id=([^ ]*) n=(\d+) sum=([0-9a-f]{8})>>\s*$`)
)

// ServedBy returns the upstream named in the answer's head, even when the answer was cut; "" if none.
func ServedBy(text string) string {
	m := headRE.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return m[1]
}

// Verify checks that text is one whole mock answer: a head, the words, and an end marker
// whose checksum matches. It returns what the answer says of itself, or an error that
// says what is missing (the marker: the answer was cut; the checksum: something in the
// middle was lost or altered).
func Verify(text string) (Answer, error) {
	start := headRE.FindStringIndex(text)
	if start == nil {
		return Answer{}, fmt.Errorf("answer has no llmchaos head: not a mock answer")
	}
	head := headRE.FindStringSubmatch(text)
	end := endRE.FindStringSubmatchIndex(text)
	if end == nil {
		return Answer{Upstream: head[1], ID: head[2]}, fmt.Errorf("answer from %s has no end marker: cut short", head[1])
	}
	body := text[start[0]:end[0]]
	upstream, id := text[end[2]:end[3]], text[end[4]:end[5]]
	n, _ := strconv.Atoi(text[end[6]:end[7]])
	want := text[end[8]:end[9]]
	sum := fnv.New32a()
	sum.Write([]byte(body))
	a := Answer{Upstream: upstream, ID: id, Words: n}
	if got := fmt.Sprintf("%08x", sum.Sum32()); got != want {
		return a, fmt.Errorf("answer from %s fails its checksum (%s, want %s): part of it was lost or altered", upstream, got, want)
	}
	if upstream != head[1] || id != head[2] {
		return a, fmt.Errorf("answer head (%s %s) and end marker (%s %s) disagree", head[1], head[2], upstream, id)
	}
	return a, nil
}

var words = strings.Fields(`lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod
tempor incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud
exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure in
reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint occaecat
cupidatat non proident sunt culpa qui officia deserunt mollit anim id est laborum`)

// spacedWords is words, each with the leading space it takes in an answer.
var spacedWords = func() []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = " " + w
	}
	return out
}()
