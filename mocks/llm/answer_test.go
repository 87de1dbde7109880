package llm

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestVerifyWholeAnswer(t *testing.T) {
	toks := Tokens(7, "primary", "req-1", 12)
	if len(toks) != 14 {
		t.Fatalf("want head + 12 words + marker, got %d chunks", len(toks))
	}
	a, err := Verify(strings.Join(toks, ""))
	if err != nil {
		t.Fatal(err)
	}
	if a.Upstream != "primary" || a.ID != "req-1" || a.Words != 12 {
		t.Fatalf("got %+v", a)
	}
	if again := Tokens(7, "primary", "req-1", 12); strings.Join(again, "") != strings.Join(toks, "") {
		t.Fatal("answer is not deterministic")
	}
}

func TestVerifyCatchesCutAndAlteredAnswers(t *testing.T) {
	toks := Tokens(7, "secondary", "req-2", 8)
	if _, err := Verify(strings.Join(toks[:len(toks)-1], "")); err == nil || !strings.Contains(err.Error(), "cut short") {
		t.Fatalf("cut answer: err = %v", err)
	}
	missing := append(append([]string{}, toks[:3]...), toks[4:]...)
	if _, err := Verify(strings.Join(missing, "")); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Fatalf("answer missing a middle chunk: err = %v", err)
	}
	if _, err := Verify("hello"); err == nil {
		t.Fatal("non-mock text verified")
	}
	if got := ServedBy(strings.Join(toks[:2], "")); got != "secondary" {
		t.Fatalf("ServedBy on a cut answer = %q", got)
	}
}

func TestIDFromText(t *testing.T) {
	if got := IDFromText("hi " + Tag("a-1") + " then " + Tag("b-2")); got != "b-2" {
		t.Fatalf("got %q, want the last tag", got)
	}
	if got := IDFromText("no tag"); got != "" {
		t.Fatalf("got %q", got)
	}
}

// intN must draw what rand.New(pcg).IntN draws, or answers would change.
func TestIntNMatchesRand(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 64, 69, 1000, 1 << 20, 1<<31 - 1, 1 << 40, 1<<62 + 12345} {
		ref := rand.New(rand.NewPCG(3, 4))
		pcg := rand.NewPCG(3, 4)
		for i := 0; i < 2000; i++ {
			if got, want := intN(pcg, n), ref.IntN(n); got != want {
				t.Fatalf("intN(n=%d) draw %d = %d, rand.IntN = %d", n, i, got, want)
			}
		}
	}
}
