package main

import (
	"fmt"
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
	if s := getenv("SOAK_DURATION"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < 10*time.Second {
			return c, fmt.Errorf("SOAK_DURATION=%q: want a duration of at least 10s (e.g. 1m)", s)
		}
		c.Duration = d
	}
	if s := getenv("SOAK_RATE"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 10_000 {
			return c, fmt.Errorf("SOAK_RATE=%q: want requests per second, 1 to 10000", s)
		}
		c.Rate = n
	}
	c.MockRate = c.Rate
	if s := getenv("SOAK_MOCK_RATE"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 10_000 {
			return c, fmt.Errorf("SOAK_MOCK_RATE=%q: want the standalone mock's requests per second, 1 to 10000", s)
		}
		c.MockRate = n
	}
	if s := getenv("SOAK_WORDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxWords {
			return c, fmt.Errorf("SOAK_WORDS=%q: want the words of an answer, 1 to %d", s, MaxWords)
		}
		c.Words = n
	}
	c.SampleEvery = min(DefaultMaxSampleEvery, max(time.Second, c.Duration/10))
	if s := getenv("SOAK_SAMPLE_EVERY"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < 100*time.Millisecond {
			return c, fmt.Errorf("SOAK_SAMPLE_EVERY=%q: want a duration of at least 100ms", s)
		}
		c.SampleEvery = d
	}
	c.MockJournal = max(1000, int(float64(c.MockRate)*c.Duration.Seconds()/5))
	if s := getenv("SOAK_MOCK_JOURNAL"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return c, fmt.Errorf("SOAK_MOCK_JOURNAL=%q: want the standalone mock's journal limit, at least 1", s)
		}
		c.MockJournal = n
	}
	c.MemProfile = getenv("SOAK_MEMPROFILE")
	return c, nil
}
