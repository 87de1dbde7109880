package telemetry

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"github.com/llmchaos/llmchaos/mocks/control"
	"io"
	"mime"
	"net/http"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// The OTLP/HTTP content types.
const (
	ContentTypeProtobuf = "application/x-protobuf"
	ContentTypeJSON     = "application/json"
)

// encoding is how an export's body is encoded; the answer uses the same.
type encoding int

const (
	encProtobuf encoding = iota
	encJSON
)

func (e encoding) contentType() string {
	if e == encJSON {
		return ContentTypeJSON
	}
	return ContentTypeProtobuf
}

// badInput is an export the collector refuses: 400, 413 or 415 with a google.rpc.Status body.
type badInput struct {
	status int
	msg    string
}

func (e *badInput) Error() string { return e.msg }

func refuse(status int, format string, a ...any) *badInput {
	return &badInput{status: status, msg: fmt.Sprintf(format, a...)}
}

// requestEncoding reads the Content-Type; application/protobuf is taken as x-protobuf.
func requestEncoding(r *http.Request) (encoding, error) {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return encJSON, refuse(http.StatusUnsupportedMediaType,
			"content type %q is not valid: send %s or %s", ct, ContentTypeProtobuf, ContentTypeJSON)
	}
	switch mt {
	case ContentTypeProtobuf, "application/protobuf":
		return encProtobuf, nil
	case ContentTypeJSON:
		return encJSON, nil
	}
	return encJSON, refuse(http.StatusUnsupportedMediaType,
		"content type %q is not supported: send %s or %s", mt, ContentTypeProtobuf, ContentTypeJSON)
}

// readBody reads the body, gunzipping it when Content-Encoding says gzip, within max bytes
// both before and after decompression and within the body read timeout. A gzip body
// needs one of the collector's decompression slots; when none is free it is refused
// (errBusy) without being read.
func (c *Collector) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	max := c.maxBody
	defer control.BodyDeadline(w, c.bodyTimeout).End()
	body := http.MaxBytesReader(w, r.Body, max)
	var src io.Reader = body
	switch ce := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); ce {
	case "", "identity":
	case "gzip":
		select {
		case c.gunzip <- struct{}{}:
			defer func() { <-c.gunzip }()
		default:
			return nil, errBusy
		}
		gz, err := gzip.NewReader(body)
		if err != nil {
			return nil, bodyError(err, max, "gzip body")
		}
		defer gz.Close()
		src = io.LimitReader(gz, max+1)
	default:
		return nil, refuse(http.StatusUnsupportedMediaType, "content encoding %q is not supported: send gzip or none", ce)
	}
	var buf bytes.Buffer
	if n := r.ContentLength; n > 0 && n <= max && src == io.Reader(body) {
		// What a request declares is not what it sends: reserve at most a modest start.
		buf.Grow(int(min(n, maxBodyPrealloc)))
	}
	if _, err := buf.ReadFrom(src); err != nil {
		return nil, bodyError(err, max, "body")
	}
	if int64(buf.Len()) > max {
		return nil, refuse(http.StatusRequestEntityTooLarge, "decompressed body is over the %d byte limit", max)
	}
	return buf.Bytes(), nil
}

// maxBodyPrealloc is the most readBody reserves up front for a declared Content-Length.
const maxBodyPrealloc = 64 << 10

// errBusy: every decompression slot is taken (WithMaxDecompressions); the export is
// answered 503 with Retry-After.
var errBusy = errors.New("every gzip decompression slot is busy")

func bodyError(err error, max int64, what string) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return refuse(http.StatusRequestEntityTooLarge, "body is over the %d byte limit", max)
	}
	if errors.Is(err, gzip.ErrHeader) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, io.ErrUnexpectedEOF) {
		return refuse(http.StatusBadRequest, "%s is not valid gzip: %v", what, err)
	}
	// the client broke off or the connection failed: not the body's fault
	return fmt.Errorf("reading %s: %w", what, err)
}

// unmarshal decodes an OTLP export body into msg.
func unmarshal(data []byte, enc encoding, msg proto.Message, sig Signal) error {
	if enc == encProtobuf {
		if err := proto.Unmarshal(data, msg); err != nil {
			return refuse(http.StatusBadRequest, "%s body is not a valid OTLP protobuf export: %v", sig, err)
		}
		return nil
	}
	fixed, err := hexIDsToBase64(data)
	if err != nil {
		return refuse(http.StatusBadRequest, "%s body is not valid OTLP/JSON: %v", sig, err)
	}
	if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(fixed, msg); err != nil {
		return refuse(http.StatusBadRequest, "%s body is not valid OTLP/JSON: %v", sig, err)
	}
	return nil
}
