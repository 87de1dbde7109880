package load

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// protoSSEEvent is one server-sent event: its type (the event field, "" if none) and data
// (data lines joined by "\n").
type protoSSEEvent struct {
	name string
	data string
}

// errProtoSSEMalformed marks a stream that is not valid server-sent events.
var errProtoSSEMalformed = errors.New("malformed event stream")

// protoSSEMaxLine bounds one line of an event stream.
const protoSSEMaxLine = 1 << 20

// protoSSEReader reads server-sent events strictly: only data, event, id and retry fields,
// comments and blank lines are allowed.
type protoSSEReader struct {
	r *bufio.Reader
}

func newProtoSSEReader(r io.Reader) *protoSSEReader {
	return &protoSSEReader{r: bufio.NewReaderSize(r, 32<<10)}
}

// next returns the next event. At the end of the body it returns io.EOF (an event not
// closed by a blank line is dropped, as the SSE spec says: it was cut). A line that is not
// an SSE field gives an error wrapping errProtoSSEMalformed; a read error is returned as is.
func (s *protoSSEReader) next() (protoSSEEvent, error) {
	var ev protoSSEEvent
	var data []string
	have := false
	for {
		line, err := s.line()
		if err != nil {
			return protoSSEEvent{}, err
		}
		if line == "" {
			if have {
				ev.data = strings.Join(data, "\n")
				return ev, nil
			}
			continue
		}
		if line[0] == ':' {
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "data":
			data = append(data, value)
			have = true
		case "event":
			ev.name = value
			have = true
		case "id", "retry":
		default:
			return protoSSEEvent{}, fmt.Errorf("%w: line %q is not an SSE field", errProtoSSEMalformed, driverClip(line, 80))
		}
	}
}

// line returns one line without its line ending.
func (s *protoSSEReader) line() (string, error) {
	var buf []byte
	for {
		chunk, err := s.r.ReadSlice('\n')
		buf = append(buf, chunk...)
		if err == bufio.ErrBufferFull {
			if len(buf) > protoSSEMaxLine {
				return "", fmt.Errorf("%w: a line is longer than %d bytes", errProtoSSEMalformed, protoSSEMaxLine)
			}
			continue
		}
		if err != nil {
			// A last line without its newline was cut: it does not count.
			return "", err
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		return string(buf), nil
	}
}
