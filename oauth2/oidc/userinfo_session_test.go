package oidc_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/dpop"
	"github.com/oauthkit/oauth/oauth2/oidc"
)

// dpopSignIn signs alice in at s with a DPoP key, through the calls a
// program makes, and returns the provider and the session, whose token is
// DPoP-bound.
func dpopSignIn(t testing.TB, s *fakeprovider.Server, clk *clock) (*oidc.Provider, *oauth2.Session) {
	t.Helper()
	key, err := dpop.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return sessionSignIn(t, s, clk, key)
}

// sessionSignIn signs alice in at s, with key if not nil, and returns the
// provider and the session; its token is DPoP-bound with a key, Bearer
// without.
func sessionSignIn(t testing.TB, s *fakeprovider.Server, clk *clock, key *dpop.Key) (*oidc.Provider, *oauth2.Session) {
	t.Helper()
	ctx := context.Background()
	p := newProvider(t, s, clk)
	cfg, err := p.Metadata().Config(oauth2.Config{
		ClientID:    testClientID,
		RedirectURL: testRedirect,
		Scopes:      []string{oidc.ScopeOpenID, "email", "profile"},
		HTTPClient:  s.Client(),
		Now:         clk.Now,
	})
	if key != nil {
		cfg.DPoP = key
	}
	if err != nil {
		t.Fatal(err)
	}
	login, err := cfg.NewLogin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cfg.CompleteLoginURL(ctx, login, browse(t, s, login.URL))
	if err != nil {
		t.Fatalf("CompleteLoginURL() error = %v", err)
	}
	switch {
	case key == nil && tok.Type() != "Bearer":
		t.Fatalf("the sign-in's token has type %q, want Bearer", tok.Type())
	case key != nil && (tok.Type() != "DPoP" || tok.DPoPJKT != key.Thumbprint()):
		t.Fatalf("the sign-in's token is not bound to the key: type %q", tok.Type())
	}
	return p, cfg.NewSession(tok)
}

// TestUserInfoDPoPSession reads UserInfo with a DPoP-bound token from a
// session: the fake provider checks the proof with its own code.
func TestUserInfoDPoPSession(t *testing.T) {
	ctx := context.Background()
	t.Run("proof", func(t *testing.T) {
		clk := newClock()
		s := newServer(t, clk, nil)
		p, sess := dpopSignIn(t, s, clk)
		got, err := p.UserInfo(ctx, sess, "alice")
		if err != nil {
			t.Fatalf("UserInfo() error = %v", err)
		}
		if got.Subject != "alice" || got.Email != "alice@example.com" {
			t.Errorf("UserInfo() = %+v, want alice's claims", got)
		}
		if n, r := s.OAuth2.UserInfoRequests(), s.OAuth2.DPoPProofsRefused(); n != 1 || r != 0 {
			t.Errorf("UserInfoRequests() = %d, DPoPProofsRefused() = %d; want 1, 0", n, r)
		}
	})
	t.Run("resource nonce", func(t *testing.T) {
		clk := newClock()
		s := newServer(t, clk, func(o *fakeprovider.OAuth2) { o.RequireResourceDPoPNonce = true })
		p, sess := dpopSignIn(t, s, clk)
		if _, err := p.UserInfo(ctx, sess, "alice"); err != nil {
			t.Fatalf("UserInfo() error = %v", err)
		}
		if c, n := s.OAuth2.DPoPNonceChallenges(), s.OAuth2.UserInfoRequests(); c != 1 || n != 1 {
			t.Errorf("DPoPNonceChallenges() = %d, UserInfoRequests() = %d; want 1, 1", c, n)
		}
		// The session remembers the nonce: the next request needs no
		// challenge.
		if _, err := p.UserInfo(ctx, sess, "alice"); err != nil {
			t.Fatalf("second UserInfo() error = %v", err)
		}
		if c := s.OAuth2.DPoPNonceChallenges(); c != 1 {
			t.Errorf("DPoPNonceChallenges() = %d after a second request, want 1", c)
		}
	})
	key, err := dpop.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		key  *dpop.Key
	}{
		{"revoked DPoP token replaced", key},
		{"revoked Bearer token replaced", nil},
	} {
		t.Run(tt.name, func(t *testing.T) { testRevokedReplaced(t, tt.key) })
	}
	t.Run("token refused", func(t *testing.T) {
		// A token the server does not know, and no refresh token to
		// replace it: the refusal comes back as the endpoint's error.
		clk := newClock()
		s := newServer(t, clk, nil)
		p, sess := dpopSignIn(t, s, clk)
		const forged = "at_forged-token-value-0123456789"
		tok := sess.CachedToken()
		if err := sess.SetToken(&oauth2.Token{AccessToken: forged, TokenType: "DPoP", DPoPJKT: tok.DPoPJKT}); err != nil {
			t.Fatal(err)
		}
		_, err := p.UserInfo(ctx, sess, "alice")
		var e *oauth2.Error
		if !errors.As(err, &e) || e.Endpoint != "userinfo" || !errors.Is(err, oauth2.ErrInvalidToken) {
			t.Fatalf("UserInfo() error = %v, want an *oauth2.Error of userinfo matching ErrInvalidToken", err)
		}
		if strings.Contains(err.Error(), forged) || strings.Contains(string(e.Body), forged) {
			t.Errorf("error or body contains the token: %v / %q", err, e.Body)
		}
		if n := s.OAuth2.UserInfoRequests(); n != 0 {
			t.Errorf("UserInfoRequests() = %d, want 0", n)
		}
	})
}

// testRevokedReplaced checks that a session's UserInfo request whose
// token the server refuses as invalid_token gets a refreshed token and is
// sent once more, as at any resource: a Session's token, Bearer or DPoP,
// goes through the session's Transport.
func testRevokedReplaced(t *testing.T, key *dpop.Key) {
	ctx := context.Background()
	clk := newClock()
	s := newServer(t, clk, nil)
	p, sess := sessionSignIn(t, s, clk, key)
	if err := sess.Revoke(ctx, oauth2.HintAccessToken); err != nil {
		t.Fatalf("Revoke() error = %v", err)
	}
	before := s.OAuth2.Refreshes()
	if _, err := p.UserInfo(ctx, sess, "alice"); err != nil {
		t.Fatalf("UserInfo() error = %v", err)
	}
	if r, n := s.OAuth2.Refreshes()-before, s.OAuth2.UserInfoRequests(); r != 1 || n != 1 {
		t.Errorf("refreshes = %d, UserInfoRequests() = %d; want 1, 1", r, n)
	}
}

// dpopTokenSession returns a session holding a DPoP-bound token for a
// server of the test's own, which does not check the proof.
func dpopTokenSession(t testing.TB) *oauth2.Session {
	t.Helper()
	key, err := dpop.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	cfg := &oauth2.Config{ClientID: "client", DPoP: key}
	return cfg.NewSession(&oauth2.Token{AccessToken: "good-token", TokenType: "DPoP", DPoPJKT: key.Thumbprint()})
}

// TestUserInfoSessionLimits checks that a session's UserInfo request keeps
// the fetcher's redirect policy and body limit.
func TestUserInfoSessionLimits(t *testing.T) {
	ctx := context.Background()
	t.Run("redirect to another origin", func(t *testing.T) {
		var elsewhere atomic.Int64
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			elsewhere.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"sub":"248289761001"}`))
		}))
		t.Cleanup(other.Close)
		s := opServerWrapped(t, nil, func(h http.Handler) http.Handler { return redirectUserInfo(h, other.URL+"/userinfo") })
		p, err := oidc.NewProvider(ctx, s.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.UserInfo(ctx, dpopTokenSession(t), "248289761001")
		var e *oauth2.Error
		if !errors.As(err, &e) || e.Endpoint != "userinfo" || e.StatusCode != http.StatusFound {
			t.Errorf("UserInfo() error = %v, want the *oauth2.Error of the 302", err)
		}
		if n := elsewhere.Load(); n != 0 {
			t.Errorf("the other origin got %d requests, want 0", n)
		}
	})
	t.Run("body too large", func(t *testing.T) {
		s := opServerWrapped(t, func(string) (string, string) {
			return "application/json", `{"sub":"248289761001","padding":"` + strings.Repeat("x", 2000) + `"}`
		}, acceptDPoP)
		p, err := oidc.NewProvider(ctx, s.URL, &oidc.Options{MaxBodyBytes: 1000})
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.UserInfo(ctx, dpopTokenSession(t), "248289761001")
		if !errors.As(err, new(*http.MaxBytesError)) {
			t.Errorf("UserInfo() error = %v, want *http.MaxBytesError", err)
		}
	})
}

// redirectUserInfo answers the UserInfo requests of h with a redirect to
// to.
func redirectUserInfo(h http.Handler, to string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/userinfo" {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// acceptDPoP lets a request with a DPoP token and a proof reach
// opServer's UserInfo endpoint, which takes only "Bearer good-token".
func acceptDPoP(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "DPoP good-token" && r.Header.Get("DPoP") != "" {
			r.Header.Set("Authorization", "Bearer good-token")
		}
		h.ServeHTTP(w, r)
	})
}

// TestUserInfoDPoPWithoutSession checks that a DPoP-bound token from a
// TokenSource that is not a Session is refused before anything is sent:
// only a session's key makes the proof.
func TestUserInfoDPoPWithoutSession(t *testing.T) {
	clk := newClock()
	s := newServer(t, clk, nil)
	p := newProvider(t, s, clk)
	src := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "at", TokenType: "DPoP", DPoPJKT: "jkt"})
	_, err := p.UserInfo(context.Background(), src, "alice")
	var e *oauth2.Error
	if err == nil || errors.As(err, &e) {
		t.Errorf("UserInfo() error = %v, want a refusal without a request", err)
	}
	if n := s.OAuth2.UserInfoRequests() + s.OAuth2.DPoPProofsRefused(); n != 0 {
		t.Errorf("the provider saw %d UserInfo requests or proofs, want 0", n)
	}
}

// echoServer is an OpenID provider whose UserInfo endpoint refuses the
// token "old-token" as invalid_token and answers any other request with
// a redirect, to itself, whose Location carries what echo picks from the
// request; its token endpoint answers every refresh with a new token.
func echoServer(t testing.TB, echo func(r *http.Request) string) *httptest.Server {
	t.Helper()
	var s *httptest.Server
	var refreshes atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": s.URL, "jwks_uri": s.URL + "/jwks",
			"userinfo_endpoint": s.URL + "/userinfo", "token_endpoint": s.URL + "/token"})
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"renewed-token-%d","token_type":"Bearer","expires_in":3600}`, refreshes.Add(1))
	})
	mux.HandleFunc("/userinfo", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.Header.Get("Authorization"), " old-token") || r.URL.Query().Get("access_token") == "old-token" {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, "/userinfo?echo="+url.QueryEscape(echo(r)), http.StatusFound)
	})
	s = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// TestUserInfoSessionErrorScrubsWhatWasSent checks that the error of a
// session's UserInfo request holds none of the credentials sent, when a
// hostile server echoes them into the Location of redirects until the
// client gives up: not the token the session renewed during the call
// after the server refused the first one, nor a DPoP proof.
func TestUserInfoSessionErrorScrubsWhatWasSent(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	authToken := func(r *http.Request) string {
		if q := r.URL.Query().Get("access_token"); q != "" {
			return q
		}
		_, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		return tok
	}
	proof := func(r *http.Request) string { return r.Header.Get("DPoP") }
	key, err := dpop.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name      string
		placement oauth2.Placement
		dpop      bool
		echo      func(r *http.Request) string
	}{
		{"renewed token in header", oauth2.InHeader, false, authToken},
		{"renewed token in query", oauth2.InQuery, false, authToken},
		{"DPoP proof", oauth2.InHeader, true, proof},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var echoed []string
			s := echoServer(t, func(r *http.Request) string {
				v := tt.echo(r)
				mu.Lock()
				defer mu.Unlock()
				echoed = append(echoed, v)
				return v
			})
			p, err := oidc.NewProvider(ctx, s.URL, nil)
			if err != nil {
				t.Fatal(err)
			}
			cfg := &oauth2.Config{ClientID: "client", Endpoint: oauth2.Endpoint{TokenURL: s.URL + "/token"},
				Placement: tt.placement, Now: func() time.Time { return now }}
			tok := &oauth2.Token{AccessToken: "old-token", RefreshToken: "refresh-token", Expiry: now.Add(time.Hour)}
			if tt.dpop {
				cfg.DPoP = key
				tok = &oauth2.Token{AccessToken: "dpop-token", TokenType: "DPoP", DPoPJKT: key.Thumbprint(), Expiry: now.Add(time.Hour)}
			}
			_, err = p.UserInfo(ctx, cfg.NewSession(tok), "")
			if err == nil {
				t.Fatal("UserInfo() error = nil, want the redirect limit's")
			}
			mu.Lock()
			defer mu.Unlock()
			if len(echoed) == 0 || echoed[0] == "" || !tt.dpop && echoed[0] != "renewed-token-1" {
				t.Fatalf("the server echoed %q: the test tests nothing", echoed)
			}
			for _, secret := range echoed {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("UserInfo() error = %v, holds %q", err, secret)
					break
				}
			}
		})
	}
}

// roundTripFunc is an http.RoundTripper of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestUserInfoSessionHookInsecure checks that a session's token goes over
// plain http to a host that is not a loopback address only when both the
// session's Config and the provider's Options allow it, also when
// Hooks.ProtectedRequest is what sends the request there.
func TestUserInfoSessionHookInsecure(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name                   string
		config, options        bool
		wantInsecure, wantSent bool
	}{
		{"config only", true, false, true, false},
		{"options only", false, true, true, false},
		{"both", true, true, false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := opServer(t, nil)
			var mu sync.Mutex
			var elsewhere []string
			hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				if r.URL.Hostname() == "userinfo.example" {
					// Never on the network: the test only sees it sent.
					mu.Lock()
					elsewhere = append(elsewhere, r.URL.String())
					mu.Unlock()
					return nil, errors.New("not sent")
				}
				return http.DefaultTransport.RoundTrip(r)
			})}
			p, err := oidc.NewProvider(ctx, s.URL, &oidc.Options{HTTPClient: hc, InsecureAllowHTTP: tt.options})
			if err != nil {
				t.Fatal(err)
			}
			cfg := &oauth2.Config{ClientID: "client", InsecureAllowHTTP: tt.config}
			cfg.Hooks.ProtectedRequest = func(r *http.Request) error {
				r.URL.Scheme, r.URL.Host = "http", "userinfo.example"
				return nil
			}
			_, err = p.UserInfo(ctx, cfg.NewSession(&oauth2.Token{AccessToken: "good-token"}), "")
			if got := errors.Is(err, oauth2.ErrInsecureTransport); got != tt.wantInsecure {
				t.Errorf("UserInfo() error = %v, errors.Is(ErrInsecureTransport) = %t, want %t", err, got, tt.wantInsecure)
			}
			mu.Lock()
			defer mu.Unlock()
			if got := len(elsewhere) > 0; got != tt.wantSent {
				t.Errorf("sent to userinfo.example: %q, want sent %t", elsewhere, tt.wantSent)
			}
		})
	}
}
