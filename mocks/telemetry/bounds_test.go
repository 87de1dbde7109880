package telemetry_test

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/internal/slowbody"
	"github.com/llmchaos/llmchaos/mocks/telemetry"
)

// TestSlowExportsAreCutOffWithoutPreallocation: exports that declare 1 MB and trickle it
// are cut off once the body read timeout passes, and the collector does not reserve the
// declared size for each.
func TestSlowExportsAreCutOffWithoutPreallocation(t *testing.T) {
	const conns, declared = 40, 1_000_000
	srv := serve(t, newCollector(t, telemetry.WithBodyReadTimeout(300*time.Millisecond)))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	ended := slowbody.Trickle(t, srv.Listener.Addr().String(), slowbody.Request{
		Path: "/v1/traces", Headers: map[string]string{"Content-Type": telemetry.ContentTypeProtobuf},
		Declared: declared, Prefix: []byte{0x0a}, Interval: 100 * time.Millisecond,
	}, conns)
	slowbody.Await(t, ended, conns, 10*time.Second)
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > conns*declared/4 {
		t.Fatalf("the collector allocated %d MB for %d slow exports that sent a few bytes each: it reserves what a request declares", grew>>20, conns)
	}
}

// TestGzipDecompressionIsBounded: while as many gzip exports as the collector decompresses
// at once (WithMaxDecompressions) are in progress, another gzip export is answered 503
// with Retry-After at once, instead of a further 8 MiB buffer; when they end, it is served.
func TestGzipDecompressionIsBounded(t *testing.T) {
	const slots = 2
	srv := serve(t, newCollector(t, telemetry.WithMaxDecompressions(slots), telemetry.WithBodyReadTimeout(2*time.Second)))
	var gzHeader bytes.Buffer
	zw := gzip.NewWriter(&gzHeader)
	_ = zw.Flush() // the 10-byte header and an empty block: the reader waits for more
	ended := slowbody.Trickle(t, srv.Listener.Addr().String(), slowbody.Request{
		Path: "/v1/traces", Headers: map[string]string{"Content-Type": telemetry.ContentTypeProtobuf, "Content-Encoding": "gzip"},
		Declared: 1_000_000, Prefix: gzHeader.Bytes(), Interval: time.Hour,
	}, slots)

	export := gzipped(t, mustProto(t, traceRequest(3)))
	send := func() *http.Response {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/traces", bytes.NewReader(export))
		req.Header.Set("Content-Type", telemetry.ContentTypeProtobuf)
		req.Header.Set("Content-Encoding", "gzip")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	eventually(t, 5*time.Second, "a gzip export answered 503 with Retry-After while every decompression slot is held", func() bool {
		resp := send()
		return resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != ""
	})
	slowbody.Await(t, ended, slots, 10*time.Second) // the slow ones are cut off: their slots free up
	eventually(t, 5*time.Second, "a gzip export served once the slots are free", func() bool {
		return send().StatusCode == http.StatusOK
	})
}
