package oauth2_test

// Resource leaks: every response body the package is handed is closed
// (but the one a resource request returns, which is the caller's), and
// the caller's request body is closed as net/http's RoundTripper
// contract demands, whatever a hostile or broken server answers.

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthkit/oauth/internal/leaktest"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/dpop"
)

const leakTokenJSON = `{"access_token":"at2","token_type":"Bearer","expires_in":3600,"refresh_token":"rt2",` +
	`"device_code":"dc","user_code":"UC","verification_uri":"https://as.example/device","interval":1,` +
	`"active":true,"request_uri":"urn:ietf:params:oauth:request_uri:x","scope":"s"}`

// leakOutcomes are the answers of a hostile or broken server.
var leakOutcomes = []struct {
	name  string
	reply leaktest.Reply
}{
	{"ok", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: leakTokenJSON}},
	{"malformed JSON", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: `{"access_token":`}},
	{"malformed form", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Body: `access_token=%zz&&=`}},
	{"oversized", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: `{"x":"` + strings.Repeat("a", 8<<10) + `"}`}},
	{"wrong type", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "text/html"}, Body: `<html>hello</html>`}},
	{"redirect", leaktest.Reply{Status: 302, Header: map[string]string{"Location": "https://elsewhere.example/x"}, Body: `moved`}},
	{"redirect bad location", leaktest.Reply{Status: 307, Header: map[string]string{"Location": "%zz://\x7f"}, Body: `moved`}},
	{"401 bearer", leaktest.Reply{Status: 401, Header: map[string]string{"WWW-Authenticate": `Bearer error="invalid_token"`, "Content-Type": "application/json"}, Body: `{"error":"invalid_client"}`}},
	{"401 dpop nonce", leaktest.Reply{Status: 401, Header: map[string]string{"WWW-Authenticate": `DPoP error="use_dpop_nonce"`, "DPoP-Nonce": "n1"}, Body: `{"error":"use_dpop_nonce"}`}},
	{"400 dpop nonce", leaktest.Reply{Status: 400, Header: map[string]string{"DPoP-Nonce": "n1", "Content-Type": "application/json"}, Body: `{"error":"use_dpop_nonce"}`}},
	{"400 body", leaktest.Reply{Status: 400, Header: map[string]string{"Content-Type": "application/json"}, Body: `{"error":"invalid_grant"}`}},
	{"500 empty", leaktest.Reply{Status: 500}},
	{"503 retry", leaktest.Reply{Status: 503, Header: map[string]string{"Retry-After": "7"}, Body: `busy`}},
	{"read error", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: `{"access_token":"a`, Mode: leaktest.ReadErr}},
	{"read error 401", leaktest.Reply{Status: 401, Header: map[string]string{"WWW-Authenticate": `Bearer error="invalid_token"`}, Body: `{"err`, Mode: leaktest.ReadErr}},
	{"cancel midway", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: `{"access_token":"a`, Mode: leaktest.Cancel}},
	{"cancel midway 401", leaktest.Reply{Status: 401, Header: map[string]string{"WWW-Authenticate": `Bearer error="invalid_token"`}, Body: `{"err`, Mode: leaktest.Cancel}},
}

var leakOK = leakOutcomes[0].reply

// leakEntry is one entry point of the package: it calls it with cfg and
// returns the response it hands the caller, if any, which the test
// closes.
type leakEntry struct {
	name string
	// target is the path that gets the outcome; the others answer ok.
	target string
	dpop   bool
	call   func(ctx context.Context, tb testing.TB, cfg *oauth2.Config) (*http.Response, *leaktest.ReqBody, error)
}

func leakEntries() []leakEntry {
	expired := func() *oauth2.Token {
		return &oauth2.Token{AccessToken: "at1", TokenType: "Bearer", RefreshToken: "rt1", Expiry: time.Unix(1, 0)}
	}
	valid := func() *oauth2.Token {
		return &oauth2.Token{AccessToken: "at1", TokenType: "Bearer", RefreshToken: "rt1", Expiry: leakNow.Add(time.Hour)}
	}
	resource := func(method string, body bool, idem bool) func(ctx context.Context, tb testing.TB, cfg *oauth2.Config) (*http.Response, *leaktest.ReqBody, error) {
		return func(ctx context.Context, tb testing.TB, cfg *oauth2.Config) (*http.Response, *leaktest.ReqBody, error) {
			tok := valid()
			if cfg.DPoP != nil {
				tok.TokenType, tok.DPoPJKT = "DPoP", cfg.DPoP.Thumbprint()
			}
			s := cfg.NewSession(tok)
			req, err := http.NewRequestWithContext(ctx, method, "https://api.example/resource", nil)
			if err != nil {
				tb.Fatal(err)
			}
			var rb *leaktest.ReqBody
			if body {
				const form = "a=1&b=2"
				rb = &leaktest.ReqBody{Reader: strings.NewReader(form)}
				req.Body = rb
				req.ContentLength = int64(len(form))
				req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(form)), nil }
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if idem {
				req.Header.Set("Idempotency-Key", "k1")
			}
			resp, err := s.Client().Do(req)
			return resp, rb, err
		}
	}
	return []leakEntry{
		{name: "Exchange", target: "/token", call: func(ctx context.Context, tb testing.TB, cfg *oauth2.Config) (*http.Response, *leaktest.ReqBody, error) {
			_, err := cfg.Exchange(ctx, "code")
			return nil, nil, err
		}},
		{name: "Exchange DPoP", target: "/token", dpop: true, call: func(ctx context.Context, tb testing.TB, cfg *oauth2.Config) (*http.Response, *leaktest.ReqBody, error) {
			_, err := cfg.Exchange(ctx, "code")
			return nil, nil, err
		}},
		{name: "PasswordCredentialsToken", target: "/token", call: func(ctx context.Context, tb testing.TB, cfg *oauth2.Config) (*http.Response, *leaktest.ReqBody, error) {
			_, err := cfg.PasswordCredentialsToken(ctx, "u", "p")
			return nil, nil, err
		}},
		{name: "ClientCredentials", target: "/token", call: func(ctx context.Context, tb testing.TB, cfg *oauth2.Config) (*http.Response, *leaktest.ReqBody, error) {
			_, err := cfg.ClientCredentials().Token(ctx)
			return nil, nil, err
		}},
		{name: "DeviceAuth", target: "/device", call: func(ctx context.Context, tb testing.TB, cfg *oauth2.Config) (*http.Response, *leaktest.ReqBody, error) {
			_, err := cfg.DeviceAuth(ctx)
			return nil, nil, err
		}},
		{name: "DeviceAccessToken", target: "/token", call: func(ctx context.Context, tb testing.TB, cfg *oauth2.Config) (*http.Response, *leaktest.ReqBody, error) {
			da := &oauth2.DeviceAuthResponse{DeviceCode: "dc", UserCode: "UC", VerificationURI: "https://as.example/device",
				Interval: 5, Expiry: leakNow.Add(time.Minute)}
			_, err := cfg.DeviceAccessToken(ctx, da)
			return nil, nil, err
		}},
		{name: "Session.Token refresh", target: "/token", call: func(ctx context.Context, tb testing.TB, cfg *oauth2.Config) (*http.Response, *leaktest.ReqBody, error) {
			_, err := cfg.NewSession(expired()).Token(ctx)
			return nil, nil, err
		}},
		{name: "Session.Refresh DPoP", target: "/token", dpop: true, call: func(ctx context.Context, tb testing.TB, cfg *oauth2.Config) (*http.Response, *leaktest.ReqBody, error) {
			_, err := cfg.NewSession(expired()).Refresh(ctx)
			return nil, nil, err
		}},
		{name: "RevokeToken", target: "/revoke", call: func(ctx context.Context, tb testing.TB, cfg *oauth2.Config) (*http.Response, *leaktest.ReqBody, error) {
			return nil, nil, cfg.RevokeToken(ctx, "at1", "")
		}},
		{name: "Session.Introspect", target: "/introspect", call: func(ctx context.Context, tb testing.TB, cfg *oauth2.Config) (*http.Response, *leaktest.ReqBody, error) {
			_, err := cfg.NewSession(valid()).Introspect(ctx, "")
			return nil, nil, err
		}},
		{name: "NewLogin PAR", target: "/par", dpop: true, call: func(ctx context.Context, tb testing.TB, cfg *oauth2.Config) (*http.Response, *leaktest.ReqBody, error) {
			_, err := cfg.NewLogin(ctx, oauth2.PushedAuthorization)
			return nil, nil, err
		}},
		{name: "CompleteLoginCode", target: "/token", call: func(ctx context.Context, tb testing.TB, cfg *oauth2.Config) (*http.Response, *leaktest.ReqBody, error) {
			l, err := cfg.NewLogin(ctx)
			if err != nil {
				tb.Fatal(err)
			}
			_, err = cfg.CompleteLoginCode(ctx, l, "code", l.State)
			return nil, nil, err
		}},
		{name: "Client GET", target: "/resource", call: resource(http.MethodGet, false, false)},
		{name: "Client GET DPoP", target: "/resource", dpop: true, call: resource(http.MethodGet, false, false)},
		{name: "Client POST body", target: "/resource", call: resource(http.MethodPost, true, true)},
		{name: "Client POST body DPoP", target: "/resource", dpop: true, call: resource(http.MethodPost, true, false)},
	}
}

var leakNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// leakConfig returns a Config whose requests go to rt, on a clock that
// the device flow's waits advance.
func leakConfig(tb testing.TB, rt *leaktest.RoundTripper, withDPoP bool) *oauth2.Config {
	tb.Helper()
	var mu sync.Mutex
	now := leakNow
	cfg := &oauth2.Config{
		ClientID: "id", ClientSecret: "secret", AuthMethod: oauth2.AuthAutoDetect,
		RedirectURL: "https://app.example/cb",
		Endpoint: oauth2.Endpoint{AuthURL: "https://as.example/auth", TokenURL: "https://as.example/token",
			DeviceAuthURL: "https://as.example/device", RevocationURL: "https://as.example/revoke",
			IntrospectionURL: "https://as.example/introspect", PushedAuthURL: "https://as.example/par"},
		HTTPClient:   &http.Client{Transport: rt},
		MaxBodyBytes: 4 << 10,
		Now: func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			return now
		},
		Sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			now = now.Add(d)
			mu.Unlock()
			return ctx.Err()
		},
	}
	if withDPoP {
		key, err := dpop.GenerateKey()
		if err != nil {
			tb.Fatal(err)
		}
		cfg.DPoP = key
	}
	return cfg
}

func TestLeakResponseBodies(t *testing.T) {
	for _, e := range leakEntries() {
		for _, o := range leakOutcomes {
			for _, always := range []bool{false, true} {
				name := e.name + "/" + o.name + "/first"
				if always {
					name = e.name + "/" + o.name + "/always"
				}
				t.Run(name, func(t *testing.T) {
					ctx, cancel := context.WithCancel(context.Background())
					defer cancel()
					rt := &leaktest.RoundTripper{Cancel: cancel, Release: make(chan struct{})}
					var hits atomic.Int32
					rt.Reply = func(_ int, req *http.Request) leaktest.Reply {
						if req.URL.Path == e.target && (always || hits.Add(1) == 1) {
							return o.reply
						}
						if req.URL.Host != "as.example" && req.URL.Host != "api.example" {
							return leaktest.Reply{Status: 200, Body: "elsewhere"}
						}
						return leakOK
					}
					cfg := leakConfig(t, rt, e.dpop)
					resp, rb, err := e.call(ctx, t, cfg)
					close(rt.Release) // a refresh outliving its caller ends its wait
					rt.Check(t, resp, rb, err)
				})
			}
		}
	}
}

// failingDPoP is a DPoP key whose proofs fail.
type failingDPoP struct{}

func (failingDPoP) Proof(string, string, string, string, time.Time) (string, error) {
	return "", errors.New("leaktest: no proof")
}
func (failingDPoP) Thumbprint() string { return "jkt" }

// TestLeakHookBodies: a hook that replaces a request's body hands the
// package a body to close, and the caller's body it replaced is the
// caller's still, which a RoundTripper closes on every path.
func TestLeakHookBodies(t *testing.T) {
	type hookCase struct {
		name string
		// setBody replaces the request's body with hb (nil: sets none),
		// closing the one it replaces, as Hooks.ProtectedRequest's doc
		// asks; keep leaves the body alone.
		setBody, keep bool
		// insecure sends the request to a plain http host after.
		insecure bool
		// fail makes the hook return an error.
		fail bool
	}
	cases := []hookCase{
		{name: "replaces body", setBody: true},
		{name: "replaces body, fails", setBody: true, fail: true},
		{name: "replaces body, plain http", setBody: true, insecure: true},
		{name: "drops body", setBody: false},
		{name: "drops body, plain http", setBody: false, insecure: true},
		{name: "keeps body", keep: true},
		{name: "keeps body, fails", keep: true, fail: true},
		{name: "keeps body, plain http", keep: true, insecure: true},
	}
	hook := func(hc hookCase, hb *leaktest.ReqBody) func(req *http.Request) error {
		return func(req *http.Request) error {
			switch {
			case hc.keep:
			case hc.setBody:
				req.Body.Close() // the hook owns the body it replaces
				req.Body, req.ContentLength = hb, 3
				req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("x=1")), nil }
			default:
				req.Body.Close()
				req.Body, req.GetBody, req.ContentLength = nil, nil, 0
			}
			if hc.insecure {
				req.URL.Scheme, req.URL.Host = "http", "plain.example"
			}
			if hc.fail {
				return errors.New("leaktest: hook refuses")
			}
			return nil
		}
	}
	for _, hc := range cases {
		for _, kind := range []string{"ProtectedRequest", "ProtectedRequest DPoP", "ProtectedRequest failing proof", "TokenRequest", "EndpointRequest"} {
			t.Run(kind+"/"+hc.name, func(t *testing.T) {
				rt := &leaktest.RoundTripper{Cancel: func() {}, Release: make(chan struct{})}
				rt.Reply = func(int, *http.Request) leaktest.Reply { return leakOK }
				cfg := leakConfig(t, rt, strings.Contains(kind, "DPoP"))
				hb := &leaktest.ReqBody{Reader: strings.NewReader("x=1")}
				var rb *leaktest.ReqBody
				var err error
				switch kind {
				case "TokenRequest":
					cfg.Hooks.TokenRequest = hook(hc, hb)
					_, err = cfg.Exchange(context.Background(), "code")
				case "EndpointRequest":
					cfg.Hooks.EndpointRequest = hook(hc, hb)
					err = cfg.RevokeToken(context.Background(), "at1", "")
				default:
					cfg.Hooks.ProtectedRequest = hook(hc, hb)
					tok := &oauth2.Token{AccessToken: "at1", TokenType: "Bearer", Expiry: leakNow.Add(time.Hour)}
					if kind == "ProtectedRequest failing proof" {
						cfg.DPoP = failingDPoP{}
					}
					if cfg.DPoP != nil {
						tok.TokenType, tok.DPoPJKT = "DPoP", cfg.DPoP.Thumbprint()
					}
					rb = &leaktest.ReqBody{Reader: strings.NewReader("a=1")}
					req, rerr := http.NewRequest(http.MethodPost, "https://api.example/resource", rb)
					if rerr != nil {
						t.Fatal(rerr)
					}
					var resp *http.Response
					resp, err = cfg.NewSession(tok).Client().Do(req)
					if resp != nil {
						resp.Body.Close()
					}
				}
				if hc.setBody && !hb.Closed() {
					t.Errorf("the hook's body was not closed (err %v)", err)
				}
				if rb != nil && !rb.Closed() {
					t.Errorf("the caller's body was not closed (err %v)", err)
				}
				if open, total := rt.Open(); open != 0 {
					t.Errorf("%d of %d response bodies left open (err %v)", open, total, err)
				}
			})
		}
	}
}
