package oauth2

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a settable Config.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// grantRT is a token endpoint that counts requests per grant_type and
// answers with status and body.
type grantRT struct {
	status int
	body   string
	header http.Header
	mu     sync.Mutex
	grants []string
	n      atomic.Int32
}

func (g *grantRT) RoundTrip(r *http.Request) (*http.Response, error) {
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	g.n.Add(1)
	g.mu.Lock()
	q, _ := url.ParseQuery(string(b))
	g.grants = append(g.grants, q.Get("grant_type"))
	g.mu.Unlock()
	h := http.Header{"Content-Type": {"application/json"}}
	for k, v := range g.header {
		h[k] = v
	}
	st := g.status
	if st == 0 {
		st = 200
	}
	return &http.Response{StatusCode: st, Header: h, Body: io.NopCloser(strings.NewReader(g.body)), Request: r}, nil
}

func TestClientCredentialsRegrantOnlyForItsToken(t *testing.T) {
	clk := newClock()
	rt := &grantRT{body: `{"access_token":"APP","expires_in":3600}`}
	cfg := &Config{ClientID: "id", ClientSecret: "s", Endpoint: Endpoint{TokenURL: "https://as.example/token"},
		HTTPClient: &http.Client{Transport: rt}, Now: clk.Now}
	ctx := context.Background()

	t.Run("user token set later", func(t *testing.T) {
		s := cfg.NewSession(nil)
		if _, err := s.ClientCredentials(ctx); err != nil {
			t.Fatal(err)
		}
		s.SetToken(&Token{AccessToken: "ALICE", Expiry: clk.Now().Add(time.Minute)})
		clk.advance(2 * time.Minute)
		before := rt.n.Load()
		if tok, err := s.Token(ctx); !errors.Is(err, ErrTokenExpired) {
			t.Errorf("Token() = %v, %v; want ErrTokenExpired", tok, err)
		}
		if _, err := s.Refresh(ctx); !errors.Is(err, ErrNoRefreshToken) {
			t.Errorf("Refresh() err = %v, want ErrNoRefreshToken", err)
		}
		if n := rt.n.Load() - before; n != 0 {
			t.Errorf("%d token requests for a user token without refresh token, want 0", n)
		}
	})

	t.Run("client credentials token re-granted twice", func(t *testing.T) {
		s := cfg.NewSession(nil)
		if _, err := s.ClientCredentials(ctx); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			clk.advance(2 * time.Hour)
			if tok, err := s.Token(ctx); err != nil || tok.AccessToken != "APP" {
				t.Fatalf("expiry %d: Token() = %v, %v", i+1, tok, err)
			}
		}
	})

	t.Run("Exchange after ClientCredentials", func(t *testing.T) {
		s := cfg.NewSession(nil)
		if _, err := s.ClientCredentials(ctx); err != nil {
			t.Fatal(err)
		}
		// A user token obtained by another grant, without refresh token.
		if _, err := s.Password(ctx, "alice", "pw"); err != nil {
			t.Fatal(err)
		}
		clk.advance(2 * time.Hour)
		if _, err := s.Token(ctx); !errors.Is(err, ErrTokenExpired) {
			t.Errorf("Token() err = %v, want ErrTokenExpired", err)
		}
	})
}
