package llm

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// refTokens is the first, fmt-based Tokens: the fast one must give the same bytes.
func refTokens(seed int64, upstream, id string, n int) []string {
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

func TestTokensMatchReference(t *testing.T) {
	ids := []string{"", "REQ-1", "bench-1", "anon-17", strings.Repeat("x", 128), "a.b_c:d-e"}
	for _, seed := range []int64{0, 1, -1, 42, 1 << 62, -1 << 63} {
		for _, up := range []string{"primary", "secondary", "", "é"} {
			for _, id := range ids {
				for _, n := range []int{0, 1, 2, 24, 256} {
					got, want := Tokens(seed, up, id, n), refTokens(seed, up, id, n)
					if !slices.Equal(got, want) {
						t.Fatalf("Tokens(%d,%q,%q,%d) =\n%q\nwant\n%q", seed, up, id, n, got, want)
					}
				}
			}
		}
	}
	for i := range 2000 {
		id := "id-" + strconv.Itoa(i)
		if got, want := Tokens(int64(i), "p", id, 24), refTokens(int64(i), "p", id, 24); !slices.Equal(got, want) {
			t.Fatalf("Tokens(%d,p,%q,24) = %q, want %q", i, id, got, want)
		}
	}
}

var refTagRE = regexp.MustCompile(`\[llmchaos-id:([A-Za-z0-9._:-]{1,128})\]`)

// refIDFromText is the first, regexp-based IDFromText.
func refIDFromText(s string) string {
	m := refTagRE.FindAllStringSubmatch(s, -1)
	if len(m) == 0 {
		return ""
	}
	return m[len(m)-1][1]
}

func TestIDFromTextMatchesReference(t *testing.T) {
	long := strings.Repeat("a", 128)
	cases := []string{
		"", "hello", Tag("a"), "x " + Tag("a") + " y " + Tag("b") + " z",
		Tag("a") + "[llmchaos-id:]", Tag("a") + "[llmchaos-id:bad id]", "[llmchaos-id:" + long + "]",
		"[llmchaos-id:" + long + "a]", Tag("ok") + "[llmchaos-id:" + long + "a]", "[llmchaos-id:[llmchaos-id:x]]",
		"[llmchaos-id:x", "[[llmchaos-id:y]]", "\xff" + Tag("u") + "\xfe", "[llmchaos-id:a]b]", Tag("z") + "[llmchaos-id:",
	}
	for _, s := range cases {
		if got, want := IDFromText(s), refIDFromText(s); got != want {
			t.Errorf("IDFromText(%q) = %q, want %q", s, got, want)
		}
		if got, want := idFromBytes([]byte(s)), refIDFromText(s); got != want {
			t.Errorf("idFromBytes(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzIDFromText(f *testing.F) {
	f.Add("x " + Tag("a") + " y " + Tag("b"))
	f.Add("[llmchaos-id:" + strings.Repeat("a", 129) + "]")
	f.Fuzz(func(t *testing.T, s string) {
		want := refIDFromText(s)
		if got := IDFromText(s); got != want {
			t.Fatalf("IDFromText(%q) = %q, want %q", s, got, want)
		}
		if got := idFromBytes([]byte(s)); got != want {
			t.Fatalf("idFromBytes(%q) = %q, want %q", s, got, want)
		}
	})
}
