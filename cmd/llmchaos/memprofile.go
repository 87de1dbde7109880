package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/scenarios"
)

// memProfiler writes llmchaos run --memprofile: a heap profile (pprof's "heap": in-use
// and allocated space by allocation site, read with go tool pprof) taken after a garbage
// collection when a run's load ends, before its mocks are closed and its Result is built.
// That is when a run holds the most: its samples, its in-process mocks' journals and
// state, its proxies. Each run's end overwrites the file, so with several runs it holds
// the last one's. A nil *memProfiler does nothing.
type memProfiler struct {
	path string
	mu   sync.Mutex
	err  error
}

func newMemProfiler(path string) *memProfiler {
	if path == "" {
		return nil
	}
	return &memProfiler{path: path}
}

// wrap is fn, writing the profile first when pr says a run's load ended.
func (m *memProfiler) wrap(fn func(*scenarios.File, int, harness.Progress)) func(*scenarios.File, int, harness.Progress) {
	if m == nil {
		return fn
	}
	return func(f *scenarios.File, run int, pr harness.Progress) {
		if pr.Done {
			m.write()
		}
		fn(f, run, pr)
	}
}

func (m *memProfiler) write() {
	m.mu.Lock()
	defer m.mu.Unlock()
	runtime.GC() // the profile's in-use figures are as of the last collection
	f, err := os.Create(m.path)
	if err == nil {
		err = pprof.Lookup("heap").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil && m.err == nil {
		m.err = fmt.Errorf("--memprofile: %w", err)
	}
}

// Err is the first error writing the profile, nil when every write worked (or none was asked).
func (m *memProfiler) Err() error {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.err
}
