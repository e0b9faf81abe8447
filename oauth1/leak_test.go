package oauth1_test

// Resource leaks: every response body the package is handed is closed
// (but the one a resource request returns, which is the caller's), and
// the caller's request body is closed on every path, whatever a hostile
// or broken server answers.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth1"
)

// leakBody is a response body that records whether it was closed. Its
// content ends with io.EOF, an error (endReadErr), or a wait for the
// request's context after cancelling the caller's context (endCancel).
type leakBody struct {
	r      io.Reader
	mode   leakMode
	req    *http.Request
	cancel func()
	closed atomic.Bool
}

type leakMode int

const (
	endEOF leakMode = iota
	endReadErr
	endCancel
)

var errLeakRead = errors.New("leaktest: connection reset midway")

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
		<-b.req.Context().Done()
		return n, b.req.Context().Err()
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
// every body it hands out. It reads and closes each request body, as a
// RoundTripper must.
type leakRT struct {
	reply  func(req *http.Request) leakReply
	cancel func()

	mu     sync.Mutex
	bodies []*leakBody
}

func (rt *leakRT) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	r := rt.reply(req)
	b := &leakBody{r: strings.NewReader(r.body), mode: r.mode, req: req, cancel: rt.cancel}
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

func (rt *leakRT) open() (open, total int) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	for _, b := range rt.bodies {
		if !b.closed.Load() {
			open++
		}
	}
	return open, len(rt.bodies)
}

// trackedReqBody is a caller's request body that records Close.
type trackedReqBody struct {
	io.Reader
	closed atomic.Bool
}

func (b *trackedReqBody) Close() error { b.closed.Store(true); return nil }

const leakForm = "oauth_token=t2&oauth_token_secret=s2&oauth_callback_confirmed=true&user_id=1"

var leakOutcomes = []struct {
	name  string
	reply leakReply
}{
	{"ok", leakReply{status: 200, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, body: leakForm}},
	{"malformed JSON", leakReply{status: 200, header: map[string]string{"Content-Type": "application/json"}, body: `{"oauth_token":`}},
	{"malformed form", leakReply{status: 200, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, body: `oauth_token=%zz&&=`}},
	{"oversized", leakReply{status: 200, body: "oauth_token=" + strings.Repeat("a", 8<<10)}},
	{"wrong type", leakReply{status: 200, header: map[string]string{"Content-Type": "text/html"}, body: `<html>hello</html>`}},
	{"redirect same host", leakReply{status: 302, header: map[string]string{"Location": "https://api.example/next"}, body: `moved`}},
	{"redirect other host", leakReply{status: 307, header: map[string]string{"Location": "https://elsewhere.example/x"}, body: `moved`}},
	{"redirect bad location", leakReply{status: 301, header: map[string]string{"Location": "%zz://\x7f"}, body: `moved`}},
	{"401 problem", leakReply{status: 401, header: map[string]string{"WWW-Authenticate": `OAuth realm="x", oauth_problem="token_rejected"`}, body: `oauth_problem=token_rejected`}},
	{"400 body", leakReply{status: 400, body: `oauth_problem=parameter_absent`}},
	{"500 empty", leakReply{status: 500}},
	{"read error", leakReply{status: 200, body: `oauth_token=a`, mode: endReadErr}},
	{"read error 401", leakReply{status: 401, body: `oauth_problem=x`, mode: endReadErr}},
	{"cancel midway", leakReply{status: 200, body: `oauth_token=a`, mode: endCancel}},
	{"cancel midway 500", leakReply{status: 500, body: `oauth_problem=x`, mode: endCancel}},
}

func TestLeakResponseBodies(t *testing.T) {
	type entry struct {
		name string
		// target is the path that gets the outcome; the others answer ok.
		target string
		call   func(ctx context.Context, cfg *oauth1.Config) (*http.Response, *trackedReqBody, error)
	}
	resource := func(method, contentType string, body string) func(ctx context.Context, cfg *oauth1.Config) (*http.Response, *trackedReqBody, error) {
		return func(ctx context.Context, cfg *oauth1.Config) (*http.Response, *trackedReqBody, error) {
			var rb *trackedReqBody
			var r io.Reader
			if body != "" {
				rb = &trackedReqBody{Reader: strings.NewReader(body)}
				r = rb
			}
			req, err := http.NewRequestWithContext(ctx, method, "https://api.example/resource", r)
			if err != nil {
				return nil, nil, err
			}
			if contentType != "" {
				req.Header.Set("Content-Type", contentType)
			}
			resp, err := cfg.Client(&oauth1.Token{Token: "t", Secret: "s"}).Do(req)
			return resp, rb, err
		}
	}
	entries := []entry{
		{"RequestToken", "/request", func(ctx context.Context, cfg *oauth1.Config) (*http.Response, *trackedReqBody, error) {
			_, err := cfg.RequestToken(ctx)
			return nil, nil, err
		}},
		{"AccessToken", "/access", func(ctx context.Context, cfg *oauth1.Config) (*http.Response, *trackedReqBody, error) {
			_, err := cfg.AccessToken(ctx, &oauth1.Token{Token: "rt", Secret: "rs"}, "v")
			return nil, nil, err
		}},
		{"Client GET", "/resource", resource(http.MethodGet, "", "")},
		{"Client POST form", "/resource", resource(http.MethodPost, "application/x-www-form-urlencoded", "a=1&b=2")},
		{"Client POST form too large", "/resource", resource(http.MethodPost, "application/x-www-form-urlencoded", "a="+strings.Repeat("x", 8<<10))},
		{"Client POST malformed form", "/resource", resource(http.MethodPost, "application/x-www-form-urlencoded", "a=%zz")},
		{"Client PUT JSON", "/resource", resource(http.MethodPut, "application/json", `{"a":1}`)},
	}
	for _, e := range entries {
		for _, v := range []struct {
			placement oauth1.Placement
			bodyHash  bool
		}{{oauth1.InHeader, false}, {oauth1.InHeader, true}, {oauth1.InQuery, false}, {oauth1.InFormBody, true}} {
			for _, o := range leakOutcomes {
				name := fmt.Sprintf("%s/%s/%v", e.name, o.name, v.placement)
				if v.bodyHash {
					name += "/body hash"
				}
				t.Run(name, func(t *testing.T) {
					ctx, cancel := context.WithCancel(context.Background())
					defer cancel()
					rt := &leakRT{cancel: cancel}
					var hits atomic.Int32
					rt.reply = func(req *http.Request) leakReply {
						if req.URL.Path == e.target && hits.Add(1) == 1 {
							return o.reply
						}
						return leakOutcomes[0].reply
					}
					cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs", CallbackURL: "https://app.example/cb",
						Endpoint: oauth1.Endpoint{RequestTokenURL: "https://as.example/request",
							AuthorizeURL: "https://as.example/authorize", AccessTokenURL: "https://as.example/access"},
						HTTPClient: &http.Client{Transport: rt}, MaxBodyBytes: 4 << 10, BodyHash: v.bodyHash, Placement: v.placement,
						Now: func() time.Time { return time.Unix(1700000000, 0) }}
					resp, rb, err := e.call(ctx, cfg)
					if resp != nil {
						if err != nil {
							t.Errorf("both a response and an error: %v", err)
						}
						resp.Body.Close()
					}
					if open, total := rt.open(); open != 0 {
						t.Errorf("%d of %d response bodies left open (err %v)", open, total, err)
					}
					if rb != nil && !rb.closed.Load() {
						t.Errorf("the caller's request body was not closed (err %v)", err)
					}
				})
			}
		}
	}
}
