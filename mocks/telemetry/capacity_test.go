package telemetry_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/telemetry"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

const hour = control.Duration(time.Hour)

func TestCapacityRejectsPastQueue(t *testing.T) {
	c := newCollector(t, telemetry.WithCapacity(telemetry.Capacity{
		Concurrency: 1, QueueSize: 1, ServiceTime: hour,
		Overload: telemetry.OverloadReject, Status: http.StatusTooManyRequests, RetryAfter: control.Duration(1500 * time.Millisecond),
	}))
	srv := serve(t, c)
	url := srv.URL + "/v1/traces"
	var wg sync.WaitGroup
	defer wg.Wait()
	ctxA, cancelA := context.WithCancel(context.Background())
	ctxB, cancelB := context.WithCancel(context.Background())
	defer cancelA()
	defer cancelB()

	doneA := postAsync(ctxA, &wg, url, mustProto(t, traceRequest(1)))
	eventually(t, 10*time.Second, "A in service", func() bool { return c.Counts().Active == 1 })
	doneB := postAsync(ctxB, &wg, url, mustProto(t, traceRequest(1)))
	eventually(t, 10*time.Second, "B queued", func() bool { return c.Counts().Queued == 1 })

	a := post(context.Background(), url, telemetry.ContentTypeProtobuf, "", mustProto(t, traceRequest(1)))
	if a.status != http.StatusTooManyRequests || a.header.Get("Retry-After") != "2" {
		t.Fatalf("past capacity: status %d Retry-After %q, want 429 and 2 (1.5s rounded up)", a.status, a.header.Get("Retry-After"))
	}
	if code, _, ok := rpcStatusProto(a.body); !ok || code != 8 {
		t.Fatalf("past capacity body %x is not google.rpc.Status RESOURCE_EXHAUSTED", a.body)
	}
	last := lastAttempt(t, c)
	if last.Fault != telemetry.FaultOverload || last.RetryAfter != 1500*time.Millisecond || last.Accepted != 0 {
		t.Fatalf("journal of the refused export: %+v", last)
	}

	cancelA() // A's client leaves: its service ends early, B takes the slot
	if r := <-doneA; r.err == nil {
		t.Fatalf("A should have been cut by its own client, got status %d", r.status)
	}
	eventually(t, 10*time.Second, "B in service", func() bool { n := c.Counts(); return n.Active == 1 && n.Queued == 0 })
	cancelB()
	<-doneB
	eventually(t, 10*time.Second, "A and B journaled", func() bool { return len(c.Journal().Attempts()) == 3 })
	for _, at := range c.Journal().Attempts() {
		if at.Seq != 3 && (!at.Cut || at.Status != 0 || at.Accepted != 0) {
			t.Errorf("held export should be journaled as cut with no status: %+v", at)
		}
	}
	got := c.Counts()
	if got.Spans.Received != 3 || got.Spans.Accepted != 0 || got.Overloaded != 1 || got.Active != 0 {
		t.Fatalf("counts %+v", got)
	}
}

func TestCapacityServiceTimeSetAtRunTime(t *testing.T) {
	c := newCollector(t)
	srv := serve(t, c)
	if c.Capacity() != (telemetry.Capacity{Overload: telemetry.OverloadReject, Status: 503}) {
		t.Fatalf("default capacity %+v, want unlimited", c.Capacity())
	}
	put := func(body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPut, srv.URL+control.AdminPrefix+"capacity", strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, bad := range []string{`{"concurrency":-1}`, `{"queue_size":2}`, `{"overload":"explode"}`, `{"status":200}`, `{"bogus":1}`, `not json`} {
		if st, body := put(bad); st != http.StatusBadRequest || !strings.Contains(body, "error") {
			t.Errorf("PUT capacity %s: %d %s, want 400 with an error", bad, st, body)
		}
	}
	if st, body := put(`{"service_time":"30ms"}`); st != http.StatusOK || !strings.Contains(body, `"service_time":"30ms"`) {
		t.Fatalf("PUT capacity: %d %s", st, body)
	}
	start := time.Now()
	a := post(context.Background(), srv.URL+"/v1/traces", telemetry.ContentTypeProtobuf, "", mustProto(t, traceRequest(5)))
	if a.status != http.StatusOK {
		t.Fatalf("status %d", a.status)
	}
	// 5 spans at 30ms each: the answer cannot come sooner than 150ms
	if took, at := time.Since(start), lastAttempt(t, c); took < 150*time.Millisecond || at.Duration < 150*time.Millisecond {
		t.Fatalf("export of 5 spans took %s (journal %s), want at least 5×30ms", took, at.Duration)
	}
	if err := c.SetCapacity(telemetry.Capacity{}); err != nil {
		t.Fatal(err)
	}
	if c.Capacity().ServiceTime != 0 {
		t.Fatal("SetCapacity did not replace the model")
	}
}

func TestCapacityStallHoldsUntilClientLeaves(t *testing.T) {
	c := newCollector(t, telemetry.WithCapacity(telemetry.Capacity{Concurrency: 1, ServiceTime: hour, Overload: telemetry.OverloadStall}))
	srv := serve(t, c)
	url := srv.URL + "/v1/traces"
	var wg sync.WaitGroup
	defer wg.Wait()
	ctxA, cancelA := context.WithCancel(context.Background())
	defer cancelA()
	doneA := postAsync(ctxA, &wg, url, mustProto(t, traceRequest(1)))
	eventually(t, 10*time.Second, "A in service", func() bool { return c.Counts().Active == 1 })

	ctxB, cancelB := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancelB()
	b := post(ctxB, url, telemetry.ContentTypeProtobuf, "", mustProto(t, traceRequest(2)))
	if !errors.Is(b.err, context.DeadlineExceeded) {
		t.Fatalf("stalled export: got status %d err %v, want the client to give up", b.status, b.err)
	}
	eventually(t, 10*time.Second, "stall journaled", func() bool { return len(c.Journal().Attempts()) == 1 })
	if at := lastAttempt(t, c); at.Fault != telemetry.FaultOverload || at.Status != 0 || !at.Cut || at.Items != 2 {
		t.Fatalf("journal of the stalled export: %+v", at)
	}

	// Close releases what the collector holds, with 503
	_ = c.Close()
	if r := <-doneA; r.status != http.StatusServiceUnavailable {
		t.Fatalf("export in service when the collector closed: %d %v, want 503", r.status, r.err)
	}
}

func TestCapacityPartialSuccessOverload(t *testing.T) {
	c := newCollector(t, telemetry.WithCapacity(telemetry.Capacity{Concurrency: 1, ServiceTime: hour, Overload: telemetry.OverloadPartialSuccess}))
	srv := serve(t, c)
	url := srv.URL + "/v1/traces"
	var wg sync.WaitGroup
	defer wg.Wait()
	ctxA, cancelA := context.WithCancel(context.Background())
	defer cancelA()
	postAsync(ctxA, &wg, url, mustProto(t, traceRequest(1)))
	eventually(t, 10*time.Second, "A in service", func() bool { return c.Counts().Active == 1 })

	a := post(context.Background(), url, telemetry.ContentTypeProtobuf, "", mustProto(t, traceRequest(4)))
	var resp coltracepb.ExportTraceServiceResponse
	if a.status != http.StatusOK || proto.Unmarshal(a.body, &resp) != nil {
		t.Fatalf("status %d body %x", a.status, a.body)
	}
	if resp.GetPartialSuccess().GetRejectedSpans() != 4 || resp.GetPartialSuccess().GetErrorMessage() == "" {
		t.Fatalf("partial success %v, want all 4 spans rejected with a message", resp.GetPartialSuccess())
	}
	if at := lastAttempt(t, c); at.Accepted != 0 || at.Items != 4 || at.Fault != telemetry.FaultOverload {
		t.Fatalf("journal %+v", at)
	}
	cancelA()
}

func TestCapacityValidateAndNew(t *testing.T) {
	bad := []telemetry.Capacity{
		{Concurrency: -1},
		{QueueSize: -1, Concurrency: 1},
		{QueueSize: 1},
		{ServiceTime: -1},
		{RetryAfter: -1},
		{Status: 302},
		{Overload: "drop"},
	}
	for _, cp := range bad {
		if cp.Validate() == nil {
			t.Errorf("%+v should be invalid", cp)
		}
		if _, err := telemetry.New(telemetry.WithCapacity(cp)); err == nil {
			t.Errorf("New accepted %+v", cp)
		}
	}
	c, err := telemetry.New(telemetry.WithName("otel"), telemetry.WithCapacity(telemetry.Capacity{Concurrency: 2, QueueSize: 3}))
	if err != nil || c.Name() != "otel" || c.Capacity().Concurrency != 2 {
		t.Fatalf("New: %v %+v", err, c)
	}
	if _, err := telemetry.New(telemetry.WithMaxBodyBytes(-1)); err == nil {
		t.Fatal("negative body limit accepted")
	}
	if _, err := telemetry.New(telemetry.WithName("")); err == nil {
		t.Fatal("empty name accepted")
	}
	if newCollector(t).Name() != telemetry.DefaultName {
		t.Fatal("default name")
	}
}
