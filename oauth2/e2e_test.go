package oauth2_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
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
		"client_secret_basic": mk("basic-client", "basic-secret", oauth2.ClientSecretBasic),
		"client_secret_post":  mk("post-client", "post-secret", oauth2.ClientSecretPost),
		"none":                mk("public-client", "", oauth2.AuthNone),
		"client_secret_jwt":   mk("jwt-client", "jwt-secret-at-least-32-bytes-long!!", oauth2.ClientSecretJWT),
		"private_key_jwt":     mk("pkjwt-client", "", oauth2.PrivateKeyJWT),
		"basic_form_encoded":  mk("1PpG/Q 1", "z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw=", oauth2.ClientSecretBasic),
		"auto_basic":          mk("basic-client", "basic-secret", oauth2.AuthAutoDetect),
		"auto_post":           mk("post-client", "post-secret", oauth2.AuthAutoDetect),
	}
	cs["private_key_jwt"].Signer = pk
	return cs
}

// authorize sends the user agent to the authorization URL and returns the
// redirect it gets back.
func authorize(t testing.TB, s *oauth2.Session, opts ...oauth2.AuthOption) string {
	t.Helper()
	au, _, err := s.AuthorizationURL(opts...)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(au)
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

// getResource calls the protected resource and returns the method it saw.
func getResource(t testing.TB, srv *fakeprovider.Server, s *oauth2.Session) string {
	t.Helper()
	resp, err := s.Client().Get(srv.URL + fakeprovider.OAuth2ResourcePath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var echo struct {
		OK     bool   `json:"ok"`
		Method string `json:"method"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&echo); err != nil || !echo.OK {
		t.Fatalf("resource: status %d, %+v, %v", resp.StatusCode, echo, err)
	}
	return echo.Method
}

func TestGrantsByAuthMethod(t *testing.T) {
	srv := newProvider(t)
	srv.OAuth2.DeviceInterval = 0
	ctx := context.Background()
	noSleep := func(context.Context, time.Duration) error { return nil }
	grants := []struct {
		name   string
		public bool // applies to public clients
		run    func(t *testing.T, s *oauth2.Session) (*oauth2.Token, error)
	}{
		{"authorization_code", true, func(t *testing.T, s *oauth2.Session) (*oauth2.Token, error) {
			return s.Exchange(ctx, authorize(t, s))
		}},
		{"password", true, func(t *testing.T, s *oauth2.Session) (*oauth2.Token, error) {
			return s.Password(ctx, "alice", "wonderland")
		}},
		{"client_credentials", false, func(t *testing.T, s *oauth2.Session) (*oauth2.Token, error) {
			return s.ClientCredentials(ctx)
		}},
		{"refresh_token", true, func(t *testing.T, s *oauth2.Session) (*oauth2.Token, error) {
			old, err := s.Password(ctx, "alice", "wonderland")
			if err != nil {
				return nil, err
			}
			tok, err := s.Refresh(ctx)
			if err == nil && (tok.AccessToken == old.AccessToken || tok.RefreshToken == old.RefreshToken) {
				t.Errorf("refresh did not rotate the tokens")
			}
			return tok, err
		}},
		{"device_code", true, func(t *testing.T, s *oauth2.Session) (*oauth2.Token, error) {
			da, err := s.DeviceAuth(ctx)
			if err != nil {
				return nil, err
			}
			return s.DeviceToken(ctx, da)
		}},
		{"revoke_introspect", true, func(t *testing.T, s *oauth2.Session) (*oauth2.Token, error) {
			if _, err := s.Password(ctx, "alice", "wonderland"); err != nil {
				return nil, err
			}
			if in, err := s.Introspect(ctx, oauth2.AccessToken); err != nil || !in.Active {
				t.Fatalf("introspect = %+v, %v", in, err)
			}
			if err := s.Revoke(ctx, oauth2.AccessToken); err != nil {
				t.Fatal(err)
			}
			if in, err := s.Introspect(ctx, oauth2.AccessToken); err != nil || in.Active {
				t.Fatalf("introspect after revoke = %+v, %v", in, err)
			}
			// Get a live token again for the resource check.
			return s.Refresh(ctx)
		}},
		{"token_exchange", true, func(t *testing.T, s *oauth2.Session) (*oauth2.Token, error) {
			first, err := s.Password(ctx, "alice", "wonderland")
			if err != nil {
				return nil, err
			}
			return s.Grant(ctx, "urn:ietf:params:oauth:grant-type:token-exchange", url.Values{
				"subject_token":      {first.AccessToken},
				"subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"},
			})
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
				s := cfg.NewSession(nil)
				var updates atomic.Int32
				s.OnTokenUpdate = func(context.Context, *oauth2.Token) error { updates.Add(1); return nil }
				tok, err := g.run(t, s)
				if err != nil {
					t.Fatalf("%s: %v", g.name, err)
				}
				if tok.AccessToken == "" || tok.Expiry.IsZero() {
					t.Errorf("token = %v", tok)
				}
				if updates.Load() == 0 {
					t.Error("OnTokenUpdate not called")
				}
				if m := getResource(t, srv, s); m != "header" {
					t.Errorf("resource saw method %q, want header", m)
				}
			})
		}
	}
}

func TestJWTBearerGrant(t *testing.T) {
	srv := newProvider(t)
	cfg := clients(t, srv)["private_key_jwt"]
	pk, _ := jose.NewSigner(jose.ES256, fakeprovider.OAuth2TestKey)
	now := time.Now().Unix()
	claims, _ := json.Marshal(map[string]any{"iss": "pkjwt-client", "sub": "alice",
		"aud": cfg.Endpoint.TokenURL, "jti": fmt.Sprint(now), "iat": now, "exp": now + 60})
	assertion, err := jose.SignCompact(pk, []byte(`{"alg":"ES256","typ":"JWT"}`), claims)
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.NewSession(nil)
	tok, err := s.Grant(context.Background(), "urn:ietf:params:oauth:grant-type:jwt-bearer", url.Values{"assertion": {assertion}})
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == "" {
		t.Fatal("no access token")
	}
}

func TestPlacements(t *testing.T) {
	srv := newProvider(t)
	for _, tt := range []struct {
		p    oauth2.Placement
		want string
	}{{oauth2.InHeader, "header"}, {oauth2.InFormBody, "body"}, {oauth2.InQuery, "query"}} {
		t.Run(tt.want, func(t *testing.T) {
			cfg := *clients(t, srv)["client_secret_basic"]
			cfg.Placement = tt.p
			s := cfg.NewSession(nil)
			if _, err := s.ClientCredentials(context.Background()); err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest("POST", srv.URL+fakeprovider.OAuth2ResourcePath, strings.NewReader("a=1"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := s.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var echo struct{ Method string }
			json.NewDecoder(resp.Body).Decode(&echo)
			if resp.StatusCode != 200 || echo.Method != tt.want {
				t.Errorf("status %d method %q, want 200 %q", resp.StatusCode, echo.Method, tt.want)
			}
		})
	}
}

func TestNegative(t *testing.T) {
	ctx := context.Background()
	srv := newProvider(t)
	cs := clients(t, srv)
	basic := cs["client_secret_basic"]

	t.Run("state mismatch", func(t *testing.T) {
		s := basic.NewSession(nil)
		cb := authorize(t, s)
		before := srv.OAuth2.TokenRequests()
		cb = strings.Replace(cb, "state=", "state=x", 1)
		if _, err := s.Exchange(ctx, cb); !errors.Is(err, oauth2.ErrStateMismatch) {
			t.Fatalf("err = %v, want ErrStateMismatch", err)
		}
		if srv.OAuth2.TokenRequests() != before {
			t.Error("token request made after a state mismatch")
		}
	})
	t.Run("no stored state", func(t *testing.T) {
		cb := authorize(t, basic.NewSession(nil))
		if _, err := basic.NewSession(nil).Exchange(ctx, cb); !errors.Is(err, oauth2.ErrNoState) {
			t.Fatalf("err = %v, want ErrNoState", err)
		}
	})
	t.Run("state restored in another session", func(t *testing.T) {
		s := basic.NewSession(nil)
		cb := authorize(t, s)
		data, _ := json.Marshal(s.AuthState())
		var as oauth2.AuthState
		json.Unmarshal(data, &as)
		s2 := basic.NewSession(nil)
		s2.RestoreAuthState(as)
		if _, err := s2.Exchange(ctx, cb); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("provider error on callback", func(t *testing.T) {
		srv := newProvider(t)
		srv.OAuth2.DenyAuthorization = true
		s := clients(t, srv)["client_secret_basic"].NewSession(nil)
		_, err := s.Exchange(ctx, authorize(t, s))
		var e *oauth2.Error
		if !errors.Is(err, oauth2.ErrAccessDenied) || !errors.As(err, &e) || e.Endpoint != "authorization" {
			t.Fatalf("err = %v, want access_denied *Error", err)
		}
	})
	t.Run("reused code", func(t *testing.T) {
		s := basic.NewSession(nil)
		cb := authorize(t, s)
		as := s.AuthState()
		if _, err := s.Exchange(ctx, cb); err != nil {
			t.Fatal(err)
		}
		s.RestoreAuthState(as)
		if _, err := s.Exchange(ctx, cb); !errors.Is(err, oauth2.ErrInvalidGrant) {
			t.Fatalf("err = %v, want ErrInvalidGrant", err)
		}
	})
	t.Run("wrong PKCE verifier", func(t *testing.T) {
		s := basic.NewSession(nil)
		cb := authorize(t, s)
		as := s.AuthState()
		as.CodeVerifier = strings.Repeat("a", 43)
		s.RestoreAuthState(as)
		if _, err := s.Exchange(ctx, cb); !errors.Is(err, oauth2.ErrInvalidGrant) {
			t.Fatalf("err = %v, want ErrInvalidGrant", err)
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		for _, name := range []string{"client_secret_basic", "client_secret_post", "client_secret_jwt"} {
			cfg := *cs[name]
			cfg.ClientSecret = "wrong-secret-wrong-secret-wrong-secret"
			_, err := cfg.NewSession(nil).ClientCredentials(ctx)
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
		s := cfg.NewSession(nil)
		da, err := s.DeviceAuth(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if da.UserCode == "" || da.VerificationURI == "" || da.Interval != time.Second {
			t.Errorf("device auth = %v", da)
		}
		tok, err := s.DeviceToken(ctx, da)
		return tok, waits, err
	}
	t.Run("device default interval", func(t *testing.T) {
		srv := newProvider(t)
		srv.OAuth2.DeviceInterval = -1 // no interval in the response
		cfg := clients(t, srv)["none"]
		var waits []time.Duration
		cfg.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
		s := cfg.NewSession(nil)
		da, err := s.DeviceAuth(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DeviceToken(ctx, da); err != nil {
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
		var mu sync.Mutex
		now := time.Now()
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		srv.OAuth2.Now = clock
		cfg := clients(t, srv)["none"]
		cfg.Now = clock
		cfg.Sleep = func(_ context.Context, d time.Duration) error {
			mu.Lock()
			now = now.Add(d * 100)
			mu.Unlock()
			return nil
		}
		s := cfg.NewSession(nil)
		da, err := s.DeviceAuth(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DeviceToken(ctx, da); !errors.Is(err, oauth2.ErrExpiredToken) {
			t.Fatalf("err = %v, want ErrExpiredToken", err)
		}
	})
	t.Run("public client without PKCE refused", func(t *testing.T) {
		s := cs["none"].NewSession(nil)
		au, _, _ := s.AuthorizationURL(oauth2.WithPKCE(oauth2.PKCEOff))
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Get(au)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode == http.StatusFound && loc != "" {
			if _, err := s.Exchange(ctx, loc); !errors.Is(err, oauth2.ErrInvalidRequest) {
				t.Fatalf("err = %v, want ErrInvalidRequest", err)
			}
		} else if resp.StatusCode < 400 {
			t.Fatalf("status %d, want a refusal", resp.StatusCode)
		}
	})
	t.Run("plain PKCE", func(t *testing.T) {
		s := cs["none"].NewSession(nil)
		if _, err := s.Exchange(ctx, authorize(t, s, oauth2.WithPKCE(oauth2.PKCEPlain))); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("implicit flow", func(t *testing.T) {
		s := cs["none"].NewSession(nil)
		tok, err := s.TokenFromFragment(ctx, authorize(t, s, oauth2.ImplicitFlow))
		if err != nil || tok.Expiry.IsZero() {
			t.Fatalf("tok = %v, %v", tok, err)
		}
		if m := getResource(t, srv, s); m != "header" {
			t.Errorf("method %q", m)
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
		cfg := *cs["none"]
		s := cfg.NewSession(nil)
		da, err := s.DeviceAuth(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.DeviceToken(cctx, da); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("revoked token inactive", func(t *testing.T) {
		s := basic.NewSession(nil)
		if _, err := s.Password(ctx, "alice", "wonderland"); err != nil {
			t.Fatal(err)
		}
		in, err := s.Introspect(ctx, oauth2.AccessToken)
		if err != nil || !in.Active || in.ClientID != "basic-client" || in.Username != "alice" {
			t.Fatalf("introspect before revoke = %+v, %v", in, err)
		}
		if err := s.Revoke(ctx, oauth2.RefreshToken); err != nil {
			t.Fatal(err)
		}
		for _, k := range []oauth2.TokenKind{oauth2.AccessToken, oauth2.RefreshToken} {
			in, err := s.Introspect(ctx, k)
			if err != nil || in.Active {
				t.Errorf("introspect %s after revoke = %+v, %v; want inactive", k, in, err)
			}
		}
	})
	t.Run("insecure token endpoint refused", func(t *testing.T) {
		cfg := *basic
		cfg.Endpoint.TokenURL = "http://as.example.com/token"
		if _, err := cfg.NewSession(nil).ClientCredentials(ctx); !errors.Is(err, oauth2.ErrInsecureTransport) {
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
	t.Run("updater failure keeps the old token in use and the new one aside", func(t *testing.T) {
		// The provider rotates refresh tokens: once it has answered a
		// refresh, only the new token's refresh token works, so dropping
		// the new token because OnTokenUpdate failed would end the session.
		s := basic.NewSession(nil)
		old, err := s.Password(ctx, "alice", "wonderland")
		if err != nil {
			t.Fatal(err)
		}
		boom := errors.New("disk full")
		var offered []*oauth2.Token
		fail := true
		s.OnTokenUpdate = func(_ context.Context, tok *oauth2.Token) error {
			offered = append(offered, tok)
			if fail {
				return boom
			}
			return nil
		}
		if _, err := s.Refresh(ctx); !errors.Is(err, boom) {
			t.Fatalf("err = %v, want the updater's error", err)
		}
		if got, err := s.Token(ctx); err != nil || got != old {
			t.Errorf("token in use after a failed update = %v, %v; want the old one", got, err)
		}
		kept := s.CachedToken()
		if kept == old || len(offered) != 1 || kept != offered[0] || kept.RefreshToken == old.RefreshToken {
			t.Fatalf("CachedToken after a failed update: want the refused token, with the rotated refresh token")
		}
		// The next refresh offers the kept token again, without a request.
		fail = false
		before := srv.OAuth2.TokenRequests()
		got, err := s.Refresh(ctx)
		if err != nil || got != kept {
			t.Fatalf("Refresh after the updater recovered = %v, %v; want the kept token", got, err)
		}
		if n := srv.OAuth2.TokenRequests() - before; n != 0 {
			t.Errorf("%d token requests to accept a kept token, want 0", n)
		}
		if tok, err := s.Token(ctx); err != nil || tok != kept {
			t.Errorf("token in use = %v, %v; want the accepted one", tok, err)
		}
		// Its refresh token is the live one; the old one was revoked.
		if _, err := s.Refresh(ctx); err != nil {
			t.Errorf("refresh with the kept token's refresh token: %v", err)
		}
		if _, err := basic.NewSession(old).Refresh(ctx); !errors.Is(err, oauth2.ErrInvalidGrant) {
			t.Errorf("refresh with the old refresh token: err = %v, want ErrInvalidGrant", err)
		}
	})
	t.Run("updater failure on an automatic refresh is retried after the back-off", func(t *testing.T) {
		clock := &testClock{t0: time.Now()}
		t0 := clock.t0
		clock.set(t0)
		cfg := *basic
		cfg.Now = clock.now
		access, refresh := srv.OAuth2.IssueToken("basic-client", time.Minute)
		old := &oauth2.Token{AccessToken: access, RefreshToken: refresh, TokenType: "Bearer", Expiry: t0.Add(30 * time.Second)}
		s := cfg.NewSession(old)
		var updates, failures atomic.Int32
		failures.Store(1)
		s.OnTokenUpdate = func(context.Context, *oauth2.Token) error {
			updates.Add(1)
			if failures.Add(-1) >= 0 {
				return errors.New("disk full")
			}
			return nil
		}
		before := srv.OAuth2.Refreshes()
		// Inside the 10 s leeway: the refresh runs, the updater fails,
		// the old token is used while it lasts.
		clock.set(t0.Add(25 * time.Second))
		if got, err := s.Token(ctx); err != nil || got != old {
			t.Fatalf("Token after a failed update = %v, %v; want the old token", got, err)
		}
		if got, err := s.Token(ctx); err != nil || got != old || updates.Load() != 1 {
			t.Fatalf("Token within the back-off = %v, %v (%d updates); want the old token, no new attempt", got, err, updates.Load())
		}
		// After the back-off (half the 5 s left), the kept token is
		// offered again and used; the server saw one refresh in all.
		clock.set(t0.Add(28 * time.Second))
		got, err := s.Token(ctx)
		if err != nil || got == old || got != s.CachedToken() || updates.Load() != 2 {
			t.Fatalf("Token after the back-off = %v, %v (%d updates); want the kept token, accepted", got, err, updates.Load())
		}
		if n := srv.OAuth2.Refreshes() - before; n != 1 {
			t.Errorf("server refreshes = %d, want 1", n)
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
		s := cs["auto_post"].NewSession(nil)
		n0 := srv.OAuth2.TokenRequests()
		if _, err := s.ClientCredentials(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ClientCredentials(ctx); err != nil {
			t.Fatal(err)
		}
		if got := srv.OAuth2.TokenRequests() - n0; got != 3 {
			t.Errorf("token requests = %d, want 3 (basic, post, post)", got)
		}
	})
	t.Run("basic works first time", func(t *testing.T) {
		s := cs["auto_basic"].NewSession(nil)
		n0 := srv.OAuth2.TokenRequests()
		if _, err := s.Exchange(ctx, authorize(t, s)); err != nil {
			t.Fatal(err)
		}
		if got := srv.OAuth2.TokenRequests() - n0; got != 1 {
			t.Errorf("token requests = %d, want 1", got)
		}
	})
	t.Run("never resends a code", func(t *testing.T) {
		s := cs["auto_post"].NewSession(nil)
		n0 := srv.OAuth2.TokenRequests()
		if _, err := s.Exchange(ctx, authorize(t, s)); !errors.Is(err, oauth2.ErrInvalidClient) {
			t.Fatalf("err = %v, want ErrInvalidClient", err)
		}
		if got := srv.OAuth2.TokenRequests() - n0; got != 1 {
			t.Errorf("token requests = %d, want 1: the code was resent", got)
		}
		// The next attempt starts with the other method.
		if _, err := s.Exchange(ctx, authorize(t, s)); err != nil {
			t.Fatal(err)
		}
		if got := srv.OAuth2.TokenRequests() - n0; got != 2 {
			t.Errorf("token requests = %d, want 2", got)
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
	tests := []struct {
		name  string
		setup func(o *fakeprovider.OAuth2, c *oauth2.Config)
		check func(t *testing.T, tok *oauth2.Token, err error)
	}{
		{"FormEncodedTokenResponse", func(o *fakeprovider.OAuth2, c *oauth2.Config) {
			o.FormEncodedTokenResponse = true
			c.HTTPClient = &http.Client{Transport: stripAccept{http.DefaultTransport}}
		}, func(t *testing.T, tok *oauth2.Token, err error) {
			if err != nil || !strings.EqualFold(tok.TokenType, "bearer") || tok.Expiry.IsZero() || tok.RefreshToken == "" {
				t.Errorf("tok = %v, %v", tok, err)
			}
		}},
		{"FormEncodedTokenResponse with Accept", func(o *fakeprovider.OAuth2, c *oauth2.Config) {
			o.FormEncodedTokenResponse = true
		}, func(t *testing.T, tok *oauth2.Token, err error) {
			if err != nil || tok.Expiry.IsZero() {
				t.Errorf("tok = %v, %v", tok, err)
			}
		}},
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
			o.Delay = 500 * time.Millisecond
			c.HTTPClient = &http.Client{Timeout: 50 * time.Millisecond}
		}, func(t *testing.T, tok *oauth2.Token, err error) {
			var ne interface{ Timeout() bool }
			if !errors.As(err, &ne) || !ne.Timeout() {
				t.Errorf("err = %v, want a timeout", err)
			}
		}},
		{"OversizeBytes", func(o *fakeprovider.OAuth2, c *oauth2.Config) { o.OversizeBytes = 2 << 20 }, func(t *testing.T, tok *oauth2.Token, err error) {
			var e *oauth2.ResponseTooLargeError
			if !errors.As(err, &e) || !errors.Is(err, oauth2.ErrResponseTooLarge) || e.Limit != 1<<20 {
				t.Errorf("err = %v, want *ResponseTooLargeError", err)
			}
		}},
		{"OversizeBytes under limit", func(o *fakeprovider.OAuth2, c *oauth2.Config) { o.OversizeBytes = 1 << 19 }, func(t *testing.T, tok *oauth2.Token, err error) {
			if err != nil {
				t.Errorf("err = %v", err)
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
			cfg := *clients(t, srv)["client_secret_basic"]
			tt.setup(srv.OAuth2, &cfg)
			s := cfg.NewSession(nil)
			tok, err := s.Password(ctx, "alice", "wonderland")
			if err == nil {
				// Refresh too: the same parsing applies.
				tok, err = s.Refresh(ctx)
			}
			tt.check(t, tok, err)
		})
	}
}

func expiresInHour(t *testing.T, tok *oauth2.Token, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(tok.Expiry); d < 59*time.Minute || d > time.Hour || tok.ExpiresIn != 3600 {
		t.Errorf("expiry in %v (%d), want 1h", d, tok.ExpiresIn)
	}
}

// stormSession returns a session holding an expired token with a valid
// refresh token.
func stormSession(t testing.TB, srv *fakeprovider.Server) (*oauth2.Session, *atomic.Int32) {
	cfg := clients(t, srv)["client_secret_basic"]
	at, rt := srv.OAuth2.IssueToken("basic-client", -time.Minute)
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

func TestStormOneRefresh(t *testing.T) {
	srv := newProvider(t)
	s, updates := stormSession(t, srv)
	c := s.Client()
	var failed atomic.Int32
	storm(200, func(int) {
		resp, err := c.Get(srv.URL + fakeprovider.OAuth2ResourcePath)
		if err != nil {
			failed.Add(1)
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
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

func TestStormFailingRefresh(t *testing.T) {
	srv := newProvider(t)
	srv.OAuth2.RefreshStatus = 503
	srv.OAuth2.Delay = 500 * time.Millisecond
	s, updates := stormSession(t, srv)
	old := s.CachedToken()
	c := s.Client()
	var wrongErr atomic.Int32
	storm(200, func(int) {
		resp, err := c.Get(srv.URL + fakeprovider.OAuth2ResourcePath)
		if err == nil {
			resp.Body.Close()
		}
		var e *oauth2.Error
		if !errors.As(err, &e) || e.StatusCode != 503 {
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

func TestStormCancelledWaiter(t *testing.T) {
	srv := newProvider(t)
	srv.OAuth2.Delay = 400 * time.Millisecond
	s, updates := stormSession(t, srv)
	c := s.Client()
	get := func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+fakeprovider.OAuth2ResourcePath, nil)
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}
	// The first caller starts the refresh and gives up; so does a waiter.
	starterCtx, cancelStarter := context.WithCancel(context.Background())
	waiterCtx, cancelWaiter := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	errs := make([]error, 12)
	took := make([]time.Duration, 12)
	run := func(i int, ctx context.Context) {
		defer wg.Done()
		t0 := time.Now()
		errs[i] = get(ctx)
		took[i] = time.Since(t0)
	}
	wg.Add(1)
	go run(0, starterCtx)
	time.Sleep(50 * time.Millisecond) // let the refresh start
	wg.Add(1)
	go run(1, waiterCtx)
	for i := 2; i < 12; i++ {
		wg.Add(1)
		go run(i, context.Background())
	}
	time.Sleep(50 * time.Millisecond)
	cancelStarter()
	cancelWaiter()
	wg.Wait()
	for i := 0; i < 2; i++ {
		if !errors.Is(errs[i], context.Canceled) {
			t.Errorf("cancelled caller %d: err = %v, want context.Canceled", i, errs[i])
		}
		if took[i] > 300*time.Millisecond {
			t.Errorf("cancelled caller %d returned after %v, want at once", i, took[i])
		}
	}
	for i := 2; i < 12; i++ {
		if errs[i] != nil {
			t.Errorf("waiter %d: %v", i, errs[i])
		}
	}
	if srv.OAuth2.Refreshes() != 1 || updates.Load() != 1 {
		t.Errorf("refreshes = %d, updates = %d, want 1, 1", srv.OAuth2.Refreshes(), updates.Load())
	}
}

func TestClientCredentialsRegrant(t *testing.T) {
	srv := newProvider(t)
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv.OAuth2.Now = clock
	cfg := *clients(t, srv)["client_secret_post"]
	cfg.Now = clock
	s := cfg.NewSession(nil)
	if _, err := s.ClientCredentials(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(2 * time.Hour)
	mu.Unlock()
	getResource(t, srv, s)
	if n := srv.OAuth2.TokensIssued(); n != 2 {
		t.Errorf("tokens issued = %d, want 2 (the grant ran again)", n)
	}
}

func TestShortLivedTokens(t *testing.T) {
	srv := newProvider(t)
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv.OAuth2.Now = clock
	srv.OAuth2.AccessTokenTTL = 5 * time.Second
	cfg := *clients(t, srv)["client_secret_basic"]
	cfg.Now = clock // Leeway: default 10 s, longer than the tokens live
	s := cfg.NewSession(nil)
	if _, err := s.Password(context.Background(), "alice", "wonderland"); err != nil {
		t.Fatal(err)
	}
	c := s.Client()
	burst := func() {
		storm(200, func(int) {
			resp, err := c.Get(srv.URL + fakeprovider.OAuth2ResourcePath)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
		})
	}
	burst()
	if n := srv.OAuth2.Refreshes(); n != 0 {
		t.Errorf("fresh 5 s token: %d refreshes, want 0", n)
	}
	advance(3 * time.Second)
	burst()
	if n := srv.OAuth2.Refreshes(); n != 1 {
		t.Errorf("after 3 s: %d refreshes for 200 requests, want 1", n)
	}
}

// TestKeptTokenGoesStaleInCallback offers a kept token again when it has
// a second left before it is due, to an OnTokenUpdate that takes two: the
// accepted token must not be installed stale but renewed in turn.
func TestKeptTokenGoesStaleInCallback(t *testing.T) {
	ctx := context.Background()
	srv, s, clock := clockedPasswordSession(t)
	t0, now := clock.t0, clock.now
	var slow atomic.Bool
	var updates atomic.Int32
	s.OnTokenUpdate = func(context.Context, *oauth2.Token) error {
		updates.Add(1)
		if !slow.Load() {
			return errors.New("store down")
		}
		clock.add((2 * time.Second))
		return nil
	}
	clock.set(t0.Add(30 * time.Second))
	if _, err := s.Refresh(ctx); err == nil { // the kept token expires at t0+90s
		t.Fatal("Refresh with the store down: no error")
	}
	kept := s.CachedToken()
	// t0+79s: due for refresh at t0+80s (10 s leeway), one second left.
	clock.set(t0.Add(79 * time.Second))
	slow.Store(true)
	before := srv.OAuth2.Refreshes()
	tok, err := s.Token(ctx)
	if err != nil || tok == kept || !tok.Valid(now()) {
		t.Fatalf("Token = %v, %v; want a token renewed from the kept one", tok, err)
	}
	if n := srv.OAuth2.Refreshes() - before; n != 1 {
		t.Errorf("server refreshes = %d, want 1", n)
	}
	if n := updates.Load(); n != 3 { // refused, kept accepted, renewed accepted
		t.Errorf("OnTokenUpdate calls = %d, want 3", n)
	}
}

// TestRefusedTokenExpiresAside keeps a refused refresh result aside until
// it has expired: when the store is back, the session must renew it with
// its own (rotated, live) refresh token rather than install it expired,
// through Token, Refresh and the Transport alike.
func TestRefusedTokenExpiresAside(t *testing.T) {
	ctx := context.Background()
	for _, via := range []string{"Token", "Refresh", "Client"} {
		t.Run(via, func(t *testing.T) {
			srv, s, clock := clockedPasswordSession(t)
			t0, now := clock.t0, clock.now
			var fail atomic.Bool
			fail.Store(true)
			s.OnTokenUpdate = func(context.Context, *oauth2.Token) error {
				if fail.Load() {
					return errors.New("store down")
				}
				return nil
			}
			if _, err := s.Refresh(ctx); err == nil {
				t.Fatal("Refresh with the store down: no error")
			}
			kept := s.CachedToken()
			clock.set(t0.Add(5 * time.Minute)) // both tokens expired
			fail.Store(false)
			before := srv.OAuth2.Refreshes()
			switch via {
			case "Token":
				tok, err := s.Token(ctx)
				if err != nil || !tok.Valid(now()) || tok == kept {
					t.Fatalf("Token = %v, %v; want a valid token renewed from the kept one", tok, err)
				}
			case "Refresh":
				tok, err := s.Refresh(ctx)
				if err != nil || !tok.Valid(now()) || tok == kept {
					t.Fatalf("Refresh = %v, %v; want a valid token renewed from the kept one", tok, err)
				}
			case "Client":
				resp, err := s.Client().Get(srv.URL + fakeprovider.OAuth2ResourcePath)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET with the session's client: %s, want 200", resp.Status)
				}
			}
			if n := srv.OAuth2.Refreshes() - before; n != 1 {
				t.Errorf("server refreshes = %d, want 1 (with the kept refresh token)", n)
			}
		})
	}
}

// TestRevokeLiveRefreshToken revokes the refresh token of a session whose
// last refresh result OnTokenUpdate refused: on a server that rotates
// refresh tokens, the live one is the kept token's, and it must be the
// one revoked (logging out must not leave it working).
func TestRevokeLiveRefreshToken(t *testing.T) {
	ctx := context.Background()
	srv := newProvider(t)
	basic := clients(t, srv)["client_secret_basic"]
	s := basic.NewSession(nil)
	if _, err := s.Password(ctx, "alice", "wonderland"); err != nil {
		t.Fatal(err)
	}
	s.OnTokenUpdate = func(context.Context, *oauth2.Token) error { return errors.New("store down") }
	if _, err := s.Refresh(ctx); err == nil {
		t.Fatal("Refresh with the store down: no error")
	}
	kept := s.CachedToken()
	if info, err := s.Introspect(ctx, oauth2.RefreshToken); err != nil || !info.Active {
		t.Errorf("Introspect(RefreshToken) = %+v, %v; want the live refresh token, active", info, err)
	}
	if err := s.Revoke(ctx, oauth2.RefreshToken); err != nil {
		t.Fatal(err)
	}
	if _, err := basic.NewSession(kept).Refresh(ctx); !errors.Is(err, oauth2.ErrInvalidGrant) {
		t.Errorf("refresh with the kept refresh token after Revoke: err = %v, want ErrInvalidGrant", err)
	}
}

// TestKeptTokenUsedWhenServerFails keeps a token aside (expiring at
// t0+90s, due at t0+80s) while the token in use expires at t0+60s, then
// has the server fail every refresh: a kept token that is due but still
// valid, or that falls due inside OnTokenUpdate, must be used rather than
// surface the server's error.
func TestKeptTokenUsedWhenServerFails(t *testing.T) {
	for _, tt := range []struct {
		name string
		at   time.Duration // when Token is called
		slow time.Duration // how long OnTokenUpdate takes once the store is back
	}{
		{"due, still valid", 85 * time.Second, 0},
		{"falls due in OnTokenUpdate", 79 * time.Second, 2 * time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			srv, s, clock := clockedPasswordSession(t)
			t0, now := clock.t0, clock.now
			var up atomic.Bool
			s.OnTokenUpdate = func(context.Context, *oauth2.Token) error {
				if !up.Load() {
					return errors.New("store down")
				}
				clock.add((tt.slow))
				return nil
			}
			clock.set(t0.Add(30 * time.Second))
			if _, err := s.Refresh(ctx); err == nil {
				t.Fatal("Refresh with the store down: no error")
			}
			kept := s.CachedToken()
			clock.set(t0.Add(tt.at))
			up.Store(true)
			srv.OAuth2.RefreshStatus = http.StatusServiceUnavailable
			tok, err := s.Token(ctx)
			if err != nil || tok != kept || !tok.Valid(now()) {
				t.Fatalf("Token = %v, %v; want the kept token, valid until t0+90s", tok, err)
			}
		})
	}
}

// testClock is a clock a test moves by hand, shared by a session and the
// fake provider.
type testClock struct {
	t0 time.Time
	ns atomic.Int64
}

func (c *testClock) now() time.Time      { return time.Unix(0, c.ns.Load()) }
func (c *testClock) set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *testClock) add(d time.Duration) { c.ns.Add(int64(d)) }

// clockedPasswordSession returns a provider and a session that share a
// test clock started at clock.t0; the session holds a password-grant token
// that expires one minute later.
func clockedPasswordSession(t *testing.T) (*fakeprovider.Server, *oauth2.Session, *testClock) {
	t.Helper()
	clock := &testClock{t0: time.Now()}
	clock.set(clock.t0)
	srv := newProvider(t)
	srv.OAuth2.Now = clock.now
	srv.OAuth2.AccessTokenTTL = time.Minute
	cfg := *clients(t, srv)["client_secret_basic"]
	cfg.Now = clock.now
	s := cfg.NewSession(nil)
	if _, err := s.Password(context.Background(), "alice", "wonderland"); err != nil {
		t.Fatal(err)
	}
	return srv, s, clock
}

// TestKeptTokenFailedRenewalBacksOff: a kept token installed in a refresh
// whose renewal then fails (it fell due inside OnTokenUpdate, or was due
// already and the server failed) is used while valid, and the next
// attempt is put off as after any failed early refresh (Config.Leeway):
// at least a second later, or at the expiry.
func TestKeptTokenFailedRenewalBacksOff(t *testing.T) {
	for _, tt := range []struct {
		name string
		at   time.Duration // when Token is first called
		slow time.Duration // how long OnTokenUpdate takes once the store is back
		step time.Duration // clock advance before the later calls
	}{
		{"falls due in OnTokenUpdate", 79 * time.Second, 2 * time.Second, 0},
		{"due, still valid", 85 * time.Second, 0, 0},
		{"last second", 89 * time.Second, 0, 600 * time.Millisecond},
		{"falls due in OnTokenUpdate, last second", 79 * time.Second, 10 * time.Second, 600 * time.Millisecond},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			srv, s, clock := clockedPasswordSession(t)
			var up atomic.Bool
			s.OnTokenUpdate = func(context.Context, *oauth2.Token) error {
				if !up.Load() {
					return errors.New("store down")
				}
				clock.add(tt.slow)
				return nil
			}
			clock.set(clock.t0.Add(30 * time.Second))
			if _, err := s.Refresh(ctx); err == nil { // kept: expires at t0+90s, due at t0+80s
				t.Fatal("Refresh with the store down: no error")
			}
			kept := s.CachedToken()
			clock.set(clock.t0.Add(tt.at))
			up.Store(true)
			srv.OAuth2.RefreshStatus = http.StatusServiceUnavailable
			before := srv.OAuth2.Refreshes()
			for i := 0; i < 5; i++ {
				if tok, err := s.Token(ctx); err != nil || tok != kept {
					t.Fatalf("call %d: Token = %v, %v; want the kept token", i, tok, err)
				}
				if i == 0 {
					clock.add(tt.step)
				}
			}
			if n := srv.OAuth2.Refreshes() - before; n != 1 {
				t.Errorf("%d refresh attempts for 5 calls, want 1 (then a back-off)", n)
			}
		})
	}
}
