package oidc_test

// Resource leaks: every response body the package is handed is closed,
// whatever a hostile or broken provider answers, by a caller's fetch and
// by one that outlives its caller.

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthkit/oauth/internal/leaktest"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oidc"
)

const leakIssuer = "https://op.example"

const leakDoc = `{"issuer":"https://op.example","authorization_endpoint":"https://op.example/auth",` +
	`"token_endpoint":"https://op.example/token","jwks_uri":"https://op.example/jwks",` +
	`"userinfo_endpoint":"https://op.example/userinfo","response_types_supported":["code"],` +
	`"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"],` +
	`"keys":[],"sub":"s","access_token":"at2","token_type":"Bearer","expires_in":3600}`

var leakOutcomes = []struct {
	name  string
	reply leaktest.Reply
}{
	{"ok", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: leakDoc}},
	{"malformed JSON", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: `{"issuer":`}},
	{"oversized", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: `{"x":"` + strings.Repeat("a", 8<<10) + `"}`}},
	{"wrong type", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "text/html"}, Body: `<html>hello</html>`}},
	{"jwt type", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/jwt"}, Body: `a.b.c`}},
	{"redirect same origin", leaktest.Reply{Status: 302, Header: map[string]string{"Location": "https://op.example/moved"}, Body: `moved`}},
	{"redirect elsewhere", leaktest.Reply{Status: 302, Header: map[string]string{"Location": "https://elsewhere.example/x"}, Body: `moved`}},
	{"redirect bad location", leaktest.Reply{Status: 307, Header: map[string]string{"Location": "%zz://\x7f"}, Body: `moved`}},
	{"401 bearer", leaktest.Reply{Status: 401, Header: map[string]string{"WWW-Authenticate": `Bearer error="invalid_token"`}, Body: `{"error":"invalid_token"}`}},
	{"500 empty", leaktest.Reply{Status: 500}},
	{"read error", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: `{"issuer":"h`, Mode: leaktest.ReadErr}},
	{"cancel midway", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: `{"issuer":"h`, Mode: leaktest.Cancel}},
	{"cancel midway 401", leaktest.Reply{Status: 401, Header: map[string]string{"WWW-Authenticate": `Bearer error="invalid_token"`}, Body: `{"e`, Mode: leaktest.Cancel}},
}

func TestLeakResponseBodies(t *testing.T) {
	now := time.Unix(1700000000, 0)
	b64 := base64.RawURLEncoding.EncodeToString
	jwt := b64([]byte(`{"alg":"RS256","kid":"k1"}`)) + "." + b64([]byte(`{"iss":"https://op.example"}`)) + "." + b64([]byte("sig"))
	newProvider := func(tb testing.TB, opts *oidc.Options) *oidc.Provider {
		p, err := oidc.NewProvider(context.Background(), leakIssuer, opts)
		if err != nil {
			tb.Fatal(err)
		}
		return p
	}
	entries := []struct {
		name   string
		target string
		call   func(ctx context.Context, tb testing.TB, opts *oidc.Options, arm func()) error
	}{
		{"NewProvider", "/.well-known/openid-configuration", func(ctx context.Context, tb testing.TB, opts *oidc.Options, arm func()) error {
			arm()
			_, err := oidc.NewProvider(ctx, leakIssuer, opts)
			return err
		}},
		{"Provider.Refresh", "/.well-known/openid-configuration", func(ctx context.Context, tb testing.TB, opts *oidc.Options, arm func()) error {
			p := newProvider(tb, opts)
			arm()
			_, err := p.Refresh(ctx)
			return err
		}},
		{"JWKS", "/jwks", func(ctx context.Context, tb testing.TB, opts *oidc.Options, arm func()) error {
			arm()
			_, err := oidc.NewRemoteKeySet(leakIssuer+"/jwks", opts).VerifySignature(ctx, jwt)
			return err
		}},
		{"UserInfo static", "/userinfo", func(ctx context.Context, tb testing.TB, opts *oidc.Options, arm func()) error {
			p := newProvider(tb, opts)
			arm()
			_, err := p.UserInfo(ctx, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "at1"}), "s")
			return err
		}},
		{"UserInfo session", "/userinfo", func(ctx context.Context, tb testing.TB, opts *oidc.Options, arm func()) error {
			p := newProvider(tb, opts)
			cfg := &oauth2.Config{ClientID: "id", ClientSecret: "secret", Endpoint: p.Endpoint(), HTTPClient: opts.HTTPClient,
				Now: func() time.Time { return now }}
			s := cfg.NewSession(&oauth2.Token{AccessToken: "at1", TokenType: "Bearer", RefreshToken: "rt1", Expiry: now.Add(time.Hour)})
			arm()
			_, err := p.UserInfo(ctx, s, "s")
			return err
		}},
	}
	for _, e := range entries {
		for _, o := range leakOutcomes {
			t.Run(e.name+"/"+o.name, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				rt := &leaktest.RoundTripper{Cancel: cancel, Release: make(chan struct{})}
				var armed atomic.Bool // the outcome goes to the request of the call, not the setup's
				var hits atomic.Int32
				rt.Reply = func(_ int, req *http.Request) leaktest.Reply {
					if armed.Load() && req.URL.Path == e.target && hits.Add(1) == 1 {
						return o.reply
					}
					return leakOutcomes[0].reply
				}
				opts := &oidc.Options{HTTPClient: &http.Client{Transport: rt}, MaxBodyBytes: 4 << 10,
					Now: func() time.Time { return now }}
				err := e.call(ctx, t, opts, func() { armed.Store(true) })
				close(rt.Release)
				if open, total := rt.Open(); open != 0 {
					t.Errorf("%d of %d response bodies left open (err %v)", open, total, err)
				}
			})
		}
	}
}
