package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// ReadReport loads one report file written by WriteAll or Report.WriteJSON.
func ReadReport(path string) (*Report, error) {
	b, err := readBounded(path)
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	r, err := DecodeReport(b)
	if err != nil {
		return nil, fmt.Errorf("read report %s: %w", path, err)
	}
	return r, nil
}

// SupportedReportSchemas are the report schema versions this build reads.
var SupportedReportSchemas = []string{SchemaReport}

// DecodeReport parses a report, checking its schema key is one of
// SupportedReportSchemas: a report of a newer version (llmchaos.report/v99) is refused,
// naming the versions this build reads, rather than read wrongly.
func DecodeReport(b []byte) (*Report, error) {
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("not a report JSON: %w", err)
	}
	if !slices.Contains(SupportedReportSchemas, r.Schema) {
		if isReportSchema(r.Schema) {
			return nil, fmt.Errorf("schema %q is a report version this llmchaos does not read (it reads %s): use the llmchaos that wrote it, or a newer one", r.Schema, strings.Join(SupportedReportSchemas, ", "))
		}
		return nil, fmt.Errorf("schema %q is not %q: pass a <scenario>.json written by llmchaos", r.Schema, SchemaReport)
	}
	return &r, nil
}

func isReportSchema(s string) bool { return strings.HasPrefix(s, "llmchaos.report/") }

// ReadDir loads the reports of dir, sorted by scenario name: those its summary.json lists
// (the manifest of the last run written there), or, when it has no summary.json, every
// *.json file whose schema is a report. It fails when there is none.
func ReadDir(dir string) ([]*Report, error) {
	names, ok, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	if !ok {
		if names, err = filepath.Glob(filepath.Join(dir, "*.json")); err != nil {
			return nil, fmt.Errorf("list reports in %s: %w", dir, err)
		}
	}
	var reps []*Report
	for _, n := range names {
		b, err := readBounded(n)
		if err != nil {
			return nil, fmt.Errorf("read report: %w", err)
		}
		var head struct {
			Schema string `json:"schema"`
		}
		if !ok && (json.Unmarshal(b, &head) != nil || !isReportSchema(head.Schema)) {
			continue // not ours: a folder read whole skips other JSON files
		}
		r, err := DecodeReport(b)
		if err != nil {
			return nil, fmt.Errorf("read report %s: %w", n, err)
		}
		reps = append(reps, r)
	}
	if len(reps) == 0 {
		return nil, fmt.Errorf("no llmchaos report (*.json with schema %q) in %s: pass the --out directory of llmchaos run", SchemaReport, dir)
	}
	sort.SliceStable(reps, func(i, j int) bool { return reps[i].Scenario < reps[j].Scenario })
	return reps, nil
}

// Load reads reports from each path: a directory (ReadDir) or a single report file.
func Load(paths ...string) ([]*Report, error) {
	if len(paths) == 0 {
		return nil, errors.New("load reports: no path given: pass a report directory or file")
	}
	var all []*Report
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("load reports: %w", err)
		}
		if st.IsDir() {
			reps, err := ReadDir(p)
			if err != nil {
				return nil, err
			}
			all = append(all, reps...)
			continue
		}
		r, err := ReadReport(p)
		if err != nil {
			return nil, err
		}
		all = append(all, r)
	}
	return all, nil
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error { return writeJSON(w, r) }

// WriteJSON writes the summary as indented JSON.
func (s *Summary) WriteJSON(w io.Writer) error { return writeJSON(w, s) }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}
