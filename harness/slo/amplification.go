package slo

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// llmAttemptsByPhase counts attempts in LLM journals by the phase of the request they
// served (the phase of the sample with the same correlation id, else the phase whose
// span holds the attempt's arrival; "" when none does) and by upstream. all counts
// every LLM attempt of the run by upstream.
func (rn *run) llmAttemptsByPhase() (byPhase map[string]map[string]int, all map[string]int) {
	byPhase, all = map[string]map[string]int{}, map[string]int{}
	for name, journal := range rn.r.Journals {
		if !rn.isLLM(name) {
			continue
		}
		for _, a := range journal {
			all[name]++
			p, ok := rn.phaseOf[a.CorrelationID]
			if !ok || a.CorrelationID == "" {
				p, _ = rn.phaseAt(rn.off(a.Arrived))
			}
			if byPhase[p] == nil {
				byPhase[p] = map[string]int{}
			}
			byPhase[p][name]++
		}
	}
	return byPhase, all
}

// measureAmplification fills each phase's and the whole run's Attempts, AttemptsBy and
// Amplification: LLM attempts / samples sent (not dropped), or not measurable
// (AmplificationNA) where a down or blackhole fault hid attempts.
func (rn *run) measureAmplification(phases []PhaseMetrics, whole *PhaseMetrics) {
	byPhase, all := rn.llmAttemptsByPhase()
	fill := func(p *PhaseMetrics, by map[string]int) {
		for name, n := range by {
			p.AttemptsBy[name] = n
			p.Attempts += n
		}
		p.Amplification = ratio(p.Attempts, p.Sent)
	}
	for i := range phases {
		p := &phases[i]
		fill(p, byPhase[p.Name])
		if span, ok := rn.span(p.Name); ok {
			rn.hideAmplification(p, span.start, span.end)
		}
	}
	fill(whole, all)
	rn.hideAmplification(whole, 0, max(rn.end, 1))
}

// hideAmplification marks p's amplification not measurable (NaN, with the reason) when a
// fault that hides attempts from the mocks overlapped [from, to) on an LLM upstream.
func (rn *run) hideAmplification(p *PhaseMetrics, from, to time.Duration) {
	for _, w := range rn.windows {
		if kind, ok := hidesAttempts(w); ok && rn.isLLM(w.Upstream) && w.Start < to && w.End > from {
			p.Amplification = math.NaN()
			p.AmplificationNA = fmt.Sprintf("n/a: attempts not visible through a %s fault on %s", kind, w.Upstream)
			return
		}
	}
}

// hidesAttempts reports whether w's fault keeps the SUT's attempts from reaching the
// mock, and names it: down (connection refused) and blackhole (nothing gets through),
// also when they flap. Every other fault lets attempts reach the mock, which journals them.
func hidesAttempts(w FaultWindow) (string, bool) {
	hiding := []string{string(control.TypeDown), string(control.TypeBlackhole)}
	for _, k := range hiding {
		if w.Kind == k {
			return k, true
		}
	}
	if w.Kind == "flap" { // fault.Flap: its Detail is "flap <inner> every <period>"
		for _, k := range hiding {
			if strings.HasPrefix(w.Detail, "flap "+k) {
				return "flapping " + k, true
			}
		}
	}
	return "", false
}

// span is the named phase's span.
func (rn *run) span(name string) (span, bool) {
	for _, p := range rn.phases {
		if p.name == name {
			return p, true
		}
	}
	return span{}, false
}
