package oauth1

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"
)

// MaxNonceLength is the longest oauth_nonce, in bytes, that a [Verifier]
// accepts; a longer one is refused, before the nonce store sees it, with a
// *VerifyError for Parameter "oauth_nonce" wrapping ErrBadRequest. Every
// nonce it keeps then costs a bounded amount of memory. RFC 5849 §3.3 sets
// no length; clients send far less (this package 30 letters and digits,
// oauthlib 30 digits, others a UUID or a hex SHA-1 or SHA-256: 36, 40 or
// 64), and 128 leaves room for twice the longest of those.
const MaxNonceLength = 128

// A NonceStore remembers the nonces a provider has accepted (RFC 5849
// §3.3) so that a replayed request is refused. Implementations must be
// safe for concurrent use.
//
// [Verifier.Verify] calls UseNonce last, once the signature and timestamp
// have been checked: the consumer key and token it passes were accepted by
// the lookups, and the nonce is at most [MaxNonceLength] bytes.
type NonceStore interface {
	// UseNonce records nonce for the consumer key, token and timestamp,
	// or returns an error wrapping ErrReplayedNonce if that combination
	// was recorded before.
	UseNonce(ctx context.Context, consumerKey, token, nonce string, timestamp time.Time) error
}

// DefaultMaxNonces is the number of nonces a [MemoryNonceStore] keeps at
// most when its MaxEntries is zero: with the default window, entries live
// about ten minutes, so it serves about 400 verified requests a second.
// Each entry costs its key (consumer key, token and nonce) and about 100
// bytes more.
const DefaultMaxNonces = 1 << 18

// MemoryNonceStore is a [NonceStore] in memory, for a single process.
// Create it with [NewMemoryNonceStore]; it is safe for concurrent use.
//
// It remembers a nonce until its timestamp is more than twice its TTL
// older than the newest timestamp it has seen, which is safe when TTL is
// at least the Verifier's Window: a replay is refused for as long as its
// timestamp could pass the window. Expired nonces are forgotten, oldest
// first, as new ones arrive; each UseNonce costs O(log n) for n nonces
// kept. A nonce older than what the store still remembers is refused
// with an error wrapping ErrStaleTimestamp, as the store could not tell
// it from a replay.
//
// It keeps at most MaxEntries nonces. When that many are live, UseNonce
// refuses new nonces with an error wrapping [ErrNonceStoreFull] instead of
// growing or forgetting live ones, whose replays would then be accepted:
// replay safety comes before availability, and a provider whose store is
// full refuses requests until enough nonces expire.
type MemoryNonceStore struct {
	// MaxEntries is the most nonces the store keeps; if zero,
	// DefaultMaxNonces. Set it before the store's first use.
	MaxEntries int

	ttl    time.Duration
	mu     sync.Mutex
	seen   map[string]struct{}
	byTime nonceHeap // the keys of seen, oldest timestamp first
	newest int64     // the newest timestamp seen, once begun
	begun  bool
}

// NewMemoryNonceStore returns an empty store; ttl should be at least the
// Verifier's Window (if zero, DefaultWindow). A ttl of math.MaxInt64
// forgets nothing, so MaxEntries bounds how many nonces it accepts in all.
func NewMemoryNonceStore(ttl time.Duration) *MemoryNonceStore {
	if ttl <= 0 {
		ttl = DefaultWindow
	}
	return &MemoryNonceStore{ttl: ttl, seen: make(map[string]struct{})}
}

// UseNonce implements NonceStore. Besides ErrReplayedNonce, it fails with
// an error wrapping ErrNonceStoreFull when MaxEntries nonces are live, and
// with one wrapping ErrStaleTimestamp for a timestamp older than the
// nonces it remembers.
func (s *MemoryNonceStore) UseNonce(_ context.Context, consumerKey, token, nonce string, timestamp time.Time) error {
	ts := timestamp.Unix()
	k := nonceKey(consumerKey, token, nonce, ts)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.seen[k]; ok {
		return ErrReplayedNonce
	}
	if !s.begun || ts > s.newest {
		s.newest, s.begun = ts, true
	}
	cut := forgetBefore(s.newest, s.ttl)
	for len(s.byTime) > 0 && s.byTime[0].ts < cut {
		delete(s.seen, heap.Pop(&s.byTime).(nonceEntry).key)
	}
	if ts < cut {
		return fmt.Errorf("oauth1: nonce store: timestamp older than the nonces it remembers: %w", ErrStaleTimestamp)
	}
	limit := s.MaxEntries
	if limit <= 0 {
		limit = DefaultMaxNonces
	}
	if len(s.seen) >= limit {
		return ErrNonceStoreFull
	}
	s.seen[k] = struct{}{}
	heap.Push(&s.byTime, nonceEntry{ts: ts, key: k})
	return nil
}

// Len returns the number of nonces remembered.
func (s *MemoryNonceStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}

// nonceKey returns the store's key of a nonce: each variable-length part
// preceded by its length, so that no two tuples share a key whatever
// bytes (NUL included) their parts hold; the timestamp, digits and an
// optional '-', is ended by ':'.
func nonceKey(consumerKey, token, nonce string, ts int64) string {
	b := make([]byte, 0, len(consumerKey)+len(token)+len(nonce)+40)
	b = strconv.AppendInt(b, int64(len(consumerKey)), 10)
	b = append(b, ':')
	b = append(b, consumerKey...)
	b = strconv.AppendInt(b, int64(len(token)), 10)
	b = append(b, ':')
	b = append(b, token...)
	b = strconv.AppendInt(b, ts, 10)
	b = append(b, ':')
	b = append(b, nonce...)
	return string(b)
}

// forgetBefore returns the Unix time before which a store whose newest
// timestamp is newest forgets nonces: 2*ttl earlier, rounded to whole
// seconds away from newest. It saturates instead of overflowing, so that a
// TTL meant as "never forget" (math.MaxInt64) forgets nothing.
func forgetBefore(newest int64, ttl time.Duration) int64 {
	keep := int64(ttl / time.Second) // at most about 9.2e9: 2*keep cannot overflow
	if ttl%time.Second != 0 {
		keep++
	}
	if newest < math.MinInt64+2*keep {
		return math.MinInt64
	}
	return newest - 2*keep
}

// nonceEntry is a remembered nonce: its timestamp and its key in seen.
type nonceEntry struct {
	ts  int64
	key string
}

// nonceHeap is a min-heap of entries by timestamp (container/heap).
type nonceHeap []nonceEntry

func (h nonceHeap) Len() int           { return len(h) }
func (h nonceHeap) Less(i, j int) bool { return h[i].ts < h[j].ts }
func (h nonceHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *nonceHeap) Push(x any)        { *h = append(*h, x.(nonceEntry)) }
func (h *nonceHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nonceEntry{} // drop the key's reference
	*h = old[:len(old)-1]
	return e
}
