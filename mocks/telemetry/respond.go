package telemetry

import (
	"encoding/json"
	"net/http"
	"strconv"

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
