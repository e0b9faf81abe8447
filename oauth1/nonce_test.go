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
