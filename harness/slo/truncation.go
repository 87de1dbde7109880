package slo

import (
	"fmt"

	"github.com/llmchaos/llmchaos/harness"
)

// observeTruncations counts silent truncations in the SLO's phase (the whole run when it
// names none): samples whose response claimed to be whole ([DONE], message_stop, a
// complete body) but whose answer was cut or altered (harness.OutcomeTruncated).
func (rn *run) observeTruncations(s SLO) (float64, string, string, bool) {
	in := rn.phaseSamples(s.Phase)
	var cut []harness.Sample
	for _, x := range in {
		if x.Outcome == harness.OutcomeTruncated {
			cut = append(cut, x)
		}
	}
	if len(cut) == 0 {
		return 0, "0", fmt.Sprintf("no answer among %s was passed on cut as if complete", plural(len(in), "sample", "samples")), true
	}
	first := cut[0]
	return float64(len(cut)), fmt.Sprint(len(cut)), fmt.Sprintf("%s of %d ended as if complete with a cut answer, first %s at %s (%s)",
		plural(len(cut), "sample", "samples"), len(in), first.ID, fmtAt(rn.off(first.Scheduled)), first.Error), true
}
