package oauth2

import (
	"context"
	"fmt"
	"net/http"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// A TokenSource supplies tokens, as golang.org/x/oauth2's interface of
// that name does, but with the context of the call that needs one: a
// source that has to refresh uses ctx for that (or, as a Session does, to
// bound its wait). A *Session is a TokenSource; so is what
// StaticTokenSource returns. Implementations must be safe for concurrent
// use by multiple goroutines, and must not modify a Token once returned.
type TokenSource interface {
	// Token returns a token, or an error; never a nil token with a nil
	// error.
	Token(ctx context.Context) (*Token, error)
}

// headerSource is a TokenSource that has its token's Authorization header
// value ready, so that the Transport does not build it per request.
type headerSource interface {
	tokenHeader(ctx context.Context) (*Token, string, error)
}

// StaticTokenSource returns a TokenSource that always returns t, as
// golang.org/x/oauth2's function of that name does: t is never refreshed,
// and is returned expired too, so it serves tokens that do not expire (or
// tests). A nil t gives ErrNoToken. t must not be modified afterwards.
func StaticTokenSource(t *Token) TokenSource {
	s := &staticSource{tok: t}
	if t != nil {
		s.auth = t.Type() + " " + t.AccessToken
	}
	return s
}

type staticSource struct {
	tok  *Token
	auth string
	// nonces are the DPoP nonces its Transports learned.
	nonces dpopNonces
}

func (s *staticSource) dpopNonces() *dpopNonces { return &s.nonces }

// String describes the source by its token, redacted as Token.String
// redacts it.
func (s *staticSource) String() string {
	if s.tok == nil {
		return "oauth2.StaticTokenSource(nil)"
	}
	return "oauth2.StaticTokenSource(" + s.tok.String() + ")"
}

// Format implements fmt.Formatter: every verb prints String (quoted for
// %q), so that no verb reaches the access token its fields hold, which
// fmt would print from them whatever Token's own Format does.
func (s *staticSource) Format(f fmt.State, verb rune) { urlenc.Format(f, verb, s.String()) }

func (s *staticSource) Token(context.Context) (*Token, error) {
	if s.tok == nil {
		return nil, ErrNoToken
	}
	return s.tok, nil
}

func (s *staticSource) tokenHeader(context.Context) (*Token, string, error) {
	if s.tok == nil {
		return nil, "", ErrNoToken
	}
	return s.tok, s.auth, nil
}

// NewClient returns an *http.Client whose requests carry a token from
// src, through a Transport over the Transport of base (http.DefaultClient
// when base is nil), whose CheckRedirect, Jar and Timeout it keeps.
// golang.org/x/oauth2's function of that name takes a context instead of
// base; here the HTTP client is an argument, and each request's own
// context reaches src.
//
// The token goes in the Authorization header; when src is a *Session,
// the Transport places it as the session's Config says (Placement,
// InsecureAllowHTTP), but base is still the one given: a session's
// Config.HTTPClient (its proxy, its timeouts) is the base of
// Session.Client, not of NewClient(s, nil). The client is safe for
// concurrent use.
func NewClient(src TokenSource, base *http.Client) *http.Client {
	if base == nil {
		base = http.DefaultClient
	}
	t := &Transport{Source: src, Base: base.Transport}
	if s, ok := src.(*Session); ok {
		t.Placement, t.InsecureAllowHTTP = s.cfg.Placement, s.cfg.InsecureAllowHTTP
	}
	return &http.Client{Transport: t, CheckRedirect: base.CheckRedirect, Jar: base.Jar, Timeout: base.Timeout}
}
