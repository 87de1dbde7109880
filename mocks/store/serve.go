package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// exchange is one request in flight: its journal entry and its validated input.
type exchange struct {
	w    http.ResponseWriter
	r    *http.Request
	a    control.Attempt
	user string
}

// handler does the work of one route once input and faults were dealt with; it returns
// the status and the value to answer as JSON, or an error (a *httpError for bad input).
type handler func(x *exchange) (status int, body any, err error)

// httpError is an answer other than 2xx.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func badRequest(status int, format string, a ...any) *httpError {
	return &httpError{status: status, msg: fmt.Sprintf(format, a...)}
}

// journaled wraps a route: it journals the request, validates the user and writes what h
// returns. h reads and validates its body, then calls s.fault before it changes anything,
// so bad input is refused whatever the faults and a faulted request changes nothing.
func (s *Store) journaled(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		x := &exchange{w: w, r: r, a: control.Attempt{
			Seq:           s.journal.Begin(),
			Upstream:      s.name,
			Arrived:       time.Now(),
			Method:        r.Method,
			Path:          r.URL.Path,
			CorrelationID: r.Header.Get("X-Request-Id"),
			RetryCount:    retryCount(r),
		}}
		defer func() {
			x.a.Duration = time.Since(x.a.Arrived)
			s.journal.Record(x.a)
		}()
		x.user = r.PathValue("user")
		if err := validUser(x.user); err != nil {
			s.writeError(x, http.StatusBadRequest, err.Error())
			return
		}
		status, body, err := h(x)
		if err != nil {
			var he *httpError
			if errors.As(err, &he) {
				x.a.Error = he.msg
				s.writeError(x, he.status, he.msg)
			}
			// otherwise a fault already answered (or the client left)
			return
		}
		s.writeJSON(x, status, body)
	}
}

// errAnswered tells journaled that a fault already shaped the answer.
var errAnswered = errors.New("answered by a fault")

// fault applies the fault picked for this request, if any. It returns errAnswered when
// the fault answered (or held the request until the client left).
func (s *Store) fault(x *exchange) error {
	f, ok := s.Pick()
	if !ok {
		return nil
	}
	x.a.Fault = string(f.Type)
	switch f.Mode() {
	case control.ModeStatus:
		x.a.RetryAfter = f.SetRetryHeaders(x.w.Header(), time.Now())
		x.a.NonRetryable = control.NonRetryableStatus(f.StatusCode()) || x.w.Header().Get("X-Should-Retry") == "false"
		s.writeError(x, f.StatusCode(), fmt.Sprintf("%s: injected fault: status %d", s.name, f.StatusCode()))
	case control.ModeHang:
		s.hang(x, f.Hold.D())
	default:
		return nil
	}
	return errAnswered
}

func (s *Store) hang(x *exchange, hold time.Duration) {
	if hold <= 0 {
		hold = time.Duration(math.MaxInt64)
	}
	t := time.NewTimer(hold)
	defer t.Stop()
	select {
	case <-t.C:
		s.writeError(x, http.StatusGatewayTimeout, fmt.Sprintf("%s: injected fault: hang ended after %s", s.name, hold))
	case <-x.r.Context().Done():
		x.a.Cut = true
		x.a.Error = "client left: " + x.r.Context().Err().Error()
	case <-s.stop:
		s.writeError(x, http.StatusServiceUnavailable, s.name+": store is shutting down")
	}
}

func (s *Store) get(x *exchange) (int, any, error) {
	if err := s.fault(x); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.History(x.user), nil
}

func (s *Store) put(x *exchange) (int, any, error) {
	var in struct {
		User     *string   `json:"user"`
		Messages []Message `json:"messages"`
	}
	if err := s.decode(x, &in); err != nil {
		return 0, nil, err
	}
	if in.User != nil && *in.User != x.user {
		return 0, nil, badRequest(http.StatusBadRequest, "body user %q does not match the path's user %q", *in.User, x.user)
	}
	if in.Messages == nil {
		return 0, nil, badRequest(http.StatusBadRequest, `body needs "messages" (an array, [] to empty the history)`)
	}
	if err := s.validMessages(in.Messages); err != nil {
		return 0, nil, badRequest(http.StatusBadRequest, "%v", err)
	}
	if err := s.fault(x); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	s.storeLocked(x.user, slices.Clone(in.Messages))
	s.mu.Unlock()
	return http.StatusOK, History{User: x.user, Messages: in.Messages}, nil
}

func (s *Store) appendOne(x *exchange) (int, any, error) {
	var m Message
	if err := s.decode(x, &m); err != nil {
		return 0, nil, err
	}
	if err := m.Validate(); err != nil {
		return 0, nil, badRequest(http.StatusBadRequest, "%v", err)
	}
	if err := s.fault(x); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.histories[x.user]
	if len(h) >= s.maxMessages {
		return 0, nil, badRequest(http.StatusConflict, "history of %q is full (%d messages): PUT a shorter one", x.user, s.maxMessages)
	}
	h = append(h, m)
	s.storeLocked(x.user, h)
	return http.StatusOK, History{User: x.user, Messages: append([]Message{}, h...)}, nil
}

func (s *Store) forget(x *exchange) (int, any, error) {
	if err := s.fault(x); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	s.forgetLocked(x.user)
	s.mu.Unlock()
	return http.StatusNoContent, nil, nil
}

// decode reads one JSON value from the body into v: size-limited, no unknown fields,
// nothing after it.
func (s *Store) decode(x *exchange, v any) error {
	read := control.BodyDeadline(x.w, s.bodyTimeout)
	body, err := io.ReadAll(http.MaxBytesReader(x.w, x.r.Body, s.maxBody))
	read.End()
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return badRequest(http.StatusRequestEntityTooLarge, "body is over the %d byte limit", s.maxBody)
		}
		return badRequest(http.StatusBadRequest, "reading the body: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest(http.StatusBadRequest, "body is not the JSON expected: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest(http.StatusBadRequest, "body holds more than one JSON value")
	}
	return nil
}

func (s *Store) writeJSON(x *exchange, status int, v any) {
	var body []byte
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			s.writeError(x, http.StatusInternalServerError, "encoding the answer: "+err.Error())
			return
		}
		body = append(b, '\n')
		x.w.Header().Set("Content-Type", "application/json")
	}
	x.w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	x.w.WriteHeader(status)
	n, err := x.w.Write(body)
	x.a.Status = status
	x.a.Bytes = int64(n)
	x.a.Complete = err == nil && status >= 200 && status < 300
}

func (s *Store) writeError(x *exchange, status int, msg string) {
	type e struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	body, _ := json.Marshal(struct {
		Error e `json:"error"`
	}{e{status, msg}})
	body = append(body, '\n')
	x.w.Header().Set("Content-Type", "application/json")
	x.w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	x.w.WriteHeader(status)
	n, _ := x.w.Write(body)
	x.a.Status = status
	x.a.Bytes = int64(n)
	x.a.Complete = false
}

// retryCount reads X-Stainless-Retry-Count, -1 when absent or not a number.
func retryCount(r *http.Request) int {
	n, err := strconv.Atoi(r.Header.Get("X-Stainless-Retry-Count"))
	if err != nil {
		return -1
	}
	return n
}
