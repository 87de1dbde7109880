package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// redisHistory keeps the history in Redis the naive way: the client's defaults (its
// retries and 3 s timeouts), no deadline of its own, every failure fatal to the request.
type redisHistory struct{ rdb *redis.Client }

var _ historyStore = redisHistory{}

func (h redisHistory) get(user string) ([]chatMessage, error) {
	b, err := h.rdb.Get(context.Background(), "llmchaos:history:"+user).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("history get (redis): %w", err)
	}
	var doc history
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("history get (redis): %w", err)
	}
	return doc.Messages, nil
}

func (h redisHistory) put(user string, msgs []chatMessage) error {
	b, _ := json.Marshal(history{User: user, Messages: msgs})
	if err := h.rdb.Set(context.Background(), "llmchaos:history:"+user, b, 0).Err(); err != nil {
		return fmt.Errorf("history put (redis): %w", err)
	}
	return nil
}
