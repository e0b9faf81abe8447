package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/oauthkit/oauth/oauth2"
)

// Store is an oauth2.TokenStore and oauth2.TokenLocker on Redis, for a
// fleet of processes on many hosts that share one grant. The token and its
// version live in the hash Key (fields "token", the token's JSON, and
// "version", a random value per save); the lock is the string Key+":lock".
//
// Save is a compare-and-swap in one Lua script, atomic on the server: it
// writes only if the stored version is still the one the caller read. The
// lock is a lease (SET NX PX) holding a random value, released by a
// script that deletes it only if it still holds that value, so that a
// holder whose lease expired never releases its successor's. The lease
// lasts until the deadline of the context Lock is called with (a
// session's refresh is bounded by Config.Timeout) plus Margin: it never
// expires under a holder that is still refreshing, and a holder that
// crashed is replaced once it does.
//
// A Store is safe for concurrent use; many Stores, in any processes, may
// share a Key.
type Store struct {
	Client *redis.Client
	Key    string
	// Margin is how long a lease outlasts its context's deadline; the
	// lease of a context without one lasts Margin alone. If 0, 5 seconds.
	Margin time.Duration
}

// saveScript is the compare-and-swap: KEYS[1] the hash, ARGV[1] the
// version the caller read ("" for none), ARGV[2] the token's JSON,
// ARGV[3] its new version. It returns 1 when it wrote, 0 otherwise.
var saveScript = redis.NewScript(`
local cur = redis.call('HGET', KEYS[1], 'version') or ''
if cur ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'token', ARGV[2], 'version', ARGV[3])
return 1
`)

// unlockScript deletes the lock KEYS[1] if it still holds ARGV[1].
var unlockScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

// Load implements oauth2.TokenStore: it returns the stored token and
// its version; when the hash holds no token's JSON (nothing, or what
// another program left), no token and the hash's version, in place of
// which a Save writes.
func (s *Store) Load(ctx context.Context) (*oauth2.Token, string, error) {
	vals, err := s.Client.HMGet(ctx, s.Key, "token", "version").Result()
	if err != nil {
		return nil, "", fmt.Errorf("redisstore: %w", err)
	}
	raw, _ := vals[0].(string)
	ver, _ := vals[1].(string)
	var tok oauth2.Token
	if raw == "" || json.Unmarshal([]byte(raw), &tok) != nil {
		// Not a token: nothing, which a Save in place of ver (the
		// hash's version field, "" when it has none, as saveScript
		// reads it) replaces (see oauth2.TokenStore).
		return nil, ver, nil
	}
	return &tok, ver, nil
}

// Save implements oauth2.TokenStore. It runs until Margin past ctx's
// deadline, not just until the deadline: a session's refresh whose answer
// came as its deadline ended still saves, within the lease it holds, so
// that no other session takes the lock and spends the refresh token the
// answer replaced. The save is a compare-and-swap, so a late one never
// overwrites a newer token.
func (s *Store) Save(ctx context.Context, tok *oauth2.Token, prev string) (string, error) {
	if d, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(context.WithoutCancel(ctx), d.Add(s.margin()))
		defer cancel()
	}
	b, err := json.Marshal(tok)
	if err != nil {
		return "", fmt.Errorf("redisstore: %w", err)
	}
	ver, err := random()
	if err != nil {
		return "", err
	}
	wrote, err := saveScript.Run(ctx, s.Client, []string{s.Key}, prev, b, ver).Int()
	if err != nil {
		return "", fmt.Errorf("redisstore: %w", err)
	}
	if wrote == 0 {
		return "", fmt.Errorf("redisstore: %q changed since it was read: %w", s.Key, oauth2.ErrStoreConflict)
	}
	return ver, nil
}

// Lock implements oauth2.TokenLocker: it tries to take the lease every few
// milliseconds until it gets it or ctx is done.
func (s *Store) Lock(ctx context.Context) (func(), error) {
	me, err := random()
	if err != nil {
		return nil, err
	}
	key := s.Key + ":lock"
	for wait := 2 * time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		// SET key me NX PX lease: nil when another holds it.
		err := s.Client.SetArgs(ctx, key, me, redis.SetArgs{Mode: "NX", TTL: s.lease(ctx)}).Err()
		if err != nil && !errors.Is(err, redis.Nil) {
			return nil, fmt.Errorf("redisstore: lock: %w", err)
		}
		if err == nil {
			return func() {
				// A release that fails leaves the lease to expire.
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				unlockScript.Run(ctx, s.Client, []string{key}, me)
			}, nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("redisstore: lock: %w", ctx.Err())
		case <-t.C:
		}
	}
}

// margin is Margin, or its default.
func (s *Store) margin() time.Duration {
	if s.Margin <= 0 {
		return 5 * time.Second
	}
	return s.Margin
}

// lease is how long a lock taken now with ctx lasts.
func (s *Store) lease(ctx context.Context) time.Duration {
	m := s.margin()
	if d, ok := ctx.Deadline(); ok {
		return time.Until(d) + m
	}
	return m
}

func random() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("redisstore: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

var _ interface {
	oauth2.TokenStore
	oauth2.TokenLocker
} = (*Store)(nil)
