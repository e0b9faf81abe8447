package oauth2

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var secrets = []string{"AT-SECRET", "RT-SECRET", "ID-SECRET", "CLIENT-SECRET", "VERIFIER-SECRET", "DEVICE-SECRET"}

func checkNoSecrets(t *testing.T, what, out string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("%s prints %s: %s", what, s, out)
		}
	}
}

// Every value that holds a credential prints without it, with every fmt
// verb, alone and inside a struct; and none has a LogValue or GoString
// method (API v1 §0): Format covers %#v, and log/slog's text handler
// prints through it.
func TestRedaction(t *testing.T) {
	tok := &Token{AccessToken: "AT-SECRET", RefreshToken: "RT-SECRET", IDToken: "ID-SECRET", TokenType: "Bearer",
		Expiry: time.Unix(1700000000, 0), raw: map[string]any{"access_token": "AT-SECRET"}}
	cfg := &Config{ClientID: "id", ClientSecret: "CLIENT-SECRET"}
	s := cfg.NewSession(tok)
	login := &Login{URL: "https://as.example/a?state=st", State: "st", CodeVerifier: "VERIFIER-SECRET", Nonce: "n"}
	da := &DeviceAuthResponse{DeviceCode: "DEVICE-SECRET", UserCode: "UC"}
	pe := &PanicError{Hook: "OnTokenUpdate", Value: "AT-SECRET", Stack: []byte("RT-SECRET")}
	type holder struct {
		Tok   Token
		Cfg   Config
		Login Login
		DA    DeviceAuthResponse
	}
	values := map[string]any{
		"Token": *tok, "*Token": tok, "Config": *cfg, "*Config": cfg, "Session": s, "Login": *login, "*Login": login,
		"DeviceAuthResponse": *da, "*DeviceAuthResponse": da, "PanicError": pe,
		"holder": holder{*tok, *cfg, *login, *da}, "&holder": &holder{*tok, *cfg, *login, *da},
		"StaticTokenSource": StaticTokenSource(tok), "Transport": &Transport{Source: StaticTokenSource(tok)},
	}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%T %[1]v"} {
			checkNoSecrets(t, name+" "+verb, fmt.Sprintf(verb, v))
		}
	}
	for _, v := range []any{*tok, *cfg, s, *login, *da, pe, Placement(0), Introspection{}, Endpoint{}} {
		for _, m := range []string{"LogValue", "GoString"} {
			if _, ok := reflect.TypeOf(v).MethodByName(m); ok {
				t.Errorf("%T has a %s method", v, m)
			}
			if _, ok := reflect.PointerTo(reflect.TypeOf(v)).MethodByName(m); ok {
				t.Errorf("*%T has a %s method", v, m)
			}
		}
	}
	if !strings.Contains(fmt.Sprint(tok), "<redacted>") {
		t.Errorf("Token String does not say it redacted: %s", tok)
	}
	if got, want := fmt.Sprintf("%q", Token{}), strconv.Quote(Token{}.String()); got != want {
		t.Errorf("%%q of a Token = %s, want %s", got, want)
	}
}

func TestTokenJSONRoundTrip(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	body := `{"access_token":"a","token_type":"bearer","expires_in":3600,"refresh_token":"r","scope":"x y","id_token":"i","user_id":42,"nested":{"k":"v"}}`
	tok, err := parseTokenResponse("token", 200, "application/json", []byte(body), now, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(tok)
	if err != nil {
		t.Fatal(err)
	}
	// golang.org/x/oauth2 field names.
	var xo struct {
		AccessToken  string    `json:"access_token"`
		TokenType    string    `json:"token_type"`
		RefreshToken string    `json:"refresh_token"`
		Expiry       time.Time `json:"expiry"`
		ExpiresIn    int64     `json:"expires_in"`
	}
	if err := json.Unmarshal(data, &xo); err != nil || xo.AccessToken != "a" || xo.RefreshToken != "r" || !xo.Expiry.Equal(now.Add(time.Hour)) {
		t.Errorf("x/oauth2 view of %s = %+v, %v", data, xo, err)
	}
	var back Token
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	pub := func(t *Token) Token { c := *t; c.raw = nil; return c }
	if diff := cmp.Diff(pub(tok), pub(&back), cmp.AllowUnexported(Token{})); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
	if got := back.Extra("user_id"); got != float64(42) {
		t.Errorf("Extra(user_id) = %#v after reload, want float64(42)", got)
	}
	if back.Extra("nested") == nil {
		t.Error("nested extra lost")
	}
	// A token saved by golang.org/x/oauth2 loads.
	var x Token
	if err := json.Unmarshal([]byte(`{"access_token":"a","token_type":"Bearer","refresh_token":"r","expiry":"2026-01-01T00:00:00Z"}`), &x); err != nil || x.Expiry.IsZero() {
		t.Errorf("x/oauth2 token: %v, %v", x, err)
	}
}

func TestParseTokenResponse(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		status     int
		ct, body   string
		wantType   string
		wantExpiry time.Duration // 0: none
		wantErr    error
		wantCode   string
	}{
		{"json", 200, "application/json", `{"access_token":"a","token_type":"Bearer","expires_in":60}`, "Bearer", time.Minute, nil, ""},
		{"missing type", 200, "application/json", `{"access_token":"a"}`, "Bearer", 0, nil, ""},
		{"lower-case type", 200, "application/json", `{"access_token":"a","token_type":"bearer"}`, "bearer", 0, nil, ""},
		{"string expires_in", 200, "application/json", `{"access_token":"a","expires_in":"60"}`, "Bearer", time.Minute, nil, ""},
		{"float expires_in", 200, "application/json", `{"access_token":"a","expires_in":60.9}`, "Bearer", time.Minute, nil, ""},
		{"float string expires_in", 200, "application/json", `{"access_token":"a","expires_in":"60.0"}`, "Bearer", time.Minute, nil, ""},
		{"zero expires_in", 200, "application/json", `{"access_token":"a","expires_in":0}`, "Bearer", 0, nil, ""},
		{"bad expires_in", 200, "application/json", `{"access_token":"a","expires_in":"soon"}`, "Bearer", 0, nil, ""},
		// Out of float64's range: clamped, as a finite huge or negative one
		// is, never an error or an implementation-defined conversion.
		{"expires_in beyond float64", 200, "application/json", `{"access_token":"a","expires_in":1e400}`, "Bearer", 100 * 365 * 24 * time.Hour, nil, ""},
		{"expires_in huge", 200, "application/json", `{"access_token":"a","expires_in":1e300}`, "Bearer", 100 * 365 * 24 * time.Hour, nil, ""},
		{"expires_in below float64", 200, "application/json", `{"access_token":"a","expires_in":-1e400}`, "Bearer", 0, nil, ""},
		{"expires_in hugely negative", 200, "application/json", `{"access_token":"a","expires_in":-1e300}`, "Bearer", 0, nil, ""},
		{"expires_in underflow", 200, "application/json", `{"access_token":"a","expires_in":1e-400}`, "Bearer", 0, nil, ""},
		{"expires_in NaN", 200, "application/json", `{"access_token":"a","expires_in":"NaN"}`, "Bearer", 0, nil, ""},
		{"form", 200, "application/x-www-form-urlencoded", `access_token=a&expires_in=60&token_type=bearer`, "bearer", time.Minute, nil, ""},
		{"text/plain form (Facebook)", 200, "text/plain", `access_token=a&expires_in=60`, "Bearer", time.Minute, nil, ""},
		{"sniffed json", 200, "", ` {"access_token":"a"}`, "Bearer", 0, nil, ""},
		{"sniffed form", 200, "application/octet-stream", `access_token=a`, "Bearer", 0, nil, ""},
		{"no access token", 200, "application/json", `{"token_type":"Bearer"}`, "", 0, ErrMissingAccessToken, ""},
		{"200 with error", 200, "application/json", `{"error":"invalid_grant"}`, "", 0, ErrInvalidGrant, "invalid_grant"},
		{"400 error", 400, "application/json", `{"error":"invalid_client","error_description":"nope"}`, "", 0, ErrInvalidClient, "invalid_client"},
		{"500 html", 500, "text/html", `<html>oops</html>`, "", 0, nil, ""},
		{"non-object json", 200, "application/json", `[1,2]`, "", 0, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := parseTokenResponse("token", tt.status, tt.ct, []byte(tt.body), now, nil)
			if tt.wantErr != nil || tt.wantType == "" {
				if err == nil {
					t.Fatalf("got token %v, want error", tok)
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Errorf("err = %v, want %v", err, tt.wantErr)
				}
				var e *Error
				if tt.wantCode != "" && (!errors.As(err, &e) || e.ErrorCode != tt.wantCode || e.StatusCode != tt.status) {
					t.Errorf("err = %#v, want code %q", err, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tok.TokenType != tt.wantType || tok.Type() != "Bearer" {
				t.Errorf("TokenType = %q (%q), want %q", tok.TokenType, tok.Type(), tt.wantType)
			}
			var want time.Time
			if tt.wantExpiry != 0 {
				want = now.Add(tt.wantExpiry)
			}
			if !tok.Expiry.Equal(want) {
				t.Errorf("Expiry = %v, want %v", tok.Expiry, want)
			}
		})
	}
}

func TestErrorExcerpt(t *testing.T) {
	_, err := parseTokenResponse("token", 400, "application/json", []byte(`{"error":"invalid_grant","access_token":"AT-SECRET"}`), time.Now(), nil)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatal(err)
	}
	checkNoSecrets(t, "Error.Body", string(e.Body))
	_, err = parseTokenResponse("token", 502, "text/html", bytes.Repeat([]byte("word "), 2000), time.Now(), nil)
	if !errors.As(err, &e) || len(e.Body) > maxExcerpt+len("...") || !bytes.HasSuffix(e.Body, []byte("word ...")) {
		t.Errorf("excerpt = %q (%d bytes), want at most %d bytes, cut between words", e.Body, len(e.Body), maxExcerpt+3)
	}
}

func TestTransportRequestUntouched(t *testing.T) {
	for _, p := range []Placement{InHeader, InFormBody, InQuery} {
		t.Run(fmt.Sprint(p), func(t *testing.T) {
			s := (&Config{}).NewSession(&Token{AccessToken: "tok"})
			req, _ := http.NewRequest("POST", "https://api.example/x?a=1", strings.NewReader("b=2"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Keep", "1")
			before := req.Header.Clone()
			rec := &recordRT{}
			if _, err := (&Transport{Source: s, Base: rec, Placement: p}).RoundTrip(req); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(before, req.Header); diff != "" {
				t.Errorf("caller's header changed:\n%s", diff)
			}
			if req.URL.RawQuery != "a=1" {
				t.Errorf("caller's URL changed: %s", req.URL)
			}
			if rec.req.Header.Get("X-Keep") != "1" {
				t.Error("header not copied")
			}
		})
	}
}

type countBody struct {
	io.Reader
	closed atomic.Int32
}

func (b *countBody) Close() error { b.closed.Add(1); return nil }

func TestTransportClosesBody(t *testing.T) {
	hookErr := errors.New("hook")
	tests := []struct {
		name string
		s    *Session
		url  string
		want error
	}{
		{"no token", (&Config{}).NewSession(nil), "https://x/", ErrNoToken},
		{"expired", (&Config{}).NewSession(&Token{AccessToken: "a", Expiry: time.Now().Add(-time.Hour)}), "https://x/", ErrTokenExpired},
		{"insecure", (&Config{}).NewSession(&Token{AccessToken: "a"}), "http://x.example/", ErrInsecureTransport},
		{"hook", (&Config{Hooks: Hooks{ProtectedRequest: func(*http.Request) error { return hookErr }}}).NewSession(&Token{AccessToken: "a"}), "https://x/", hookErr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := &countBody{Reader: strings.NewReader("x")}
			req, _ := http.NewRequest("POST", tt.url, body)
			_, err := (&Transport{Source: tt.s, Base: &recordRT{}}).RoundTrip(req)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if body.closed.Load() == 0 {
				t.Error("body not closed")
			}
		})
	}
}

func TestProtectedRequestHook(t *testing.T) {
	s := (&Config{Hooks: Hooks{ProtectedRequest: func(r *http.Request) error {
		r.Header.Set("Authorization", "token "+strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		return nil
	}}}).NewSession(&Token{AccessToken: "a"})
	rec := &recordRT{}
	req, _ := http.NewRequest("GET", "https://x/", nil)
	if _, err := (&Transport{Source: s, Base: rec}).RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if got := rec.req.Header.Get("Authorization"); got != "token a" {
		t.Errorf("Authorization = %q", got)
	}
}

// stubProof is a DPoP key for tests of the Transport's checks: its
// proofs are fixed text.
type stubProof struct{}

func (stubProof) Proof(method, uri, _, _ string, _ time.Time) (string, error) {
	return "proof " + method + " " + uri, nil
}
func (stubProof) Thumbprint() string { return "jkt" }

// TestProtectedRequestHookInsecure checks that a token is not sent over
// plain http to a host that is not a loopback address when
// Hooks.ProtectedRequest, not the caller, sent the request there: the
// Transport's rule holds after the hook, for Bearer and DPoP tokens and
// every placement, and InsecureAllowHTTP or a loopback host lift it.
func TestProtectedRequestHookInsecure(t *testing.T) {
	tests := []struct {
		name      string
		to        string // the URL the hook sets
		tok       *Token
		placement Placement
		allowHTTP bool
		wantErr   error
	}{
		{"bearer to http", "http://api.example/x", &Token{AccessToken: "a"}, InHeader, false, ErrInsecureTransport},
		{"bearer in query to http", "http://api.example/x", &Token{AccessToken: "a"}, InQuery, false, ErrInsecureTransport},
		{"bearer in body to http", "http://api.example/x", &Token{AccessToken: "a"}, InFormBody, false, ErrInsecureTransport},
		{"dpop to http", "http://api.example/x", &Token{AccessToken: "a", TokenType: "DPoP", DPoPJKT: "jkt"}, InHeader, false, ErrInsecureTransport},
		{"bearer to HTTP upper case host", "http://API.EXAMPLE/x", &Token{AccessToken: "a"}, InHeader, false, ErrInsecureTransport},
		{"bearer to http, InsecureAllowHTTP", "http://api.example/x", &Token{AccessToken: "a"}, InHeader, true, nil},
		{"bearer to http loopback", "http://127.0.0.1:8080/x", &Token{AccessToken: "a"}, InHeader, false, nil},
		{"bearer to another https host", "https://other.example/x", &Token{AccessToken: "a"}, InHeader, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to, err := url.Parse(tt.to)
			if err != nil {
				t.Fatal(err)
			}
			cfg := &Config{DPoP: stubProof{}, Placement: tt.placement, InsecureAllowHTTP: tt.allowHTTP,
				Hooks: Hooks{ProtectedRequest: func(r *http.Request) error { r.URL = to; r.Host = ""; return nil }}}
			rec := &recordRT{}
			body := &countBody{Reader: strings.NewReader("k=v")}
			req, _ := http.NewRequest("POST", "https://api.example/x", body)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			_, err = NewClient(cfg.NewSession(tt.tok), &http.Client{Transport: rec}).Transport.RoundTrip(req)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("RoundTrip() error = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil {
				if rec.req != nil {
					t.Errorf("request sent to %s, want none", rec.req.URL)
				}
				if body.closed.Load() == 0 {
					t.Error("body not closed")
				}
				return
			}
			if rec.req == nil || rec.req.URL.String() != tt.to {
				t.Errorf("request sent to %v, want %s", rec.req, tt.to)
			}
		})
	}
}

// A hook that rewrites the Authorization value in place must not change
// what later requests with the same token carry.
func TestProtectedRequestHookInPlace(t *testing.T) {
	s := (&Config{Hooks: Hooks{ProtectedRequest: func(r *http.Request) error {
		r.Header["Authorization"][0] = "token " + strings.TrimPrefix(r.Header["Authorization"][0], "Bearer ")
		return nil
	}}}).NewSession(&Token{AccessToken: "a"})
	rec := &recordRT{}
	for i := 0; i < 2; i++ {
		req, _ := http.NewRequest("GET", "https://x/", nil)
		if _, err := (&Transport{Source: s, Base: rec}).RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		if got := rec.req.Header.Get("Authorization"); got != "token a" {
			t.Errorf("request %d: Authorization = %q, want %q", i+1, got, "token a")
		}
	}
}

func TestLeeway(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		leeway   time.Duration
		lifetime time.Duration
		want     time.Duration // refreshAt - now
	}{
		{"hour, default leeway", 0, time.Hour, time.Hour - 10*time.Second},
		{"5 s token, default leeway", 0, 5 * time.Second, 2500 * time.Millisecond},
		{"negative leeway", -1, time.Minute, time.Minute},
		{"big leeway", time.Hour, 10 * time.Minute, 5 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := (&Config{Leeway: tt.leeway}).NewSession(nil)
			st := s.newState(&Token{AccessToken: "a", Expiry: now.Add(tt.lifetime)}, now)
			if got := st.refreshAt.Sub(now); got != tt.want {
				t.Errorf("refresh after %v, want %v", got, tt.want)
			}
		})
	}
}

// blockingRefresh returns a token endpoint that answers okToken, each
// request only once release is closed (or its context ends), and counts
// the requests on attempts.
func blockingRefresh(t *testing.T, release chan struct{}, attempts *atomic.Int32, first cannedResponse) *capture {
	srv := newCapture(t, okToken)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resp := okToken
		if attempts.Add(1) == 1 {
			resp = first
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		for k, v := range resp.Headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(resp.Status)
		io.WriteString(w, resp.Body)
	})
	return srv
}

// A caller waiting for a refresh that does not answer leaves on its own
// context; the refresh goes on, and its result serves the next caller.
func TestRefreshWaiterContext(t *testing.T) {
	release := make(chan struct{})
	var attempts atomic.Int32
	srv := blockingRefresh(t, release, &attempts, okToken)
	s := (&Config{Endpoint: Endpoint{TokenURL: srv.URL}}).NewSession(&Token{AccessToken: "old", RefreshToken: "r", Expiry: time.Now().Add(-time.Second)})
	ctx, cancel := context.WithCancel(context.Background())
	SetJoinHook(s, cancel) // the caller leaves once it waits
	if _, err := s.Token(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	SetJoinHook(s, nil)
	close(release)
	tok, err := s.Token(context.Background())
	if err != nil || tok.AccessToken != "at" {
		t.Fatalf("after release: %v, %v", tok, err)
	}
	if n := attempts.Load(); n != 1 {
		t.Errorf("%d refresh requests, want 1", n)
	}
}

// A failed refresh is one request, whose error every waiting caller gets;
// the next caller tries again.
func TestFailedRefreshSharedThenRetried(t *testing.T) {
	var attempts atomic.Int32
	release := make(chan struct{})
	srv := blockingRefresh(t, release, &attempts, cannedResponse{503,
		map[string]string{"Content-Type": "application/json", "Retry-After": "3"}, `{"error":"temporarily_unavailable"}`})
	s := (&Config{Endpoint: Endpoint{TokenURL: srv.URL}}).NewSession(&Token{AccessToken: "old", RefreshToken: "r", Expiry: time.Now().Add(-time.Second)})
	const n = 50
	var joined sync.WaitGroup
	joined.Add(n)
	SetJoinHook(s, joined.Done)
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() { _, err := s.Token(context.Background()); errs <- err }()
	}
	joined.Wait() // every caller waits for the refresh
	SetJoinHook(s, nil)
	close(release)
	for i := 0; i < n; i++ {
		err := <-errs
		var e *Error
		if !errors.As(err, &e) || e.StatusCode != 503 || e.RetryAfter != 3*time.Second {
			t.Errorf("caller %d: err = %v, want the shared 503", i, err)
		}
	}
	if a := attempts.Load(); a != 1 {
		t.Errorf("%d refresh attempts for %d callers, want 1", a, n)
	}
	if s.CachedToken().AccessToken != "old" {
		t.Error("old token not kept")
	}
	// The next request tries again.
	if tok, err := s.Token(context.Background()); err != nil || tok.AccessToken != "at" || attempts.Load() != 2 {
		t.Errorf("retry: %v, %v, attempts %d", tok, err, attempts.Load())
	}
}

func TestDevicePollingRetryAfter(t *testing.T) {
	srv := newCapture(t,
		cannedResponse{503, map[string]string{"Content-Type": "application/json", "Retry-After": "7"}, `{"error":"temporarily_unavailable"}`},
		cannedResponse{400, map[string]string{"Content-Type": "application/json"}, `{"error":"authorization_pending"}`},
		okToken)
	var waits []time.Duration
	cfg := &Config{ClientID: "c", Endpoint: Endpoint{TokenURL: srv.URL},
		Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
	if _, err := cfg.DeviceAccessToken(context.Background(), &DeviceAuthResponse{DeviceCode: "d", Interval: 2}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(waits) != "[2s 7s 2s]" {
		t.Errorf("waits = %v, want [2s 7s 2s]", waits)
	}
}

func TestEndpointHooks(t *testing.T) {
	srv := newCapture(t, cannedResponse{200, map[string]string{"Content-Type": "application/json"}, `{"active":true}`})
	var seen []string
	s := (&Config{ClientID: "c", Endpoint: Endpoint{RevocationURL: srv.URL + "/revoke", IntrospectionURL: srv.URL + "/introspect"},
		Hooks: Hooks{EndpointRequest: func(r *http.Request) error {
			seen = append(seen, r.URL.Path)
			r.Header.Set("X-Hook", "1")
			return nil
		}}}).NewSession(&Token{AccessToken: "a"})
	if err := s.Revoke(context.Background(), HintAccessToken); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Introspect(context.Background(), HintAccessToken); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(seen) != "[/revoke /introspect]" {
		t.Errorf("hook saw %v", seen)
	}
	for _, r := range srv.requests() {
		if r.Header.Get("X-Hook") != "1" {
			t.Errorf("%s: hook header missing", r.Path)
		}
	}
}

func TestTokenResponseHookOnRefresh(t *testing.T) {
	srv := newCapture(t, cannedResponse{200, map[string]string{"Content-Type": "text/plain"}, `access_token=new&expires=60`})
	var calls int
	s := (&Config{Endpoint: Endpoint{TokenURL: srv.URL}, Hooks: Hooks{TokenResponse: func(resp *http.Response) error {
		calls++
		b, _ := io.ReadAll(resp.Body)
		resp.Body = io.NopCloser(bytes.NewReader(bytes.Replace(b, []byte("expires="), []byte("expires_in="), 1)))
		return nil
	}}}).NewSession(&Token{AccessToken: "old", RefreshToken: "keep"})
	tok, err := s.Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || tok.ExpiresIn != 60 || tok.RefreshToken != "keep" {
		t.Errorf("calls %d, token %v (ExpiresIn %d)", calls, tok, tok.ExpiresIn)
	}
}

func TestRedirectToOtherHostDropsToken(t *testing.T) {
	s := (&Config{}).NewSession(&Token{AccessToken: "a"})
	tr := &Transport{Source: s, Base: &recordRT{}}
	prev, _ := http.NewRequest("GET", "https://api.example.com/x", nil)
	for _, tt := range []struct {
		to   string
		want string
	}{
		{"https://api.example.com/y", "Bearer a"},
		{"https://eu.api.example.com/y", "Bearer a"},
		{"https://evil.example.net/y", ""},
	} {
		req, _ := http.NewRequest("GET", tt.to, nil)
		req.Response = &http.Response{Request: prev}
		if _, err := tr.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		if got := tr.Base.(*recordRT).req.Header.Get("Authorization"); got != tt.want {
			t.Errorf("redirect to %s: Authorization = %q, want %q", tt.to, got, tt.want)
		}
	}
}

// Extra returns what golang.org/x/oauth2's Token.Extra returns: JSON
// numbers as float64, form values that read as numbers as int64 or
// float64; WithExtra replaces the extra fields of a copy.
func TestTokenExtra(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	js, err := parseTokenResponse("token", 200, "application/json",
		[]byte(`{"access_token":"a","n":42,"f":1.5,"s":"7","b":true,"o":{"k":[1,"x"]}}`), now, nil)
	if err != nil {
		t.Fatal(err)
	}
	form, err := parseTokenResponse("token", 200, "application/x-www-form-urlencoded",
		[]byte(`access_token=a&n=42&f=1.5&s=x&v=1.2.3&n=43`), now, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		tok  *Token
		key  string
		want any
	}{
		{"json int", js, "n", float64(42)},
		{"json float", js, "f", 1.5},
		{"json string", js, "s", "7"},
		{"json bool", js, "b", true},
		{"json object", js, "o", map[string]any{"k": []any{float64(1), "x"}}},
		{"json known field", js, "access_token", "a"},
		{"json absent", js, "z", nil},
		{"form int", form, "n", int64(42)},
		{"form float", form, "f", 1.5},
		{"form string", form, "s", "x"},
		{"form two dots", form, "v", "1.2.3"},
		{"WithExtra map", js.WithExtra(map[string]any{"k": "v"}), "k", "v"},
		{"WithExtra map drops old", js.WithExtra(map[string]any{"k": "v"}), "n", nil},
		{"WithExtra url.Values", js.WithExtra(url.Values{"k": {"12", "13"}}), "k", int64(12)},
		{"WithExtra other", js.WithExtra(42), "n", nil},
		{"nil token", nil, "n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.tok.Extra(tt.key)); diff != "" {
				t.Errorf("Extra(%q) mismatch (-want +got):\n%s", tt.key, diff)
			}
		})
	}
	if js.WithExtra(nil).AccessToken != "a" || js.Extra("n") != float64(42) {
		t.Error("WithExtra changed the original token")
	}
	// A form token saved and reloaded keeps its numbers.
	data, err := json.Marshal(form)
	if err != nil {
		t.Fatal(err)
	}
	var back Token
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if got := back.Extra("n"); got != float64(42) {
		t.Errorf("reloaded form token: Extra(n) = %#v, want float64(42)", got)
	}
}

// Valid and ValidAt: an access token that has not expired, with no early
// expiry.
func TestTokenValid(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		tok  *Token
		want bool
	}{
		{"nil", nil, false},
		{"empty", &Token{}, false},
		{"no expiry", &Token{AccessToken: "a"}, true},
		{"a second left", &Token{AccessToken: "a", Expiry: now.Add(time.Second)}, true},
		{"at the expiry", &Token{AccessToken: "a", Expiry: now}, false},
		{"refresh token only", &Token{RefreshToken: "r", Expiry: now.Add(time.Hour)}, false},
	}
	for _, tt := range tests {
		if got := tt.tok.ValidAt(now); got != tt.want {
			t.Errorf("%s: ValidAt = %v, want %v", tt.name, got, tt.want)
		}
	}
	if !(&Token{AccessToken: "a", Expiry: time.Now().Add(5 * time.Second)}).Valid() {
		t.Error("Valid() of a token with 5 s left = false, want true (no early expiry)")
	}
	for typ, want := range map[string]string{"": "Bearer", "bEaReR": "Bearer", "mac": "MAC", "BASIC": "Basic", "DPoP": "DPoP"} {
		if got := (&Token{TokenType: typ}).Type(); got != want {
			t.Errorf("Type() of TokenType %q = %q, want %q", typ, got, want)
		}
	}
	r, _ := http.NewRequest("GET", "https://x/", nil)
	(&Token{AccessToken: "a", TokenType: "bearer"}).SetAuthHeader(r)
	if got := r.Header.Get("Authorization"); got != "Bearer a" {
		t.Errorf("SetAuthHeader: Authorization = %q, want %q", got, "Bearer a")
	}
}

// headerEditor is a base RoundTripper that rewrites the Authorization
// value of every request it gets in place, as a badly behaved middleware
// might, and records what it saw first.
type headerEditor struct{ seen []string }

func (h *headerEditor) RoundTrip(r *http.Request) (*http.Response, error) {
	h.seen = append(h.seen, r.Header.Get("Authorization"))
	if v := r.Header["Authorization"]; len(v) > 0 {
		v[0] = "Bearer STOLEN"
	}
	r.Header["Accept"][0] = "edited"
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
}

// A Base that edits the header of the request it gets in place changes
// neither the next request nor the caller's.
func TestTransportHeaderNotShared(t *testing.T) {
	for _, tt := range transports() {
		t.Run(tt.name, func(t *testing.T) {
			base := &headerEditor{}
			tr := *tt.rt.(*Transport)
			tr.Base = base
			for i := 0; i < 3; i++ {
				req := benchRequest(t)
				if _, err := tr.RoundTrip(req); err != nil {
					t.Fatal(err)
				}
				if got := req.Header.Get("Accept"); got != "application/json" {
					t.Errorf("request %d: the caller's Accept became %q", i, got)
				}
			}
			want := []string{"Bearer mF_9.B5f-4.1JqM", "Bearer mF_9.B5f-4.1JqM", "Bearer mF_9.B5f-4.1JqM"}
			if diff := cmp.Diff(want, base.seen); diff != "" {
				t.Errorf("Authorization sent (-want +got):\n%s", diff)
			}
		})
	}
}
