package oauth1_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
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

// recordingStore is a NonceStore that records the nonces it is given.
type recordingStore struct{ nonces []string }

func (s *recordingStore) UseNonce(_ context.Context, _, _, nonce string, _ time.Time) error {
	s.nonces = append(s.nonces, nonce)
	return nil
}

// TestVerifyNonceLength verifies correctly signed requests with nonces
// around MaxNonceLength: a longer one is refused before the nonce store
// sees it, whatever the placement.
func TestVerifyNonceLength(t *testing.T) {
	now := time.Unix(1700000000, 0)
	tests := []struct {
		name    string
		nonce   string
		wantErr bool
	}{
		{"43 bytes, as Sign makes", strings.Repeat("n", 43), false},
		{"at the bound", strings.Repeat("n", oauth1.MaxNonceLength), false},
		{"one byte over", strings.Repeat("n", oauth1.MaxNonceLength+1), true},
		{"1 MB", strings.Repeat("n", 1<<20), true},
	}
	for _, tt := range tests {
		for _, pl := range placements {
			t.Run(tt.name+"/"+pl.String(), func(t *testing.T) {
				cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs", Placement: pl,
					Now: func() time.Time { return now }, Nonce: func() (string, error) { return tt.nonce, nil }}
				req, _ := http.NewRequest(http.MethodPost, "https://api.example.com/r", strings.NewReader("a=1"))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if err := cfg.Sign(req, nil); err != nil {
					t.Fatal(err)
				}
				store := &recordingStore{}
				v := &oauth1.Verifier{
					LookupConsumer: func(context.Context, string) (oauth1.Consumer, error) { return oauth1.Consumer{Secret: "cs"}, nil },
					Nonces:         store,
					Now:            func() time.Time { return now },
					MaxBodyBytes:   4 << 20,
				}
				_, err := v.Verify(context.Background(), req)
				if !tt.wantErr {
					if err != nil || len(store.nonces) != 1 {
						t.Fatalf("Verify() = %v with %d nonces stored, want success and 1", err, len(store.nonces))
					}
					return
				}
				var ve *oauth1.VerifyError
				if !errors.As(err, &ve) || !errors.Is(err, oauth1.ErrBadRequest) ||
					ve.Parameter != "oauth_nonce" || ve.Problem != oauth1.ProblemParameterRejected {
					t.Errorf("Verify() error = %.200v, want a *VerifyError for oauth_nonce wrapping ErrBadRequest", err)
				}
				if len(store.nonces) != 0 {
					t.Errorf("the nonce store saw %d nonces, want none", len(store.nonces))
				}
				checkBounded(t, err)
			})
		}
	}
}
