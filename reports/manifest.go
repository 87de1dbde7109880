package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// readManifest returns the report files dir's summary.json lists (joined with dir), in
// its order; ok is false when dir has no summary.json. summary.json is the manifest of
// the last run written into dir: a report file from an earlier run that is still there
// is not read. A listed name that is not a plain *.json file name in dir (a path, "..")
// is an error naming it.
func readManifest(dir string) (paths []string, ok bool, err error) {
	names, err := manifestNames(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	for _, n := range names {
		paths = append(paths, filepath.Join(dir, n))
	}
	return paths, true, nil
}

// manifestNames reads dir's summary.json and returns the report file names it lists,
// each checked to be a plain *.json name inside dir.
func manifestNames(dir string) ([]string, error) {
	p := filepath.Join(dir, FileSummary)
	b, err := readBounded(p)
	if err != nil {
		return nil, err
	}
	var sum Summary
	if err := json.Unmarshal(b, &sum); err != nil {
		return nil, fmt.Errorf("read %s: not a summary JSON: %w (remove it to read every report in %s)", p, err, dir)
	}
	if sum.Schema != SchemaSummary {
		return nil, fmt.Errorf("read %s: schema %q is not %q (remove it to read every report in %s)", p, sum.Schema, SchemaSummary, dir)
	}
	names := make([]string, 0, len(sum.Scenarios))
	for _, e := range sum.Scenarios {
		if !plainReportName(e.File) {
			return nil, fmt.Errorf("read %s: it lists %q, which is not a report file name in %s (a manifest names files next to it)", p, e.File, dir)
		}
		names = append(names, e.File)
	}
	return names, nil
}

// plainReportName: a *.json file name with no directory part, not summary.json.
func plainReportName(name string) bool {
	return name != "" && name == filepath.Base(name) && name != "." && name != ".." &&
		!strings.ContainsAny(name, `/\`) && strings.HasSuffix(name, ".json") && name != FileSummary
}

// removeStale removes the report files the previous manifest of dir listed that the new
// set does not write, so a reused folder holds only the last run. Only plain report
// names listed by a valid manifest are removed; anything else is left alone.
func removeStale(dir string, previous []string, written []string) error {
	keep := map[string]bool{}
	for _, n := range written {
		keep[n] = true
	}
	var errs []error
	for _, n := range previous {
		if keep[n] || !plainReportName(n) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remove the previous run's reports from %s: %w", dir, err)
	}
	return nil
}
