package telemetry

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Collector is the OTLP/HTTP collector mock. Create it with New and serve its Handler.
// It is safe for concurrent use.
type Collector struct {
	control.FaultSet

	name        string
	maxBody     int64
	bodyTimeout time.Duration
	maxGunzip   int
	gunzip      chan struct{} // a slot per gzip export being decompressed
	initial     Capacity
	hook        func(Export)

	journal   control.Journal
	counts    counters
	gate      atomic.Pointer[gate]
	stop      chan struct{}
	closeOnce sync.Once
	routes    *http.ServeMux
}

var _ control.Mock = (*Collector)(nil)

// Modes returns the protocol fault modes the collector plays: status, hang and partial-success.
func Modes() []control.Mode {
	return []control.Mode{control.ModeStatus, control.ModeHang, control.ModePartialSuccess}
}

// New returns a collector named DefaultName with unlimited capacity, changed by opts, or
// an error naming the option value it cannot use (an empty name, an invalid capacity, ...).
func New(opts ...Option) (*Collector, error) {
	c := &Collector{name: DefaultName, maxBody: DefaultMaxBodyBytes, bodyTimeout: control.DefaultBodyReadTimeout,
		maxGunzip: DefaultMaxDecompressions, stop: make(chan struct{})}
	c.FaultSet.Supported = Modes()
	for _, o := range opts {
		o(c)
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	c.gunzip = make(chan struct{}, c.maxGunzip)
	c.gate.Store(newGate(c.initial))
	c.routes = http.NewServeMux()
	for i := range signals {
		sig := &signals[i]
		c.routes.HandleFunc("POST "+sig.kind.Path(), func(w http.ResponseWriter, r *http.Request) {
			c.serveExport(w, r, sig)
		})
	}
	c.routes.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
	})
	return c, nil
}

// Name is the upstream name the collector journals under.
func (c *Collector) Name() string { return c.name }

// Journal is the record of every export the collector received.
func (c *Collector) Journal() *control.Journal { return &c.journal }

// ServeHTTP serves the OTLP routes: POST /v1/traces, /v1/metrics, /v1/logs, and GET /healthz.
// Use Handler to serve them together with the admin API.
func (c *Collector) ServeHTTP(w http.ResponseWriter, r *http.Request) { c.routes.ServeHTTP(w, r) }

// Counts returns a snapshot of what the collector received and accepted.
func (c *Collector) Counts() Counts { return c.counts.snapshot() }

// Reset zeroes the counts (but not the Active and Queued gauges) and empties the journal.
func (c *Collector) Reset() {
	c.counts.reset()
	c.journal.Reset()
}

// Capacity returns the capacity model in force, with its defaults filled in.
func (c *Collector) Capacity() Capacity { return c.gate.Load().cap }

// SetCapacity replaces the capacity model for exports that arrive from now on; exports
// already being served or queued finish under the model they entered with.
func (c *Collector) SetCapacity(cp Capacity) error {
	if err := cp.Validate(); err != nil {
		return err
	}
	c.gate.Store(newGate(cp))
	return nil
}

// Close releases every export the collector holds (stalled, hung, queued or in service)
// with 503, so that an http.Server's Shutdown can finish. The collector keeps serving
// new exports afterwards, without holding them. Close always returns nil.
func (c *Collector) Close() error {
	c.closeOnce.Do(func() { close(c.stop) })
	return nil
}
