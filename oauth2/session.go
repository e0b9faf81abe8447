package oauth2

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// Session holds a token and keeps it usable: it refreshes the token ahead
// of its expiry, hands every new token to OnTokenUpdate, and authorizes
// requests through Client. A session made by NewSession renews its token
// with the refresh token; one made by ClientCredentials, JWTBearer,
// TokenExchange or GrantSession obtains its first token on first use and
// renews whatever token it holds by running its grant again (after trying
// the refresh token, when the server issued one).
//
// A Session is a TokenSource. It is safe for concurrent use by multiple
// goroutines; set OnTokenUpdate and Store before its first use. Sessions
// in several processes share one grant through a Store. With a valid token,
// Token and the Transport take no lock: one atomic load and a time
// comparison. When many callers find the token due, one refresh runs and
// its result, success or failure, goes to them all; each waits on its own
// context, while the refresh runs on a context detached from theirs,
// bounded by Config.Timeout. No request waits on a lock held across
// network I/O: the refresh holds the session's save lock, and a Store's
// lock, across the refresh they guard, and only other saves wait for
// them.
//
// String and Format, with every fmt verb, redact every credential.
type Session struct {
	// OnTokenUpdate, if not nil, is called with every new token the
	// session obtains (refreshes, renewals, first-use grants), before the
	// call that obtained it returns: save the token there, rotated
	// refresh token included. The token is the session's (CachedToken,
	// and used) from before the call, whatever it returns. If
	// it fails, an explicit Refresh returns its error, an automatic
	// refresh does not fail its request, and the session offers its
	// token again at its next use after a back-off (1 s, doubling up to a
	// minute) until it succeeds. CachedToken is always the token to save.
	// Calls never overlap; ctx is the refresh's own context, or for an
	// offer made again the caller's, bounded by Config.Timeout when it
	// has no deadline. It must not call the session's Token, Refresh or
	// Client, which may wait for it.
	OnTokenUpdate func(ctx context.Context, tok *Token) error

	// VerifyToken, if not nil, checks every new token the session
	// obtains (refreshes, renewals, first-use grants) before it is
	// installed and offered to OnTokenUpdate: old is the token it would
	// replace, nil when the session has none. An error fails the renewal
	// as a failed refresh fails: Refresh returns it as it is, the
	// session keeps its token and uses it while it is valid, and the
	// refresh is tried again as after any failure (see Config.Leeway); a
	// server that rotates refresh tokens has spent the kept one, and
	// refuses it (ErrInvalidGrant) until the user signs in again.
	// IDTokenVerifier.CheckRefreshes of package oauth2/oidc returns one
	// that checks the ID token of a refresh against the sign-in's (OpenID
	// Connect Core 1.0 §12.2). With a Store, old is the token read from
	// it, and a token taken from the store is not checked again. Set it
	// before the session's first use; calls never overlap, and ctx is the
	// refresh's own context. It must not call the session's Token,
	// Refresh or Client, which may wait for it.
	VerifyToken func(ctx context.Context, old, tok *Token) error

	// Store, if not nil, shares the session's token with the other
	// sessions that use the same store, in this process or others: set
	// it before the session's first use. A session without a token takes
	// the stored one at its first use. When its token is due (and after a
	// resource server refused it, see Transport), the session reads the
	// store and uses the token there if another session saved a fresh one
	// meanwhile; otherwise it takes the store's lock (if it is a
	// TokenLocker), reads the store again, renews the token read there
	// (the newest refresh token; the session's own while the store is
	// empty), and saves the new token in place of the version it read,
	// before OnTokenUpdate sees it. If that save loses to another
	// session's (ErrStoreConflict), the session uses the token that won
	// and never spends its own refresh token again; if the save fails,
	// it is tried again under the lock until the refresh's deadline (see
	// TokenLocker), and then the token is used and offered to the store
	// again, as to OnTokenUpdate. OnTokenUpdate sees the tokens this
	// session obtained, not those it took from the store. With a valid
	// token, Token and the Transport do not touch the store. Refresh
	// renews under the lock whatever the store holds.
	//
	// Once the store holds a token, it is the session's source of truth:
	// a token given to NewSession or SetToken is used while it lasts, and
	// its renewal starts from the stored one. To move a store to a new
	// grant, save the grant's token to it with ReplaceStoredToken.
	Store TokenStore

	cfg Config
	// opts are the session's options, for every token request it makes.
	opts *options
	// grant returns the parameters of a renewing session's grant; nil
	// for a session that renews with refresh tokens only.
	grant func(context.Context, *Config) (urlenc.Params, error)

	cur atomic.Pointer[tokenState]

	mu     sync.Mutex   // guards flight
	flight *refreshCall // refresh in progress, or nil
	// saveMu is held across each OnTokenUpdate call and the install of
	// its result, so that calls never overlap, and with a Store from
	// before the refresh takes the store's lock until it has saved, so
	// that no offer saves in between.
	saveMu sync.Mutex

	detect atomic.Int32 // AuthAutoDetect memory, see Config.authOrder
	// nonces are the DPoP nonces the session's token requests and its
	// Transport learned, per server.
	nonces dpopNonces
	// forcedAt is when a rejected token last forced a refresh, in Unix
	// nanoseconds by Config.Now; 0 if never.
	forcedAt atomic.Int64

	// joined, if set, is called each time a caller starts or joins a
	// refresh, before it waits: tests synchronize on it.
	joined func()
}

// NewSession returns a Session holding tok, which may be nil, that renews
// it with its refresh token (RFC 6749 §6). tok is not offered to
// OnTokenUpdate. A token without an access token is never sent: it is
// refreshed at its first use if it has a refresh token, and gives
// ErrNoToken otherwise.
//
// The Config is copied, Scopes and Params included, so later changes to c
// do not reach the session; HTTPClient, Signer, Rand and the functions
// (Hooks, Now, Sleep) are references, whose targets must not change while
// the session is in use.
func (c *Config) NewSession(tok *Token) *Session {
	s := &Session{cfg: c.clone(), opts: &options{}}
	if tok != nil {
		s.cur.Store(s.newState(tok, s.cfg.now()))
	}
	return s
}

func (c *Config) renewing(grant func(context.Context, *Config) (urlenc.Params, error), opts []Option) *Session {
	s := c.NewSession(nil)
	s.grant, s.opts = grant, collect(opts)
	return s
}

// ClientCredentials returns a Session that obtains its tokens with the
// client credentials grant (RFC 6749 §4.4) for Config.Scopes, as a service
// acting on its own behalf does: the first on first use, the next when the
// token it holds is due, whether the grant or SetToken put it there. opts
// go with every token request of the session. It makes no request until
// used.
//
// A service that saves its token restores it with
// s := cfg.ClientCredentials(); s.SetToken(saved).
func (c *Config) ClientCredentials(opts ...Option) *Session {
	return c.renewing(func(_ context.Context, c *Config) (urlenc.Params, error) {
		p := urlenc.Params{{Key: "grant_type", Value: "client_credentials"}}
		c.addScope(&p)
		return p, nil
	}, opts)
}

// JWTBearer returns a Session that obtains its tokens with the JWT bearer
// grant (RFC 7523 §2.1) for Config.Scopes, calling assertion for a fresh
// assertion each time; it renews as ClientCredentials does. assertion runs
// with the refresh's context, and its error fails that grant.
func (c *Config) JWTBearer(assertion func(context.Context) (string, error), opts ...Option) *Session {
	return c.renewing(func(ctx context.Context, c *Config) (urlenc.Params, error) {
		a, err := assertion(ctx)
		if err != nil {
			return nil, fmt.Errorf("oauth2: jwt bearer assertion: %w", err)
		}
		p := urlenc.Params{{Key: "grant_type", Value: grantJWTBearer}, {Key: "assertion", Value: a}}
		c.addScope(&p)
		return p, nil
	}, opts)
}

// TokenExchange returns a Session that obtains its tokens with token
// exchange (RFC 8693 §2.1) for Config.Scopes, calling subject for the
// subject token and its type (such as
// "urn:ietf:params:oauth:token-type:access_token") each time; it renews as
// ClientCredentials does. Add an actor token, audience, resource or
// requested_token_type with SetParam.
func (c *Config) TokenExchange(subject func(context.Context) (token, tokenType string, err error), opts ...Option) *Session {
	return c.renewing(func(ctx context.Context, c *Config) (urlenc.Params, error) {
		tok, typ, err := subject(ctx)
		if err != nil {
			return nil, fmt.Errorf("oauth2: token exchange subject: %w", err)
		}
		p := urlenc.Params{{Key: "grant_type", Value: grantTokenExchange},
			{Key: "subject_token", Value: tok}, {Key: "subject_token_type", Value: typ}}
		c.addScope(&p)
		return p, nil
	}, opts)
}

// GrantSession returns a Session that obtains its tokens with any other
// grant that needs no user: grant_type grantType and the parameters params
// returns (in sorted key order, each key's values in their order; no
// scope is added), called each time; it renews as ClientCredentials does.
func (c *Config) GrantSession(grantType string, params func(context.Context) (url.Values, error), opts ...Option) *Session {
	return c.renewing(func(ctx context.Context, c *Config) (urlenc.Params, error) {
		v, err := params(ctx)
		if err != nil {
			return nil, fmt.Errorf("oauth2: %s parameters: %w", clip(grantType, 64), err)
		}
		p := urlenc.Params{{Key: "grant_type", Value: grantType}}
		addValues(&p, v, "grant_type")
		return p, nil
	}, opts)
}

func (c *Config) addScope(p *urlenc.Params) {
	if len(c.Scopes) > 0 {
		p.Add("scope", c.scope())
	}
}

// Config returns a copy of the session's Config, with its own Scopes and
// Params; HTTPClient, Signer, Rand and the functions are shared, as in
// NewSession.
func (s *Session) Config() Config { return s.cfg.clone() }

// SetToken makes tok the session's token without offering it to
// OnTokenUpdate, such as a token loaded from storage; a nil tok clears it
// (a renewing session then runs its grant at its next use). A token
// without an access token is refused with an error wrapping
// ErrMissingAccessToken, and the session keeps its token. A refresh under
// way still installs its result when it completes.
func (s *Session) SetToken(tok *Token) error {
	if tok == nil {
		s.cur.Store(nil)
		return nil
	}
	if tok.AccessToken == "" {
		return fmt.Errorf("oauth2: SetToken: %w", ErrMissingAccessToken)
	}
	s.cur.Store(s.newState(tok, s.cfg.now()))
	return nil
}

// CachedToken returns the session's token as it is, without refreshing it
// (it may have expired), or nil: the token to save, at shutdown or when
// OnTokenUpdate failed. Use Token for a usable one.
func (s *Session) CachedToken() *Token {
	if st := s.cur.Load(); st != nil {
		return st.tok
	}
	return nil
}

// Token returns the session's token, renewed first if it is due (see
// Config.Leeway): it implements TokenSource. A renewing session with no
// token runs its grant. It fails with ErrNoToken when there is no token
// to return, ErrTokenExpired when the token expired and cannot be renewed,
// or the renewal's error once the token has expired; while the token is
// valid, a failed renewal is put off and the token returned. ctx bounds
// only this caller's wait: see Refresh.
func (s *Session) Token(ctx context.Context) (*Token, error) {
	st, err := s.valid(ctx)
	if err != nil {
		return nil, err
	}
	return st.tok, nil
}

// dpopNonces returns the DPoP nonces the session learned, for its
// Transport.
func (s *Session) dpopNonces() *dpopNonces { return &s.nonces }

// tokenHeader implements headerSource for the Transport.
func (s *Session) tokenHeader(ctx context.Context) (*Token, string, error) {
	st, err := s.valid(ctx)
	if err != nil {
		return nil, "", err
	}
	return st.tok, st.auth, nil
}

// Client returns an *http.Client whose requests carry the session's token,
// renewed when needed: NewClient(s, Config.HTTPClient). The token goes
// where Config.Placement says, and Hooks.ProtectedRequest sees every
// request. The client is safe for concurrent use.
func (s *Session) Client() *http.Client { return NewClient(s, s.cfg.HTTPClient) }

// Revoke revokes the session's access token (HintAccessToken) or refresh
// token (HintRefreshToken) at Endpoint.RevocationURL (RFC 7009), as
// Config.RevokeToken does. The session keeps its token: the server
// decides what a revoked refresh token takes with it. It fails with
// ErrNoToken, or ErrNoRefreshToken, when the session holds no such token.
func (s *Session) Revoke(ctx context.Context, hint TokenTypeHint) error {
	tok, err := s.tokenOf(hint)
	if err != nil {
		return err
	}
	return s.cfg.revoke(ctx, tok, hint, &s.detect)
}

// Introspect asks Endpoint.IntrospectionURL about the session's access or
// refresh token, chosen as Revoke chooses it (RFC 7662), as
// Config.IntrospectToken does.
func (s *Session) Introspect(ctx context.Context, hint TokenTypeHint) (*Introspection, error) {
	tok, err := s.tokenOf(hint)
	if err != nil {
		return nil, err
	}
	return s.cfg.introspect(ctx, tok, hint, &s.detect)
}

func (s *Session) tokenOf(hint TokenTypeHint) (string, error) {
	st := s.cur.Load()
	if st == nil {
		return "", ErrNoToken
	}
	switch hint {
	case HintAccessToken:
		if st.tok.AccessToken == "" {
			return "", ErrNoToken
		}
		return st.tok.AccessToken, nil
	case HintRefreshToken:
		if st.tok.RefreshToken == "" {
			return "", ErrNoRefreshToken
		}
		return st.tok.RefreshToken, nil
	}
	return "", fmt.Errorf("oauth2: unknown token type hint %q", clip(string(hint), 64))
}

// String describes the session without any secret.
func (s *Session) String() string {
	st := s.cur.Load()
	if st == nil {
		return "oauth2.Session{" + s.cfg.String() + " Token:nil}"
	}
	return "oauth2.Session{" + s.cfg.String() + " Token:" + st.tok.String() + "}"
}

// Format implements fmt.Formatter: every verb prints String (quoted for
// %q).
func (s *Session) Format(f fmt.State, verb rune) { urlenc.Format(f, verb, s.String()) }
