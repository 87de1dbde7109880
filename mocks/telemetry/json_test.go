package telemetry_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/telemetry"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricpb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/encoding/protojson"
)

// OTLP/JSON bodies written by hand per the OTLP spec: ids in hex (either case), enums as
// integers, 64-bit integers as strings or numbers, lowerCamelCase names, unknown fields
// to be ignored. The OTel Go metric and log exporters only send protobuf, so these bodies
// are how JSON metrics and logs are tested.
const (
	jsonTraces = `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"app"}}]},
 "scopeSpans":[{"scope":{"name":"lib"},"spans":[
  {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"root","kind":2,
   "startTimeUnixNano":"1544712660000000000","endTimeUnixNano":1544712661000000000,
   "attributes":[{"key":"n","value":{"intValue":"42"}}],"someFutureField":{"x":1}},
  {"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"0102030405060708","parentSpanId":"EEE19B7EC3C1B174","name":"child",
   "links":[{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"1112131415161718"}]}]}]}]}`
	jsonMetrics = `{"resourceMetrics":[{"scopeMetrics":[{"metrics":[
  {"name":"g","gauge":{"dataPoints":[{"asDouble":1.5,"timeUnixNano":"1"},{"asInt":"7","timeUnixNano":"2"}]}},
  {"name":"s","sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[{"asInt":"3",
     "exemplars":[{"asInt":"1","timeUnixNano":"1","traceId":"a1a2a3a4a5a6a7a8a9aaabacadaeaf00","spanId":"b1b2b3b4b5b6b7b8"}]}]}},
  {"name":"h","histogram":{"aggregationTemporality":1,"dataPoints":[{"count":"2","sum":3,"bucketCounts":["1","1"],"explicitBounds":[1]}]}}]}]}]}`
	jsonLogs = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[
  {"timeUnixNano":"1","severityNumber":9,"body":{"stringValue":"a"},"traceId":"c1c2c3c4c5c6c7c8c9cacbcccdcecf00","spanId":"d1d2d3d4d5d6d7d8"},
  {"body":{"kvlistValue":{"values":[{"key":"traceId","value":{"stringValue":"not an id, just a key named so"}}]}}},
  {"body":{"stringValue":"c"},"traceId":"","spanId":""}]}]}]}`
)

// hooked captures the decoded exports.
type hooked struct {
	mu      sync.Mutex
	exports []telemetry.Export
}

func (h *hooked) hook(e telemetry.Export) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.exports = append(h.exports, e)
}

func (h *hooked) last(t *testing.T) telemetry.Export {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.exports) == 0 {
		t.Fatal("no export reached the hook")
	}
	return h.exports[len(h.exports)-1]
}

func hexEq(t *testing.T, what string, got []byte, wantHex string) {
	t.Helper()
	if hex.EncodeToString(got) != wantHex {
		t.Fatalf("%s = %x, want %s", what, got, wantHex)
	}
}

func postJSON(t *testing.T, url, body string, gz bool) answer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, enc := []byte(body), ""
	if gz {
		b, enc = gzipped(t, b), "gzip"
	}
	a := post(ctx, url, telemetry.ContentTypeJSON, enc, b)
	if a.err != nil {
		t.Fatal(a.err)
	}
	return a
}

func TestJSONTracesDecodeHexIDs(t *testing.T) {
	h := &hooked{}
	c := newCollector(t, telemetry.WithExportHook(h.hook))
	srv := serve(t, c)
	for _, gz := range []bool{false, true} {
		a := postJSON(t, srv.URL+"/v1/traces", jsonTraces, gz)
		if a.status != http.StatusOK || a.header.Get("Content-Type") != telemetry.ContentTypeJSON {
			t.Fatalf("gzip=%v: status %d content type %q body %s", gz, a.status, a.header.Get("Content-Type"), a.body)
		}
		var resp coltracepb.ExportTraceServiceResponse
		if err := protojson.Unmarshal(a.body, &resp); err != nil {
			t.Fatalf("answer is not an OTLP/JSON ExportTraceServiceResponse: %v (%s)", err, a.body)
		}
		if resp.PartialSuccess != nil {
			t.Fatalf("unexpected partial success %v", resp.PartialSuccess)
		}
		e := h.last(t)
		if !e.JSON || e.Items != 2 {
			t.Fatalf("export JSON=%v items=%d, want JSON with 2 spans", e.JSON, e.Items)
		}
		spans := e.Request.(*coltracepb.ExportTraceServiceRequest).ResourceSpans[0].ScopeSpans[0].Spans
		hexEq(t, "root trace id", spans[0].TraceId, "5b8efff798038103d269b633813fc60c")
		hexEq(t, "root span id", spans[0].SpanId, "eee19b7ec3c1b174")
		hexEq(t, "child trace id (upper-case hex)", spans[1].TraceId, "5b8efff798038103d269b633813fc60c")
		hexEq(t, "child parent span id", spans[1].ParentSpanId, "eee19b7ec3c1b174")
		hexEq(t, "link trace id", spans[1].Links[0].TraceId, "0102030405060708090a0b0c0d0e0f10")
		hexEq(t, "link span id", spans[1].Links[0].SpanId, "1112131415161718")
		if spans[0].StartTimeUnixNano != 1544712660000000000 || spans[0].EndTimeUnixNano != 1544712661000000000 {
			t.Fatalf("64-bit times lost precision: %d %d", spans[0].StartTimeUnixNano, spans[0].EndTimeUnixNano)
		}
		if v := spans[0].Attributes[0].Value.GetIntValue(); v != 42 {
			t.Fatalf("intValue = %d, want 42", v)
		}
	}
	if got := c.Counts().Spans; got.Received != 4 || got.Accepted != 4 {
		t.Fatalf("spans = %+v, want 4 received and accepted", got)
	}
}

func TestJSONMetricsAndLogs(t *testing.T) {
	h := &hooked{}
	c := newCollector(t, telemetry.WithExportHook(h.hook))
	srv := serve(t, c)

	if a := postJSON(t, srv.URL+"/v1/metrics", jsonMetrics, false); a.status != http.StatusOK {
		t.Fatalf("metrics: status %d body %s", a.status, a.body)
	}
	m := h.last(t).Request.(*colmetricpb.ExportMetricsServiceRequest)
	ex := m.ResourceMetrics[0].ScopeMetrics[0].Metrics[1].GetSum().DataPoints[0].Exemplars[0]
	hexEq(t, "exemplar trace id", ex.TraceId, "a1a2a3a4a5a6a7a8a9aaabacadaeaf00")
	hexEq(t, "exemplar span id", ex.SpanId, "b1b2b3b4b5b6b7b8")

	a := postJSON(t, srv.URL+"/v1/logs", jsonLogs, true)
	if a.status != http.StatusOK {
		t.Fatalf("logs: status %d body %s", a.status, a.body)
	}
	var resp collogspb.ExportLogsServiceResponse
	if err := protojson.Unmarshal(a.body, &resp); err != nil {
		t.Fatalf("logs answer: %v", err)
	}
	l := h.last(t).Request.(*collogspb.ExportLogsServiceRequest)
	recs := l.ResourceLogs[0].ScopeLogs[0].LogRecords
	hexEq(t, "log trace id", recs[0].TraceId, "c1c2c3c4c5c6c7c8c9cacbcccdcecf00")
	hexEq(t, "log span id", recs[0].SpanId, "d1d2d3d4d5d6d7d8")
	if kv := recs[1].Body.GetKvlistValue().Values[0]; kv.Key != "traceId" || kv.Value.GetStringValue() != "not an id, just a key named so" {
		t.Fatalf("a kvlist key named traceId was mangled: %v", kv)
	}
	if len(recs[2].TraceId) != 0 {
		t.Fatalf("empty trace id decoded as %x", recs[2].TraceId)
	}

	got := c.Counts()
	if got.DataPoints.Received != 4 || got.DataPoints.Accepted != 4 {
		t.Fatalf("data points = %+v, want 4 (2 gauge + 1 sum + 1 histogram)", got.DataPoints)
	}
	if got.LogRecords.Received != 3 || got.LogRecords.Accepted != 3 {
		t.Fatalf("log records = %+v, want 3", got.LogRecords)
	}
}

func TestJSONBadIDsAreRefused(t *testing.T) {
	c := newCollector(t)
	srv := serve(t, c)
	for name, body := range map[string]string{
		"not hex":    `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"}]}]}]}`,
		"base64 id":  `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"eee19b7ec3c1b174"}]}]}]}`,
		"short span": `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee1"}]}]}]}`,
		"number id":  `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":12,"spanId":"eee19b7ec3c1b174"}]}]}]}`,
		"not object": `[1,2]`,
		"trailing":   `{} {}`,
		"wrong type": `{"resourceSpans":"x"}`,
	} {
		a := postJSON(t, srv.URL+"/v1/traces", body, false)
		if a.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400 (body %s)", name, a.status, a.body)
			continue
		}
		var st struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal(a.body, &st); err != nil || st.Code != 3 || st.Message == "" {
			t.Errorf("%s: body %s is not a google.rpc.Status with INVALID_ARGUMENT", name, a.body)
		}
	}
	if got := c.Counts(); got.BadRequests != 7 || got.Spans.Received != 0 {
		t.Fatalf("counts %+v, want 7 bad requests and no spans", got)
	}
}
