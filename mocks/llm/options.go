package llm

import "time"

// Defaults of New's options.
const (
	// DefaultName is the upstream name a Server answers as.
	DefaultName = "primary"
	// DefaultSeed seeds the answers' words.
	DefaultSeed int64 = 1
	// DefaultAnswerWords is how many words an answer holds between its head and end marker.
	DefaultAnswerWords = 24
	// DefaultTTFT is the wait before the first token when no fault asks for more: none.
	DefaultTTFT time.Duration = 0
	// DefaultTokenDelay is the wait between tokens when no fault asks for more: none.
	DefaultTokenDelay time.Duration = 0
	// DefaultMaxBodyBytes is the largest request body accepted; larger ones get 413.
	DefaultMaxBodyBytes int64 = 1 << 20
	// DefaultModel is the model named in answers when a request names none (bad input
	// aside, every request names one) and listed by GET /v1/models.
	DefaultModel = "llmchaos-1"
)

// Option configures a Server.
type Option func(*Server)

// WithName sets the upstream name the Server answers as (in answers and the journal).
func WithName(name string) Option { return func(s *Server) { s.name = name } }

// WithSeed sets the seed of the answers' words.
func WithSeed(seed int64) Option { return func(s *Server) { s.seed = seed } }

// WithAnswerWords sets how many words each answer holds (at least 1).
func WithAnswerWords(n int) Option {
	return func(s *Server) {
		if n >= 1 {
			s.words = n
		}
	}
}

// WithTTFT sets the wait before the first token of every answer (a ModeSlow fault overrides it).
func WithTTFT(d time.Duration) Option { return func(s *Server) { s.ttft = max(d, 0) } }

// WithTokenDelay sets the wait between tokens of every answer (a ModeSlow fault overrides it).
func WithTokenDelay(d time.Duration) Option { return func(s *Server) { s.tokenDelay = max(d, 0) } }

// WithMaxBodyBytes sets the largest request body accepted; larger ones get 413 in the
// provider's error shape.
func WithMaxBodyBytes(n int64) Option {
	return func(s *Server) {
		if n > 0 {
			s.maxBody = n
		}
	}
}

// WithClock sets the clock the journal's times and answers' created stamps come from.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.now = now
		}
	}
}
