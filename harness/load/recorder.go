package load

import (
	"slices"
	"sync"
	"time"
)

// DefaultRecorderWindow is how far back a Recorder's current success rate looks.
const DefaultRecorderWindow = 5 * time.Second

// Recorder collects a run's samples and keeps running counts for a progress display.
// Its methods are safe for concurrent use; Record has the signature of a Driver sink.
type Recorder struct {
	window time.Duration
	now    func() time.Time

	mu       sync.Mutex
	samples  []Sample
	ok       int
	outcomes map[Outcome]int
	recent   []recorderMark // samples that ended within the window, roughly oldest first
}

type recorderMark struct {
	ended time.Time
	ok    bool
}

// NewRecorder returns an empty Recorder whose current success rate looks back
// DefaultRecorderWindow.
func NewRecorder() *Recorder {
	return &Recorder{window: DefaultRecorderWindow, now: time.Now, outcomes: map[Outcome]int{}}
}

// Record adds one sample.
func (r *Recorder) Record(s Sample) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.samples = append(r.samples, s)
	r.outcomes[s.Outcome]++
	if s.OK() {
		r.ok++
	}
	r.recent = append(r.recent, recorderMark{ended: s.Ended, ok: s.OK()})
	if len(r.recent)%1024 == 0 {
		r.prune(r.now())
	}
}

// prune drops the window's oldest marks that ended before now - window.
func (r *Recorder) prune(now time.Time) {
	cut := now.Add(-r.window)
	i := 0
	for i < len(r.recent) && !r.recent[i].ended.After(cut) {
		i++
	}
	if i > 0 {
		r.recent = append(r.recent[:0], r.recent[i:]...)
	}
}

// Snapshot is a Recorder's counts at one instant.
type Snapshot struct {
	// Recorded is the number of samples recorded (sent or dropped); OK + Failed.
	Recorded int
	// Sent is the number of requests actually sent (Recorded minus dropped).
	Sent int
	OK   int
	// Failed is every sample that is not OK, dropped included.
	Failed int
	// Outcomes counts samples by outcome.
	Outcomes map[Outcome]int
	// Window is how far back the current rate looks: WindowSamples ended in (now-Window, now], WindowOK of them OK.
	Window        time.Duration
	WindowSamples int
	WindowOK      int
	// SuccessRate is WindowOK / WindowSamples, or 1 when no sample ended in the window.
	SuccessRate float64
}

// Snapshot returns the counts so far and the success rate over the last window.
func (r *Recorder) Snapshot() Snapshot {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.prune(now)
	cut := now.Add(-r.window)
	snap := Snapshot{
		Recorded: len(r.samples), OK: r.ok, Failed: len(r.samples) - r.ok,
		Sent:     len(r.samples) - r.outcomes[OutcomeDropped],
		Outcomes: make(map[Outcome]int, len(r.outcomes)), Window: r.window, SuccessRate: 1,
	}
	for k, v := range r.outcomes {
		snap.Outcomes[k] = v
	}
	for _, m := range r.recent {
		if m.ended.After(cut) && !m.ended.After(now) {
			snap.WindowSamples++
			if m.ok {
				snap.WindowOK++
			}
		}
	}
	if snap.WindowSamples > 0 {
		snap.SuccessRate = float64(snap.WindowOK) / float64(snap.WindowSamples)
	}
	return snap
}

// Samples returns a copy of the samples recorded so far, sorted by Seq.
func (r *Recorder) Samples() []Sample {
	r.mu.Lock()
	out := slices.Clone(r.samples)
	r.mu.Unlock()
	slices.SortStableFunc(out, func(a, b Sample) int { return a.Seq - b.Seq })
	return out
}
