package oauth2_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/signer/jose"
)

const redirect = "http://127.0.0.1/cb"

func newProvider(t testing.TB) *fakeprovider.Server {
	t.Helper()
	srv := fakeprovider.NewServer()
	t.Cleanup(srv.Close)
	return srv
}

func endpointOf(srv *fakeprovider.Server) oauth2.Endpoint {
	return oauth2.Endpoint{
		AuthURL:          srv.URL + fakeprovider.OAuth2AuthorizePath,
		TokenURL:         srv.URL + fakeprovider.OAuth2TokenPath,
		DeviceAuthURL:    srv.URL + fakeprovider.OAuth2DevicePath,
		RevocationURL:    srv.URL + fakeprovider.OAuth2RevokePath,
		IntrospectionURL: srv.URL + fakeprovider.OAuth2IntrospectPath,
	}
}

// clients are the fakeprovider's default clients, one per auth method.
func clients(t testing.TB, srv *fakeprovider.Server) map[string]*oauth2.Config {
	t.Helper()
	pk, err := jose.NewSigner(jose.ES256, fakeprovider.OAuth2TestKey)
	if err != nil {
		t.Fatal(err)
	}
	ep := endpointOf(srv)
	mk := func(id, secret string, m oauth2.AuthMethod) *oauth2.Config {
		return &oauth2.Config{ClientID: id, ClientSecret: secret, AuthMethod: m, Endpoint: ep,
			RedirectURL: redirect, HTTPClient: srv.Client(), Scopes: []string{"read"}}
	}
	cs := map[string]*oauth2.Config{
		"client_secret_basic": mk("basic-client", "basic-secret", oauth2.AuthClientSecretBasic),
		"client_secret_post":  mk("post-client", "post-secret", oauth2.AuthClientSecretPost),
		"none":                mk("public-client", "", oauth2.AuthNone),
		"client_secret_jwt":   mk("jwt-client", "jwt-secret-at-least-32-bytes-long!!", oauth2.AuthClientSecretJWT),
		"private_key_jwt":     mk("pkjwt-client", "", oauth2.AuthPrivateKeyJWT),
		"basic_form_encoded":  mk("1PpG/Q 1", "z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw=", oauth2.AuthClientSecretBasic),
		"auto_basic":          mk("basic-client", "basic-secret", oauth2.AuthAutoDetect),
		"auto_post":           mk("post-client", "post-secret", oauth2.AuthAutoDetect),
	}
	cs["private_key_jwt"].Signer = pk
	return cs
}

// browse plays the user agent: it goes to authURL and returns where the
// server redirected it.
func browse(t testing.TB, authURL string) string {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("authorize: %d %s", resp.StatusCode, b)
	}
	return resp.Header.Get("Location")
}

// login starts a login of cfg and returns it with the callback URL the
// user agent is sent back to.
func login(t testing.TB, cfg *oauth2.Config, opts ...oauth2.Option) (*oauth2.Login, string) {
	t.Helper()
	l, err := cfg.NewLogin(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return l, browse(t, l.URL)
}

// resourceEcho is what the fake provider's protected resource answers.
type resourceEcho struct {
	OK       bool   `json:"ok"`
	Method   string `json:"method"`
	ClientID string `json:"client_id"`
	Username string `json:"username"`
}

// getResource calls the protected resource with c and returns its echo.
func getResource(t testing.TB, srv *fakeprovider.Server, c *http.Client) resourceEcho {
	t.Helper()
	resp, err := c.Get(srv.URL + fakeprovider.OAuth2ResourcePath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var echo resourceEcho
	if err := json.NewDecoder(resp.Body).Decode(&echo); err != nil || !echo.OK {
		t.Fatalf("resource: status %d, %+v, %v", resp.StatusCode, echo, err)
	}
	return echo
}

func TestGrantsByAuthMethod(t *testing.T) {
	srv := newProvider(t)
	srv.OAuth2.DeviceInterval = 0
	ctx := context.Background()
	noSleep := func(context.Context, time.Duration) error { return nil }
	// Each grant returns the token it got, and the session that holds it
	// when a session obtained it (nil otherwise).
	grants := []struct {
		name   string
		public bool // applies to public clients
		run    func(t *testing.T, cfg *oauth2.Config) (*oauth2.Token, *oauth2.Session, error)
	}{
		{"authorization_code", true, func(t *testing.T, cfg *oauth2.Config) (*oauth2.Token, *oauth2.Session, error) {
			l, cb := login(t, cfg)
			tok, err := cfg.CompleteLoginURL(ctx, l, cb)
			return tok, nil, err
		}},
		{"password", true, func(t *testing.T, cfg *oauth2.Config) (*oauth2.Token, *oauth2.Session, error) {
			tok, err := cfg.PasswordCredentialsToken(ctx, "alice", "wonderland")
			return tok, nil, err
		}},
		{"client_credentials", false, func(t *testing.T, cfg *oauth2.Config) (*oauth2.Token, *oauth2.Session, error) {
			s := cfg.ClientCredentials()
			tok, err := s.Token(ctx)
			return tok, s, err
		}},
		{"refresh_token", true, func(t *testing.T, cfg *oauth2.Config) (*oauth2.Token, *oauth2.Session, error) {
			old, err := cfg.PasswordCredentialsToken(ctx, "alice", "wonderland")
			if err != nil {
				return nil, nil, err
			}
			s := cfg.NewSession(old)
			tok, err := s.Refresh(ctx)
			if err == nil && (tok.AccessToken == old.AccessToken || tok.RefreshToken == old.RefreshToken) {
				t.Errorf("refresh did not rotate the tokens")
			}
			return tok, s, err
		}},
		{"device_code", true, func(t *testing.T, cfg *oauth2.Config) (*oauth2.Token, *oauth2.Session, error) {
			da, err := cfg.DeviceAuth(ctx)
			if err != nil {
				return nil, nil, err
			}
			tok, err := cfg.DeviceAccessToken(ctx, da)
			return tok, nil, err
		}},
		{"revoke_introspect", true, func(t *testing.T, cfg *oauth2.Config) (*oauth2.Token, *oauth2.Session, error) {
			first, err := cfg.PasswordCredentialsToken(ctx, "alice", "wonderland")
			if err != nil {
				return nil, nil, err
			}
			s := cfg.NewSession(first)
			if in, err := s.Introspect(ctx, oauth2.HintAccessToken); err != nil || !in.Active {
				t.Fatalf("introspect = %+v, %v", in, err)
			}
			if err := s.Revoke(ctx, oauth2.HintAccessToken); err != nil {
				t.Fatal(err)
			}
			if in, err := cfg.IntrospectToken(ctx, first.AccessToken, oauth2.HintAccessToken); err != nil || in.Active {
				t.Fatalf("introspect after revoke = %+v, %v", in, err)
			}
			// Get a live token again for the resource check.
			tok, err := s.Refresh(ctx)
			return tok, s, err
		}},
		{"token_exchange", true, func(t *testing.T, cfg *oauth2.Config) (*oauth2.Token, *oauth2.Session, error) {
			first, err := cfg.PasswordCredentialsToken(ctx, "alice", "wonderland")
			if err != nil {
				return nil, nil, err
			}
			s := cfg.TokenExchange(func(context.Context) (string, string, error) {
				return first.AccessToken, "urn:ietf:params:oauth:token-type:access_token", nil
			})
			tok, err := s.Token(ctx)
			if err == nil && tok.Extra("issued_token_type") != "urn:ietf:params:oauth:token-type:access_token" {
				t.Errorf("issued_token_type = %v", tok.Extra("issued_token_type"))
			}
			return tok, s, err
		}},
	}
	for name, cfg := range clients(t, srv) {
		cfg.Sleep = noSleep
		for _, g := range grants {
			if cfg.AuthMethod == oauth2.AuthNone && !g.public {
				continue
			}
			if name == "auto_post" && g.name == "authorization_code" {
				continue // a one-time code is not resent: see TestAutoDetect
			}
			t.Run(name+"/"+g.name, func(t *testing.T) {
				var updates atomic.Int32
				tok, s, err := g.run(t, cfg)
				if err != nil {
					t.Fatalf("%s: %v", g.name, err)
				}
				if tok.AccessToken == "" || tok.Expiry.IsZero() {
					t.Errorf("token = %v", tok)
				}
				if s == nil {
					s = cfg.NewSession(tok)
				}
				s.OnTokenUpdate = func(context.Context, *oauth2.Token) error { updates.Add(1); return nil }
				if m := getResource(t, srv, s.Client()).Method; m != "header" {
					t.Errorf("resource saw method %q, want header", m)
				}
				if _, err := s.Refresh(ctx); err != nil {
					t.Fatalf("Refresh: %v", err)
				}
				if updates.Load() != 1 {
					t.Errorf("OnTokenUpdate called %d times for a refresh, want 1", updates.Load())
				}
			})
		}
	}
}

func TestJWTBearerGrant(t *testing.T) {
	srv := newProvider(t)
	cfg := clients(t, srv)["private_key_jwt"]
	pk, _ := jose.NewSigner(jose.ES256, fakeprovider.OAuth2TestKey)
	var minted atomic.Int32
	s := cfg.JWTBearer(func(context.Context) (string, error) {
		now := time.Now().Unix()
		claims, _ := json.Marshal(map[string]any{"iss": "pkjwt-client", "sub": "alice",
			"aud": cfg.Endpoint.TokenURL, "jti": fmt.Sprint("jti-", minted.Add(1)), "iat": now, "exp": now + 60})
		return jose.SignCompact(pk, []byte(`{"alg":"ES256","typ":"JWT"}`), claims)
	})
	if echo := getResource(t, srv, s.Client()); echo.Username != "alice" {
		t.Errorf("resource sees user %q, want the assertion's subject, alice", echo.Username)
	}
	// A fresh assertion each time: the provider refuses a replayed jti.
	if _, err := s.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := minted.Load(); n != 2 {
		t.Errorf("%d assertions minted, want 2", n)
	}
}

func TestPlacements(t *testing.T) {
	srv := newProvider(t)
	for _, tt := range []struct {
		p    oauth2.Placement
		want string
	}{{oauth2.InHeader, "header"}, {oauth2.InFormBody, "body"}, {oauth2.InQuery, "query"}} {
		t.Run(tt.p.String(), func(t *testing.T) {
			cfg := *clients(t, srv)["client_secret_basic"]
			cfg.Placement = tt.p
			s := cfg.ClientCredentials()
			req, _ := http.NewRequest("POST", srv.URL+fakeprovider.OAuth2ResourcePath, strings.NewReader("a=1"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := s.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var echo resourceEcho
			json.NewDecoder(resp.Body).Decode(&echo)
			if resp.StatusCode != 200 || echo.Method != tt.want {
				t.Errorf("status %d method %q, want 200 %q", resp.StatusCode, echo.Method, tt.want)
			}
		})
	}
}

func TestPlacementString(t *testing.T) {
	for p, want := range map[oauth2.Placement]string{oauth2.InHeader: "header", oauth2.InQuery: "query",
		oauth2.InFormBody: "form body", 7: "Placement(7)"} {
		if got := p.String(); got != want {
			t.Errorf("Placement(%d).String() = %q, want %q", int(p), got, want)
		}
	}
}

func TestNegative(t *testing.T) {
	ctx := context.Background()
	srv := newProvider(t)
	cs := clients(t, srv)
	basic := cs["client_secret_basic"]

	t.Run("state mismatch", func(t *testing.T) {
		l, cb := login(t, basic)
		before := srv.OAuth2.TokenRequests()
		cb = strings.Replace(cb, "state=", "state=x", 1)
		if _, err := basic.CompleteLoginURL(ctx, l, cb); !errors.Is(err, oauth2.ErrStateMismatch) {
			t.Fatalf("err = %v, want ErrStateMismatch", err)
		}
		if srv.OAuth2.TokenRequests() != before {
			t.Error("token request made after a state mismatch")
		}
	})
	t.Run("another login's callback", func(t *testing.T) {
		_, cb := login(t, basic)
		other, err := basic.NewLogin(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := basic.CompleteLoginURL(ctx, other, cb); !errors.Is(err, oauth2.ErrStateMismatch) {
			t.Fatalf("err = %v, want ErrStateMismatch", err)
		}
	})
	t.Run("no login", func(t *testing.T) {
		_, cb := login(t, basic)
		for _, l := range []*oauth2.Login{nil, {}} {
			if _, err := basic.CompleteLoginURL(ctx, l, cb); !errors.Is(err, oauth2.ErrNoState) {
				t.Fatalf("CompleteLoginURL(%v) err = %v, want ErrNoState", l, err)
			}
		}
	})
	t.Run("login stored as JSON, completed by another Config value", func(t *testing.T) {
		l, cb := login(t, basic)
		data, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		var back oauth2.Login
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		if back != *l {
			t.Fatalf("Login JSON round trip: %v, want %v", back, *l)
		}
		other := *basic
		if _, err := other.CompleteLoginURL(ctx, &back, cb); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("provider error on callback", func(t *testing.T) {
		srv := newProvider(t)
		srv.OAuth2.DenyAuthorization = true
		cfg := clients(t, srv)["client_secret_basic"]
		l, cb := login(t, cfg)
		_, err := cfg.CompleteLoginURL(ctx, l, cb)
		var e *oauth2.Error
		if !errors.Is(err, oauth2.ErrAccessDenied) || !errors.As(err, &e) || e.Endpoint != "authorization" {
			t.Fatalf("err = %v, want access_denied *Error", err)
		}
	})
	t.Run("reused code", func(t *testing.T) {
		l, cb := login(t, basic)
		if _, err := basic.CompleteLoginURL(ctx, l, cb); err != nil {
			t.Fatal(err)
		}
		if _, err := basic.CompleteLoginURL(ctx, l, cb); !errors.Is(err, oauth2.ErrInvalidGrant) {
			t.Fatalf("err = %v, want ErrInvalidGrant", err)
		}
	})
	t.Run("wrong PKCE verifier", func(t *testing.T) {
		l, cb := login(t, basic)
		l.CodeVerifier = strings.Repeat("a", 43)
		if _, err := basic.CompleteLoginURL(ctx, l, cb); !errors.Is(err, oauth2.ErrInvalidGrant) {
			t.Fatalf("err = %v, want ErrInvalidGrant", err)
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		for _, name := range []string{"client_secret_basic", "client_secret_post", "client_secret_jwt"} {
			cfg := *cs[name]
			cfg.ClientSecret = "wrong-secret-wrong-secret-wrong-secret"
			_, err := cfg.ClientCredentials().Token(ctx)
			var e *oauth2.Error
			if !errors.Is(err, oauth2.ErrInvalidClient) || !errors.As(err, &e) || e.StatusCode != 401 {
				t.Errorf("%s: err = %v, want 401 invalid_client", name, err)
			}
			if strings.Contains(fmt.Sprint(err), "wrong-secret") {
				t.Errorf("%s: error mentions the secret", name)
			}
		}
	})
	device := func(t *testing.T, script ...string) (*oauth2.Token, []time.Duration, error) {
		srv := newProvider(t)
		srv.OAuth2.DeviceInterval = 1
		srv.OAuth2.DeviceScript = script
		cfg := clients(t, srv)["none"]
		var waits []time.Duration
		cfg.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
		da, err := cfg.DeviceAuth(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if da.UserCode == "" || da.VerificationURI == "" || da.Interval != 1 {
			t.Errorf("device auth = %v", da)
		}
		tok, err := cfg.DeviceAccessToken(ctx, da)
		return tok, waits, err
	}
	t.Run("device default interval", func(t *testing.T) {
		srv := newProvider(t)
		srv.OAuth2.DeviceInterval = -1 // no interval in the response
		cfg := clients(t, srv)["none"]
		var waits []time.Duration
		cfg.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
		da, err := cfg.DeviceAuth(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cfg.DeviceAccessToken(ctx, da); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(waits) != "[5s 5s]" {
			t.Errorf("waits = %v, want [5s 5s]", waits)
		}
	})
	t.Run("device code expired by the clock", func(t *testing.T) {
		srv := newProvider(t)
		srv.OAuth2.DeviceInterval = 1
		srv.OAuth2.DeviceScript = []string{"authorization_pending"}
		clock := newTestClock()
		srv.OAuth2.Now = clock.now
		cfg := clients(t, srv)["none"]
		cfg.Now = clock.now
		cfg.Sleep = func(_ context.Context, d time.Duration) error { clock.add(d * 100); return nil }
		da, err := cfg.DeviceAuth(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cfg.DeviceAccessToken(ctx, da); !errors.Is(err, oauth2.ErrExpiredToken) {
			t.Fatalf("err = %v, want ErrExpiredToken", err)
		}
	})
	t.Run("public client without PKCE refused", func(t *testing.T) {
		l, err := cs["none"].NewLogin(context.Background(), oauth2.WithPKCE(oauth2.PKCEOff))
		if err != nil {
			t.Fatal(err)
		}
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Get(l.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode == http.StatusFound && loc != "" {
			if _, err := cs["none"].CompleteLoginURL(ctx, l, loc); !errors.Is(err, oauth2.ErrInvalidRequest) {
				t.Fatalf("err = %v, want ErrInvalidRequest", err)
			}
		} else if resp.StatusCode < 400 {
			t.Fatalf("status %d, want a refusal", resp.StatusCode)
		}
	})
	t.Run("plain PKCE", func(t *testing.T) {
		l, cb := login(t, cs["none"], oauth2.WithPKCE(oauth2.PKCEPlain))
		if _, err := cs["none"].CompleteLoginURL(ctx, l, cb); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("implicit flow", func(t *testing.T) {
		l, cb := login(t, cs["none"], oauth2.ImplicitFlow)
		if l.CodeVerifier != "" {
			t.Error("an implicit login has a PKCE verifier")
		}
		tok, err := cs["none"].CompleteLoginURL(ctx, l, cb)
		if err != nil || tok.Expiry.IsZero() {
			t.Fatalf("tok = %v, %v", tok, err)
		}
		if m := getResource(t, srv, cs["none"].NewSession(tok).Client()).Method; m != "header" {
			t.Errorf("method %q", m)
		}
		if _, err := cs["none"].CompleteLoginCode(ctx, l, "x", l.State); !errors.Is(err, oauth2.ErrMissingCode) {
			t.Errorf("CompleteLoginCode of an implicit login: err = %v, want ErrMissingCode", err)
		}
	})
	t.Run("expired device code", func(t *testing.T) {
		if _, _, err := device(t, "authorization_pending", "expired_token"); !errors.Is(err, oauth2.ErrExpiredToken) {
			t.Fatalf("err = %v, want ErrExpiredToken", err)
		}
	})
	t.Run("device access denied", func(t *testing.T) {
		if _, _, err := device(t, "access_denied"); !errors.Is(err, oauth2.ErrAccessDenied) {
			t.Fatalf("err = %v, want ErrAccessDenied", err)
		}
	})
	t.Run("slow_down honoured", func(t *testing.T) {
		_, waits, err := device(t, "authorization_pending", "slow_down", "authorization_pending", "slow_down", "approve")
		if err != nil {
			t.Fatal(err)
		}
		s := time.Second
		want := []time.Duration{1 * s, 1 * s, 6 * s, 6 * s, 11 * s}
		if fmt.Sprint(waits) != fmt.Sprint(want) {
			t.Errorf("waits = %v, want %v", waits, want)
		}
	})
	t.Run("device poll cancelled", func(t *testing.T) {
		cfg := cs["none"]
		da, err := cfg.DeviceAuth(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := cfg.DeviceAccessToken(cctx, da); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("revoked token inactive", func(t *testing.T) {
		tok, err := basic.PasswordCredentialsToken(ctx, "alice", "wonderland")
		if err != nil {
			t.Fatal(err)
		}
		s := basic.NewSession(tok)
		in, err := s.Introspect(ctx, oauth2.HintAccessToken)
		if err != nil || !in.Active || in.ClientID != "basic-client" || in.Username != "alice" {
			t.Fatalf("introspect before revoke = %+v, %v", in, err)
		}
		if err := s.Revoke(ctx, oauth2.HintRefreshToken); err != nil {
			t.Fatal(err)
		}
		for _, h := range []oauth2.TokenTypeHint{oauth2.HintAccessToken, oauth2.HintRefreshToken} {
			in, err := s.Introspect(ctx, h)
			if err != nil || in.Active {
				t.Errorf("introspect %s after revoke = %+v, %v; want inactive", h, in, err)
			}
		}
	})
	t.Run("insecure token endpoint refused", func(t *testing.T) {
		cfg := *basic
		cfg.Endpoint.TokenURL = "http://as.example.com/token"
		if _, err := cfg.ClientCredentials().Token(ctx); !errors.Is(err, oauth2.ErrInsecureTransport) {
			t.Fatalf("err = %v, want ErrInsecureTransport", err)
		}
		s := cfg.NewSession(&oauth2.Token{AccessToken: "a"})
		body := &countingBody{Reader: strings.NewReader("x")}
		req, _ := http.NewRequest("POST", "http://api.example.com/", body)
		if _, err := s.Client().Do(req); !errors.Is(err, oauth2.ErrInsecureTransport) {
			t.Fatalf("transport err = %v, want ErrInsecureTransport", err)
		}
		if body.closed.Load() == 0 {
			t.Error("request body not closed")
		}
	})
	t.Run("expired without refresh token", func(t *testing.T) {
		s := basic.NewSession(&oauth2.Token{AccessToken: "a", Expiry: time.Now().Add(-time.Minute)})
		if _, err := s.Token(ctx); !errors.Is(err, oauth2.ErrTokenExpired) {
			t.Fatalf("err = %v, want ErrTokenExpired", err)
		}
		if _, err := s.Refresh(ctx); !errors.Is(err, oauth2.ErrNoRefreshToken) {
			t.Fatalf("err = %v, want ErrNoRefreshToken", err)
		}
	})
}

type countingBody struct {
	io.Reader
	closed atomic.Int32
}

func (b *countingBody) Close() error { b.closed.Add(1); return nil }

func TestAutoDetect(t *testing.T) {
	ctx := context.Background()
	srv := newProvider(t)
	cs := clients(t, srv)
	t.Run("falls back to post and remembers", func(t *testing.T) {
		s := cs["auto_post"].ClientCredentials()
		n0 := srv.OAuth2.TokenRequests()
		if _, err := s.Token(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if got := srv.OAuth2.TokenRequests() - n0; got != 3 {
			t.Errorf("token requests = %d, want 3 (basic, post, post)", got)
		}
	})
	t.Run("basic works first time", func(t *testing.T) {
		l, cb := login(t, cs["auto_basic"])
		n0 := srv.OAuth2.TokenRequests()
		if _, err := cs["auto_basic"].CompleteLoginURL(ctx, l, cb); err != nil {
			t.Fatal(err)
		}
		if got := srv.OAuth2.TokenRequests() - n0; got != 1 {
			t.Errorf("token requests = %d, want 1", got)
		}
	})
	t.Run("never resends a code", func(t *testing.T) {
		l, cb := login(t, cs["auto_post"])
		n0 := srv.OAuth2.TokenRequests()
		if _, err := cs["auto_post"].CompleteLoginURL(ctx, l, cb); !errors.Is(err, oauth2.ErrInvalidClient) {
			t.Fatalf("err = %v, want ErrInvalidClient", err)
		}
		if got := srv.OAuth2.TokenRequests() - n0; got != 1 {
			t.Errorf("token requests = %d, want 1: the code was resent", got)
		}
	})
}

// stripAccept removes the Accept header, to see GitHub's form response.
type stripAccept struct{ base http.RoundTripper }

func (s stripAccept) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Del("Accept")
	return s.base.RoundTrip(r)
}

func TestQuirks(t *testing.T) {
	ctx := context.Background()
	clock := newTestClock() // the provider's and the client's
	expiresInHour := func(t *testing.T, tok *oauth2.Token, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if !tok.Expiry.Equal(clock.now().Add(time.Hour)) || tok.ExpiresIn != 3600 {
			t.Errorf("expiry %v (%d s), want an hour after %v", tok.Expiry, tok.ExpiresIn, clock.now())
		}
	}
	tests := []struct {
		name  string
		setup func(o *fakeprovider.OAuth2, c *oauth2.Config)
		check func(t *testing.T, tok *oauth2.Token, err error)
	}{
		{"FormEncodedTokenResponse", func(o *fakeprovider.OAuth2, c *oauth2.Config) {
			o.FormEncodedTokenResponse = true
			c.HTTPClient = &http.Client{Transport: stripAccept{http.DefaultTransport}}
		}, func(t *testing.T, tok *oauth2.Token, err error) {
			if err != nil || !strings.EqualFold(tok.TokenType, "bearer") || tok.RefreshToken == "" {
				t.Errorf("tok = %v, %v", tok, err)
			}
			expiresInHour(t, tok, err)
		}},
		{"FormEncodedTokenResponse with Accept", func(o *fakeprovider.OAuth2, c *oauth2.Config) {
			o.FormEncodedTokenResponse = true
		}, expiresInHour},
		{"StringExpiresIn", func(o *fakeprovider.OAuth2, c *oauth2.Config) { o.StringExpiresIn = true }, expiresInHour},
		{"FloatExpiresIn", func(o *fakeprovider.OAuth2, c *oauth2.Config) { o.FloatExpiresIn = true }, expiresInHour},
		{"OmitTokenType", func(o *fakeprovider.OAuth2, c *oauth2.Config) { o.OmitTokenType = true }, func(t *testing.T, tok *oauth2.Token, err error) {
			if err != nil || tok.TokenType != "Bearer" {
				t.Errorf("tok = %v, %v; want Bearer", tok, err)
			}
		}},
		{"ErrorWith200", func(o *fakeprovider.OAuth2, c *oauth2.Config) { o.ErrorWith200 = true }, func(t *testing.T, tok *oauth2.Token, err error) {
			var e *oauth2.Error
			if !errors.As(err, &e) || e.StatusCode != 200 || e.ErrorCode != "invalid_auth" {
				t.Errorf("err = %v, want *Error invalid_auth with status 200", err)
			}
		}},
		{"Delay", func(o *fakeprovider.OAuth2, c *oauth2.Config) {
			o.Delay = time.Hour // ends when the request does
			c.Timeout = time.Millisecond
		}, func(t *testing.T, tok *oauth2.Token, err error) {
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want context.DeadlineExceeded", err)
			}
		}},
		{"OversizeBytes", func(o *fakeprovider.OAuth2, c *oauth2.Config) { o.OversizeBytes = 2 << 20 }, func(t *testing.T, tok *oauth2.Token, err error) {
			var e *http.MaxBytesError
			if !errors.As(err, &e) || e.Limit != oauth2.DefaultMaxBodyBytes || !strings.HasPrefix(err.Error(), "oauth2: token endpoint: ") {
				t.Errorf("err = %v, want a wrapped *http.MaxBytesError", err)
			}
			// The message speaks of the response, not of a request body
			// as *http.MaxBytesError's own text does.
			if msg := err.Error(); !strings.Contains(msg, "response body") || strings.Contains(msg, "request body") {
				t.Errorf("err = %q, want it to say the response body is too large", msg)
			}
		}},
		{"OversizeBytes under limit", func(o *fakeprovider.OAuth2, c *oauth2.Config) { o.OversizeBytes = 1 << 19 }, func(t *testing.T, tok *oauth2.Token, err error) {
			if err != nil {
				t.Errorf("err = %v", err)
			}
		}},
		{"OversizeBytes over MaxBodyBytes", func(o *fakeprovider.OAuth2, c *oauth2.Config) {
			o.OversizeBytes = 1 << 19
			c.MaxBodyBytes = 1 << 18
		}, func(t *testing.T, tok *oauth2.Token, err error) {
			var e *http.MaxBytesError
			if !errors.As(err, &e) || e.Limit != 1<<18 {
				t.Errorf("err = %v, want a wrapped *http.MaxBytesError with Limit 1<<18", err)
			}
		}},
		{"TokenStatus", func(o *fakeprovider.OAuth2, c *oauth2.Config) { o.TokenStatus = 503 }, func(t *testing.T, tok *oauth2.Token, err error) {
			var e *oauth2.Error
			if !errors.As(err, &e) || e.StatusCode != 503 || e.RetryAfter != time.Second || !errors.Is(err, oauth2.ErrTemporarilyUnavailable) {
				t.Errorf("err = %v, want 503 temporarily_unavailable with Retry-After", err)
			}
		}},
		{"Scope", func(o *fakeprovider.OAuth2, c *oauth2.Config) { o.Scope = "narrow" }, func(t *testing.T, tok *oauth2.Token, err error) {
			if err != nil || tok.Scope != "narrow" {
				t.Errorf("tok = %v, %v; want scope narrow", tok, err)
			}
		}},
		{"RotateRefreshTokens off", func(o *fakeprovider.OAuth2, c *oauth2.Config) { o.RotateRefreshTokens = false }, func(t *testing.T, tok *oauth2.Token, err error) {
			if err != nil || tok.RefreshToken == "" {
				t.Errorf("tok = %v, %v; want the old refresh token kept", tok, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newProvider(t)
			srv.OAuth2.Now = clock.now
			cfg := *clients(t, srv)["client_secret_basic"]
			cfg.Now = clock.now
			tt.setup(srv.OAuth2, &cfg)
			tok, err := cfg.PasswordCredentialsToken(ctx, "alice", "wonderland")
			if err == nil {
				// Refresh too: the same parsing applies.
				tok, err = cfg.NewSession(tok).Refresh(ctx)
			}
			tt.check(t, tok, err)
		})
	}
}

// stormSession returns a session holding an expired token with a valid
// refresh token, and the count of its OnTokenUpdate calls.
func stormSession(t testing.TB, cfg *oauth2.Config, srv *fakeprovider.Server) (*oauth2.Session, *atomic.Int32) {
	at, rt := srv.OAuth2.IssueToken(cfg.ClientID, -time.Minute)
	s := cfg.NewSession(&oauth2.Token{AccessToken: at, RefreshToken: rt, Expiry: time.Now().Add(-time.Minute)})
	var updates atomic.Int32
	s.OnTokenUpdate = func(context.Context, *oauth2.Token) error { updates.Add(1); return nil }
	return s, &updates
}

func storm(n int, f func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			f(i)
		}()
	}
	close(start)
	wg.Wait()
}

// get calls the protected resource with c on ctx and returns an error for
// anything but a 200.
func get(ctx context.Context, srv *fakeprovider.Server, c *http.Client) error {
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+fakeprovider.OAuth2ResourcePath, nil)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// gate is a RoundTripper that holds every refresh request until open is
// closed, and passes everything else.
type gate struct {
	base http.RoundTripper
	open chan struct{}
}

func (g *gate) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == fakeprovider.OAuth2TokenPath && r.GetBody != nil {
		if b, err := r.GetBody(); err == nil {
			body, _ := io.ReadAll(b)
			if strings.Contains(string(body), "grant_type=refresh_token") {
				select {
				case <-g.open:
				case <-r.Context().Done():
					return nil, r.Context().Err()
				}
			}
		}
	}
	return g.base.RoundTrip(r)
}

func TestStormOneRefresh(t *testing.T) {
	srv := newProvider(t)
	s, updates := stormSession(t, clients(t, srv)["client_secret_basic"], srv)
	c := s.Client()
	var failed atomic.Int32
	storm(200, func(int) {
		if err := get(context.Background(), srv, c); err != nil {
			failed.Add(1)
		}
	})
	if n := failed.Load(); n != 0 {
		t.Errorf("%d requests failed", n)
	}
	if n := srv.OAuth2.Refreshes(); n != 1 {
		t.Errorf("provider served %d refreshes, want 1", n)
	}
	if n := updates.Load(); n != 1 {
		t.Errorf("OnTokenUpdate called %d times, want 1", n)
	}
	if n := srv.OAuth2.ResourceRequests(); n != 200 {
		t.Errorf("resource served %d, want 200", n)
	}
}

// 200 callers wait for one refresh that fails: each gets its error, and
// the provider saw one attempt.
func TestStormFailingRefresh(t *testing.T) {
	srv := newProvider(t)
	srv.OAuth2.RefreshStatus = 503
	cfg := *clients(t, srv)["client_secret_basic"]
	g := &gate{base: srv.Client().Transport, open: make(chan struct{})}
	cfg.HTTPClient = &http.Client{Transport: g}
	s, updates := stormSession(t, &cfg, srv)
	old := s.CachedToken()
	const n = 200
	var joined sync.WaitGroup
	joined.Add(n)
	oauth2.SetJoinHook(s, joined.Done)
	go func() { joined.Wait(); close(g.open) }()
	c := s.Client()
	var wrongErr atomic.Int32
	storm(n, func(int) {
		var e *oauth2.Error
		if err := get(context.Background(), srv, c); !errors.As(err, &e) || e.StatusCode != 503 {
			wrongErr.Add(1)
		}
	})
	if n := wrongErr.Load(); n != 0 {
		t.Errorf("%d requests did not get the 503 error", n)
	}
	if n := srv.OAuth2.Refreshes(); n != 1 {
		t.Errorf("provider saw %d refresh attempts, want 1", n)
	}
	if updates.Load() != 0 || s.CachedToken() != old {
		t.Error("the old token did not stay")
	}
}

// The caller that starts a refresh, and another that waits for it, give up
// while it is held: both return context.Canceled while the refresh is
// still under way, and the refresh goes on for the others.
func TestStormCancelledWaiter(t *testing.T) {
	srv := newProvider(t)
	cfg := *clients(t, srv)["client_secret_basic"]
	g := &gate{base: srv.Client().Transport, open: make(chan struct{})}
	cfg.HTTPClient = &http.Client{Transport: g}
	s, updates := stormSession(t, &cfg, srv)
	c := s.Client()
	joins := make(chan struct{}, 20)
	oauth2.SetJoinHook(s, func() { joins <- struct{}{} })

	starterCtx, cancelStarter := context.WithCancel(context.Background())
	waiterCtx, cancelWaiter := context.WithCancel(context.Background())
	errs := make([]error, 12)
	var wg sync.WaitGroup
	run := func(i int, ctx context.Context) {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = get(ctx, srv, c) }()
		<-joins // it waits for the refresh
	}
	run(0, starterCtx)
	run(1, waiterCtx)
	cancelStarter()
	cancelWaiter()
	// Both return while the refresh is held: the gate is still closed.
	wg.Wait()
	for i := 0; i < 2; i++ {
		if !errors.Is(errs[i], context.Canceled) {
			t.Errorf("cancelled caller %d: err = %v, want context.Canceled", i, errs[i])
		}
	}
	for i := 2; i < 12; i++ {
		run(i, context.Background())
	}
	close(g.open)
	wg.Wait()
	for i := 2; i < 12; i++ {
		if errs[i] != nil {
			t.Errorf("waiter %d: %v", i, errs[i])
		}
	}
	if srv.OAuth2.Refreshes() != 1 || updates.Load() != 1 {
		t.Errorf("refreshes = %d, updates = %d, want 1, 1", srv.OAuth2.Refreshes(), updates.Load())
	}
}

func TestClientCredentialsRenewed(t *testing.T) {
	srv := newProvider(t)
	clock := newTestClock()
	srv.OAuth2.Now = clock.now
	cfg := *clients(t, srv)["client_secret_post"]
	cfg.Now = clock.now
	s := cfg.ClientCredentials()
	getResource(t, srv, s.Client())
	clock.add(2 * time.Hour)
	getResource(t, srv, s.Client())
	if n := srv.OAuth2.TokensIssued(); n != 2 {
		t.Errorf("tokens issued = %d, want 2 (the grant ran again)", n)
	}
}

func TestShortLivedTokens(t *testing.T) {
	srv := newProvider(t)
	clock := newTestClock()
	srv.OAuth2.Now = clock.now
	srv.OAuth2.AccessTokenTTL = 5 * time.Second
	cfg := *clients(t, srv)["client_secret_basic"]
	cfg.Now = clock.now // Leeway: default 10 s, longer than the tokens live
	tok, err := cfg.PasswordCredentialsToken(context.Background(), "alice", "wonderland")
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.NewSession(tok).Client()
	burst := func() {
		storm(200, func(int) {
			if err := get(context.Background(), srv, c); err != nil {
				t.Error(err)
			}
		})
	}
	burst()
	if n := srv.OAuth2.Refreshes(); n != 0 {
		t.Errorf("fresh 5 s token: %d refreshes, want 0", n)
	}
	clock.add(3 * time.Second)
	burst()
	if n := srv.OAuth2.Refreshes(); n != 1 {
		t.Errorf("after 3 s: %d refreshes for 200 requests, want 1", n)
	}
}

// testClock is a clock a test moves by hand, shared by a session and the
// fake provider.
type testClock struct{ ns atomic.Int64 }

func newTestClock() *testClock {
	c := &testClock{}
	c.ns.Store(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func (c *testClock) now() time.Time      { return time.Unix(0, c.ns.Load()) }
func (c *testClock) add(d time.Duration) { c.ns.Add(int64(d)) }
