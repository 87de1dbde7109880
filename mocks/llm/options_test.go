package llm

import (
	"strings"
	"testing"
	"time"
)

// TestNewRejectsBadOptions: a value New cannot use is an error naming the option, never
// a panic or a silent clamp.
func TestNewRejectsBadOptions(t *testing.T) {
	cases := []struct {
		opt  Option
		want string
	}{
		{WithAnswerWords(0), "WithAnswerWords"},
		{WithAnswerWords(100_000_000), "100000"}, // issue 14: said the limit, never allocated 6 GB
		{WithTTFT(-time.Second), "WithTTFT"},
		{WithTokenDelay(-time.Millisecond), "WithTokenDelay"},
		{WithMaxBodyBytes(0), "WithMaxBodyBytes"},
		{WithClock(nil), "WithClock"},
		{WithName(""), "WithName"},
	}
	for _, c := range cases {
		if s, err := New(c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%s): %v, %v; want an error naming %s", c.want, s, err, c.want)
		}
	}
	s, err := New(WithAnswerWords(1), WithTTFT(0), WithMaxBodyBytes(1))
	if err != nil || s.words != 1 {
		t.Fatalf("New with the smallest good values: %v", err)
	}
	if _, err := New(WithAnswerWords(MaxAnswerWords)); err != nil {
		t.Fatalf("New(WithAnswerWords(MaxAnswerWords)): %v", err)
	}
}
