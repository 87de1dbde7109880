package llm

import (
	"bytes"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

// TestEventStreamMatchesAWSEncoder: a message the mock frames is byte for byte what the
// AWS SDK's own eventstream.Encoder writes for the same headers and payload.
func TestEventStreamMatchesAWSEncoder(t *testing.T) {
	headers := []esHeader{{":event-type", "contentBlockDelta"}, {":content-type", "application/json"}, {":message-type", "event"}}
	payload := []byte(`{"contentBlockIndex":0,"delta":{"text":" lorem"}}`)
	got := appendESMessage(nil, esHeaderBlock(headers...), payload)

	var msg eventstream.Message
	for _, h := range headers {
		msg.Headers.Set(h.name, eventstream.StringValue(h.value))
	}
	msg.Payload = payload
	var want bytes.Buffer
	if err := eventstream.NewEncoder().Encode(&want, msg); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("framing differs from the AWS encoder:\n got % x\nwant % x", got, want.Bytes())
	}
}

// TestBrokenEventStreamMessage: a malformed frame keeps its CRCs (the AWS decoder reads
// it) and carries half the JSON.
func TestBrokenEventStreamMessage(t *testing.T) {
	hdr := esHeaderBlock(esHeader{":event-type", "contentBlockDelta"})
	b := appendESMessage(nil, hdr, []byte(`{"a":1}`))
	whole := `{"contentBlockIndex":0,"delta":{"text":"x"}}`
	b = appendESMessage(b, hdr, []byte(whole))
	b = breakESMessage(b)
	r := bytes.NewReader(b)
	dec := eventstream.NewDecoder()
	first, err := dec.Decode(r, nil)
	if err != nil || string(first.Payload) != `{"a":1}` {
		t.Fatalf("first message: %q %v", first.Payload, err)
	}
	second, err := dec.Decode(r, nil)
	if err != nil || string(second.Payload) != whole[:len(whole)/2] {
		t.Fatalf("broken message: %q %v: want half the JSON in a frame whose CRCs check", second.Payload, err)
	}
}

// FuzzEventStreamRoundTrip: whatever the headers' strings and the payload, the AWS SDK's
// decoder reads back exactly what the mock framed.
func FuzzEventStreamRoundTrip(f *testing.F) {
	f.Add(":event-type", "messageStart", ":message-type", "event", []byte(`{"role":"assistant"}`))
	f.Add(":exception-type", "throttlingException", ":content-type", "application/json", []byte(`{"message":"Too many requests"}`))
	f.Add("x", "", "y", "z", []byte{})
	f.Fuzz(func(t *testing.T, n1, v1, n2, v2 string, payload []byte) {
		if n1 == "" || n2 == "" || n1 == n2 || len(n1) > 255 || len(n2) > 255 || len(v1) > esMaxHeaderValue || len(v2) > esMaxHeaderValue {
			t.Skip("not a header set the framing allows")
		}
		b := appendESMessage([]byte("prefix"), esHeaderBlock(esHeader{n1, v1}, esHeader{n2, v2}), payload)
		msg, err := eventstream.NewDecoder().Decode(bytes.NewReader(b[len("prefix"):]), nil)
		if err != nil {
			t.Fatalf("AWS decoder: %v", err)
		}
		if !bytes.Equal(msg.Payload, payload) && len(payload)+len(msg.Payload) > 0 {
			t.Fatalf("payload %q, want %q", msg.Payload, payload)
		}
		if len(msg.Headers) != 2 {
			t.Fatalf("headers %v", msg.Headers)
		}
		for _, h := range []esHeader{{n1, v1}, {n2, v2}} {
			if got := msg.Headers.Get(h.name); got == nil || got.String() != h.value {
				t.Fatalf("header %q = %v, want %q", h.name, got, h.value)
			}
		}
		if esLastMessage(b[len("prefix"):]) != 0 {
			t.Fatalf("esLastMessage did not find the one message")
		}
	})
}
