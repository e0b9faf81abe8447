package oidc

// The glue between package oauth2's logins and sessions and ID token
// verification: what a sign-in checks, and what every refresh checks.

import (
	"context"
	"fmt"
	"sync"

	"github.com/oauthkit/oauth/oauth2"
)

// VerifyLogin verifies the ID token of tok, the token a login returned
// (oauth2.Config.CompleteLogin, CompleteLoginURL or CompleteLoginCode),
// as [IDTokenVerifier.Verify] does, and what the login sent: its nonce
// ([WithNonce] with login.Nonce; a login without a nonce expects a token
// without one) and the access token that came with it
// ([WithAccessToken]). opts add expectations ([WithMaxAge] for a login
// that sent max_age), and replace these when they set the same one.
//
// A login whose Issuer is set and is not v's issuer (or, for a Microsoft
// Entra multi-tenant issuer, its metadata's issuer) fails with
// [ErrIssuerMismatch] before anything else: the token answers a request
// to another server. A nil tok, or one without an ID token, fails with
// [ErrNoIDToken]; a nil login with oauth2.ErrNoState. Otherwise errors
// are those of Verify. ctx bounds a fetch of the JWK Set, if one is
// needed.
func (v *IDTokenVerifier) VerifyLogin(ctx context.Context, tok *oauth2.Token, login *oauth2.Login, opts ...VerifyOption) (*IDToken, error) {
	if login == nil {
		return nil, fmt.Errorf("oidc: VerifyLogin: %w", oauth2.ErrNoState)
	}
	if login.Issuer != "" && login.Issuer != v.issuer && login.Issuer != v.tenant {
		return nil, fmt.Errorf("%w: the login was sent to %s, the verifier is for %s", ErrIssuerMismatch, quote(login.Issuer), quote(v.issuer))
	}
	if tok == nil || tok.IDToken == "" {
		return nil, fmt.Errorf("%w: the token response has no id_token", ErrNoIDToken)
	}
	all := append([]VerifyOption{WithNonce(login.Nonce), WithAccessToken(tok.AccessToken)}, opts...)
	return v.Verify(ctx, tok.IDToken, all...)
}

// CheckRefreshes returns a check for oauth2.Session.VerifyToken that
// verifies the ID token of every token the session obtains, before the
// session installs it (OpenID Connect Core 1.0 §12.2): as
// [IDTokenVerifier.Verify] does, with the new access token
// ([WithAccessToken]), and against original, the ID token
// [IDTokenVerifier.VerifyLogin] returned ([WithPrevious]: the same iss,
// sub, aud and azp, an auth_time not earlier, no other nonce):
//
//	s := cfg.NewSession(tok)
//	s.VerifyToken = verifier.CheckRefreshes(idToken)
//
// A token without an ID token passes, since a refresh response may omit
// it (§12.2). A token it refuses fails the refresh with Verify's error
// (errors.Is(err, [ErrSubjectMismatch]) for another end-user), and the
// session keeps the token it had. With a nil original, as for a session
// restored from storage, the first ID token it verifies becomes the one
// the later ones are checked against; give each session its own check
// then. The check is safe for concurrent use.
func (v *IDTokenVerifier) CheckRefreshes(original *IDToken) func(ctx context.Context, old, tok *oauth2.Token) error {
	var (
		mu  sync.Mutex
		ref = original
	)
	return func(ctx context.Context, _, tok *oauth2.Token) error {
		if tok == nil || tok.IDToken == "" {
			return nil
		}
		mu.Lock()
		prev := ref
		mu.Unlock()
		t, err := v.Verify(ctx, tok.IDToken, WithPrevious(prev), WithAccessToken(tok.AccessToken))
		if err != nil {
			return err
		}
		mu.Lock()
		if ref == nil {
			ref = t
		}
		mu.Unlock()
		return nil
	}
}
