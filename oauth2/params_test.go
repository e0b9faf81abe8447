package oauth2

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// tokenCalls are the calls that send a request to the token endpoint (or,
// for the device authorization, to its own endpoint), each given opts:
// with cfg, or with s, a session of cfg holding a refreshable token.
var tokenCalls = []struct {
	name string
	call func(cfg *Config, s *Session, opts ...Option) error
}{
	{"Exchange", func(c *Config, _ *Session, opts ...Option) error {
		_, err := c.Exchange(context.Background(), "CODE", opts...)
		return err
	}},
	{"CompleteLogin", func(c *Config, _ *Session, opts ...Option) error {
		r, _ := http.NewRequest("GET", "https://app.example/cb?code=CODE&state=S", nil)
		_, err := c.CompleteLogin(context.Background(), &Login{State: "S", ResponseType: "code"}, r, opts...)
		return err
	}},
	{"CompleteLogin form_post", func(c *Config, _ *Session, opts ...Option) error {
		r, _ := http.NewRequest("POST", "https://app.example/cb", strings.NewReader("code=CODE&state=S"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		_, err := c.CompleteLogin(context.Background(), &Login{State: "S", ResponseType: "code"}, r, opts...)
		return err
	}},
	{"CompleteLoginURL", func(c *Config, _ *Session, opts ...Option) error {
		_, err := c.CompleteLoginURL(context.Background(), &Login{State: "S"}, "https://app.example/cb?code=CODE&state=S", opts...)
		return err
	}},
	{"CompleteLoginCode", func(c *Config, _ *Session, opts ...Option) error {
		_, err := c.CompleteLoginCode(context.Background(), &Login{State: "S"}, "CODE", "S", opts...)
		return err
	}},
	{"PasswordCredentialsToken", func(c *Config, _ *Session, opts ...Option) error {
		_, err := c.PasswordCredentialsToken(context.Background(), "alice", "pw", opts...)
		return err
	}},
	{"DeviceAuth", func(c *Config, _ *Session, opts ...Option) error {
		_, err := c.DeviceAuth(context.Background(), opts...)
		return err
	}},
	{"DeviceAccessToken", func(c *Config, _ *Session, opts ...Option) error {
		_, err := c.DeviceAccessToken(context.Background(), &DeviceAuthResponse{DeviceCode: "DC", Interval: 1}, opts...)
		return err
	}},
	{"ClientCredentials", func(c *Config, _ *Session, opts ...Option) error {
		_, err := c.ClientCredentials(opts...).Token(context.Background())
		return err
	}},
	{"JWTBearer", func(c *Config, _ *Session, opts ...Option) error {
		_, err := c.JWTBearer(func(context.Context) (string, error) { return "A", nil }, opts...).Token(context.Background())
		return err
	}},
	{"TokenExchange", func(c *Config, _ *Session, opts ...Option) error {
		_, err := c.TokenExchange(func(context.Context) (string, string, error) { return "T", "urn:x", nil }, opts...).Token(context.Background())
		return err
	}},
	{"GrantSession", func(c *Config, _ *Session, opts ...Option) error {
		_, err := c.GrantSession("urn:x", func(context.Context) (url.Values, error) { return url.Values{"a": {"1"}}, nil },
			opts...).Token(context.Background())
		return err
	}},
	{"Refresh", func(_ *Config, s *Session, opts ...Option) error {
		_, err := s.Refresh(context.Background(), opts...)
		return err
	}},
}

const deviceBody = `{"access_token":"at","device_code":"dc","user_code":"uc","verification_uri":"https://v"}`

// Every grant and Refresh takes per-call options: SetParam adds, with
// repeatable keys (RFC 8707 resource), SetAuthURLParam replaces, and the
// options of the authorization request alone are left out; the provider
// receives exactly that.
func TestOptionsOnEveryTokenRequest(t *testing.T) {
	opts := []Option{SetParam("resource", "https://a.example/"), SetParam("resource", "https://b.example/"),
		SetAuthURLParam("audience", "x"), SetAuthURLParam("audience", "y"),
		AccessTypeOffline, ApprovalForce, WithState("ignored"), S256ChallengeOption("ignored")}
	for _, tt := range tokenCalls {
		t.Run(tt.name, func(t *testing.T) {
			srv := newCapture(t, cannedResponse{200, map[string]string{"Content-Type": "application/json"}, deviceBody})
			var hooked []string
			cfg := &Config{ClientID: "c", Scopes: []string{"read"},
				Endpoint: Endpoint{TokenURL: srv.URL + "/token", DeviceAuthURL: srv.URL + "/device"},
				Sleep:    func(context.Context, time.Duration) error { return nil },
				Hooks: Hooks{TokenRequest: func(r *http.Request) error {
					b, err := r.GetBody()
					if err != nil {
						return err
					}
					body, _ := io.ReadAll(b)
					hooked = append(hooked, string(body))
					return nil
				}}}
			s := cfg.NewSession(&Token{AccessToken: "old", RefreshToken: "RT"})
			if err := tt.call(cfg, s, opts...); err != nil {
				t.Fatal(err)
			}
			reqs := srv.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			got, err := url.ParseQuery(reqs[0].Body)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"https://a.example/", "https://b.example/"}, got["resource"]); diff != "" {
				t.Errorf("resource sent (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"y"}, got["audience"]); diff != "" {
				t.Errorf("audience sent (-want +got):\n%s", diff)
			}
			for _, k := range []string{"access_type", "prompt", "state", "code_challenge"} {
				if got.Has(k) {
					t.Errorf("%s sent to the token endpoint: %q", k, got[k])
				}
			}
			if reqs[0].Path == "/token" && (len(hooked) != 1 || hooked[0] != reqs[0].Body) {
				t.Errorf("Hooks.TokenRequest saw %q, want the body sent, %q", hooked, reqs[0].Body)
			}
		})
	}
}

// Config.Params go with every token request a session makes, refreshes
// and renewals included, and before its options; the token requests of
// Config's own methods do not carry them.
func TestConfigParams(t *testing.T) {
	params := url.Values{"resource": {"https://a.example/", "https://b.example/"}, "audience": {"x"}}
	for _, tt := range tokenCalls {
		t.Run(tt.name, func(t *testing.T) {
			srv := newCapture(t, cannedResponse{200, map[string]string{"Content-Type": "application/json"}, deviceBody})
			cfg := &Config{ClientID: "c", Params: params,
				Endpoint: Endpoint{TokenURL: srv.URL + "/token", DeviceAuthURL: srv.URL + "/device"},
				Sleep:    func(context.Context, time.Duration) error { return nil }}
			s := cfg.NewSession(&Token{AccessToken: "old", RefreshToken: "RT"})
			if err := tt.call(cfg, s, SetParam("resource", "https://c.example/")); err != nil {
				t.Fatal(err)
			}
			got, err := url.ParseQuery(srv.requests()[0].Body)
			if err != nil {
				t.Fatal(err)
			}
			session := tt.name == "Refresh" || tt.name == "ClientCredentials" || tt.name == "JWTBearer" ||
				tt.name == "TokenExchange" || tt.name == "GrantSession"
			want := []string{"https://c.example/"}
			if session {
				want = []string{"https://a.example/", "https://b.example/", "https://c.example/"}
			}
			if diff := cmp.Diff(want, got["resource"]); diff != "" {
				t.Errorf("resource sent (-want +got):\n%s", diff)
			}
			if got.Has("audience") != session {
				t.Errorf("audience sent: %v, want %v", got.Has("audience"), session)
			}
		})
	}
}

// An automatic refresh, and the renewal of a renewing session, carry
// Config.Params and the session's options.
func TestParamsOnAutomaticRequests(t *testing.T) {
	tests := []struct {
		name string
		new  func(*Config) *Session
	}{
		{"refresh", func(c *Config) *Session {
			return c.NewSession(&Token{AccessToken: "old", RefreshToken: "RT", Expiry: time.Unix(1, 0)})
		}},
		{"renewal", func(c *Config) *Session {
			s := c.ClientCredentials(SetParam("resource", "https://s.example/"))
			s.SetToken(&Token{AccessToken: "old", Expiry: time.Unix(1, 0)})
			return s
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := &grantRT{body: `{"access_token":"new","expires_in":3600}`}
			var bodies []string
			cfg := &Config{ClientID: "c", ClientSecret: "s", Params: url.Values{"resource": {"https://a.example/"}},
				Endpoint: Endpoint{TokenURL: "https://as.example/token"}, HTTPClient: &http.Client{Transport: rt},
				Hooks: Hooks{TokenRequest: func(r *http.Request) error {
					b, _ := r.GetBody()
					body, _ := io.ReadAll(b)
					bodies = append(bodies, string(body))
					return nil
				}}}
			s := tt.new(cfg)
			if tok, err := s.Token(context.Background()); err != nil || tok.AccessToken != "new" {
				t.Fatalf("Token = %v, %v", tok, err)
			}
			if len(bodies) != 1 {
				t.Fatalf("%d token requests, want 1", len(bodies))
			}
			got, _ := url.ParseQuery(bodies[0])
			want := []string{"https://a.example/"}
			if tt.name == "renewal" {
				want = append(want, "https://s.example/")
			}
			if diff := cmp.Diff(want, got["resource"]); diff != "" {
				t.Errorf("resource sent (-want +got):\n%s", diff)
			}
		})
	}
}

// Hooks.TokenRequest may change any request to the token endpoint, body
// included, and its error fails the call without a request.
func TestTokenRequestHook(t *testing.T) {
	srv := newCapture(t, okToken)
	boom := errors.New("boom")
	fail := false
	cfg := &Config{ClientID: "c", Endpoint: Endpoint{TokenURL: srv.URL}, Hooks: Hooks{TokenRequest: func(r *http.Request) error {
		if fail {
			return boom
		}
		b, _ := r.GetBody()
		body, _ := io.ReadAll(b)
		body = append(body, "&extra=1"...)
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		r.ContentLength = int64(len(body))
		r.Header.Set("X-Tenant", "t1")
		return nil
	}}}
	s := cfg.NewSession(&Token{AccessToken: "old", RefreshToken: "RT"})
	if _, err := s.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	if r.Header.Get("X-Tenant") != "t1" || !strings.HasSuffix(r.Body, "&extra=1") {
		t.Errorf("request = %v %q, want the hook's header and body", r.Header, r.Body)
	}
	fail = true
	if _, err := cfg.PasswordCredentialsToken(context.Background(), "alice", "pw"); !errors.Is(err, boom) {
		t.Errorf("err = %v, want the hook's", err)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d requests, want 1: the failing hook's request was sent", n)
	}
	// A hook that sends the request over plain http elsewhere is refused.
	fail = false
	cfg.Hooks.TokenRequest = func(r *http.Request) error { r.URL.Scheme, r.URL.Host = "http", "evil.example"; return nil }
	if _, err := cfg.Exchange(context.Background(), "CODE"); !errors.Is(err, ErrInsecureTransport) {
		t.Errorf("err = %v, want ErrInsecureTransport", err)
	}
}

// NewLogin's options: parameters added and set on the URL, the options
// of token requests left out, and a nonce for OpenID Connect.
func TestNewLoginOptions(t *testing.T) {
	cfg := &Config{ClientID: "c", Endpoint: Endpoint{AuthURL: "https://as.example/auth?tenant=t"}, Scopes: []string{"openid", "email"},
		RedirectURL: "https://app.example/cb"}
	l, err := cfg.NewLogin(SetParam("resource", "https://a.example/"), SetParam("resource", "https://b.example/"),
		SetAuthURLParam("scope", "openid"), AccessTypeOffline, ApprovalForce, VerifierOption("V"), WithState("ST"))
	if err != nil {
		t.Fatal(err)
	}
	q := mustQuery(t, l.URL)
	want := url.Values{
		"tenant": {"t"}, "response_type": {"code"}, "client_id": {"c"}, "redirect_uri": {"https://app.example/cb"},
		"scope": {"openid"}, "state": {"ST"}, "code_challenge": {S256ChallengeFromVerifier(l.CodeVerifier)},
		"code_challenge_method": {"S256"}, "nonce": {l.Nonce}, "resource": {"https://a.example/", "https://b.example/"},
		"access_type": {"offline"}, "prompt": {"consent"},
	}
	if diff := cmp.Diff(want, q); diff != "" {
		t.Errorf("authorization URL query (-want +got):\n%s", diff)
	}
	if l.State != "ST" || l.Nonce == "" || !ValidVerifier(l.CodeVerifier) || l.RedirectURL != cfg.RedirectURL || l.ResponseType != "code" {
		t.Errorf("login = %+v", *l)
	}
	if strings.Contains(l.String(), l.CodeVerifier) {
		t.Errorf("String prints a secret: %s", l)
	}
	// Without openid, no nonce.
	cfg.Scopes = []string{"email"}
	if l, err := cfg.NewLogin(); err != nil || l.Nonce != "" || mustQuery(t, l.URL).Has("nonce") {
		t.Errorf("login without openid = %v, %v; want no nonce", l, err)
	}
}
