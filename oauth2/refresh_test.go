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

	"github.com/google/go-cmp/cmp"
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
// answers with status and body, or refreshStatus and refreshBody to
// refresh requests when refreshStatus is set.
type grantRT struct {
	status        int
	body          string
	refreshStatus int
	refreshBody   string
	header        http.Header
	mu            sync.Mutex
	grants        []string
	n             atomic.Int32
}

func (g *grantRT) grantTypes() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.grants...)
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
	st, body := g.status, g.body
	if g.refreshStatus != 0 && q.Get("grant_type") == "refresh_token" {
		st, body = g.refreshStatus, g.refreshBody
	}
	if st == 0 {
		st = 200
	}
	return &http.Response{StatusCode: st, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
}

// What each kind of session does with a token that expires: a renewing
// session runs its grant (after trying the refresh token the server
// issued), whatever put the token there; a NewSession needs a refresh
// token.
func TestRenewal(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		body    string // every token response but refreshes'
		refresh string // the refresh responses: 400 with this error; "" for body
		new     func(*Config) *Session
		tok     *Token // SetToken before the expiry; nil to leave the first token
		// want: the grant_type of each request over two expiries, and the
		// error of Token after them.
		want    []string
		wantErr error
	}{
		{"client credentials, twice", `{"access_token":"APP","expires_in":3600}`, "",
			func(c *Config) *Session { return c.ClientCredentials() }, nil,
			[]string{"client_credentials", "client_credentials", "client_credentials"}, nil},
		{"client credentials, token set later", `{"access_token":"APP","expires_in":3600}`, "",
			func(c *Config) *Session { return c.ClientCredentials() }, &Token{AccessToken: "SAVED", Expiry: time.Unix(1, 0)},
			[]string{"client_credentials", "client_credentials", "client_credentials"}, nil},
		{"client credentials, refresh token first", `{"access_token":"APP","expires_in":3600,"refresh_token":"RT"}`, "",
			func(c *Config) *Session { return c.ClientCredentials() }, nil,
			[]string{"client_credentials", "refresh_token", "refresh_token"}, nil},
		{"client credentials, refused refresh token", `{"access_token":"APP","expires_in":3600}`, "invalid_grant",
			func(c *Config) *Session { return c.ClientCredentials() }, &Token{AccessToken: "SAVED", RefreshToken: "OLD", Expiry: time.Unix(1, 0)},
			[]string{"client_credentials", "refresh_token", "client_credentials", "client_credentials"}, nil},
		{"client credentials, refresh token down", `{"access_token":"APP","expires_in":3600}`, "temporarily_unavailable",
			func(c *Config) *Session { return c.ClientCredentials() }, &Token{AccessToken: "SAVED", RefreshToken: "OLD", Expiry: time.Unix(1, 0)},
			[]string{"client_credentials", "refresh_token", "refresh_token"}, ErrTemporarilyUnavailable},
		{"NewSession without refresh token", `{"access_token":"USER","expires_in":3600}`, "",
			func(c *Config) *Session { return c.NewSession(&Token{AccessToken: "USER", Expiry: time.Unix(1, 0)}) }, nil,
			nil, ErrTokenExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			rt := &grantRT{body: tt.body}
			cfg := &Config{ClientID: "id", ClientSecret: "s", Endpoint: Endpoint{TokenURL: "https://as.example/token"},
				HTTPClient: &http.Client{Transport: rt}, Now: clk.Now}
			if tt.refresh != "" {
				rt.refreshStatus, rt.refreshBody = 400, `{"error":"`+tt.refresh+`"}`
			}
			s := tt.new(cfg)
			if _, err := s.Token(ctx); err != nil && tt.wantErr == nil {
				t.Fatal(err)
			}
			if tt.tok != nil {
				if err := s.SetToken(tt.tok); err != nil {
					t.Fatal(err)
				}
			}
			var err error
			for i := 0; i < 2; i++ {
				clk.advance(2 * time.Hour)
				_, err = s.Token(ctx)
			}
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("Token() after the expiries: err = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, rt.grantTypes()); diff != "" {
				t.Errorf("grant types sent (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("NewSession without refresh token, Refresh", func(t *testing.T) {
		rt := &grantRT{body: `{"access_token":"X"}`}
		cfg := &Config{Endpoint: Endpoint{TokenURL: "https://as.example/token"}, HTTPClient: &http.Client{Transport: rt}}
		if _, err := cfg.NewSession(&Token{AccessToken: "USER"}).Refresh(ctx); !errors.Is(err, ErrNoRefreshToken) {
			t.Errorf("Refresh() err = %v, want ErrNoRefreshToken", err)
		}
		if _, err := cfg.NewSession(nil).Refresh(ctx); !errors.Is(err, ErrNoToken) {
			t.Errorf("Refresh() of an empty session: err = %v, want ErrNoToken", err)
		}
		if n := rt.n.Load(); n != 0 {
			t.Errorf("%d token requests, want 0", n)
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
			c := &http.Client{Transport: &Transport{Source: s, Base: &recordRT{}}}
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
