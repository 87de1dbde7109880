package slo

// llmAttemptsByPhase counts attempts in LLM journals by the phase of the request they
// served: the phase of the sample with the same correlation id, else the phase whose
// span holds the attempt's arrival ("" when none does). The total is returned too.
func (rn *run) llmAttemptsByPhase() (map[string]int, int) {
	out := map[string]int{}
	total := 0
	for name, journal := range rn.r.Journals {
		if !rn.isLLM(name) {
			continue
		}
		for _, a := range journal {
			total++
			if p, ok := rn.phaseOf[a.CorrelationID]; ok && a.CorrelationID != "" {
				out[p]++
				continue
			}
			p, _ := rn.phaseAt(rn.off(a.Arrived))
			out[p]++
		}
	}
	return out, total
}

// measureAmplification fills each phase's Attempts and Amplification and returns the
// whole run's amplification: LLM attempts / driver requests sent (not dropped).
func (rn *run) measureAmplification(phases []PhaseMetrics) float64 {
	byPhase, total := rn.llmAttemptsByPhase()
	for i := range phases {
		p := &phases[i]
		p.Attempts = byPhase[p.Name]
		p.Amplification = ratio(p.Attempts, sent(rn.phaseSamples(p.Name)))
	}
	return ratio(total, sent(rn.samples))
}
