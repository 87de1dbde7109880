package control

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestJournalSettleWaitsForOpenAttempts(t *testing.T) {
	var j Journal
	if err := j.Settle(context.Background()); err != nil {
		t.Fatalf("an empty journal: Settle = %v, want nil", err)
	}
	a, b := j.Begin(), j.Begin()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := j.Settle(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("two attempts open: Settle = %v, want the context's deadline", err)
	}

	done := make(chan error, 1)
	go func() { done <- j.Settle(context.Background()) }()
	j.Record(Attempt{Seq: a})
	ctx2, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	if err := j.Settle(ctx2); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("one attempt still open: Settle = %v, want the context's deadline", err)
	}
	j.Record(Attempt{Seq: b})
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Settle = %v after the last Record, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Settle still waiting after every begun attempt was recorded")
	}
	if n := len(j.Attempts()); n != 2 {
		t.Fatalf("journal holds %d attempts, want 2", n)
	}
}
