package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/scenarios"
)

// The soak's scenario, rendered with the defaults, is a valid scenario file of the
// project (it loads as `llmchaos run` loads it) at the asked rate and duration, with the
// harness's own templates left for the harness.
func TestSoakScenarioLoads(t *testing.T) {
	exe, err := os.Executable() // a program that exists, standing for the gateway
	if err != nil {
		t.Fatal(err)
	}
	s, err := renderScenario(scenarioData{Rate: DefaultRate, Duration: DefaultDuration, Gateway: exe})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"rate: 500/s", "for: 10m0s", `command: ["` + exe + `"]`, `"{{ .Upstreams.primary.URL }}"`, "stream: true"} {
		if !strings.Contains(s, want) {
			t.Errorf("the rendered scenario lacks %q:\n%s", want, s)
		}
	}
	if _, err := scenarios.Parse("soak.yaml", []byte(s)); err != nil {
		t.Fatalf("the rendered soak scenario does not load: %v", err)
	}
	if strings.Contains(s, "answer_words") {
		t.Errorf("the default scenario sets answer_words:\n%s", s)
	}

	// SOAK_WORDS reaches both LLM upstreams, and the file still loads with it.
	s, err = renderScenario(scenarioData{Rate: DefaultRate, Duration: DefaultDuration, Gateway: exe, Words: 8})
	if err != nil {
		t.Fatal(err)
	}
	f, err := scenarios.Parse("soak.yaml", []byte(s))
	if err != nil {
		t.Fatalf("the soak scenario with 8 words does not load: %v\n%s", err, s)
	}
	words := map[string]int{}
	for _, u := range f.Scenario.Upstreams {
		words[u.Name] = u.AnswerWords
	}
	if words["primary"] != 8 || words["secondary"] != 8 {
		t.Errorf("answer_words by upstream: %v, want 8 for primary and secondary", words)
	}
}

func TestConfigFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := configFromEnv(env(nil))
	if err != nil || c.Duration != 10*time.Minute || c.Rate != 500 || c.SampleEvery != 15*time.Second || c.MockJournal != 60_000 || c.MemProfile != "" {
		t.Fatalf("defaults: %+v, %v", c, err)
	}
	c, err = configFromEnv(env(map[string]string{"SOAK_DURATION": "1m", "SOAK_RATE": "200", "SOAK_MEMPROFILE": "/tmp/heap.pprof"}))
	if err != nil || c.Duration != time.Minute || c.Rate != 200 || c.SampleEvery != 6*time.Second || c.MockJournal != 2400 || c.MemProfile != "/tmp/heap.pprof" {
		t.Fatalf("a 1-minute trial at 200/s: %+v, %v", c, err)
	}
	if c.MockRate != 200 || c.Words != 0 {
		t.Fatalf("the standalone mock's rate follows the run's, words default: %+v", c)
	}
	c, err = configFromEnv(env(map[string]string{"SOAK_DURATION": "1m", "SOAK_MOCK_RATE": "100", "SOAK_WORDS": "8"}))
	if err != nil || c.Rate != 500 || c.MockRate != 100 || c.MockJournal != 1200 || c.Words != 8 {
		t.Fatalf("the standalone mock at 100/s, 8 words: %+v, %v", c, err)
	}
	for _, bad := range []map[string]string{{"SOAK_DURATION": "5s"}, {"SOAK_RATE": "0"}, {"SOAK_RATE": "x"}, {"SOAK_MOCK_JOURNAL": "0"}, {"SOAK_SAMPLE_EVERY": "1ms"},
		{"SOAK_MOCK_RATE": "0"}, {"SOAK_MOCK_RATE": "10001"}, {"SOAK_WORDS": "0"}, {"SOAK_WORDS": "1001"}, {"SOAK_WORDS": "many"}} {
		if _, err := configFromEnv(env(bad)); err == nil {
			t.Errorf("%v: accepted", bad)
		}
	}
}

func TestProcParsing(t *testing.T) {
	kb, err := parseVmRSS("Name:\tgateway\nVmPeak:\t  9000 kB\nVmRSS:\t   12345 kB\nThreads: 7\n")
	if err != nil || kb != 12345 {
		t.Fatalf("VmRSS: %d, %v", kb, err)
	}
	if _, err := parseVmRSS("Name:\tzombie\n"); err == nil {
		t.Fatal("a status without VmRSS was read")
	}
	pid, ppid, comm, ok := parseStat("4242 (my (odd) app) S 4200 4242 4200 0 -1")
	if !ok || pid != 4242 || ppid != 4200 || comm != "my (odd) app" {
		t.Fatalf("stat: %d %d %q %v", pid, ppid, comm, ok)
	}
}

func TestCPUParsing(t *testing.T) {
	// pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
	s, err := parseCPU("4242 (a b) S 4200 4242 4200 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 7")
	if err != nil || s != 3 {
		t.Fatalf("cpu: %v s, %v; want 3 s (250 + 50 ticks)", s, err)
	}
	if _, err := parseCPU("4242 (short) S 1"); err == nil {
		t.Fatal("a short stat line was read")
	}
}
