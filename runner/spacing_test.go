package runner

import (
	"context"
	"testing"
	"time"
)

func TestSpacerKeepsStartsApart(t *testing.T) {
	const every = 100 * time.Millisecond
	s := spacer{every: every}
	var at []time.Time
	for range 4 {
		if !s.wait(context.Background()) {
			t.Fatal("wait returned false with a live context")
		}
		at = append(at, time.Now())
	}
	for i := 1; i < len(at); i++ {
		if gap := at[i].Sub(at[i-1]); gap < every {
			t.Errorf("start %d came %v after the one before, want at least %v", i, gap, every)
		}
	}

	// The negative control: the zero spacer does not wait (four starts well within a second).
	var zero spacer
	start := time.Now()
	for range 4 {
		zero.wait(context.Background())
	}
	if took := time.Since(start); took >= time.Second {
		t.Errorf("the zero spacer took %v for four starts", took)
	}

	// An ended context ends the wait.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	long := spacer{every: time.Hour, last: time.Now()}
	if long.wait(ctx) {
		t.Error("wait returned true with an ended context")
	}
}
