package telemetry_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/llmchaos/llmchaos/mocks/telemetry"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
)

var fuzzPaths = []string{"/v1/traces", "/v1/metrics", "/v1/logs"}

// fuzzExport posts body to every signal path and fails unless each answer is 2xx or 4xx.
func fuzzExport(t *testing.T, c *telemetry.Collector, contentType string, gz bool, body []byte) {
	for _, p := range fuzzPaths {
		req := httptest.NewRequest(http.MethodPost, p, bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		if gz {
			req.Header.Set("Content-Encoding", "gzip")
		}
		rec := httptest.NewRecorder()
		c.ServeHTTP(rec, req)
		if rec.Code < 200 || rec.Code >= 500 || (rec.Code >= 300 && rec.Code < 400) {
			t.Fatalf("%s (gzip=%v): status %d for body %q; answer %q", p, gz, rec.Code, body, rec.Body.Bytes())
		}
	}
}

func FuzzExportProtobuf(f *testing.F) {
	f.Add(mustProto(f, traceRequest(3)), false)
	f.Add(gzipped(f, mustProto(f, traceRequest(2))), true)
	f.Add(mustProto(f, &collogspb.ExportLogsServiceRequest{ResourceLogs: []*logspb.ResourceLogs{{
		ScopeLogs: []*logspb.ScopeLogs{{LogRecords: []*logspb.LogRecord{{SeverityText: "INFO"}}}},
	}}}), false)
	f.Add([]byte{}, false)
	f.Add([]byte{0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f}, false)
	f.Add([]byte{0x1f, 0x8b, 0x08, 0x00}, true)
	c := newCollector(f, telemetry.WithMaxBodyBytes(1<<16))
	f.Fuzz(func(t *testing.T, body []byte, gz bool) {
		fuzzExport(t, c, telemetry.ContentTypeProtobuf, gz, body)
	})
}

func FuzzExportJSON(f *testing.F) {
	for _, s := range []string{
		jsonTraces, jsonMetrics, jsonLogs, `{}`, `[]`, `null`, `"x"`, `{"resourceSpans":null}`,
		`{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz","spanId":7}]}]}]}`,
		`{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"gauge":{"dataPoints":[{"asInt":"99999999999999999999"}]}}]}]}]}`,
		`{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"arrayValue":{"values":[{"kvlistValue":{}}]}}}]}]}]}`,
	} {
		f.Add([]byte(s), false)
	}
	f.Add(gzipped(f, []byte(jsonTraces)), true)
	c := newCollector(f, telemetry.WithMaxBodyBytes(1<<16))
	f.Fuzz(func(t *testing.T, body []byte, gz bool) {
		fuzzExport(t, c, telemetry.ContentTypeJSON, gz, body)
	})
}
