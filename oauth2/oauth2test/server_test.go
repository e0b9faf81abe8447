package oauth2test_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
)

// config returns a Config of client id (and secret) for srv.
func config(srv *oauth2test.Server, id, secret string) *oauth2.Config {
	return &oauth2.Config{ClientID: id, ClientSecret: secret, Endpoint: srv.Endpoint(), HTTPClient: srv.Client(),
		RedirectURL: "http://127.0.0.1/callback", Scopes: []string{"openid"}}
}

// get calls u with c and decodes its JSON answer into v.
func get(t *testing.T, c *http.Client, u string, v any) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s %s", u, resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

// Authorize, AuthorizeAs and CallbackRequest play the browser in every
// response mode, for the default user or another, on HTTP and HTTPS.
func TestBrowserStep(t *testing.T) {
	tests := []struct {
		name     string
		tls      bool
		opts     []oauth2.Option
		as       string // AuthorizeAs this user
		callback bool   // CallbackRequest instead of Authorize
		wantUser string
		wantPost bool
	}{
		{name: "Authorize", wantUser: oauth2test.Username},
		{name: "Authorize TLS", tls: true, wantUser: oauth2test.Username},
		{name: "Authorize login_hint", opts: []oauth2.Option{oauth2.SetAuthURLParam("login_hint", "bob")}, wantUser: "bob"},
		{name: "AuthorizeAs", as: "bob", wantUser: "bob"},
		{name: "AuthorizeAs over login_hint", as: "bob", opts: []oauth2.Option{oauth2.SetAuthURLParam("login_hint", oauth2test.Username)}, wantUser: "bob"},
		{name: "Authorize implicit", opts: []oauth2.Option{oauth2.ImplicitFlow}, wantUser: oauth2test.Username},
		{name: "CallbackRequest", callback: true, wantUser: oauth2test.Username},
		{name: "CallbackRequest form_post", callback: true, opts: []oauth2.Option{oauth2.SetAuthURLParam("response_mode", "form_post")},
			wantUser: oauth2test.Username, wantPost: true},
		{name: "CallbackRequest form_post TLS", tls: true, callback: true, opts: []oauth2.Option{oauth2.SetAuthURLParam("response_mode", "form_post")},
			wantUser: oauth2test.Username, wantPost: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := oauth2test.NewServer(t)
			if tt.tls {
				srv = oauth2test.NewTLSServer(t)
			}
			srv.Users["bob"] = "pw"
			cfg := config(srv, oauth2test.PublicClientID, "")
			login, err := cfg.NewLogin(context.Background(), tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			var tok *oauth2.Token
			switch {
			case tt.callback:
				r := srv.CallbackRequest(t, login.URL)
				if got := r.Method == http.MethodPost; got != tt.wantPost {
					t.Errorf("callback %s, want POST %v", r.Method, tt.wantPost)
				}
				tok, err = cfg.CompleteLogin(ctx, login, r)
			case tt.as != "":
				tok, err = cfg.CompleteLoginURL(ctx, login, srv.AuthorizeAs(t, login.URL, tt.as))
			default:
				tok, err = cfg.CompleteLoginURL(ctx, login, srv.Authorize(t, login.URL))
			}
			if err != nil {
				t.Fatal(err)
			}
			var echo oauth2test.Echo
			get(t, cfg.NewSession(tok).Client(), srv.ResourceURL(), &echo)
			if echo.Username != tt.wantUser || echo.ClientID != oauth2test.PublicClientID {
				t.Errorf("resource echo %+v, want user %s of %s", echo, tt.wantUser, oauth2test.PublicClientID)
			}
		})
	}
}

// An error the server redirects with is returned as a callback, for the
// code under test to handle.
func TestBrowserStepErrors(t *testing.T) {
	srv := oauth2test.NewServer(t)
	cfg := config(srv, oauth2test.ClientID, oauth2test.ClientSecret)
	login, err := cfg.NewLogin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfg.CompleteLoginURL(context.Background(), login, srv.AuthorizeAs(t, login.URL, "nobody"))
	if !errors.Is(err, oauth2.ErrAccessDenied) {
		t.Errorf("unknown user: err = %v, want ErrAccessDenied", err)
	}
}

// What the server does not redirect fails the test, or panics without one.
func TestBrowserStepFailures(t *testing.T) {
	srv := oauth2test.NewServer(nil)
	defer srv.Close()
	good := config(srv, oauth2test.ClientID, oauth2test.ClientSecret)
	unknown := config(srv, "nobody", "")
	formPost := func() string {
		l, _ := good.NewLogin(context.Background(), oauth2.SetAuthURLParam("response_mode", "form_post"))
		return l.URL
	}
	implicit := func() string {
		l, _ := config(srv, oauth2test.PublicClientID, "").NewLogin(context.Background(), oauth2.ImplicitFlow)
		return l.URL
	}
	unknownURL := func() string {
		l, _ := unknown.NewLogin(context.Background())
		return l.URL
	}
	tests := []struct {
		name string
		call func()
		want string // in the panic message
	}{
		{"Authorize unknown client", func() { srv.Authorize(nil, unknownURL()) }, "400 Bad Request"},
		{"Authorize form_post", func() { srv.Authorize(nil, formPost()) }, "use CallbackRequest"},
		{"CallbackRequest unknown client", func() { srv.CallbackRequest(nil, unknownURL()) }, "400 Bad Request"},
		{"CallbackRequest implicit", func() { srv.CallbackRequest(nil, implicit()) }, "use Authorize"},
		{"Authorize malformed URL", func() { srv.Authorize(nil, "http://[::1") }, "oauth2test: "},
		{"Authorize closed server", func() {
			other := oauth2test.NewServer(nil)
			other.Close()
			srv.Authorize(nil, other.Endpoint().AuthURL)
		}, "oauth2test: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, tt.want) {
					t.Errorf("panic %q, want one containing %q", msg, tt.want)
				}
			}()
			tt.call()
		})
	}
}

// The URL methods name the endpoints the OpenID provider's metadata lists.
func TestURLs(t *testing.T) {
	srv := oauth2test.NewServer(t)
	var meta map[string]any
	get(t, srv.Client(), srv.IssuerURL()+"/.well-known/openid-configuration", &meta)
	ep := srv.Endpoint()
	want := map[string]any{
		"issuer":                                srv.IssuerURL(),
		"authorization_endpoint":                ep.AuthURL,
		"token_endpoint":                        ep.TokenURL,
		"device_authorization_endpoint":         ep.DeviceAuthURL,
		"revocation_endpoint":                   ep.RevocationURL,
		"introspection_endpoint":                ep.IntrospectionURL,
		"userinfo_endpoint":                     srv.UserInfoURL(),
		"jwks_uri":                              srv.JWKSURL(),
		"pushed_authorization_request_endpoint": srv.PushedAuthURL(),
	}
	got := map[string]any{}
	for k := range want {
		got[k] = meta[k]
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metadata mismatch (-want +got):\n%s", diff)
	}
	if u, err := url.Parse(srv.URL); err != nil || u.Hostname() != "127.0.0.1" || strings.HasSuffix(srv.URL, "/") {
		t.Errorf("URL = %q, want http://127.0.0.1:port", srv.URL)
	}
	srv.Issuer = "https://issuer.example/"
	if got := srv.IssuerURL(); got != "https://issuer.example/" {
		t.Errorf("IssuerURL with Issuer set = %q", got)
	}
}

// A server started with a t is closed when the test ends.
func TestClosedWithTheTest(t *testing.T) {
	var srv *oauth2test.Server
	t.Run("inner", func(t *testing.T) { srv = oauth2test.NewServer(t) })
	if _, err := srv.Client().Get(srv.ResourceURL()); err == nil {
		t.Error("the server still answers after its test ended")
	}
}
