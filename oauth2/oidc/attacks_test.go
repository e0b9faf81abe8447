package oidc_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2/oidc"
)

const testNonce = "n-0S6_WzA2Mj-fake"

// TestFakeProviderSignIn is the happy path: discovery, a code flow with a
// nonce, and the ID token verified with every check.
func TestFakeProviderSignIn(t *testing.T) {
	for _, alg := range []string{"RS256", "ES256"} {
		t.Run(alg, func(t *testing.T) {
			clk := newClock()
			s := newServer(t, clk, func(o *fakeprovider.OAuth2) { o.IDTokenAlg = alg })
			p := newProvider(t, s, clk)
			tok := signIn(t, s, testNonce)
			v := p.Verifier(&oidc.Config{ClientID: testClientID, Now: clk.Now})
			got, err := v.Verify(context.Background(), tok.IDToken, oidc.WithNonce(testNonce), oidc.WithAccessToken(tok.AccessToken), oidc.WithMaxAge(time.Minute))
			if err != nil {
				t.Fatalf("Verify() error = %v", err)
			}
			want := []string{issuer(s), "alice", testClientID, testNonce, "alice@example.com", "Alice"}
			if diff := cmp.Diff(want, []string{got.Issuer, got.Subject, strings.Join(got.Audience, " "), got.Nonce, got.Email, got.Name}); diff != "" {
				t.Errorf("claims mismatch (-want +got):\n%s", diff)
			}
			if !got.EmailVerified || !got.Expiry.Equal(clk.Now().Add(time.Hour)) || !got.AuthTime.Equal(clk.Now()) {
				t.Errorf("email_verified %t, exp %s, auth_time %s", got.EmailVerified, got.Expiry, got.AuthTime)
			}
			if n := s.OAuth2.JWKSRequests(); n != 1 {
				t.Errorf("JWKSRequests() = %d, want 1", n)
			}
		})
	}
}

// TestFakeProviderAttacks turns on each of the fake provider's attacks on
// ID tokens and checks the typed error that refuses it.
func TestFakeProviderAttacks(t *testing.T) {
	tests := []struct {
		name    string
		attack  func(*fakeprovider.OAuth2)
		cfg     oidc.Config
		wantErr error
	}{
		{"alg none", func(o *fakeprovider.OAuth2) { o.IDTokenAlgNone = true }, oidc.Config{}, oidc.ErrInvalidSignature},
		{"HS256 with the public key", func(o *fakeprovider.OAuth2) { o.IDTokenHS256PublicKey = true }, oidc.Config{}, oidc.ErrInvalidSignature},
		{"HS256 with the public key, verifier with a secret", func(o *fakeprovider.OAuth2) { o.IDTokenHS256PublicKey = true },
			oidc.Config{ClientSecret: "the-client-secret", SupportedSigningAlgs: []string{"RS256", "HS256"}}, oidc.ErrInvalidSignature},
		{"wrong issuer", func(o *fakeprovider.OAuth2) { o.IDTokenWrongIssuer = true }, oidc.Config{}, oidc.ErrIssuerMismatch},
		{"wrong audience", func(o *fakeprovider.OAuth2) { o.IDTokenWrongAudience = true }, oidc.Config{}, oidc.ErrAudienceMismatch},
		{"expired", func(o *fakeprovider.OAuth2) { o.IDTokenExpired = true }, oidc.Config{}, oidc.ErrExpired},
		{"missing nonce", func(o *fakeprovider.OAuth2) { o.IDTokenOmitNonce = true }, oidc.Config{}, oidc.ErrNonceMismatch},
		{"wrong nonce", func(o *fakeprovider.OAuth2) { o.IDTokenWrongNonce = true }, oidc.Config{}, oidc.ErrNonceMismatch},
		{"bad at_hash", func(o *fakeprovider.OAuth2) { o.IDTokenBadAtHash = true }, oidc.Config{}, oidc.ErrAccessTokenHashMismatch},
		{"unknown kid", func(o *fakeprovider.OAuth2) { o.IDTokenUnknownKid = true }, oidc.Config{}, oidc.ErrUnknownKey},
		{"several audiences with azp", func(o *fakeprovider.OAuth2) { o.IDTokenMultipleAudiences = true }, oidc.Config{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			s := newServer(t, clk, tt.attack)
			p := newProvider(t, s, clk)
			tok := signIn(t, s, testNonce)
			cfg := tt.cfg
			cfg.ClientID, cfg.Now = testClientID, clk.Now
			got, err := p.Verifier(&cfg).Verify(context.Background(), tok.IDToken, oidc.WithNonce(testNonce), oidc.WithAccessToken(tok.AccessToken))
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Verify() error = %v", err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) || got != nil {
				t.Fatalf("Verify() = %v, %v; want %v", got, err, tt.wantErr)
			}
			for _, secret := range []string{tok.IDToken, tok.AccessToken, testNonce, tok.IDToken[strings.LastIndexByte(tok.IDToken, '.')+1:]} {
				if secret != "" && strings.Contains(err.Error(), secret) {
					t.Errorf("error %q contains a credential", err)
				}
			}
		})
	}
}

// TestFakeProviderRotation checks that sign-ins keep working across
// RotateKeys: the new kid costs one JWKS fetch, and a token signed before
// the rotation verifies as long as the provider publishes its key.
func TestFakeProviderRotation(t *testing.T) {
	for _, drop := range []bool{false, true} {
		name := "old keys kept"
		if drop {
			name = "old keys dropped"
		}
		t.Run(name, func(t *testing.T) {
			clk := newClock()
			s := newServer(t, clk, func(o *fakeprovider.OAuth2) { o.DropRotatedKeys = drop })
			p := newProvider(t, s, clk)
			v := p.Verifier(&oidc.Config{ClientID: testClientID, Now: clk.Now})
			ctx := context.Background()
			before := signIn(t, s, testNonce)
			if _, err := v.Verify(ctx, before.IDToken, oidc.WithNonce(testNonce)); err != nil {
				t.Fatalf("before the rotation: %v", err)
			}
			s.OAuth2.RotateKeys()
			for i := 0; i < 3; i++ {
				tok := signIn(t, s, testNonce)
				if _, err := v.Verify(ctx, tok.IDToken, oidc.WithNonce(testNonce), oidc.WithAccessToken(tok.AccessToken)); err != nil {
					t.Fatalf("after the rotation, sign-in %d: %v", i, err)
				}
			}
			if n := s.OAuth2.JWKSRequests(); n != 2 {
				t.Errorf("JWKSRequests() = %d, want 2: one fetch for the new kid", n)
			}
			// The token from before verifies while the provider publishes
			// its key, and not once it has dropped it.
			_, err := v.Verify(ctx, before.IDToken, oidc.WithNonce(testNonce))
			if drop && !errors.Is(err, oidc.ErrUnknownKey) || !drop && err != nil {
				t.Errorf("token from before the rotation: %v", err)
			}
		})
	}
}

// TestFakeProviderUnknownKidOnce is the rotation the client learns of from
// an ID token: accepted after exactly one JWKS fetch.
func TestFakeProviderUnknownKidOnce(t *testing.T) {
	clk := newClock()
	s := newServer(t, clk, func(o *fakeprovider.OAuth2) { o.IDTokenUnknownKidOnce = true })
	p := newProvider(t, s, clk)
	ctx := context.Background()
	// The client has the JWKS before the rotation: a token naming a kid
	// it does not list makes the first fetch.
	if _, err := p.KeySet().VerifySignature(ctx, "eyJhbGciOiJSUzI1NiIsImtpZCI6Im5vbmUtc3VjaCJ9.e30.c2ln"); !errors.Is(err, oidc.ErrUnknownKey) {
		t.Fatalf("warming the cache: %v, want ErrUnknownKey", err)
	}
	v := p.Verifier(&oidc.Config{ClientID: testClientID, Now: clk.Now})
	for i := 0; i < 3; i++ {
		tok := signIn(t, s, testNonce)
		if _, err := v.Verify(ctx, tok.IDToken, oidc.WithNonce(testNonce), oidc.WithAccessToken(tok.AccessToken)); err != nil {
			t.Fatalf("sign-in %d: %v", i, err)
		}
		if n := s.OAuth2.JWKSRequests(); n != 2 {
			t.Errorf("sign-in %d: JWKSRequests() = %d, want 2: exactly one refetch", i, n)
		}
	}
}

// TestFakeProviderUnknownKidStorm: every ID token names a kid no JWKS
// lists; a storm of verifications costs one fetch per interval.
func TestFakeProviderUnknownKidStorm(t *testing.T) {
	clk := newClock()
	s := newServer(t, clk, func(o *fakeprovider.OAuth2) { o.IDTokenUnknownKid = true })
	p := newProvider(t, s, clk)
	v := p.Verifier(&oidc.Config{ClientID: testClientID, Now: clk.Now})
	ctx := context.Background()
	tok := signIn(t, s, testNonce)
	if _, err := v.Verify(ctx, tok.IDToken); !errors.Is(err, oidc.ErrUnknownKey) {
		t.Fatalf("first verification: %v, want ErrUnknownKey", err)
	}
	if n := s.OAuth2.JWKSRequests(); n != 1 {
		t.Fatalf("JWKSRequests() = %d, want 1: the first fetch finds nothing, and is not repeated", n)
	}
	storm := func() {
		var wg sync.WaitGroup
		for i := 0; i < 100; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := v.Verify(ctx, tok.IDToken); !errors.Is(err, oidc.ErrUnknownKey) {
					t.Errorf("Verify() error = %v, want ErrUnknownKey", err)
				}
			}()
		}
		wg.Wait()
	}
	for i, want := range []int{2, 2, 3} {
		storm()
		if n := s.OAuth2.JWKSRequests(); n != want {
			t.Errorf("storm %d: JWKSRequests() = %d, want %d", i, n, want)
		}
		clk.Advance(oidc.DefaultRefetchInterval / 2)
	}
}

// TestFakeProviderRefresh checks a refreshed ID token against the first:
// accepted as it is, refused when the provider changes the subject.
func TestFakeProviderRefresh(t *testing.T) {
	for _, changeSub := range []bool{false, true} {
		t.Run(map[bool]string{false: "same subject", true: "subject changed"}[changeSub], func(t *testing.T) {
			clk := newClock()
			s := newServer(t, clk, func(o *fakeprovider.OAuth2) { o.RefreshChangesSub = changeSub })
			p := newProvider(t, s, clk)
			v := p.Verifier(&oidc.Config{ClientID: testClientID, Now: clk.Now})
			ctx := context.Background()
			first := signIn(t, s, testNonce)
			prev, err := v.Verify(ctx, first.IDToken, oidc.WithNonce(testNonce), oidc.WithAccessToken(first.AccessToken))
			if err != nil {
				t.Fatal(err)
			}
			clk.Advance(10 * time.Minute)
			next := refresh(t, s, first.RefreshToken)
			got, err := v.Verify(ctx, next.IDToken, oidc.WithPrevious(prev), oidc.WithAccessToken(next.AccessToken))
			if !changeSub {
				if err != nil {
					t.Fatalf("Verify(WithPrevious) error = %v", err)
				}
				if got.Nonce != "" || !got.AuthTime.Equal(prev.AuthTime) || !got.IssuedAt.After(prev.IssuedAt) {
					t.Errorf("refreshed token: nonce %q, auth_time %s, iat %s", got.Nonce, got.AuthTime, got.IssuedAt)
				}
				return
			}
			if !errors.Is(err, oidc.ErrSubjectMismatch) || got != nil {
				t.Fatalf("Verify(WithPrevious) = %v, %v; want ErrSubjectMismatch", got, err)
			}
		})
	}
}
