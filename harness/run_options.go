package harness

import (
	"io"
	"time"

	"github.com/llmchaos/llmchaos/harness/internal/sut"
	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/mocks/control"
)

// The Run defaults.
const (
	// DefaultProgressInterval is how often WithProgress's callback is called.
	DefaultProgressInterval = 250 * time.Millisecond
	// DefaultStartLead is how far in the future Run puts the timeline's start, so the
	// timeline and the driver, started one after the other, share the same instant zero.
	DefaultStartLead = 50 * time.Millisecond
	// DefaultSeed is the seed mocks get when Scenario.Seed is 0.
	DefaultSeed int64 = 1
	// DefaultReadyTimeout bounds the wait for the app to become ready when
	// ReadySpec.Timeout is 0.
	DefaultReadyTimeout = sut.DefaultReadyTimeout
	// DefaultStopGrace is how long the harness waits after SIGTERM before SIGKILL when it
	// stops the app (WithSUTStopGrace).
	DefaultStopGrace = sut.DefaultStopGrace
	// DefaultLogTail is how many lines of the app's output the Result keeps (WithSUTLogTail).
	DefaultLogTail = sut.DefaultLogTail
	// DefaultJournalSettle bounds how long Env.Journals waits, for all in-process mocks
	// together, for the attempts still open when the load ends (a mock journals an attempt
	// when its handler returns, which can be just after the app read the answer) before it
	// reads their journals.
	DefaultJournalSettle = 2 * time.Second
)

// RunOption tunes Run and NewEnv: the one option family of the harness. The scenario
// itself (Scenario.Seed, Load.Timeout, Load.MaxInFlight, ...) says everything a file
// can say; options only say how this run is carried out.
type RunOption func(*runConfig)

type runConfig struct {
	progress      func(Progress)
	progressEvery time.Duration
	sampleHook    func(load.Sample)
	toxiproxy     string
	toxiLog       io.Writer
	mockFactory   MockFactory
	sutCmd        []string
	sutURL        string
	override      bool
	sutOpts       []sut.Option
}

func newRunConfig(opts []RunOption) runConfig {
	c := runConfig{progressEvery: DefaultProgressInterval, mockFactory: DefaultMockFactory}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// MockFactory builds the mock that serves one upstream. NewEnv serves what it returns on
// a loopback listener (with control.WithAdmin) and closes it on Env.Close when it is an
// io.Closer.
type MockFactory func(spec UpstreamSpec, seed int64) (control.Mock, error)

// WithProgress calls fn about every DefaultProgressInterval and at each phase change, and
// once more when the load ends. Calls come from one goroutine, one at a time; a panic in
// fn ends the run with an error (and everything is still cleaned up).
func WithProgress(fn func(Progress)) RunOption { return func(c *runConfig) { c.progress = fn } }

// WithProgressInterval changes how often WithProgress's callback is called (d > 0;
// otherwise DefaultProgressInterval).
func WithProgressInterval(d time.Duration) RunOption {
	return func(c *runConfig) {
		if d > 0 {
			c.progressEvery = d
		}
	}
}

// WithSampleHook calls fn with each sample as it ends (completion order), from one
// goroutine, one at a time: for live charts or logs. It must be quick; a panic in fn ends
// the run with an error (and everything is still cleaned up).
func WithSampleHook(fn func(load.Sample)) RunOption {
	return func(c *runConfig) { c.sampleHook = fn }
}

// WithToxiproxy uses the Toxiproxy server whose HTTP API is at apiURL (e.g.
// "http://127.0.0.1:8474", the CLI's --toxiproxy) instead of the embedded one. The run's
// proxies get unique names there and are deleted when it ends.
func WithToxiproxy(apiURL string) RunOption { return func(c *runConfig) { c.toxiproxy = apiURL } }

// WithToxiproxyLog sends the embedded Toxiproxy's warnings and errors to w; by default
// they are discarded (it warns on every normal connection close).
func WithToxiproxyLog(w io.Writer) RunOption { return func(c *runConfig) { c.toxiLog = w } }

// WithMockFactory replaces how mocks are built (DefaultMockFactory): for tests, or to
// put a custom dependency behind a proxy.
func WithMockFactory(f MockFactory) RunOption { return func(c *runConfig) { c.mockFactory = f } }

// WithSUTOverride replaces the scenario's SUT (the CLI's --sut-cmd and --sut-url): with
// cmd, the app is that command (templates allowed) reached at url (default
// http://{{ .SUT.Addr }}); with only url, the app is an external one at url. The scenario's
// Env, Dir and Ready are kept. Empty cmd and url change nothing.
func WithSUTOverride(cmd []string, url string) RunOption {
	return func(c *runConfig) {
		c.sutCmd = append([]string(nil), cmd...)
		c.sutURL = url
		c.override = len(cmd) > 0 || url != ""
	}
}

// WithSUTLogWriter also copies every line the app prints to w (for example os.Stderr),
// as it arrives, one whole line per Write, from one goroutine. The Result keeps only the
// tail (WithSUTLogTail).
func WithSUTLogWriter(w io.Writer) RunOption {
	return func(c *runConfig) { c.sutOpts = append(c.sutOpts, sut.WithLogWriter(w)) }
}

// WithSUTLogTail keeps the last n lines of the app's output (n > 0; otherwise
// DefaultLogTail).
func WithSUTLogTail(n int) RunOption {
	return func(c *runConfig) { c.sutOpts = append(c.sutOpts, sut.WithLogTail(n)) }
}

// WithSUTStopGrace sets how long the harness waits after SIGTERM before SIGKILL when it
// stops the app (d >= 0; otherwise DefaultStopGrace).
func WithSUTStopGrace(d time.Duration) RunOption {
	return func(c *runConfig) { c.sutOpts = append(c.sutOpts, sut.WithStopGrace(d)) }
}

// applySUTOverride returns spec with the override applied.
func (c *runConfig) applySUTOverride(spec SUTSpec) SUTSpec {
	if !c.override {
		return spec
	}
	spec.Handler = nil
	spec.Command = c.sutCmd
	spec.URL = c.sutURL
	return spec
}
