package oauth1_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
		{"30 bytes, as Sign makes", strings.Repeat("n", 30), false},
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

// TestMemoryNonceStoreBounded fills a store: once MaxEntries nonces are
// live, a new one is refused with ErrNonceStoreFull, and none of the live
// ones is forgotten; once they expire, new nonces are accepted again.
func TestMemoryNonceStoreBounded(t *testing.T) {
	ctx := context.Background()
	s := oauth1.NewMemoryNonceStore(time.Minute)
	s.MaxEntries = 100
	t0 := time.Unix(1700000000, 0)
	for i := 0; i < 100; i++ {
		if err := s.UseNonce(ctx, "ck", "", strconv.Itoa(i), t0); err != nil {
			t.Fatalf("UseNonce(%d) = %v", i, err)
		}
	}
	if err := s.UseNonce(ctx, "ck", "", "one more", t0.Add(time.Minute)); !errors.Is(err, oauth1.ErrNonceStoreFull) {
		t.Errorf("UseNonce on a full store = %v, want ErrNonceStoreFull", err)
	}
	for i := 0; i < 100; i++ {
		if err := s.UseNonce(ctx, "ck", "", strconv.Itoa(i), t0); !errors.Is(err, oauth1.ErrReplayedNonce) {
			t.Fatalf("replayed UseNonce(%d) on a full store = %v, want ErrReplayedNonce", i, err)
		}
	}
	if got := s.Len(); got != 100 {
		t.Errorf("Len() = %d, want 100", got)
	}
	// Twice the TTL later the first hundred have expired.
	if err := s.UseNonce(ctx, "ck", "", "later", t0.Add(2*time.Minute+time.Second)); err != nil {
		t.Errorf("UseNonce after expiry = %v, want nil", err)
	}
	if got := s.Len(); got != 1 {
		t.Errorf("Len() after expiry = %d, want 1", got)
	}
}

// TestMemoryNonceStoreDefaultBound fills a store with no MaxEntries set,
// and a TTL that forgets nothing.
func TestMemoryNonceStoreDefaultBound(t *testing.T) {
	if testing.Short() {
		t.Skip("fills 2^18 nonces")
	}
	ctx := context.Background()
	s := oauth1.NewMemoryNonceStore(math.MaxInt64)
	t0 := time.Unix(1700000000, 0)
	var err error
	n := 0
	for ; n <= oauth1.DefaultMaxNonces; n++ {
		if err = s.UseNonce(ctx, "ck", "tok", strconv.Itoa(n), t0.Add(time.Duration(n)*time.Millisecond)); err != nil {
			break
		}
	}
	if n != oauth1.DefaultMaxNonces || !errors.Is(err, oauth1.ErrNonceStoreFull) {
		t.Errorf("store accepted %d nonces then returned %v, want %d then ErrNonceStoreFull", n, err, oauth1.DefaultMaxNonces)
	}
}

// TestMemoryNonceStorePrunesByTime sends nonces one second apart to a
// store with a ten-second TTL: at no time may it hold more than the
// nonces of the last twenty seconds, and each replay inside that span is
// refused.
func TestMemoryNonceStorePrunesByTime(t *testing.T) {
	ctx := context.Background()
	s := oauth1.NewMemoryNonceStore(10 * time.Second)
	t0 := time.Unix(1700000000, 0)
	for i := 0; i < 10000; i++ {
		ts := t0.Add(time.Duration(i) * time.Second)
		if err := s.UseNonce(ctx, "ck", "", strconv.Itoa(i), ts); err != nil {
			t.Fatalf("UseNonce(%d) = %v", i, err)
		}
		if got := s.Len(); got > 21 {
			t.Fatalf("after %d nonces Len() = %d, want at most 21", i+1, got)
		}
		if i >= 20 {
			old := t0.Add(time.Duration(i-20) * time.Second)
			if err := s.UseNonce(ctx, "ck", "", strconv.Itoa(i-20), old); !errors.Is(err, oauth1.ErrReplayedNonce) {
				t.Fatalf("replay of nonce %d, 20 s old: %v, want ErrReplayedNonce", i-20, err)
			}
		}
	}
}

// TestMemoryNonceStoreTooOld gives a store a nonce older than what it
// still remembers: it cannot tell it from a replay, so it refuses it.
func TestMemoryNonceStoreTooOld(t *testing.T) {
	ctx := context.Background()
	s := oauth1.NewMemoryNonceStore(time.Minute)
	t0 := time.Unix(1700000000, 0)
	if err := s.UseNonce(ctx, "ck", "", "new", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.UseNonce(ctx, "ck", "", "old", t0); !errors.Is(err, oauth1.ErrStaleTimestamp) {
		t.Errorf("UseNonce(an hour before the newest) = %v, want ErrStaleTimestamp", err)
	}
	if err := s.UseNonce(ctx, "ck", "", "old enough", t0.Add(time.Hour-2*time.Minute)); err != nil {
		t.Errorf("UseNonce(2*TTL before the newest) = %v, want nil", err)
	}
}

// TestMemoryNonceStoreConcurrent uses one store from many goroutines:
// each distinct nonce is accepted exactly once.
func TestMemoryNonceStoreConcurrent(t *testing.T) {
	ctx := context.Background()
	s := oauth1.NewMemoryNonceStore(time.Minute)
	t0 := time.Unix(1700000000, 0)
	var accepted atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				if s.UseNonce(ctx, "ck", "", strconv.Itoa(i), t0.Add(time.Duration(i%30)*time.Second)) == nil {
					accepted.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if got := accepted.Load(); got != 500 {
		t.Errorf("accepted %d nonces, want 500", got)
	}
}

// TestVerifyNonceStoreFull verifies two good requests with a store that
// holds one nonce: the second fails with a *VerifyError wrapping
// ErrNonceStoreFull.
func TestVerifyNonceStoreFull(t *testing.T) {
	now := time.Unix(1700000000, 0)
	store := oauth1.NewMemoryNonceStore(0)
	store.MaxEntries = 1
	v := &oauth1.Verifier{
		LookupConsumer: func(context.Context, string) (oauth1.Consumer, error) { return oauth1.Consumer{Secret: "cs"}, nil },
		Nonces:         store,
		Now:            func() time.Time { return now },
	}
	cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs", Now: func() time.Time { return now }}
	for i, wantErr := range []error{nil, oauth1.ErrNonceStoreFull} {
		req, _ := http.NewRequest(http.MethodGet, "https://api.example.com/r", nil)
		if err := cfg.Sign(req, nil); err != nil {
			t.Fatal(err)
		}
		_, err := v.Verify(context.Background(), req)
		var ve *oauth1.VerifyError
		if wantErr == nil && err != nil || wantErr != nil && (!errors.As(err, &ve) || !errors.Is(err, wantErr)) {
			t.Errorf("request %d: Verify() = %v, want %v", i, err, wantErr)
		}
	}
}
