package scenarios

import (
	"fmt"
	"strings"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/slo"
)

func (b *builder) slos(y *yScenario, sc *harness.Scenario) {
	if len(y.SLO) == 0 {
		b.fail(lineOf(b.root, "slo"), "slo", "missing: list at least one SLO, e.g. - availability >= 0.99")
		return
	}
	phases := map[string]bool{}
	for _, p := range sc.Timeline.Phases {
		phases[p.Name] = true
	}
	for i, s := range y.SLO {
		field := fmt.Sprintf("slo[%d]", i)
		parsed, err := slo.Parse(s.V)
		if err != nil {
			b.fail(s.Line, field, "%v", err)
			continue
		}
		for _, p := range parsed.Phases() {
			if !phases[p] {
				b.fail(s.Line, field, "%q names phase %q, which the timeline does not have (phases: %s)", s.V, p, strings.Join(phaseNames(sc), ", "))
			}
		}
		sc.SLOs = append(sc.SLOs, s.V)
	}
}

func phaseNames(sc *harness.Scenario) []string {
	var out []string
	for _, p := range sc.Timeline.Phases {
		out = append(out, p.Name)
	}
	return out
}
