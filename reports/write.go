package reports

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// The files WriteAll writes next to the per-scenario <scenario>.json files.
const (
	FileSummary  = "summary.json"
	FileHTML     = "index.html"
	FileMarkdown = "report.md"
	FileJUnit    = "junit.xml"
)

// WriteOption configures WriteAll.
type WriteOption func(*writeConfig)

type writeConfig struct {
	now      func() time.Time
	markdown Markdown
	html     HTML
	red      *Redactor
	shard    *ShardInfo
}

// WithGeneratedAt stamps summary.json and the pages with t instead of the current time
// (for reproducible output).
func WithGeneratedAt(t time.Time) WriteOption {
	return func(c *writeConfig) { c.now = func() time.Time { return t } }
}

// WithHTMLTitle sets the HTML page's title.
func WithHTMLTitle(title string) WriteOption { return func(c *writeConfig) { c.html.Title = title } }

// WithRedaction cleans every report with red before anything is written (Clean): the
// caller's literal secrets (an environment's keys) are redacted too, on top of the
// credential shapes every renderer redacts.
func WithRedaction(red *Redactor) WriteOption { return func(c *writeConfig) { c.red = red } }

// WithMarkdownLogLines sets how many log lines the Markdown report shows per failed
// scenario (negative: none).
func WithMarkdownLogLines(n int) WriteOption {
	return func(c *writeConfig) { c.markdown.LogLines = n }
}

// WriteAll writes the whole report set into dir (created if needed): one
// <scenario>.json per report (names from FileNames), summary.json, index.html,
// report.md and junit.xml. Every report is cleaned first (Clean: secrets redacted,
// control characters escaped). summary.json is the folder's manifest (ReadDir reads what
// it lists): the report files the previous summary.json listed that this set does not
// write are removed, so a reused folder holds only the last run; nothing else in dir is
// touched. It returns the paths written, reports first.
func WriteAll(dir string, reps []*Report, opts ...WriteOption) ([]string, error) {
	cfg := writeConfig{now: time.Now, red: DefaultRedactor()}
	for _, o := range opts {
		o(&cfg)
	}
	reps = Clean(reps, cfg.red)
	cfg.markdown.Redactor, cfg.html.Redactor = cfg.red, cfg.red
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create report directory: %w", err)
	}
	previous, _ := manifestNames(dir) // an unreadable manifest removes nothing
	sum := NewSummary(reps, cfg.now())
	sum.Shard = cfg.shard
	var paths []string
	write := func(name string, render func(*bytes.Buffer) error) error {
		var buf bytes.Buffer
		if err := render(&buf); err != nil {
			return err
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write report file: %w", err)
		}
		paths = append(paths, p)
		return nil
	}
	for i, name := range FileNames(reps) {
		r := reps[i]
		if err := write(name, func(b *bytes.Buffer) error { return r.WriteJSON(b) }); err != nil {
			return paths, err
		}
	}
	steps := []struct {
		name string
		r    Renderer
	}{{FileSummary, nil}, {FileHTML, cfg.html}, {FileMarkdown, cfg.markdown}, {FileJUnit, JUnit{Redactor: cfg.red}}}
	for _, s := range steps {
		err := write(s.name, func(b *bytes.Buffer) error {
			if s.r == nil {
				return sum.WriteJSON(b)
			}
			return s.r.Render(b, reps, sum)
		})
		if err != nil {
			return paths, err
		}
	}
	if err := removeStale(dir, previous, FileNames(reps)); err != nil {
		return paths, err
	}
	return paths, nil
}

// PrepareDir makes sure reports can be written into dir before anything runs: it creates
// dir (and its parents) when missing and checks a file can be created in it. The error
// names dir and why (a file is in the way, no permission), so a run is refused before
// it starts instead of losing its results when it ends.
func PrepareDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report folder %s cannot be created: %w (give --out a folder you can write)", dir, err)
	}
	f, err := os.CreateTemp(dir, ".llmchaos-write-check-*")
	if err != nil {
		return fmt.Errorf("report folder %s is not writable: %w (give --out a folder you can write)", dir, err)
	}
	name := f.Name()
	_ = f.Close()
	return os.Remove(name)
}
