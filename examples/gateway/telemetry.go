package main

import (
	"context"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// newTracing returns the gateway's tracer and its shutdown. With an endpoint, spans go
// through a bounded BatchSpanProcessor (it drops rather than blocks when the queue is
// full) to an OTLP/HTTP exporter with a short timeout: the request path never waits on
// the collector. Without one, a no-op tracer.
func newTracing(cfg Config) (trace.Tracer, func(context.Context) error, error) {
	if cfg.OTLPEndpoint == "" {
		return noop.NewTracerProvider().Tracer(""), func(context.Context) error { return nil }, nil
	}
	exp, err := otlptracehttp.New(context.Background(),
		otlptracehttp.WithEndpointURL(cfg.OTLPEndpoint+"/v1/traces"),
		otlptracehttp.WithTimeout(cfg.ExportTimeout),
		otlptracehttp.WithRetry(otlptracehttp.RetryConfig{
			Enabled: true, InitialInterval: 200 * time.Millisecond,
			MaxInterval: time.Second, MaxElapsedTime: cfg.ExportTimeout,
		}),
	)
	if err != nil {
		return nil, nil, fmt.Errorf("telemetry: OTLP exporter for %s: %w", cfg.OTLPEndpoint, err)
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "llmchaos-gateway"))),
		sdktrace.WithBatcher(exp,
			sdktrace.WithMaxQueueSize(cfg.SpanQueue),
			sdktrace.WithMaxExportBatchSize(min(512, cfg.SpanQueue)),
			sdktrace.WithBatchTimeout(time.Second),
			sdktrace.WithExportTimeout(cfg.ExportTimeout),
		),
	)
	return tp.Tracer("llmchaos/examples/gateway"), tp.Shutdown, nil
}
