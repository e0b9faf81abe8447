package oauth2_test

// "Nothing is lost": a token the server issued is kept and offered for
// saving until saved, and a refresh never presents a refresh token the
// server rotated away. The server here rotates refresh tokens and, as
// RFC 9700 §4.14.2 describes (Okta, Auth0, Microsoft, oidc-provider),
// revokes the whole grant when a spent one comes back.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2"
)

// rotServer is a token endpoint that issues access token "a<n>" and
// refresh token "r<n>" at generation n, starting at 1, and a resource at
// /api that accepts only the current access token.
type rotServer struct {
	srv *httptest.Server

	mu      sync.Mutex
	gen     int
	revoked bool
	spent   []string // spent refresh tokens presented again
	// body, if set, writes the answer to a refresh that rotated to gen
	// n; it returns false to answer normally.
	body func(w http.ResponseWriter, n int) bool
	// expiresIn is the lifetime of issued tokens, in seconds.
	expiresIn int
	// before, if set, runs first on every token request, numbered from
	// 1; it returns true to answer 503 without rotating.
	before   func(n int) bool
	attempts int
}

func newRotServer(t testing.TB) *rotServer {
	t.Helper()
	rs := &rotServer{gen: 1, expiresIn: 3600}
	mux := http.NewServeMux()
	mux.HandleFunc("/token", rs.token)
	mux.HandleFunc("/api", func(w http.ResponseWriter, r *http.Request) {
		rs.mu.Lock()
		ok := !rs.revoked && r.Header.Get("Authorization") == fmt.Sprintf("Bearer a%d", rs.gen)
		rs.mu.Unlock()
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
		}
	})
	rs.srv = httptest.NewServer(mux)
	t.Cleanup(rs.srv.Close)
	return rs
}

func (rs *rotServer) token(w http.ResponseWriter, r *http.Request) {
	if r.ParseForm() != nil || r.PostForm.Get("grant_type") != "refresh_token" {
		http.Error(w, `{"error":"invalid_request"}`, http.StatusBadRequest)
		return
	}
	rt := r.PostForm.Get("refresh_token")
	rs.mu.Lock()
	rs.attempts++
	n, before := rs.attempts, rs.before
	rs.mu.Unlock()
	if before != nil && before(n) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, `{"error":"temporarily_unavailable"}`)
		return
	}
	rs.mu.Lock()
	switch {
	case rs.revoked:
		rs.mu.Unlock()
		invalidGrant(w)
		return
	case rt != fmt.Sprintf("r%d", rs.gen):
		rs.spent = append(rs.spent, rt)
		rs.revoked = true
		rs.mu.Unlock()
		invalidGrant(w)
		return
	}
	rs.gen++
	n, body, exp := rs.gen, rs.body, rs.expiresIn
	rs.mu.Unlock()
	if body != nil && body(w, n) {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"access_token":"a%d","token_type":"Bearer","refresh_token":"r%d","expires_in":%d}`, n, n, exp)
}

func invalidGrant(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprint(w, `{"error":"invalid_grant"}`)
}

// check fails t if the grant was revoked, or a spent refresh token
// presented.
func (rs *rotServer) check(t testing.TB) {
	t.Helper()
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.revoked || len(rs.spent) > 0 {
		t.Errorf("grant revoked (%v), spent refresh tokens presented: %q", rs.revoked, rs.spent)
	}
}

func (rs *rotServer) generation() int {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return rs.gen
}

// config returns a Config for rs with clock's time.
func (rs *rotServer) config(clock *testClock) *oauth2.Config {
	return &oauth2.Config{
		ClientID: "c",
		Endpoint: oauth2.Endpoint{TokenURL: rs.srv.URL + "/token"},
		Now:      clock.now,
		// A failed Save is not tried again under the lock: the waits
		// would run to the refresh's real deadline.
		Sleep: func(context.Context, time.Duration) error { return errNoSleep },
	}
}

var errNoSleep = errors.New("no sleep in tests")

// firstToken is generation 1's token, as a login issued it at clock's
// time.
func firstToken(clock *testClock) *oauth2.Token {
	return &oauth2.Token{AccessToken: "a1", TokenType: "Bearer", RefreshToken: "r1", Expiry: clock.now().Add(time.Hour)}
}

// A refresh response that carries a new refresh token but an expires_in
// that does not parse: the server has spent the old refresh token, so
// the new one must be kept, not thrown away with the response.
func TestLostMalformedExpiresIn(t *testing.T) {
	for _, exp := range []string{`"soon"`, `"NaN"`, `{}`, `[3600]`, `true`} {
		t.Run(exp, func(t *testing.T) {
			rs := newRotServer(t)
			clock := newTestClock()
			rs.body = func(w http.ResponseWriter, n int) bool {
				if n != 2 {
					return false
				}
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"access_token":"a%d","token_type":"Bearer","refresh_token":"r%d","expires_in":%s}`, n, n, exp)
				return true
			}
			s := rs.config(clock).NewSession(firstToken(clock))
			if _, err := s.Refresh(context.Background()); err != nil {
				t.Logf("first refresh: %v", err)
			}
			tok, err := s.Refresh(context.Background())
			if err != nil {
				t.Fatalf("second refresh: %v", err)
			}
			if tok.RefreshToken != "r3" {
				t.Errorf("refresh token %q, want r3", tok.RefreshToken)
			}
			rs.check(t)
		})
	}
}

// The caller's context ends after the token endpoint rotated the grant,
// while its answer is on its way: the refresh, detached from the caller,
// still installs the new token and offers it to OnTokenUpdate, and the
// next refresh uses it.
func TestLostCallerCancelledMidRefresh(t *testing.T) {
	for _, withStore := range []bool{false, true} {
		t.Run(fmt.Sprintf("store=%v", withStore), func(t *testing.T) {
			rs := newRotServer(t)
			clock := newTestClock()
			rotated, release := make(chan struct{}), make(chan struct{})
			rs.body = func(w http.ResponseWriter, n int) bool {
				if n == 2 {
					close(rotated)
					<-release
				}
				return false
			}
			updated := make(chan *oauth2.Token, 10)
			s := rs.config(clock).NewSession(firstToken(clock))
			var ls *lostStore
			if withStore {
				ls = &lostStore{}
				if _, err := ls.Save(context.Background(), firstToken(clock), ""); err != nil {
					t.Fatal(err)
				}
				s.Store = ls
			}
			s.OnTokenUpdate = func(_ context.Context, tok *oauth2.Token) error {
				updated <- tok
				return nil
			}
			ctx, cancel := context.WithCancel(context.Background())
			errc := make(chan error, 1)
			go func() {
				_, err := s.Refresh(ctx)
				errc <- err
			}()
			<-rotated
			cancel()
			if err := <-errc; !errors.Is(err, context.Canceled) {
				t.Fatalf("Refresh: %v, want context.Canceled", err)
			}
			close(release)
			if tok := <-updated; tok.RefreshToken != "r2" {
				t.Fatalf("offered refresh token %q, want r2", tok.RefreshToken)
			}
			if got := s.CachedToken(); got == nil || got.RefreshToken != "r2" {
				t.Fatalf("CachedToken %v, want r2's", got)
			}
			if ls != nil {
				if st := ls.stored(); st.RefreshToken != "r2" {
					t.Fatalf("stored %v, want r2's", st)
				}
			}
			if _, err := s.Refresh(context.Background()); err != nil {
				t.Fatal(err)
			}
			rs.check(t)
		})
	}
}

// lostStore is a TokenStore in memory whose Save fails (or panics) while
// fail is set.
type lostStore struct {
	mu    sync.Mutex
	tok   *oauth2.Token
	ver   int
	fail  int // 0: works; 1: error; 2: panic
	saves int
}

func (m *lostStore) Load(context.Context) (*oauth2.Token, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tok == nil {
		return nil, "", nil
	}
	c := *m.tok
	return &c, fmt.Sprint(m.ver), nil
}

func (m *lostStore) Save(_ context.Context, tok *oauth2.Token, prev string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.saves++
	switch m.fail {
	case 1:
		return "", errStoreDown
	case 2:
		panic("store down")
	}
	cur := ""
	if m.tok != nil {
		cur = fmt.Sprint(m.ver)
	}
	if cur != prev {
		return "", oauth2.ErrStoreConflict
	}
	c := *tok
	m.tok, m.ver = &c, m.ver+1
	return fmt.Sprint(m.ver), nil
}

func (m *lostStore) setFail(f int) {
	m.mu.Lock()
	m.fail = f
	m.mu.Unlock()
}

func (m *lostStore) stored() *oauth2.Token {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tok
}

// Store.Save or OnTokenUpdate refuses the new token (an error or a
// panic): the session uses it, offers it again at a later use until it
// is taken, and renews from it, never from the spent refresh token.
func TestLostSaveFails(t *testing.T) {
	for _, tc := range []struct {
		name      string
		storeFail int  // lostStore.fail while down
		hookFail  int  // 0 none, 1 error, 2 panic
		useStore  bool // Session.Store set
	}{
		{"store error", 1, 0, true},
		{"store panic", 2, 0, true},
		{"hook error", 0, 1, false},
		{"hook panic", 0, 2, false},
		{"hook panic with store", 0, 2, true},
		{"both", 1, 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := newRotServer(t)
			clock := newTestClock()
			cfg := rs.config(clock)
			var ms *lostStore
			s := cfg.NewSession(nil)
			if tc.useStore {
				ms = &lostStore{}
				if _, err := ms.Save(context.Background(), firstToken(clock), ""); err != nil {
					t.Fatal(err)
				}
				ms.setFail(tc.storeFail)
				s.Store = ms
			} else {
				s = cfg.NewSession(firstToken(clock))
			}
			var (
				mu     sync.Mutex
				down   = true
				hooked []string
			)
			s.OnTokenUpdate = func(_ context.Context, tok *oauth2.Token) error {
				mu.Lock()
				defer mu.Unlock()
				hooked = append(hooked, tok.RefreshToken)
				if !down {
					return nil
				}
				switch tc.hookFail {
				case 1:
					return errStoreDown
				case 2:
					panic("hook down")
				}
				return nil
			}
			ctx := context.Background()
			hc := s.Client()
			get := func() {
				t.Helper()
				resp, err := hc.Get(rs.srv.URL + "/api")
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET /api: %s", resp.Status)
				}
			}
			get() // loads generation 1 from the store, or uses it
			// Past the refresh time, a request refreshes: r1 -> r2.
			clock.add(time.Hour)
			get()
			if got := s.CachedToken(); got.RefreshToken != "r2" {
				t.Fatalf("CachedToken refresh token %q, want r2", got.RefreshToken)
			}
			// More requests while the saves still fail, past the back-off.
			for i := 0; i < 3; i++ {
				clock.add(2 * time.Second)
				get()
			}
			// The next refresh renews r2, whatever the store holds.
			clock.add(time.Hour)
			get()
			if got := s.CachedToken(); got.RefreshToken != "r3" {
				t.Fatalf("CachedToken refresh token %q, want r3", got.RefreshToken)
			}
			// The store and the hook recover: the next use past the
			// back-off offers r3 again, and it is taken.
			mu.Lock()
			down = false
			mu.Unlock()
			if ms != nil {
				ms.setFail(0)
			}
			clock.add(2 * time.Minute)
			get()
			if ms != nil {
				if st := ms.stored(); st == nil || st.RefreshToken != "r3" {
					t.Errorf("stored %v, want r3's token", st)
				}
			}
			mu.Lock()
			last := hooked[len(hooked)-1]
			mu.Unlock()
			if last != "r3" {
				t.Errorf("last offered to OnTokenUpdate %q, want r3 (all: %q)", last, hooked)
			}
			if _, err := s.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			rs.check(t)
		})
	}
}

// OnTokenUpdate blocks (a keychain prompt, a database that does not
// answer): while it runs, the new token is already the session's, so
// that CachedToken, the token to save at shutdown, is not the spent one,
// and callers whose token expired use the new one rather than wait.
func TestLostHookBlocks(t *testing.T) {
	rs := newRotServer(t)
	clock := newTestClock()
	s := rs.config(clock).NewSession(firstToken(clock))
	entered, release := make(chan struct{}), make(chan struct{})
	s.OnTokenUpdate = func(_ context.Context, tok *oauth2.Token) error {
		close(entered)
		<-release
		return nil
	}
	defer close(release)
	clock.add(2 * time.Hour) // a1 has expired
	go s.Token(context.Background())
	<-entered
	if got := s.CachedToken(); got == nil || got.RefreshToken != "r2" {
		// Token would wait for the hook.
		t.Fatalf("CachedToken while OnTokenUpdate runs: %v, want r2's token", got)
	}
	tok, err := s.Token(context.Background())
	if err != nil {
		t.Fatalf("Token while OnTokenUpdate runs: %v", err)
	}
	if tok.AccessToken != "a2" {
		t.Errorf("Token while OnTokenUpdate runs: %v, want a2", tok)
	}
	rs.check(t)
}

// blockingStore is a lostStore whose Save of a token with refresh token
// rt waits until release is closed, after closing entered.
type blockingStore struct {
	lostStore
	rt               string
	entered, release chan struct{}
}

func (b *blockingStore) Save(ctx context.Context, tok *oauth2.Token, prev string) (string, error) {
	if tok.RefreshToken == b.rt {
		close(b.entered)
		<-b.release
	}
	return b.lostStore.Save(ctx, tok, prev)
}

// Store.Save is slow (tried again under the lock until the refresh's
// deadline, or a database that hangs): meanwhile CachedToken is the new
// token.
func TestLostStoreSaveBlocks(t *testing.T) {
	rs := newRotServer(t)
	clock := newTestClock()
	bs := &blockingStore{rt: "r2", entered: make(chan struct{}), release: make(chan struct{})}
	if _, err := bs.Save(context.Background(), firstToken(clock), ""); err != nil {
		t.Fatal(err)
	}
	s := rs.config(clock).NewSession(nil)
	s.Store = bs
	if _, err := s.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	clock.add(2 * time.Hour)
	done := make(chan error, 1)
	go func() {
		_, err := s.Token(context.Background())
		done <- err
	}()
	<-bs.entered
	got := s.CachedToken()
	close(bs.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got == nil || got.RefreshToken != "r2" {
		t.Errorf("CachedToken while Store.Save runs: %v, want r2's token", got)
	}
	if st := bs.stored(); st.RefreshToken != "r2" {
		t.Errorf("stored %v, want r2's token", st)
	}
	rs.check(t)
}

// 50 callers of one session, while refreshes fail and succeed in turn:
// each expiry causes one refresh, every caller gets its outcome, and
// after a success every request carries the new token.
func TestLostConcurrentCallers(t *testing.T) {
	const callers, rounds = 50, 6
	rs := newRotServer(t)
	clock := newTestClock()
	// Token requests wait at the round's gate, which opens once every
	// caller waits for the refresh.
	var (
		gateMu sync.Mutex
		gate   chan struct{}
	)
	rs.before = func(n int) bool {
		gateMu.Lock()
		g := gate
		gateMu.Unlock()
		<-g
		return n%2 == 1 // the first of each pair fails
	}
	s := rs.config(clock).NewSession(firstToken(clock))
	var joinedMu sync.Mutex
	joined, allJoined := 0, make(chan struct{}, 1)
	oauth2.SetJoinHook(s, func() {
		joinedMu.Lock()
		defer joinedMu.Unlock()
		if joined++; joined == callers {
			allJoined <- struct{}{}
		}
	})
	hc := s.Client()
	for round := 1; round <= rounds; round++ {
		joinedMu.Lock()
		joined = 0
		joinedMu.Unlock()
		g := make(chan struct{})
		gateMu.Lock()
		gate = g
		gateMu.Unlock()
		clock.add(2 * time.Hour) // past the expiry of whatever it holds
		type result struct {
			status int
			err    error
		}
		results := make(chan result, callers)
		for i := 0; i < callers; i++ {
			go func() {
				resp, err := hc.Get(rs.srv.URL + "/api")
				if err != nil {
					results <- result{err: err}
					return
				}
				resp.Body.Close()
				results <- result{status: resp.StatusCode}
			}()
		}
		<-allJoined
		close(g)
		fail := round%2 == 1
		for i := 0; i < callers; i++ {
			r := <-results
			switch {
			case fail && r.err == nil:
				t.Errorf("round %d: a request went out (%d) with the expired token", round, r.status)
			case !fail && (r.err != nil || r.status != http.StatusOK):
				t.Errorf("round %d: request: %v, status %d", round, r.err, r.status)
			}
		}
		rs.mu.Lock()
		attempts := rs.attempts
		rs.mu.Unlock()
		if attempts != round {
			t.Fatalf("round %d: %d token requests, want %d", round, attempts, round)
		}
	}
	if got, want := rs.generation(), 1+rounds/2; got != want {
		t.Errorf("generation %d, want %d", got, want)
	}
	rs.check(t)
}

// A refresh response without a new refresh token (RFC 6749 §6: the
// server did not rotate it), or with an empty or null one: the session
// keeps the one it has, and refreshes with it again.
func TestLostRefreshWithoutRefreshToken(t *testing.T) {
	for _, field := range []string{``, `,"refresh_token":""`, `,"refresh_token":null`} {
		t.Run(field, func(t *testing.T) {
			clock := newTestClock()
			var (
				mu    sync.Mutex
				seen  []string
				calls int
			)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				r.ParseForm()
				mu.Lock()
				seen = append(seen, r.PostForm.Get("refresh_token"))
				calls++
				n := calls
				mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"access_token":"a%d","expires_in":3600%s}`, n+1, field)
			}))
			defer srv.Close()
			cfg := &oauth2.Config{ClientID: "c", Endpoint: oauth2.Endpoint{TokenURL: srv.URL}, Now: clock.now}
			s := cfg.NewSession(firstToken(clock))
			for i := 0; i < 2; i++ {
				tok, err := s.Refresh(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if tok.RefreshToken != "r1" {
					t.Fatalf("refresh %d: refresh token %q, want r1", i+1, tok.RefreshToken)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if len(seen) != 2 || seen[0] != "r1" || seen[1] != "r1" {
				t.Errorf("refresh tokens sent %q, want [r1 r1]", seen)
			}
		})
	}
}

// ctxStore is a lostStore whose Save fails once ctx is done, as a store
// over the network does.
type ctxStore struct{ lostStore }

func (c *ctxStore) Save(ctx context.Context, tok *oauth2.Token, prev string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return c.lostStore.Save(ctx, tok, prev)
}

// The refresh's own deadline (Config.Timeout) passes after the token
// endpoint answered and the answer was parsed, before the store and
// OnTokenUpdate took the token: it is used, offered again at a later
// use, and renewed from.
func TestLostRefreshDeadlineBeforeSave(t *testing.T) {
	rs := newRotServer(t)
	clock := newTestClock()
	cfg := rs.config(clock)
	cfg.Timeout = 50 * time.Millisecond // waited for on Done, not slept
	cs := &ctxStore{}
	if _, err := cs.Save(context.Background(), firstToken(clock), ""); err != nil {
		t.Fatal(err)
	}
	s := cfg.NewSession(nil)
	s.Store = cs
	s.VerifyToken = func(ctx context.Context, _, tok *oauth2.Token) error {
		if tok.RefreshToken == "r2" {
			<-ctx.Done() // the deadline passes here
		}
		return nil
	}
	var hooked []string
	s.OnTokenUpdate = func(ctx context.Context, tok *oauth2.Token) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		hooked = append(hooked, tok.RefreshToken)
		return nil
	}
	if _, err := s.Refresh(context.Background()); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Refresh: %v, want the store's context.DeadlineExceeded", err)
	}
	if got := s.CachedToken(); got == nil || got.RefreshToken != "r2" {
		t.Fatalf("CachedToken %v, want r2's", got)
	}
	clock.add(2 * time.Second) // past the offer's back-off
	if _, err := s.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := cs.stored(); st.RefreshToken != "r2" {
		t.Errorf("stored %v, want r2's", st)
	}
	if len(hooked) != 1 || hooked[0] != "r2" {
		t.Errorf("OnTokenUpdate saw %q, want [r2]", hooked)
	}
	if _, err := s.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	rs.check(t)
}

// flakyStore is a lostStore whose first Save fails.
type flakyStore struct {
	lostStore
	failed bool
}

func (f *flakyStore) Save(ctx context.Context, tok *oauth2.Token, prev string) (string, error) {
	f.mu.Lock()
	first := !f.failed && f.tok != nil
	if first {
		f.failed = true
	}
	f.mu.Unlock()
	if first {
		return "", errStoreDown
	}
	return f.lostStore.Save(ctx, tok, prev)
}

// Config.Sleep panics while a failed Save waits to be tried again: the
// token the refresh obtained is still offered to the store again later.
func TestLostSleepPanicsBetweenSaves(t *testing.T) {
	rs := newRotServer(t)
	clock := newTestClock()
	cfg := rs.config(clock)
	cfg.Sleep = func(context.Context, time.Duration) error { panic("sleep") }
	fs := &flakyStore{}
	if _, err := fs.Save(context.Background(), firstToken(clock), ""); err != nil {
		t.Fatal(err)
	}
	s := cfg.NewSession(nil)
	s.Store = fs
	if _, err := s.Refresh(context.Background()); err == nil {
		t.Fatal("Refresh succeeded, want the store's error or the panic")
	}
	if got := s.CachedToken(); got == nil || got.RefreshToken != "r2" {
		t.Fatalf("CachedToken %v, want r2's", got)
	}
	clock.add(2 * time.Second) // past the offer's back-off
	if _, err := s.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := fs.stored(); st.RefreshToken != "r2" {
		t.Errorf("stored %v, want r2's", st)
	}
	rs.check(t)
}
