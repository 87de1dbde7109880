package load

import (
	"errors"
	"io"
)

var (
	_ sseStream = (*responsesStream)(nil)
	_ sseStream = (*anthropicStream)(nil)
)

// sseStream is one streamed dialect's state while its events are read: what it has
// seen so far, judged (decoded), and how it takes one event (event; done is true with
// the judgement when the stream is over).
type sseStream interface {
	decoded(outcome Outcome, detail string) protoDecoded
	event(ev protoSSEEvent, wantCalls bool) (protoDecoded, bool)
}

// decodeSSEStream reads body's SSE events into st until st says the stream is over. A
// stream that ends first is incomplete with endDetail, a malformed one is malformed, and
// a read error is returned as the decode's readErr with what was seen before it.
func decodeSSEStream(body io.Reader, st sseStream, wantCalls bool, endDetail string) protoDecoded {
	sse := newProtoSSEReader(body)
	for {
		ev, err := sse.next()
		switch {
		case err == io.EOF:
			return st.decoded(OutcomeIncomplete, endDetail)
		case errors.Is(err, errProtoSSEMalformed):
			return st.decoded(OutcomeMalformed, err.Error())
		case err != nil:
			d := st.decoded("", "")
			d.readErr = err
			return d
		}
		if d, done := st.event(ev, wantCalls); done {
			return d
		}
	}
}
