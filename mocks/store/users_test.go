package store

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestMaxUsers: a store keeps at most its limit of users' histories, the newest stored,
// forgetting the oldest and counting them, over HTTP as through SetHistory; a user
// forgotten and stored again counts from then. The default keeps all of a few.
func TestMaxUsers(t *testing.T) {
	s, err := New(WithMaxUsers(3))
	if err != nil {
		t.Fatal(err)
	}
	msg := []Message{{Role: "user", Content: "hi"}}
	for i := range 5 {
		r := httptest.NewRequest(http.MethodPut, fmt.Sprintf("/v1/history/u%d", i), strings.NewReader(`{"messages":[{"role":"user","content":"hi"}]}`))
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("PUT u%d: %d %s", i, w.Code, w.Body)
		}
	}
	if kept, forgot := s.Users(); kept != 3 || forgot != 2 {
		t.Fatalf("kept %d users, forgot %d; want 3 and 2", kept, forgot)
	}
	for i, want := range []int{0, 0, 1, 1, 1} {
		if got := len(s.History(fmt.Sprintf("u%d", i)).Messages); got != want {
			t.Errorf("u%d has %d messages, want %d (the oldest two forgotten)", i, got, want)
		}
	}
	// u2 is the oldest now; forgotten by DELETE and stored again, it is the newest
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodDelete, "/v1/history/u2", nil))
	if err := s.SetHistory("u2", msg); err != nil {
		t.Fatal(err)
	}
	if err := s.SetHistory("u5", msg); err != nil {
		t.Fatal(err)
	}
	for user, want := range map[string]int{"u2": 1, "u3": 0, "u4": 1, "u5": 1} {
		if got := len(s.History(user).Messages); got != want {
			t.Errorf("after u2 was stored again and u5 added: %s has %d messages, want %d", user, got, want)
		}
	}
	if _, err := New(WithMaxUsers(0)); err == nil || !strings.Contains(err.Error(), "WithMaxUsers") {
		t.Errorf("WithMaxUsers(0): %v, want an error naming the option", err)
	}
	def, _ := New()
	for i := range 5 {
		_ = def.SetHistory(fmt.Sprintf("u%d", i), msg)
	}
	if kept, forgot := def.Users(); kept != 5 || forgot != 0 {
		t.Errorf("the default store kept %d of 5 users and forgot %d", kept, forgot)
	}
}

// A store that sees a new user for every request, and users forgotten and stored again,
// keeps its order's memory within a small multiple of its limit.
func TestMaxUsersOrderStaysBounded(t *testing.T) {
	const limit = 100
	s, _ := New(WithMaxUsers(limit))
	msg := []Message{{Role: "user", Content: "hi"}}
	for i := range 50_000 {
		user := fmt.Sprintf("u%d", i%(3*limit))
		if i%7 == 0 {
			s.mu.Lock()
			s.forgetLocked(user)
			s.mu.Unlock()
		}
		if err := s.SetHistory(user, msg); err != nil {
			t.Fatal(err)
		}
		if n := len(s.users.queue) - s.users.head; len(s.histories) > limit || n > 2*limit+1024+1 {
			t.Fatalf("after %d stores: %d users kept, order of %d entries", i+1, len(s.histories), n)
		}
	}
}
