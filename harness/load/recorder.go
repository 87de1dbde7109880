package load

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultRecorderWindow is how far back a Recorder's current success rate looks.
const DefaultRecorderWindow = 5 * time.Second

// recorderBlock is how many samples a Recorder stores per block: samples go into fixed
// blocks instead of one slice that doubles, so a run holds no growth slack.
const recorderBlock = 4096

// recorderBuckets is how many slices the window is counted in: the current success rate
// is exact to within Window/recorderBuckets, in constant memory whatever the rate.
const recorderBuckets = 100

// maxInterned bounds how many distinct strings a Recorder keeps one copy of.
const maxInterned = 4096

// Recorder collects a run's samples and keeps running counts for a progress display.
// It stores them compactly: in fixed blocks, each repeated string (phase, served-by,
// error) once, and never a string that points into a larger one (an answer's text).
// Its methods are safe for concurrent use; Record has the signature of a Driver sink.
type Recorder struct {
	window time.Duration
	now    func() time.Time

	mu       sync.Mutex
	blocks   [][]Sample
	n        int
	ok       int
	outcomes map[Outcome]int
	buckets  map[int64]*bucketCount // successes and samples by Ended, per window slice
	strs     map[string]string
}

type bucketCount struct{ samples, ok int }

// NewRecorder returns an empty Recorder whose current success rate looks back
// DefaultRecorderWindow.
func NewRecorder() *Recorder {
	return &Recorder{window: DefaultRecorderWindow, now: time.Now, outcomes: map[Outcome]int{},
		buckets: map[int64]*bucketCount{}, strs: map[string]string{}}
}

// Record adds one sample.
func (r *Recorder) Record(s Sample) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s.Phase, s.ServedBy, s.Error = r.intern(s.Phase), r.intern(s.ServedBy), r.intern(s.Error)
	if len(r.blocks) == 0 || len(r.blocks[len(r.blocks)-1]) == recorderBlock {
		r.blocks = append(r.blocks, make([]Sample, 0, recorderBlock))
	}
	last := &r.blocks[len(r.blocks)-1]
	*last = append(*last, s)
	r.n++
	r.outcomes[s.Outcome]++
	if s.OK() {
		r.ok++
	}
	if end := s.Ended(); !end.IsZero() {
		b := r.buckets[r.bucket(end)]
		if b == nil {
			b = &bucketCount{}
			r.buckets[r.bucket(end)] = b
		}
		b.samples++
		if s.OK() {
			b.ok++
		}
	}
	if r.n%1024 == 0 {
		r.prune(r.now())
	}
}

// intern returns the Recorder's copy of s: one per distinct string, a private copy (so no
// sample keeps a larger string s was cut from alive); past maxInterned distinct strings,
// a private copy each.
func (r *Recorder) intern(s string) string {
	if s == "" {
		return ""
	}
	if c, ok := r.strs[s]; ok {
		return c
	}
	c := strings.Clone(s)
	if len(r.strs) < maxInterned {
		r.strs[c] = c
	}
	return c
}

// bucket is the window slice t falls in.
func (r *Recorder) bucket(t time.Time) int64 {
	width := max(int64(r.window)/recorderBuckets, 1)
	return t.UnixNano() / width
}

// prune drops the window slices wholly before now - window.
func (r *Recorder) prune(now time.Time) {
	cut := r.bucket(now.Add(-r.window))
	for k := range r.buckets {
		if k < cut {
			delete(r.buckets, k)
		}
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
	// Window is how far back the current rate looks: WindowSamples ended in (now-Window,
	// now] (the slice of Window/100 holding now-Window counts whole), WindowOK of them OK.
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
	from, to := r.bucket(now.Add(-r.window)), r.bucket(now)
	snap := Snapshot{
		Recorded: r.n, OK: r.ok, Failed: r.n - r.ok,
		Sent:     r.n - r.outcomes[OutcomeDropped],
		Outcomes: make(map[Outcome]int, len(r.outcomes)), Window: r.window, SuccessRate: 1,
	}
	for k, v := range r.outcomes {
		snap.Outcomes[k] = v
	}
	for k, b := range r.buckets {
		if k >= from && k <= to { // the slice holding now-window counts whole
			snap.WindowSamples += b.samples
			snap.WindowOK += b.ok
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
	out := make([]Sample, 0, r.n)
	for _, b := range r.blocks {
		out = append(out, b...)
	}
	r.mu.Unlock()
	slices.SortStableFunc(out, func(a, b Sample) int { return a.Seq - b.Seq })
	return out
}
