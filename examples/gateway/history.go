package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// historyStore keeps each user's chat history: the store over HTTP (historyClient) or a
// Redis (redisHistory). Its errors make the gateway answer without history (degraded).
type historyStore interface {
	get(ctx context.Context, user string) ([]chatMessage, error)
	put(ctx context.Context, user string, msgs []chatMessage) error
}

var (
	_ historyStore = (*historyClient)(nil)
	_ historyStore = (*redisHistory)(nil)
)

// historyClient reads and writes a user's chat history in the store:
// GET/PUT {base}/v1/history/{user} with {"user":..., "messages":[{"role","content"}]}.
type historyClient struct {
	base  string
	hc    *http.Client
	limit int
}

// history is the store's document.
type history struct {
	User     string        `json:"user"`
	Messages []chatMessage `json:"messages"`
}

func (h *historyClient) url(user string) string {
	return h.base + "/v1/history/" + url.PathEscape(user)
}

// get returns the user's messages; none (and no error) when the store has no history for them.
func (h *historyClient) get(ctx context.Context, user string) ([]chatMessage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.url(user), nil)
	if err != nil {
		return nil, err
	}
	resp, err := h.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("history get: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("history get: store answered %s", resp.Status)
	}
	var doc history
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4<<20)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("history get: store answer does not parse: %w", err)
	}
	return doc.Messages, nil
}

// put replaces the user's history with msgs, keeping the newest h.limit.
func (h *historyClient) put(ctx context.Context, user string, msgs []chatMessage) error {
	if h.limit > 0 && len(msgs) > h.limit {
		msgs = msgs[len(msgs)-h.limit:]
	}
	body, err := json.Marshal(history{User: user, Messages: msgs})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, h.url(user), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.hc.Do(req)
	if err != nil {
		return fmt.Errorf("history put: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("history put: store answered %s", resp.Status)
	}
	return nil
}
