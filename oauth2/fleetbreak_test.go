package oauth2_test

// Adversarial tests of refresh shared across processes (session 20,
// fleet).

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2"
)

// A session holds a token its store refused (saved later by an offer),
// and a refresh of it is under way when a request offers it to the store
// again and the offer succeeds: the refresh's own save then loses the
// compare-and-swap to the session's older token, whose refresh token the
// refresh just spent. The session must keep the token the server issued
// (and get it saved), never go back to the spent refresh token, which a
// server with reuse detection answers by revoking the grant.
func TestStoreOfferDuringRefresh(t *testing.T) {
	ctx := context.Background()
	srv, cfg, clock, st := fleet(t)
	noSaveRetry(cfg)
	s, _ := member(cfg, st)
	if _, err := s.Token(ctx); err != nil {
		t.Fatal(err)
	}
	// A refresh whose save fails: the session holds t2, unsaved.
	st.beforeSave = func() { st.down.Store(true) }
	if _, err := s.Refresh(ctx); !errors.Is(err, errStoreDown) {
		t.Fatalf("Refresh with the store down = %v, want errStoreDown", err)
	}
	t2 := s.CachedToken()
	st.beforeSave = nil
	st.down.Store(false)
	clock.add(time.Second) // the back-off has passed: t2 is offered again at the next use

	// A refresh that stops once the server has answered, under the lock.
	answered, proceed := make(chan struct{}), make(chan struct{})
	s.VerifyToken = func(context.Context, *oauth2.Token, *oauth2.Token) error {
		close(answered)
		<-proceed
		return nil
	}
	type result struct {
		tok *oauth2.Token
		err error
	}
	refreshed := make(chan result, 1)
	go func() {
		tok, err := s.Refresh(ctx)
		refreshed <- result{tok, err}
	}()
	<-answered
	if _, err := s.Token(ctx); err != nil { // offers t2; the store takes it
		t.Fatal(err)
	}
	close(proceed)
	r := <-refreshed
	if r.err != nil {
		t.Fatalf("Refresh: %v", r.err)
	}
	s.VerifyToken = nil
	// The token the server issued last (t3) is the session's and the store's.
	if r.tok.RefreshToken == t2.RefreshToken {
		t.Errorf("Refresh returned the token it renewed, whose refresh token it spent")
	}
	if got := s.CachedToken(); got.AccessToken != r.tok.AccessToken {
		t.Errorf("the session holds another token than the one Refresh returned")
	}
	if got := st.stored(t); got.RefreshToken != s.CachedToken().RefreshToken {
		t.Errorf("the store holds another refresh token than the session's")
	}
	wantProvider(t, srv, 2)
	// Its renewal spends t3's refresh token, not t2's a second time.
	clock.add(time.Hour)
	if _, err := s.Token(ctx); err != nil {
		t.Errorf("Token after the expiry: %v", err)
	}
	wantProvider(t, srv, 3)
	if n := srv.OAuth2.RefreshTokenReuses(); n != 0 {
		t.Errorf("%d refresh tokens reused, want 0", n)
	}
}

// Sessions whose clocks disagree by more than a token's lifetime share a
// store: the one whose clock is ahead finds every stored token expired,
// and the one whose clock is behind uses tokens the server finds expired
// (and refuses). Neither ever refreshes with a spent refresh token, and
// each refresh is the one holder's under the lock.
func TestStoreClockSkew(t *testing.T) {
	ctx := context.Background()
	srv, cfg, clock, st := fleet(t)
	ahead, behind := *cfg, *cfg
	ahead.Now = func() time.Time { return clock.now().Add(2 * time.Hour) }
	behind.Now = func() time.Time { return clock.now().Add(-2 * time.Hour) }
	sessions := map[string]*oauth2.Session{}
	for name, c := range map[string]*oauth2.Config{"ahead": &ahead, "behind": &behind, "right": cfg} {
		s, _ := member(c, st)
		sessions[name] = s
	}
	for round := 0; round < 6; round++ {
		for _, name := range []string{"ahead", "behind", "right"} {
			// behind's requests may be refused until it forces a refresh
			_ = get(ctx, srv, sessions[name].Client())
		}
		clock.add(30 * time.Minute)
	}
	if n := srv.OAuth2.RefreshTokenReuses(); n != 0 {
		t.Errorf("%d refresh tokens reused, want 0", n)
	}
	if n := srv.OAuth2.GrantsRevoked(); n != 0 {
		t.Errorf("%d grants revoked, want 0", n)
	}
	if n := srv.OAuth2.Refreshes(); n > 6 {
		t.Errorf("%d refreshes in 6 rounds, want at most one a round", n)
	}
}
