package harness

import "time"

// plannedSpans lays the timeline's phases end to end from start.
func plannedSpans(tl Timeline, start time.Time) []PhaseSpan {
	out := make([]PhaseSpan, len(tl.Phases))
	at := start
	for i, p := range tl.Phases {
		out[i] = PhaseSpan{Name: p.Name, Start: at, End: at.Add(p.Duration)}
		at = out[i].End
	}
	return out
}

// phaseAtFunc names the planned phase holding t; before the first it is the first phase,
// after the last the last one.
func phaseAtFunc(spans []PhaseSpan) func(time.Time) string {
	return func(t time.Time) string {
		for _, s := range spans {
			if t.Before(s.End) {
				return s.Name
			}
		}
		return spans[len(spans)-1].Name
	}
}

// actualSpans builds the phases' spans from the timeline's phase events; a phase that
// started but has no end event (the run was stopped) ends at end. Without any phase event
// the planned spans, cut at end, stand in.
func actualSpans(events []Event, planned []PhaseSpan, end time.Time) []PhaseSpan {
	var out []PhaseSpan
	open := -1
	for _, e := range events {
		switch e.Kind {
		case EventPhaseStart:
			if open >= 0 && out[open].End.IsZero() {
				out[open].End = e.At
			}
			out = append(out, PhaseSpan{Name: e.Phase, Start: e.At})
			open = len(out) - 1
		case EventPhaseEnd:
			if open >= 0 && out[open].Name == e.Phase && out[open].End.IsZero() {
				out[open].End = e.At
			}
		}
	}
	if out == nil {
		for _, s := range planned {
			if !s.Start.Before(end) {
				break
			}
			if s.End.After(end) {
				s.End = end
			}
			out = append(out, s)
		}
		return out
	}
	for i := range out {
		if out[i].End.IsZero() {
			out[i].End = end
		}
	}
	return out
}
