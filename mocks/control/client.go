package control

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Client defaults.
const (
	// DefaultClientTimeout bounds one admin API call of a Client.
	DefaultClientTimeout = 30 * time.Second
	// DefaultMaxJournalResponse bounds the JSON a Client reads for one journal query
	// (about a million attempts); past it the query fails, naming the limit.
	DefaultMaxJournalResponse = 512 << 20
)

// maxAdminAnswer bounds every other admin API answer a Client reads.
const maxAdminAnswer = 1 << 20

// Client drives a mock that runs elsewhere (llmchaos mock, or any server of WithAdmin)
// through its admin API: it sets and clears protocol faults, and reads the mock's name
// and journal. It has the fault half of Mock (SetFault, ClearFault), so the harness
// applies faults to a remote mock as to one in its own process. It is safe for
// concurrent use.
type Client struct {
	base       string
	hc         *http.Client
	transport  *http.Transport
	timeout    time.Duration
	maxJournal int64
}

// ClientOption configures NewClient.
type ClientOption func(*Client)

// WithClientTimeout bounds each admin API call (d > 0; otherwise DefaultClientTimeout).
func WithClientTimeout(d time.Duration) ClientOption {
	return func(c *Client) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// WithMaxJournalResponse bounds the bytes of one journal answer (n > 0; otherwise
// DefaultMaxJournalResponse).
func WithMaxJournalResponse(n int64) ClientOption {
	return func(c *Client) {
		if n > 0 {
			c.maxJournal = n
		}
	}
}

// NewClient returns a Client of the mock served at baseURL (http://host:port, the
// mock's own address: the admin API is under AdminPrefix). It checks the URL only;
// Info reaches the mock.
func NewClient(baseURL string, opts ...ClientOption) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("mock URL %q is not an http(s) URL with a host: give the mock's address, e.g. http://127.0.0.1:8080", baseURL)
	}
	t := &http.Transport{Proxy: nil, DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext, MaxIdleConnsPerHost: 4}
	c := &Client{
		base: strings.TrimRight(baseURL, "/"), transport: t, hc: &http.Client{Transport: t},
		timeout: DefaultClientTimeout, maxJournal: DefaultMaxJournalResponse,
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// URL is the mock's base URL.
func (c *Client) URL() string { return c.base }

// Close drops the client's idle connections.
func (c *Client) Close() { c.transport.CloseIdleConnections() }

// Info asks the mock who it is and how its journal stands.
func (c *Client) Info(ctx context.Context) (Info, error) {
	var info Info
	err := c.call(ctx, http.MethodGet, "info", nil, http.StatusOK, maxAdminAnswer, &info)
	return info, err
}

// SetFault activates f on the mock and returns its id there.
func (c *Client) SetFault(f Fault) (string, error) {
	body, err := json.Marshal(f)
	if err != nil {
		return "", fmt.Errorf("encode fault %s: %w", f.Type, err)
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := c.call(context.Background(), http.MethodPost, "faults", body, http.StatusCreated, maxAdminAnswer, &out); err != nil {
		return "", err
	}
	return out.ID, nil
}

// ClearFault removes the fault with that id; false when it was not active or the mock
// could not be reached (RemoveFault says which).
func (c *Client) ClearFault(id string) bool { return c.RemoveFault(id) == nil }

// RemoveFault removes the fault with that id. One the mock no longer holds is not an
// error: it is gone either way.
func (c *Client) RemoveFault(id string) error {
	err := c.call(context.Background(), http.MethodDelete, "faults/"+url.PathEscape(id), nil, http.StatusNoContent, maxAdminAnswer, nil)
	var se *StatusError
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		return nil
	}
	return err
}

// Faults lists the mock's active faults by id.
func (c *Client) Faults(ctx context.Context) (map[string]Fault, error) {
	var out map[string]Fault
	err := c.call(ctx, http.MethodGet, "faults", nil, http.StatusOK, maxAdminAnswer, &out)
	return out, err
}

// Journal reads the attempts q selects, ordered by Seq.
func (c *Client) Journal(ctx context.Context, q JournalQuery) ([]Attempt, error) {
	v := url.Values{}
	if q.Prefix != "" {
		v.Set("prefix", q.Prefix)
	}
	if q.After > 0 {
		v.Set("after", strconv.Itoa(q.After))
	}
	path := "journal"
	if len(v) > 0 {
		path += "?" + v.Encode()
	}
	var out []Attempt
	err := c.call(ctx, http.MethodGet, path, nil, http.StatusOK, c.maxJournal, &out)
	return out, err
}

// StatusError is an admin API answer with an unexpected status.
type StatusError struct {
	Method, URL string
	Status      int
	// Msg is the answer's error message, or its body cut short.
	Msg string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.URL, e.Status, e.Msg)
}

// call sends one admin API request and decodes its answer into out (when not nil).
func (c *Client) call(ctx context.Context, method, path string, body []byte, want int, limit int64, out any) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	target := c.base + AdminPrefix + path
	req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("mock admin API %s %s: %w", method, target, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("mock admin API %s %s (is the mock running there? start it with llmchaos mock): %w", method, target, err)
	}
	defer resp.Body.Close()
	lr := &io.LimitedReader{R: resp.Body, N: limit + 1}
	if resp.StatusCode != want {
		b, _ := io.ReadAll(io.LimitReader(lr, 4096))
		var e struct {
			Error string `json:"error"`
		}
		msg := strings.TrimSpace(string(b))
		if json.Unmarshal(b, &e) == nil && e.Error != "" {
			msg = e.Error
		}
		return &StatusError{Method: method, URL: target, Status: resp.StatusCode, Msg: msg}
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(lr).Decode(out); err != nil {
		if lr.N <= 0 {
			return fmt.Errorf("mock admin API %s %s: the answer is larger than the %d bytes a client reads (WithMaxJournalResponse)", method, target, limit)
		}
		return fmt.Errorf("mock admin API %s %s: the answer is not the JSON expected: %w", method, target, err)
	}
	return nil
}
