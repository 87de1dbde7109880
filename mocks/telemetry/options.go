package telemetry

import (
	"errors"
	"fmt"
	"time"
)

// Defaults of the collector's options.
const (
	// DefaultName is the upstream name the collector answers as.
	DefaultName = "collector"
	// DefaultMaxBodyBytes bounds an export's body, before and after gzip decompression.
	DefaultMaxBodyBytes int64 = 8 << 20
	// DefaultMaxDecompressions is how many gzip exports the collector decompresses at
	// once; another one meanwhile is answered 503 with Retry-After, so memory stays
	// below this many times DefaultMaxBodyBytes whatever the clients send.
	DefaultMaxDecompressions = 4
)

// Option configures a Collector in New. New checks the values and reports a bad one as
// an error.
type Option func(*Collector)

// WithName sets the upstream name the collector journals under (default DefaultName; not empty).
func WithName(name string) Option { return func(c *Collector) { c.name = name } }

// WithMaxBodyBytes bounds an export's body, compressed and decompressed (> 0); bigger
// bodies get 413. Default DefaultMaxBodyBytes.
func WithMaxBodyBytes(n int64) Option { return func(c *Collector) { c.maxBody = n } }

// WithBodyReadTimeout bounds how long the collector waits for an export's whole body once
// its headers arrived (default control.DefaultBodyReadTimeout; 0 waits for ever).
func WithBodyReadTimeout(d time.Duration) Option { return func(c *Collector) { c.bodyTimeout = d } }

// WithMaxDecompressions sets how many gzip exports are decompressed at once (> 0; default
// DefaultMaxDecompressions); one more meanwhile is answered 503 with Retry-After.
func WithMaxDecompressions(n int) Option { return func(c *Collector) { c.maxGunzip = n } }

// WithCapacity sets the initial capacity model (default: unlimited, zero service time);
// New reports an invalid one (Capacity.Validate).
func WithCapacity(cp Capacity) Option {
	return func(c *Collector) { c.initial = cp }
}

// WithExportHook calls fn with every export the collector decoded, before faults and
// capacity apply. fn runs on the request's goroutine and must not keep the request after
// it returns; it must be safe for concurrent use. Tests use it to look inside exports.
func WithExportHook(fn func(Export)) Option {
	return func(c *Collector) { c.hook = fn }
}

// check reports the first option value New cannot use.
func (c *Collector) check() error {
	switch {
	case c.name == "":
		return errors.New("telemetry: name is empty; give the upstream name the collector answers as (WithName)")
	case c.maxBody <= 0:
		return fmt.Errorf("telemetry: max body bytes %d: want a positive limit (WithMaxBodyBytes)", c.maxBody)
	case c.bodyTimeout < 0:
		return fmt.Errorf("telemetry: body read timeout %v is negative (WithBodyReadTimeout)", c.bodyTimeout)
	case c.maxGunzip <= 0:
		return fmt.Errorf("telemetry: max decompressions %d: want at least 1 (WithMaxDecompressions)", c.maxGunzip)
	}
	if err := c.initial.Validate(); err != nil {
		return fmt.Errorf("telemetry: %w (WithCapacity)", err)
	}
	return nil
}
