package oauth2

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"
)

// tokenState is an immutable snapshot of the session's token, published
// through an atomic pointer so that the valid-token path takes no lock.
type tokenState struct {
	tok *Token
	// auth is the precomputed Authorization header value, as a slice so the
	// Transport can install it without allocating.
	auth []string
	// refreshAt is when to start refreshing; zero means never.
	refreshAt time.Time
	// clientCreds marks a token from the client credentials grant (by
	// ClientCredentials or a re-grant): without a refresh token, it is
	// renewed by running the grant again. It belongs to the token, not the
	// session, so a token set or obtained later by another grant is never
	// silently replaced by a client's own token.
	clientCreds bool
	// pending is a token a refresh obtained that OnTokenUpdate refused:
	// never used, but kept, since a server that rotates refresh tokens has
	// already revoked tok's. The next refresh offers it to OnTokenUpdate
	// again while it is fresh, and renews it with its own refresh token
	// once it is not.
	pending *Token
	// pendingDue is when pending is due for a refresh, reckoned when it
	// was kept as newState reckons refreshAt; zero if it never is.
	pendingDue time.Time
}

// newState computes the snapshot for tok received at now. The refresh time is
// the expiry minus the leeway, but never earlier than half-way through the
// remaining lifetime: a server issuing 5-second tokens with a 10-second
// leeway must not cause a refresh per request.
func (s *Session) newState(tok *Token, now time.Time) *tokenState {
	st := &tokenState{tok: tok, auth: []string{tok.Type() + " " + tok.AccessToken},
		refreshAt: s.refreshTime(tok, now)}
	if tok.AccessToken == "" {
		// Never usable: due at once, so that the valid-token path never
		// returns it and slowValid refreshes it or fails.
		st.refreshAt = time.Unix(0, 0)
	}
	return st
}

// refreshTime is when to start refreshing tok, received at now (see
// newState); zero for a token that does not expire.
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

// store makes tok the session's token without calling OnTokenUpdate;
// clientCreds says it came from the client credentials grant.
func (s *Session) store(tok *Token, clientCreds bool) *tokenState {
	st := s.newState(tok, s.cfg.now())
	st.clientCreds = clientCreds
	s.cur.Store(st)
	return st
}

// SetToken makes tok the session's token without calling OnTokenUpdate, for
// example a token loaded from storage. A nil tok clears it. A token
// without an access token is never sent: it is refreshed at its first use
// if it has a refresh token, and fails with ErrNoToken otherwise. A refresh
// under way when SetToken is called still installs its result when it
// completes.
func (s *Session) SetToken(tok *Token) {
	if tok == nil {
		s.cur.Store(nil)
		return
	}
	s.store(tok, false)
}

// commit hands tok to OnTokenUpdate and, if it accepts it, makes it the
// session's token. clientCreds is as for store.
func (s *Session) commit(ctx context.Context, tok *Token, clientCreds bool) error {
	if s.OnTokenUpdate != nil {
		if err := callHook("OnTokenUpdate", func() error { return s.OnTokenUpdate(ctx, tok) }); err != nil {
			return fmt.Errorf("oauth2: token update callback: %w", err)
		}
	}
	s.store(tok, clientCreds)
	return nil
}

// CachedToken returns the session's newest token as it is, without
// refreshing it (it may have expired), or nil. Use it to save the token at
// shutdown; use Token to get a usable one. The newest token may be one that
// OnTokenUpdate refused and the session does not use yet (see
// OnTokenUpdate): it is the one to save, as its refresh token may be the
// only one the server still accepts.
func (s *Session) CachedToken() *Token {
	if st := s.cur.Load(); st != nil {
		if st.pending != nil {
			return st.pending
		}
		return st.tok
	}
	return nil
}

// Authorized reports whether the session holds an access token, valid or
// not. It makes no request.
func (s *Session) Authorized() bool {
	st := s.cur.Load()
	return st != nil && st.tok.AccessToken != ""
}

// Token returns the session's token, refreshed first if it is within the
// leeway of its expiry (see Config.Leeway). It fails with ErrNoToken when
// there is none, ErrTokenExpired when it expired and cannot be refreshed, or
// the refresh's error once the token has expired. If a refresh fails while
// the token is still valid, Token returns the token and the next refresh
// attempt is put off, as Config.Leeway describes. ctx bounds only this
// caller's wait: see Refresh.
func (s *Session) Token(ctx context.Context) (*Token, error) {
	st, err := s.valid(ctx)
	if err != nil {
		return nil, err
	}
	return st.tok, nil
}

// valid returns a usable token state. The fast path is one atomic load and a
// time comparison.
func (s *Session) valid(ctx context.Context) (*tokenState, error) {
	st := s.cur.Load()
	if st != nil && (st.refreshAt.IsZero() || s.cfg.now().Before(st.refreshAt)) {
		return st, nil
	}
	return s.slowValid(ctx, st)
}

func (s *Session) slowValid(ctx context.Context, st *tokenState) (*tokenState, error) {
	if st == nil {
		return nil, ErrNoToken
	}
	if st.tok.RefreshToken == "" && !st.clientCreds {
		// Inside the leeway but not expired: use it while it lasts.
		if st.tok.Valid(s.cfg.now()) {
			return st, nil
		}
		if st.tok.AccessToken == "" {
			return nil, ErrNoToken
		}
		return nil, ErrTokenExpired
	}
	nst, err := s.refresh(ctx, st, false)
	if err != nil && ctx.Err() == nil {
		// An early refresh failed: use the token while it lasts. runRefresh
		// has put off the next attempt (see backOff).
		if cur := s.cur.Load(); cur != nil && cur.tok.Valid(s.cfg.now()) {
			return cur, nil
		}
	}
	return nst, err
}

// minRefreshBackoff is the shortest delay backOff puts between two attempts
// to refresh a still-valid token.
const minRefreshBackoff = time.Second

// backOff puts off the next automatic refresh of old after a refresh failed
// with err while old's token is still valid, so that a server that is down
// is not asked once per request: the next attempt waits half the token's
// remaining lifetime, or the server's Retry-After if that is shorter, but at
// least minRefreshBackoff, and never past the expiry, after which the error
// is returned to the callers. It never brings a refresh forward, and does
// nothing if old is no longer the session's token.
func (s *Session) backOff(old *tokenState, err error) {
	if old == nil {
		return
	}
	if at, ok := s.backOffTime(old, err); ok {
		next := *old
		next.refreshAt = at
		s.cur.CompareAndSwap(old, &next)
	}
}

// backOffTime returns when backOff would have the next refresh of old
// start, and false when it would leave old as it is.
func (s *Session) backOffTime(old *tokenState, err error) (time.Time, bool) {
	now := s.cfg.now()
	if old.tok.Expiry.IsZero() || !old.tok.Valid(now) {
		return time.Time{}, false
	}
	wait := old.tok.Expiry.Sub(now) / 2
	var e *Error
	if errors.As(err, &e) && e.RetryAfter > 0 && e.RetryAfter < wait {
		wait = e.RetryAfter
	}
	at := now.Add(max(wait, minRefreshBackoff))
	if at.After(old.tok.Expiry) {
		at = old.tok.Expiry
	}
	if !at.After(old.refreshAt) {
		return time.Time{}, false
	}
	return at, true
}

// refreshCall is one refresh in flight; done is closed when st/err are set.
type refreshCall struct {
	done chan struct{}
	st   *tokenState
	err  error
}

// Refresh obtains a new token with the refresh token now (RFC 6749 §6),
// whatever the current token's expiry, and makes it the session's token. A
// response without refresh_token keeps the old one. If the token came from
// ClientCredentials (or from such a re-grant) and has no refresh token, the
// client credentials grant runs again instead; a token set with SetToken or
// obtained by another grant never is.
//
// Refreshes are single-flight: a call while a refresh is in progress waits
// for that refresh and gets its result, success or failure. The refresh runs
// on a context detached from the caller's (keeping its values) and bounded
// by Config.RefreshTimeout; ctx bounds only this caller's wait, so a
// cancelled caller returns ctx.Err() at once and the refresh goes on for the
// others. Unlike Token, Refresh returns the refresh's error even when the
// current token is still valid. If OnTokenUpdate refused the token of an
// earlier refresh and that token is not yet due for a refresh, Refresh
// offers it that token again instead of making a request (see
// OnTokenUpdate); otherwise Refresh renews it with its own refresh token.
func (s *Session) Refresh(ctx context.Context) (*Token, error) {
	st := s.cur.Load()
	if st == nil {
		return nil, ErrNoToken
	}
	if st.tok.RefreshToken == "" && !st.clientCreds {
		return nil, ErrNoRefreshToken
	}
	st, err := s.refresh(ctx, st, true)
	if err != nil {
		return nil, err
	}
	return st.tok, nil
}

// refresh joins or starts the refresh of old. Unless force is set, a token
// that another refresh already replaced is returned without a new refresh.
func (s *Session) refresh(ctx context.Context, old *tokenState, force bool) (*tokenState, error) {
	s.mu.Lock()
	if cur := s.cur.Load(); !force && cur != old && cur != nil &&
		(cur.refreshAt.IsZero() || s.cfg.now().Before(cur.refreshAt)) {
		s.mu.Unlock()
		return cur, nil
	}
	c := s.flight
	if c == nil {
		c = &refreshCall{done: make(chan struct{})}
		s.flight = c
		go s.runRefresh(context.WithoutCancel(ctx), c)
	}
	s.mu.Unlock()
	select {
	case <-c.done:
		return c.st, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *Session) runRefresh(ctx context.Context, c *refreshCall) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.refreshTimeout())
	defer cancel()
	old := s.cur.Load()
	st, err := s.safeRefresh(ctx, old)
	if err != nil {
		// Before the waiters wake, so that they and later callers see it.
		s.backOff(old, err)
	}
	s.mu.Lock()
	s.flight = nil
	c.st, c.err = st, err
	close(c.done)
	s.mu.Unlock()
}

// safeRefresh runs doRefresh, turning a panic in anything it calls into a
// *PanicError: it runs on a goroutine of its own, where a panic would end
// the program, and its waiters must get a result.
func (s *Session) safeRefresh(ctx context.Context, old *tokenState) (st *tokenState, err error) {
	defer func() {
		if v := recover(); v != nil {
			st, err = nil, &PanicError{Hook: "refresh", Value: v, Stack: debug.Stack()}
		}
	}()
	return s.doRefresh(ctx, old)
}

func (s *Session) doRefresh(ctx context.Context, old *tokenState) (*tokenState, error) {
	if old == nil {
		return nil, ErrNoToken
	}
	// A token OnTokenUpdate refused earlier (see pending) is offered again
	// as it is while it is not yet due, and made the token in use.
	if kept := old.pending; kept != nil && s.notDue(old, kept) {
		if err := s.update(ctx, old, kept); err != nil {
			return nil, err
		}
		st := s.store(kept, old.clientCreds)
		if s.notDue(old, kept) {
			return st, nil
		}
		// It fell due while OnTokenUpdate took it: renewed below, as the
		// token in use.
		old = st
	}
	// The token to renew: the one in use, or a kept one, whose refresh
	// token is the live one if the server rotates them.
	base := old.tok
	if old.pending != nil {
		base = old.pending
	}
	tok, err := s.renew(ctx, base)
	if err != nil {
		// A kept token that is due but still valid is better than none:
		// offered, and used if accepted, while the error is returned as
		// for any failed refresh.
		in := old
		if kept := old.pending; kept != nil && kept.Valid(s.cfg.now()) {
			if uerr := s.update(ctx, old, kept); uerr == nil {
				in = s.store(kept, old.clientCreds)
			}
		}
		// The token installed here, not the one runRefresh started from,
		// is the one whose next attempt to put off.
		s.backOff(in, err)
		return nil, err // already "oauth2: token endpoint: ..."
	}
	if err := s.update(ctx, old, tok); err != nil {
		return nil, err
	}
	// A refreshed client credentials token stays one.
	return s.store(tok, old.clientCreds), nil
}

// notDue reports whether kept, old's pending token, is valid and not yet
// due for a refresh.
func (s *Session) notDue(old *tokenState, kept *Token) bool {
	now := s.cfg.now()
	return kept.Valid(now) && (old.pendingDue.IsZero() || now.Before(old.pendingDue))
}

// update hands tok, obtained to replace old, to OnTokenUpdate. If it is
// refused, old's token stays in use while it lasts and tok is kept aside
// (see pending) for the next attempt, which waits as after a failed
// refresh (see backOff).
func (s *Session) update(ctx context.Context, old *tokenState, tok *Token) error {
	if s.OnTokenUpdate == nil {
		return nil
	}
	// A panic counts as a refusal: tok is kept, as the server may have
	// revoked old's refresh token already.
	err := callHook("OnTokenUpdate", func() error { return s.OnTokenUpdate(ctx, tok) })
	if err == nil {
		return nil
	}
	err = fmt.Errorf("oauth2: token update callback: %w", err)
	next := *old
	if tok != old.pending { // reckoned once per token
		next.pending = tok
		next.pendingDue = s.refreshTime(tok, s.cfg.now())
	}
	if at, ok := s.backOffTime(old, err); ok {
		next.refreshAt = at
	}
	s.cur.CompareAndSwap(old, &next)
	return err
}

// renew obtains a new token for base: with its refresh token, or, for a
// client credentials token without one, by running the grant again. A
// response without refresh_token or scope keeps base's.
func (s *Session) renew(ctx context.Context, base *Token) (*Token, error) {
	if base.RefreshToken == "" {
		// Only a client credentials token gets here without one.
		return s.clientCredentials(ctx)
	}
	tok, err := s.tokenRequest(ctx, refreshParams(base.RefreshToken), false)
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
