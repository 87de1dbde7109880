package load

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/llmchaos/llmchaos/harness/tmpl"
)

// Driver defaults.
const (
	// DefaultMaxInFlight bounds the requests in flight when Spec.MaxInFlight is 0.
	DefaultMaxInFlight = 512
	// DefaultRequestTimeout bounds one request, counted from its scheduled time, when
	// Spec.Timeout is 0.
	DefaultRequestTimeout = 10 * time.Second
	// DefaultPrompt is the user message of the LLM protocols' requests
	// (the correlation tag is appended to it).
	DefaultPrompt = "Say something for the llmchaos load driver."
	// DefaultIDPrefix prefixes correlation ids when the scenario has no name.
	DefaultIDPrefix = "req"
)

// Driver sends open-loop load to a SUT: requests at a fixed rate, each at its scheduled
// time whether or not earlier ones have finished, latency counted from the schedule.
// Build it with NewDriver; a Driver runs one Run at a time.
type Driver struct {
	rate        float64
	base        string
	method      string
	path        *tmpl.Template
	headers     []driverHeader
	proto       wireProtocol
	data        tmpl.Data
	maxInFlight int
	timeout     time.Duration
	idPrefix    string
	transport   *http.Transport
	client      *http.Client
	running     atomic.Bool
}

type driverHeader struct {
	name string
	t    *tmpl.Template
}

// NewDriver returns a Driver that sends spec's requests to baseURL (the SUT, e.g.
// http://127.0.0.1:8080; the request path is appended). data is what request templates
// see, with the request's ID and Seq (tmpl.Request); correlation ids read
// SCENARIO-SEQ. It fails, saying what to fix, when spec is not valid (Spec.Validate), a
// template does not parse or render, or the URL is not http(s).
func NewDriver(spec Spec, baseURL string, data tmpl.Data, opts ...DriverOption) (*Driver, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	maxInFlight, timeout := spec.MaxInFlight, spec.Timeout
	if maxInFlight == 0 {
		maxInFlight = DefaultMaxInFlight
	}
	if timeout == 0 {
		timeout = DefaultRequestTimeout
	}
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("driver base URL %q is not an http(s) URL with a host: give the SUT's URL, e.g. http://127.0.0.1:8080", baseURL)
	}
	proto, err := newWireProtocol(spec.Request, DefaultPrompt)
	if err != nil {
		return nil, err
	}
	method, path := proto.defaults()
	if spec.Request.Method != "" {
		method = strings.ToUpper(spec.Request.Method)
	}
	if spec.Request.Path != "" {
		path = spec.Request.Path
	}
	d := &Driver{
		rate: spec.Rate, base: strings.TrimRight(baseURL, "/"), method: method, proto: proto, data: data,
		maxInFlight: maxInFlight, timeout: timeout, idPrefix: IDPrefix(data.Scenario, ""),
	}
	for _, o := range opts {
		o(d)
	}
	if d.path, err = tmpl.Parse("load.request.path", path); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(spec.Request.Headers))
	for k := range spec.Request.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		t, err := tmpl.Parse("load.request.headers."+k, spec.Request.Headers[k])
		if err != nil {
			return nil, err
		}
		d.headers = append(d.headers, driverHeader{name: k, t: t})
	}
	// Render the first request now, so a template that cannot render fails here, not under load.
	if _, err := d.newRequest(context.Background(), 0); err != nil {
		return nil, err
	}
	d.transport = &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConnsPerHost: maxInFlight,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	d.client = &http.Client{
		Transport:     d.transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return d, nil
}

// Interval is the time between two scheduled requests (1/rate).
func (d *Driver) Interval() time.Duration { return time.Duration(float64(time.Second) / d.rate) }

// ID returns the correlation id of request seq.
func (d *Driver) ID(seq int) string { return d.idPrefix + "-" + strconv.Itoa(seq) }

// offset is request i's scheduled time after start (computed from start, so no drift).
func (d *Driver) offset(i int) time.Duration {
	return time.Duration(float64(i) * float64(time.Second) / d.rate)
}

// Run sends the load: request i is scheduled at start + i/rate for every i with that
// time before start + duration (a start in the past is caught up at once). Each request
// is sent at its scheduled time whether or not earlier ones have finished; one that finds
// MaxInFlight requests in flight is not sent and is recorded as OutcomeDropped.
//
// Every request ends as one Sample passed to sink with its Phase set to
// phaseAt(Scheduled). phaseAt and sink are called from a single goroutine, one sample at
// a time, in completion order (not Seq order), so they need no locking; they should be
// quick (a slow sink holds up the driver). Either may be nil.
//
// Run returns when every sent request has ended and its sample was passed to sink. When
// ctx is cancelled it stops scheduling, cancels the requests in flight (recorded as
// OutcomeTimeout with Error saying the run stopped), and returns an error wrapping
// ctx.Err(). A Driver runs one Run at a time; it closes its idle connections at the end.
func (d *Driver) Run(ctx context.Context, start time.Time, duration time.Duration, phaseAt func(time.Time) string, sink func(Sample)) error {
	if !d.running.CompareAndSwap(false, true) {
		return errors.New("driver is already running: a Driver runs one Run at a time, build another with NewDriver")
	}
	defer d.running.Store(false)
	defer d.transport.CloseIdleConnections()
	pt, err := newPreciseTimer()
	if err != nil {
		return err
	}
	defer pt.close()

	out := make(chan Sample, max(4096, 2*d.maxInFlight))
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		for s := range out {
			if phaseAt != nil {
				s.Phase = phaseAt(s.Scheduled)
			}
			if sink != nil {
				sink(s)
			}
		}
	}()
	w := d.startWorkers(ctx, out)
	n, stopped := d.schedule(ctx, start, duration, w, pt, out)
	w.stop()
	close(out)
	<-collected
	if stopped != nil {
		return fmt.Errorf("driver stopped after %d scheduled requests: %w", n, stopped)
	}
	return nil
}

// job is one request for a worker: its sequence number and scheduled time.
type job struct {
	seq int
	at  time.Time
}

// workers are the goroutines that send the requests: started as the load needs them (at
// most about MaxInFlight, since each holds a slot while it sends) and kept for the whole
// run, each taking its next job from one unbuffered channel. Three things keep a request
// from starting late (BENCHMARKS.md, the driver's tail):
//
//   - The schedule hands a request to an idle worker with a channel send, allocating
//     nothing. A scheduling loop that allocates (a goroutine and a closure per request)
//     runs up GC assist debt and is made to help the collector exactly when it should
//     be sending.
//   - The schedule then waits, parked, until the worker has taken the request (taken).
//     The woken worker is queued on the schedule's P and runs as soon as the schedule
//     parks; arming the next wait first would hold it up by those system calls.
//   - The schedule's precise wait (preciseTimer) parks too, rather than sleeping in a
//     system call that keeps its P: sysmon hands such a P to the runnable goroutines,
//     and the schedule then wakes to find no P free.
type workers struct {
	d     *Driver
	ctx   context.Context
	out   chan<- Sample
	jobs  chan job
	slots chan struct{}
	taken chan struct{}
	wg    sync.WaitGroup
}

func (d *Driver) startWorkers(ctx context.Context, out chan<- Sample) *workers {
	return &workers{
		d: d, ctx: ctx, out: out,
		jobs:  make(chan job),
		slots: make(chan struct{}, d.maxInFlight),
		taken: make(chan struct{}, 1),
	}
}

// hand gives j to an idle worker, or to a new one when none is idle.
func (w *workers) hand(j job) {
	select {
	case w.jobs <- j:
	default:
		w.wg.Go(func() { w.run(j) })
	}
}

// run sends j, then every job it takes until the jobs channel closes.
func (w *workers) run(j job) {
	for {
		select {
		case w.taken <- struct{}{}: // the schedule waits for one per job it hands over
		default:
		}
		s := w.d.do(w.ctx, j.seq, j.at)
		<-w.slots
		w.out <- s
		var ok bool
		if j, ok = <-w.jobs; !ok {
			return
		}
	}
}

// stop lets the workers finish the requests they have and waits for them.
func (w *workers) stop() {
	close(w.jobs)
	w.wg.Wait()
}

// schedule hands request i to a worker at start + i/rate, for every i before start +
// duration, until ctx ends; a request that finds MaxInFlight in flight is recorded as
// dropped. It returns how many it scheduled and ctx's error if it stopped early.
func (d *Driver) schedule(ctx context.Context, start time.Time, duration time.Duration, w *workers, pt *preciseTimer, out chan<- Sample) (int, error) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	done := ctx.Done()
	n := 0
	for i := 0; ; i++ {
		off := d.offset(i)
		if off >= duration {
			return n, nil
		}
		at := start.Add(off)
		if err := d.waitUntil(ctx, done, timer, pt, at); err != nil {
			return n, err
		}
		select {
		case w.slots <- struct{}{}:
			w.hand(job{seq: i, at: at})
			select {
			case <-w.taken:
			case <-done:
				return n + 1, ctx.Err()
			}
		default:
			s := Sample{
				Seq: i, ID: d.ID(i), Scheduled: at, Outcome: OutcomeDropped,
				Error: fmt.Sprintf("not sent: %d requests in flight (MaxInFlight)", d.maxInFlight),
			}
			s.SetEnded(time.Now())
			out <- s
		}
		n++
	}
}

// waitUntil returns at time at (or at once if it passed), or ctx's error once done is
// closed. It sleeps on timer until driverPreciseSleepMax before at, then on pt: Go
// timers on an idle process wake up to a millisecond late, and a yield loop would queue
// the scheduler behind the requests' goroutines.
func (d *Driver) waitUntil(ctx context.Context, done <-chan struct{}, timer *time.Timer, pt *preciseTimer, at time.Time) error {
	for {
		select {
		case <-done:
			return ctx.Err()
		default:
		}
		rem := time.Until(at)
		if rem <= 0 {
			return nil
		}
		switch {
		case rem > driverPreciseSleepMax:
			timer.Reset(rem - driverPreciseSleepMax)
			select {
			case <-timer.C:
			case <-done:
				timer.Stop()
				return ctx.Err()
			}
		default:
			pt.wait(at)
		}
	}
}

// driverPreciseSleepMax is the longest wait the scheduler waits on its preciseTimer (which
// cannot be cancelled); longer waits sleep on a cancellable Go timer first.
const driverPreciseSleepMax = 2 * time.Millisecond

// IDPrefix is what the correlation ids of a run of scenario start with: the scenario's
// name kept to the id alphabet (DefaultIDPrefix when nothing is left), then "." and
// runID when one is given. Ids read PREFIX-SEQ.
func IDPrefix(scenario, runID string) string {
	p := scenarioIDPrefix(scenario)
	if runID != "" {
		p += "." + scenarioIDPrefix(runID)
	}
	return p
}

// scenarioIDPrefix keeps s to the id alphabet (DefaultIDPrefix when nothing is left).
func scenarioIDPrefix(scenario string) string {
	p := scenario
	b := []byte(p)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-') {
			b[i] = '-'
		}
	}
	p = strings.Trim(string(b), "-")
	if len(p) > 64 {
		p = p[:64]
	}
	if p == "" {
		p = DefaultIDPrefix
	}
	return p
}

// DriverOption configures NewDriver.
type DriverOption func(*Driver)

// WithRunID puts runID in every correlation id (IDPrefix: SCENARIO.RUNID-SEQ), so the
// journal of a mock that several runs share can be read back per run.
func WithRunID(runID string) DriverOption {
	return func(d *Driver) { d.idPrefix = IDPrefix(d.data.Scenario, runID) }
}
