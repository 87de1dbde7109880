package store

// Defaults of the store's options.
const (
	// DefaultName is the upstream name the store answers as.
	DefaultName = "store"
	// DefaultMaxBodyBytes bounds a request body.
	DefaultMaxBodyBytes int64 = 1 << 20
	// DefaultMaxMessages bounds one user's history.
	DefaultMaxMessages = 1000
)

// Option configures a Store in New.
type Option func(*Store)

// WithName sets the upstream name the store journals under (default DefaultName).
func WithName(name string) Option {
	return func(s *Store) {
		if name != "" {
			s.name = name
		}
	}
}

// WithMaxBodyBytes bounds request bodies; bigger ones get 413. n <= 0 keeps the default.
func WithMaxBodyBytes(n int64) Option {
	return func(s *Store) {
		if n > 0 {
			s.maxBody = n
		}
	}
}

// WithMaxMessages bounds one user's history; n <= 0 keeps DefaultMaxMessages.
func WithMaxMessages(n int) Option {
	return func(s *Store) {
		if n > 0 {
			s.maxMessages = n
		}
	}
}
