package main

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oidc"
)

// oidc signs a user in with OpenID Connect: discovery, a login with a
// nonce and the issuer, the callback's iss, the ID token, UserInfo, a key
// rotation and a refresh whose ID token is checked; then two attacks,
// each from a provider of its own, refused.
func (d *demo) oidc(ctx context.Context) {
	d.section("Sign in with OpenID Connect: discovery, RFC 9207 iss, ID token, UserInfo")

	// The client's clock, so that the demo can let the JWK Set's refetch
	// interval pass.
	var skew atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }

	issuer := d.srv.URL + "/oauth2"
	var (
		p        *oidc.Provider
		cfg      *oauth2.Config
		verifier *oidc.IDTokenVerifier
	)
	if !d.step("discover the provider (OpenID Connect Discovery 1.0); its issuer must be the one asked for", func() (string, error) {
		var err error
		if p, err = oidc.NewProvider(ctx, issuer, &oidc.Options{HTTPClient: d.http, Now: now}); err != nil {
			return "", err
		}
		cfg, err = p.Metadata().Config(oauth2.Config{
			ClientID:    "public-client",
			RedirectURL: "http://127.0.0.1:8080/callback",
			Scopes:      []string{oidc.ScopeOpenID, "email", "profile"},
			HTTPClient:  d.http,
			Now:         now,
		})
		if err != nil {
			return "", err
		}
		verifier = p.Verifier(&oidc.Config{ClientID: cfg.ClientID, Now: now})
		d.printf("issuer %s", cfg.Endpoint.Issuer)
		d.printf("iss in every callback (RFC 9207): %t; jwks_uri %s", cfg.Endpoint.IssuerParameter, cfg.Endpoint.JWKSURL)
		return fmt.Sprintf("client authentication %q, PKCE %s", cfg.AuthMethod, pkceName(cfg.PKCE)), nil
	}) {
		return
	}

	var (
		login   *oauth2.Login
		tok     *oauth2.Token
		idToken *oidc.IDToken
		sess    *oauth2.Session
	)
	if !d.step("sign in: a login with state, PKCE and a nonce; the callback's state and iss checked", func() (string, error) {
		var err error
		if login, err = cfg.NewLogin(ctx); err != nil {
			return "", err
		}
		d.printf("login: state %s, a nonce of %d characters, issuer %s", short(login.State), len(login.Nonce), login.Issuer)
		callback, err := d.follow(login.URL)
		if err != nil {
			return "", err
		}
		if tok, err = cfg.CompleteLoginURL(ctx, login, callback); err != nil {
			return "", err
		}
		return fmt.Sprintf("token: %v", tok), nil
	}) {
		return
	}
	if !d.step("verify the ID token: signature from the JWK Set, iss, aud, exp, nonce, at_hash", func() (string, error) {
		var err error
		if idToken, err = verifier.VerifyLogin(ctx, tok, login); err != nil {
			return "", err
		}
		return fmt.Sprintf("%v; email %s (verified %t)", idToken, idToken.Email, idToken.EmailVerified), nil
	}) {
		return
	}
	d.step("ask UserInfo (OpenID Connect Core §5.3); its sub must be the ID token's", func() (string, error) {
		sess = cfg.NewSession(tok)
		sess.VerifyToken = verifier.CheckRefreshes(idToken)
		info, err := p.UserInfo(ctx, sess, idToken.Subject)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("sub %s, name %s", info.Subject, info.Name), nil
	})
	d.step("the provider rotates its keys; a refresh's ID token, signed with the new key, is checked against the sign-in's", func() (string, error) {
		d.srv.OAuth2.RotateKeys()
		skew.Add(int64(oidc.DefaultRefetchInterval + time.Second))
		before := d.srv.OAuth2.JWKSRequests()
		next, err := sess.Refresh(ctx)
		if err != nil {
			return "", err
		}
		if n := d.srv.OAuth2.JWKSRequests() - before; n != 1 {
			return "", fmt.Errorf("the JWK Set was fetched %d times for the new key, want 1", n)
		}
		return fmt.Sprintf("JWK Set fetched again for the new kid; token: %v", next), nil
	})

	d.step("a mix-up: the callback names another issuer, refused before any token request", func() (string, error) {
		evil := fakeprovider.NewTLSServer()
		defer evil.Close()
		evil.OAuth2.WrongCallbackIssuer = true
		_, cfg, err := d.discover(ctx, evil)
		if err != nil {
			return "", err
		}
		login, err := cfg.NewLogin(ctx)
		if err != nil {
			return "", err
		}
		callback, err := d.follow(login.URL)
		if err != nil {
			return "", err
		}
		_, err = cfg.CompleteLoginURL(ctx, login, callback)
		if !errors.Is(err, oauth2.ErrIssuerMismatch) || evil.OAuth2.TokenRequests() != 0 {
			return "", fmt.Errorf("want ErrIssuerMismatch and no token request, got %v and %d", err, evil.OAuth2.TokenRequests())
		}
		return fmt.Sprintf("error: %v", err), nil
	})
	d.step("a refresh whose ID token names another user is refused; the session keeps its token", func() (string, error) {
		evil := fakeprovider.NewTLSServer()
		defer evil.Close()
		evil.OAuth2.RefreshChangesSub = true
		p, cfg, err := d.discover(ctx, evil)
		if err != nil {
			return "", err
		}
		verifier := p.Verifier(&oidc.Config{ClientID: cfg.ClientID})
		login, err := cfg.NewLogin(ctx)
		if err != nil {
			return "", err
		}
		callback, err := d.follow(login.URL)
		if err != nil {
			return "", err
		}
		tok, err := cfg.CompleteLoginURL(ctx, login, callback)
		if err != nil {
			return "", err
		}
		idToken, err := verifier.VerifyLogin(ctx, tok, login)
		if err != nil {
			return "", err
		}
		s := cfg.NewSession(tok)
		s.VerifyToken = verifier.CheckRefreshes(idToken)
		_, err = s.Refresh(ctx)
		if !errors.Is(err, oidc.ErrSubjectMismatch) || s.CachedToken() != tok {
			return "", fmt.Errorf("want ErrSubjectMismatch and the sign-in's token kept, got %v", err)
		}
		return fmt.Sprintf("error: %v", err), nil
	})
}

// discover returns the provider at srv's issuer and the Config of the
// public client there.
func (d *demo) discover(ctx context.Context, srv *fakeprovider.Server) (*oidc.Provider, *oauth2.Config, error) {
	p, err := oidc.NewProvider(ctx, srv.URL+"/oauth2", &oidc.Options{HTTPClient: d.http})
	if err != nil {
		return nil, nil, err
	}
	cfg, err := p.Metadata().Config(oauth2.Config{ClientID: "public-client", RedirectURL: "http://127.0.0.1:8080/callback",
		Scopes: []string{oidc.ScopeOpenID}, HTTPClient: d.http})
	return p, cfg, err
}

// pkceName names a PKCE method for the output.
func pkceName(m oauth2.PKCEMethod) string {
	if m == oauth2.PKCES256 {
		return "S256"
	}
	return string(m)
}
