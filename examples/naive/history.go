package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// history is the store's document for one user.
type history struct {
	User     string        `json:"user"`
	Messages []chatMessage `json:"messages"`
}

// historyStore keeps each user's history; the naive app treats its every failure as fatal.
type historyStore interface {
	get(user string) ([]chatMessage, error)
	put(user string, msgs []chatMessage) error
}

// historyClient talks to the store the naive way: http.DefaultClient, no timeout, and the
// caller treats every failure as fatal.
type historyClient struct{ base string }

func (h historyClient) url(user string) string { return h.base + "/v1/history/" + url.PathEscape(user) }

// get returns the user's messages; a 404 is an empty history.
func (h historyClient) get(user string) ([]chatMessage, error) {
	resp, err := http.Get(h.url(user))
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
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return nil, fmt.Errorf("history get: %w", err)
	}
	return doc.Messages, nil
}

// put replaces the user's history.
func (h historyClient) put(user string, msgs []chatMessage) error {
	body, _ := json.Marshal(history{User: user, Messages: msgs})
	req, err := http.NewRequest(http.MethodPut, h.url(user), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("history put: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("history put: store answered %s", resp.Status)
	}
	return nil
}
