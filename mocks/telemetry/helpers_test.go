package telemetry_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/telemetry"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// newCollector returns telemetry.New(opts...) or fails the test.
func newCollector(t testing.TB, opts ...telemetry.Option) *telemetry.Collector {
	t.Helper()
	c, err := telemetry.New(opts...)
	if err != nil {
		t.Fatalf("telemetry.New: %v", err)
	}
	return c
}

// serve starts c behind a loopback server and stops both when the test ends.
func serve(t testing.TB, c *telemetry.Collector) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(c.Handler())
	t.Cleanup(func() {
		_ = c.Close() // releases held exports so Close below does not wait for them
		srv.CloseClientConnections()
		srv.Close()
	})
	return srv
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", within, what)
		}
		<-tick.C
	}
}

// traceRequest builds an export of n spans in one resource and scope.
func traceRequest(n int) *coltracepb.ExportTraceServiceRequest {
	spans := make([]*tracepb.Span, n)
	for i := range spans {
		spans[i] = &tracepb.Span{
			TraceId:           bytes.Repeat([]byte{byte(i + 1)}, 16),
			SpanId:            bytes.Repeat([]byte{byte(i + 1)}, 8),
			Name:              "op",
			Kind:              tracepb.Span_SPAN_KIND_CLIENT,
			StartTimeUnixNano: 1,
			EndTimeUnixNano:   2,
		}
	}
	return &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
		ScopeSpans: []*tracepb.ScopeSpans{{Spans: spans}},
	}}}
}

func mustProto(t testing.TB, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gzipped(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type answer struct {
	status int
	header http.Header
	body   []byte
	err    error
}

// post sends body to url with the given content type and encoding ("" for none).
func post(ctx context.Context, url, contentType, contentEncoding string, body []byte) answer {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return answer{err: err}
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if contentEncoding != "" {
		req.Header.Set("Content-Encoding", contentEncoding)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: b, err: err}
}

// postAsync posts in the background; the answer arrives on the channel.
func postAsync(ctx context.Context, wg *sync.WaitGroup, url string, body []byte) <-chan answer {
	ch := make(chan answer, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		ch <- post(ctx, url, telemetry.ContentTypeProtobuf, "", body)
	}()
	return ch
}

// lastAttempt returns the journal's newest attempt.
func lastAttempt(t testing.TB, c *telemetry.Collector) control.Attempt {
	t.Helper()
	all := c.Journal().Attempts()
	if len(all) == 0 {
		t.Fatal("journal is empty")
	}
	return all[len(all)-1]
}
