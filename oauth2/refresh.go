package oauth2

// How a Session keeps its token usable: the valid-token path, the
// single-flight refresh, and the offers to OnTokenUpdate.

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// tokenState is an immutable snapshot of the session's token, published
// through an atomic pointer so that the valid-token path takes no lock.
type tokenState struct {
	tok *Token
	// auth is the Authorization header value for tok.
	auth string
	// refreshAt is when to start refreshing; zero means never.
	refreshAt time.Time
	// ver is tok's version in the session's TokenStore: "" when tok did
	// not come from the store, or was not saved to it.
	ver string
	// unsaved is set while the store (storeDue) or OnTokenUpdate
	// (hookDue) has not accepted tok; it is offered again from saveAt on,
	// and saveWait is the back-off after the next failure. prev is the
	// version tok replaces in the store.
	unsaved  bool
	storeDue bool
	hookDue  bool
	prev     string
	saveAt   time.Time
	saveWait time.Duration
}

// Bounds of the back-off between offers of an unsaved token.
const (
	minSaveBackoff = time.Second
	maxSaveBackoff = time.Minute
)

// newState computes the snapshot for tok received at now.
func (s *Session) newState(tok *Token, now time.Time) *tokenState {
	st := &tokenState{tok: tok, auth: tok.Type() + " " + tok.AccessToken, refreshAt: s.refreshTime(tok, now)}
	if tok.AccessToken == "" || checkDPoPKey(tok, s.cfg.DPoP) != nil {
		// Never usable (no access token, or bound to a DPoP key the
		// session does not have): due at once, so that the valid-token
		// path never returns it and slowValid renews it or fails.
		st.refreshAt = time.Unix(0, 0)
	}
	return st
}

// refreshTime is when to start refreshing tok, received at now: the expiry
// minus the leeway, but never earlier than half-way through the remaining
// lifetime, so that a server issuing 5-second tokens with a 10-second
// leeway does not cause a refresh per request. Zero for a token that does
// not expire.
func (s *Session) refreshTime(tok *Token, now time.Time) time.Time {
	if tok.Expiry.IsZero() {
		return time.Time{}
	}
	lw := s.cfg.leeway()
	if rem := tok.Expiry.Sub(now); rem > 0 && lw > rem/2 {
		lw = rem / 2
	}
	return tok.Expiry.Add(-lw)
}

// fresh reports whether st's token is not yet due for a refresh at now.
func (st *tokenState) fresh(now time.Time) bool {
	return st.refreshAt.IsZero() || now.Before(st.refreshAt)
}

// canRenew reports whether the session can obtain a token to replace st's:
// from its store, its grant, or st's refresh token.
func (s *Session) canRenew(st *tokenState) bool {
	return s.Store != nil || s.grant != nil || st != nil && st.tok.RefreshToken != ""
}

// valid returns a usable token state. The fast path is one atomic load and
// two time comparisons.
func (s *Session) valid(ctx context.Context) (*tokenState, error) {
	st := s.cur.Load()
	if st != nil {
		now := s.cfg.now()
		if st.fresh(now) && (!st.unsaved || now.Before(st.saveAt)) {
			return st, nil
		}
	}
	return s.slowValid(ctx, st)
}

func (s *Session) slowValid(ctx context.Context, st *tokenState) (*tokenState, error) {
	now := s.cfg.now()
	if st != nil && (st.fresh(now) || !s.canRenew(st) && st.tok.ValidAt(now) && checkDPoPKey(st.tok, s.cfg.DPoP) == nil) {
		// Only an offer to OnTokenUpdate is due; or the token is inside
		// the leeway and cannot be renewed: used while it lasts.
		s.offer(ctx, st)
		return st, nil
	}
	if !s.canRenew(st) {
		if st == nil || st.tok.AccessToken == "" {
			return nil, ErrNoToken
		}
		if err := checkDPoPKey(st.tok, s.cfg.DPoP); err != nil {
			return nil, err
		}
		return nil, ErrTokenExpired
	}
	c, err := s.refresh(ctx, st, nil, renewDue)
	if err == nil {
		err = c.err
	}
	if err != nil {
		// A renewal failed early, while the token is valid: use the token
		// while it lasts. runRefresh has put off the next attempt.
		if cur := s.cur.Load(); ctx.Err() == nil && cur != nil && cur.tok.ValidAt(s.cfg.now()) && checkDPoPKey(cur.tok, s.cfg.DPoP) == nil {
			return cur, nil
		}
		return nil, err
	}
	return c.st, nil
}

// offer hands st's token, which the store or OnTokenUpdate has not
// accepted yet, to them again once its back-off has passed, unless
// another save is under way. The outcome is recorded in the session's
// state, not returned: the caller goes on with the token either way.
// ctx, the caller's, is bounded by Config.Timeout when it has no
// deadline, as a request to an endpoint is: the caller holds a valid
// token and must not wait for a store that does not answer.
func (s *Session) offer(ctx context.Context, st *tokenState) {
	if !st.unsaved || s.cfg.now().Before(st.saveAt) || !s.saveMu.TryLock() {
		return
	}
	defer s.saveMu.Unlock()
	ctx, cancel := s.cfg.requestContext(ctx)
	defer cancel()
	cur := s.cur.Load()
	if cur == nil || cur.tok != st.tok || !cur.unsaved {
		return // replaced, or accepted, meanwhile
	}
	storeDue, hookDue, ver, prev := cur.storeDue, cur.hookDue, cur.ver, cur.prev
	if storeDue {
		v, err := s.save(ctx, cur.tok, prev)
		switch {
		case errors.Is(err, ErrStoreConflict):
			// Another session saved first: its token wins.
			won, v := s.adoptAfterConflict(ctx, prev)
			if won != nil {
				s.cur.CompareAndSwap(cur, won)
				return
			}
			prev = v
		case err == nil:
			ver, storeDue = v, false
		}
	}
	if hookDue && s.update(ctx, cur.tok) == nil {
		hookDue = false
	}
	s.modify(cur.tok, func(n *tokenState) bool {
		n.storeDue, n.hookDue, n.ver, n.prev = storeDue, hookDue, ver, prev
		n.unsaved = storeDue || hookDue
		if n.unsaved {
			n.saveWait = min(max(2*n.saveWait, minSaveBackoff), maxSaveBackoff)
			n.saveAt = s.cfg.now().Add(n.saveWait)
		}
		return true
	})
}

// firstErr returns err if it is not nil, and else next.
func firstErr(err, next error) error {
	if err != nil {
		return err
	}
	return next
}

// update calls OnTokenUpdate with tok; s.saveMu must be held.
func (s *Session) update(ctx context.Context, tok *Token) error {
	if s.OnTokenUpdate == nil {
		return nil
	}
	if err := callHook("OnTokenUpdate", func() error { return s.OnTokenUpdate(ctx, tok) }); err != nil {
		return fmt.Errorf("oauth2: token update callback: %w", err)
	}
	return nil
}

// modify replaces the session's state, if it still holds tok, with a
// copy that f changed; f reports whether it changed anything.
func (s *Session) modify(tok *Token, f func(*tokenState) bool) {
	for {
		cur := s.cur.Load()
		if cur == nil || cur.tok != tok {
			return
		}
		next := *cur
		if !f(&next) || s.cur.CompareAndSwap(cur, &next) {
			return
		}
	}
}

// minRefreshBackoff is the shortest delay backOff puts between two attempts
// to refresh a still-valid token.
const minRefreshBackoff = time.Second

// backOff puts off the next automatic refresh of old after a refresh failed
// with err while old's token is still valid, so that a server that is down
// is not asked once per request: the next attempt waits half the token's
// remaining lifetime, or the server's Retry-After if that is shorter, but
// at least minRefreshBackoff, and never past the expiry, after which the
// error is returned to the callers. It never brings a refresh forward.
func (s *Session) backOff(old *tokenState, err error) {
	if old == nil {
		return
	}
	now := s.cfg.now()
	if old.tok.Expiry.IsZero() || !old.tok.ValidAt(now) {
		return
	}
	wait := old.tok.Expiry.Sub(now) / 2
	if e := asError(err); e != nil && e.RetryAfter > 0 && e.RetryAfter < wait {
		wait = e.RetryAfter
	}
	at := now.Add(max(wait, minRefreshBackoff))
	if at.After(old.tok.Expiry) {
		at = old.tok.Expiry
	}
	s.modify(old.tok, func(n *tokenState) bool {
		if !at.After(n.refreshAt) {
			return false
		}
		n.refreshAt = at
		return true
	})
}

// refreshCall is one refresh in flight, for mode; done is closed when
// the other fields are set. saveErr is OnTokenUpdate's error for the new
// token st.
type refreshCall struct {
	done    chan struct{}
	mode    renewMode
	st      *tokenState
	err     error
	saveErr error
}

// Refresh renews the session's token now, whatever its expiry, and
// returns the new one: with the refresh token (RFC 6749 §6), or, for a
// renewing session, by running its grant when there is none or the
// server refuses it with invalid_grant. A refresh response without
// refresh_token or scope keeps the old token's. Config.Params, the
// session's options and opts go with the request. It fails with
// ErrNoToken, or ErrNoRefreshToken, when there is nothing to renew with.
//
// With a Store, Refresh takes the store's lock, renews the stored token
// (the newest refresh token), and saves the new one (see Session.Store).
//
// A token Session.VerifyToken refuses fails the refresh with its error
// and is not installed. The new token is installed and used whatever the
// store's Save or OnTokenUpdate returns; if either fails, Refresh returns
// its error (CachedToken is the new token). Only when another session
// saved first (ErrStoreConflict) does Refresh return that session's token
// instead.
// Unlike Token, Refresh returns the renewal's error even when the current
// token is still valid.
//
// Refreshes are single-flight: a Refresh without options while another
// is in progress waits for it and gets its result; with options, or when
// the one in progress is the Transport's for a refused token (which
// renews at most once a minute), it waits for it to end, then runs its
// own. The refresh runs on a context detached from the caller's (keeping
// its values) and bounded by Config.Timeout; ctx bounds only this
// caller's wait, so a cancelled caller returns ctx.Err() at once and the
// refresh goes on for the others.
func (s *Session) Refresh(ctx context.Context, opts ...Option) (*Token, error) {
	st := s.cur.Load()
	if !s.canRenew(st) {
		if st == nil {
			return nil, ErrNoToken
		}
		return nil, ErrNoRefreshToken
	}
	var o *options
	if len(opts) > 0 {
		o = collect(opts)
	}
	c, err := s.refresh(ctx, st, o, renewForce)
	switch {
	case err != nil:
		return nil, err
	case c.err != nil:
		return nil, c.err
	case c.saveErr != nil:
		return nil, c.saveErr
	}
	return c.st.tok, nil
}

// refresh joins or starts a refresh of old for mode, with the per-call
// options o (nil for none), and waits for it on ctx. Unless mode is
// renewForce, a token that another refresh already replaced is returned
// without a new one.
func (s *Session) refresh(ctx context.Context, old *tokenState, o *options, mode renewMode) (*refreshCall, error) {
	for {
		s.mu.Lock()
		if cur := s.cur.Load(); mode != renewForce && cur != old && cur != nil && cur.fresh(s.cfg.now()) {
			s.mu.Unlock()
			return &refreshCall{st: cur}, nil
		}
		c := s.flight
		started := c == nil
		if started {
			c = &refreshCall{done: make(chan struct{}), mode: mode}
			s.flight = c
			go s.runRefresh(context.WithoutCancel(ctx), c, o, mode)
		}
		s.mu.Unlock()
		if s.joined != nil {
			s.joined()
		}
		select {
		case <-c.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if started || o == nil && (mode != renewForce || c.mode != renewRejected) {
			return c, nil
		}
		// Another refresh was under way that does not serve this call:
		// one without its options, or, for Refresh, a refused token's,
		// which may keep the token (see mayRenew). Now run its own.
	}
}

func (s *Session) runRefresh(ctx context.Context, c *refreshCall, o *options, mode renewMode) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.refreshTimeout())
	defer cancel()
	old := s.cur.Load()
	st, saveErr, err := s.safeRenew(ctx, old, o, mode)
	if err != nil {
		// Before the waiters wake, so that they and later callers see it.
		// It calls Config.Now, whose panic must not end the program
		// either.
		if perr := callHook("refresh", func() error { s.backOff(old, err); return nil }); perr != nil {
			err = perr
		}
	}
	s.mu.Lock()
	s.flight = nil
	c.st, c.err, c.saveErr = st, err, saveErr
	close(c.done)
	s.mu.Unlock()
}

// safeRenew runs renew, turning a panic in anything it calls into a
// *PanicError: it runs on a goroutine of its own, where a panic would end
// the program, and its waiters must get a result.
func (s *Session) safeRenew(ctx context.Context, old *tokenState, o *options, mode renewMode) (st *tokenState, saveErr, err error) {
	defer func() {
		if v := recover(); v != nil {
			st, saveErr, err = nil, nil, &PanicError{Hook: "refresh", Value: v, Stack: debug.Stack()}
		}
	}()
	return s.renew(ctx, old, o, mode)
}

// renew obtains a token to replace old's (nil when the session has none),
// checks it with VerifyToken and installs it; with a Store, it may take
// the stored token instead (see renewShared). It returns the store's or
// OnTokenUpdate's refusal of the new token as saveErr. It is the one place
// where a session obtains a token.
func (s *Session) renew(ctx context.Context, old *tokenState, o *options, mode renewMode) (*tokenState, error, error) {
	if s.Store != nil {
		return s.renewShared(ctx, old, o, mode)
	}
	if !s.mayRenew(old, mode) {
		return old, nil, nil
	}
	var base *Token
	if old != nil {
		base = old.tok
	}
	tok, err := s.obtain(ctx, base, o)
	if err == nil {
		err = s.verify(ctx, base, tok)
	}
	if err != nil {
		return nil, nil, err
	}
	return s.install(ctx, tok, "", nil)
}

// install makes tok, a token the session obtained, the session's token,
// saves it to the store in place of version prev, calls saved (the store
// lock's release) if not nil, then offers tok to OnTokenUpdate, and keeps
// it whatever they answer, unless the store holds the token of a session
// that saved first, which is installed instead. saveErr is the first
// refusal.
func (s *Session) install(ctx context.Context, tok *Token, prev string, saved func()) (st *tokenState, saveErr, err error) {
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	return s.installLocked(ctx, tok, prev, saved)
}

// installLocked is install for a caller that holds s.saveMu.
func (s *Session) installLocked(ctx context.Context, tok *Token, prev string, saved func()) (st *tokenState, saveErr, err error) {
	st = s.newState(tok, s.cfg.now())
	// The session's token before the store and OnTokenUpdate see it: while
	// they run (a Save tried again until the deadline, a hook that blocks),
	// CachedToken, the token to save, and the session's callers have it,
	// not the one whose refresh token it spent. st itself is published
	// below, with what they answered.
	early := *st
	s.cur.Store(&early)
	if s.Store != nil {
		ver, err := s.saveRetrying(ctx, tok, prev)
		if saved != nil {
			saved()
		}
		if errors.Is(err, ErrStoreConflict) {
			won, v := s.adoptAfterConflict(ctx, prev)
			if won != nil {
				s.cur.Store(won)
				return won, nil, nil
			}
			prev = v
		}
		if err != nil {
			st.storeDue, st.prev, saveErr = true, prev, err
		} else {
			st.ver = ver
		}
	}
	if err := s.update(ctx, tok); err != nil {
		st.hookDue, saveErr = true, firstErr(saveErr, err)
	}
	if saveErr != nil {
		st.unsaved, st.saveWait = true, minSaveBackoff
		st.saveAt = s.cfg.now().Add(minSaveBackoff)
	}
	s.cur.Store(st)
	return st, saveErr, nil
}

// verify calls VerifyToken, if set, with tok, the token obtained to
// replace old (nil when there was none). It runs inside safeRenew, which
// turns a panic into a *PanicError.
func (s *Session) verify(ctx context.Context, old, tok *Token) error {
	if s.VerifyToken == nil {
		return nil
	}
	return s.VerifyToken(ctx, old, tok)
}

// obtain gets a new token: with old's refresh token when it has one, and
// for a renewing session by running its grant when it has none, the
// server answered invalid_grant, or old is bound to a DPoP key the session
// does not have.
func (s *Session) obtain(ctx context.Context, old *Token, o *options) (*Token, error) {
	if old != nil && old.RefreshToken != "" {
		tok, err := s.refreshWith(ctx, old, o)
		if err == nil || s.grant == nil || !errors.Is(err, ErrInvalidGrant) && !errors.Is(err, ErrNoDPoPKey) && !errors.Is(err, ErrDPoPKeyMismatch) {
			return tok, err
		}
	}
	if s.grant == nil {
		if old == nil {
			return nil, ErrNoToken
		}
		return nil, ErrNoRefreshToken
	}
	p, err := s.grant(ctx, &s.cfg)
	if err != nil {
		return nil, err
	}
	return s.sessionRequest(ctx, p, o)
}

// refreshWith runs the refresh token grant with base's refresh token. A
// response without refresh_token or scope keeps base's. A DPoP-bound base
// is refreshed only with proofs of its key (RFC 9449 §5 binds a public
// client's refresh token to it).
func (s *Session) refreshWith(ctx context.Context, base *Token, o *options) (*Token, error) {
	if err := checkDPoPKey(base, s.cfg.DPoP); err != nil {
		return nil, err
	}
	p := urlenc.Params{{Key: "grant_type", Value: "refresh_token"}, {Key: "refresh_token", Value: base.RefreshToken}}
	tok, err := s.sessionRequest(ctx, p, o)
	if err != nil {
		return nil, err
	}
	if tok.RefreshToken == "" {
		tok.RefreshToken = base.RefreshToken
	}
	if tok.Scope == "" {
		tok.Scope = base.Scope
	}
	return tok, nil
}

// sessionRequest sends p to the token endpoint with Config.Params, the
// session's options and o.
func (s *Session) sessionRequest(ctx context.Context, p urlenc.Params, o *options) (*Token, error) {
	addValues(&p, s.cfg.Params)
	s.opts.applyParams(&p, false)
	o.applyParams(&p, false)
	return s.cfg.tokenRequest(ctx, p, false, &s.detect, &s.nonces)
}
