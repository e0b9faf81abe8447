package interop

// oauthkit's oauth1 client (Config.RequestToken, AuthorizationURL,
// AccessToken, Client, Sign) against an OAuth 1.0a provider built from
// oauthlib's server endpoints (testdata/oauthlib/provider.py).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/oauthkit/oauth/oauth1"
)

// startProvider runs provider.py on 127.0.0.1, on port (a free port when
// ""), and returns its base URL.
func startProvider(t testing.TB, port string) (string, error) {
	t.Helper()
	var args []string
	if port != "" {
		args = append(args, port)
	}
	p := script(t, "provider.py", args...)
	line, err := p.stdout.ReadString('\n')
	if err != nil {
		p.stop()
		return "", fmt.Errorf("provider.py did not start: %s", lastLine(strings.TrimSpace(p.stderr.String())))
	}
	return "http://127.0.0.1:" + strings.TrimSpace(line), nil
}

// providerPool hands out the base URLs of a few provider.py processes,
// each to one parallel subtest at a time.
type providerPool chan string

func newProviderPool(t testing.TB, n int) providerPool {
	t.Helper()
	pool := make(providerPool, n)
	for i := 0; i < n; i++ {
		base, err := startProvider(t, "")
		if err != nil {
			t.Fatal(err)
		}
		pool <- base
	}
	return pool
}

// get returns a provider's base URL, and gives it back when t ends.
func (p providerPool) get(t testing.TB) string {
	base := <-p
	t.Cleanup(func() { p <- base })
	return base
}

type methodCase struct {
	name   string
	method oauth1.SignatureMethod
	key    string
	secret string
}

func methodCases(t testing.TB) []methodCase {
	k := testKey(t)
	return []methodCase{
		{"HMAC-SHA1", oauth1.HMACSHA1, hmacKey, hmacSecret},
		{"HMAC-SHA256", oauth1.HMACSHA256, hmacKey, hmacSecret},
		{"HMAC-SHA512", oauth1.HMACSHA512, hmacKey, hmacSecret},
		{"RSA-SHA1", oauth1.RSASHA1(k), rsaKey, ""},
		{"RSA-SHA256", oauth1.RSASHA256(k), rsaKey, ""},
		{"RSA-SHA512", oauth1.RSASHA512(k), rsaKey, ""},
		{"PLAINTEXT", oauth1.Plaintext, hmacKey, hmacSecret},
		// a secret with nothing to encode: Q2 cannot bite
		{"PLAINTEXT-alnum", oauth1.Plaintext, plainKey, plainSecret},
	}
}

var placements = []oauth1.Placement{oauth1.InHeader, oauth1.InQuery, oauth1.InFormBody}

// noRedirect reads an authorization redirect without following it.
var noRedirect = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       30 * time.Second,
}

// authorize plays the resource owner: it opens the authorization URL at the
// provider (which approves at once) and returns the token and verifier.
func authorize(authURL string) (string, string, error) {
	resp, err := noRedirect.Get(authURL)
	if err != nil {
		return "", "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	switch resp.StatusCode {
	case http.StatusFound:
		return oauth1.ParseAuthorizationResponse(resp.Header.Get("Location"))
	case http.StatusOK: // oob: the verifier is shown to the user
		v, err := url.ParseQuery(string(b))
		if err != nil {
			return "", "", err
		}
		if v.Get("extra") != "x y" {
			return "", "", fmt.Errorf("oob body %q lacks the credentials", b)
		}
		return "", v.Get("oauth_verifier"), nil
	}
	return "", "", fmt.Errorf("authorize: status %d: %s", resp.StatusCode, b)
}

// dance runs the three-legged flow and returns the access token and the
// authorization URL.
func dance(cfg *oauth1.Config) (*oauth1.Token, string, error) {
	ctx := context.Background()
	rt, err := cfg.RequestToken(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("request token: %w", err)
	}
	if rt.Extra("oauth_callback_confirmed") != "true" {
		return nil, "", fmt.Errorf("request token: no oauth_callback_confirmed in extras %v", rt.Extras())
	}
	authURL, err := cfg.AuthorizationURL(rt, url.Values{"extra param": {"a b&c"}})
	if err != nil {
		return nil, "", err
	}
	tok, verifier, err := authorize(authURL)
	if err != nil {
		return nil, authURL, fmt.Errorf("authorize: %w", err)
	}
	if tok != "" && tok != rt.Token {
		return nil, authURL, fmt.Errorf("callback token %q is not the request token", tok)
	}
	at, err := cfg.AccessToken(ctx, rt, verifier)
	if err != nil {
		return nil, authURL, fmt.Errorf("access token: %w", err)
	}
	if got := at.Extra("screen_name"); got != "n\u00e4me x" {
		return nil, authURL, fmt.Errorf("access token extra screen_name = %q, want %q", got, "n\u00e4me x")
	}
	return at, authURL, nil
}

// oauthlibView is what provider.py reports about a protected request.
type oauthlibView struct {
	Valid      bool        `json:"valid"`
	Params     [][2]string `json:"params"`
	BaseString string      `json:"base_string"`
	Realm      *string     `json:"realm"`
	Err        string      `json:"create_request_error"`
	Log        any         `json:"validator_log"`
	URI        string      `json:"uri"`
	Body       string      `json:"body"`
}

type resCase struct {
	name        string
	method      string
	path        string // path and raw query, appended to base
	body        string
	contentType string
	bodyHash    bool
	formOnly    bool // also run with the form-body placement
	useSign     bool // Config.Sign + plain client instead of Config.Client
	host        string
	realm       string
}

func resourceCases() []resCase {
	uni := url.Values{
		"k\u00e9 y":    {"v\u00e4lue/?&=+ \u2713", ""},
		"a+b":          {"c d"},
		"~-._":         {"!*'()"},
		"%":            {"%25"},
		"empty":        {""},
		"rep":          {"2", "1", "2", "10"},
		"\u65e5\u672c": {"\U0001F600"},
	}.Encode()
	form := "z=1&a=2&a=1&a=&%E2%82%AC=%E2%82%AC&sp=a+b&sp2=a%20b&x%2By=%2B&amp=%26&eq=a%3Db&nokey"
	return []resCase{
		{name: "GET no params", method: "GET", path: "/res/plain"},
		{name: "GET repeated+empty+novalue", method: "GET", path: "/res?a=1&a=2&a=1&empty=&novalue&b=%20x+y"},
		{name: "GET non-ASCII+reserved names and values", method: "GET", path: "/res?" + uni},
		{name: "GET raw sub-delims in query", method: "GET", path: "/res?q=a:b/c?d@e!f$g'h(i)j*k,l&x=~&y=%7E"},
		{name: "GET semicolon in query", method: "GET", path: "/res?a=1;b=2&c=3"},
		{name: "GET empty name", method: "GET", path: "/res?=x&y="},
		{name: "GET path escapes", method: "GET", path: "/res/a%20b/c%2Fd/%E2%82%AC/x~y/a+b/'q'/(p)/%7E/@:!$,;=?z=1"},
		{name: "GET path escapes of reserved chars", method: "GET", path: "/res/%5Bbr%5D/%25/%2B"},
		{name: "GET raw non-ASCII and space in path", method: "GET", path: "/res/\u00e4 b/c?x=1"},
		{name: "GET lower-case escapes in path", method: "GET", path: "/res/%e2%82%ac/%2f/%7e?x=%e2%82%ac"},
		{name: "GET raw UTF-8 in query", method: "GET", path: "/res/rawq?x=\u00e4"},
		{name: "GET oauth_-prefixed app parameter", method: "GET", path: "/res/op?oauth_app=a%20b&x=1"},
		{name: "GET uppercase host", method: "GET", path: "/res?h=1", host: "LOCALHOST"},
		{name: "HEAD", method: "HEAD", path: "/res/head?x=1"},
		{name: "DELETE with query", method: "DELETE", path: "/res/item?id=7&id=8"},
		{name: "POST form", method: "POST", path: "/res/form?q=1&a=3", body: form, contentType: "application/x-www-form-urlencoded", formOnly: true},
		{name: "POST form charset", method: "POST", path: "/res/form", body: uni, contentType: "application/x-www-form-urlencoded; charset=utf-8", formOnly: true},
		{name: "POST empty form", method: "POST", path: "/res/form?q=1", body: "", contentType: "application/x-www-form-urlencoded", formOnly: true},
		{name: "PUT form", method: "PUT", path: "/res/form", body: "a=1&b=", contentType: "application/x-www-form-urlencoded", formOnly: true},
		{name: "POST form via Sign", method: "POST", path: "/res/form?s=1", body: "a=%C3%A9&b=+", contentType: "application/x-www-form-urlencoded", formOnly: true, useSign: true},
		{name: "GET via Sign", method: "GET", path: "/res/sign?s=1&t=%F0%9F%98%80", useSign: true},
		{name: "POST JSON (body unsigned)", method: "POST", path: "/res/json?q=1", body: `{"a":"b=c&d"}`, contentType: "application/json"},
		{name: "POST JSON + oauth_body_hash", method: "POST", path: "/res/json?q=1", body: `{"a":1}`, contentType: "application/json", bodyHash: true},
		{name: "realm photos", method: "GET", path: "/res/realm?r=1", realm: "photos"},
		{name: "realm with comma, =, non-ASCII", method: "GET", path: "/res/realm?r=1", realm: "r\u00e9alm, x=y"},
		{name: "realm with a quote", method: "GET", path: "/res/realm?r=1", realm: "say \"hi\""},
		{name: "POST form-looking body, text/plain", method: "POST", path: "/res/txt", body: "a=1&b=2", contentType: "text/plain"},
	}
}

// expectedParams is what the request carries besides the OAuth parameters,
// parsed from the wire form (query, then form body) with url.QueryUnescape,
// as RFC 5849 §3.4.1.3.1 collects them.
func expectedParams(rawQuery, body, contentType string) [][2]string {
	var out [][2]string
	add := func(s string) {
		for _, kv := range strings.Split(s, "&") {
			if kv == "" {
				continue
			}
			k, v, _ := strings.Cut(kv, "=")
			k, _ = url.QueryUnescape(k)
			v, _ = url.QueryUnescape(v)
			if strings.HasPrefix(k, "oauth_") {
				continue
			}
			out = append(out, [2]string{k, v})
		}
	}
	add(rawQuery)
	if strings.HasPrefix(contentType, "application/x-www-form-urlencoded") {
		add(body)
	}
	return sortPairs(out)
}

func sortPairs(p [][2]string) [][2]string {
	q := append([][2]string(nil), p...)
	sort.Slice(q, func(i, j int) bool {
		if q[i][0] != q[j][0] {
			return q[i][0] < q[j][0]
		}
		return q[i][1] < q[j][1]
	})
	return q
}

// nonOAuth leaves out the protocol parameters and realm.
func nonOAuth(p [][2]string) [][2]string {
	var out [][2]string
	for _, kv := range p {
		if !strings.HasPrefix(kv[0], "oauth_") && kv[0] != "realm" {
			out = append(out, kv)
		}
	}
	return sortPairs(out)
}

// doResource sends a protected request signed with cfg and at, and checks
// that oauthlib accepted it and saw the parameters that were sent. It
// returns the base strings of both sides for the reader.
func doResource(base string, cfg *oauth1.Config, at *oauth1.Token, c resCase) (string, error) {
	u := base + c.path
	if c.host != "" {
		pu, _ := url.Parse(base)
		u = "http://" + c.host + ":" + pu.Port() + c.path
	}
	var body io.Reader
	if c.body != "" || c.contentType != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, u, body)
	if err != nil {
		return "", err
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	var resp *http.Response
	if c.useSign {
		if err := cfg.Sign(req, at); err != nil {
			return "", fmt.Errorf("Sign: %w", err)
		}
		resp, err = noRedirect.Do(req)
	} else {
		client := cfg.Client(at)
		client.Timeout = 30 * time.Second
		resp, err = client.Do(req)
	}
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if c.method == "HEAD" {
		if resp.StatusCode != 200 {
			return "", &providerError{status: resp.StatusCode}
		}
		return "", nil
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var view oauthlibView
	if err := json.Unmarshal(b, &view); err != nil {
		return "", &providerError{status: resp.StatusCode, body: string(b)}
	}
	// What we signed, for diagnosis: the base string of the request as it
	// was sent (resp.Request is the signed clone).
	ours := ""
	if resp.Request != nil {
		r2 := resp.Request.Clone(context.Background())
		if r2.GetBody != nil {
			r2.Body, _ = r2.GetBody()
		}
		ours, _ = oauth1.SignatureBaseString(r2)
	}
	detail := fmt.Sprintf("oauthlib base: %s\nours base:     %s\nuri: %s body: %q", view.BaseString, ours, view.URI, view.Body)
	if resp.StatusCode != 200 || !view.Valid {
		return detail, &providerError{status: resp.StatusCode, oauthlibErr: view.Err, log: view.Log, body: string(b)}
	}
	if c.realm != "" && cfg.Placement == oauth1.InHeader && (view.Realm == nil || *view.Realm != c.realm) {
		return detail, fmt.Errorf("oauthlib saw realm %s, want %q (header %q)", deref(view.Realm), c.realm, resp.Request.Header.Get("Authorization"))
	}
	pu, err := url.Parse(view.URI)
	if err != nil {
		return detail, err
	}
	want := expectedParams(pu.RawQuery, c.body, c.contentType)
	if diff := cmp.Diff(want, nonOAuth(view.Params)); diff != "" {
		return detail, fmt.Errorf("parameters oauthlib saw differ from those url.QueryUnescape reads on the wire (-wire +oauthlib):\n%s", diff)
	}
	return detail, nil
}

func deref(s *string) string {
	if s == nil {
		return "<none>"
	}
	return fmt.Sprintf("%q", *s)
}

// TestOAuthlibProvider runs oauthkit's client against oauthlib's provider
// endpoints: the three-legged flow (RequestToken, AuthorizationURL,
// AccessToken) with each callback form and realm, then protected requests
// through Config.Client and Config.Sign, for every signature method and
// placement. Each method runs in parallel with its own provider from a
// pool of at most GOMAXPROCS (up to 4).
func TestOAuthlibProvider(t *testing.T) {
	python(t)
	t.Parallel()
	n := runtime.GOMAXPROCS(0)
	if n > 4 {
		n = 4
	}
	pool := newProviderPool(t, n)
	callbacks := []struct{ label, url string }{
		{"oob", "oob"},
		{"none", ""},
		{"URL", "http://127.0.0.1:9/cb?x=1&y=2"},
		{"URL with %20 and %E2%9C%93", "http://127.0.0.1:9/cb?x=1&y=a%20b&z=%E2%9C%93"},
	}
	realms := []string{"", "photos", "r\u00e9alm \"q\"", "a, b=c"}
	for _, m := range methodCases(t) {
		m := m
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			base := pool.get(t)
			ep := oauth1.Endpoint{
				RequestTokenURL: base + "/request_token",
				AuthorizeURL:    base + "/authorize?lang=fr",
				AccessTokenURL:  base + "/access_token",
			}
			for _, pl := range placements {
				pl := pl
				t.Run(pl.String(), func(t *testing.T) {
					var at *oauth1.Token
					for i, cb := range callbacks {
						realm := realms[i%len(realms)]
						t.Run(fmt.Sprintf("dance callback=%s realm=%q", cb.label, realm), func(t *testing.T) {
							cfg := &oauth1.Config{
								ConsumerKey: m.key, ConsumerSecret: m.secret, CallbackURL: cb.url,
								Endpoint: ep, Method: m.method, Placement: pl, Realm: realm,
							}
							var q *quirk
							if pl != oauth1.InHeader && strings.Contains(cb.url, "%") && !strings.HasPrefix(m.name, "PLAINTEXT") {
								q = &q1 // PLAINTEXT signs no parameter
							}
							if pl != oauth1.InHeader && m.name == "PLAINTEXT" {
								q = &q2
							}
							tok, authURL, err := dance(cfg)
							judge(t, q, err, "authorization URL: "+authURL)
							if err == nil && at == nil {
								at = tok
							}
						})
					}
					if at == nil { // a token from the header placement
						cfg := &oauth1.Config{ConsumerKey: m.key, ConsumerSecret: m.secret, Method: m.method, Endpoint: ep}
						tok, _, err := dance(cfg)
						if err != nil {
							t.Fatalf("dance in the header placement, for a token for the protected requests: %v", err)
						}
						at = tok
					}
					for _, rc := range resourceCases() {
						if pl == oauth1.InFormBody && !rc.formOnly {
							continue
						}
						rc := rc
						t.Run("resource "+rc.name, func(t *testing.T) {
							cfg := &oauth1.Config{ConsumerKey: m.key, ConsumerSecret: m.secret, Method: m.method,
								Placement: pl, BodyHash: rc.bodyHash, Realm: rc.realm}
							var q *quirk
							if pl != oauth1.InHeader && m.name == "PLAINTEXT" {
								q = &q2
							}
							if rc.name == "GET raw UTF-8 in query" {
								q = &q6
							}
							if rc.name == "GET oauth_-prefixed app parameter" && pl == oauth1.InHeader {
								q = &q7
							}
							detail, err := doResource(base, cfg, at, rc)
							judge(t, q, err, detail)
						})
					}
				})
			}
		})
	}
}

// TestOAuthlibProviderErrors checks how oauthkit's client reports what
// oauthlib's provider refuses, and the flow's variants (no
// oauth_callback_confirmed, TokenMethod GET), with HMAC-SHA1 in the header.
func TestOAuthlibProviderErrors(t *testing.T) {
	python(t)
	t.Parallel()
	base, err := startProvider(t, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ep := oauth1.Endpoint{
		RequestTokenURL: base + "/request_token",
		AuthorizeURL:    base + "/authorize",
		AccessTokenURL:  base + "/access_token",
	}
	wantStatus := func(t *testing.T, err error, code int) {
		t.Helper()
		var e *oauth1.Error
		if !errors.As(err, &e) {
			t.Fatalf("err = %v, want an *oauth1.Error", err)
		}
		if e.StatusCode != code {
			t.Errorf("err = %v: status %d, want %d", err, e.StatusCode, code)
		}
	}

	t.Run("unknown consumer key", func(t *testing.T) {
		cfg := &oauth1.Config{ConsumerKey: "unknownconsumerkey0001", ConsumerSecret: "x", Endpoint: ep}
		_, err := cfg.RequestToken(ctx)
		wantStatus(t, err, 401)
	})
	t.Run("wrong consumer secret", func(t *testing.T) {
		cfg := &oauth1.Config{ConsumerKey: hmacKey, ConsumerSecret: "wrong", Endpoint: ep}
		_, err := cfg.RequestToken(ctx)
		wantStatus(t, err, 401)
	})
	t.Run("stale timestamp", func(t *testing.T) {
		cfg := &oauth1.Config{ConsumerKey: hmacKey, ConsumerSecret: hmacSecret, Endpoint: ep,
			Now: func() time.Time { return time.Now().Add(-time.Hour) }}
		_, err := cfg.RequestToken(ctx)
		wantStatus(t, err, 400)
		var e *oauth1.Error
		if errors.As(err, &e) && !strings.Contains(string(e.Body), "error=invalid_request") {
			t.Errorf("body %q, want error=invalid_request", e.Body)
		}
	})
	t.Run("replayed nonce", func(t *testing.T) {
		fixedNow := time.Now()
		cfg := &oauth1.Config{ConsumerKey: hmacKey, ConsumerSecret: hmacSecret, Endpoint: ep,
			Now: func() time.Time { return fixedNow }, Nonce: func() (string, error) { return "replayednonce0123456789", nil }}
		if _, err := cfg.RequestToken(ctx); err != nil {
			t.Fatalf("first request: %v", err)
		}
		_, err := cfg.RequestToken(ctx)
		wantStatus(t, err, 401)
	})
	nocc := ep
	nocc.RequestTokenURL = base + "/nocc/request_token"
	t.Run("callback not confirmed", func(t *testing.T) {
		cfg := &oauth1.Config{ConsumerKey: hmacKey, ConsumerSecret: hmacSecret, Endpoint: nocc, CallbackURL: "http://127.0.0.1:9/cb"}
		if _, err := cfg.RequestToken(ctx); !errors.Is(err, oauth1.ErrCallbackNotConfirmed) {
			t.Errorf("err = %v, want ErrCallbackNotConfirmed", err)
		}
	})
	t.Run("callback not confirmed, SkipCallbackConfirmed", func(t *testing.T) {
		skip := nocc
		skip.SkipCallbackConfirmed = true
		cfg := &oauth1.Config{ConsumerKey: hmacKey, ConsumerSecret: hmacSecret, Endpoint: skip, CallbackURL: "http://127.0.0.1:9/cb"}
		if _, err := cfg.RequestToken(ctx); err != nil {
			t.Error(err)
		}
	})
	t.Run("verifier refused", func(t *testing.T) {
		deny := ep
		deny.AccessTokenURL = base + "/deny/access_token"
		cfg := &oauth1.Config{ConsumerKey: hmacKey, ConsumerSecret: hmacSecret, Endpoint: deny}
		rt, err := cfg.RequestToken(ctx)
		if err != nil {
			t.Fatal(err)
		}
		authURL, err := cfg.AuthorizationURL(rt, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, verifier, err := authorize(authURL)
		if err != nil {
			t.Fatal(err)
		}
		_, err = cfg.AccessToken(ctx, rt, verifier)
		wantStatus(t, err, 401)
	})
	t.Run("wrong verifier", func(t *testing.T) {
		cfg := &oauth1.Config{ConsumerKey: hmacKey, ConsumerSecret: hmacSecret, Endpoint: ep}
		rt, err := cfg.RequestToken(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, err = cfg.AccessToken(ctx, rt, "wrongverifier0000000000")
		wantStatus(t, err, 401)
	})
	t.Run("TokenMethod GET", func(t *testing.T) {
		get := ep
		get.TokenMethod = "GET"
		cfg := &oauth1.Config{ConsumerKey: hmacKey, ConsumerSecret: hmacSecret, Endpoint: get}
		if _, _, err := dance(cfg); err != nil {
			t.Error(err)
		}
	})

	cfg := &oauth1.Config{ConsumerKey: hmacKey, ConsumerSecret: hmacSecret, Endpoint: ep}
	at, _, err := dance(cfg)
	if err != nil {
		t.Fatal(err)
	}
	get := func(cfg *oauth1.Config, tok *oauth1.Token, path string) error {
		client := cfg.Client(tok)
		client.Timeout = 30 * time.Second
		resp, err := client.Get(base + path)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		return oauth1.CheckResponse(resp)
	}
	t.Run("wrong token secret on a protected request", func(t *testing.T) {
		err := get(cfg, &oauth1.Token{Token: at.Token, Secret: "wrong"}, "/res/x")
		wantStatus(t, err, 401)
	})
	// oauthlib's RequestValidator defaults accept only nonces of 20-30
	// ASCII letters and digits (nonce_length, safe_characters): oauthkit's
	// default nonces pass them.
	t.Run("oauthlib default validator limits, default nonce", func(t *testing.T) {
		if err := get(cfg, at, "/strict/res/x"); err != nil {
			t.Error(err)
		}
	})
	t.Run("oauthlib default validator limits, Config.Nonce of 30 alphanumerics", func(t *testing.T) {
		c2 := *cfg
		c2.Nonce = func() (string, error) { return fmt.Sprintf("n%029d", time.Now().UnixNano()), nil }
		if err := get(&c2, at, "/strict/res/x"); err != nil {
			t.Error(err)
		}
	})
}

// TestOAuthlibProviderPort80 runs the flow and a protected request against
// a provider on port 80, named with and without the port: the base string
// URI leaves the default port out either way (RFC 5849 §3.4.1.2). It needs
// root to bind port 80 and is skipped otherwise.
func TestOAuthlibProviderPort80(t *testing.T) {
	python(t)
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("port 80 cases not run: binding 127.0.0.1:80 needs root")
	}
	if _, err := startProvider(t, "80"); err != nil {
		t.Skipf("port 80 cases not run: %v", err)
	}
	for _, prefix := range []string{"http://127.0.0.1:80", "http://127.0.0.1"} {
		prefix := prefix
		t.Run(strings.TrimPrefix(prefix, "http://"), func(t *testing.T) {
			cfg := &oauth1.Config{ConsumerKey: hmacKey, ConsumerSecret: hmacSecret,
				Endpoint: oauth1.Endpoint{RequestTokenURL: prefix + "/request_token", AuthorizeURL: prefix + "/authorize", AccessTokenURL: prefix + "/access_token"}}
			at, _, err := dance(cfg)
			if err != nil {
				t.Fatalf("dance: %v", err)
			}
			for _, pl := range placements {
				c := *cfg
				c.Placement = pl
				rc := resCase{name: "GET", method: "GET", path: "/res/p80?x=1"}
				if pl == oauth1.InFormBody {
					rc = resCase{name: "POST form", method: "POST", path: "/res/p80?x=1", body: "y=2", contentType: "application/x-www-form-urlencoded"}
				}
				t.Run(pl.String()+" "+rc.name, func(t *testing.T) {
					detail, err := doResource(prefix, &c, at, rc)
					judge(t, nil, err, detail)
				})
			}
		})
	}
}
