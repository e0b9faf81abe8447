package oauth2_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
)

var errRefused = errors.New("refused by the test")

// checker is a Session.VerifyToken that records what it was given and
// refuses while refuse is set, or panics while panics is set.
type checker struct {
	mu     sync.Mutex
	refuse bool
	panics bool
	calls  [][2]string // the access tokens of old ("" for nil) and new
}

func (c *checker) verify(_ context.Context, old, tok *oauth2.Token) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	o := ""
	if old != nil {
		o = old.AccessToken
	}
	c.calls = append(c.calls, [2]string{o, tok.AccessToken})
	if c.panics {
		panic("checker panics")
	}
	if c.refuse {
		return errRefused
	}
	return nil
}

func (c *checker) set(refuse, panics bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refuse, c.panics = refuse, panics
}

func (c *checker) seen() [][2]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][2]string(nil), c.calls...)
}

// TestVerifyTokenRefresh checks that VerifyToken sees every refreshed
// token before OnTokenUpdate does, and that a token it refuses is neither
// installed nor offered: Refresh fails with its error, the session keeps
// its token while it is valid, and fails once it has expired.
func TestVerifyTokenRefresh(t *testing.T) {
	tests := []struct {
		name    string
		refuse  bool
		panics  bool
		wantErr error
	}{
		{name: "accepted"},
		{name: "refused", refuse: true, wantErr: errRefused},
		{name: "panics", panics: true, wantErr: &oauth2.PanicError{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _, s, st := savedSession(t)
			first := s.CachedToken()
			c := &checker{}
			c.set(tt.refuse, tt.panics)
			s.VerifyToken = c.verify
			ctx := context.Background()

			tok, err := s.Refresh(ctx)
			switch pe := (*oauth2.PanicError)(nil); {
			case tt.wantErr == nil:
				if err != nil {
					t.Fatalf("Refresh() error = %v", err)
				}
			case errors.As(tt.wantErr, &pe):
				if !errors.As(err, &pe) || pe.Hook != "refresh" || pe.Value != "checker panics" {
					t.Fatalf("Refresh() error = %v, want the *PanicError of the refresh", err)
				}
			default:
				if !errors.Is(err, tt.wantErr) || tok != nil {
					t.Fatalf("Refresh() = %v, %v; want %v", tok, err, tt.wantErr)
				}
			}
			if n := srv.OAuth2.Refreshes(); n != 1 {
				t.Errorf("provider served %d refreshes, want 1", n)
			}
			calls := c.seen()
			if len(calls) != 1 || calls[0][0] != first.AccessToken || calls[0][1] == first.AccessToken || calls[0][1] == "" {
				t.Fatalf("VerifyToken calls (old, new) = %q, want one with the first token and a new one", calls)
			}
			if tt.wantErr == nil {
				if got := s.CachedToken(); got != tok || got.AccessToken != calls[0][1] {
					t.Errorf("CachedToken() is not the token VerifyToken accepted")
				}
				if n := st.offered(); n != 1 {
					t.Errorf("OnTokenUpdate called %d times, want 1", n)
				}
				return
			}
			if s.CachedToken() != first {
				t.Errorf("CachedToken() changed after a refused refresh")
			}
			if n := st.offered(); n != 0 {
				t.Errorf("OnTokenUpdate called %d times with a refused token, want 0", n)
			}
			// Valid still: the session uses its token.
			if got, err := s.Token(ctx); err != nil || got != first {
				t.Errorf("Token() = %v, %v; want the first token", got, err)
			}
		})
	}
}

// TestVerifyTokenAfterExpiry checks that once the token has expired, a
// refused refresh fails Token and the Transport, and that the session
// recovers when a later token is accepted.
func TestVerifyTokenAfterExpiry(t *testing.T) {
	clock := newTestClock()
	srv := newProvider(t)
	srv.OAuth2.Now = clock.now
	// The refresh token stays usable after a refused refresh: a server
	// that rotates it would refuse the old one (invalid_grant).
	srv.OAuth2.RotateRefreshTokens = false
	cfg := *clients(t, srv)["client_secret_basic"]
	cfg.Now = clock.now
	ctx := context.Background()
	first, err := cfg.PasswordCredentialsToken(ctx, "alice", "wonderland")
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.NewSession(first)
	c := &checker{}
	c.set(true, false)
	s.VerifyToken = c.verify
	clock.add(first.Expiry.Sub(clock.now()) + time.Minute)
	if _, err := s.Token(ctx); !errors.Is(err, errRefused) {
		t.Fatalf("Token() error = %v, want errRefused", err)
	}
	if _, err := s.Client().Get(srv.URL + fakeprovider.OAuth2ResourcePath); !errors.Is(err, errRefused) {
		t.Fatalf("Client().Get() error = %v, want errRefused", err)
	}
	if s.CachedToken() != first {
		t.Errorf("CachedToken() changed after refused refreshes")
	}
	c.set(false, false)
	got, err := s.Token(ctx)
	if err != nil || got == first || s.CachedToken() != got {
		t.Fatalf("Token() = %v, %v; want a new token, installed", got, err)
	}
	if n := len(c.seen()); n != 3 {
		t.Errorf("VerifyToken called %d times, want 3", n)
	}
}

// TestVerifyTokenGrant checks that a renewing session's first token, from
// its grant, reaches VerifyToken with a nil old token.
func TestVerifyTokenGrant(t *testing.T) {
	srv := newProvider(t)
	cfg := clients(t, srv)["client_secret_basic"]
	s := cfg.ClientCredentials()
	c := &checker{}
	s.VerifyToken = c.verify
	tok, err := s.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][2]string{{"", tok.AccessToken}}, c.seen()); diff != "" {
		t.Errorf("VerifyToken calls (old, new) mismatch (-want +got):\n%s", diff)
	}
}
