package telemetry_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/llmchaos/llmchaos/mocks/telemetry"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	"google.golang.org/protobuf/proto"
)

// BenchmarkIngestSpans measures OTLP/HTTP protobuf spans ingested per second through the
// collector mock, against bare net/http handlers that only read the body, or read and
// unmarshal it: the mock's own cost is the gap. One client posts exports of 100 spans
// (with attributes) back to back over a keep-alive connection.
func BenchmarkIngestSpans(b *testing.B) {
	const spans = 100
	req := traceRequest(spans)
	for _, sp := range req.ResourceSpans[0].ScopeSpans[0].Spans {
		for _, k := range []string{"http.method", "http.route", "llm.model", "llm.provider"} {
			sp.Attributes = append(sp.Attributes, &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: "value-of-" + k}}})
		}
	}
	body := mustProto(b, req)
	okBody := mustProto(b, &coltracepb.ExportTraceServiceResponse{})
	answer := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", telemetry.ContentTypeProtobuf)
		_, _ = w.Write(okBody)
	}

	handlers := []struct {
		name string
		h    http.Handler
	}{
		{"collector", newCollector(b).Handler()},
		{"bare-read", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			answer(w)
		})},
		{"bare-unmarshal", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			data, err := io.ReadAll(r.Body)
			var m coltracepb.ExportTraceServiceRequest
			if err == nil {
				err = proto.Unmarshal(data, &m)
			}
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			answer(w)
		})},
	}
	for _, tc := range handlers {
		b.Run(tc.name, func(b *testing.B) {
			srv := httptest.NewServer(tc.h)
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			defer client.CloseIdleConnections()
			url := srv.URL + "/v1/traces"
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				resp, err := client.Post(url, telemetry.ContentTypeProtobuf, bytes.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("status %d", resp.StatusCode)
				}
			}
			b.ReportMetric(float64(b.N*spans)/b.Elapsed().Seconds(), "spans/s")
		})
	}
}
