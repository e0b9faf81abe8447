// Package xoauth2 bridges [github.com/oauthkit/oauth/oauth2] and
// [golang.org/x/oauth2]: it turns a TokenSource of one package into a
// TokenSource of the other and converts tokens both ways, so that an
// [oauth2.Session] can be handed to code written for golang.org/x/oauth2
// (x/oauth2's NewClient, Google's API clients, ...), and a golang.org/x/oauth2
// TokenSource (Google's default credentials, say) used with
// [oauth2.NewClient].
//
// It is a module of its own, github.com/oauthkit/oauth/oauth2/xoauth2, so
// that only programs that import it require golang.org/x/oauth2.
//
// The two Token types carry the same fields, but golang.org/x/oauth2's
// offers the extra fields of a token response by name only
// ([golang.org/x/oauth2.Token.Extra]), with no way to list them:
// [FromToken] and [FromTokenSource] copy scope, id_token and the fields
// they are told of. [ToToken] copies every field.
//
// golang.org/x/oauth2's TokenSource takes no context: see [FromTokenSource]
// and [ToTokenSource] for what cancellation means across the bridge.
package xoauth2

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync/atomic"

	"github.com/oauthkit/oauth/oauth2"
	x "golang.org/x/oauth2"
)

// FromToken returns t as an [oauth2.Token], or nil for a nil t: its access
// token, token type, refresh token, Expiry and ExpiresIn, and its extra
// fields "scope" and "id_token" (also as Scope and IDToken, when they are
// strings) and those named by keys. The result's Extra returns each of
// these fields as t.Extra does; t.Extra offers the others by name only, so
// they are not copied.
func FromToken(t *x.Token, keys ...string) *oauth2.Token {
	if t == nil {
		return nil
	}
	tok := &oauth2.Token{AccessToken: t.AccessToken, TokenType: t.TokenType, RefreshToken: t.RefreshToken,
		Expiry: t.Expiry, ExpiresIn: t.ExpiresIn}
	var extra map[string]any
	add := func(k string) {
		if v := t.Extra(k); v != nil {
			if extra == nil {
				extra = make(map[string]any, 2+len(keys))
			}
			extra[k] = v
		}
	}
	add("scope")
	add("id_token")
	for _, k := range keys {
		add(k)
	}
	if extra == nil {
		return tok
	}
	tok.Scope, _ = extra["scope"].(string)
	tok.IDToken, _ = extra["id_token"].(string)
	return tok.WithExtra(extra)
}

// ToToken returns t as a [golang.org/x/oauth2.Token], or nil for a nil t:
// its access token, token type, refresh token, Expiry and ExpiresIn, and
// every field of t's token response as an extra field, which
// golang.org/x/oauth2's Extra returns as t.Extra does: access_token,
// token_type, refresh_token, expires_in, scope, id_token and the rest.
// Those six, when t's response did not carry them (a token built by hand),
// come from t's fields, expires_in as the float64 a JSON response decodes
// to. An extra field that encoding/json cannot marshal, which only
// Token.WithExtra can put there, is left out.
func ToToken(t *oauth2.Token) *x.Token {
	if t == nil {
		return nil
	}
	xt := &x.Token{AccessToken: t.AccessToken, TokenType: t.TokenType, RefreshToken: t.RefreshToken,
		Expiry: t.Expiry, ExpiresIn: t.ExpiresIn}
	// Token's JSON form names its extra fields, which Token.Extra returns
	// by name only.
	var stored struct {
		Extra map[string]json.RawMessage `json:"extra"`
	}
	if b, err := json.Marshal(t); err == nil {
		_ = json.Unmarshal(b, &stored) // what MarshalJSON writes decodes
	}
	extra := make(map[string]any, len(stored.Extra)+6)
	for k := range stored.Extra {
		if v := t.Extra(k); v != nil {
			extra[k] = v
		}
	}
	field := func(k, v string) {
		if ev := t.Extra(k); ev != nil {
			extra[k] = ev
		} else if v != "" {
			extra[k] = v
		}
	}
	field("access_token", t.AccessToken)
	field("token_type", t.TokenType)
	field("refresh_token", t.RefreshToken)
	field("scope", t.Scope)
	field("id_token", t.IDToken)
	if v := t.Extra("expires_in"); v != nil {
		extra["expires_in"] = v
	} else if t.ExpiresIn > 0 {
		extra["expires_in"] = float64(t.ExpiresIn) // as a JSON response decodes
	}
	return xt.WithExtra(extra)
}

// FromTokenSource returns src as an [oauth2.TokenSource] whose tokens are
// FromToken(tok, keys...) of those src returns; each token src returns is
// converted once. src must not be nil. If src is what [ToTokenSource]
// returned, FromTokenSource returns the source it wraps, which then gets
// the caller's own context.
//
// golang.org/x/oauth2's Token method takes no context. Token(ctx) returns
// ctx.Err() if ctx is done already, and otherwise calls src.Token and
// waits for it whatever becomes of ctx: its bounds are src's own (for a
// source from golang.org/x/oauth2's Config.TokenSource, the context given
// to that and its HTTP client's Timeout). A src that returns neither a
// token nor an error gives [oauth2.ErrNoToken]. A
// *golang.org/x/oauth2.RetrieveError (the token endpoint's refusal) comes
// back as an error that is both an [*oauth2.Error], with its endpoint
// ("token"), error code, description, URI and HTTP status, so that
// errors.Is(err, oauth2.ErrInvalidGrant) and the other sentinels hold as
// for this module's own sessions, and the *RetrieveError, for errors.As;
// its text is the *oauth2.Error's, without the response body, which the
// RetrieveError's quotes and a server may have filled with the refresh
// token or the client secret it was sent. src's other errors are returned
// as they are.
//
// The source is safe for concurrent use if src is, as golang.org/x/oauth2's
// sources are.
func FromTokenSource(src x.TokenSource, keys ...string) oauth2.TokenSource {
	if t, ok := src.(*toSource); ok {
		return t.src
	}
	return &fromSource{src: src, keys: slices.Clone(keys)}
}

type fromSource struct {
	src  x.TokenSource
	keys []string
	last atomic.Pointer[fromPair] // the last conversion
}

type fromPair struct {
	xt  *x.Token
	tok *oauth2.Token
}

func (s *fromSource) Token(ctx context.Context) (*oauth2.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	xt, err := s.src.Token()
	if err != nil {
		return nil, fromError(err)
	}
	if xt == nil {
		return nil, oauth2.ErrNoToken
	}
	if p := s.last.Load(); p != nil && p.xt == xt {
		return p.tok, nil
	}
	tok := FromToken(xt, s.keys...)
	s.last.Store(&fromPair{xt, tok})
	return tok, nil
}

// fromError returns err, from a golang.org/x/oauth2 TokenSource, as
// FromTokenSource describes.
func fromError(err error) error {
	var re *x.RetrieveError
	if !errors.As(err, &re) || re == nil {
		return err
	}
	e := &oauth2.Error{Endpoint: "token", ErrorCode: re.ErrorCode, ErrorDescription: re.ErrorDescription, ErrorURI: re.ErrorURI}
	if re.Response != nil {
		e.StatusCode = re.Response.StatusCode
	}
	return &retrieveError{e, err}
}

// retrieveError is a *golang.org/x/oauth2.RetrieveError (in err) read as
// an *oauth2.Error: its text is e's, and errors.Is and errors.As find both.
type retrieveError struct {
	e   *oauth2.Error
	err error
}

func (r *retrieveError) Error() string   { return r.e.Error() }
func (r *retrieveError) Unwrap() []error { return []error{r.e, r.err} }

// ToTokenSource returns src as a [golang.org/x/oauth2.TokenSource] whose
// tokens are ToToken of those src returns; each token src returns is
// converted once. src must not be nil. If src is what [FromTokenSource]
// returned, ToTokenSource returns the source it wraps.
//
// golang.org/x/oauth2's Token method takes no context, so each call runs
// src.Token(ctx) with the ctx given here: its values reach src, and once
// it is done src's waits end with ctx.Err(). For a *oauth2.Session that is
// the wait for a refresh, which runs detached and bounded by the session's
// Config.Timeout; a valid token is returned whatever ctx says. Give it a
// context that lives as long as the source is used, as one does to
// golang.org/x/oauth2's Config.TokenSource and NewClient.
//
// The source is safe for concurrent use if src is, as a Session is.
func ToTokenSource(ctx context.Context, src oauth2.TokenSource) x.TokenSource {
	if f, ok := src.(*fromSource); ok {
		return f.src
	}
	return &toSource{ctx: ctx, src: src}
}

type toSource struct {
	ctx  context.Context
	src  oauth2.TokenSource
	last atomic.Pointer[toPair] // the last conversion
}

type toPair struct {
	tok *oauth2.Token
	xt  *x.Token
}

func (s *toSource) Token() (*x.Token, error) {
	tok, err := s.src.Token(s.ctx)
	if err != nil {
		return nil, err
	}
	if tok == nil {
		return nil, oauth2.ErrNoToken
	}
	if p := s.last.Load(); p != nil && p.tok == tok {
		return p.xt, nil
	}
	xt := ToToken(tok)
	s.last.Store(&toPair{tok, xt})
	return xt, nil
}
