package oauth1_test

import (
	"context"
	"errors"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth1"
)

// TestMemoryNonceStoreHugeTTL uses stores whose TTL means "never forget":
// a replay must be refused however many nonces came after it.
func TestMemoryNonceStoreHugeTTL(t *testing.T) {
	ctx := context.Background()
	for _, ttl := range []time.Duration{math.MaxInt64, math.MaxInt64 / 2, 1 << 62, 100 * 365 * 24 * time.Hour} {
		t.Run(ttl.String(), func(t *testing.T) {
			s := oauth1.NewMemoryNonceStore(ttl)
			first := time.Unix(1700000000, 0)
			if err := s.UseNonce(ctx, "ck", "tok", "first", first); err != nil {
				t.Fatalf("UseNonce(first) = %v", err)
			}
			for i := 0; i < 5000; i++ {
				if err := s.UseNonce(ctx, "ck", "tok", "n"+strconv.Itoa(i), first.Add(time.Duration(i+1)*time.Second)); err != nil {
					t.Fatalf("UseNonce(%d) = %v", i, err)
				}
			}
			if err := s.UseNonce(ctx, "ck", "tok", "first", first); !errors.Is(err, oauth1.ErrReplayedNonce) {
				t.Errorf("replayed UseNonce(first) = %v, want ErrReplayedNonce", err)
			}
			if got := s.Len(); got != 5001 {
				t.Errorf("Len() = %d, want 5001", got)
			}
		})
	}
}

// TestMemoryNonceStoreDistinctKeys records pairs of different
// (consumer key, token, nonce, timestamp) tuples whose parts, joined with
// NUL, would give the same key. A colliding key can only refuse a fresh
// nonce (a replay has the very same parts), so the second of each pair
// must be accepted, and each replayed one refused.
func TestMemoryNonceStoreDistinctKeys(t *testing.T) {
	type tuple struct {
		ck, tok, nonce string
		ts             int64
	}
	tests := []struct {
		name string
		a, b tuple
	}{
		{"consumer key and token", tuple{"k\x00t", "", "n", 5}, tuple{"k", "t\x00", "n", 5}},
		{"token and nonce", tuple{"k", "a", "x\x009\x00y", 5}, tuple{"k", "a\x005\x00x", "y", 9}},
		{"consumer key and nonce", tuple{"k\x00t\x005\x00n", "", "m", 7}, tuple{"k", "t", "n\x00\x007\x00m", 5}},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := oauth1.NewMemoryNonceStore(time.Hour)
			for _, u := range []tuple{tt.a, tt.b} {
				if err := s.UseNonce(ctx, u.ck, u.tok, u.nonce, time.Unix(u.ts, 0)); err != nil {
					t.Errorf("UseNonce(%q) = %v, want nil: a fresh nonce refused", u, err)
				}
			}
			for _, u := range []tuple{tt.a, tt.b} {
				if err := s.UseNonce(ctx, u.ck, u.tok, u.nonce, time.Unix(u.ts, 0)); !errors.Is(err, oauth1.ErrReplayedNonce) {
					t.Errorf("replayed UseNonce(%q) = %v, want ErrReplayedNonce", u, err)
				}
			}
		})
	}
}
