package oauth1_test

import (
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
	"github.com/oauthkit/oauth/oauth1"
)

type methodCase struct {
	name     string // consumer key registered with fakeprovider
	method   oauth1.SignatureMethod
	needsTLS bool
}

func methodCases() []methodCase {
	key := fakeprovider.OAuth1RSAPrivateKey()
	return []methodCase{
		{"hmac-sha1", oauth1.HMACSHA1, false},
		{"hmac-sha256", oauth1.HMACSHA256, false},
		{"hmac-sha512", oauth1.HMACSHA512, false},
		{"plaintext", oauth1.Plaintext, true},
		{"rsa-sha1", oauth1.RSASHA1(key), false},
		{"rsa-sha256", oauth1.RSASHA256(key), false},
		{"rsa-sha512", oauth1.RSASHA512(key), false},
	}
}

var placements = []oauth1.Placement{oauth1.InHeader, oauth1.InQuery, oauth1.InFormBody}

// fakePlacement names a placement as the fake provider's echo does.
var fakePlacement = map[oauth1.Placement]string{oauth1.InHeader: "header", oauth1.InQuery: "query", oauth1.InFormBody: "body"}

// newServer starts a fake provider, with TLS when asked, closed at cleanup.
func newServer(tb testing.TB, tls bool) *fakeprovider.Server {
	tb.Helper()
	var s *fakeprovider.Server
	if tls {
		s = fakeprovider.NewTLSServer()
	} else {
		s = fakeprovider.NewServer()
	}
	tb.Cleanup(s.Close)
	return s
}

func providerConfig(s *fakeprovider.Server, consumer string, m oauth1.SignatureMethod) *oauth1.Config {
	return &oauth1.Config{
		ConsumerKey:    consumer,
		ConsumerSecret: consumer + "-secret",
		Method:         m,
		CallbackURL:    "https://app.example/callback",
		HTTPClient:     s.Client(),
		Endpoint: oauth1.Endpoint{
			RequestTokenURL: s.URL + "/oauth1/request_token",
			AuthorizeURL:    s.URL + "/oauth1/authorize",
			AccessTokenURL:  s.URL + "/oauth1/access_token",
		},
	}
}

// authorize plays the user: it opens the authorization URL and returns
// where the provider sent the browser, or the oob verifier page.
func authorize(tb testing.TB, s *fakeprovider.Server, authURL string) (location, page string) {
	tb.Helper()
	hc := *s.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Get(authURL)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.Header.Get("Location"), strings.TrimSpace(string(b))
}

// dance runs the three-legged flow and returns the token credentials.
func dance(tb testing.TB, s *fakeprovider.Server, cfg *oauth1.Config) *oauth1.Token {
	tb.Helper()
	ctx := context.Background()
	rt, err := cfg.RequestToken(ctx)
	if err != nil {
		tb.Fatalf("RequestToken: %v", err)
	}
	authURL, err := cfg.AuthorizationURL(rt, url.Values{"force_login": {"true"}})
	if err != nil {
		tb.Fatal(err)
	}
	loc, page := authorize(tb, s, authURL)
	var verifier string
	if cfg.CallbackURL == "oob" {
		verifier = page
	} else {
		tok, v, err := oauth1.ParseAuthorizationResponse(loc)
		if err != nil {
			tb.Fatalf("ParseAuthorizationResponse(%q): %v", loc, err)
		}
		if tok != rt.Token {
			tb.Fatalf("callback token = %q, want %q", tok, rt.Token)
		}
		verifier = v
	}
	at, err := cfg.AccessToken(ctx, rt, verifier)
	if err != nil {
		tb.Fatalf("AccessToken: %v", err)
	}
	return at
}

func getEcho(tb testing.TB) func(resp *http.Response, err error) fakeprovider.OAuth1Echo {
	return func(resp *http.Response, err error) fakeprovider.OAuth1Echo {
		tb.Helper()
		return readEcho(tb, resp, err)
	}
}

func readEcho(tb testing.TB, resp *http.Response, err error) fakeprovider.OAuth1Echo {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if err := oauth1.CheckResponse(resp); err != nil {
		tb.Fatalf("resource: %v", err)
	}
	var e fakeprovider.OAuth1Echo
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		tb.Fatal(err)
	}
	return e
}

func TestEndToEnd(t *testing.T) {
	for _, mc := range methodCases() {
		for _, pl := range placements {
			t.Run(mc.name+"/"+pl.String(), func(t *testing.T) {
				s := newServer(t, mc.needsTLS)
				cfg := providerConfig(s, mc.name, mc.method)
				cfg.Placement = pl
				at := dance(t, s, cfg)
				if got := at.Extra("screen_name"); got != "fake_user" {
					t.Errorf(`Extra("screen_name") = %q, want "fake_user"`, got)
				}
				client := cfg.Client(at)

				// GET with repeated keys and an empty value.
				e := getEcho(t)(client.Get(s.URL + "/oauth1/resource?tag=a&tag=b&empty=&tag=a"))
				want := [][2]string{{"tag", "a"}, {"tag", "b"}, {"empty", ""}, {"tag", "a"}}
				if diff := cmp.Diff(want, e.Params); diff != "" {
					t.Errorf("GET params mismatch (-want +got):\n%s", diff)
				}
				if e.Signature != mc.method.Name() || e.Placement != fakePlacement[pl] || e.Token != at.Token {
					t.Errorf("echo = %+v, want method %s, placement %s", e, mc.method.Name(), pl)
				}

				// POST with a form body (charset parameter included).
				body := "status=Hello+Ladies+%2B+Gentlemen&x=1&x=2&e="
				req, _ := http.NewRequest(http.MethodPost, s.URL+"/oauth1/resource?q=%C3%A6", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
				e = getEcho(t)(client.Do(req))
				want = [][2]string{{"q", "æ"}, {"status", "Hello Ladies + Gentlemen"}, {"x", "1"}, {"x", "2"}, {"e", ""}}
				if diff := cmp.Diff(want, e.Params); diff != "" {
					t.Errorf("POST params mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestEndToEndVariants(t *testing.T) {
	t.Run("oob", func(t *testing.T) {
		s := newServer(t, false)
		cfg := providerConfig(s, "hmac-sha1", nil)
		cfg.CallbackURL = "oob"
		at := dance(t, s, cfg)
		getEcho(t)(cfg.Client(at).Get(s.URL + "/oauth1/resource"))
	})
	t.Run("json token responses", func(t *testing.T) {
		s := newServer(t, false)
		s.OAuth1.JSONResponses = true
		cfg := providerConfig(s, "hmac-sha256", oauth1.HMACSHA256)
		at := dance(t, s, cfg)
		if at.Extra("user_id") != "1234" || at.Extra("screen_name") != "fake_user" {
			t.Errorf("extras = %v, want user_id 1234 and screen_name fake_user", at.Extras())
		}
		getEcho(t)(cfg.Client(at).Get(s.URL + "/oauth1/resource"))
	})
	t.Run("realm and no version", func(t *testing.T) {
		s := newServer(t, false)
		cfg := providerConfig(s, "hmac-sha1", nil)
		cfg.Realm, cfg.OmitVersion = `Photos "R" Us`, true
		at := dance(t, s, cfg)
		e := getEcho(t)(cfg.Client(at).Get(s.URL + "/oauth1/resource"))
		if e.Realm != `Photos "R" Us` {
			t.Errorf("realm = %q", e.Realm)
		}
	})
	t.Run("body hash on a json body", func(t *testing.T) {
		s := newServer(t, false)
		cfg := providerConfig(s, "hmac-sha1", nil)
		cfg.BodyHash = true
		at := dance(t, s, cfg)
		req, _ := http.NewRequest(http.MethodPut, s.URL+"/oauth1/resource", strings.NewReader(`{"a":1}`))
		req.Header.Set("Content-Type", "application/json")
		getEcho(t)(cfg.Client(at).Do(req))
	})
	t.Run("plaintext refused without tls", func(t *testing.T) {
		s := newServer(t, false)
		cfg := providerConfig(s, "plaintext", oauth1.Plaintext)
		_, err := cfg.RequestToken(context.Background())
		if !errors.Is(err, oauth1.ErrUnsupportedMethod) {
			t.Errorf("RequestToken() = %v, want ErrUnsupportedMethod", err)
		}
	})
}

func TestNegative(t *testing.T) {
	ctx := context.Background()
	s := newServer(t, false)
	good := providerConfig(s, "hmac-sha1", nil)
	at := dance(t, s, good)

	resourceErr := func(cfg *oauth1.Config, tok *oauth1.Token, target string) error {
		resp, err := cfg.Client(tok).Get(target)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		return oauth1.CheckResponse(resp)
	}
	tests := []struct {
		name    string
		run     func(t *testing.T) error
		wantErr error
		problem string
	}{
		{"wrong consumer secret", func(t *testing.T) error {
			cfg := *good
			cfg.ConsumerSecret = "wrong"
			_, err := cfg.RequestToken(ctx)
			return err
		}, oauth1.ErrInvalidSignature, "signature_invalid"},
		{"wrong token secret", func(t *testing.T) error {
			rt, err := good.RequestToken(ctx)
			if err != nil {
				t.Fatal(err)
			}
			authURL, _ := good.AuthorizationURL(rt, nil)
			loc, _ := authorize(t, s, authURL)
			_, v, err := oauth1.ParseAuthorizationResponse(loc)
			if err != nil {
				t.Fatal(err)
			}
			_, err = good.AccessToken(ctx, &oauth1.Token{Token: rt.Token, Secret: "wrong"}, v)
			return err
		}, oauth1.ErrInvalidSignature, "signature_invalid"},
		{"wrong access token secret", func(t *testing.T) error {
			return resourceErr(good, &oauth1.Token{Token: at.Token, Secret: "wrong"}, s.URL+"/oauth1/resource")
		}, oauth1.ErrInvalidSignature, "signature_invalid"},
		{"unknown consumer", func(t *testing.T) error {
			cfg := *good
			cfg.ConsumerKey = "nobody"
			_, err := cfg.RequestToken(ctx)
			return err
		}, oauth1.ErrUnknownConsumer, "consumer_key_unknown"},
		{"tampered parameter", func(t *testing.T) error {
			req, _ := http.NewRequest(http.MethodGet, s.URL+"/oauth1/resource?amount=10", nil)
			if err := good.Sign(req, at); err != nil {
				t.Fatal(err)
			}
			req.URL.RawQuery = "amount=1000"
			resp, err := s.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			return oauth1.CheckResponse(resp)
		}, oauth1.ErrInvalidSignature, "signature_invalid"},
		{"replayed nonce", func(t *testing.T) error {
			cfg := *good
			now := time.Now()
			cfg.Now = func() time.Time { return now }
			cfg.Nonce = func() (string, error) { return "same-nonce", nil }
			if err := resourceErr(&cfg, at, s.URL+"/oauth1/resource"); err != nil {
				t.Fatalf("first request: %v", err)
			}
			return resourceErr(&cfg, at, s.URL+"/oauth1/resource")
		}, oauth1.ErrReplayedNonce, "nonce_used"},
		{"stale timestamp", func(t *testing.T) error {
			cfg := *good
			cfg.Now = func() time.Time { return time.Now().Add(-time.Hour) }
			return resourceErr(&cfg, at, s.URL+"/oauth1/resource")
		}, oauth1.ErrStaleTimestamp, "timestamp_refused"},
		{"future timestamp", func(t *testing.T) error {
			cfg := *good
			cfg.Now = func() time.Time { return time.Now().Add(time.Hour) }
			return resourceErr(&cfg, at, s.URL+"/oauth1/resource")
		}, oauth1.ErrStaleTimestamp, "timestamp_refused"},
		{"missing oauth_callback_confirmed", func(t *testing.T) error {
			s2 := newServer(t, false)
			s2.OAuth1.OmitCallbackConfirmed = true
			cfg := providerConfig(s2, "hmac-sha1", nil)
			_, err := cfg.RequestToken(ctx)
			return err
		}, oauth1.ErrCallbackNotConfirmed, ""},
		{"provider 401 with oauth_problem", func(t *testing.T) error {
			s2 := newServer(t, false)
			s2.OAuth1.Problem = "consumer_key_refused"
			_, err := providerConfig(s2, "hmac-sha1", nil).RequestToken(ctx)
			return err
		}, oauth1.ErrUnknownConsumer, "consumer_key_refused"},
		{"verifier reused", func(t *testing.T) error {
			rt, _ := good.RequestToken(ctx)
			authURL, _ := good.AuthorizationURL(rt, nil)
			loc, _ := authorize(t, s, authURL)
			_, v, _ := oauth1.ParseAuthorizationResponse(loc)
			if _, err := good.AccessToken(ctx, rt, v); err != nil {
				t.Fatal(err)
			}
			_, err := good.AccessToken(ctx, rt, v)
			return err
		}, oauth1.ErrUnknownToken, "token_rejected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run(t)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if tt.problem == "" {
				return
			}
			var pe *oauth1.Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *Error", err)
			}
			if pe.Problem != tt.problem || pe.StatusCode != http.StatusUnauthorized {
				t.Errorf("Error = %d %q, want 401 %q", pe.StatusCode, pe.Problem, tt.problem)
			}
			for _, secret := range []string{good.ConsumerSecret, at.Secret} {
				if strings.Contains(err.Error(), secret) || strings.Contains(string(pe.Body), secret) {
					t.Errorf("error leaks a secret: %v / %q", err, pe.Body)
				}
			}
		})
	}
	t.Run("skip callback confirmed", func(t *testing.T) {
		s2 := newServer(t, false)
		s2.OAuth1.OmitCallbackConfirmed = true
		cfg := providerConfig(s2, "hmac-sha1", nil)
		cfg.Endpoint.SkipCallbackConfirmed = true
		dance(t, s2, cfg)
	})
	if n := s.OAuth1.Counters.Rejected.Load(); n < 7 {
		t.Errorf("provider rejected %d requests, want at least 7", n)
	}
}

// handlerTransport serves requests with an http.Handler in memory.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	sr := r.Clone(r.Context())
	sr.RequestURI = r.URL.RequestURI()
	sr.Host = r.URL.Host
	if sr.Body == nil {
		sr.Body = http.NoBody
	}
	t.h.ServeHTTP(rec, sr)
	if r.Body != nil {
		r.Body.Close()
	}
	return rec.Result(), nil
}
