package reports

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/llmchaos/llmchaos/harness/slo"
)

// TestRunErrorShowsInEveryFormat: a scenario the harness could not run fails, and every
// format says why, redacted.
func TestRunErrorShowsInEveryFormat(t *testing.T) {
	err := errors.New("harness could not run (sut): app exited: boom\nAuthorization: Bearer sk-live-0123456789abcdef")
	r := Build(nil, slo.Verdict{Scenario: "never-ran"}, WithRunError(err))
	if r.Passed() || r.RunError == "" || strings.Contains(r.RunError, "sk-live-0123456789abcdef") {
		t.Fatalf("report: verdict %s, run error %q", r.Verdict, r.RunError)
	}
	for _, format := range []string{"json", "markdown", "html", "junit"} {
		rd, ferr := RendererFor(format)
		if ferr != nil {
			t.Fatal(ferr)
		}
		var b bytes.Buffer
		if err := rd.Render(&b, []*Report{r}, nil); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !strings.Contains(out, "could not run") {
			t.Errorf("%s does not say the scenario could not run:\n%s", format, out)
		}
		if strings.Contains(out, "sk-live-0123456789abcdef") {
			t.Errorf("%s leaks the token", format)
		}
	}
	if ok := Build(nil, slo.Verdict{Scenario: "fine", Pass: true}, WithRunError(nil)); !ok.Passed() || ok.RunError != "" {
		t.Fatalf("WithRunError(nil) changed the report: %+v", ok)
	}
}
