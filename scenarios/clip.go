package scenarios

import (
	"fmt"
	"unicode/utf8"
)

// maxMessageBytes bounds an error message: a message quoting a huge value (a 100 KB SLO)
// keeps its start and its end (what to do) and says how much was cut.
const maxMessageBytes = 1000

// clipMessage cuts the middle of s when it is longer than maxMessageBytes.
func clipMessage(s string) string {
	if len(s) <= maxMessageBytes {
		return s
	}
	head, tail := maxMessageBytes*2/3, maxMessageBytes/4
	for head > 0 && !utf8.RuneStart(s[head]) {
		head--
	}
	start := len(s) - tail
	for start < len(s) && !utf8.RuneStart(s[start]) {
		start++
	}
	return fmt.Sprintf("%s…(%d bytes cut)…%s", s[:head], start-head, s[start:])
}
