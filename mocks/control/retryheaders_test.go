package control

import (
	"net/http"
	"testing"
	"time"
)

func TestSetRetryHeaders(t *testing.T) {
	no := false
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		f    Fault
		want map[string]string
		d    time.Duration
	}{
		{"none", Fault{}, map[string]string{}, 0},
		{"seconds rounded up", Fault{RetryAfter: Duration(1500 * time.Millisecond)}, map[string]string{"Retry-After": "2"}, 1500 * time.Millisecond},
		{"date rounded up", Fault{RetryAfter: Duration(1500 * time.Millisecond), RetryAfterAs: RetryAfterDate}, map[string]string{"Retry-After": "Fri, 27 Nov 2026 12:00:02 GMT"}, 1500 * time.Millisecond},
		{"ms too", Fault{RetryAfter: Duration(250 * time.Millisecond), RetryAfterAs: RetryAfterMs}, map[string]string{"Retry-After": "1", "Retry-After-Ms": "250"}, 250 * time.Millisecond},
		{"should retry", Fault{ShouldRetry: &no}, map[string]string{"X-Should-Retry": "false"}, 0},
	}
	for _, tc := range cases {
		h := http.Header{}
		if d := tc.f.SetRetryHeaders(h, now); d != tc.d {
			t.Errorf("%s: delay %s, want %s", tc.name, d, tc.d)
		}
		if len(h) != len(tc.want) {
			t.Errorf("%s: headers %v, want %v", tc.name, h, tc.want)
		}
		for k, v := range tc.want {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q, want %q", tc.name, k, h.Get(k), v)
			}
		}
	}
}
