package oauth2_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
)

// memStore is an in-memory TokenStore and TokenLocker, as a database row
// with a version column and a lock would be: every session that shares it
// plays another process. Its hooks let tests stop a session at a given
// point.
type memStore struct {
	mu   sync.Mutex
	data []byte // the token's JSON; nil when nothing is stored
	ver  int    // 0 when nothing was ever stored

	sem chan struct{} // the refresh lock

	down      atomic.Bool  // Load and Save fail with errStoreDown
	saveFails atomic.Int32 // the next saveFails Saves fail with errStoreDown
	loads     atomic.Int32
	saves     atomic.Int32 // successful saves
	locks     atomic.Int32

	// lockWait, if set, is called when a Lock starts waiting;
	// beforeSave, at the start of each Save. Set them before the sessions
	// run.
	lockWait   func()
	beforeSave func()
}

func newMemStore() *memStore { return &memStore{sem: make(chan struct{}, 1)} }

func (m *memStore) version() string {
	if m.data == nil {
		return ""
	}
	return strconv.Itoa(m.ver)
}

func (m *memStore) Load(ctx context.Context) (*oauth2.Token, string, error) {
	m.loads.Add(1)
	if m.down.Load() {
		return nil, "", errStoreDown
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.data == nil {
		return nil, "", nil
	}
	var tok oauth2.Token
	if err := json.Unmarshal(m.data, &tok); err != nil {
		return nil, m.version(), nil // not a token: nothing, replaceable
	}
	return &tok, m.version(), nil
}

func (m *memStore) Save(ctx context.Context, tok *oauth2.Token, prev string) (string, error) {
	if m.beforeSave != nil {
		m.beforeSave()
	}
	if m.down.Load() || m.saveFails.Add(-1) >= 0 {
		return "", errStoreDown
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.version() != prev {
		return "", fmt.Errorf("memstore: version %q is not %q: %w", m.version(), prev, oauth2.ErrStoreConflict)
	}
	b, err := json.Marshal(tok)
	if err != nil {
		return "", err
	}
	m.data = b
	m.ver++
	m.saves.Add(1)
	return m.version(), nil
}

func (m *memStore) Lock(ctx context.Context) (func(), error) {
	if m.lockWait != nil {
		m.lockWait()
	}
	select {
	case m.sem <- struct{}{}:
		m.locks.Add(1)
		return func() { <-m.sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// free reports whether the lock is free at this moment.
func (m *memStore) free() bool {
	select {
	case m.sem <- struct{}{}:
		<-m.sem
		return true
	default:
		return false
	}
}

// put stores tok as another process would, without the lock.
func (m *memStore) put(t testing.TB, tok *oauth2.Token) {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	b, err := json.Marshal(tok)
	if err != nil {
		t.Fatal(err)
	}
	m.data = b
	m.ver++
}

// putRaw stores b, which need not be a token's JSON, as another program
// would.
func (m *memStore) putRaw(b []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data = b
	m.ver++
}

// stored returns the stored token.
func (m *memStore) stored(t testing.TB) *oauth2.Token {
	t.Helper()
	tok, _, err := m.Load(context.Background())
	if err != nil || tok == nil {
		t.Fatalf("stored token: %v, %v", tok, err)
	}
	return tok
}

// unlockedStore is a memStore without the lock.
type unlockedStore struct{ m *memStore }

func (u unlockedStore) Load(ctx context.Context) (*oauth2.Token, string, error) { return u.m.Load(ctx) }
func (u unlockedStore) Save(ctx context.Context, tok *oauth2.Token, prev string) (string, error) {
	return u.m.Save(ctx, tok, prev)
}

// fleet returns a provider and a Config on one test clock, and a store
// holding a password-grant token that expires an hour after the clock's
// start, with a refresh token the provider rotates and whose reuse revokes
// the grant.
func fleet(t *testing.T) (*fakeprovider.Server, *oauth2.Config, *testClock, *memStore) {
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
	st := newMemStore()
	st.put(t, tok)
	return srv, &cfg, clock, st
}

// member returns a session on st with no token of its own, counting its
// OnTokenUpdate calls.
func member(cfg *oauth2.Config, st oauth2.TokenStore) (*oauth2.Session, *atomic.Int32) {
	s := cfg.NewSession(nil)
	s.Store = st
	var updates atomic.Int32
	s.OnTokenUpdate = func(context.Context, *oauth2.Token) error { updates.Add(1); return nil }
	return s, &updates
}

// noSaveRetry makes a session on cfg try a failing Save once per
// refresh: its Sleep reports the refresh's deadline reached.
func noSaveRetry(cfg *oauth2.Config) {
	cfg.Sleep = func(context.Context, time.Duration) error { return context.DeadlineExceeded }
}

// wantProvider checks the provider's refresh and revocation counters.
func wantProvider(t *testing.T, srv *fakeprovider.Server, refreshes int) {
	t.Helper()
	if got := srv.OAuth2.Refreshes(); got != refreshes {
		t.Errorf("provider served %d refreshes, want %d", got, refreshes)
	}
	if got := srv.OAuth2.GrantsRevoked(); got != 0 {
		t.Errorf("provider revoked %d grants, want 0", got)
	}
}

// A session with a store and no token takes the stored one at its first
// use; while it is valid, the store is not read again.
func TestStoreLoadsAtFirstUse(t *testing.T) {
	ctx := context.Background()
	srv, cfg, _, st := fleet(t)
	want := st.stored(t)
	st.loads.Store(0)
	s, updates := member(cfg, st)
	for i := 0; i < 3; i++ {
		if err := get(ctx, srv, s.Client()); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.CachedToken(); got == nil || got.AccessToken != want.AccessToken {
		t.Fatalf("CachedToken = %v, want the stored token", got)
	}
	if n := st.loads.Load(); n != 1 {
		t.Errorf("%d loads, want 1", n)
	}
	if n := st.locks.Load(); n != 0 {
		t.Errorf("%d locks taken, want 0: a fresh stored token needs none", n)
	}
	if n := updates.Load(); n != 0 {
		t.Errorf("OnTokenUpdate called %d times with the stored token, want 0", n)
	}
	wantProvider(t, srv, 0)
}

// Sessions sharing a store, each its own single-flight as separate
// processes would be, refresh a due token once between them: the first
// refreshes and saves, the others take the saved token. Without the store
// the same sessions each refresh with the same refresh token and the
// provider revokes the grant.
func TestStoreOneRefreshForMany(t *testing.T) {
	const n = 20
	ctx := context.Background()
	for _, shared := range []bool{true, false} {
		t.Run(fmt.Sprintf("shared=%v", shared), func(t *testing.T) {
			srv, cfg, clock, st := fleet(t)
			sessions := make([]*oauth2.Session, n)
			updates := make([]*atomic.Int32, n)
			for i := range sessions {
				if shared {
					sessions[i], updates[i] = member(cfg, st)
				} else {
					sessions[i], updates[i] = cfg.NewSession(st.stored(t)), new(atomic.Int32)
				}
			}
			for _, s := range sessions { // each takes the stored token
				if err := get(ctx, srv, s.Client()); err != nil {
					t.Fatal(err)
				}
			}
			clock.add(time.Hour) // the token has expired
			var failed atomic.Int32
			storm(n, func(i int) {
				if err := get(ctx, srv, sessions[i].Client()); err != nil {
					failed.Add(1)
				}
			})
			if !shared {
				if failed.Load() == 0 || srv.OAuth2.GrantsRevoked() != 1 {
					t.Fatalf("without a store: %d requests failed, %d grants revoked; want some and 1",
						failed.Load(), srv.OAuth2.GrantsRevoked())
				}
				return
			}
			if failed.Load() != 0 {
				t.Errorf("%d requests failed, want 0", failed.Load())
			}
			wantProvider(t, srv, 1)
			total := 0
			want := st.stored(t).AccessToken
			for i, s := range sessions {
				total += int(updates[i].Load())
				if got := s.CachedToken().AccessToken; got != want {
					t.Errorf("session %d holds another token than the stored one", i)
				}
			}
			if total != 1 {
				t.Errorf("OnTokenUpdate called %d times across the sessions, want 1: by the one that refreshed", total)
			}
			if st.saves.Load() != 1 {
				t.Errorf("%d saves, want 1", st.saves.Load())
			}
		})
	}
}

// A session that finds its token due reads the store, finds its own token
// there, and waits for the lock, which another process holds while it
// refreshes; once it has the lock it reads the store again and takes the
// other's token rather than refresh with the refresh token the other
// spent.
func TestStoreReloadsUnderLock(t *testing.T) {
	ctx := context.Background()
	srv, cfg, clock, st := fleet(t)
	s, updates := member(cfg, st)
	if _, err := s.Token(ctx); err != nil {
		t.Fatal(err)
	}
	clock.add(time.Hour)
	unlock, err := st.Lock(ctx) // the other process
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan struct{})
	st.lockWait = func() { close(waiting) }
	done := make(chan error)
	go func() {
		_, err := s.Token(ctx)
		done <- err
	}()
	<-waiting
	other, err := cfg.NewSession(st.stored(t)).Refresh(ctx) // spends the stored refresh token
	if err != nil {
		t.Fatal(err)
	}
	st.put(t, other)
	unlock()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := s.CachedToken(); got.AccessToken != other.AccessToken {
		t.Errorf("session holds %v, want the other process's token", got)
	}
	if updates.Load() != 0 {
		t.Errorf("OnTokenUpdate called %d times, want 0", updates.Load())
	}
	wantProvider(t, srv, 1)
}

// A session whose save loses the compare-and-swap (a store without a lock,
// and another process that saved between the session's read and its
// save) uses the token that won, never offers its own to OnTokenUpdate,
// and renews the winner's token next, never its own spent refresh token.
func TestStoreLostRaceAdoptsWinner(t *testing.T) {
	ctx := context.Background()
	srv, cfg, clock, st := fleet(t)
	srv.OAuth2.RotateRefreshTokens = false // the two refreshes below may share a refresh token
	s, updates := member(cfg, unlockedStore{st})
	if _, err := s.Token(ctx); err != nil {
		t.Fatal(err)
	}
	clock.add(time.Hour)
	var winner *oauth2.Token
	st.beforeSave = func() {
		st.beforeSave = nil
		var err error
		if winner, err = cfg.NewSession(st.stored(t)).Refresh(ctx); err != nil {
			t.Error(err)
		}
		st.put(t, winner)
	}
	tok, err := s.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != winner.AccessToken || s.CachedToken() != tok {
		t.Errorf("Token = %v, want the winner's token", tok)
	}
	if updates.Load() != 0 {
		t.Errorf("OnTokenUpdate called %d times, want 0: the session's token lost", updates.Load())
	}
	wantProvider(t, srv, 2)

	// The next renewal starts from the winner's token.
	srv.OAuth2.RotateRefreshTokens = true
	clock.add(time.Hour)
	if _, err := s.Token(ctx); err != nil {
		t.Fatal(err)
	}
	clock.add(time.Hour)
	if _, err := s.Token(ctx); err != nil {
		t.Fatal(err)
	}
	wantProvider(t, srv, 4)
	if updates.Load() != 2 {
		t.Errorf("OnTokenUpdate called %d times, want 2", updates.Load())
	}
}

// A store that is down fails nothing while the token is valid, and an
// automatic renewal's token is used though the store refused it: it is
// saved once the store is back, and renewed meanwhile from the session's
// own token, never from the older stored one.
func TestStoreDown(t *testing.T) {
	ctx := context.Background()
	srv, cfg, clock, st := fleet(t)
	noSaveRetry(cfg)
	s, updates := member(cfg, st)
	if _, err := s.Token(ctx); err != nil {
		t.Fatal(err)
	}
	st.down.Store(true)
	if err := get(ctx, srv, s.Client()); err != nil {
		t.Fatalf("valid token, store down: %v", err)
	}
	// Due while the store is down: the reload fails, and so does the
	// request once the token has expired (nothing else can renew it).
	clock.add(time.Hour)
	if _, err := s.Token(ctx); !errors.Is(err, errStoreDown) {
		t.Fatalf("Token with the store down = %v, want errStoreDown", err)
	}
	// The store reads but does not write: the renewed token is used.
	st.down.Store(false)
	st.beforeSave = func() { st.down.Store(true) }
	tok, err := s.Token(ctx)
	if err != nil {
		t.Fatalf("Token when the save fails: %v", err)
	}
	if updates.Load() != 1 {
		t.Errorf("OnTokenUpdate called %d times, want 1", updates.Load())
	}
	st.down.Store(false) // until the next save
	if _, err := s.Refresh(ctx); !errors.Is(err, errStoreDown) {
		t.Errorf("Refresh when the save fails = %v, want errStoreDown", err)
	}
	// The store comes back after the session's token is due again: the
	// session renews its own token, then saves the result.
	st.beforeSave = nil
	st.down.Store(false)
	clock.add(time.Hour)
	tok2, err := s.Token(ctx)
	if err != nil || tok2 == tok {
		t.Fatalf("Token = %v, %v; want a new token", tok2, err)
	}
	if got := st.stored(t); got.AccessToken != tok2.AccessToken {
		t.Errorf("stored %v, want the session's token", got)
	}
	wantProvider(t, srv, 3)
}

// An unsaved token is offered to the store again after the back-off, and
// saved in place of the version it replaced.
func TestStoreSaveRetried(t *testing.T) {
	ctx := context.Background()
	srv, cfg, clock, st := fleet(t)
	noSaveRetry(cfg)
	s, _ := member(cfg, st)
	if _, err := s.Token(ctx); err != nil {
		t.Fatal(err)
	}
	clock.add(time.Hour)
	st.beforeSave = func() { st.down.Store(true) }
	tok, err := s.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.beforeSave = nil
	st.down.Store(false)
	if _, err := s.Token(ctx); err != nil || st.saves.Load() != 0 {
		t.Fatalf("before the back-off: err %v, %d saves; want none", err, st.saves.Load())
	}
	clock.add(time.Second)
	if _, err := s.Token(ctx); err != nil {
		t.Fatal(err)
	}
	if st.saves.Load() != 1 || st.stored(t).AccessToken != tok.AccessToken {
		t.Errorf("%d saves, want 1 of the session's token", st.saves.Load())
	}
	// A second session adopts it at its first use.
	s2, _ := member(cfg, st)
	if got, err := s2.Token(ctx); err != nil || got.AccessToken != tok.AccessToken {
		t.Errorf("second session: %v, %v; want the saved token", got, err)
	}
	wantProvider(t, srv, 1)
}

// Renewing sessions share the token of their grant: the first runs it and
// saves the token, the others use it.
func TestStoreClientCredentials(t *testing.T) {
	ctx := context.Background()
	srv, cfg, clock, _ := fleet(t)
	st := newMemStore()
	var sessions []*oauth2.Session
	for i := 0; i < 5; i++ {
		s := cfg.ClientCredentials()
		s.Store = st
		sessions = append(sessions, s)
	}
	issued := srv.OAuth2.TokensIssued()
	for round := 0; round < 3; round++ {
		for i, s := range sessions {
			if err := get(ctx, srv, s.Client()); err != nil {
				t.Fatalf("round %d, session %d: %v", round, i, err)
			}
		}
		clock.add(time.Hour)
	}
	if n := srv.OAuth2.TokensIssued() - issued; n != 3 {
		t.Errorf("%d tokens issued, want 3: one per hour for all sessions", n)
	}
}

// Refresh renews under the lock whatever the store holds, from the
// stored token; OnTokenUpdate runs once the lock is released.
func TestStoreExplicitRefresh(t *testing.T) {
	ctx := context.Background()
	srv, cfg, _, st := fleet(t)
	s, updates := member(cfg, st)
	s.OnTokenUpdate = func(context.Context, *oauth2.Token) error {
		updates.Add(1)
		if !st.free() {
			t.Error("OnTokenUpdate runs while the store's lock is held")
		}
		return nil
	}
	other, err := cfg.NewSession(st.stored(t)).Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.put(t, other) // fresh, and not the session's
	tok, err := s.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == other.AccessToken || st.stored(t).AccessToken != tok.AccessToken {
		t.Errorf("Refresh returned the stored token, or did not save its own")
	}
	if st.locks.Load() != 1 || updates.Load() != 1 {
		t.Errorf("%d locks, %d updates; want 1 and 1", st.locks.Load(), updates.Load())
	}
	wantProvider(t, srv, 2)
}

// With a store set and a valid token, Token allocates nothing and does
// not touch the store.
func TestStoreValidPathAllocs(t *testing.T) {
	ctx := context.Background()
	_, cfg, _, st := fleet(t)
	s, _ := member(cfg, st)
	if _, err := s.Token(ctx); err != nil {
		t.Fatal(err)
	}
	loads := st.loads.Load()
	if n := testing.AllocsPerRun(1000, func() { s.Token(ctx) }); n != 0 {
		t.Errorf("Token allocates %v times per call, want 0", n)
	}
	if st.loads.Load() != loads {
		t.Errorf("Token read the store %d times with a valid token", st.loads.Load()-loads)
	}
}

// A panic in a store method fails the refresh with a *PanicError.
func TestStorePanics(t *testing.T) {
	_, cfg, _, _ := fleet(t)
	s := cfg.NewSession(nil)
	s.Store = panicStore{}
	var pe *oauth2.PanicError
	if _, err := s.Token(context.Background()); !errors.As(err, &pe) || pe.Hook != "TokenStore.Load" {
		t.Errorf("Token = %v, want a *PanicError of TokenStore.Load", err)
	}
}

type panicStore struct{}

func (panicStore) Load(context.Context) (*oauth2.Token, string, error) { panic("load") }
func (panicStore) Save(context.Context, *oauth2.Token, string) (string, error) {
	panic("save")
}

// hangingStore is a memStore whose Save, once hang is set, waits until its
// context is done, as a store on a server that stopped answering does.
type hangingStore struct {
	*memStore
	hang atomic.Bool
}

func (h *hangingStore) Save(ctx context.Context, tok *oauth2.Token, prev string) (string, error) {
	if h.hang.Load() {
		<-ctx.Done()
		return "", ctx.Err()
	}
	return h.memStore.Save(ctx, tok, prev)
}

// An unsaved token is offered to the store again on the request path,
// with the caller's context: a caller without a deadline is still bounded
// by Config.Timeout there, and goes on with the token.
func TestStoreOfferBounded(t *testing.T) {
	ctx := context.Background()
	_, cfg, clock, st := fleet(t)
	cfg.Timeout = 50 * time.Millisecond
	hs := &hangingStore{memStore: st}
	s, _ := member(cfg, hs)
	if _, err := s.Token(ctx); err != nil {
		t.Fatal(err)
	}
	clock.add(time.Hour)
	st.beforeSave = func() { st.down.Store(true) }
	tok, err := s.Token(ctx) // refreshed; the save fails
	if err != nil {
		t.Fatal(err)
	}
	st.beforeSave = nil
	st.down.Store(false)
	hs.hang.Store(true)
	clock.add(time.Second) // the token is offered again
	done := make(chan error, 1)
	go func() {
		_, err := s.Token(ctx)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Token: %v, want the session's token", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Token waits for a store that does not answer, past Config.Timeout")
	}
	if got := s.CachedToken(); got != tok {
		t.Errorf("the session holds another token than the unsaved one")
	}
}

// A session whose Save fails for a while (a disk full, a database
// failing over) while Load works keeps the store's lock and saves again
// until the store takes the token: another session that finds its token
// due meanwhile waits for the lock, then takes the saved token, and never
// refreshes with the refresh token the first one spent, which a server
// with reuse detection answers by revoking the grant.
func TestStoreSaveFailsWhileLoadWorks(t *testing.T) {
	ctx := context.Background()
	srv, cfg, clock, st := fleet(t)
	var sleeps []time.Duration
	cfg.Sleep = func(ctx context.Context, d time.Duration) error {
		sleeps = append(sleeps, d) // only a's refresh sleeps
		return ctx.Err()
	}
	a, updates := member(cfg, st)
	b, _ := member(cfg, st)
	for _, s := range []*oauth2.Session{a, b} {
		if err := get(ctx, srv, s.Client()); err != nil {
			t.Fatal(err)
		}
	}
	clock.add(time.Hour)
	// a refreshes; its first Save, before failing, starts b's request and
	// waits until b waits for the lock; two more Saves fail.
	bDone := make(chan error, 1)
	st.beforeSave = func() {
		st.beforeSave = nil
		waiting := make(chan struct{})
		st.lockWait = func() { st.lockWait = nil; close(waiting) }
		go func() { bDone <- get(ctx, srv, b.Client()) }()
		<-waiting
		st.saveFails.Store(3)
	}
	if err := get(ctx, srv, a.Client()); err != nil {
		t.Fatalf("a: %v", err)
	}
	if err := <-bDone; err != nil {
		t.Fatalf("b: %v", err)
	}
	wantProvider(t, srv, 1)
	want := st.stored(t).AccessToken
	for name, s := range map[string]*oauth2.Session{"a": a, "b": b} {
		if got := s.CachedToken().AccessToken; got != want {
			t.Errorf("session %s holds another token than the stored one", name)
		}
	}
	if diff := cmp.Diff([]time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond}, sleeps); diff != "" {
		t.Errorf("sleeps between Saves mismatch (-want +got):\n%s", diff)
	}
	if updates.Load() != 1 || st.saves.Load() != 1 {
		t.Errorf("%d updates, %d saves; want 1 and 1", updates.Load(), st.saves.Load())
	}
}

// A store holding what is not a usable token (a token with neither access
// token nor refresh token, JSON null, bytes that are not a token's JSON)
// holds none: a session with a token of its own renews that one when it
// is due and saves the new token over what the store held; a session
// without one gets ErrNoToken.
func TestStoreNotAToken(t *testing.T) {
	tests := []struct{ name, content string }{
		{name: "empty object", content: `{}`},
		{name: "null", content: `null`},
		{name: "no credential", content: `{"token_type":"Bearer","expiry":"2026-01-01T00:00:00Z"}`},
		{name: "truncated", content: `{"access_token":"at`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			srv, cfg, clock, st := fleet(t)
			own := st.stored(t)
			st.putRaw([]byte(tt.content))
			empty := cfg.NewSession(nil)
			empty.Store = st
			if _, err := empty.Token(ctx); !errors.Is(err, oauth2.ErrNoToken) {
				t.Errorf("session without a token: %v, want ErrNoToken", err)
			}
			s := cfg.NewSession(own)
			s.Store = st
			clock.add(time.Hour)
			tok, err := s.Token(ctx)
			if err != nil {
				t.Fatalf("Token: %v", err)
			}
			if got := st.stored(t); got.AccessToken != tok.AccessToken {
				t.Errorf("the store holds %v, want the session's new token", got)
			}
			wantProvider(t, srv, 1)
		})
	}
}
