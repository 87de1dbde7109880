package llm

import (
	"bytes"
	"unicode/utf8"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// A streamed answer is its start (appendStart), its pieces, and its end (appendEnd). The
// pieces of a text answer are its tokens; those of a tool-call answer are, for each
// call, its opening (the name), the fragments of its argument JSON and its close. Stream
// faults strike at a piece index (cutAt), so they cut text and tool calls alike.

// pieceKind says what a piece is.
type pieceKind uint8

const (
	pieceText pieceKind = iota
	pieceToolStart
	pieceToolArgs
	pieceToolEnd
)

// piece is one step of a streamed answer.
type piece struct {
	kind pieceKind
	call int    // the tool call it belongs to
	text string // the token, or the argument fragment
}

// DefaultArgumentFragment is the most bytes of argument JSON one stream piece carries
// (providers stream arguments a few characters at a time).
const DefaultArgumentFragment = 8

// toolPieces returns the pieces of a tool-call answer.
func toolPieces(calls []toolCall) []piece {
	var out []piece
	for i, tc := range calls {
		out = append(out, piece{kind: pieceToolStart, call: i})
		for _, frag := range fragments(tc.arguments, DefaultArgumentFragment) {
			out = append(out, piece{kind: pieceToolArgs, call: i, text: frag})
		}
		out = append(out, piece{kind: pieceToolEnd, call: i})
	}
	return out
}

// fragments splits s into pieces of at most n bytes, never inside a UTF-8 sequence.
func fragments(s string, n int) []string {
	var out []string
	for len(s) > 0 {
		k := min(n, len(s))
		for k < len(s) && k > 0 && !utf8.RuneStart(s[k]) {
			k--
		}
		if k == 0 {
			_, k = utf8.DecodeRuneInString(s)
		}
		out = append(out, s[:k])
		s = s[k:]
	}
	return out
}

// pieceCount is the number of pieces of c's answer.
func (c *call) pieceCount() int {
	if c.calls != nil {
		return len(c.pieces)
	}
	return len(c.toks)
}

// piece returns piece i of c's answer.
func (c *call) piece(i int) piece {
	if c.calls != nil {
		return c.pieces[i]
	}
	return piece{kind: pieceText, text: c.toks[i]}
}

// cutAt is the piece index at which f ends or breaks a stream of c's answer, -1 when f
// does not touch the stream. It is at most pieceCount()-1, so the end never goes out
// under a fault that cuts: stream-error, truncate, malformed, response-failed,
// response-incomplete and content-filter (output) strike after AfterChunks pieces; stall
// after at least one; tool-call-cut right after the first call's opening (cut_at: name)
// or halfway through its argument fragments, and never on a text answer.
func cutAt(f control.Fault, c *call) int {
	last := c.pieceCount() - 1
	switch f.Mode() {
	case control.ModeTruncate, control.ModeStreamError, control.ModeMalformed,
		control.ModeResponseFailed, control.ModeResponseIncomplete:
		return min(f.AfterChunks, last)
	case control.ModeContentFilter:
		if f.Filtered == control.FilterOutput {
			return min(f.AfterChunks, last)
		}
	case control.ModeStall:
		return min(max(f.AfterChunks, 1), last)
	case control.ModeToolCallCut:
		if c.calls == nil {
			return -1
		}
		return min(toolCut(f.CutAt, c), last)
	}
	return -1
}

// toolCut is where tool-call-cut strikes in a tool-call answer (see cutAt).
func toolCut(at control.CutAt, c *call) int {
	args := 0
	for _, p := range c.pieces {
		if p.call == 0 && p.kind == pieceToolArgs {
			args++
		}
	}
	if at == control.CutAtName {
		return 1
	}
	return 1 + max(1, args/2)
}

// cutArguments is what a client holds of call 0's arguments when a tool-call-cut fault
// strikes (for a whole, not streamed, answer): nothing after the name, half the JSON
// inside the arguments.
func cutArguments(at control.CutAt, args string) string {
	if at == control.CutAtName {
		return ""
	}
	frags := fragments(args, DefaultArgumentFragment)
	n := max(1, len(frags)/2)
	var b bytes.Buffer
	for _, f := range frags[:min(n, len(frags))] {
		b.WriteString(f)
	}
	return b.String()
}

// malformedChunk breaks an encoded stream chunk: its last data line is cut halfway, so it
// is not JSON, and the event still ends with a blank line.
func malformedChunk(b []byte) []byte {
	b = bytes.TrimRight(b, "\n")
	i := bytes.LastIndex(b, []byte("data: "))
	if i < 0 {
		return append(b, "\n\n"...)
	}
	data := i + len("data: ")
	b = b[:data+(len(b)-data)/2]
	return append(b, "\n\n"...)
}
