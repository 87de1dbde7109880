package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/scenarios"
)

// stagingUpstreams are the catalog's four upstreams: name, `llmchaos mock` kind.
var stagingUpstreams = [][2]string{{"primary", "llm"}, {"secondary", "llm"}, {"collector", "telemetry"}, {"store", "store"}}

// freeAddr is a loopback address nothing listens on now (for programs that take a port
// and cannot report the one they got).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startProcess starts a program that runs until the test ends.
func startProcess(t *testing.T, env []string, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd
}

// waitHTTP waits until GET url answers 2xx.
func waitHTTP(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode/100 == 2 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer 2xx within 60s: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond) // polling a separate process's readiness
	}
}

// startMock starts `llmchaos mock KIND --name NAME` on a free port and returns its URL,
// read from the line it prints.
func startMock(t *testing.T, llmchaos, kind, name string) string {
	t.Helper()
	cmd := exec.Command(llmchaos, "mock", kind, "--listen", "127.0.0.1:0", "--name", name)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	go func() { _, _ = io.Copy(io.Discard, out) }()
	m := regexp.MustCompile(`serving on (http://\S+)`).FindStringSubmatch(line)
	if err != nil || m == nil {
		t.Fatalf("mock %s %s printed %q, %v", kind, name, line, err)
	}
	return m[1]
}

// stagingFile rewrites a catalog file for the staging topology: every upstream remote
// (the mock's URL) behind a proxy on a fixed address, the app already running at appURL.
func stagingFile(t *testing.T, dir, catalogFile string, mocks, listen map[string]string, appURL string) string {
	t.Helper()
	b, err := os.ReadFile(catalogFile)
	if err != nil {
		t.Fatal(err)
	}
	var ups strings.Builder
	ups.WriteString("upstreams:\n")
	kinds := map[string]string{"primary": "openai", "secondary": "anthropic", "collector": "otlp", "store": "store"}
	for _, u := range stagingUpstreams {
		fmt.Fprintf(&ups, "  %s: {kind: %s, remote: %q, listen: %q}\n", u[0], kinds[u[0]], mocks[u[0]], listen[u[0]])
	}
	fmt.Fprintf(&ups, "sut:\n  url: %q\n  ready: {path: /healthz, timeout: 60s}\n", appURL)
	s := regexp.MustCompile(`(?s)upstreams:\n.*?\nload:`).ReplaceAllString(string(b), strings.ReplaceAll(ups.String(), "$", "$$")+"load:")
	p := filepath.Join(dir, filepath.Base(catalogFile))
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// breachedOf reads a report: its verdict and its breached SLOs.
func breachedOf(t *testing.T, path string) (verdict string, breached []string) {
	t.Helper()
	var r struct {
		Verdict string
		SLOs    []struct {
			Expr string
			Pass bool
		}
	}
	if err := json.Unmarshal([]byte(readFile(t, path)), &r); err != nil {
		t.Fatal(err)
	}
	for _, s := range r.SLOs {
		if !s.Pass {
			breached = append(breached, s.Expr)
		}
	}
	return r.Verdict, breached
}

// sameJudgement fails t unless the staged and embedded runs of one file against app give
// the same verdict, the one the file expects, and both breach every SLO it expects
// breached. Other SLOs may differ: the catalog knows some of the naive app's SLOs to
// be flaky (BENCHMARKS.md, make stability), and one run each cannot compare them.
func sameJudgement(t *testing.T, file, app, staged, embedded string) {
	t.Helper()
	f, err := scenarios.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	exp, ok := f.Expect[app]
	if !ok {
		t.Fatalf("%s has no expectation for %s", file, app)
	}
	gotV, got := breachedOf(t, staged)
	wantV, want := breachedOf(t, embedded)
	if gotV != wantV {
		t.Errorf("verdicts differ: staging %s %v; embedded %s %v", gotV, got, wantV, want)
	}
	if wantPass := map[bool]string{true: "pass", false: "fail"}[exp.Pass]; wantV != wantPass {
		t.Errorf("embedded verdict %s for %s, the file expects %s", wantV, app, wantPass)
	}
	for _, e := range exp.Breached {
		if !slices.Contains(got, e) || !slices.Contains(want, e) {
			t.Errorf("%q is expected breached: staging breached %v, embedded %v", e, got, want)
		}
	}
	t.Logf("%s against %s: staging %s %v; embedded %s %v", filepath.Base(file), app, gotV, got, wantV, want)
}

// TestStagingTopologyOnLoopback plays the staging topology with separate processes: a
// real toxiproxy-server (built from the pinned module's cmd/server), the four mocks
// started with `llmchaos mock`, the app started by the test on its own with the proxies'
// fixed addresses, and `llmchaos run --toxiproxy URL --sut-url URL` on files that name
// only URLs. The verdicts equal the embedded run's of the same catalog files, and both
// breach the SLOs the files expect breached, for the gateway and for the naive app (which
// fails them: the negative control).
func TestStagingTopologyOnLoopback(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the staging topology on loopback (toxiproxy-server, mocks, app, llmchaos as separate processes); make test runs it")
	}
	t.Parallel()
	llmchaos := binary(t, "./cmd/llmchaos")
	dir := t.TempDir()
	toxi := filepath.Join(dir, "toxiproxy-server")
	if out, err := exec.Command("go", "build", "-o", toxi, "github.com/Shopify/toxiproxy/v2/cmd/server").CombinedOutput(); err != nil {
		t.Fatalf("build toxiproxy-server from the pinned module: %v\n%s", err, out)
	}
	toxiAddr := freeAddr(t)
	host, port, _ := net.SplitHostPort(toxiAddr)
	startProcess(t, nil, toxi, "-host", host, "-port", port)
	toxiURL := "http://" + toxiAddr
	waitHTTP(t, toxiURL+"/version")
	mocks, listen := map[string]string{}, map[string]string{}
	for _, u := range stagingUpstreams {
		mocks[u[0]] = startMock(t, llmchaos, u[1], u[0])
		listen[u[0]] = freeAddr(t)
	}
	for _, c := range []struct{ app, file string }{
		{"gateway", "provider-dropout.yaml"}, {"gateway", "stream-truncation.yaml"}, {"naive", "provider-dropout.yaml"},
	} {
		t.Run(c.app+"/"+c.file, func(t *testing.T) {
			app := binary(t, "./examples/"+c.app)
			catalogFile := filepath.Join(repoRoot, "scenarios", c.file)
			name := strings.TrimSuffix(c.file, ".yaml")
			sub := t.TempDir()
			embedded := filepath.Join(sub, "embedded")
			code, _, stderr := cli(context.Background(), "run", "--progress", "off", "--sut-cmd", app, "--out", embedded, catalogFile)
			if code > exitBreached {
				t.Fatalf("embedded run: exit %d\n%s", code, stderr)
			}
			// The app, on its own, configured once with the proxies' fixed addresses.
			appAddr := freeAddr(t)
			appCmd := startProcess(t, []string{"LISTEN_ADDR=" + appAddr, "PRIMARY_URL=http://" + listen["primary"],
				"SECONDARY_URL=http://" + listen["secondary"], "OTEL_EXPORTER_OTLP_ENDPOINT=http://" + listen["collector"],
				"STORE_URL=http://" + listen["store"]}, app)
			waitHTTP(t, "http://"+appAddr+"/healthz")
			file := stagingFile(t, sub, catalogFile, mocks, listen, "http://"+appAddr)
			staged := filepath.Join(sub, "staging")
			cmd := exec.Command(llmchaos, "run", "--progress", "off", "--toxiproxy", toxiURL, "--sut-url", "http://"+appAddr, "--out", staged, file)
			out, err := cmd.CombinedOutput()
			if code := cmd.ProcessState.ExitCode(); code > exitBreached {
				t.Fatalf("staging run: exit %d, %v\n%s", code, err, out)
			}
			_ = appCmd.Process.Kill()
			sameJudgement(t, catalogFile, c.app, filepath.Join(staged, name+".json"), filepath.Join(embedded, name+".json"))
		})
	}
}
