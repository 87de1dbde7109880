package store

import "strings"

// DefaultMaxUsers is how many users' histories a Store keeps (WithMaxUsers, llmchaos mock
// store --max-users): storing a history for one more user forgets the history of the user
// first stored longest ago, as a cache that expires sessions would. A long-lived store
// that sees a new user per request stays bounded this way.
const DefaultMaxUsers = 100_000

// userOrder remembers in which order users' histories were first stored, so the oldest
// can be forgotten. A user forgotten (DELETE) and stored again counts from then.
type userOrder struct {
	born    map[string]uint64 // when each kept user was first stored
	queue   []queuedUser      // users in that order, from head; stale entries are skipped
	head    int
	next    uint64
	evicted int
}

type queuedUser struct {
	user string
	born uint64
}

// storeLocked replaces user's history with msgs (s.mu held), first forgetting the oldest
// users' histories while a new user would go past the limit. A new user's name is copied
// (a request's is a slice of its whole request line) and the messages' roles are the
// shared Roles strings, so a kept history holds only its own bytes.
func (s *Store) storeLocked(user string, msgs []Message) {
	for i := range msgs {
		msgs[i].Role = sharedRole(msgs[i].Role)
	}
	if _, ok := s.histories[user]; !ok {
		user = strings.Clone(user)
		for len(s.histories) >= s.maxUsers {
			s.forgetOldestLocked()
		}
		u := &s.users
		if u.born == nil {
			u.born = map[string]uint64{}
		}
		u.next++
		u.born[user] = u.next
		u.queue = append(u.queue, queuedUser{user, u.next})
		u.compact(s.maxUsers)
	}
	s.histories[user] = msgs
}

// forgetLocked deletes user's history (s.mu held).
func (s *Store) forgetLocked(user string) {
	delete(s.histories, user)
	delete(s.users.born, user)
}

// forgetOldestLocked forgets the history of the user first stored longest ago.
func (s *Store) forgetOldestLocked() {
	u := &s.users
	for u.head < len(u.queue) {
		q := u.queue[u.head]
		u.queue[u.head] = queuedUser{}
		u.head++
		if b, ok := u.born[q.user]; ok && b == q.born {
			s.forgetLocked(q.user)
			u.evicted++
			return
		}
	}
	// the order lost track (cannot happen while every store goes through storeLocked):
	// forget any one user rather than grow
	for user := range s.histories {
		s.forgetLocked(user)
		u.evicted++
		return
	}
}

// compact drops the queue's used head and its stale entries once they outnumber the
// kept users, so the queue stays within a small multiple of max.
func (u *userOrder) compact(max int) {
	if len(u.queue)-u.head <= 2*max+1024 && u.head <= len(u.queue)/2 {
		return
	}
	kept := make([]queuedUser, 0, len(u.born))
	for _, q := range u.queue[u.head:] {
		if b, ok := u.born[q.user]; ok && b == q.born {
			kept = append(kept, q)
		}
	}
	u.queue, u.head = kept, 0
}

// Users is how many users' histories the store keeps now, and Forgotten how many it
// forgot to stay within its limit (DefaultMaxUsers, WithMaxUsers).
func (s *Store) Users() (kept, forgotten int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.histories), s.users.evicted
}

// sharedRole is role as the one string of Roles it equals (role itself if none).
func sharedRole(role string) string {
	for _, r := range Roles {
		if r == role {
			return r
		}
	}
	return role
}
