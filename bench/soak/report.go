package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/llmchaos/llmchaos/reports"
)

// reportCheck is what the soak found in the run's report folder.
type reportCheck struct {
	Bytes    int64 // every file of the folder
	Files    int
	HTML     int64 // index.html
	Report   *reports.Report
	Rerender string // the folder `llmchaos report DIR -o` wrote
}

// checkReport reads the run's report folder as the project reads it (reports.ReadDir: the
// summary's manifest, every scenario's JSON), checks index.html names the scenario, and
// renders the folder again with `llmchaos report DIR -o` (exit 0 or 1: rendered), so the
// report of a long run is proven readable and renderable, not only written.
func checkReport(ctx context.Context, bin, dir, rerender string) (*reportCheck, error) {
	var c reportCheck
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			c.Bytes += info.Size()
			c.Files++
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("report folder %s: %w", dir, err)
	}
	reps, err := reports.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("report folder %s does not read back: %w", dir, err)
	}
	if len(reps) != 1 || reps[0].Scenario != "soak" {
		return nil, fmt.Errorf("report folder %s holds %d reports, want the soak's alone", dir, len(reps))
	}
	c.Report = reps[0]
	html, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil || !strings.Contains(string(html), "soak") {
		return nil, fmt.Errorf("index.html of %s is missing or does not name the scenario (%v)", dir, err)
	}
	c.HTML = int64(len(html))
	out, err := exec.CommandContext(ctx, bin, "report", dir, "-o", rerender).CombinedOutput()
	if code := exitCodeOf(err); code != 0 && code != 1 {
		return nil, fmt.Errorf("llmchaos report %s -o %s: exit %d: %s", dir, rerender, code, out)
	}
	if _, err := os.Stat(filepath.Join(rerender, "index.html")); err != nil {
		return nil, fmt.Errorf("llmchaos report -o wrote no index.html: %w", err)
	}
	c.Rerender = rerender
	return &c, nil
}

// exitCodeOf is a finished command's exit code (-1 when it did not run or was killed).
func exitCodeOf(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}
