package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/scenarios"
)

// TestMemProfileWrittenWhenTheLoadEnds checks --memprofile's writer: nothing while a run's
// load goes on, a heap profile (gzipped pprof with the in-use sample types) once an update
// says the load ended, written before the progress printer sees that update.
func TestMemProfileWrittenWhenTheLoadEnds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "heap.pprof")
	mp := newMemProfiler(path)
	var existedAtDone bool
	update := mp.wrap(func(_ *scenarios.File, _ int, pr harness.Progress) {
		if pr.Done {
			_, err := os.Stat(path)
			existedAtDone = err == nil
		}
	})
	f := &scenarios.File{Path: "x.yaml"}
	update(f, 1, harness.Progress{Phase: "steady"})
	if _, err := os.Stat(path); err == nil {
		t.Fatal("a profile was written before the load ended")
	}
	update(f, 1, harness.Progress{Phase: "steady", Done: true})
	if !existedAtDone {
		t.Fatal("the profile was not written before the update went on")
	}
	if err := mp.Err(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not a gzipped pprof profile: %v", err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"inuse_space", "inuse_objects", "alloc_space"} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("the profile names no %s sample type", want)
		}
	}
}

// TestMemProfileErrors checks that a profile that cannot be written is an error naming
// the flag, and that no --memprofile writes nothing and passes updates through.
func TestMemProfileErrors(t *testing.T) {
	mp := newMemProfiler(filepath.Join(t.TempDir(), "no-such-dir", "heap.pprof"))
	called := 0
	mp.wrap(func(*scenarios.File, int, harness.Progress) { called++ })(&scenarios.File{}, 1, harness.Progress{Done: true})
	if called != 1 {
		t.Errorf("the wrapped update ran %d times, want 1", called)
	}
	if err := mp.Err(); err == nil || !strings.Contains(err.Error(), "--memprofile") {
		t.Errorf("Err() = %v, want an error naming --memprofile", err)
	}
	var none *memProfiler = newMemProfiler("")
	if none != nil || none.Err() != nil {
		t.Errorf("no --memprofile: got %v", none)
	}
	none.wrap(func(*scenarios.File, int, harness.Progress) { called++ })(&scenarios.File{}, 1, harness.Progress{Done: true})
	if called != 2 {
		t.Errorf("without --memprofile the update did not pass through")
	}
}
