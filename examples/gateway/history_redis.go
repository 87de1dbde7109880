package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisHistoryPrefix starts the key of a user's history in Redis.
const redisHistoryPrefix = "llmchaos:history:"

// redisHistory keeps a user's chat history in Redis, as the JSON document the store
// keeps, under redisHistoryPrefix+user. Every call is bounded by timeout and by its
// context (a dead Redis costs the request at most that), and is never retried: the
// gateway answers without history instead.
type redisHistory struct {
	rdb   *redis.Client
	limit int
}

func newRedisHistory(addr string, timeout time.Duration, limit int) *redisHistory {
	return &redisHistory{limit: limit, rdb: redis.NewClient(&redis.Options{
		Addr: addr, DialTimeout: timeout, ReadTimeout: timeout, WriteTimeout: timeout, PoolTimeout: timeout,
		MaxRetries: -1, ContextTimeoutEnabled: true, DisableIdentity: true,
	})}
}

// get returns the user's messages; none (and no error) when Redis has none for them.
func (h *redisHistory) get(ctx context.Context, user string) ([]chatMessage, error) {
	b, err := h.rdb.Get(ctx, redisHistoryPrefix+user).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("history get (redis): %w", err)
	}
	var doc history
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("history get (redis): the stored document does not parse: %w", err)
	}
	return doc.Messages, nil
}

// put replaces the user's history with msgs, keeping the newest h.limit.
func (h *redisHistory) put(ctx context.Context, user string, msgs []chatMessage) error {
	if h.limit > 0 && len(msgs) > h.limit {
		msgs = msgs[len(msgs)-h.limit:]
	}
	b, err := json.Marshal(history{User: user, Messages: msgs})
	if err != nil {
		return err
	}
	if err := h.rdb.Set(ctx, redisHistoryPrefix+user, b, 0).Err(); err != nil {
		return fmt.Errorf("history put (redis): %w", err)
	}
	return nil
}
