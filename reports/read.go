package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ReadReport loads one report file written by WriteAll or Report.WriteJSON.
func ReadReport(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	r, err := DecodeReport(b)
	if err != nil {
		return nil, fmt.Errorf("read report %s: %w", path, err)
	}
	return r, nil
}

// DecodeReport parses a report, checking its schema key.
func DecodeReport(b []byte) (*Report, error) {
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("not a report JSON: %w", err)
	}
	if !isReportSchema(r.Schema) {
		return nil, fmt.Errorf("schema %q is not %q: pass a <scenario>.json written by llmchaos", r.Schema, SchemaReport)
	}
	return &r, nil
}

func isReportSchema(s string) bool { return strings.HasPrefix(s, "llmchaos.report/") }

// ReadDir loads every report in dir (files *.json whose schema is a report; summary.json
// and other JSON files are skipped), sorted by scenario name. It fails when there is none.
func ReadDir(dir string) ([]*Report, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("list reports in %s: %w", dir, err)
	}
	var reps []*Report
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, fmt.Errorf("read report: %w", err)
		}
		var head struct {
			Schema string `json:"schema"`
		}
		if json.Unmarshal(b, &head) != nil || !isReportSchema(head.Schema) {
			continue
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
