package load

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/tmpl"
	"go.uber.org/goleak"
)

// TestDriverHTTPError: a 500 is an http_error with the status and the body's start.
func TestDriverHTTPError(t *testing.T) {
	srv := driverTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, `{"error":{"message":"boom","type":"server_error"}}`)
	})
	s := driverTestOne(t, Request{Protocol: ProtocolOpenAIChat, Stream: true}, srv.URL)
	if s.Outcome != OutcomeHTTPError || s.Status != 500 || !strings.Contains(s.Error, "boom") {
		t.Fatalf("sample %+v, want http_error 500 mentioning boom", s)
	}
}

// TestDriverConnRefused: nobody listening is a conn_error with no status.
func TestDriverConnRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	s := driverTestOne(t, Request{Protocol: ProtocolOpenAIChat}, "http://"+addr)
	if s.Outcome != OutcomeConnError || s.Status != 0 || !strings.Contains(s.Error, "refused") {
		t.Fatalf("sample %+v, want conn_error: connection refused", s)
	}
}

// TestDriverTimeout: a handler that never answers gives a timeout, before headers or mid-stream.
func TestDriverTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := driverTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		c := driverTestRequest(r)
		if r.URL.Path == "/midstream" {
			tk := driverTestAnswer("primary", c.Header)
			driverTestOpenAIFrames(w, tk[:2], false)
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) })
	for _, path := range []string{"/stall", "/midstream"} {
		s := driverTestOne(t, Request{Protocol: ProtocolOpenAIChat, Stream: true, Path: path}, srv.URL, 150*time.Millisecond)
		if s.Outcome != OutcomeTimeout || !strings.Contains(s.Error, "timeout") {
			t.Fatalf("%s: sample %+v, want timeout", path, s)
		}
		if s.Latency() < 150*time.Millisecond {
			t.Errorf("%s: latency %s, shorter than the timeout", path, s.Latency())
		}
		if path == "/midstream" && (s.Status != 200 || s.ServedBy != "primary" || s.FirstToken().IsZero()) {
			t.Errorf("%s: sample %+v, want status 200, first byte and served by primary", path, s)
		}
	}
}

// TestDriverDropped: requests that find MaxInFlight in flight are dropped, not sent.
func TestDriverDropped(t *testing.T) {
	release := make(chan struct{})
	var arrived atomic.Int32
	srv := driverTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		arrived.Add(1)
		<-release
		driverTestOpenAIJSON(w, driverTestJoin(driverTestAnswer("primary", driverTestRequest(r).Header)))
	})
	const n, slots = 10, 2
	d, err := NewDriver(Spec{Rate: 1000, MaxInFlight: slots, Request: Request{Protocol: ProtocolOpenAIChat}}, srv.URL, tmpl.Data{})
	if err != nil {
		t.Fatal(err)
	}
	rec := NewRecorder()
	var dropped int
	err = d.Run(context.Background(), time.Now(), n*time.Millisecond, nil, func(s Sample) {
		rec.Record(s)
		if s.Outcome == OutcomeDropped {
			if dropped++; dropped == n-slots {
				close(release) // every request has been scheduled: let the two in flight finish
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	snap := rec.Snapshot()
	if snap.Recorded != n || snap.Outcomes[OutcomeDropped] != n-slots || snap.OK != slots || snap.Sent != slots {
		t.Fatalf("snapshot %+v, want %d ok and %d dropped", snap, slots, n-slots)
	}
	if got := arrived.Load(); got != slots {
		t.Errorf("handler saw %d requests, want %d (dropped ones are not sent)", got, slots)
	}
	for _, s := range rec.Samples() {
		if s.Outcome == OutcomeDropped && (!s.Started().IsZero() || s.Status != 0 || !strings.Contains(s.Error, "MaxInFlight")) {
			t.Errorf("dropped sample %+v: want no start, no status, an error naming MaxInFlight", s)
		}
	}
}

// TestDriverOpenLoop: a handler that stalls the first requests does not delay the later
// sends, and the stalled requests' latency counts from their schedule.
func TestDriverOpenLoop(t *testing.T) {
	const n, stalled = 30, 3
	release := make(chan struct{})
	srv := driverTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		c := driverTestRequest(r)
		seq, _ := strconv.Atoi(c.Header[strings.LastIndex(c.Header, "-")+1:])
		if seq < stalled {
			<-release
		}
		driverTestOpenAIFrames(w, driverTestAnswer("primary", c.Header), true)
	})
	d, err := NewDriver(Spec{Rate: 100, Request: Request{Protocol: ProtocolOpenAIChat, Stream: true}}, srv.URL, tmpl.Data{})
	if err != nil {
		t.Fatal(err)
	}
	rec := NewRecorder()
	var fast int
	var lastFastStart time.Time
	start := time.Now()
	err = d.Run(context.Background(), start, n*d.Interval(), nil, func(s Sample) {
		rec.Record(s)
		if s.Seq >= stalled {
			fast++
			if s.Started().After(lastFastStart) {
				lastFastStart = s.Started()
			}
			if fast == n-stalled {
				close(release)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	ss := rec.Samples()
	if len(ss) != n {
		t.Fatalf("%d samples, want %d", len(ss), n)
	}
	for i, s := range ss {
		if s.Outcome != OutcomeOK {
			t.Errorf("sample %d: %s %s", i, s.Outcome, s.Error)
		}
		if want := start.Add(time.Duration(i) * 10 * time.Millisecond); !s.Scheduled.Equal(want) {
			t.Errorf("sample %d scheduled at +%s, want +%s", i, s.Scheduled.Sub(start), want.Sub(start))
		}
		if late := s.Started().Sub(s.Scheduled); i >= stalled && (late < 0 || late > 100*time.Millisecond) {
			t.Errorf("sample %d started %s after its schedule while earlier requests stalled; want open loop (< 100ms)", i, late)
		}
		if i < stalled && !s.Ended().After(lastFastStart) {
			t.Errorf("stalled sample %d ended before the last later request started: schedule not open loop", i)
		}
		if i < stalled && s.Latency() < lastFastStart.Sub(s.Scheduled) {
			t.Errorf("stalled sample %d latency %s does not count from its schedule", i, s.Latency())
		}
	}
}

// TestDriverTemplatesAndServedBy: the generic protocol renders path, headers and body
// templates per request, judges success by status and substring, and attributes a mock
// answer found in the body.
func TestDriverTemplatesAndServedBy(t *testing.T) {
	var ids driverTestIDs
	srv := driverTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		c := driverTestRequest(r)
		ids.add(c)
		tk := driverTestAnswer("secondary", c.Header)
		switch {
		case strings.HasPrefix(r.URL.Path, "/cut"):
			tk = tk[:3]
		case strings.HasPrefix(r.URL.Path, "/created"):
			w.WriteHeader(http.StatusCreated)
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"answer":%q,"status":"done"}`, driverTestJoin(tk))
	})
	data := tmpl.Data{Scenario: "tpl", Upstreams: map[string]tmpl.Upstream{"primary": {Name: "primary", URL: "http://127.0.0.1:9/p"}}}
	req := Request{
		Protocol: ProtocolHTTP, Method: "post", Path: "/chat/{{ .ID }}?seq={{ .Seq }}",
		Headers: map[string]string{"x-route-config": `{"primary":"{{ .Upstreams.primary.URL }}/v1"}`, "X-Static": "plain"},
		Body:    `{"q":"hello {{ .Scenario }}","id":"{{ .ID }}"}`, SuccessContains: `"status":"done"`,
	}
	d, err := NewDriver(Spec{Rate: 100, Request: req}, srv.URL+"/", data)
	if err != nil {
		t.Fatal(err)
	}
	rec := NewRecorder()
	if err := d.Run(context.Background(), time.Now(), 15*time.Millisecond, nil, rec.Record); err != nil {
		t.Fatal(err)
	}
	ss := rec.Samples()
	if len(ss) != 2 {
		t.Fatalf("%d samples, want 2", len(ss))
	}
	for i, c := range ids.all() {
		id := c.Header
		if !strings.HasPrefix(id, "tpl-") {
			t.Errorf("request %d id %q, want prefix tpl-", i, id)
		}
		seq := id[len("tpl-"):]
		if c.Path != "/chat/"+id+"?seq="+seq {
			t.Errorf("path %q, want /chat/%s?seq=%s", c.Path, id, seq)
		}
		if got := c.Headers.Get("X-Route-Config"); got != `{"primary":"http://127.0.0.1:9/p/v1"}` {
			t.Errorf("x-route-config %q", got)
		}
		if c.Headers.Get("X-Static") != "plain" || c.Headers.Get("Content-Type") != "application/json" {
			t.Errorf("headers %v", c.Headers)
		}
		if c.RawBody != `{"q":"hello tpl","id":"`+id+`"}` {
			t.Errorf("body %q", c.RawBody)
		}
	}
	for _, s := range ss {
		if s.Outcome != OutcomeOK || s.ServedBy != "secondary" {
			t.Errorf("sample %+v, want ok served by secondary", s)
		}
	}

	// Status rule, substring rule and a cut answer inside a 2xx body.
	cases := []struct {
		name string
		req  Request
		want Outcome
	}{
		{"201 outside SuccessStatus", Request{Protocol: ProtocolHTTP, Path: "/created", SuccessStatus: []int{200}}, OutcomeHTTPError},
		{"201 in SuccessStatus", Request{Protocol: ProtocolHTTP, Path: "/created", SuccessStatus: []int{201}}, OutcomeOK},
		{"substring missing", Request{Protocol: ProtocolHTTP, SuccessContains: "nope"}, OutcomeHTTPError},
		{"cut answer", Request{Protocol: ProtocolHTTP, Path: "/cut"}, OutcomeTruncated},
	}
	for _, tc := range cases {
		s := driverTestOne(t, tc.req, srv.URL)
		if s.Outcome != tc.want || s.ServedBy != "secondary" {
			t.Errorf("%s: outcome %q (%s) served by %q, want %q by secondary", tc.name, s.Outcome, s.Error, s.ServedBy, tc.want)
		}
	}
}

// TestDriverNewDriverErrors: bad specs fail at construction with a message naming the problem.
func TestDriverNewDriverErrors(t *testing.T) {
	ok := Request{Protocol: ProtocolOpenAIChat}
	cases := []struct {
		name   string
		spec   Spec
		url    string
		errHas string
	}{
		{"zero rate", Spec{Request: ok}, "http://127.0.0.1:1", "rate"},
		{"no protocol", Spec{Rate: 1}, "http://127.0.0.1:1", "no protocol"},
		{"unknown protocol", Spec{Rate: 1, Request: Request{Protocol: "grpc"}}, "http://127.0.0.1:1", `unknown load request protocol "grpc"`},
		{"bad template", Spec{Rate: 1, Request: Request{Protocol: ProtocolHTTP, Body: "{{ .ID "}}, "http://127.0.0.1:1", "template load.request.body"},
		{"missing upstream", Spec{Rate: 1, Request: Request{Protocol: ProtocolHTTP, Headers: map[string]string{"x": "{{ .Upstreams.nope.URL }}"}}}, "http://127.0.0.1:1", "template load.request.headers.x"},
		{"bad url", Spec{Rate: 1, Request: ok}, "127.0.0.1:1", "not an http(s) URL"},
		{"bad status", Spec{Rate: 1, Request: Request{Protocol: ProtocolHTTP, SuccessStatus: []int{42}}}, "http://127.0.0.1:1", "success status 42"},
		{"negative in flight", Spec{Rate: 1, MaxInFlight: -1, Request: ok}, "http://127.0.0.1:1", "max in flight"},
	}
	for _, tc := range cases {
		_, err := NewDriver(tc.spec, tc.url, tmpl.Data{})
		if err == nil || !strings.Contains(err.Error(), tc.errHas) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.errHas)
		}
	}
}

// TestDriverCancel: cancelling the run stops the schedule, cancels the requests in flight
// (recorded), and Run says it was stopped.
func TestDriverCancel(t *testing.T) {
	arrived := make(chan struct{}, 64)
	srv := driverTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		driverTestRequest(r) // read the body, so the server notices the client going away
		select {
		case arrived <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; <-arrived; cancel() }()
	ss, err := driverTestRun(t, ctx, Spec{Rate: 100, Request: Request{Protocol: ProtocolOpenAIChat}}, srv.URL, time.Hour)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run error %v, want context.Canceled", err)
	}
	if len(ss) < 2 {
		t.Fatalf("%d samples, want the 2 in flight at least", len(ss))
	}
	for _, s := range ss {
		if s.Outcome != OutcomeTimeout || !strings.Contains(s.Error, "run stopped") {
			t.Errorf("sample %+v, want timeout: run stopped", s)
		}
	}
}

// TestDriverRunTwice: a Driver runs one Run at a time and can run again after.
func TestDriverRunTwice(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	srv := driverTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-release
		driverTestOpenAIJSON(w, driverTestJoin(driverTestAnswer("primary", driverTestRequest(r).Header)))
	})
	d, err := NewDriver(Spec{Rate: 100, Request: Request{Protocol: ProtocolOpenAIChat}}, srv.URL, tmpl.Data{})
	if err != nil {
		t.Fatal(err)
	}
	first := make(chan error, 1)
	go func() { first <- d.Run(context.Background(), time.Now(), time.Millisecond, nil, nil) }()
	<-started
	if err := d.Run(context.Background(), time.Now(), time.Millisecond, nil, nil); err == nil || !strings.Contains(err.Error(), "already running") {
		t.Errorf("second concurrent Run: %v, want already running", err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	var got []Sample
	if err := d.Run(context.Background(), time.Now(), time.Millisecond, nil, func(s Sample) { got = append(got, s) }); err != nil || len(got) != 1 || !got[0].OK() {
		t.Fatalf("Run after Run: %v, %+v", err, got)
	}
}

// TestDriverNoLeak: after Run returns, none of the driver's goroutines or connections remain.
func TestDriverNoLeak(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		driverTestOpenAIFrames(w, driverTestAnswer("primary", driverTestRequest(r).Header), true)
	}))
	defer srv.Close()
	ss, err := driverTestRun(t, context.Background(), Spec{Rate: 500, Request: Request{Protocol: ProtocolOpenAIChat, Stream: true}}, srv.URL, 20*time.Millisecond)
	if err != nil || len(ss) != 10 {
		t.Fatalf("Run: %v, %d samples, want 10", err, len(ss))
	}
	for _, s := range ss {
		if !s.OK() {
			t.Errorf("sample %d: %s %s", s.Seq, s.Outcome, s.Error)
		}
	}
}
