package sut

import (
	"bufio"
	"bytes"
	"io"
	"sync"
)

// logRing is a goroutine-safe ring of the last lines an app printed.
type logRing struct {
	mu    sync.Mutex
	lines []string
	next  int // where the next line goes once the ring is full
	full  bool
	max   int
}

func newLogRing(max int) *logRing {
	if max <= 0 {
		max = DefaultLogTail
	}
	return &logRing{lines: make([]string, 0, min(max, 64)), max: max}
}

// Add appends one line, dropping the oldest when the ring is full.
func (l *logRing) Add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.full {
		l.lines = append(l.lines, line)
		if len(l.lines) == l.max {
			l.full = true
		}
		return
	}
	l.lines[l.next] = line
	l.next = (l.next + 1) % l.max
}

// Lines returns a copy of the kept lines, oldest first.
func (l *logRing) Lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, 0, len(l.lines))
	if l.full {
		out = append(out, l.lines[l.next:]...)
		out = append(out, l.lines[:l.next]...)
		return out
	}
	return append(out, l.lines...)
}

// Write makes logRing an io.Writer for log.Logger: each write is one or more lines.
func (l *logRing) Write(p []byte) (int, error) {
	for _, line := range bytes.Split(bytes.TrimRight(p, "\n"), []byte("\n")) {
		l.Add(string(line))
	}
	return len(p), nil
}

// readLines reads r line by line into log (and tee, when set) until r ends. A line longer
// than maxLine keeps its first maxLine bytes.
func readLines(r io.Reader, log *logRing, tee io.Writer, maxLine int) {
	br := bufio.NewReaderSize(r, 4096)
	var buf []byte
	for {
		chunk, isPrefix, err := br.ReadLine()
		if len(chunk) > 0 && len(buf) < maxLine {
			buf = append(buf, chunk[:min(len(chunk), maxLine-len(buf))]...)
		}
		if err != nil {
			if len(buf) > 0 {
				emitLine(buf, log, tee)
			}
			return
		}
		if isPrefix {
			continue
		}
		emitLine(buf, log, tee)
		buf = buf[:0]
	}
}

func emitLine(b []byte, log *logRing, tee io.Writer) {
	line := string(bytes.TrimRight(b, "\r"))
	log.Add(line)
	if tee != nil {
		_, _ = io.WriteString(tee, line+"\n")
	}
}
