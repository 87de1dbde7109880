package main

import (
	"fmt"
	"strconv"
	"time"
)

// Defaults of the soak (issue 12's long run); SOAK_DURATION, SOAK_RATE, SOAK_SAMPLE_EVERY
// and SOAK_MOCK_JOURNAL override them, e.g. SOAK_DURATION=1m for a trial. SOAK_MEMPROFILE
// names a file for the harness's heap profile (llmchaos run --memprofile).
const (
	DefaultDuration = 10 * time.Minute
	DefaultRate     = 500
	// DefaultMaxSampleEvery is the longest time between two RSS samples; shorter runs
	// sample ten times.
	DefaultMaxSampleEvery = 15 * time.Second
)

// config is one soak's settings.
type config struct {
	Duration    time.Duration
	Rate        int
	SampleEvery time.Duration
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
	c.SampleEvery = min(DefaultMaxSampleEvery, max(time.Second, c.Duration/10))
	if s := getenv("SOAK_SAMPLE_EVERY"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < 100*time.Millisecond {
			return c, fmt.Errorf("SOAK_SAMPLE_EVERY=%q: want a duration of at least 100ms", s)
		}
		c.SampleEvery = d
	}
	c.MockJournal = max(1000, int(float64(c.Rate)*c.Duration.Seconds()/5))
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
