package harness

import (
	"io"
	"time"
)

// The Run defaults.
const (
	// DefaultProgressInterval is how often WithProgress's callback is called.
	DefaultProgressInterval = 250 * time.Millisecond
	// DefaultStartLead is how far in the future Run puts the timeline's start, so the
	// timeline and the driver, started one after the other, share the same instant zero.
	DefaultStartLead = 50 * time.Millisecond
)

// RunOption tunes Run.
type RunOption func(*runConfig)

type runConfig struct {
	progress      func(Progress)
	progressEvery time.Duration
	toxiproxy     string
	sutOutput     io.Writer
	sutCmd        []string
	sutURL        string
	override      bool
	envOpts       []EnvOption
	sutOpts       []SUTOption
	driverOpts    []DriverOption
	lead          time.Duration
	sampleHook    func(Sample)
}

// WithProgress calls fn about every DefaultProgressInterval and at each phase change, and
// once more when the load ends. Calls come from one goroutine, one at a time; a panic in
// fn ends the run with an error (and everything is still cleaned up).
func WithProgress(fn func(Progress)) RunOption { return func(c *runConfig) { c.progress = fn } }

// WithProgressInterval changes how often WithProgress's callback is called.
func WithProgressInterval(d time.Duration) RunOption {
	return func(c *runConfig) {
		if d > 0 {
			c.progressEvery = d
		}
	}
}

// WithRunToxiproxy uses the external Toxiproxy server whose API is at apiURL instead of the
// embedded one (the CLI's --toxiproxy).
func WithRunToxiproxy(apiURL string) RunOption { return func(c *runConfig) { c.toxiproxy = apiURL } }

// WithSUTOutput copies the app's output lines to w as they arrive (the whole output; the
// Result keeps only the tail).
func WithSUTOutput(w io.Writer) RunOption { return func(c *runConfig) { c.sutOutput = w } }

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

// WithEnvOptions passes extra options to NewEnv (after the seed and Toxiproxy ones), for
// example WithMockFactory.
func WithEnvOptions(opts ...EnvOption) RunOption {
	return func(c *runConfig) { c.envOpts = append(c.envOpts, opts...) }
}

// WithSUTOptions passes extra options to StartSUT (after WithSUTOutput's).
func WithSUTOptions(opts ...SUTOption) RunOption {
	return func(c *runConfig) { c.sutOpts = append(c.sutOpts, opts...) }
}

// WithDriverOptions passes extra options to NewDriver.
func WithDriverOptions(opts ...DriverOption) RunOption {
	return func(c *runConfig) { c.driverOpts = append(c.driverOpts, opts...) }
}

// WithSampleHook calls fn with each sample as it ends (completion order), from one
// goroutine, one at a time: for live charts or logs. It must be quick; a panic in fn ends
// the run with an error (and everything is still cleaned up).
func WithSampleHook(fn func(Sample)) RunOption { return func(c *runConfig) { c.sampleHook = fn } }

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
