package oidc_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2/oidc"
)

// clock is a settable clock shared by the fake provider and the code under
// test, so that no test depends on the wall clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Unix(1700000000, 0).UTC()} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newServer starts a fake provider on loopback whose clock is clk,
// configured by configure before its first request.
func newServer(t testing.TB, clk *clock, configure func(*fakeprovider.OAuth2)) *fakeprovider.Server {
	t.Helper()
	s := fakeprovider.NewServer()
	t.Cleanup(s.Close)
	s.OAuth2.Now = clk.Now
	if configure != nil {
		configure(s.OAuth2)
	}
	return s
}

// issuer returns the fake provider's issuer identifier.
func issuer(s *fakeprovider.Server) string { return s.URL + "/oauth2" }

// newProvider discovers s's issuer with clk as the clock.
func newProvider(t testing.TB, s *fakeprovider.Server, clk *clock) *oidc.Provider {
	t.Helper()
	p, err := oidc.NewProvider(context.Background(), issuer(s), &oidc.Options{Now: clk.Now, HTTPClient: s.Client()})
	if err != nil {
		t.Fatalf("NewProvider() error = %v", err)
	}
	return p
}

// roundTripper answers requests in memory, for hosts a test cannot
// listen on.
type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// jsonResponse returns a 200 response with body as JSON and header h.
func jsonResponse(r *http.Request, body string, h ...string) *http.Response {
	resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body)), Request: r}
	for i := 0; i+1 < len(h); i += 2 {
		resp.Header.Set(h[i], h[i+1])
	}
	return resp
}
