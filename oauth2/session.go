package oauth2

import (
	"context"
	"crypto/subtle"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// Session is the stateful client a user keeps: it builds the authorization
// URL and remembers its state and PKCE verifier, runs the grants, holds the
// current token, refreshes it when needed and authorizes requests through
// Client. Create one with Config.NewSession.
//
// A Session is safe for concurrent use by multiple goroutines. Set
// OnTokenUpdate before the first use.
type Session struct {
	// OnTokenUpdate, if not nil, is called with every new token the session
	// obtains (by any grant or refresh) before the token is used. If it
	// returns an error, the call that obtained the token fails with it and
	// the session keeps using its previous token. Use it to persist rotated
	// refresh tokens. A refreshed token it refuses is not dropped, since
	// the server may already have revoked the previous refresh token: the
	// session keeps it aside, unused (CachedToken returns it, Revoke and
	// Introspect of the refresh token use its refresh token), and at the
	// next refresh offers it to OnTokenUpdate again, or renews it with
	// its refresh token once it is due for a refresh itself. The next
	// refresh is automatic for a token that expires: after the back-off
	// Config.Leeway describes while the token in use is valid, at every
	// request once it has expired; for a token that does not expire, it
	// is the next call of Refresh.
	// SetToken drops it, and so does a process that exits without saving
	// CachedToken. Calls are not concurrent for refreshes; ctx is the
	// context of the grant (for refreshes, the detached refresh context).
	// A panic in it fails the call, or the refresh, with a *PanicError,
	// and a refreshed token it panicked on is kept as a refused one.
	OnTokenUpdate func(ctx context.Context, tok *Token) error

	cfg Config

	cur atomic.Pointer[tokenState]

	mu      sync.Mutex   // guards flight, pending
	flight  *refreshCall // refresh in progress, or nil
	pending AuthState

	detect atomic.Int32 // AuthAutoDetect memory, see authOrder
}

// NewSession returns a Session for c holding tok, which may be nil (see
// Session.SetToken for a token without an access token). c is
// copied, Scopes included, so later changes to its fields or to its Scopes
// slice do not affect the session. HTTPClient, Signer, Rand and the
// functions (Hooks, Now, Sleep) are references: the session shares what
// they point to, which must not change while the session is in use.
func (c *Config) NewSession(tok *Token) *Session {
	s := &Session{cfg: *c}
	s.cfg.Scopes = slices.Clone(c.Scopes)
	if tok != nil {
		s.store(tok, false)
	}
	return s
}

// Config returns a copy of the session's Config, with its own Scopes slice;
// HTTPClient, Signer, Rand and the functions are shared, as in NewSession.
func (s *Session) Config() Config {
	c := s.cfg
	c.Scopes = slices.Clone(s.cfg.Scopes)
	return c
}

// String describes the session without any secret.
func (s *Session) String() string {
	st := s.cur.Load()
	if st == nil {
		return "oauth2.Session{" + s.cfg.String() + " Token:nil}"
	}
	return "oauth2.Session{" + s.cfg.String() + " Token:" + st.tok.String() + "}"
}

// Format implements fmt.Formatter: every verb prints String.
func (s *Session) Format(f fmt.State, verb rune) { io.WriteString(f, s.String()) }

// AuthState is what a Session remembers between AuthorizationURL and the
// callback. When the callback arrives in another process, save it with
// Session.AuthState and restore it with Session.RestoreAuthState. It holds
// the PKCE verifier, a secret: store it server-side, not in a cookie the
// user could read. String and Format redact the verifier.
type AuthState struct {
	// State is the state parameter sent to the authorization endpoint.
	State string `json:"state"`
	// CodeVerifier is the PKCE verifier; empty when PKCE was off.
	CodeVerifier string `json:"code_verifier,omitempty"`
	// ResponseType is "code" or "token".
	ResponseType string `json:"response_type,omitempty"`
}

// String describes a without the verifier.
func (a AuthState) String() string {
	return fmt.Sprintf("oauth2.AuthState{State:%q CodeVerifier:%s ResponseType:%q}", a.State, urlenc.Mask(a.CodeVerifier), a.ResponseType)
}

// Format implements fmt.Formatter: every verb prints String.
func (a AuthState) Format(f fmt.State, verb rune) { io.WriteString(f, a.String()) }

// LogValue implements slog.LogValuer without the verifier.
func (a AuthState) LogValue() slog.Value {
	return slog.GroupValue(slog.String("state", a.State), slog.String("response_type", a.ResponseType))
}

// AuthState returns the pending authorization request's state and verifier.
func (s *Session) AuthState() AuthState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending
}

// RestoreAuthState makes a the pending authorization request, so that a
// session in another process can accept its callback.
func (s *Session) RestoreAuthState(a AuthState) {
	s.mu.Lock()
	s.pending = a
	s.mu.Unlock()
}

// AuthOption is an optional parameter of Session.AuthorizationURL.
type AuthOption interface{ apply(*authParams) }

type authParams struct {
	state        string
	responseType string
	pkce         *PKCEMethod
	params       urlenc.Params
}

type optionFunc func(*authParams)

func (f optionFunc) apply(p *authParams) { f(p) }

// SetAuthParam adds a parameter to the authorization URL, for example
// SetAuthParam("login_hint", "alice@example.com").
func SetAuthParam(key, value string) AuthOption {
	return optionFunc(func(p *authParams) { p.params.Set(key, value) })
}

// WithState uses state instead of a random one. It must be unguessable.
func WithState(state string) AuthOption {
	return optionFunc(func(p *authParams) { p.state = state })
}

// WithPKCE overrides Config.PKCE for one authorization request.
func WithPKCE(m PKCEMethod) AuthOption {
	return optionFunc(func(p *authParams) { p.pkce = &m })
}

var (
	// AccessTypeOffline asks Google for a refresh token (access_type=offline).
	AccessTypeOffline AuthOption = SetAuthParam("access_type", "offline")
	// PromptConsent asks the server to show the consent screen again
	// (prompt=consent), which Google needs to issue a new refresh token.
	PromptConsent AuthOption = SetAuthParam("prompt", "consent")
	// ImplicitFlow asks for response_type=token (RFC 6749 §4.2); read the
	// callback with Session.TokenFromFragment. Prefer the code flow.
	ImplicitFlow AuthOption = optionFunc(func(p *authParams) { p.responseType = "token" })
)

// AuthorizationURL returns the URL to send the user to (RFC 6749 §4.1.1) and
// the state it carries. Unless given, the state is 128 random bits from
// Config.Rand, and a PKCE S256 verifier is generated (RFC 7636); the session
// keeps both for the callback, replacing any earlier pending request. The
// query of Endpoint.AuthURL is kept. It fails only if the random source does
// or the AuthURL does not parse.
func (s *Session) AuthorizationURL(opts ...AuthOption) (string, string, error) {
	ap := authParams{responseType: "code"}
	for _, o := range opts {
		o.apply(&ap)
	}
	if ap.state == "" {
		st, err := randomString(s.cfg.rand(), 16)
		if err != nil {
			return "", "", err
		}
		ap.state = st
	}
	pk := s.cfg.PKCE
	if ap.pkce != nil {
		pk = *ap.pkce
	}
	p := urlenc.Params{
		{Key: "response_type", Value: ap.responseType},
		{Key: "client_id", Value: s.cfg.ClientID},
	}
	if s.cfg.RedirectURL != "" {
		p.Add("redirect_uri", s.cfg.RedirectURL)
	}
	if len(s.cfg.Scopes) > 0 {
		p.Add("scope", strings.Join(s.cfg.Scopes, " "))
	}
	p.Add("state", ap.state)
	as := AuthState{State: ap.state, ResponseType: ap.responseType}
	if pk != PKCEOff && ap.responseType == "code" {
		v, err := GenerateVerifier(s.cfg.rand())
		if err != nil {
			return "", "", err
		}
		as.CodeVerifier = v
		if pk == PKCEPlain {
			p.Add("code_challenge", v)
			p.Add("code_challenge_method", "plain")
		} else {
			p.Add("code_challenge", S256Challenge(v))
			p.Add("code_challenge_method", "S256")
		}
	}
	for _, kv := range ap.params {
		p.Set(kv.Key, kv.Value)
	}
	u, err := urlenc.AddParams(s.cfg.Endpoint.AuthURL, p)
	if err != nil {
		return "", "", fmt.Errorf("oauth2: authorization url: %w", err)
	}
	s.RestoreAuthState(as)
	return u, ap.state, nil
}

// takePending checks got against the pending state in constant time and, on
// success, consumes the pending request so a callback cannot be replayed.
func (s *Session) takePending(got string) (AuthState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pending
	if p.State == "" {
		return AuthState{}, ErrNoState
	}
	if subtle.ConstantTimeCompare([]byte(p.State), []byte(got)) != 1 {
		return AuthState{}, ErrStateMismatch
	}
	s.pending = AuthState{}
	return p, nil
}

// Exchange handles the redirect back from the authorization server (RFC
// 6749 §4.1.2): callbackURL is the full URL the user agent was sent to (a
// relative URL such as http.Request.URL.String() will do). It checks the
// state against the pending request in constant time (ErrStateMismatch;
// ErrNoState when there is no pending request), turns an error response into
// an *Error (errors.Is(err, ErrAccessDenied) when the user said no), then
// exchanges the code, with the PKCE verifier, for a token (RFC 6749 §4.1.3),
// which becomes the session's token. ctx bounds the token request.
func (s *Session) Exchange(ctx context.Context, callbackURL string) (*Token, error) {
	q, err := urlenc.ParseURLParams(callbackURL, urlenc.Query)
	if err != nil {
		return nil, ErrMalformedCallback // err quotes the URL
	}
	pend, err := s.takePending(q.Get("state"))
	if err != nil {
		return nil, err
	}
	if q.Has("error") {
		return nil, callbackError(q, pend.CodeVerifier)
	}
	code := q.Get("code")
	if code == "" {
		return nil, ErrMissingCode
	}
	p := urlenc.Params{{Key: "grant_type", Value: "authorization_code"}, {Key: "code", Value: code}}
	if s.cfg.RedirectURL != "" {
		p.Add("redirect_uri", s.cfg.RedirectURL)
	}
	if pend.CodeVerifier != "" {
		p.Add("code_verifier", pend.CodeVerifier)
	}
	return s.grant(ctx, p, true)
}

// TokenFromFragment reads the token of an implicit grant (RFC 6749 §4.2.2)
// from the fragment of callbackURL, with the same state check and error
// handling as Exchange, and makes it the session's token. expires_in is
// counted from now. No request is made except through OnTokenUpdate.
func (s *Session) TokenFromFragment(ctx context.Context, callbackURL string) (*Token, error) {
	q, err := urlenc.ParseURLParams(callbackURL, urlenc.Fragment)
	if err != nil {
		return nil, ErrMalformedCallback // err quotes the URL
	}
	pend, err := s.takePending(q.Get("state"))
	if err != nil {
		return nil, err
	}
	if q.Has("error") {
		return nil, callbackError(q, pend.CodeVerifier)
	}
	m := make(map[string]any, len(q))
	for _, kv := range q {
		if kv.Key != "state" {
			m[kv.Key] = kv.Value
		}
	}
	tok, err := tokenFromValues("authorization", m, s.cfg.now())
	if err != nil {
		return nil, err
	}
	if err := s.commit(ctx, tok, false); err != nil {
		return nil, err
	}
	return tok, nil
}
