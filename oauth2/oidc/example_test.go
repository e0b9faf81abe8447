package oidc_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
	"github.com/oauthkit/oauth/oauth2/oidc"
)

// Sign a user in: discover the provider, make a login, complete it on the
// callback (state and iss checked), verify the ID token against the
// login, check the ID tokens of refreshes, and ask UserInfo about the
// user.
func Example() {
	srv := oauth2test.NewServer(nil) // setup: an OpenID provider on loopback (in a test: NewServer(t))
	defer srv.Close()
	issuer := srv.IssuerURL() // e.g. https://accounts.google.com

	ctx := context.Background()
	p, err := oidc.NewProvider(ctx, issuer, nil)
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := p.Metadata().Config(oauth2.Config{
		ClientID:    oauth2test.PublicClientID,
		RedirectURL: "http://127.0.0.1:8080/callback",
		Scopes:      []string{oidc.ScopeOpenID, "email", "profile"},
	})
	if err != nil {
		log.Fatal(err)
	}
	verifier := p.Verifier(&oidc.Config{ClientID: cfg.ClientID})

	login, err := cfg.NewLogin(context.Background()) // state, PKCE verifier, nonce, issuer: keep it for this user
	if err != nil {
		log.Fatal(err)
	}
	callback := srv.Authorize(nil, login.URL)              // setup: the user approves
	tok, err := cfg.CompleteLoginURL(ctx, login, callback) // in a handler: cfg.CompleteLogin(ctx, login, r)
	if err != nil {
		log.Fatal(err)
	}
	idToken, err := verifier.VerifyLogin(ctx, tok, login) // signature, iss, aud, exp, nonce, at_hash
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(idToken.Subject, idToken.Email, idToken.EmailVerified)

	sess := cfg.NewSession(tok)
	sess.VerifyToken = verifier.CheckRefreshes(idToken) // the ID tokens of refreshes
	info, err := p.UserInfo(ctx, sess, idToken.Subject)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Name)
	// Output:
	// alice alice@example.com true
	// Alice
}

// A callback from another server than the one the login went to is
// refused before the code is sent anywhere (RFC 9207): discovery told
// the Config the issuer, and that the server names it in every callback.
func Example_mixUp() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()
	srv.WrongCallbackIssuer = true // callbacks carry iss=https://attacker.example/oauth2

	ctx := context.Background()
	p, err := oidc.NewProvider(ctx, srv.IssuerURL(), nil)
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := p.Metadata().Config(oauth2.Config{ClientID: oauth2test.PublicClientID,
		RedirectURL: "http://127.0.0.1:8080/callback", Scopes: []string{oidc.ScopeOpenID}})
	if err != nil {
		log.Fatal(err)
	}
	login, err := cfg.NewLogin(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	_, err = cfg.CompleteLoginURL(ctx, login, srv.Authorize(nil, login.URL))
	fmt.Println(errors.Is(err, oauth2.ErrIssuerMismatch), srv.TokenRequests())
	// Output:
	// true 0
}

// The ID token of a refresh must be about the user who signed in (OpenID
// Connect Core 1.0 §12.2): a session with the check keeps its token when
// a refresh names someone else.
func ExampleIDTokenVerifier_CheckRefreshes() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()
	srv.RefreshChangesSub = true // the provider names another user after a refresh
	ctx := context.Background()
	p, err := oidc.NewProvider(ctx, srv.IssuerURL(), nil)
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := p.Metadata().Config(oauth2.Config{ClientID: oauth2test.PublicClientID,
		RedirectURL: "http://127.0.0.1:8080/callback", Scopes: []string{oidc.ScopeOpenID}})
	if err != nil {
		log.Fatal(err)
	}
	verifier := p.Verifier(&oidc.Config{ClientID: cfg.ClientID})
	login, err := cfg.NewLogin(ctx)
	if err != nil {
		log.Fatal(err)
	}
	tok, err := cfg.CompleteLoginURL(ctx, login, srv.Authorize(nil, login.URL)) // setup: the user signs in
	if err != nil {
		log.Fatal(err)
	}
	idToken, err := verifier.VerifyLogin(ctx, tok, login)
	if err != nil {
		log.Fatal(err)
	}

	sess := cfg.NewSession(tok)
	sess.VerifyToken = verifier.CheckRefreshes(idToken)
	_, err = sess.Refresh(ctx)
	fmt.Println(errors.Is(err, oidc.ErrSubjectMismatch), sess.CachedToken() == tok)
	// Output:
	// true true
}

// A provider whose discovery document names another issuer is refused:
// the client would otherwise send its users and codes to another server.
func ExampleNewProvider_mixUp() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()
	srv.WrongMetadataIssuer = true // the document names https://attacker.example/oauth2

	_, err := oidc.NewProvider(context.Background(), srv.IssuerURL(), nil)
	fmt.Println(errors.Is(err, oidc.ErrIssuerMismatch))
	// Output:
	// true
}

// The metadata chooses how the client talks to the server, and refuses
// to go without what the client needs.
func ExampleMetadata_Config() {
	m, err := oidc.ParseMetadata([]byte(`{
		"issuer": "https://server.example.com",
		"authorization_endpoint": "https://server.example.com/authorize",
		"token_endpoint": "https://server.example.com/token",
		"token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
		"code_challenge_methods_supported": ["plain"]
	}`))
	if err != nil {
		log.Fatal(err)
	}
	base := oauth2.Config{ClientID: "id", ClientSecret: "secret"}
	_, err = m.Config(base)
	fmt.Println(err)

	base.PKCE = oauth2.PKCEMethod("plain") // the client accepts plain PKCE with this server
	cfg, err := m.Config(base)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.AuthMethod, cfg.Endpoint.TokenURL)
	// Output:
	// oidc: not supported by the server: code_challenge_methods_supported "plain" lacks S256
	// client_secret_post https://server.example.com/token
}

// An API that receives ID tokens verifies them with the provider's JWK
// Set and its issuer, without a login of its own.
func ExampleNewVerifier() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()
	ctx := context.Background()
	cfg := &oauth2.Config{ClientID: oauth2test.PublicClientID, RedirectURL: "http://127.0.0.1:8080/callback",
		Endpoint: srv.Endpoint(), Scopes: []string{"openid"}}
	login, err := cfg.NewLogin(ctx)
	if err != nil {
		log.Fatal(err)
	}
	tok, err := cfg.CompleteLoginURL(ctx, login, srv.Authorize(nil, login.URL)) // setup: the user signs in
	if err != nil {
		log.Fatal(err)
	}
	idToken := tok.IDToken // received by the API

	keySet := oidc.NewRemoteKeySet(srv.JWKSURL(), nil) // the provider's jwks_uri
	verifier := oidc.NewVerifier(srv.IssuerURL(), keySet, &oidc.Config{ClientID: oauth2test.PublicClientID})
	t, err := verifier.Verify(ctx, idToken)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Subject)
	// Output:
	// alice
}

// A token from a refresh must be about the same user as the first one
// (OpenID Connect Core 1.0 §12.2).
func ExampleWithPrevious() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()
	srv.RefreshChangesSub = true // the provider names another user after a refresh
	ctx := context.Background()
	p, err := oidc.NewProvider(ctx, srv.IssuerURL(), nil)
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := p.Metadata().Config(oauth2.Config{ClientID: oauth2test.PublicClientID,
		RedirectURL: "http://127.0.0.1:8080/callback", Scopes: []string{"openid"}})
	if err != nil {
		log.Fatal(err)
	}
	verifier := p.Verifier(&oidc.Config{ClientID: cfg.ClientID})
	login, err := cfg.NewLogin(ctx)
	if err != nil {
		log.Fatal(err)
	}
	tok, err := cfg.CompleteLoginURL(ctx, login, srv.Authorize(nil, login.URL)) // setup: the user signs in
	if err != nil {
		log.Fatal(err)
	}
	first, err := verifier.VerifyLogin(ctx, tok, login)
	if err != nil {
		log.Fatal(err)
	}

	refreshed, err := cfg.NewSession(tok).Refresh(ctx)
	if err != nil {
		log.Fatal(err)
	}
	_, err = verifier.Verify(ctx, refreshed.IDToken, oidc.WithPrevious(first))
	fmt.Println(errors.Is(err, oidc.ErrSubjectMismatch))
	// Output:
	// true
}
