package store

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Store is the chat-history store mock. Create it with New and serve its Handler. It is
// safe for concurrent use.
type Store struct {
	control.FaultSet

	name        string
	maxBody     int64
	bodyTimeout time.Duration
	maxMessages int
	maxUsers    int

	journal   control.Journal
	mu        sync.Mutex
	histories map[string][]Message
	users     userOrder
	stop      chan struct{}
	closeOnce sync.Once
	routes    *http.ServeMux
}

var _ control.Mock = (*Store)(nil)

// Modes returns the protocol fault modes the store plays: status and hang.
func Modes() []control.Mode { return []control.Mode{control.ModeStatus, control.ModeHang} }

// New returns an empty store named DefaultName, changed by opts, or an error naming the
// option value it cannot use.
func New(opts ...Option) (*Store, error) {
	s := &Store{
		name:        DefaultName,
		maxBody:     DefaultMaxBodyBytes,
		bodyTimeout: control.DefaultBodyReadTimeout,
		maxMessages: DefaultMaxMessages,
		maxUsers:    DefaultMaxUsers,
		histories:   map[string][]Message{},
		stop:        make(chan struct{}),
	}
	s.FaultSet.Supported = Modes()
	for _, o := range opts {
		o(s)
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	s.routes = http.NewServeMux()
	s.routes.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
	})
	s.routes.HandleFunc("GET /v1/history/{user}", s.journaled(s.get))
	s.routes.HandleFunc("PUT /v1/history/{user}", s.journaled(s.put))
	s.routes.HandleFunc("POST /v1/history/{user}", s.journaled(s.appendOne))
	s.routes.HandleFunc("DELETE /v1/history/{user}", s.journaled(s.forget))
	return s, nil
}

// Name is the upstream name the store journals under.
func (s *Store) Name() string { return s.name }

// Journal is the record of every history request the store received.
func (s *Store) Journal() *control.Journal { return &s.journal }

// ServeHTTP serves the store's routes; Handler serves them with the admin API.
func (s *Store) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.routes.ServeHTTP(w, r) }

// Handler serves the store and its control admin API (under /_llmchaos/) on one listener.
// Serve it on loopback: the admin API has no authentication.
func (s *Store) Handler() http.Handler { return control.WithAdmin(s) }

// History returns user's history (empty for an unknown user).
func (s *Store) History(user string) History {
	s.mu.Lock()
	defer s.mu.Unlock()
	return History{User: user, Messages: append([]Message{}, s.histories[user]...)}
}

// SetHistory replaces user's history, as PUT does; it refuses what PUT would refuse.
func (s *Store) SetHistory(user string, msgs []Message) error {
	if err := validUser(user); err != nil {
		return err
	}
	if err := s.validMessages(msgs); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.storeLocked(user, slices.Clone(msgs))
	return nil
}

func (s *Store) validMessages(msgs []Message) error {
	if len(msgs) > s.maxMessages {
		return fmt.Errorf("history of %d messages is over the %d message limit", len(msgs), s.maxMessages)
	}
	for i, m := range msgs {
		if err := m.Validate(); err != nil {
			return fmt.Errorf("messages[%d]: %w", i, err)
		}
	}
	return nil
}

// Close releases every request the store holds in a hang with 503, so that an
// http.Server's Shutdown can finish. Later hangs are not held. Close always returns nil.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { close(s.stop) })
	return nil
}
