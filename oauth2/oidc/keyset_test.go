package oidc_test

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oidc"
	"github.com/oauthkit/oauth/signer/jose"
)

// jwksServer serves a JWK Set that a test changes, and counts requests.
type jwksServer struct {
	*httptest.Server
	requests atomic.Int32

	mu     sync.Mutex
	keys   []*jose.JWK
	status int    // when not 0, the answer's status
	cache  string // the Cache-Control header
}

func newJWKSServer(t testing.TB) *jwksServer {
	t.Helper()
	j := &jwksServer{}
	j.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		j.requests.Add(1)
		j.mu.Lock()
		defer j.mu.Unlock()
		if j.status != 0 {
			w.WriteHeader(j.status)
			return
		}
		if j.cache != "" {
			w.Header().Set("Cache-Control", j.cache)
		}
		json.NewEncoder(w).Encode(map[string]any{"keys": j.keys})
	}))
	t.Cleanup(j.Close)
	return j
}

func (j *jwksServer) set(status int, cache string, keys ...*jose.JWK) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.status, j.cache, j.keys = status, cache, keys
}

// jwkOf returns the public JWK of key with kid.
func jwkOf(t testing.TB, key crypto.Signer, kid string) *jose.JWK {
	t.Helper()
	k, err := jose.PublicJWK(key)
	if err != nil {
		t.Fatal(err)
	}
	k.KeyID = kid
	return k
}

// TestRemoteKeySetRotation checks that a token signed with a key the
// cached set lacks makes exactly one fetch, and is then accepted; and
// that the key is picked by kid among keys of one type.
func TestRemoteKeySetRotation(t *testing.T) {
	k := keys(t)
	clk := newClock()
	j := newJWKSServer(t)
	old := jwkOf(t, k.p256, "old")
	j.set(0, "max-age=3600", old)
	ks := oidc.NewRemoteKeySet(j.URL, &oidc.Options{Now: clk.Now})
	ctx := context.Background()
	es := signerFor(t, k, "ES256", nil)
	if _, err := ks.VerifySignature(ctx, mint(t, es, map[string]any{"alg": "ES256", "kid": "old"}, map[string]any{"n": 1})); err != nil {
		t.Fatalf("old key: %v", err)
	}
	// The provider rotates in an Ed25519 key.
	j.set(0, "max-age=3600", old, jwkOf(t, k.ed, "new"))
	ed := mint(t, signerFor(t, k, "EdDSA", nil), map[string]any{"alg": "EdDSA", "kid": "new"}, map[string]any{"n": 2})
	if _, err := ks.VerifySignature(ctx, ed); err != nil {
		t.Fatalf("rotated key: %v", err)
	}
	if got := j.requests.Load(); got != 2 {
		t.Errorf("%d requests, want 2: one fetch for the unknown kid", got)
	}
	if _, err := ks.VerifySignature(ctx, ed); err != nil || j.requests.Load() != 2 {
		t.Errorf("rotated key again: %v, %d requests; want no fetch", err, j.requests.Load())
	}
	// A token naming "old" but signed by the new key does not verify.
	forged := mint(t, signerFor(t, k, "EdDSA", nil), map[string]any{"alg": "EdDSA", "kid": "old"}, map[string]any{"n": 3})
	if _, err := ks.VerifySignature(ctx, forged); !errors.Is(err, oidc.ErrUnknownKey) && !errors.Is(err, oidc.ErrInvalidSignature) {
		t.Errorf("kid of another key: %v, want a refusal", err)
	}
}

// TestRemoteKeySetStorm checks the rate limit: tokens naming an unknown
// kid, however many and however concurrent, cause one fetch per
// RefetchInterval.
func TestRemoteKeySetStorm(t *testing.T) {
	k := keys(t)
	clk := newClock()
	j := newJWKSServer(t)
	j.set(0, "max-age=3600", jwkOf(t, k.rsa, "rsa"))
	ks := oidc.NewRemoteKeySet(j.URL, &oidc.Options{Now: clk.Now})
	ctx := context.Background()
	rs := signerFor(t, k, "RS256", nil)
	if _, err := ks.VerifySignature(ctx, mint(t, rs, map[string]any{"alg": "RS256", "kid": "rsa"}, map[string]any{})); err != nil {
		t.Fatal(err)
	}
	forged := mint(t, rs, map[string]any{"alg": "RS256", "kid": "unknown"}, map[string]any{})
	storm := func() {
		var wg sync.WaitGroup
		for i := 0; i < 100; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := ks.VerifySignature(ctx, forged); !errors.Is(err, oidc.ErrUnknownKey) {
					t.Errorf("VerifySignature() error = %v, want ErrUnknownKey", err)
				}
			}()
		}
		wg.Wait()
	}
	storm()
	if got := j.requests.Load(); got != 2 {
		t.Errorf("after the first storm: %d requests, want 2 (one refetch)", got)
	}
	clk.Advance(oidc.DefaultRefetchInterval - time.Second)
	storm()
	if got := j.requests.Load(); got != 2 {
		t.Errorf("within the interval: %d requests, want 2", got)
	}
	clk.Advance(time.Second)
	storm()
	if got := j.requests.Load(); got != 3 {
		t.Errorf("after the interval: %d requests, want 3", got)
	}
}

// TestRemoteKeySetStormUnreachable checks the rate limit while the set
// cannot be fetched at all (the provider is down, or answers an error):
// verifications, however many, cause one fetch per RefetchInterval and
// get the error of the last one; once the interval has passed, a fetch
// that succeeds is used.
func TestRemoteKeySetStormUnreachable(t *testing.T) {
	k := keys(t)
	clk := newClock()
	j := newJWKSServer(t)
	j.set(http.StatusServiceUnavailable, "")
	ks := oidc.NewRemoteKeySet(j.URL, &oidc.Options{Now: clk.Now})
	ctx := context.Background()
	rs := signerFor(t, k, "RS256", nil)
	tok := mint(t, rs, map[string]any{"alg": "RS256", "kid": "rsa"}, map[string]any{})
	for i := 0; i < 50; i++ {
		var e *oauth2.Error
		if _, err := ks.VerifySignature(ctx, tok); !errors.As(err, &e) || e.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("VerifySignature() error = %v, want the *oauth2.Error of the fetch", err)
		}
	}
	if got := j.requests.Load(); got != 1 {
		t.Errorf("within the interval: %d requests, want 1", got)
	}
	j.set(0, "max-age=3600", jwkOf(t, k.rsa, "rsa"))
	clk.Advance(oidc.DefaultRefetchInterval)
	if _, err := ks.VerifySignature(ctx, tok); err != nil {
		t.Fatalf("after the interval: %v", err)
	}
	if got := j.requests.Load(); got != 2 {
		t.Errorf("after the interval: %d requests, want 2", got)
	}
}

// TestRemoteKeySetCache checks that the set is fetched again when its
// max-age has passed, and that a failed scheduled fetch keeps the old set.
func TestRemoteKeySetCache(t *testing.T) {
	k := keys(t)
	clk := newClock()
	j := newJWKSServer(t)
	j.set(0, "public, max-age=300", jwkOf(t, k.p256, "ec"))
	ks := oidc.NewRemoteKeySet(j.URL, &oidc.Options{Now: clk.Now})
	ctx := context.Background()
	tok := mint(t, signerFor(t, k, "ES256", nil), map[string]any{"alg": "ES256", "kid": "ec"}, map[string]any{})
	verify := func(wantRequests int32) {
		t.Helper()
		if _, err := ks.VerifySignature(ctx, tok); err != nil {
			t.Fatalf("VerifySignature() error = %v", err)
		}
		if got := j.requests.Load(); got != wantRequests {
			t.Errorf("%d requests, want %d", got, wantRequests)
		}
	}
	verify(1)
	clk.Advance(299 * time.Second)
	verify(1)
	clk.Advance(time.Second)
	verify(2)
	j.set(http.StatusServiceUnavailable, "")
	clk.Advance(300 * time.Second)
	verify(3) // the old set, after a failed fetch
	clk.Advance(oidc.MinCacheAge - time.Second)
	verify(3) // no new attempt before MinCacheAge
}

// TestRemoteKeySetErrors checks the errors of fetching the set.
func TestRemoteKeySetErrors(t *testing.T) {
	k := keys(t)
	tok := mint(t, signerFor(t, k, "RS256", nil), map[string]any{"alg": "RS256", "kid": "a"}, map[string]any{})
	ctx := context.Background()
	t.Run("error status", func(t *testing.T) {
		j := newJWKSServer(t)
		j.set(http.StatusInternalServerError, "")
		_, err := oidc.NewRemoteKeySet(j.URL, nil).VerifySignature(ctx, tok)
		var e *oauth2.Error
		if !errors.As(err, &e) || e.Endpoint != "jwks" || e.StatusCode != 500 {
			t.Errorf("error = %v, want an *oauth2.Error of the jwks endpoint", err)
		}
	})
	t.Run("too large", func(t *testing.T) {
		j := newJWKSServer(t)
		j.set(0, "", jwkOf(t, k.rsa, "a"))
		_, err := oidc.NewRemoteKeySet(j.URL, &oidc.Options{MaxBodyBytes: 100}).VerifySignature(ctx, tok)
		var mbe *http.MaxBytesError
		if !errors.As(err, &mbe) {
			t.Errorf("error = %v, want *http.MaxBytesError", err)
		}
	})
	t.Run("not a jwk set", func(t *testing.T) {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"keys":{}}`)) }))
		defer s.Close()
		if _, err := oidc.NewRemoteKeySet(s.URL, nil).VerifySignature(ctx, tok); !errors.Is(err, jose.ErrMalformedJWK) {
			t.Errorf("error = %v, want jose.ErrMalformedJWK", err)
		}
	})
	t.Run("plain http to another host", func(t *testing.T) {
		ks := oidc.NewRemoteKeySet("http://idp.example/jwks", &oidc.Options{HTTPClient: &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
			t.Errorf("request to %s", r.URL)
			return nil, errors.New("no")
		})}})
		if _, err := ks.VerifySignature(ctx, tok); !errors.Is(err, oauth2.ErrInsecureTransport) {
			t.Errorf("error = %v, want oauth2.ErrInsecureTransport", err)
		}
	})
	t.Run("jku is never followed", func(t *testing.T) {
		var hit atomic.Bool
		evil := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hit.Store(true) }))
		defer evil.Close()
		j := newJWKSServer(t)
		j.set(0, "", jwkOf(t, k.p256, "a"))
		raw := mint(t, signerFor(t, k, "RS256", nil), map[string]any{"alg": "RS256", "kid": "b", "jku": evil.URL}, map[string]any{})
		if _, err := oidc.NewRemoteKeySet(j.URL, nil).VerifySignature(ctx, raw); !errors.Is(err, oidc.ErrUnknownKey) || hit.Load() {
			t.Errorf("error = %v, jku fetched %t; want ErrUnknownKey and no fetch", err, hit.Load())
		}
	})
	t.Run("hmac and none never reach the key set", func(t *testing.T) {
		j := newJWKSServer(t)
		for _, raw := range []string{
			mint(t, signerFor(t, k, "HS256", []byte("k")), map[string]any{"alg": "HS256"}, map[string]any{}),
			mint(t, noneSigner{}, map[string]any{"alg": "none"}, map[string]any{}),
		} {
			if _, err := oidc.NewRemoteKeySet(j.URL, nil).VerifySignature(ctx, raw); !errors.Is(err, oidc.ErrInvalidSignature) {
				t.Errorf("error = %v, want ErrInvalidSignature", err)
			}
		}
		if got := j.requests.Load(); got != 0 {
			t.Errorf("%d requests, want none", got)
		}
	})
	t.Run("malformed token", func(t *testing.T) {
		if _, err := oidc.NewRemoteKeySet("https://idp.example/jwks", nil).VerifySignature(ctx, strings.Repeat("x", 20)); !errors.Is(err, oidc.ErrMalformedToken) {
			t.Errorf("error = %v, want ErrMalformedToken", err)
		}
	})
}
