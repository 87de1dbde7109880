package telemetry

// Defaults of the collector's options.
const (
	// DefaultName is the upstream name the collector answers as.
	DefaultName = "collector"
	// DefaultMaxBodyBytes bounds an export's body, before and after gzip decompression.
	DefaultMaxBodyBytes int64 = 8 << 20
)

// Option configures a Collector in New.
type Option func(*Collector)

// WithName sets the upstream name the collector journals under (default DefaultName).
func WithName(name string) Option {
	return func(c *Collector) {
		if name != "" {
			c.name = name
		}
	}
}

// WithMaxBodyBytes bounds an export's body, compressed and decompressed; bigger bodies get
// 413. n <= 0 keeps DefaultMaxBodyBytes.
func WithMaxBodyBytes(n int64) Option {
	return func(c *Collector) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// WithCapacity sets the initial capacity model (default: unlimited, zero service time).
// An invalid capacity makes New panic; use FromConfig to get an error instead.
func WithCapacity(cp Capacity) Option {
	return func(c *Collector) { c.initial = cp }
}

// WithExportHook calls fn with every export the collector decoded, before faults and
// capacity apply. fn runs on the request's goroutine and must not keep the request after
// it returns; it must be safe for concurrent use. Tests use it to look inside exports.
func WithExportHook(fn func(Export)) Option {
	return func(c *Collector) { c.hook = fn }
}
