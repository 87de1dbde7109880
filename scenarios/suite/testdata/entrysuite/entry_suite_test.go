// Package entrysuite is a Ginkgo suite that TestReportEntries (in scenarios/suite) runs
// with --json-report and --junit-report: one spec of suite.Specs over a one-file folder,
// and one spec of the slo matchers on a simulated result.
package entrysuite

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/slo"
	"github.com/llmchaos/llmchaos/harness/slo/slotest"
	"github.com/llmchaos/llmchaos/scenarios/suite"
)

func TestEntrySuite(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "entry suite")
}

// app answers 503 to everything: the scenario's SLOs are ones it holds anyway
// (availability >= 0), so the spec passes and the entries show observed values.
var app = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusServiceUnavailable)
}))

var _ = suite.Specs("scenarios",
	suite.WithRunOptions(harness.WithSUTOverride(nil, app.URL)),
	suite.WithReportDir(os.Getenv("ENTRYSUITE_REPORTS")))

// TestReportEntries (entries_test.go) simulates the same run to know the ttf it expects.
var _ = It("judges a simulated failover with the matchers", func() {
	res := slotest.Simulate(slotest.SimSpec{
		Scenario: "simulated",
		Phases: []slotest.Phase{
			{Name: "steady", Duration: time.Second},
			{Name: "outage", Duration: 2 * time.Second, Faults: []slotest.Fault{{Upstream: slotest.Primary}}},
		},
		App: slotest.App{FailoverDelay: 200 * time.Millisecond},
	})
	Expect(res).To(slo.FailOverWithin(time.Second))
	Expect(res).To(slo.MeetSLOs("ttf <= 1s", "availability(steady) >= 0.99"))
	Expect(res).NotTo(slo.MeetSLOs("ttf <= 100ms")) // a breached SLO is entered too, pass false
})
