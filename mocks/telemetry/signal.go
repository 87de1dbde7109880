package telemetry

import (
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricpb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	metricpb "go.opentelemetry.io/proto/otlp/metrics/v1"
	"google.golang.org/protobuf/proto"
)

// Signal names an OTLP signal.
type Signal string

// The OTLP signals and the paths they are posted to.
const (
	Traces  Signal = "traces"
	Metrics Signal = "metrics"
	Logs    Signal = "logs"
)

// Path returns the OTLP/HTTP path of s ("/v1/traces", ...).
func (s Signal) Path() string { return "/v1/" + string(s) }

// Export is one decoded export request, as WithExportHook sees it.
type Export struct {
	Signal Signal
	// Request is a *coltracepb.ExportTraceServiceRequest, *colmetricpb.ExportMetricsServiceRequest
	// or *collogspb.ExportLogsServiceRequest.
	Request proto.Message
	// Items counts its spans, data points or log records.
	Items int
	// JSON is true when the export came as OTLP/JSON.
	JSON bool
}

// signal is what the collector needs to know about one signal.
type signal struct {
	kind       Signal
	newRequest func() proto.Message
	count      func(proto.Message) int
	// response builds the Export*ServiceResponse; rejected 0 and msg "" leave partial_success out.
	response func(rejected int64, msg string) proto.Message
	tally    func(*counters) *tally
}

var signals = []signal{
	{
		kind:       Traces,
		newRequest: func() proto.Message { return &coltracepb.ExportTraceServiceRequest{} },
		count:      countSpans,
		response: func(rejected int64, msg string) proto.Message {
			r := &coltracepb.ExportTraceServiceResponse{}
			if rejected != 0 || msg != "" {
				r.PartialSuccess = &coltracepb.ExportTracePartialSuccess{RejectedSpans: rejected, ErrorMessage: msg}
			}
			return r
		},
		tally: func(c *counters) *tally { return &c.spans },
	},
	{
		kind:       Metrics,
		newRequest: func() proto.Message { return &colmetricpb.ExportMetricsServiceRequest{} },
		count:      countDataPoints,
		response: func(rejected int64, msg string) proto.Message {
			r := &colmetricpb.ExportMetricsServiceResponse{}
			if rejected != 0 || msg != "" {
				r.PartialSuccess = &colmetricpb.ExportMetricsPartialSuccess{RejectedDataPoints: rejected, ErrorMessage: msg}
			}
			return r
		},
		tally: func(c *counters) *tally { return &c.points },
	},
	{
		kind:       Logs,
		newRequest: func() proto.Message { return &collogspb.ExportLogsServiceRequest{} },
		count:      countLogRecords,
		response: func(rejected int64, msg string) proto.Message {
			r := &collogspb.ExportLogsServiceResponse{}
			if rejected != 0 || msg != "" {
				r.PartialSuccess = &collogspb.ExportLogsPartialSuccess{RejectedLogRecords: rejected, ErrorMessage: msg}
			}
			return r
		},
		tally: func(c *counters) *tally { return &c.records },
	},
}

func countSpans(m proto.Message) int {
	n := 0
	for _, rs := range m.(*coltracepb.ExportTraceServiceRequest).GetResourceSpans() {
		for _, ss := range rs.GetScopeSpans() {
			n += len(ss.GetSpans())
		}
	}
	return n
}

func countDataPoints(m proto.Message) int {
	n := 0
	for _, rm := range m.(*colmetricpb.ExportMetricsServiceRequest).GetResourceMetrics() {
		for _, sm := range rm.GetScopeMetrics() {
			for _, met := range sm.GetMetrics() {
				n += dataPoints(met)
			}
		}
	}
	return n
}

func dataPoints(m *metricpb.Metric) int {
	switch d := m.GetData().(type) {
	case *metricpb.Metric_Gauge:
		return len(d.Gauge.GetDataPoints())
	case *metricpb.Metric_Sum:
		return len(d.Sum.GetDataPoints())
	case *metricpb.Metric_Histogram:
		return len(d.Histogram.GetDataPoints())
	case *metricpb.Metric_ExponentialHistogram:
		return len(d.ExponentialHistogram.GetDataPoints())
	case *metricpb.Metric_Summary:
		return len(d.Summary.GetDataPoints())
	}
	return 0
}

func countLogRecords(m proto.Message) int {
	n := 0
	for _, rl := range m.(*collogspb.ExportLogsServiceRequest).GetResourceLogs() {
		for _, sl := range rl.GetScopeLogs() {
			n += len(sl.GetLogRecords())
		}
	}
	return n
}
