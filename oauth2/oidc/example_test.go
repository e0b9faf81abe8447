package oidc_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"strings"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oidc"
)

// Sign a user in: discover the provider, build the oauth2.Config, and
// after the code exchange verify the ID token and ask UserInfo about the
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
	fmt.Println("client authentication:", cfg.AuthMethod)

	nonce := "n-0S6_WzA2Mj" // random per login, sent in the authorization request
	tok := exampleCodeFlow(cfg, nonce)

	verifier := p.Verifier(&oidc.Config{ClientID: cfg.ClientID})
	idToken, err := verifier.Verify(ctx, tok.IDToken, oidc.WithNonce(nonce), oidc.WithAccessToken(tok.AccessToken))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(idToken.Subject, idToken.Email, idToken.EmailVerified)

	info, err := p.UserInfo(ctx, cfg.NewSession(tok), idToken.Subject)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Name)
	// Output:
	// client authentication: none
	// alice alice@example.com true
	// Alice
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
	idToken := exampleCodeFlow(cfg, "").IDToken // received by the API

	keySet := oidc.NewRemoteKeySet(issuer+"/jwks", nil)
	verifier := oidc.NewVerifier(issuer, keySet, &oidc.Config{ClientID: "public-client"})
	tok, err := verifier.Verify(context.Background(), idToken)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.Subject)
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
	tok := exampleCodeFlow(cfg, "")
	first, err := verifier.Verify(ctx, tok.IDToken, oidc.WithNonce(""))
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

// exampleCodeFlow stands for package oauth2's authorization code flow in
// the examples: it sends the user agent to cfg's authorization endpoint
// (the fake provider approves at once), with PKCE and nonce when not
// empty, and exchanges the code for a token.
func exampleCodeFlow(cfg *oauth2.Config, nonce string) *oauth2.Token {
	verifier := strings.Repeat("v", 43)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"client_id": {cfg.ClientID}, "redirect_uri": {cfg.RedirectURL}, "response_type": {"code"},
		"scope": {strings.Join(cfg.Scopes, " ")}, "state": {"s"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	if nonce != "" {
		q.Set("nonce", nonce)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(cfg.Endpoint.AuthURL + "?" + q.Encode())
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		log.Fatal(err)
	}
	resp, err = http.PostForm(cfg.Endpoint.TokenURL, url.Values{"grant_type": {"authorization_code"},
		"code": {loc.Query().Get("code")}, "redirect_uri": {cfg.RedirectURL}, "client_id": {cfg.ClientID}, "code_verifier": {verifier}})
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var t struct {
		AccessToken  string `json:"access_token"`
		TokenType    string `json:"token_type"`
		RefreshToken string `json:"refresh_token"`
		IDToken      string `json:"id_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&t); err != nil {
		log.Fatal(err)
	}
	return &oauth2.Token{AccessToken: t.AccessToken, TokenType: t.TokenType, RefreshToken: t.RefreshToken, IDToken: t.IDToken}
}
