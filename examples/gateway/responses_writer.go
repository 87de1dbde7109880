package main

import (
	"encoding/json"
	"io"
	"net/http"
)

// responseWriter is a responseSink on the client's connection. A stream's events are
// held until the first response.output_text.delta, then written with everything held
// before it; an answer with no text (a tool call) is held to its end and written by
// flushAll when the attempt succeeded. The event names and data go out as they came.
type responseWriter struct {
	w        http.ResponseWriter
	upstream string
	stream   bool
	held     [][2][]byte
	sent     bool
	gone     bool
	onCommit func()
	onEvent  func()
}

var _ responseSink = (*responseWriter)(nil)

func newResponseWriter(w http.ResponseWriter, upstream string, stream bool) *responseWriter {
	return &responseWriter{w: w, upstream: upstream, stream: stream}
}

func (o *responseWriter) committed() bool { return o.sent }

func (o *responseWriter) event(typ string, data []byte) bool {
	if o.onEvent != nil {
		defer o.onEvent()
	}
	if !o.sent {
		o.held = append(o.held, [2][]byte{[]byte(typ), append([]byte(nil), data...)})
		if typ != "response.output_text.delta" {
			return true
		}
		o.commit()
		return !o.gone
	}
	o.write(typ, data)
	return !o.gone
}

// commit sends the headers and the events held so far.
func (o *responseWriter) commit() {
	h := o.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Upstream", o.upstream)
	o.w.WriteHeader(http.StatusOK)
	o.sent = true
	for _, e := range o.held {
		o.write(string(e[0]), e[1])
	}
	o.held = nil
	if o.onCommit != nil {
		o.onCommit()
	}
}

// end writes a stream held to its end (an answer without text).
func (o *responseWriter) end() {
	if !o.sent && o.stream {
		o.commit()
	}
}

func (o *responseWriter) write(typ string, data []byte) {
	if o.gone {
		return
	}
	_, err := io.WriteString(o.w, "event: "+typ+"\ndata: ")
	if err == nil {
		_, err = o.w.Write(data)
	}
	if err == nil {
		_, err = io.WriteString(o.w, "\n\n")
	}
	if f, ok := o.w.(http.Flusher); ok && err == nil {
		f.Flush()
	}
	o.gone = err != nil
}

func (o *responseWriter) whole(body []byte) {
	h := o.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Upstream", o.upstream)
	o.w.WriteHeader(http.StatusOK)
	o.sent = true
	_, _ = o.w.Write(body)
}

// fail ends a stream that could not complete after its first byte: an error event, no
// terminal event.
func (o *responseWriter) fail(msg string) {
	b, _ := json.Marshal(map[string]any{"type": "error", "sequence_number": 0,
		"error": map[string]any{"type": "server_error", "code": "upstream_stream_error", "message": msg, "param": nil}})
	o.write("error", b)
}
