package oidc_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oidc"
)

// Sign a user in: discover the provider, make a login, complete it on the
// callback (state and iss checked), verify the ID token against the
// login, check the ID tokens of refreshes, and ask UserInfo about the
// user.
func Example() {
	s := fakeprovider.NewServer() // an OpenID provider on loopback
	defer s.Close()
	issuer := s.URL + "/oauth2"

	ctx := context.Background()
	p, err := oidc.NewProvider(ctx, issuer, nil)
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := p.Metadata().Config(oauth2.Config{
		ClientID:    "public-client",
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
	callback := exampleBrowser(login.URL)
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
	s := fakeprovider.NewServer()
	defer s.Close()
	s.OAuth2.WrongCallbackIssuer = true // callbacks carry iss=https://attacker.example/oauth2

	ctx := context.Background()
	p, err := oidc.NewProvider(ctx, s.URL+"/oauth2", nil)
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := p.Metadata().Config(oauth2.Config{ClientID: "public-client",
		RedirectURL: "http://127.0.0.1:8080/callback", Scopes: []string{oidc.ScopeOpenID}})
	if err != nil {
		log.Fatal(err)
	}
	login, err := cfg.NewLogin(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	_, err = cfg.CompleteLoginURL(ctx, login, exampleBrowser(login.URL))
	fmt.Println(errors.Is(err, oauth2.ErrIssuerMismatch), s.OAuth2.TokenRequests())
	// Output:
	// true 0
}

// The ID token of a refresh must be about the user who signed in (OpenID
// Connect Core 1.0 §12.2): a session with the check keeps its token when
// a refresh names someone else.
func ExampleIDTokenVerifier_CheckRefreshes() {
	s := fakeprovider.NewServer()
	defer s.Close()
	s.OAuth2.RefreshChangesSub = true // the provider names another user after a refresh
	ctx := context.Background()
	p, err := oidc.NewProvider(ctx, s.URL+"/oauth2", nil)
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := p.Metadata().Config(oauth2.Config{ClientID: "public-client",
		RedirectURL: "http://127.0.0.1:8080/callback", Scopes: []string{oidc.ScopeOpenID}})
	if err != nil {
		log.Fatal(err)
	}
	verifier := p.Verifier(&oidc.Config{ClientID: cfg.ClientID})
	login, tok := exampleSignIn(cfg)
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
	s := fakeprovider.NewServer()
	defer s.Close()
	s.OAuth2.WrongMetadataIssuer = true // the document names https://attacker.example/oauth2

	_, err := oidc.NewProvider(context.Background(), s.URL+"/oauth2", nil)
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
	s := fakeprovider.NewServer()
	defer s.Close()
	issuer := s.URL + "/oauth2"
	cfg := &oauth2.Config{ClientID: "public-client", RedirectURL: "http://127.0.0.1:8080/callback",
		Endpoint: oauth2.Endpoint{AuthURL: issuer + "/authorize", TokenURL: issuer + "/token"}, Scopes: []string{"openid"}}
	_, tok := exampleSignIn(cfg)
	idToken := tok.IDToken // received by the API

	keySet := oidc.NewRemoteKeySet(issuer+"/jwks", nil)
	verifier := oidc.NewVerifier(issuer, keySet, &oidc.Config{ClientID: "public-client"})
	t, err := verifier.Verify(context.Background(), idToken)
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
	s := fakeprovider.NewServer()
	defer s.Close()
	s.OAuth2.RefreshChangesSub = true // the provider names another user after a refresh
	ctx := context.Background()
	p, err := oidc.NewProvider(ctx, s.URL+"/oauth2", nil)
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := p.Metadata().Config(oauth2.Config{ClientID: "public-client",
		RedirectURL: "http://127.0.0.1:8080/callback", Scopes: []string{"openid"}})
	if err != nil {
		log.Fatal(err)
	}
	verifier := p.Verifier(&oidc.Config{ClientID: cfg.ClientID})
	login, tok := exampleSignIn(cfg)
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

// exampleBrowser stands for the user's browser in the examples: it goes
// to authURL, where the fake provider approves at once, and returns the
// URL it is sent back to.
func exampleBrowser(authURL string) string {
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(authURL)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	return resp.Header.Get("Location")
}

// exampleSignIn runs a login of cfg through exampleBrowser.
func exampleSignIn(cfg *oauth2.Config) (*oauth2.Login, *oauth2.Token) {
	login, err := cfg.NewLogin(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	tok, err := cfg.CompleteLoginURL(context.Background(), login, exampleBrowser(login.URL))
	if err != nil {
		log.Fatal(err)
	}
	return login, tok
}
