package telemetry_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/telemetry"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// TestOverloadBatchSpanProcessorDropsRatherThanBlocks shows what a telemetry-overload
// scenario relies on: when the collector is past capacity and stalls exports, an app using
// the OTel SDK's batch span processor keeps going at full speed and loses spans instead.
func TestOverloadBatchSpanProcessorDropsRatherThanBlocks(t *testing.T) {
	var firstOnce sync.Once
	firstExport := make(chan struct{})
	c := newCollector(t,
		telemetry.WithCapacity(telemetry.Capacity{Concurrency: 1, ServiceTime: hour, Overload: telemetry.OverloadStall}),
		telemetry.WithExportHook(func(telemetry.Export) { firstOnce.Do(func() { close(firstExport) }) }),
	)
	srv := serve(t, c)

	// Another client holds the collector's only slot, so every export the app makes is
	// past capacity and stalls until the exporter's own timeout.
	var wg sync.WaitGroup
	defer wg.Wait()
	ctxHog, cancelHog := context.WithCancel(context.Background())
	defer cancelHog()
	postAsync(ctxHog, &wg, srv.URL+"/v1/traces", mustProto(t, traceRequest(1)))
	eventually(t, 10*time.Second, "the hog in service", func() bool { return c.Counts().Active == 1 })
	c.Reset() // count only the app's exports from here

	const stall = 2 * time.Second // how long the exporter waits on a stalled export
	exp, err := otlptracehttp.New(context.Background(),
		otlptracehttp.WithEndpointURL(srv.URL+"/v1/traces"),
		otlptracehttp.WithTimeout(stall),
		otlptracehttp.WithRetry(otlptracehttp.RetryConfig{Enabled: false}))
	if err != nil {
		t.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp,
		sdktrace.WithMaxQueueSize(64), sdktrace.WithMaxExportBatchSize(16), sdktrace.WithBatchTimeout(5*time.Millisecond)))
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = tp.Shutdown(ctx) // bounded: a stalled export cannot hang the test
	}()
	tracer := tp.Tracer("overload")
	ctx := context.Background()

	// Warm up until the exporter is stuck in its first (stalled) export.
	warm := 0
	for ; ; warm++ {
		_, s := tracer.Start(ctx, "warm")
		s.End()
		select {
		case <-firstExport:
		default:
			continue
		}
		break
	}
	warm++

	// The measured loop: many spans while the exporter is stuck.
	const burst = 5000
	start := time.Now()
	for range burst {
		_, s := tracer.Start(ctx, "burst")
		s.End()
	}
	loop := time.Since(start)

	// Ordering, not timing: the first stalled export has not been released yet (it is
	// journaled only when it ends), so the whole burst ran inside one stall.
	if n := len(c.Journal().Attempts()); n != 0 {
		t.Fatalf("the burst of %d spans took %s and outlasted the collector's stall (%d exports already ended): Start/End blocked on the exporter", burst, loop, n)
	}
	produced := int64(warm + burst)
	if got := c.Counts(); got.Spans.Accepted != 0 || got.Spans.Received >= produced || got.Overloaded == 0 {
		t.Fatalf("while overloaded: counts %+v, want stalled exports, nothing accepted, fewer received than %d produced", got, produced)
	}
	t.Logf("burst of %d spans took %s while the collector stalled the exporter", burst, loop)

	// Recovery: the hog leaves and capacity is lifted at run time; telemetry flows again
	// once the exporter's stalled attempt times out, but what the queue dropped is lost.
	cancelHog()
	if err := c.SetCapacity(telemetry.Capacity{}); err != nil {
		t.Fatal(err)
	}
	const after = 10
	for range after {
		_, s := tracer.Start(ctx, "after")
		s.End()
	}
	fctx, cancel := context.WithTimeout(ctx, 3*stall)
	defer cancel()
	if err := tp.ForceFlush(fctx); err != nil {
		t.Logf("ForceFlush: %v", err) // the stalled attempt's timeout is reported here
	}
	eventually(t, 3*stall, "spans accepted after recovery", func() bool { return c.Counts().Spans.Accepted >= after })
	got := c.Counts()
	if got.Spans.Accepted >= produced+after {
		t.Fatalf("accepted %d of %d produced: the overload should have cost spans", got.Spans.Accepted, produced+after)
	}
	t.Logf("produced %d spans, collector received %d and accepted %d", produced+after, got.Spans.Received, got.Spans.Accepted)
}
