package slo

import "sort"

// measureRetryAfter finds attempts that came sooner than the Retry-After their previous
// attempt (same upstream, same correlation id) was given, less the tolerance.
func (rn *run) measureRetryAfter() []RetryAfterViolation {
	var out []RetryAfterViolation
	names := make([]string, 0, len(rn.r.Journals))
	for name := range rn.r.Journals {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		// the groups in the order their ids first appear in the journal
		journal := rn.r.Journals[name]
		byID := groupByID(journal)
		for k := range journal {
			id := journal[k].CorrelationID
			as, ok := byID[id]
			if !ok {
				continue // no id, or its group is done
			}
			delete(byID, id)
			for i := 1; i < len(as); i++ {
				prev, next := as[i-1], as[i]
				if prev.RetryAfter <= 0 {
					continue
				}
				answered := prev.Arrived.Add(prev.Duration)
				if next.Arrived.Before(answered.Add(prev.RetryAfter - rn.cfg.retryAfterTol)) {
					out = append(out, RetryAfterViolation{
						Upstream: name, ID: id,
						Previous: rn.off(answered), Next: rn.off(next.Arrived),
						Asked: prev.RetryAfter, Waited: next.Arrived.Sub(answered),
					})
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Next < out[j].Next })
	return out
}
