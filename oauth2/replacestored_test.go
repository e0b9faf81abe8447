package oauth2_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2"
)

// A new login's token replaces the stored token of an earlier grant, under
// the lock; a member of the fleet that had the earlier token takes the new
// one when its token is due and renews the new grant, not the old one.
func TestReplaceStoredToken(t *testing.T) {
	ctx := context.Background()
	srv, cfg, clock, st := fleet(t)
	s, _ := member(cfg, st)
	old, err := s.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	login, err := cfg.PasswordCredentialsToken(ctx, "alice", "wonderland")
	if err != nil {
		t.Fatal(err)
	}
	if err := oauth2.ReplaceStoredToken(ctx, st, login); err != nil {
		t.Fatalf("ReplaceStoredToken() error = %v", err)
	}
	if got := st.stored(t); got.AccessToken != login.AccessToken || got.RefreshToken != login.RefreshToken {
		t.Fatalf("stored token = %v, want the login's", got)
	}
	if n := st.locks.Load(); n != 1 || !st.free() {
		t.Errorf("%d locks taken (free: %v), want 1, released", n, st.free())
	}

	clock.add(2 * time.Hour) // both grants' access tokens are due
	tok, err := s.Token(ctx)
	if err != nil {
		t.Fatalf("Token() after the replacement: %v", err)
	}
	if tok.AccessToken == old.AccessToken || tok.AccessToken == login.AccessToken {
		t.Errorf("Token() = %v, want a renewal", tok)
	}
	if got := st.stored(t); got.AccessToken != tok.AccessToken {
		t.Errorf("stored token %v, want the session's %v", got, tok)
	}
	// The provider refreshed once (the new grant: the old one's refresh
	// token was never presented again) and revoked nothing.
	wantProvider(t, srv, 1)
}

// Without a lock, a save that loses to another session's is tried again
// in place of the version that won.
func TestReplaceStoredTokenConflict(t *testing.T) {
	ctx := context.Background()
	_, _, _, st := fleet(t)
	other := &oauth2.Token{AccessToken: "other", RefreshToken: "other-rt"}
	n := 0
	st.beforeSave = func() {
		if n++; n == 1 {
			st.put(t, other) // another session saves between our Load and Save
		}
	}
	login := &oauth2.Token{AccessToken: "login", RefreshToken: "login-rt"}
	if err := oauth2.ReplaceStoredToken(ctx, unlockedStore{st}, login); err != nil {
		t.Fatalf("ReplaceStoredToken() error = %v", err)
	}
	if got := st.stored(t); got.AccessToken != "login" {
		t.Errorf("stored token %q, want the login's", got.AccessToken)
	}
	if n != 2 {
		t.Errorf("%d saves tried, want 2", n)
	}
}

func TestReplaceStoredTokenErrors(t *testing.T) {
	tok := &oauth2.Token{AccessToken: "at"}
	t.Run("no access token", func(t *testing.T) {
		for _, tok := range []*oauth2.Token{nil, {RefreshToken: "rt"}} {
			st := newMemStore()
			if err := oauth2.ReplaceStoredToken(context.Background(), st, tok); !errors.Is(err, oauth2.ErrMissingAccessToken) {
				t.Errorf("ReplaceStoredToken(%v) error = %v, want ErrMissingAccessToken", tok, err)
			}
			if st.saves.Load() != 0 || st.locks.Load() != 0 {
				t.Errorf("the store was used")
			}
		}
	})
	t.Run("store down", func(t *testing.T) {
		st := newMemStore()
		st.down.Store(true)
		if err := oauth2.ReplaceStoredToken(context.Background(), st, tok); !errors.Is(err, errStoreDown) {
			t.Errorf("error = %v, want errStoreDown", err)
		}
		if !st.free() {
			t.Error("the lock was not released")
		}
	})
	t.Run("save fails", func(t *testing.T) {
		st := newMemStore()
		st.saveFails.Store(1)
		if err := oauth2.ReplaceStoredToken(context.Background(), st, tok); !errors.Is(err, errStoreDown) {
			t.Errorf("error = %v, want errStoreDown", err)
		}
	})
	t.Run("conflicts until ctx is done", func(t *testing.T) {
		st := newMemStore()
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		st.beforeSave = func() {
			if n++; n == 3 {
				cancel()
			}
			st.put(t, &oauth2.Token{AccessToken: "other"})
		}
		err := oauth2.ReplaceStoredToken(ctx, unlockedStore{st}, tok)
		if !errors.Is(err, oauth2.ErrStoreConflict) || n != 3 {
			t.Errorf("error = %v after %d saves, want ErrStoreConflict after 3", err, n)
		}
	})
	t.Run("lock not taken", func(t *testing.T) {
		st := newMemStore()
		st.sem <- struct{}{} // another session holds it
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := oauth2.ReplaceStoredToken(ctx, st, tok); !errors.Is(err, context.Canceled) {
			t.Errorf("error = %v, want context.Canceled", err)
		}
		if st.saves.Load() != 0 {
			t.Error("saved without the lock")
		}
	})
}
