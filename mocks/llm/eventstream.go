package llm

import (
	"encoding/binary"
	"hash/crc32"
)

// The AWS event-stream binary framing (application/vnd.amazon.eventstream), which
// Bedrock's ConverseStream answers in. One message is
//
//	prelude: total length (uint32 BE), headers length (uint32 BE), CRC32 of those 8 bytes
//	headers: per header a name length (1 byte), the name, a value type (1 byte; 7 is a
//	         string), the value length (uint16 BE), the value
//	payload: the event's JSON
//	message CRC32 over everything before it (prelude and its CRC included)
//
// CRC32 is IEEE. Sources: the AWS SDK for Go v2's aws/protocol/eventstream package
// (encode.go, decode.go, message.go), whose Decoder the fuzz target decodes with.

// Event-stream framing sizes.
const (
	esPreludeLen = 8                    // total length and headers length
	esMinLen     = esPreludeLen + 4 + 4 // the prelude, its CRC and the message CRC
	esStringType = 7                    // a header value of type string
	// esMaxHeaderValue is the longest value a header may hold (2^15-1, as the AWS decoder reads).
	esMaxHeaderValue = 1<<15 - 1
)

// esHeader is one event-stream header with a string value.
type esHeader struct{ name, value string }

// appendESHeaders appends hs in the wire form. A name is at most 255 bytes and a value
// at most esMaxHeaderValue: the mock's headers are constants well within both.
func appendESHeaders(b []byte, hs ...esHeader) []byte {
	for _, h := range hs {
		b = append(b, byte(len(h.name)))
		b = append(b, h.name...)
		b = append(b, esStringType)
		b = binary.BigEndian.AppendUint16(b, uint16(len(h.value)))
		b = append(b, h.value...)
	}
	return b
}

// esHeaderBlock is the encoded headers of one kind of message.
func esHeaderBlock(hs ...esHeader) string { return string(appendESHeaders(nil, hs...)) }

// beginESMessage appends a message's prelude (to be filled by endESMessage) and its
// encoded headers, and returns where the message starts. The caller then appends the
// payload and calls endESMessage.
func beginESMessage(b []byte, headers string) ([]byte, int) {
	start := len(b)
	b = append(b, make([]byte, esPreludeLen+4)...)
	return append(b, headers...), start
}

// endESMessage fills the prelude of the message begun at start with headersLen bytes
// of headers, and appends the message CRC.
func endESMessage(b []byte, start, headersLen int) []byte {
	total := len(b) - start + 4
	binary.BigEndian.PutUint32(b[start:], uint32(total))
	binary.BigEndian.PutUint32(b[start+4:], uint32(headersLen))
	binary.BigEndian.PutUint32(b[start+8:], crc32.ChecksumIEEE(b[start:start+esPreludeLen]))
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
}

// appendESMessage appends one whole message: headers (encoded) and payload.
func appendESMessage(b []byte, headers string, payload []byte) []byte {
	b, start := beginESMessage(b, headers)
	b = append(b, payload...)
	return endESMessage(b, start, len(headers))
}

// esLastMessage returns where the last whole message in b starts, -1 if b holds none
// (b is a sequence of messages the mock wrote).
func esLastMessage(b []byte) int {
	last := -1
	for i := 0; i+esMinLen <= len(b); {
		n := int(binary.BigEndian.Uint32(b[i:]))
		if n < esMinLen || i+n > len(b) {
			break
		}
		last = i
		i += n
	}
	return last
}

// breakESMessage rewrites the last message of b with its payload cut in half: a frame
// whose CRCs are right and whose JSON is not (a malformed fault).
func breakESMessage(b []byte) []byte {
	i := esLastMessage(b)
	if i < 0 {
		return b
	}
	headersLen := int(binary.BigEndian.Uint32(b[i+4:]))
	payload := b[i+esPreludeLen+4+headersLen : len(b)-4]
	headers := string(b[i+esPreludeLen+4 : i+esPreludeLen+4+headersLen])
	cut := append([]byte(nil), payload[:len(payload)/2]...)
	return appendESMessage(b[:i], headers, cut)
}
