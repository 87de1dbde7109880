package main

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"time"
)

//go:embed scenario.yaml.tmpl
var scenarioTemplate string

// scenarioData fills scenario.yaml.tmpl.
type scenarioData struct {
	Rate     int
	Duration time.Duration
	Gateway  string
	// Words is the LLM mocks' answer_words; 0 leaves their default.
	Words int
}

// renderScenario returns the soak's scenario file for d. Its own fields use [[ ]], so the
// harness's {{ }} templates pass through.
func renderScenario(d scenarioData) (string, error) {
	t, err := template.New("soak").Delims("[[", "]]").Option("missingkey=error").Parse(scenarioTemplate)
	if err != nil {
		return "", fmt.Errorf("soak scenario template: %w", err)
	}
	var b strings.Builder
	if err := t.Execute(&b, d); err != nil {
		return "", fmt.Errorf("soak scenario template: %w", err)
	}
	return b.String(), nil
}

// writeScenario renders the scenario into dir/soak.yaml and returns its path.
func writeScenario(dir string, d scenarioData) (string, error) {
	s, err := renderScenario(d)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "soak.yaml")
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		return "", fmt.Errorf("write the soak scenario: %w", err)
	}
	return path, nil
}
