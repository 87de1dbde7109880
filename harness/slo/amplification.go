package slo

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
// Amplification: LLM attempts / samples sent (not dropped).
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
		fill(&phases[i], byPhase[phases[i].Name])
	}
	fill(whole, all)
}
