package runner

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/reports"
	"github.com/llmchaos/llmchaos/scenarios"
)

const runnerTestSecret = "hunter2-hunter2-value"

// runnerTestFile is a small scenario: one idle openai upstream, an app answering 200,
// plain HTTP load for 300 ms; its description holds a secret that only the app's env
// (DB_PASSWORD, when withSecret) marks as one.
func runnerTestFile(sut harness.SUTSpec, withSecret bool) *scenarios.File {
	if withSecret {
		sut.Env = map[string]string{"DB_PASSWORD": runnerTestSecret}
	}
	return &scenarios.File{Path: "runner-test.yaml", Scenario: harness.Scenario{
		Name:        "runner-test",
		Description: "connects with " + runnerTestSecret,
		Upstreams:   []harness.UpstreamSpec{{Name: "primary", Kind: harness.KindOpenAI}},
		SUT:         sut,
		Load:        load.Spec{Rate: 20, Request: load.Request{Protocol: load.ProtocolHTTP}},
		Timeline:    harness.Timeline{Phases: []harness.Phase{{Name: "steady", Duration: 300 * time.Millisecond}}},
		SLOs:        []string{"availability >= 0.9"},
	}}
}

func TestExecuteRunsEvaluatesAndReports(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	o := Execute(context.Background(), runnerTestFile(harness.SUTSpec{Handler: ok}, true))
	if o.Err != nil || o.Result == nil || !o.Verdict.Pass || o.Report == nil || o.Report.Verdict != reports.VerdictPass {
		t.Fatalf("err %v, result %v, verdict %+v, report %+v", o.Err, o.Result != nil, o.Verdict, o.Report)
	}
	if len(o.Report.SLOs) != 1 || len(o.Result.Samples) < 4 {
		t.Fatalf("report SLOs %+v, %d samples", o.Report.SLOs, len(o.Result.Samples))
	}
	// One redactor: the report went through it, and the caller gets it.
	if strings.Contains(o.Report.Description, runnerTestSecret) || o.Redactor.Redact(runnerTestSecret) != reports.Redacted {
		t.Fatalf("description %q; redactor gives %q", o.Report.Description, o.Redactor.Redact(runnerTestSecret))
	}
	// Negative control: without the env variable the same text is no secret.
	o = Execute(context.Background(), runnerTestFile(harness.SUTSpec{Handler: ok}, false))
	if !strings.Contains(o.Report.Description, runnerTestSecret) {
		t.Fatalf("a value no variable marks as secret was redacted: %q", o.Report.Description)
	}
}

func TestExecuteCouldNotRun(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	sut := harness.SUTSpec{URL: closed, Ready: harness.ReadySpec{Path: "/healthz", Timeout: 200 * time.Millisecond}}
	o := Execute(context.Background(), runnerTestFile(sut, true))
	var re *harness.RunError
	if !errors.As(o.Err, &re) || re.Stage != harness.RunStageSUT || o.Result != nil {
		t.Fatalf("err %v, result %v: want a RunError at the sut stage and no result", o.Err, o.Result)
	}
	if o.Report == nil || o.Report.Verdict != reports.VerdictFail || !strings.Contains(o.Report.RunError, closed) {
		t.Fatalf("report %+v: want a failing report that says why", o.Report)
	}
}

// TestExecuteFailedStartKeepsTheAppLog: an app that exits before it is ready leaves its
// output in the report's sut_log (redacted), not only in run_error's tail; a run whose app
// printed nothing has an empty sut_log (the negative control).
func TestExecuteFailedStartKeepsTheAppLog(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh on PATH: skipping the failed-start log test")
	}
	for _, script := range []string{
		`echo "config: loading"; echo "db password is $DB_PASSWORD"; echo "fatal: no PRIMARY_URL" >&2; exit 3`,
		`exit 3`,
	} {
		sut := harness.SUTSpec{Command: []string{"sh", "-c", script}, Ready: harness.ReadySpec{Path: "/healthz", Timeout: 10 * time.Second}}
		o := Execute(context.Background(), runnerTestFile(sut, true))
		var re *harness.RunError
		if !errors.As(o.Err, &re) || re.Stage != harness.RunStageSUT || o.Result != nil {
			t.Fatalf("err %v: want a RunError at the sut stage and no result", o.Err)
		}
		log := strings.Join(o.Report.SUTLog, "\n")
		if script == "exit 3" {
			if len(o.Report.SUTLog) != 0 {
				t.Errorf("an app that printed nothing: sut_log %q, want empty", log)
			}
			continue
		}
		if !strings.Contains(log, "config: loading") || !strings.Contains(log, "fatal: no PRIMARY_URL") ||
			!strings.Contains(log, "db password is "+reports.Redacted) || strings.Contains(log, runnerTestSecret) {
			t.Errorf("sut_log %q: want the app's lines, the secret redacted", log)
		}
		if !strings.Contains(o.Report.RunError, "fatal: no PRIMARY_URL") {
			t.Errorf("run_error %q lost the log tail", o.Report.RunError)
		}
	}
}
