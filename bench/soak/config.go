package main

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Defaults of the soak (issue 12's long run); SOAK_DURATION, SOAK_RATE, SOAK_SAMPLE_EVERY,
// SOAK_WORDS, SOAK_MOCK_RATE and SOAK_MOCK_JOURNAL override them, e.g. SOAK_DURATION=1m
// for a trial. SOAK_MEMPROFILE names a file for the harness's heap profile (llmchaos run
// --memprofile).
const (
	DefaultDuration = 10 * time.Minute
	DefaultRate     = 500
	// DefaultMaxSampleEvery is the longest time between two RSS samples; shorter runs
	// sample ten times.
	DefaultMaxSampleEvery = 15 * time.Second
	// MaxWords is the most SOAK_WORDS may ask (the mocks' own limit is higher: a soak's
	// answers are for load, not size).
	MaxWords = 1000
)

// config is one soak's settings.
type config struct {
	Duration    time.Duration
	Rate        int
	SampleEvery time.Duration
	// Words is the words in every answer, of the run's mocks and the standalone one
	// (answer_words, --words); 0 leaves the mocks' default (24). Fewer words make a
	// streamed answer fewer chunks, so fewer system calls at every hop.
	Words int
	// MockRate is the rate, per second, of the standalone mock's client (SOAK_MOCK_RATE);
	// by default the run's rate. Its client and the mock take CPU from the run.
	MockRate int
	// MockJournal is the standalone mock's --journal-limit: by default a fifth of the
	// requests it gets, so its journal is full after a fifth of the run and the rest of
	// the run shows whether its memory stays flat.
	MockJournal int
	// MemProfile is llmchaos run's --memprofile file, "" for none.
	MemProfile string
}

// configFromEnv reads the soak's settings from getenv (os.Getenv).
func configFromEnv(getenv func(string) string) (config, error) {
	c := config{Duration: DefaultDuration, Rate: DefaultRate}
	if err := durationSetting(getenv, "SOAK_DURATION", &c.Duration, 10*time.Second, " (e.g. 1m)"); err != nil {
		return c, err
	}
	if err := intSetting(getenv, "SOAK_RATE", &c.Rate, 1, 10_000, "requests per second"); err != nil {
		return c, err
	}
	c.MockRate = c.Rate
	if err := intSetting(getenv, "SOAK_MOCK_RATE", &c.MockRate, 1, 10_000, "the standalone mock's requests per second"); err != nil {
		return c, err
	}
	if err := intSetting(getenv, "SOAK_WORDS", &c.Words, 1, MaxWords, "the words of an answer"); err != nil {
		return c, err
	}
	c.SampleEvery = min(DefaultMaxSampleEvery, max(time.Second, c.Duration/10))
	if err := durationSetting(getenv, "SOAK_SAMPLE_EVERY", &c.SampleEvery, 100*time.Millisecond, ""); err != nil {
		return c, err
	}
	c.MockJournal = max(1000, int(float64(c.MockRate)*c.Duration.Seconds()/5))
	if err := intSetting(getenv, "SOAK_MOCK_JOURNAL", &c.MockJournal, 1, math.MaxInt, "the standalone mock's journal limit"); err != nil {
		return c, err
	}
	c.MemProfile = getenv("SOAK_MEMPROFILE")
	return c, nil
}

// intSetting sets *dst to the integer in the environment variable name when it is set,
// or says what it wants: what, from lo to hi (math.MaxInt: no upper bound).
func intSetting(getenv func(string) string, name string, dst *int, lo, hi int, what string) error {
	s := getenv(name)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		if hi == math.MaxInt {
			return fmt.Errorf("%s=%q: want %s, at least %d", name, s, what, lo)
		}
		return fmt.Errorf("%s=%q: want %s, %d to %d", name, s, what, lo, hi)
	}
	*dst = n
	return nil
}

// durationSetting sets *dst to the duration in the environment variable name when it is
// set, or says it wants one no shorter than least (example, if any, ends the message).
func durationSetting(getenv func(string) string, name string, dst *time.Duration, least time.Duration, example string) error {
	s := getenv(name)
	if s == "" {
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < least {
		return fmt.Errorf("%s=%q: want a duration of at least %v%s", name, s, least, example)
	}
	*dst = d
	return nil
}
