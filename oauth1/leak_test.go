package oauth1_test

// Resource leaks: every response body the package is handed is closed
// (but the one a resource request returns, which is the caller's), and
// the caller's request body is closed on every path, whatever a hostile
// or broken server answers.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthkit/oauth/internal/leaktest"
	"github.com/oauthkit/oauth/oauth1"
)

const leakForm = "oauth_token=t2&oauth_token_secret=s2&oauth_callback_confirmed=true&user_id=1"

var leakOutcomes = []struct {
	name  string
	reply leaktest.Reply
}{
	{"ok", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Body: leakForm}},
	{"malformed JSON", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: `{"oauth_token":`}},
	{"malformed form", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Body: `oauth_token=%zz&&=`}},
	{"oversized", leaktest.Reply{Status: 200, Body: "oauth_token=" + strings.Repeat("a", 8<<10)}},
	{"wrong type", leaktest.Reply{Status: 200, Header: map[string]string{"Content-Type": "text/html"}, Body: `<html>hello</html>`}},
	{"redirect same host", leaktest.Reply{Status: 302, Header: map[string]string{"Location": "https://api.example/next"}, Body: `moved`}},
	{"redirect other host", leaktest.Reply{Status: 307, Header: map[string]string{"Location": "https://elsewhere.example/x"}, Body: `moved`}},
	{"redirect bad location", leaktest.Reply{Status: 301, Header: map[string]string{"Location": "%zz://\x7f"}, Body: `moved`}},
	{"401 problem", leaktest.Reply{Status: 401, Header: map[string]string{"WWW-Authenticate": `OAuth realm="x", oauth_problem="token_rejected"`}, Body: `oauth_problem=token_rejected`}},
	{"400 body", leaktest.Reply{Status: 400, Body: `oauth_problem=parameter_absent`}},
	{"500 empty", leaktest.Reply{Status: 500}},
	{"read error", leaktest.Reply{Status: 200, Body: `oauth_token=a`, Mode: leaktest.ReadErr}},
	{"read error 401", leaktest.Reply{Status: 401, Body: `oauth_problem=x`, Mode: leaktest.ReadErr}},
	{"cancel midway", leaktest.Reply{Status: 200, Body: `oauth_token=a`, Mode: leaktest.Cancel}},
	{"cancel midway 500", leaktest.Reply{Status: 500, Body: `oauth_problem=x`, Mode: leaktest.Cancel}},
}

func TestLeakResponseBodies(t *testing.T) {
	type entry struct {
		name string
		// target is the path that gets the outcome; the others answer ok.
		target string
		call   func(ctx context.Context, cfg *oauth1.Config) (*http.Response, *leaktest.ReqBody, error)
	}
	resource := func(method, contentType string, body string) func(ctx context.Context, cfg *oauth1.Config) (*http.Response, *leaktest.ReqBody, error) {
		return func(ctx context.Context, cfg *oauth1.Config) (*http.Response, *leaktest.ReqBody, error) {
			var rb *leaktest.ReqBody
			var r io.Reader
			if body != "" {
				rb = &leaktest.ReqBody{Reader: strings.NewReader(body)}
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
		{"RequestToken", "/request", func(ctx context.Context, cfg *oauth1.Config) (*http.Response, *leaktest.ReqBody, error) {
			_, err := cfg.RequestToken(ctx)
			return nil, nil, err
		}},
		{"AccessToken", "/access", func(ctx context.Context, cfg *oauth1.Config) (*http.Response, *leaktest.ReqBody, error) {
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
					rt := &leaktest.RoundTripper{Cancel: cancel}
					var hits atomic.Int32
					rt.Reply = func(_ int, req *http.Request) leaktest.Reply {
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
					rt.Check(t, resp, rb, err)
				})
			}
		}
	}
}
