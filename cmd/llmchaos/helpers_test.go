package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// repoRoot is the module root, seen from this package's directory (go test's working dir).
const repoRoot = "../.."

// binDir holds the binaries the tests build; TestMain creates and removes it.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "llmchaos-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "make the binaries' temp dir:", err)
		os.Exit(2)
	}
	binDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// builds builds each package once per test binary, whichever test asks first.
var builds struct {
	mu   sync.Mutex
	once map[string]*buildOnce
}

type buildOnce struct {
	once sync.Once
	path string
	err  error
}

// binary returns the path of pkg (a path under the repo root, e.g. "./examples/gateway")
// built with go build into binDir, building it on first use. A package under examples/ is
// built in the examples module (examples/go.mod), where the reference apps live.
func binary(t testing.TB, pkg string) string {
	t.Helper()
	builds.mu.Lock()
	if builds.once == nil {
		builds.once = map[string]*buildOnce{}
	}
	b := builds.once[pkg]
	if b == nil {
		b = &buildOnce{}
		builds.once[pkg] = b
	}
	builds.mu.Unlock()
	b.once.Do(func() {
		b.path = filepath.Join(binDir, filepath.Base(pkg))
		dir, rel := repoRoot, pkg
		if app, ok := strings.CutPrefix(pkg, "./examples/"); ok {
			dir, rel = filepath.Join(repoRoot, "examples"), "./"+app
		}
		cmd := exec.Command("go", "build", "-o", b.path, rel)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// cli runs the CLI in-process through dispatch.
func cli(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	var out, errb syncBuffer
	code = dispatch(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

// scenarioSpec is what a test scenario file varies; writeScenario fills in the rest.
type scenarioSpec struct {
	Name        string
	Description string
	// Command starts the app (absolute paths).
	Command []string
	// Env is added to the upstream variables every app reads.
	Env map[string]string
	// Timeline is the YAML list items, one per phase.
	Timeline []string
	SLOs     []string
}

// dropoutTimeline is a short provider-dropout: the primary is down in the middle phase.
var dropoutTimeline = []string{
	"{phase: steady, for: 1s}",
	"{phase: outage, for: 3s, faults: [{upstream: primary, type: down}]}",
	"{phase: recovery, for: 1500ms}",
}

// dropoutSLOs are held by the gateway and breached by the naive app on dropoutTimeline.
var dropoutSLOs = []string{"availability(outage) >= 0.95", "availability(recovery) >= 0.9"}

// writeScenario writes sp as a scenario file in dir (the shape of
// scenarios/provider-dropout.yaml) and returns its path.
func writeScenario(t testing.TB, dir string, sp scenarioSpec) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\n", sp.Name)
	if sp.Description != "" {
		fmt.Fprintf(&b, "description: %q\n", sp.Description)
	}
	b.WriteString(`seed: 1
upstreams:
  primary:   {kind: openai}
  secondary: {kind: anthropic}
  collector: {kind: otlp}
  store:     {kind: store}
sut:
  command: [`)
	for i, c := range sp.Command {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", c)
	}
	b.WriteString(`]
  env:
    LISTEN_ADDR: "{{ .SUT.Addr }}"
    PRIMARY_URL: "{{ .Upstreams.primary.URL }}"
    SECONDARY_URL: "{{ .Upstreams.secondary.URL }}"
    OTEL_EXPORTER_OTLP_ENDPOINT: "{{ .Upstreams.collector.URL }}"
    STORE_URL: "{{ .Upstreams.store.URL }}"
`)
	for k, v := range sp.Env {
		fmt.Fprintf(&b, "    %s: %q\n", k, v)
	}
	b.WriteString(`  ready: {path: /healthz, timeout: 30s}
load:
  rate: 20/s
  timeout: 2s
  request:
    protocol: openai-chat
    path: /v1/chat/completions
    stream: true
timeline:
`)
	for _, p := range sp.Timeline {
		fmt.Fprintf(&b, "  - %s\n", p)
	}
	b.WriteString("slo:\n")
	for _, s := range sp.SLOs {
		fmt.Fprintf(&b, "  - %s\n", s)
	}
	path := filepath.Join(dir, sp.Name+".yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// readFile returns path's content or fails the test.
func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
