package oauth2_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
)

// TestCallbackIssuer runs logins against the fake provider with its
// RFC 9207 switches and checks that a callback naming another issuer, or
// none where the server always names one, is refused before any token
// request, through each of the three ways to complete a login.
func TestCallbackIssuer(t *testing.T) {
	tests := []struct {
		name     string
		attack   func(*fakeprovider.OAuth2)
		issuer   bool // Endpoint.Issuer set
		issParam bool // Endpoint.IssuerParameter set
		deny     bool // the provider answers access_denied
		wantErr  error
	}{
		{name: "right issuer", issuer: true, issParam: true},
		{name: "right issuer, no flag", issuer: true},
		{name: "wrong issuer", attack: wrongIss, issuer: true, issParam: true, wantErr: oauth2.ErrIssuerMismatch},
		{name: "wrong issuer, no flag", attack: wrongIss, issuer: true, wantErr: oauth2.ErrIssuerMismatch},
		{name: "wrong issuer on an error redirect", attack: wrongIss, issuer: true, deny: true, wantErr: oauth2.ErrIssuerMismatch},
		{name: "missing issuer", attack: omitIss, issuer: true, issParam: true, wantErr: oauth2.ErrMissingIssuer},
		{name: "missing issuer on an error redirect", attack: omitIss, issuer: true, issParam: true, deny: true, wantErr: oauth2.ErrMissingIssuer},
		{name: "missing issuer, server without the parameter", attack: omitIss, issuer: true},
		// Without an issuer to compare with, an iss is not checked.
		{name: "wrong issuer, issuer unknown", attack: wrongIss},
		{name: "right issuer on an error redirect", issuer: true, issParam: true, deny: true, wantErr: oauth2.ErrAccessDenied},
	}
	completions := []struct {
		name     string
		complete func(ctx context.Context, cfg *oauth2.Config, l *oauth2.Login, callback string) (*oauth2.Token, error)
	}{
		{"CompleteLoginURL", func(ctx context.Context, cfg *oauth2.Config, l *oauth2.Login, callback string) (*oauth2.Token, error) {
			return cfg.CompleteLoginURL(ctx, l, callback)
		}},
		{"CompleteLogin GET", func(ctx context.Context, cfg *oauth2.Config, l *oauth2.Login, callback string) (*oauth2.Token, error) {
			return cfg.CompleteLogin(ctx, l, httptest.NewRequest(http.MethodGet, callback, nil))
		}},
		{"CompleteLogin form_post", func(ctx context.Context, cfg *oauth2.Config, l *oauth2.Login, callback string) (*oauth2.Token, error) {
			u, err := url.Parse(callback)
			if err != nil {
				return nil, err
			}
			r := httptest.NewRequest(http.MethodPost, "/cb", strings.NewReader(u.RawQuery))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return cfg.CompleteLogin(ctx, l, r)
		}},
		{"CompleteLoginCode", func(ctx context.Context, cfg *oauth2.Config, l *oauth2.Login, callback string) (*oauth2.Token, error) {
			u, err := url.Parse(callback)
			if err != nil {
				return nil, err
			}
			q := u.Query()
			if q.Has("error") {
				// A front end passes an error on as the callback URL.
				return cfg.CompleteLoginURL(ctx, l, callback)
			}
			return cfg.CompleteLoginCode(ctx, l, q.Get("code"), q.Get("state"), oauth2.WithIssuer(q.Get("iss")))
		}},
	}
	for _, tt := range tests {
		for _, c := range completions {
			t.Run(tt.name+"/"+c.name, func(t *testing.T) {
				srv := newProvider(t)
				if tt.attack != nil {
					tt.attack(srv.OAuth2)
				}
				srv.OAuth2.DenyAuthorization = tt.deny
				cfg := clients(t, srv)["client_secret_basic"]
				if tt.issuer {
					cfg.Endpoint.Issuer = srv.URL + "/oauth2"
				}
				cfg.Endpoint.IssuerParameter = tt.issParam
				l, callback := login(t, cfg)
				if got, want := l.Issuer, cfg.Endpoint.Issuer; got != want {
					t.Errorf("Login.Issuer = %q, want %q", got, want)
				}
				before := srv.OAuth2.TokenRequests()
				tok, err := c.complete(context.Background(), cfg, l, callback)
				if tt.wantErr == nil {
					if err != nil || tok == nil || tok.AccessToken == "" {
						t.Fatalf("complete() = %v, %v; want a token", tok, err)
					}
					return
				}
				if !errors.Is(err, tt.wantErr) || tok != nil {
					t.Fatalf("complete() = %v, %v; want %v", tok, err, tt.wantErr)
				}
				if n := srv.OAuth2.TokenRequests(); n != before {
					t.Errorf("token endpoint called %d times, want none", n-before)
				}
			})
		}
	}
}

func wrongIss(o *fakeprovider.OAuth2) { o.WrongCallbackIssuer = true }
func omitIss(o *fakeprovider.OAuth2)  { o.OmitCallbackIssuer = true }

// TestCallbackIssuerCrafted checks callbacks no honest server sends: a
// repeated iss, an empty one, and a login without Issuer completed by a
// Config that knows the issuer. No request is made: each is refused, or
// reaches the code check, before any.
func TestCallbackIssuerCrafted(t *testing.T) {
	const iss = "https://as.example/tenant"
	tests := []struct {
		name     string
		login    oauth2.Login
		endpoint oauth2.Endpoint
		query    string
		wantErr  error
	}{
		{"repeated iss", oauth2.Login{Issuer: iss}, oauth2.Endpoint{}, "iss=" + iss + "&iss=" + iss, oauth2.ErrIssuerMismatch},
		{"repeated iss, issuer unknown", oauth2.Login{}, oauth2.Endpoint{}, "iss=" + iss + "&iss=https://b.example", oauth2.ErrIssuerMismatch},
		{"empty iss", oauth2.Login{Issuer: iss}, oauth2.Endpoint{}, "iss=", oauth2.ErrIssuerMismatch},
		{"iss differing in case", oauth2.Login{Issuer: iss}, oauth2.Endpoint{}, "iss=https://AS.example/tenant", oauth2.ErrIssuerMismatch},
		{"iss with a trailing slash", oauth2.Login{Issuer: iss}, oauth2.Endpoint{}, "iss=" + iss + "/", oauth2.ErrIssuerMismatch},
		{"login without issuer, endpoint's compared", oauth2.Login{}, oauth2.Endpoint{Issuer: iss}, "iss=https://b.example", oauth2.ErrIssuerMismatch},
		{"login's issuer wins over the endpoint's", oauth2.Login{Issuer: iss}, oauth2.Endpoint{Issuer: "https://b.example"}, "iss=" + iss, oauth2.ErrMissingCode},
		{"flag, no iss", oauth2.Login{Issuer: iss}, oauth2.Endpoint{Issuer: iss, IssuerParameter: true}, "", oauth2.ErrMissingIssuer},
		{"flag, right iss", oauth2.Login{Issuer: iss}, oauth2.Endpoint{Issuer: iss, IssuerParameter: true}, "iss=" + url.QueryEscape(iss), oauth2.ErrMissingCode},
		{"no flag, no iss", oauth2.Login{Issuer: iss}, oauth2.Endpoint{Issuer: iss}, "", oauth2.ErrMissingCode},
		{"wrong iss in an implicit login's fragment", oauth2.Login{Issuer: iss, ResponseType: "token"}, oauth2.Endpoint{}, "#access_token=at&iss=https://b.example", oauth2.ErrIssuerMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &oauth2.Config{ClientID: "id", Endpoint: tt.endpoint,
				HTTPClient: &http.Client{Transport: rtFunc(func(*http.Request) (*http.Response, error) {
					t.Error("a request was made")
					return nil, errors.New("no request expected")
				})}}
			l := tt.login
			l.State = "st"
			cb := "http://127.0.0.1/cb?state=st&" + tt.query
			if l.ResponseType == "token" {
				cb = "http://127.0.0.1/cb" + strings.Replace(tt.query, "#", "#state=st&", 1)
			}
			_, err := cfg.CompleteLoginURL(context.Background(), &l, cb)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("CompleteLoginURL() error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// TestNewLoginIssuerAndNonce checks what NewLogin records for the checks
// of the callback and the ID token: the endpoint's issuer, and the nonce
// the URL carries.
func TestNewLoginIssuerAndNonce(t *testing.T) {
	tests := []struct {
		name      string
		scopes    []string
		opts      []oauth2.Option
		wantNonce string // "" none; "random" 22 base64url characters
	}{
		{"openid", []string{"openid", "email"}, nil, "random"},
		{"not openid", []string{"email"}, nil, ""},
		{"nonce chosen", []string{"openid"}, []oauth2.Option{oauth2.SetAuthURLParam("nonce", "n-0S6_WzA2Mj")}, "n-0S6_WzA2Mj"},
		{"nonce chosen without openid", nil, []oauth2.Option{oauth2.SetAuthURLParam("nonce", "n-0S6_WzA2Mj")}, "n-0S6_WzA2Mj"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &oauth2.Config{ClientID: "id", Scopes: tt.scopes,
				Endpoint: oauth2.Endpoint{AuthURL: "https://as.example/authorize", Issuer: "https://as.example"}}
			l, err := cfg.NewLogin(context.Background(), tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(l.URL)
			if err != nil {
				t.Fatal(err)
			}
			sent := u.Query()["nonce"]
			switch {
			case tt.wantNonce == "random":
				if len(l.Nonce) != 22 {
					t.Errorf("Login.Nonce has %d characters, want 22 (128 bits, base64url)", len(l.Nonce))
				}
			default:
				if l.Nonce != tt.wantNonce {
					t.Errorf("Login.Nonce = %q, want %q", l.Nonce, tt.wantNonce)
				}
			}
			var want []string
			if l.Nonce != "" {
				want = []string{l.Nonce}
			}
			if diff := cmp.Diff(want, sent); diff != "" {
				t.Errorf("nonce sent mismatch (-want +got):\n%s", diff)
			}
			if l.Issuer != "https://as.example" {
				t.Errorf("Login.Issuer = %q, want the endpoint's", l.Issuer)
			}
		})
	}
}

// FuzzCallbackIssuer completes a login with arbitrary callback queries
// and checks the RFC 9207 invariant: the token endpoint is asked only when
// the callback, read by net/url, carries the login's state and exactly
// one iss that is the login's issuer, or none when the server does not
// promise one.
func FuzzCallbackIssuer(f *testing.F) {
	const iss = "https://as.example/tenant"
	for _, q := range []string{
		"state=st&code=c&iss=" + url.QueryEscape(iss),
		"state=st&code=c&iss=" + iss,
		"state=st&code=c",
		"state=st&code=c&iss=" + iss + "&iss=" + iss,
		"state=st&code=c&iss=https://b.example",
		"state=st&error=access_denied&iss=x",
		"state=st&code=c&iss=",
		"state=st&code=c&ISS=" + iss,
		"state=st&code=c&i%73s=" + iss,
		"state=st&code=c&iss=https%3A%2F%2Fas.example%2Ftenant%00",
	} {
		f.Add(q, false)
		f.Add(q, true)
	}
	f.Fuzz(func(t *testing.T, query string, flag bool) {
		called := false
		cfg := &oauth2.Config{ClientID: "id",
			Endpoint: oauth2.Endpoint{TokenURL: "https://as.example/token", Issuer: iss, IssuerParameter: flag},
			HTTPClient: &http.Client{Transport: rtFunc(func(*http.Request) (*http.Response, error) {
				called = true
				return nil, errors.New("stop")
			})}}
		l := &oauth2.Login{State: "st", Issuer: iss, ResponseType: "code"}
		_, err := cfg.CompleteLoginURL(context.Background(), l, "https://app.example/cb?"+query)
		// The callback's query as net/url reads the URL: a '#' starts the
		// fragment, which a code callback does not read.
		u, perr := url.Parse("https://app.example/cb?" + query)
		if perr != nil {
			return
		}
		q, perr := url.ParseQuery(u.RawQuery)
		if perr != nil {
			return // net/url reads it otherwise: nothing to compare with
		}
		got := q["iss"]
		issOK := len(got) == 1 && got[0] == iss || len(got) == 0 && !flag
		if called && !issOK {
			t.Fatalf("token request made for a callback with iss %q (IssuerParameter %t)", got, flag)
		}
		if q.Get("state") == "st" && !issOK && !errors.Is(err, oauth2.ErrIssuerMismatch) && !errors.Is(err, oauth2.ErrMissingIssuer) &&
			!errors.Is(err, oauth2.ErrMalformedCallback) && !errors.Is(err, oauth2.ErrStateMismatch) {
			t.Fatalf("callback with iss %q (IssuerParameter %t): error %v, want an issuer error", got, flag, err)
		}
	})
}
