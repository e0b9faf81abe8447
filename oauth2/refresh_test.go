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

// A refresh that fails inside the leeway, while the token is still valid,
// does not fail the callers, and is not retried on every request.
func TestEarlyRefreshFailureKeepsValidToken(t *testing.T) {
	type step struct {
		advance  time.Duration // before the calls
		calls    int
		wantErr  bool // a *Error with status 503
		wantHits int32
	}
	tests := []struct {
		name       string
		retryAfter string
		steps      []step
	}{
		{
			// Token lives 60 s; leeway 10 s: the refresh starts at 50 s.
			name: "no Retry-After: wait half the remaining lifetime",
			steps: []step{
				{55 * time.Second, 5, false, 1},       // 5 s left: next try at 57.5 s
				{2 * time.Second, 5, false, 1},        // 57 s
				{time.Second, 5, false, 2},            // 58 s: 2 s left, next try at 59 s
				{500 * time.Millisecond, 5, false, 2}, // 58.5 s
				{time.Second, 5, false, 3},            // 59.5 s: next try at expiry
				{1500 * time.Millisecond, 1, true, 4}, // 61 s: expired, the error shows
				{0, 1, true, 5},                       // and every call retries
			},
		},
		{
			name:       "shorter Retry-After wins",
			retryAfter: "1",
			steps: []step{
				{55 * time.Second, 5, false, 1}, // next try at 56 s
				{900 * time.Millisecond, 5, false, 1},
				{100 * time.Millisecond, 5, false, 2},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			rt := &grantRT{status: 503, body: `{"error":"temporarily_unavailable"}`}
			if tt.retryAfter != "" {
				rt.header = http.Header{"Retry-After": {tt.retryAfter}}
			}
			cfg := &Config{ClientID: "id", Endpoint: Endpoint{TokenURL: "https://as.example/token"},
				HTTPClient: &http.Client{Transport: rt}, Now: clk.Now}
			s := cfg.NewSession(&Token{AccessToken: "still-valid", RefreshToken: "rt", Expiry: clk.Now().Add(time.Minute)})
			c := &http.Client{Transport: &Transport{Session: s, Base: &recordRT{}}}
			for i, st := range tt.steps {
				clk.advance(st.advance)
				for j := 0; j < st.calls; j++ {
					tok, err := s.Token(context.Background())
					var e *Error
					switch {
					case st.wantErr && (!errors.As(err, &e) || e.StatusCode != 503):
						t.Errorf("step %d call %d: Token() err = %v, want the 503", i, j, err)
					case !st.wantErr && (err != nil || tok.AccessToken != "still-valid"):
						t.Errorf("step %d call %d: Token() = %v, %v; want the still-valid token", i, j, tok, err)
					}
					if st.wantErr {
						continue
					}
					resp, err := c.Get("https://api.example/")
					if err != nil {
						t.Errorf("step %d call %d: Transport: %v", i, j, err)
						continue
					}
					resp.Body.Close()
				}
				if got := rt.n.Load(); got != st.wantHits {
					t.Errorf("after step %d: %d refresh attempts, want %d", i, got, st.wantHits)
				}
			}
		})
	}
}

// Session.Refresh reports its failure, and a failed Refresh of a fresh token
// does not bring its next automatic refresh forward.
func TestExplicitRefreshFailure(t *testing.T) {
	clk := newClock()
	rt := &grantRT{status: 503, body: `{"error":"temporarily_unavailable"}`}
	cfg := &Config{ClientID: "id", Endpoint: Endpoint{TokenURL: "https://as.example/token"},
		HTTPClient: &http.Client{Transport: rt}, Now: clk.Now}
	s := cfg.NewSession(&Token{AccessToken: "fresh", RefreshToken: "rt", Expiry: clk.Now().Add(time.Hour)})
	var e *Error
	if _, err := s.Refresh(context.Background()); !errors.As(err, &e) || e.StatusCode != 503 {
		t.Errorf("Refresh() err = %v, want the 503", err)
	}
	clk.advance(30 * time.Minute)
	if tok, err := s.Token(context.Background()); err != nil || tok.AccessToken != "fresh" {
		t.Errorf("Token() = %v, %v", tok, err)
	}
	if n := rt.n.Load(); n != 1 {
		t.Errorf("%d refresh attempts, want 1", n)
	}
	clk.advance(29*time.Minute + 55*time.Second) // inside the leeway
	if _, err := s.Refresh(context.Background()); !errors.As(err, &e) || e.StatusCode != 503 {
		t.Errorf("Refresh() inside the leeway: err = %v, want the 503", err)
	}
}
