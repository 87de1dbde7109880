package store

import (
	"errors"
	"fmt"
	"time"
)

// Defaults of the store's options.
const (
	// DefaultName is the upstream name the store answers as.
	DefaultName = "store"
	// DefaultMaxBodyBytes bounds a request body.
	DefaultMaxBodyBytes int64 = 1 << 20
	// DefaultMaxMessages bounds one user's history.
	DefaultMaxMessages = 1000
)

// Option configures a Store in New. New checks the values and reports a bad one as an error.
type Option func(*Store)

// WithName sets the upstream name the store journals under (default DefaultName; not empty).
func WithName(name string) Option { return func(s *Store) { s.name = name } }

// WithMaxBodyBytes bounds request bodies (> 0); bigger ones get 413. Default DefaultMaxBodyBytes.
func WithMaxBodyBytes(n int64) Option { return func(s *Store) { s.maxBody = n } }

// WithBodyReadTimeout bounds how long the store waits for a request's whole body once its
// headers arrived (default control.DefaultBodyReadTimeout; 0 waits for ever).
func WithBodyReadTimeout(d time.Duration) Option { return func(s *Store) { s.bodyTimeout = d } }

// WithMaxMessages bounds one user's history (> 0). Default DefaultMaxMessages.
func WithMaxMessages(n int) Option { return func(s *Store) { s.maxMessages = n } }

// WithMaxUsers bounds how many users' histories the store keeps (> 0); past it the user
// first stored longest ago is forgotten. Default DefaultMaxUsers.
func WithMaxUsers(n int) Option { return func(s *Store) { s.maxUsers = n } }

// check reports the first option value New cannot use.
func (s *Store) check() error {
	switch {
	case s.name == "":
		return errors.New("store: name is empty; give the upstream name the store answers as (WithName)")
	case s.maxBody <= 0:
		return fmt.Errorf("store: max body bytes %d: want a positive limit (WithMaxBodyBytes)", s.maxBody)
	case s.bodyTimeout < 0:
		return fmt.Errorf("store: body read timeout %v is negative (WithBodyReadTimeout)", s.bodyTimeout)
	case s.maxMessages <= 0:
		return fmt.Errorf("store: max messages %d: want a positive limit (WithMaxMessages)", s.maxMessages)
	case s.maxUsers <= 0:
		return fmt.Errorf("store: max users %d: want a positive limit (WithMaxUsers)", s.maxUsers)
	}
	return nil
}
