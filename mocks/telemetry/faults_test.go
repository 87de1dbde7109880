package telemetry_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/telemetry"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// stubSpans returns n finished spans for an exporter's ExportSpans.
func stubSpans(n int) []sdktrace.ReadOnlySpan {
	stubs := make(tracetest.SpanStubs, n)
	for i := range stubs {
		stubs[i] = tracetest.SpanStub{
			Name: "op",
			SpanContext: trace.NewSpanContext(trace.SpanContextConfig{
				TraceID:    trace.TraceID{1, byte(i + 1)},
				SpanID:     trace.SpanID{2, byte(i + 1)},
				TraceFlags: trace.FlagsSampled,
			}),
			StartTime: time.Unix(1, 0),
			EndTime:   time.Unix(2, 0),
		}
	}
	return stubs.Snapshots()
}

func newTraceExporter(t *testing.T, url string, opts ...otlptracehttp.Option) *otlptrace.Exporter {
	t.Helper()
	exp, err := otlptracehttp.New(context.Background(), append([]otlptracehttp.Option{otlptracehttp.WithEndpointURL(url + "/v1/traces")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = exp.Shutdown(ctx)
	})
	return exp
}

func TestStatusFaultRetryAfterHonouredByExporter(t *testing.T) {
	c := newCollector(t)
	srv := serve(t, c)
	if _, err := c.SetFault(control.Fault{Type: control.TypeStatus, Status: 503, RetryAfter: control.Duration(time.Second), Scope: control.Scope{FirstN: 1}}); err != nil {
		t.Fatal(err)
	}
	exp := newTraceExporter(t, srv.URL, otlptracehttp.WithRetry(otlptracehttp.RetryConfig{
		Enabled: true, InitialInterval: time.Millisecond, MaxInterval: 10 * time.Millisecond, MaxElapsedTime: 30 * time.Second,
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := exp.ExportSpans(ctx, stubSpans(3)); err != nil {
		t.Fatalf("the exporter should succeed on its retry: %v", err)
	}
	j := c.Journal().Attempts()
	if len(j) != 2 {
		t.Fatalf("journal has %d attempts, want the 503 and its retry: %+v", len(j), j)
	}
	first, retry := j[0], j[1]
	if first.Status != 503 || first.Fault != string(control.ModeStatus) || first.RetryAfter != time.Second || first.Accepted != 0 {
		t.Fatalf("first attempt %+v", first)
	}
	if retry.Status != 200 || retry.Accepted != 3 || retry.Fault != "" {
		t.Fatalf("retry %+v", retry)
	}
	// the exporter waits the Retry-After (1s) rather than its 1ms backoff
	if gap := retry.Arrived.Sub(first.Arrived); gap < 950*time.Millisecond {
		t.Fatalf("retry came %s after the 503, sooner than its Retry-After of 1s", gap)
	}
	if got := c.Counts().Spans; got.Received != 6 || got.Accepted != 3 {
		t.Fatalf("spans %+v, want 6 received (twice 3) and 3 accepted", got)
	}
}

func TestStatusFaultHeaders(t *testing.T) {
	c := newCollector(t)
	srv := serve(t, c)
	no := false
	// retry_after_as ms: Retry-After in seconds and retry-after-ms.
	id, err := c.SetFault(control.Fault{Type: control.TypeStatus, Status: 429, RetryAfter: control.Duration(2500 * time.Millisecond),
		RetryAfterAs: control.RetryAfterMs, ShouldRetry: &no})
	if err != nil {
		t.Fatal(err)
	}
	a := post(context.Background(), srv.URL+"/v1/metrics", telemetry.ContentTypeJSON, "", []byte(`{}`))
	if a.status != 429 || a.header.Get("Retry-After-Ms") != "2500" || a.header.Get("X-Should-Retry") != "false" || a.header.Get("Retry-After") != "3" {
		t.Fatalf("status %d headers %v", a.status, a.header)
	}
	c.ClearFault(id)
	// retry_after_as date: Retry-After as an HTTP date.
	if _, err := c.SetFault(control.Fault{Type: control.TypeStatus, Status: 429, RetryAfter: control.Duration(2500 * time.Millisecond),
		RetryAfterAs: control.RetryAfterDate, ShouldRetry: &no}); err != nil {
		t.Fatal(err)
	}
	a = post(context.Background(), srv.URL+"/v1/metrics", telemetry.ContentTypeJSON, "", []byte(`{}`))
	if a.status != 429 || a.header.Get("X-Should-Retry") != "false" {
		t.Fatalf("status %d headers %v", a.status, a.header)
	}
	when, err := http.ParseTime(a.header.Get("Retry-After"))
	if err != nil || when.Before(time.Now()) {
		t.Fatalf("Retry-After %q should be an HTTP date in the future (%v)", a.header.Get("Retry-After"), err)
	}
	if !strings.Contains(string(a.body), `"code":8`) {
		t.Fatalf("429 body %s, want google.rpc.Status RESOURCE_EXHAUSTED in JSON", a.body)
	}
}

func TestPartialSuccessFaultReportedToExporter(t *testing.T) {
	c := newCollector(t)
	srv := serve(t, c)
	if _, err := c.SetFault(control.Fault{Type: control.TypePartialSuccess, RejectFraction: 0.5}); err != nil {
		t.Fatal(err)
	}
	exp := newTraceExporter(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := exp.ExportSpans(ctx, stubSpans(10))
	if err == nil || !strings.Contains(err.Error(), "5 spans rejected") {
		t.Fatalf("exporter error %v, want the partial success of 5 rejected spans", err)
	}
	at := lastAttempt(t, c)
	if at.Status != 200 || at.Items != 10 || at.Accepted != 5 || at.Fault != string(control.ModePartialSuccess) {
		t.Fatalf("journal %+v", at)
	}
	if got := c.Counts().Spans; got.Received != 10 || got.Accepted != 5 {
		t.Fatalf("spans %+v", got)
	}
}

func TestHangFault(t *testing.T) {
	c := newCollector(t)
	srv := serve(t, c)
	body := mustProto(t, traceRequest(1))

	id, err := c.SetFault(control.Fault{Type: control.TypeHang, Hold: control.Duration(100 * time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	a := post(context.Background(), srv.URL+"/v1/traces", telemetry.ContentTypeProtobuf, "", body)
	if a.status != http.StatusGatewayTimeout || time.Since(start) < 100*time.Millisecond {
		t.Fatalf("hang with hold: status %d after %s, want 504 after the hold", a.status, time.Since(start))
	}
	if !c.ClearFault(id) {
		t.Fatal("ClearFault")
	}

	if _, err := c.SetFault(control.Fault{Type: control.TypeHang}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	if a := post(ctx, srv.URL+"/v1/traces", telemetry.ContentTypeProtobuf, "", body); !errors.Is(a.err, context.DeadlineExceeded) {
		t.Fatalf("hang without hold: status %d err %v, want the client to give up", a.status, a.err)
	}
	eventually(t, 10*time.Second, "hang journaled", func() bool { return len(c.Journal().Attempts()) == 2 })
	if at := lastAttempt(t, c); at.Status != 0 || !at.Cut || at.Fault != string(control.ModeHang) || at.Accepted != 0 {
		t.Fatalf("journal %+v", at)
	}
}

func TestFaultsThroughAdminAPI(t *testing.T) {
	c := newCollector(t)
	srv := serve(t, c)
	if _, err := c.SetFault(control.Fault{Type: control.TypeStreamError}); !errors.Is(err, control.ErrUnsupported) {
		t.Fatalf("stream-error on the collector: %v, want ErrUnsupported", err)
	}
	do := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if st, _ := do("POST", "/_llmchaos/faults", `{"mode":"truncate"}`); st != 400 {
		t.Fatalf("unsupported fault via admin: %d", st)
	}
	if st, body := do("POST", "/_llmchaos/faults", `{"mode":"status","status":503,"first_n":1}`); st != 201 {
		t.Fatalf("set fault: %d %s", st, body)
	}
	good := mustProto(t, traceRequest(2))
	if a := post(context.Background(), srv.URL+"/v1/traces", telemetry.ContentTypeProtobuf, "", good); a.status != 503 {
		t.Fatalf("faulted export: %d", a.status)
	}
	if a := post(context.Background(), srv.URL+"/v1/traces", telemetry.ContentTypeProtobuf, "", good); a.status != 200 {
		t.Fatalf("export after first_n: %d", a.status)
	}
	if st, body := do("GET", "/_llmchaos/counts", ""); st != 200 || !strings.Contains(body, `"spans":{"received":4,"accepted":2}`) {
		t.Fatalf("counts: %d %s", st, body)
	}
	if st, body := do("GET", "/_llmchaos/journal", ""); st != 200 || strings.Count(body, `"seq"`) != 2 {
		t.Fatalf("journal: %d %s", st, body)
	}
	if st, _ := do("DELETE", "/_llmchaos/counts", ""); st != 204 || c.Counts().Spans.Received != 0 {
		t.Fatal("DELETE counts did not zero them")
	}
	if len(c.Journal().Attempts()) != 2 {
		t.Fatal("DELETE counts should leave the journal")
	}
	c.Reset()
	if len(c.Journal().Attempts()) != 0 {
		t.Fatal("Reset should empty the journal")
	}
}
