package telemetry_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/telemetry"
	"google.golang.org/protobuf/encoding/protowire"
)

// rpcStatusProto decodes a protobuf google.rpc.Status {code = 1, message = 2}.
func rpcStatusProto(b []byte) (code int64, msg string, ok bool) {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return 0, "", false
		}
		b = b[n:]
		switch {
		case num == 1 && typ == protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return 0, "", false
			}
			code, b = int64(v), b[n:]
		case num == 2 && typ == protowire.BytesType:
			v, n := protowire.ConsumeString(b)
			if n < 0 {
				return 0, "", false
			}
			msg, b = v, b[n:]
		default:
			return 0, "", false
		}
	}
	return code, msg, true
}

func TestBadInputIsRefusedWithRPCStatus(t *testing.T) {
	const limit = 4096
	c := newCollector(t, telemetry.WithMaxBodyBytes(limit))
	srv := serve(t, c)
	good := mustProto(t, traceRequest(3))
	truncatedGzip := gzipped(t, good)
	truncatedGzip = truncatedGzip[:len(truncatedGzip)-6]

	cases := []struct {
		name, contentType, encoding string
		body                        []byte
		want                        int
		wantCode                    int64
	}{
		{"bad protobuf", telemetry.ContentTypeProtobuf, "", []byte{0xff, 0xff, 0xff, 0xff}, 400, 3},
		{"wrong content type", "text/plain", "", good, 415, 3},
		{"no content type", "", "", good, 415, 3},
		{"garbled content type", "application/", "", good, 415, 3},
		{"over size limit", telemetry.ContentTypeProtobuf, "", bytes.Repeat([]byte{0}, limit+1), 413, 8},
		{"gzip bomb over limit", telemetry.ContentTypeProtobuf, "gzip", gzipped(t, bytes.Repeat([]byte{0}, 1<<20)), 413, 8},
		{"not gzip", telemetry.ContentTypeProtobuf, "gzip", good, 400, 3},
		{"truncated gzip", telemetry.ContentTypeProtobuf, "gzip", truncatedGzip, 400, 3},
		{"unknown encoding", telemetry.ContentTypeProtobuf, "br", good, 415, 3},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for i, tc := range cases {
		a := post(ctx, srv.URL+"/v1/traces", tc.contentType, tc.encoding, tc.body)
		if a.err != nil {
			t.Fatalf("%s: %v", tc.name, a.err)
		}
		if a.status != tc.want {
			t.Errorf("%s: status %d, want %d (body %q)", tc.name, a.status, tc.want, a.body)
			continue
		}
		switch a.header.Get("Content-Type") {
		case telemetry.ContentTypeProtobuf:
			code, msg, ok := rpcStatusProto(a.body)
			if !ok || code != tc.wantCode || msg == "" {
				t.Errorf("%s: protobuf body %x is not google.rpc.Status{code:%d, message}", tc.name, a.body, tc.wantCode)
			}
		case telemetry.ContentTypeJSON:
			if !bytes.Contains(a.body, []byte(`"message":`)) {
				t.Errorf("%s: JSON body %s has no message", tc.name, a.body)
			}
		default:
			t.Errorf("%s: content type %q", tc.name, a.header.Get("Content-Type"))
		}
		last := lastAttempt(t, c)
		if last.Seq != i+1 || last.Status != tc.want || last.Error == "" || last.Complete {
			t.Errorf("%s: journal %+v, want seq %d status %d with an error", tc.name, last, i+1, tc.want)
		}
	}
	if got := c.Counts(); got.BadRequests != int64(len(cases)) || got.Exports != 0 {
		t.Fatalf("counts %+v, want %d bad requests, no exports", got, len(cases))
	}
	// the collector still works afterwards
	if a := post(ctx, srv.URL+"/v1/traces", telemetry.ContentTypeProtobuf, "", good); a.status != 200 {
		t.Fatalf("good export after bad ones: %d %s", a.status, a.body)
	}

	for _, r := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/v1/traces", http.StatusMethodNotAllowed},
		{http.MethodPost, "/v1/nothing", http.StatusNotFound},
		{http.MethodGet, "/healthz", http.StatusOK},
	} {
		req, _ := http.NewRequestWithContext(ctx, r.method, srv.URL+r.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != r.want {
			t.Errorf("%s %s: %d, want %d", r.method, r.path, resp.StatusCode, r.want)
		}
	}
}
