package telemetry

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// gRPC status codes used in google.rpc.Status bodies.
const (
	codeInvalidArgument   = 3
	codeResourceExhausted = 8
	codeInternal          = 13
	codeUnavailable       = 14
)

// rpcCode maps an HTTP status to the gRPC code OTLP pairs with it.
func rpcCode(status int) int32 {
	switch status {
	case http.StatusBadRequest, http.StatusUnsupportedMediaType:
		return codeInvalidArgument
	case http.StatusTooManyRequests, http.StatusRequestEntityTooLarge:
		return codeResourceExhausted
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return codeUnavailable
	}
	return codeInternal
}

// rpcStatus encodes a google.rpc.Status {code, message} in enc.
func rpcStatus(enc encoding, code int32, msg string) []byte {
	if enc == encJSON {
		b, _ := json.Marshal(struct {
			Code    int32  `json:"code"`
			Message string `json:"message"`
		}{code, msg})
		return b
	}
	var b []byte
	b = protowire.AppendTag(b, 1, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(code))
	b = protowire.AppendTag(b, 2, protowire.BytesType)
	return protowire.AppendString(b, msg)
}

// writeBody writes status and body with enc's content type and notes them in a.
func writeBody(w http.ResponseWriter, a *control.Attempt, enc encoding, status int, body []byte) {
	w.Header().Set("Content-Type", enc.contentType())
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	n, err := w.Write(body)
	a.Status = status
	a.Bytes = int64(n)
	a.Complete = err == nil && status >= 200 && status < 300
}

// writeError answers status with a google.rpc.Status body carrying msg.
func writeError(w http.ResponseWriter, a *control.Attempt, enc encoding, status int, msg string) {
	writeBody(w, a, enc, status, rpcStatus(enc, rpcCode(status), msg))
}

// writeResponse answers 200 with an Export*ServiceResponse in enc.
func writeResponse(w http.ResponseWriter, a *control.Attempt, enc encoding, resp proto.Message) {
	var body []byte
	var err error
	if enc == encJSON {
		body, err = protojson.Marshal(resp)
	} else {
		body, err = proto.Marshal(resp)
	}
	if err != nil {
		writeError(w, a, enc, http.StatusInternalServerError, "encoding the response: "+err.Error())
		return
	}
	writeBody(w, a, enc, http.StatusOK, body)
}

// setRetryAfter writes the Retry-After headers f asks for and returns the delay asked.
func setRetryAfter(h http.Header, f control.Fault) time.Duration {
	d := f.RetryAfter.D()
	if f.ShouldRetry != nil {
		h.Set("X-Should-Retry", strconv.FormatBool(*f.ShouldRetry))
	}
	if d <= 0 {
		return 0
	}
	if f.RetryAfterDate {
		h.Set("Retry-After", time.Now().Add(d).UTC().Format(http.TimeFormat))
	} else {
		h.Set("Retry-After", strconv.FormatInt(ceilSeconds(d), 10))
	}
	if f.RetryAfterMs {
		h.Set("Retry-After-Ms", strconv.FormatInt(int64(math.Ceil(float64(d)/float64(time.Millisecond))), 10))
	}
	return d
}

func ceilSeconds(d time.Duration) int64 {
	return int64(math.Ceil(d.Seconds()))
}
