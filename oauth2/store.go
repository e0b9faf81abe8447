package oauth2

// A token shared through a TokenStore: what the session's single-flight
// refresh does before and after it obtains a token.

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// A TokenStore keeps one token where several sessions, in one process or
// many, find it: a file (package tokenstore), a database row, a cache key.
// A Session with a Store takes its token from it and saves every token it
// obtains to it, so that a grant whose refresh token rotates (RFC 9700
// §4.14) is refreshed once for all of them, not once by each with the same
// refresh token, which a server with reuse detection answers by revoking
// the grant. See Session.Store.
//
// Versions make a lost race detectable: each saved token has a version,
// an opaque non-empty string that changes with every save (a counter, a
// random value, a hash of the stored bytes), and Save replaces the token
// only if the stored version is still the one the caller read. Stores
// that also implement TokenLocker let one session at a time refresh.
//
// A Save that fails while Load works is the one failure sharing cannot
// hide: until the store takes the session's token, it holds the refresh
// token the session spent. The session keeps the store's lock and tries
// the Save again (see TokenLocker), but once the refresh's deadline
// (Config.Timeout) has passed it releases the lock, uses its token and
// offers it to the store again later; a session in another process that
// renews meanwhile refreshes with the spent refresh token, which a server
// with reuse detection answers by revoking the grant.
//
// Implementations must be safe for concurrent use by multiple goroutines.
// Errors they return reach the session's callers wrapped; they must not
// hold the token.
type TokenStore interface {
	// Load returns the stored token and its version, or a nil token and
	// "" when nothing is stored. When the store holds something that is
	// not a token (bytes that do not decode as one), Load should return
	// a nil token and that content's version, so that a Save in place of
	// it replaces it; an error instead fails every renewal until the
	// store is repaired by hand. A session treats a stored token with
	// neither access token nor refresh token as nothing stored. Each call
	// returns a Token of its own, which the caller may keep.
	Load(ctx context.Context) (tok *Token, version string, err error)
	// Save stores tok if the stored version is still prev ("" meaning
	// that nothing is stored), and returns tok's new version; otherwise
	// it stores nothing and returns an error for which
	// errors.Is(err, ErrStoreConflict) holds. The compare and the write
	// are one atomic step: of two Saves with the same prev, at most one
	// succeeds. A Save that returns without error is durable.
	Save(ctx context.Context, tok *Token, prev string) (version string, err error)
}

// A TokenLocker is a TokenStore that can make the sessions sharing it
// refresh one at a time. A Session whose Store implements it holds the
// lock from just before it reads the store a second time until it has
// saved the token it obtained (OnTokenUpdate runs after the release),
// never across anything else. A Save that fails (other than by
// ErrStoreConflict) is tried again under the lock, after 50 ms, doubling
// up to a second between tries (through Config.Sleep), until it succeeds
// or the next wait would end past the refresh's deadline (Config.Timeout);
// only then is the lock released. If the Save still fails, the session
// uses its token and offers it to the store again later, and another
// session that renews before that refreshes with the spent refresh token
// (see TokenStore).
type TokenLocker interface {
	// Lock waits until the caller holds the store's refresh lock, or ctx
	// is done (returning an error wrapping ctx.Err()), and returns the
	// function that releases it, which is called exactly once. The lock
	// must be released too when its holder dies (an operating-system
	// lock is; a lease expires). ctx's deadline bounds the refresh: a
	// lease should last until then, so that it never expires under a
	// holder that is still refreshing.
	Lock(ctx context.Context) (unlock func(), err error)
}

// ErrStoreConflict is the error, or wraps the error, a TokenStore's Save
// returns when the stored version is no longer the one the caller read:
// another session saved first. A Session that gets it uses the token that
// won, never its refresh token's predecessor again.
var ErrStoreConflict = errors.New("oauth2: token store changed since it was read")

// ReplaceStoredToken saves tok in store in place of whatever it holds:
// the token of a new grant (a login's) that the sessions sharing store
// are to use from now on. They take it at their next read of the store
// (when their token is due, or at their first use), and renew from it;
// the grant stored before is no longer refreshed by them. It holds the
// store's lock while it reads the version and saves, when store is a
// TokenLocker, so that no session's save comes in between; a save that
// loses to another's (ErrStoreConflict: an offer, which saves without
// the lock, or a session of a store without one) is read and saved again,
// as long as ctx allows, at most 10 times in all: a store
// whose every Save conflicts misreports its versions, and the error
// wraps ErrStoreConflict then. A nil tok, or one without an access token,
// is refused with an error wrapping ErrMissingAccessToken.
// (store.Save(ctx, tok, "") fails with ErrStoreConflict once a token is
// stored.)
func ReplaceStoredToken(ctx context.Context, store TokenStore, tok *Token) error {
	if tok == nil || tok.AccessToken == "" {
		return fmt.Errorf("oauth2: replace stored token: %w", ErrMissingAccessToken)
	}
	if l, ok := store.(TokenLocker); ok {
		unlock, err := l.Lock(ctx)
		if err != nil {
			return fmt.Errorf("oauth2: token store lock: %w", err)
		}
		if unlock != nil {
			defer unlock()
		}
	}
	for try := 1; ; try++ {
		_, ver, err := store.Load(ctx)
		if err != nil {
			return fmt.Errorf("oauth2: token store: %w", err)
		}
		_, err = store.Save(ctx, tok, ver)
		if err == nil {
			return nil
		}
		if !errors.Is(err, ErrStoreConflict) || ctx.Err() != nil || try == replaceTries {
			return fmt.Errorf("oauth2: token store: %w", err)
		}
	}
}

// replaceTries bounds the saves of ReplaceStoredToken: each conflict is
// another save landing between its read and its save, which a few tries
// outlast.
const replaceTries = 10

// renewMode is why a refresh runs.
type renewMode uint8

const (
	// renewDue: the token is due, or the session has none.
	renewDue renewMode = iota
	// renewForce: Refresh was called; a new token is obtained whatever
	// the store holds.
	renewForce
	// renewRejected: a resource server refused the token (RFC 6750 §3.1).
	renewRejected
)

// minForcedRefresh is the least time between two refreshes that a
// rejected token forces, so that a resource server that refuses every
// token (for a reason a new one does not cure) costs at most one refresh
// a minute, not one per request.
const minForcedRefresh = time.Minute

// mayRenew reports whether a refresh of old, for mode, should obtain a
// token: always, except after a rejection while old is fresh and the
// session forced a refresh less than minForcedRefresh ago. A forced
// refresh it allows is recorded.
func (s *Session) mayRenew(old *tokenState, mode renewMode) bool {
	now := s.cfg.now()
	if mode != renewRejected || old == nil || !old.fresh(now) {
		return true
	}
	last := s.forcedAt.Load()
	if last != 0 && now.Sub(time.Unix(0, last)) < minForcedRefresh {
		return false
	}
	s.forcedAt.Store(now.UnixNano())
	return true
}

// load reads the session's store.
func (s *Session) load(ctx context.Context) (tok *Token, ver string, err error) {
	err = callHook("TokenStore.Load", func() error {
		var e error
		tok, ver, e = s.Store.Load(ctx)
		return e
	})
	if err != nil {
		return nil, "", fmt.Errorf("oauth2: token store: %w", err)
	}
	if tok != nil && tok.AccessToken == "" && tok.RefreshToken == "" {
		tok = nil // nothing to use or renew: as if nothing were stored
	}
	return tok, ver, nil
}

// save writes tok to the session's store in place of version prev.
func (s *Session) save(ctx context.Context, tok *Token, prev string) (ver string, err error) {
	err = callHook("TokenStore.Save", func() error {
		var e error
		ver, e = s.Store.Save(ctx, tok, prev)
		return e
	})
	if err != nil {
		return "", fmt.Errorf("oauth2: token store: %w", err)
	}
	return ver, nil
}

// Bounds of the back-off between the tries of a Save that failed while
// the session holds the store's lock.
const (
	minStoreRetry = 50 * time.Millisecond
	maxStoreRetry = time.Second
)

// saveRetrying saves tok in place of version prev as save does, and while
// the store fails (not by a conflict, nor by a panic) tries again after a
// back-off through Config.Sleep, until ctx, the refresh's, is done or its
// deadline would pass during the next wait. The session holds the store's
// lock meanwhile: another session that read the store now would find the
// refresh token this one spent.
func (s *Session) saveRetrying(ctx context.Context, tok *Token, prev string) (string, error) {
	wait := minStoreRetry
	for {
		ver, err := s.save(ctx, tok, prev)
		var pe *PanicError
		if err == nil || errors.Is(err, ErrStoreConflict) || errors.As(err, &pe) || ctx.Err() != nil {
			return ver, err
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= wait {
			return ver, err
		}
		// A panicking Sleep ends the tries as a done ctx does, and the
		// token is marked for the store to take later.
		if callHook("Config.Sleep", func() error { return s.cfg.sleep(ctx, wait) }) != nil {
			return ver, err
		}
		wait = min(2*wait, maxStoreRetry)
	}
}

// lock takes the store's refresh lock, if it has one; unlock is never nil.
func (s *Session) lock(ctx context.Context) (unlock func(), err error) {
	l, ok := s.Store.(TokenLocker)
	if !ok {
		return func() {}, nil
	}
	var release func()
	err = callHook("TokenLocker.Lock", func() error {
		var e error
		release, e = l.Lock(ctx)
		return e
	})
	if err != nil {
		return nil, fmt.Errorf("oauth2: token store lock: %w", err)
	}
	// A panic while releasing must not end the refresh's goroutine; the
	// lock is the store's to recover (it dies with its holder).
	return func() { _ = callHook("TokenLocker unlock", func() error { release(); return nil }) }, nil
}

// storeOlder reports whether the stored version ver is the one the
// session's own unsaved token old replaced: the store has not caught up
// with the session, whose token is the newer.
func storeOlder(ver string, old *tokenState) bool {
	return old != nil && old.storeDue && ver == old.prev
}

// adoptable returns the state of stored, of version ver, if the session
// should use it rather than renew old: it is another token than old's
// (another session saved it), it is fresh, and mode is not renewForce.
func (s *Session) adoptable(stored *Token, ver string, old *tokenState, mode renewMode) *tokenState {
	if stored == nil || stored.AccessToken == "" || mode == renewForce || storeOlder(ver, old) {
		return nil
	}
	if old != nil {
		if old.ver != "" && old.ver == ver || old.ver == "" && old.tok.AccessToken == stored.AccessToken {
			return nil // the session's own token
		}
	}
	now := s.cfg.now()
	st := s.newState(stored, now)
	if !st.fresh(now) {
		return nil
	}
	st.ver = ver
	return st
}

// renewShared renews old through the store: it reloads and adopts a token
// another session saved; failing that, it takes the lock, reloads again,
// and only then obtains a token, from the stored one (the newest refresh
// token), which it saves in place of the version it read.
func (s *Session) renewShared(ctx context.Context, old *tokenState, o *options, mode renewMode) (*tokenState, error, error) {
	stored, ver, err := s.load(ctx)
	if err != nil {
		return nil, nil, err
	}
	if st := s.adoptable(stored, ver, old, mode); st != nil {
		s.cur.Store(st)
		return st, nil, nil
	}
	if !s.mayRenew(old, mode) {
		return old, nil, nil
	}
	if stored == nil && old == nil && s.grant == nil {
		return nil, nil, ErrNoToken // nothing to renew: no need to lock
	}
	// No offer of the session's unsaved token may save it between the
	// reload below and the save of the token renewed from it: that save
	// would then lose to its own predecessor, whose refresh token it
	// spent. Offers skip while a refresh holds saveMu.
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	unlock, err := s.lock(ctx)
	if err != nil {
		return nil, nil, err
	}
	var once sync.Once
	release := func() { once.Do(unlock) } // after the save, or on the way out
	defer release()
	if stored, ver, err = s.load(ctx); err != nil {
		return nil, nil, err
	}
	if st := s.adoptable(stored, ver, old, mode); st != nil {
		s.cur.Store(st)
		return st, nil, nil
	}
	base := stored
	if stored == nil || storeOlder(ver, old) {
		base = nil
		if old != nil {
			base = old.tok
		}
	}
	tok, err := s.obtain(ctx, base, o)
	if err == nil {
		err = s.verify(ctx, base, tok)
	}
	if err != nil {
		return nil, nil, err
	}
	return s.installLocked(ctx, tok, ver, release)
}

// adoptAfterConflict is what a session does when its Save of a token in
// place of version prev lost to another session's: it reloads and returns
// the state of the stored token. When the store holds none, or cannot be
// read, it returns nil and the version to save the session's own token in
// place of later: the one it read, or prev.
func (s *Session) adoptAfterConflict(ctx context.Context, prev string) (*tokenState, string) {
	stored, ver, err := s.load(ctx)
	if err != nil {
		return nil, prev
	}
	if stored == nil || stored.AccessToken == "" {
		return nil, ver
	}
	st := s.newState(stored, s.cfg.now())
	st.ver = ver
	return st, ver
}

// replaceRejected returns the token to send again, and its Authorization
// value, after a resource server refused tok with invalid_token (RFC 6750
// §3.1): the session's current token if another call replaced tok
// meanwhile; with a Store, the stored token if another session saved one;
// otherwise the token of a refresh it forces, at most once a
// minForcedRefresh. It returns a nil token when it has none to offer
// (the refresh failed, or was not allowed): the caller keeps the refusal.
func (s *Session) replaceRejected(ctx context.Context, tok *Token) (*Token, string) {
	st := s.cur.Load()
	if st == nil {
		return nil, ""
	}
	if st.tok == tok || !st.fresh(s.cfg.now()) {
		c, err := s.refresh(ctx, st, nil, renewRejected)
		if err != nil || c.err != nil {
			return nil, ""
		}
		st = c.st
	}
	if st == nil || st.tok == tok || st.tok.AccessToken == "" {
		return nil, ""
	}
	return st.tok, st.auth
}
