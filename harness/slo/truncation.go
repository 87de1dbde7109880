package slo

import "fmt"

// observeTruncations reads the silent truncations of pm (the SLO's phase, or the whole
// run): samples whose response claimed to be whole ([DONE], message_stop, a complete
// body) but whose answer was cut or altered (load.OutcomeTruncated).
func observeTruncations(pm PhaseMetrics) observation {
	n := pm.SilentTruncations
	if n == 0 {
		return observation{0, "0", fmt.Sprintf("no answer among %s was passed on cut as if complete", plural(pm.Requests, "sample", "samples")), true, nil}
	}
	first := pm.FirstTruncation
	return observation{float64(n), fmt.Sprint(n), fmt.Sprintf("%s of %d ended as if complete with a cut answer, first %s at %s (%s)",
		plural(n, "sample", "samples"), pm.Requests, first.ID, fmtAt(first.Scheduled), first.Error), true, nil}
}
