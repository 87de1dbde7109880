package control

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

func clientTestServer(t *testing.T) (*adminTestMock, *Client) {
	t.Helper()
	m := &adminTestMock{}
	srv := httptest.NewServer(WithAdmin(m))
	t.Cleanup(srv.Close)
	c, err := NewClient(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return m, c
}

// Every field a fault can carry reaches the mock as it was set: the client's JSON is
// the admin API's vocabulary.
func TestClientSetsFaultsAsGiven(t *testing.T) {
	m, c := clientTestServer(t)
	no := false
	faults := []Fault{
		{Type: TypeRateLimit, RetryAfter: Duration(2 * time.Second), RetryAfterAs: RetryAfterMs, Scope: Scope{Fraction: 0.3, Seed: 7}},
		{Type: TypeStatus, Status: 503, ShouldRetry: &no, Scope: Scope{FirstN: 4}},
		{Type: TypeStall, Keepalive: Duration(250 * time.Millisecond)},
		{Type: TypeSlowTokens, TTFT: Duration(time.Second), TokenDelay: Duration(20 * time.Millisecond)},
		{Type: TypeHang, Hold: Duration(3 * time.Second)},
		{Type: TypeToolCallCut, CutAt: CutAtName},
		{Type: TypeContentFilter, Filtered: FilterOutput, AfterChunks: 2},
		{Type: TypeResponseIncomplete, Reason: ReasonContentFilter, AfterChunks: 1},
		{Type: TypeQuota, RequestsPerMinute: 60, TokensPerMinute: 1000},
		{Type: TypePartialSuccess, RejectFraction: 0.5},
	}
	ids := map[string]Fault{}
	for _, f := range faults {
		id, err := c.SetFault(f)
		if err != nil {
			t.Fatalf("SetFault(%+v): %v", f, err)
		}
		ids[id] = f
	}
	got := m.Faults()
	for id, want := range ids {
		if !reflect.DeepEqual(got[id], want) {
			t.Errorf("fault %s: the mock holds %+v, was set as %+v", id, got[id], want)
		}
	}
	remote, err := c.Faults(context.Background())
	if err != nil || !reflect.DeepEqual(remote, got) {
		t.Errorf("Faults() = %+v, %v; the mock holds %+v", remote, err, got)
	}
	for id := range ids {
		if err := c.RemoveFault(id); err != nil {
			t.Errorf("RemoveFault(%s): %v", id, err)
		}
	}
	if n := len(m.Faults()); n != 0 {
		t.Errorf("%d faults left after removing each", n)
	}
	// A fault the mock no longer holds is gone either way.
	if err := c.RemoveFault("f1"); err != nil || !c.ClearFault("f1") {
		t.Errorf("removing a cleared fault: %v", err)
	}
}

func TestClientSaysWhatTheMockRefused(t *testing.T) {
	_, c := clientTestServer(t)
	_, err := c.SetFault(Fault{Type: TypeDown})
	var se *StatusError
	if !errors.As(err, &se) || se.Status != http.StatusBadRequest || !strings.Contains(err.Error(), "proxy") {
		t.Fatalf("a network fault: %v; want the admin API's 400 saying the proxy plays it", err)
	}
}

func TestClientReadsTheJournalFiltered(t *testing.T) {
	m, c := clientTestServer(t)
	for _, id := range []string{"run.a-0", "run.b-0", "run.a-1", ""} {
		seq := m.journal.Begin()
		m.journal.Record(Attempt{Seq: seq, CorrelationID: id, Upstream: "test"})
	}
	ctx := context.Background()
	all, err := c.Journal(ctx, JournalQuery{})
	if err != nil || len(all) != 4 {
		t.Fatalf("whole journal: %d attempts, %v", len(all), err)
	}
	mine, err := c.Journal(ctx, JournalQuery{Prefix: "run.a-"})
	if err != nil || len(mine) != 2 || mine[0].CorrelationID != "run.a-0" || mine[1].CorrelationID != "run.a-1" {
		t.Fatalf("prefix run.a-: %+v, %v", mine, err)
	}
	later, err := c.Journal(ctx, JournalQuery{After: 2})
	if err != nil || len(later) != 2 || later[0].Seq != 3 {
		t.Fatalf("after 2: %+v, %v", later, err)
	}
	none, err := c.Journal(ctx, JournalQuery{Prefix: "nobody-"})
	if err != nil || len(none) != 0 {
		t.Fatalf("a prefix nothing has: %+v, %v", none, err)
	}
	info, err := c.Info(ctx)
	if err != nil || info.Name != "test" || info.Journal.Seq != 4 || info.Journal.Kept != 4 {
		t.Fatalf("info %+v, %v", info, err)
	}
}

func TestClientBoundsTheJournalItReads(t *testing.T) {
	m, c := clientTestServer(t)
	small, err := NewClient(c.URL(), WithMaxJournalResponse(200))
	if err != nil {
		t.Fatal(err)
	}
	defer small.Close()
	for range 10 {
		m.journal.Record(Attempt{Seq: m.journal.Begin(), Upstream: "test", Path: "/v1/chat/completions"})
	}
	if _, err := small.Journal(context.Background(), JournalQuery{}); err == nil || !strings.Contains(err.Error(), "200 bytes") {
		t.Fatalf("a journal past the client's limit: %v; want an error naming the limit", err)
	}
	if a, err := c.Journal(context.Background(), JournalQuery{}); err != nil || len(a) != 10 {
		t.Fatalf("the same journal under the default limit: %d, %v", len(a), err)
	}
}

func TestClientErrors(t *testing.T) {
	for _, u := range []string{"", "127.0.0.1:8080", "ftp://x", "http://"} {
		if _, err := NewClient(u); err == nil {
			t.Errorf("NewClient(%q) accepted", u)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, err := NewClient("http://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Info(context.Background()); err == nil || !strings.Contains(err.Error(), "is the mock running") {
		t.Fatalf("no mock there: %v", err)
	}
	_, c2 := clientTestServer(t)
	if _, err := c2.Journal(context.Background(), JournalQuery{After: -1}); err != nil {
		t.Fatalf("a negative After is not sent: %v", err)
	}
	resp, err := http.Get(c2.URL() + AdminPrefix + "journal?after=x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("after=x: %d, want 400", resp.StatusCode)
	}
}
