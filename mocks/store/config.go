package store

import "fmt"

// Config is the store's setup as plain values, for a CLI flag set or a file.
type Config struct {
	// Name is the upstream name; "" means DefaultName.
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
	// MaxBodyBytes bounds request bodies; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64 `json:"max_body_bytes,omitempty" yaml:"max_body_bytes,omitempty"`
	// MaxMessages bounds one user's history; 0 means DefaultMaxMessages.
	MaxMessages int `json:"max_messages,omitempty" yaml:"max_messages,omitempty"`
}

// FromConfig returns a Store set up from cfg, or an error naming what is wrong in it.
// Serve its Handler.
func FromConfig(cfg Config) (*Store, error) {
	if cfg.MaxBodyBytes < 0 || cfg.MaxMessages < 0 {
		return nil, fmt.Errorf("store config: max_body_bytes and max_messages must not be negative")
	}
	return New(WithName(cfg.Name), WithMaxBodyBytes(cfg.MaxBodyBytes), WithMaxMessages(cfg.MaxMessages)), nil
}
