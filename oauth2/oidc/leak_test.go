package oidc_test

// Resource leaks: every response body the package is handed is closed,
// whatever a hostile or broken provider answers, by a caller's fetch and
// by one that outlives its caller.

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oidc"
)

type leakMode int

const (
	endEOF leakMode = iota
	endReadErr
	endCancel
)

var errLeakRead = errors.New("leaktest: connection reset midway")

// leakBody is a response body that records whether it was closed. Its
// content ends with io.EOF, an error (endReadErr), or, after cancelling
// the caller's context, a wait for the request's context or for release
// (endCancel): a fetch detached from its caller ends when the test
// releases it.
type leakBody struct {
	r       io.Reader
	mode    leakMode
	req     *http.Request
	cancel  func()
	release <-chan struct{}
	closed  atomic.Bool
}

func (b *leakBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != io.EOF {
		return n, err
	}
	switch b.mode {
	case endReadErr:
		return n, errLeakRead
	case endCancel:
		b.cancel()
		select {
		case <-b.req.Context().Done():
			return n, b.req.Context().Err()
		case <-b.release:
			return n, errLeakRead
		}
	}
	return n, err
}

func (b *leakBody) Close() error {
	b.closed.Store(true)
	return nil
}

type leakReply struct {
	status int
	header map[string]string
	body   string
	mode   leakMode
}

// leakRT is an http.RoundTripper that answers from a script and keeps
// every body it hands out.
type leakRT struct {
	reply   func(req *http.Request) leakReply
	cancel  func()
	release chan struct{}

	mu     sync.Mutex
	bodies []*leakBody
}

func (rt *leakRT) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	r := rt.reply(req)
	b := &leakBody{r: strings.NewReader(r.body), mode: r.mode, req: req, cancel: rt.cancel, release: rt.release}
	rt.mu.Lock()
	rt.bodies = append(rt.bodies, b)
	rt.mu.Unlock()
	h := make(http.Header)
	for k, v := range r.header {
		h.Set(k, v)
	}
	return &http.Response{StatusCode: r.status, Status: fmt.Sprintf("%d %s", r.status, http.StatusText(r.status)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h, Body: b, ContentLength: -1, Request: req}, nil
}

// open returns how many bodies handed out are not closed, and how many
// were handed out. A fetch may outlive its caller: open polls, for a
// second at most, until every body is closed, before it counts them.
func (rt *leakRT) open() (open, total int) {
	deadline := time.Now().Add(time.Second)
	for {
		rt.mu.Lock()
		open, total = 0, len(rt.bodies)
		for _, b := range rt.bodies {
			if !b.closed.Load() {
				open++
			}
		}
		rt.mu.Unlock()
		if open == 0 || time.Now().After(deadline) {
			return open, total
		}
		time.Sleep(time.Millisecond)
	}
}

const leakIssuer = "https://op.example"

const leakDoc = `{"issuer":"https://op.example","authorization_endpoint":"https://op.example/auth",` +
	`"token_endpoint":"https://op.example/token","jwks_uri":"https://op.example/jwks",` +
	`"userinfo_endpoint":"https://op.example/userinfo","response_types_supported":["code"],` +
	`"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"],` +
	`"keys":[],"sub":"s","access_token":"at2","token_type":"Bearer","expires_in":3600}`

var leakOutcomes = []struct {
	name  string
	reply leakReply
}{
	{"ok", leakReply{status: 200, header: map[string]string{"Content-Type": "application/json"}, body: leakDoc}},
	{"malformed JSON", leakReply{status: 200, header: map[string]string{"Content-Type": "application/json"}, body: `{"issuer":`}},
	{"oversized", leakReply{status: 200, header: map[string]string{"Content-Type": "application/json"}, body: `{"x":"` + strings.Repeat("a", 8<<10) + `"}`}},
	{"wrong type", leakReply{status: 200, header: map[string]string{"Content-Type": "text/html"}, body: `<html>hello</html>`}},
	{"jwt type", leakReply{status: 200, header: map[string]string{"Content-Type": "application/jwt"}, body: `a.b.c`}},
	{"redirect same origin", leakReply{status: 302, header: map[string]string{"Location": "https://op.example/moved"}, body: `moved`}},
	{"redirect elsewhere", leakReply{status: 302, header: map[string]string{"Location": "https://elsewhere.example/x"}, body: `moved`}},
	{"redirect bad location", leakReply{status: 307, header: map[string]string{"Location": "%zz://\x7f"}, body: `moved`}},
	{"401 bearer", leakReply{status: 401, header: map[string]string{"WWW-Authenticate": `Bearer error="invalid_token"`}, body: `{"error":"invalid_token"}`}},
	{"500 empty", leakReply{status: 500}},
	{"read error", leakReply{status: 200, header: map[string]string{"Content-Type": "application/json"}, body: `{"issuer":"h`, mode: endReadErr}},
	{"cancel midway", leakReply{status: 200, header: map[string]string{"Content-Type": "application/json"}, body: `{"issuer":"h`, mode: endCancel}},
	{"cancel midway 401", leakReply{status: 401, header: map[string]string{"WWW-Authenticate": `Bearer error="invalid_token"`}, body: `{"e`, mode: endCancel}},
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
				rt := &leakRT{cancel: cancel, release: make(chan struct{})}
				var armed atomic.Bool // the outcome goes to the request of the call, not the setup's
				var hits atomic.Int32
				rt.reply = func(req *http.Request) leakReply {
					if armed.Load() && req.URL.Path == e.target && hits.Add(1) == 1 {
						return o.reply
					}
					return leakOutcomes[0].reply
				}
				opts := &oidc.Options{HTTPClient: &http.Client{Transport: rt}, MaxBodyBytes: 4 << 10,
					Now: func() time.Time { return now }}
				err := e.call(ctx, t, opts, func() { armed.Store(true) })
				close(rt.release)
				if open, total := rt.open(); open != 0 {
					t.Errorf("%d of %d response bodies left open (err %v)", open, total, err)
				}
			})
		}
	}
}
