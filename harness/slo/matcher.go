package slo

import (
	"fmt"
	"strings"

	"github.com/onsi/gomega/types"

	"github.com/llmchaos/llmchaos/harness"
)

// SLOMatcher is the Gomega matcher behind FailOverWithin, FailBackWithin,
// HaveAvailability, HaveLatencyPercentile, HaveAmplificationAtMost, HonourRetryAfter
// and MeetSLOs: it evaluates SLOs against a *harness.Result (or harness.Result) and
// fails with the checks' timelines. Inside a running Ginkgo spec, Match also adds one
// report entry per SLO (ReportEntry: expression, observed value, pass), so `ginkgo
// --json-report` and `--junit-report` carry the figures.
type SLOMatcher struct {
	what  string
	slos  []SLO
	exprs []string
	opts  []Option
	// err is a misuse found when the matcher was built; Match returns it.
	err error
	// verdict is the last Match's.
	verdict Verdict
}

var _ types.GomegaMatcher = (*SLOMatcher)(nil)

// WithOptions returns the matcher measuring with opts (e.g. WithPrimary, WithSettleSamples).
func (m *SLOMatcher) WithOptions(opts ...Option) *SLOMatcher {
	c := *m
	c.opts = append(append([]Option(nil), m.opts...), opts...)
	return &c
}

// Verdict is the verdict of the last Match.
func (m *SLOMatcher) Verdict() Verdict { return m.verdict }

// Match evaluates the SLOs against actual, which must be a *harness.Result or a harness.Result.
func (m *SLOMatcher) Match(actual any) (bool, error) {
	if m.err != nil {
		return false, fmt.Errorf("%s: %w", m.what, m.err)
	}
	var r *harness.Result
	switch a := actual.(type) {
	case *harness.Result:
		if a == nil {
			return false, fmt.Errorf("%s: actual is a nil *harness.Result; pass the Result harness.Run returned", m.what)
		}
		r = a
	case harness.Result:
		r = &a
	default:
		return false, fmt.Errorf("%s expects a *harness.Result, got %T", m.what, actual)
	}
	slos := m.slos
	if len(m.exprs) > 0 {
		parsed, err := ParseAll(m.exprs)
		if err != nil {
			return false, fmt.Errorf("%s: %w", m.what, err)
		}
		slos = append(append([]SLO(nil), slos...), parsed...)
	}
	if len(slos) == 0 {
		return false, fmt.Errorf("%s: no SLO to check; give at least one expression", m.what)
	}
	m.verdict = EvaluateResult(r, slos, m.opts...)
	addReportEntries(m.verdict)
	return m.verdict.Pass, nil
}

// FailureMessage says which checks failed and shows their timelines.
func (m *SLOMatcher) FailureMessage(actual any) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Expected the run%s to %s, but:", m.scenario(), m.what)
	for _, c := range m.verdict.Breached() {
		fmt.Fprintf(&b, "\n  ✗ %s (observed %s): %s", c.Expr, c.Observed, c.Reason)
	}
	return b.String()
}

// NegatedFailureMessage says the run met what it was expected not to, with the values.
func (m *SLOMatcher) NegatedFailureMessage(actual any) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Expected the run%s not to %s, but every check held:", m.scenario(), m.what)
	for _, c := range m.verdict.Checks {
		fmt.Fprintf(&b, "\n  ✓ %s (observed %s)", c.Expr, c.Observed)
	}
	for _, w := range m.verdict.Metrics.Faults {
		fmt.Fprintf(&b, "\n  %s", w.TTFStory())
	}
	return b.String()
}

func (m *SLOMatcher) scenario() string {
	if m.verdict.Scenario == "" {
		return ""
	}
	return fmt.Sprintf(" of scenario %q", m.verdict.Scenario)
}
