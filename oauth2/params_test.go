package oauth2

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/signer/jose"
)

// provider is the fake provider a test of the token calls runs against,
// and the client's Config.
type provider struct {
	srv *fakeprovider.Server
	cfg *Config
}

// newProvider starts a fake provider and returns it with a Config of its
// client_secret_basic client, which the caller may change before use.
func newProvider(t *testing.T) *provider {
	t.Helper()
	srv := fakeprovider.NewServer()
	t.Cleanup(srv.Close)
	srv.OAuth2.DeviceScript = []string{"approve"}
	return &provider{srv: srv, cfg: &Config{ClientID: "basic-client", ClientSecret: "basic-secret", Scopes: []string{"read"},
		RedirectURL: "http://127.0.0.1/cb", HTTPClient: srv.Client(),
		Endpoint: Endpoint{AuthURL: srv.URL + fakeprovider.OAuth2AuthorizePath, TokenURL: srv.URL + fakeprovider.OAuth2TokenPath,
			DeviceAuthURL: srv.URL + fakeprovider.OAuth2DevicePath},
		Sleep: func(context.Context, time.Duration) error { return nil }}}
}

// authorize starts a login with opts and returns it with the request the
// browser makes to the redirect URI once the provider approved: a GET of
// the callback URL, or the POST of the form of a form_post page.
func (p *provider) authorize(t *testing.T, opts ...Option) (*Login, *http.Request) {
	t.Helper()
	l, err := p.cfg.NewLogin(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	c := *p.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(l.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusFound {
		return l, httptest.NewRequest("GET", resp.Header.Get("Location"), nil)
	}
	action, form, err := fakeprovider.ReadFormPost(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		t.Fatalf("authorize: %s, %v", resp.Status, err)
	}
	r := httptest.NewRequest("POST", action, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return l, r
}

// tokenCalls are the calls that send a request to the token endpoint (or,
// for the device authorization, to its own endpoint). prepare obtains what
// a call needs first (a login, a device code, a token) from p, with
// p.cfg, and returns the call, which takes the options under test.
var tokenCalls = []struct {
	name    string
	prepare func(t *testing.T, p *provider) func(opts ...Option) error
}{
	{"Exchange", func(t *testing.T, p *provider) func(opts ...Option) error {
		l, r := p.authorize(t)
		return func(opts ...Option) error {
			_, err := p.cfg.Exchange(context.Background(), r.URL.Query().Get("code"), append(opts, VerifierOption(l.CodeVerifier))...)
			return err
		}
	}},
	{"CompleteLogin", func(t *testing.T, p *provider) func(opts ...Option) error {
		l, r := p.authorize(t)
		return func(opts ...Option) error {
			_, err := p.cfg.CompleteLogin(context.Background(), l, r, opts...)
			return err
		}
	}},
	{"CompleteLogin form_post", func(t *testing.T, p *provider) func(opts ...Option) error {
		l, r := p.authorize(t, SetAuthURLParam("response_mode", "form_post"))
		if r.Method != "POST" {
			t.Fatalf("callback %s, want the POST of a form_post page", r.Method)
		}
		return func(opts ...Option) error {
			_, err := p.cfg.CompleteLogin(context.Background(), l, r, opts...)
			return err
		}
	}},
	{"CompleteLoginURL", func(t *testing.T, p *provider) func(opts ...Option) error {
		l, r := p.authorize(t)
		return func(opts ...Option) error {
			_, err := p.cfg.CompleteLoginURL(context.Background(), l, r.URL.String(), opts...)
			return err
		}
	}},
	{"CompleteLoginCode", func(t *testing.T, p *provider) func(opts ...Option) error {
		l, r := p.authorize(t)
		q := r.URL.Query()
		return func(opts ...Option) error {
			_, err := p.cfg.CompleteLoginCode(context.Background(), l, q.Get("code"), q.Get("state"), opts...)
			return err
		}
	}},
	{"PasswordCredentialsToken", func(t *testing.T, p *provider) func(opts ...Option) error {
		return func(opts ...Option) error {
			_, err := p.cfg.PasswordCredentialsToken(context.Background(), "alice", "wonderland", opts...)
			return err
		}
	}},
	{"DeviceAuth", func(t *testing.T, p *provider) func(opts ...Option) error {
		return func(opts ...Option) error {
			_, err := p.cfg.DeviceAuth(context.Background(), opts...)
			return err
		}
	}},
	{"DeviceAccessToken", func(t *testing.T, p *provider) func(opts ...Option) error {
		da, err := p.cfg.DeviceAuth(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return func(opts ...Option) error {
			_, err := p.cfg.DeviceAccessToken(context.Background(), da, opts...)
			return err
		}
	}},
	{"ClientCredentials", func(t *testing.T, p *provider) func(opts ...Option) error {
		return func(opts ...Option) error {
			_, err := p.cfg.ClientCredentials(opts...).Token(context.Background())
			return err
		}
	}},
	{"JWTBearer", func(t *testing.T, p *provider) func(opts ...Option) error {
		key, err := jose.NewSigner(jose.ES256, fakeprovider.OAuth2TestKey) // the key of the provider's pkjwt-client
		if err != nil {
			t.Fatal(err)
		}
		assertion := func(context.Context) (string, error) {
			now := time.Now().Unix()
			claims, _ := json.Marshal(map[string]any{"iss": "pkjwt-client", "sub": "alice", "aud": p.cfg.Endpoint.TokenURL,
				"jti": GenerateVerifier(), "exp": now + 60})
			return jose.SignCompact(key, []byte(`{"alg":"ES256"}`), claims)
		}
		return func(opts ...Option) error {
			_, err := p.cfg.JWTBearer(assertion, opts...).Token(context.Background())
			return err
		}
	}},
	{"TokenExchange", func(t *testing.T, p *provider) func(opts ...Option) error {
		subject := p.token(t)
		return func(opts ...Option) error {
			_, err := p.cfg.TokenExchange(func(context.Context) (string, string, error) {
				return subject.AccessToken, "urn:ietf:params:oauth:token-type:access_token", nil
			}, opts...).Token(context.Background())
			return err
		}
	}},
	{"GrantSession", func(t *testing.T, p *provider) func(opts ...Option) error {
		return func(opts ...Option) error {
			_, err := p.cfg.GrantSession("password", func(context.Context) (url.Values, error) {
				return url.Values{"username": {"alice"}, "password": {"wonderland"}}, nil
			}, opts...).Token(context.Background())
			return err
		}
	}},
	{"Refresh", func(t *testing.T, p *provider) func(opts ...Option) error {
		s := p.cfg.NewSession(p.token(t))
		return func(opts ...Option) error {
			_, err := s.Refresh(context.Background(), opts...)
			return err
		}
	}},
}

// token returns a token of alice for p.cfg, from the password grant.
func (p *provider) token(t *testing.T) *Token {
	t.Helper()
	tok, err := p.cfg.PasswordCredentialsToken(context.Background(), "alice", "wonderland")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// sent runs call against p and returns the parameters of the one request
// it made to the token endpoint, or to the device authorization endpoint
// for DeviceAuth, as the provider received them.
func (p *provider) sent(t *testing.T, name string, call func() error) url.Values {
	t.Helper()
	before := p.srv.OAuth2.TokenRequests()
	if err := call(); err != nil {
		t.Fatal(err)
	}
	wantRequests, got := 1, p.srv.OAuth2.LastTokenRequest()
	if name == "DeviceAuth" {
		wantRequests, got = 0, p.srv.OAuth2.LastDeviceAuthRequest()
	}
	if n := p.srv.OAuth2.TokenRequests() - before; n != wantRequests {
		t.Fatalf("%d token requests, want %d", n, wantRequests)
	}
	return got
}

// Every grant and Refresh takes per-call options: SetParam adds, with
// repeatable keys (RFC 8707 resource), SetAuthURLParam replaces, and the
// options of the authorization request alone are left out; the provider
// receives exactly that, and accepts it.
func TestOptionsOnEveryTokenRequest(t *testing.T) {
	opts := []Option{SetParam("resource", "https://a.example/"), SetParam("resource", "https://b.example/"),
		SetAuthURLParam("audience", "x"), SetAuthURLParam("audience", "y"),
		AccessTypeOffline, ApprovalForce, WithState("ignored"), S256ChallengeOption("ignored")}
	for _, tt := range tokenCalls {
		t.Run(tt.name, func(t *testing.T) {
			p := newProvider(t)
			var hooked []string
			p.cfg.Hooks.TokenRequest = func(r *http.Request) error {
				b, err := r.GetBody()
				if err != nil {
					return err
				}
				body, _ := io.ReadAll(b)
				hooked = append(hooked, string(body))
				return nil
			}
			call := tt.prepare(t, p)
			got := p.sent(t, tt.name, func() error { return call(opts...) })
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
			if tt.name != "DeviceAuth" {
				last, _ := url.ParseQuery(hooked[len(hooked)-1])
				if diff := cmp.Diff(got, last); diff != "" {
					t.Errorf("Hooks.TokenRequest saw another body than the one sent (-sent +hooked):\n%s", diff)
				}
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
			p := newProvider(t)
			p.cfg.Params = params
			call := tt.prepare(t, p)
			got := p.sent(t, tt.name, func() error { return call(SetParam("resource", "https://c.example/")) })
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
		new  func(*provider) *Session
		want []string
	}{
		{"refresh", func(p *provider) *Session {
			at, rt := p.srv.OAuth2.IssueToken(p.cfg.ClientID, -time.Minute)
			return p.cfg.NewSession(&Token{AccessToken: at, RefreshToken: rt, Expiry: time.Unix(1, 0)})
		}, []string{"https://a.example/"}},
		{"renewal", func(p *provider) *Session {
			s := p.cfg.ClientCredentials(SetParam("resource", "https://s.example/"))
			at, _ := p.srv.OAuth2.IssueToken(p.cfg.ClientID, -time.Minute)
			s.SetToken(&Token{AccessToken: at, Expiry: time.Unix(1, 0)})
			return s
		}, []string{"https://a.example/", "https://s.example/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProvider(t)
			p.cfg.Params = url.Values{"resource": {"https://a.example/"}}
			s := tt.new(p)
			old := s.CachedToken().AccessToken
			got := p.sent(t, tt.name, func() error {
				tok, err := s.Token(context.Background())
				if err == nil && tok.AccessToken == old {
					t.Errorf("Token returned the expired token")
				}
				return err
			})
			if diff := cmp.Diff(tt.want, got["resource"]); diff != "" {
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
	l, err := cfg.NewLogin(context.Background(), SetParam("resource", "https://a.example/"), SetParam("resource", "https://b.example/"),
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
	if l, err := cfg.NewLogin(context.Background()); err != nil || l.Nonce != "" || mustQuery(t, l.URL).Has("nonce") {
		t.Errorf("login without openid = %v, %v; want no nonce", l, err)
	}
}

// SetAuthURLParam may replace the state or redirect_uri NewLogin sends:
// the Login records what the URL carries, so that the callback's state is
// checked against the state sent and the token request repeats the
// redirect_uri of the authorization request (RFC 6749 §4.1.3).
func TestNewLoginRecordsReplacedParams(t *testing.T) {
	cfg := &Config{ClientID: "c", Endpoint: Endpoint{AuthURL: "https://as.example/auth"}, RedirectURL: "https://app.example/cb"}
	l, err := cfg.NewLogin(context.Background(), SetAuthURLParam("state", "S2"),
		SetAuthURLParam("redirect_uri", "https://app.example/tenant/cb"))
	if err != nil {
		t.Fatal(err)
	}
	q := mustQuery(t, l.URL)
	got := [][2]string{{l.State, l.RedirectURL}, {q.Get("state"), q.Get("redirect_uri")}}
	want := [][2]string{{"S2", "https://app.example/tenant/cb"}, {"S2", "https://app.example/tenant/cb"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("login's and URL's state and redirect_uri (-want +got):\n%s", diff)
	}
}
