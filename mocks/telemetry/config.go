package telemetry

import "fmt"

// Config is the collector's setup as plain values, for a CLI flag set or a file.
type Config struct {
	// Name is the upstream name; "" means DefaultName.
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
	// MaxBodyBytes bounds an export's body; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64 `json:"max_body_bytes,omitempty" yaml:"max_body_bytes,omitempty"`
	// Capacity is the initial capacity model; the zero value is unlimited.
	Capacity Capacity `json:"capacity" yaml:"capacity"`
}

// FromConfig returns a Collector set up from cfg, or an error naming what is wrong in it.
// Serve its Handler.
func FromConfig(cfg Config) (*Collector, error) {
	if cfg.MaxBodyBytes < 0 {
		return nil, fmt.Errorf("collector config: max_body_bytes %d is negative", cfg.MaxBodyBytes)
	}
	if err := cfg.Capacity.Validate(); err != nil {
		return nil, fmt.Errorf("collector config: %w", err)
	}
	return New(WithName(cfg.Name), WithMaxBodyBytes(cfg.MaxBodyBytes), WithCapacity(cfg.Capacity)), nil
}
