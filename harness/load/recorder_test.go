package load

import (
	"sync"
	"testing"
	"time"
)

// TestDriverRecorder: counts, the success rate over the window, samples by Seq, concurrent use.
func TestDriverRecorder(t *testing.T) {
	t0 := time.Unix(1000, 0)
	now := t0
	r := NewRecorder()
	r.window, r.now = 2*time.Second, func() time.Time { return now }
	if s := r.Snapshot(); s.Recorded != 0 || s.SuccessRate != 1 {
		t.Fatalf("empty snapshot %+v", s)
	}
	// Seconds 0-4 all OK, seconds 5-9 fail; recorded out of Seq order from 4 goroutines.
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := 9 - g; i >= 0; i -= 4 {
				o := OutcomeOK
				if i >= 5 {
					o = OutcomeHTTPError
				}
				if i == 9 {
					o = OutcomeDropped
				}
				end := t0.Add(time.Duration(i)*time.Second + time.Millisecond)
				r.Record(Sample{Seq: i, Outcome: o, Scheduled: end}.WithTimes(time.Time{}, time.Time{}, end))
			}
		})
	}
	wg.Wait()
	now = t0.Add(4*time.Second + 500*time.Millisecond)
	if s := r.Snapshot(); s.WindowSamples != 2 || s.SuccessRate != 1 {
		t.Errorf("at +4.5s window %+v, want samples 3 and 4, all ok", s)
	}
	now = t0.Add(10 * time.Second)
	s := r.Snapshot()
	if s.Recorded != 10 || s.OK != 5 || s.Failed != 5 || s.Sent != 9 || s.Outcomes[OutcomeHTTPError] != 4 {
		t.Errorf("snapshot %+v, want 10 recorded, 5 ok, 5 failed, 9 sent, 4 http errors", s)
	}
	if s.WindowSamples != 2 || s.WindowOK != 0 || s.SuccessRate != 0 {
		t.Errorf("window %d samples %d ok rate %v, want the last 2 seconds: 2 failed", s.WindowSamples, s.WindowOK, s.SuccessRate)
	}
	ss := r.Samples()
	for i, x := range ss {
		if x.Seq != i {
			t.Fatalf("Samples()[%d].Seq = %d, want sorted by Seq", i, x.Seq)
		}
	}
}
