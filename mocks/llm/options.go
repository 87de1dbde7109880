package llm

import (
	"errors"
	"fmt"
	"time"
)

// Defaults of New's options.
const (
	// DefaultName is the upstream name a Server answers as.
	DefaultName = "primary"
	// DefaultSeed seeds the answers' words.
	DefaultSeed int64 = 1
	// DefaultAnswerWords is how many words an answer holds between its head and end marker.
	DefaultAnswerWords = 24
	// MaxAnswerWords is the most words an answer may hold (WithAnswerWords): about 700 KB
	// of text, 17 MB as a stream of chunks.
	MaxAnswerWords = 100_000
	// DefaultTTFT is the wait before the first token when no fault asks for more: none.
	DefaultTTFT time.Duration = 0
	// DefaultTokenDelay is the wait between tokens when no fault asks for more: none.
	DefaultTokenDelay time.Duration = 0
	// DefaultMaxBodyBytes is the largest request body accepted; larger ones get 413.
	DefaultMaxBodyBytes int64 = 1 << 20
	// DefaultRequestsPerMinute and DefaultTokensPerMinute are the account's limits
	// that the rate-limit headers report when no quota fault is active (never enforced).
	DefaultRequestsPerMinute = 10000
	DefaultTokensPerMinute   = 30000000
	// DefaultMaxStoredResponses bounds the Responses API answers kept for
	// previous_response_id; past it the oldest is forgotten (its id is then unknown).
	DefaultMaxStoredResponses = 10000
	// DefaultModel is the model named in answers when a request names none (bad input
	// aside, every request names one) and listed by GET /v1/models.
	DefaultModel = "llmchaos-1"
)

// Option configures a Server. New checks the values and reports a bad one as an error.
type Option func(*Server)

// WithName sets the upstream name the Server answers as (in answers and the journal).
func WithName(name string) Option { return func(s *Server) { s.name = name } }

// WithSeed sets the seed of the answers' words.
func WithSeed(seed int64) Option { return func(s *Server) { s.seed = seed } }

// WithAnswerWords sets how many words each answer holds (at least 1, at most MaxAnswerWords).
func WithAnswerWords(n int) Option { return func(s *Server) { s.words = n } }

// WithTTFT sets the wait before the first token of every answer (>= 0; a slow-tokens
// fault overrides it).
func WithTTFT(d time.Duration) Option { return func(s *Server) { s.ttft = d } }

// WithTokenDelay sets the wait between tokens of every answer (>= 0; a slow-tokens fault
// overrides it).
func WithTokenDelay(d time.Duration) Option { return func(s *Server) { s.tokenDelay = d } }

// WithMaxBodyBytes sets the largest request body accepted (> 0); larger ones get 413 in
// the provider's error shape.
func WithMaxBodyBytes(n int64) Option { return func(s *Server) { s.maxBody = n } }

// WithBodyReadTimeout bounds how long the Server waits for a request's whole body once
// its headers arrived (default control.DefaultBodyReadTimeout; 0 waits for ever); a
// client slower than that is cut off.
func WithBodyReadTimeout(d time.Duration) Option { return func(s *Server) { s.bodyTimeout = d } }

// WithAutoToolCallShare sets the share of requests with tool_choice auto that get tool
// calls rather than text, in [0,1] (default DefaultAutoToolCallShare).
func WithAutoToolCallShare(f float64) Option { return func(s *Server) { s.autoToolShare = f } }

// WithRateLimits sets the account's requests and tokens per minute that every answer's
// rate-limit headers report (> 0; a quota fault enforces limits, these are not).
func WithRateLimits(requestsPerMinute, tokensPerMinute int) Option {
	return func(s *Server) { s.rpm, s.tpm = requestsPerMinute, tokensPerMinute }
}

// WithMaxStoredResponses bounds the Responses API answers kept for previous_response_id (> 0).
func WithMaxStoredResponses(n int) Option { return func(s *Server) { s.maxStored = n } }

// WithClock sets the clock the journal's times and answers' created stamps come from (not nil).
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// check reports the first option value New cannot use.
func (s *Server) check() error {
	switch {
	case s.name == "":
		return errors.New("llm: name is empty; give the upstream name the mock answers as (WithName)")
	case s.words < 1:
		return fmt.Errorf("llm: answer words %d: want at least 1 (WithAnswerWords)", s.words)
	case s.words > MaxAnswerWords:
		return fmt.Errorf("llm: answer words %d: at most %d (MaxAnswerWords; WithAnswerWords)", s.words, MaxAnswerWords)
	case s.ttft < 0:
		return fmt.Errorf("llm: ttft %v is negative (WithTTFT)", s.ttft)
	case s.tokenDelay < 0:
		return fmt.Errorf("llm: token delay %v is negative (WithTokenDelay)", s.tokenDelay)
	case s.maxBody <= 0:
		return fmt.Errorf("llm: max body bytes %d: want a positive limit (WithMaxBodyBytes)", s.maxBody)
	case s.bodyTimeout < 0:
		return fmt.Errorf("llm: body read timeout %v is negative (WithBodyReadTimeout)", s.bodyTimeout)
	case s.now == nil:
		return errors.New("llm: the clock is nil (WithClock)")
	case !(s.autoToolShare >= 0 && s.autoToolShare <= 1):
		return fmt.Errorf("llm: auto tool-call share %v: want a share in [0,1] (WithAutoToolCallShare)", s.autoToolShare)
	case s.rpm <= 0 || s.tpm <= 0:
		return fmt.Errorf("llm: rate limits %d requests and %d tokens per minute: want both above 0 (WithRateLimits)", s.rpm, s.tpm)
	case s.maxStored <= 0:
		return fmt.Errorf("llm: max stored responses %d: want at least 1 (WithMaxStoredResponses)", s.maxStored)
	}
	return nil
}
