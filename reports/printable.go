package reports

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Printable returns s with every control character escaped as Go writes it in a string
// literal (ESC as \x1b, BEL as \x07, NUL as \x00, the C1 CSI as \u009b), and so are
// invalid UTF-8 bytes and the bidirectional overrides (U+202A-U+202E, U+2066-U+2069) that
// reorder what a reader sees. Tab and newline stay. Text from an app's log, an error or a
// phase name then cannot clear a terminal, ring its bell or rewrite a report's lines.
func Printable(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, n) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case needsEscape(r, n) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case needsEscape(r, n):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// needsEscape: a C0 control but tab and newline, DEL, a C1 control, a bidi override or
// embedding, or a byte that is not UTF-8.
func needsEscape(r rune, n int) bool {
	switch {
	case r == utf8.RuneError && n == 1:
		return true
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
