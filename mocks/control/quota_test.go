package control

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// TestQuotaRequestsRefillAndRefuse: 60 requests per minute is one a second; the bucket
// holds 60, refuses the 61st with the wait for one request, and refills continuously.
func TestQuotaRequestsRefillAndRefuse(t *testing.T) {
	q := NewQuota(60, 0, t0)
	for i := 0; i < 60; i++ {
		if a := q.Admit(10, t0); a.Refused != "" {
			t.Fatalf("request %d refused: %+v", i+1, a)
		}
	}
	a := q.Admit(10, t0)
	if a.Refused != "requests" || a.RetryAfter != time.Second || a.RequestsRemaining != 0 || a.Used != 60 || a.Requested != 1 {
		t.Fatalf("61st: %+v, want refused on requests, retry after 1s", a)
	}
	if a.RequestsReset != time.Minute {
		t.Fatalf("reset %v, want a full minute to refill 60", a.RequestsReset)
	}
	// half a second later: still nothing whole to take, half a second to wait
	if a := q.Admit(10, t0.Add(500*time.Millisecond)); a.Refused != "requests" || a.RetryAfter != 500*time.Millisecond {
		t.Fatalf("after 0.5s: %+v", a)
	}
	if a := q.Admit(10, t0.Add(time.Second)); a.Refused != "" || a.RequestsRemaining != 0 {
		t.Fatalf("after 1s: %+v, want admitted", a)
	}
	if l := q.Peek(t0.Add(time.Hour)); l.RequestsRemaining != 60 || l.RequestsReset != 0 {
		t.Fatalf("an hour later: %+v, want full", l)
	}
	if l := q.Peek(t0); l.TokensLimit != 0 || l.TokensReset != 0 {
		t.Fatalf("tokens are not limited: %+v", l)
	}
}

// TestQuotaTokens: a request that does not fit the tokens left is refused with the wait
// for them; one larger than the whole limit can never fit (TooLarge, no wait).
func TestQuotaTokens(t *testing.T) {
	q := NewQuota(0, 600, t0) // 10 tokens a second
	if a := q.Admit(500, t0); a.Refused != "" || a.TokensRemaining != 100 || a.TokensReset != 50*time.Second {
		t.Fatalf("first: %+v", a)
	}
	a := q.Admit(150, t0)
	if a.Refused != "tokens" || a.RetryAfter != 5*time.Second || a.Used != 500 || a.Requested != 150 || a.TooLarge {
		t.Fatalf("second: %+v, want refused, 5s for 50 more tokens", a)
	}
	if a.TokensRemaining != 100 {
		t.Fatalf("a refusal took tokens: %+v", a)
	}
	if a := q.Admit(601, t0.Add(time.Hour)); a.Refused != "tokens" || !a.TooLarge || a.RetryAfter != 0 {
		t.Fatalf("too large: %+v", a)
	}
}

// TestReportingQuotaNeverRefuses: it counts down to 0 and stays there, admitting all.
func TestReportingQuotaNeverRefuses(t *testing.T) {
	q := NewReportingQuota(2, 100, t0)
	for i := 0; i < 5; i++ {
		if a := q.Admit(60, t0); a.Refused != "" {
			t.Fatalf("refused: %+v", a)
		}
	}
	if l := q.Peek(t0); l.RequestsRemaining != 0 || l.TokensRemaining != 0 || l.RequestsLimit != 2 || l.TokensLimit != 100 {
		t.Fatalf("%+v", l)
	}
}

// TestFaultSetQuota: a quota fault is never picked; Quota returns the newest one's
// buckets, and nil once it is cleared.
func TestFaultSetQuota(t *testing.T) {
	s := FaultSet{Clock: func() time.Time { return t0 }}
	if s.Quota() != nil {
		t.Fatal("quota with no fault")
	}
	id, err := s.SetFault(Fault{Type: TypeQuota, RequestsPerMinute: 1})
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := s.Pick(); ok {
		t.Fatalf("picked the quota fault %+v", f)
	}
	q := s.Quota()
	if q == nil || q.Admit(1, t0).Refused != "" || q.Admit(1, t0).Refused != "requests" {
		t.Fatal("the quota does not limit to 1 request per minute")
	}
	if _, err := s.SetFault(Fault{Type: TypeTruncate}); err != nil {
		t.Fatal(err)
	}
	if f, ok := s.Pick(); !ok || f.Type != TypeTruncate {
		t.Fatalf("picked %+v, %v", f, ok)
	}
	if s.Quota() != q {
		t.Fatal("a second fault replaced the quota")
	}
	s.ClearFault(id)
	if s.Quota() != nil {
		t.Fatal("quota after clearing it")
	}
}

func TestNonRetryableStatus(t *testing.T) {
	for status, want := range map[int]bool{400: true, 401: true, 403: true, 404: true, 413: true, 422: true,
		408: false, 409: false, 429: false, 500: false, 503: false, 529: false, 200: false} {
		if got := NonRetryableStatus(status); got != want {
			t.Errorf("NonRetryableStatus(%d) = %v", status, got)
		}
	}
}
