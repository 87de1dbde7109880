package llm

import (
	"fmt"
	"hash/fnv"
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

var tagRE = regexp.MustCompile(`\[llmchaos-id:([A-Za-z0-9._:-]{1,128})\]`)

// IDFromText returns the correlation id tagged in s, or "".
func IDFromText(s string) string {
	m := tagRE.FindAllStringSubmatch(s, -1)
	if len(m) == 0 {
		return ""
	}
	return m[len(m)-1][1]
}

// Tokens returns the answer for (upstream, id) as the chunks a stream sends, in order:
// the head, n words (each with its leading space), then the end marker (with its leading
// space). Joined, they are the whole answer text. Deterministic from seed, upstream and id.
func Tokens(seed int64, upstream, id string, n int) []string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d|%s|%s", seed, upstream, id)
	rng := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
	out := make([]string, 0, n+2)
	out = append(out, "[llmchaos upstream="+upstream+" id="+id+"]")
	for i := 0; i < n; i++ {
		out = append(out, " "+words[rng.IntN(len(words))])
	}
	body := strings.Join(out, "")
	sum := fnv.New32a()
	sum.Write([]byte(body))
	out = append(out, fmt.Sprintf(" <<end upstream=%s id=%s n=%d sum=%08x>>", upstream, id, n, sum.Sum32()))
	return out
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
