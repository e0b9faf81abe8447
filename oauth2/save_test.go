package oauth2_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
)

// store is an OnTokenUpdate that fails while down is set, and records
// every token it was offered and the last one it saved, as JSON.
type store struct {
	down    atomic.Bool
	clock   *testClock
	mu      sync.Mutex
	offers  []time.Time // when each offer came, by the clock
	tokens  []*oauth2.Token
	saved   []byte
	calls   atomic.Int32 // calls running now
	overlap atomic.Bool  // two calls ran at once
}

var errStoreDown = errors.New("store down")

func (s *store) update(_ context.Context, tok *oauth2.Token) error {
	if s.calls.Add(1) > 1 {
		s.overlap.Store(true)
	}
	defer s.calls.Add(-1)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offers = append(s.offers, s.clock.now())
	s.tokens = append(s.tokens, tok)
	if s.down.Load() {
		return errStoreDown
	}
	b, err := json.Marshal(tok)
	s.saved = b
	return err
}

func (s *store) offered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.offers)
}

// savedToken returns the token last saved.
func (s *store) savedToken(t *testing.T) *oauth2.Token {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var tok oauth2.Token
	if err := json.Unmarshal(s.saved, &tok); err != nil {
		t.Fatalf("saved token: %v", err)
	}
	return &tok
}

// savedSession returns a provider and a session of a password-grant token
// that expires an hour after the clock's start, with st as OnTokenUpdate.
func savedSession(t *testing.T) (*fakeprovider.Server, *oauth2.Config, *oauth2.Session, *store) {
	t.Helper()
	clock := newTestClock()
	srv := newProvider(t)
	srv.OAuth2.Now = clock.now
	cfg := *clients(t, srv)["client_secret_basic"]
	cfg.Now = clock.now
	tok, err := cfg.PasswordCredentialsToken(context.Background(), "alice", "wonderland")
	if err != nil {
		t.Fatal(err)
	}
	st := &store{clock: clock}
	s := cfg.NewSession(tok)
	s.OnTokenUpdate = st.update
	return srv, &cfg, s, st
}

// An explicit Refresh whose token OnTokenUpdate refuses returns that
// error, and the token is installed nonetheless.
func TestSaveFailsExplicitRefresh(t *testing.T) {
	ctx := context.Background()
	srv, _, s, st := savedSession(t)
	old := s.CachedToken()
	st.down.Store(true)
	if tok, err := s.Refresh(ctx); !errors.Is(err, errStoreDown) || tok != nil {
		t.Fatalf("Refresh = %v, %v; want the store's error", tok, err)
	}
	got := s.CachedToken()
	if got == old || got != st.tokens[0] {
		t.Fatalf("CachedToken after a refused save = %v, want the new token", got)
	}
	before := srv.OAuth2.TokenRequests()
	if tok, err := s.Token(ctx); err != nil || tok != got {
		t.Errorf("Token = %v, %v; want the new token", tok, err)
	}
	if n := srv.OAuth2.TokenRequests() - before; n != 0 {
		t.Errorf("%d token requests to use the new token, want 0", n)
	}
}

// An automatic refresh whose token OnTokenUpdate refuses does not fail
// the request; the token is offered again at the next use after the
// back-off (1 s, doubling, at most a minute) until it is saved; and
// CachedToken is the new token throughout.
func TestSaveFailsAutomaticRefresh(t *testing.T) {
	ctx := context.Background()
	srv, _, s, st := savedSession(t)
	st.down.Store(true)
	c := s.Client()
	st.clock.add(time.Hour) // expired: the next request refreshes
	if err := get(ctx, srv, c); err != nil {
		t.Fatalf("request after a refused save: %v", err)
	}
	newTok := s.CachedToken()
	if st.offered() != 1 || newTok != st.tokens[0] {
		t.Fatalf("offers = %d; CachedToken = %v, want the offered token", st.offered(), newTok)
	}
	t0 := st.clock.now()
	// Requests every 100 ms for 130 s: the offers come at 1, 3, 7, 15,
	// 31, 63 and 123 s (back-offs of 1, 2, 4, 8, 16, 32 and 60 s).
	for i := 0; i < 1300; i++ {
		st.clock.add(100 * time.Millisecond)
		if err := get(ctx, srv, c); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if s.CachedToken() != newTok {
			t.Fatalf("request %d: CachedToken changed", i)
		}
	}
	var at []time.Duration
	st.mu.Lock()
	for _, o := range st.offers[1:] {
		at = append(at, o.Sub(t0))
	}
	for i, tok := range st.tokens {
		if tok != newTok {
			t.Errorf("offer %d: another token than the session's", i)
		}
	}
	st.mu.Unlock()
	s1 := time.Second
	want := []time.Duration{1 * s1, 3 * s1, 7 * s1, 15 * s1, 31 * s1, 63 * s1, 123 * s1}
	if diff := cmp.Diff(want, at); diff != "" {
		t.Errorf("offers after the refused save (-want +got):\n%s", diff)
	}
	// The store recovers: the next offer saves the token, and no other
	// offer follows.
	st.down.Store(false)
	for i := 0; i < 700; i++ {
		st.clock.add(100 * time.Millisecond)
		if _, err := s.Token(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := st.offered(); n != len(want)+2 {
		t.Errorf("%d offers in all, want %d: one more to save it, then none", n, len(want)+2)
	}
	if got := st.savedToken(t); got.AccessToken != newTok.AccessToken || got.RefreshToken != newTok.RefreshToken {
		t.Errorf("saved %v, want the session's token %v", got, newTok)
	}
	if n := srv.OAuth2.Refreshes(); n != 1 {
		t.Errorf("provider served %d refreshes, want 1", n)
	}
}

// With a store that fails across several refreshes and a provider that
// rotates refresh tokens, nothing is lost: the session goes on with the
// newest token, and once the store is back the token it saves is the
// newest, whose refresh token is the one the provider accepts.
func TestSaveFailsAcrossRotations(t *testing.T) {
	ctx := context.Background()
	srv, cfg, s, st := savedSession(t)
	if !srv.OAuth2.RotateRefreshTokens {
		t.Fatal("the provider does not rotate refresh tokens")
	}
	first := s.CachedToken()
	st.down.Store(true)
	c := s.Client()
	for i := 0; i < 3; i++ {
		st.clock.add(time.Hour)
		if err := get(ctx, srv, c); err != nil {
			t.Fatalf("request after refresh %d: %v", i+1, err)
		}
	}
	if n := srv.OAuth2.Refreshes(); n != 3 {
		t.Fatalf("provider served %d refreshes, want 3", n)
	}
	st.down.Store(false)
	st.clock.add(time.Minute) // past any back-off
	if err := get(ctx, srv, c); err != nil {
		t.Fatal(err)
	}
	saved := st.savedToken(t)
	if saved.RefreshToken != s.CachedToken().RefreshToken {
		t.Fatalf("saved refresh token is not the session's newest")
	}
	// A process restarted from the saved token refreshes; the first
	// refresh token was spent long ago.
	if _, err := cfg.NewSession(saved).Refresh(ctx); err != nil {
		t.Errorf("refresh with the saved token: %v", err)
	}
	if _, err := cfg.NewSession(first).Refresh(ctx); !errors.Is(err, oauth2.ErrInvalidGrant) {
		t.Errorf("refresh with the first token: err = %v, want ErrInvalidGrant", err)
	}
}

// OnTokenUpdate calls never overlap, though 200 requests find the token
// due at once and offers are due while a refresh runs.
func TestSaveCallsDoNotOverlap(t *testing.T) {
	ctx := context.Background()
	srv, _, s, st := savedSession(t)
	st.down.Store(true)
	c := s.Client()
	for round := 0; round < 5; round++ {
		st.clock.add(40 * time.Minute) // due for a refresh every other round
		storm(200, func(int) {
			if err := get(ctx, srv, c); err != nil {
				t.Error(err)
			}
		})
	}
	if st.overlap.Load() {
		t.Error("two OnTokenUpdate calls ran at once")
	}
	if st.offered() < 3 {
		t.Errorf("%d offers, want a few: the test did not exercise them", st.offered())
	}
}
