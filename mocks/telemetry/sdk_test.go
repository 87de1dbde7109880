package telemetry_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/telemetry"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/metric"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
)

// encodings records the Content-Type and Content-Encoding of every request it passes on,
// to prove which wire format a test exercised.
type encodings struct {
	next http.Handler
	mu   sync.Mutex
	seen map[string]int
}

func (e *encodings) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	e.seen[r.Header.Get("Content-Type")+";"+r.Header.Get("Content-Encoding")]++
	e.mu.Unlock()
	e.next.ServeHTTP(w, r)
}

func (e *encodings) count(key string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.seen[key]
}

func serveRecording(t *testing.T, c *telemetry.Collector) (*httptest.Server, *encodings) {
	t.Helper()
	rec := &encodings{next: c.Handler(), seen: map[string]int{}}
	srv := httptest.NewServer(rec)
	t.Cleanup(func() {
		_ = c.Close()
		srv.CloseClientConnections()
		srv.Close()
	})
	return srv, rec
}

// spanIDs collects, from the export hook, each received span's ids in hex.
type spanIDs struct {
	mu    sync.Mutex
	spans map[string]string // trace id + "/" + span id -> parent span id
}

func (s *spanIDs) hook(e telemetry.Export) {
	req, ok := e.Request.(*coltracepb.ExportTraceServiceRequest)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			for _, sp := range ss.Spans {
				s.spans[hex.EncodeToString(sp.TraceId)+"/"+hex.EncodeToString(sp.SpanId)] = hex.EncodeToString(sp.ParentSpanId)
			}
		}
	}
}

func (s *spanIDs) parent(tid trace.TraceID, sid trace.SpanID) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.spans[tid.String()+"/"+sid.String()]
	return p, ok
}

func TestSDKTraceExporter(t *testing.T) {
	cases := []struct {
		name        string
		opts        []otlptracehttp.Option
		contentType string
		encoding    string
	}{
		{"protobuf", nil, telemetry.ContentTypeProtobuf, ""},
		{"protobuf-gzip", []otlptracehttp.Option{otlptracehttp.WithCompression(otlptracehttp.GzipCompression)}, telemetry.ContentTypeProtobuf, "gzip"},
		{"json", []otlptracehttp.Option{otlptracehttp.WithEncoding(otlptracehttp.EncodingJSON)}, telemetry.ContentTypeJSON, ""},
		{"json-gzip", []otlptracehttp.Option{otlptracehttp.WithEncoding(otlptracehttp.EncodingJSON), otlptracehttp.WithCompression(otlptracehttp.GzipCompression)}, telemetry.ContentTypeJSON, "gzip"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ids := &spanIDs{spans: map[string]string{}}
			c := newCollector(t, telemetry.WithExportHook(ids.hook))
			srv, rec := serveRecording(t, c)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()

			exp, err := otlptracehttp.New(ctx, append([]otlptracehttp.Option{otlptracehttp.WithEndpointURL(srv.URL + "/v1/traces")}, tc.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
			defer func() { _ = tp.Shutdown(ctx) }()

			tracer := tp.Tracer("sdk-test")
			const children = 9
			rctx, root := tracer.Start(ctx, "root")
			var kids []trace.SpanContext
			for i := range children {
				_, s := tracer.Start(rctx, fmt.Sprintf("child-%d", i))
				kids = append(kids, s.SpanContext())
				s.End()
			}
			root.End()
			if err := tp.ForceFlush(ctx); err != nil {
				t.Fatalf("ForceFlush: the exporter failed against the mock: %v", err)
			}

			got := c.Counts().Spans
			if got.Received != children+1 || got.Accepted != children+1 {
				t.Fatalf("spans received/accepted = %d/%d, want %d", got.Received, got.Accepted, children+1)
			}
			if n := rec.count(tc.contentType + ";" + tc.encoding); n == 0 {
				t.Fatalf("no request came as %s with encoding %q; saw %v", tc.contentType, tc.encoding, rec.seen)
			}
			rootSC := root.SpanContext()
			if p, ok := ids.parent(rootSC.TraceID(), rootSC.SpanID()); !ok || p != "" {
				t.Fatalf("root span %s/%s: found=%v parent=%q, want found with no parent", rootSC.TraceID(), rootSC.SpanID(), ok, p)
			}
			for _, k := range kids {
				p, ok := ids.parent(k.TraceID(), k.SpanID())
				if !ok {
					t.Fatalf("child span %s/%s was not decoded with the ids the SDK sent", k.TraceID(), k.SpanID())
				}
				if p != rootSC.SpanID().String() {
					t.Fatalf("child parent span id = %q, want %q", p, rootSC.SpanID())
				}
			}
		})
	}
}

func TestSDKMetricExporter(t *testing.T) {
	for _, gz := range []bool{false, true} {
		t.Run(fmt.Sprintf("gzip=%v", gz), func(t *testing.T) {
			c := newCollector(t)
			srv, rec := serveRecording(t, c)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			opts := []otlpmetrichttp.Option{otlpmetrichttp.WithEndpointURL(srv.URL + "/v1/metrics")}
			enc := ""
			if gz {
				opts = append(opts, otlpmetrichttp.WithCompression(otlpmetrichttp.GzipCompression))
				enc = "gzip"
			}
			exp, err := otlpmetrichttp.New(ctx, opts...)
			if err != nil {
				t.Fatal(err)
			}
			mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewPeriodicReader(exp, sdkmetric.WithInterval(time.Hour))))
			defer func() { _ = mp.Shutdown(ctx) }()
			meter := mp.Meter("sdk-test")
			counter, err := meter.Int64Counter("requests")
			if err != nil {
				t.Fatal(err)
			}
			hist, err := meter.Float64Histogram("latency")
			if err != nil {
				t.Fatal(err)
			}
			for _, route := range []string{"a", "b", "c"} { // 3 counter points
				counter.Add(ctx, 1, metric.WithAttributes(attribute.String("route", route)))
			}
			for _, code := range []int{200, 500} { // 2 histogram points
				hist.Record(ctx, 0.5, metric.WithAttributes(attribute.Int("code", code)))
				hist.Record(ctx, 1.5, metric.WithAttributes(attribute.Int("code", code)))
			}
			if err := mp.ForceFlush(ctx); err != nil {
				t.Fatalf("ForceFlush: %v", err)
			}
			got := c.Counts().DataPoints
			if got.Received != 5 || got.Accepted != 5 {
				t.Fatalf("data points received/accepted = %d/%d, want 5/5", got.Received, got.Accepted)
			}
			if rec.count(telemetry.ContentTypeProtobuf+";"+enc) != 1 {
				t.Fatalf("want one protobuf export with encoding %q, saw %v", enc, rec.seen)
			}
		})
	}
}

func TestSDKLogExporter(t *testing.T) {
	for _, gz := range []bool{false, true} {
		t.Run(fmt.Sprintf("gzip=%v", gz), func(t *testing.T) {
			c := newCollector(t)
			srv, rec := serveRecording(t, c)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			opts := []otlploghttp.Option{otlploghttp.WithEndpointURL(srv.URL + "/v1/logs")}
			enc := ""
			if gz {
				opts = append(opts, otlploghttp.WithCompression(otlploghttp.GzipCompression))
				enc = "gzip"
			}
			exp, err := otlploghttp.New(ctx, opts...)
			if err != nil {
				t.Fatal(err)
			}
			lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewBatchProcessor(exp)))
			defer func() { _ = lp.Shutdown(ctx) }()
			logger := lp.Logger("sdk-test")
			const records = 7
			for i := range records {
				var r otellog.Record
				r.SetBody(attribute.StringValue(fmt.Sprintf("record %d", i)))
				r.SetSeverity(otellog.SeverityInfo)
				logger.Emit(ctx, r)
			}
			if err := lp.ForceFlush(ctx); err != nil {
				t.Fatalf("ForceFlush: %v", err)
			}
			got := c.Counts().LogRecords
			if got.Received != records || got.Accepted != records {
				t.Fatalf("log records received/accepted = %d/%d, want %d", got.Received, got.Accepted, records)
			}
			if rec.count(telemetry.ContentTypeProtobuf+";"+enc) == 0 {
				t.Fatalf("no protobuf export with encoding %q, saw %v", enc, rec.seen)
			}
		})
	}
}
