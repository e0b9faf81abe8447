package dpop_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/dpop"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
	"github.com/oauthkit/oauth/signer/jose"
)

// A login as the AT Protocol's OAuth profile (Bluesky) asks for it, at a
// server that requires all of it: a pushed request (RFC 9126) with PKCE,
// DPoP-bound tokens (RFC 9449) with server nonces, and private_key_jwt;
// then API calls and a refresh, each with a proof of the same key.
func Example() {
	srv := oauth2test.NewServer(nil) // setup: a local provider (in a test: NewServer(t))
	defer srv.Close()
	srv.RequirePAR, srv.RequireDPoP, srv.RequireDPoPNonce, srv.RequireResourceDPoPNonce = true, true, true, true
	srv.RequireIssuerAudience = true // client assertions must name the issuer

	key, err := dpop.GenerateKey() // ES256; save it with the token (see Key.MarshalPrivateJWK)
	if err != nil {
		log.Fatal(err)
	}
	clientKey, err := jose.NewECDSASigner(jose.ES256, oauth2test.ClientKey())
	if err != nil {
		log.Fatal(err)
	}
	cfg := &oauth2.Config{
		ClientID:    oauth2test.KeyClientID,
		AuthMethod:  oauth2.AuthPrivateKeyJWT,
		Signer:      clientKey,
		Endpoint:    srv.Endpoint(), // discovery fills it, RequirePushedAuth included
		RedirectURL: "http://127.0.0.1:8080/callback",
		Scopes:      []string{"atproto", "transition:generic"},
		DPoP:        key,
	}
	// The AT Protocol wants the issuer as the audience of client
	// assertions, not the URL of the endpoint they are sent to.
	cfg.Endpoint.AssertionAudience = cfg.Endpoint.Issuer
	ctx := context.Background()
	login, err := cfg.NewLogin(ctx) // pushed, since the server requires it
	if err != nil {
		log.Fatal(err)
	}
	tok, err := cfg.CompleteLoginURL(ctx, login, srv.Authorize(nil, login.URL))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("token type:", tok.Type(), "bound to the key:", tok.DPoPJKT == key.Thumbprint())

	s := cfg.NewSession(tok)
	resp, err := s.Client().Get(srv.ResourceURL()) // Authorization: DPoP ..., and a proof
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var echo oauth2test.Echo
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&echo); err != nil {
		log.Fatal(err)
	}
	fmt.Println("API:", resp.Status, echo.TokenType, "for", echo.Username)

	if _, err := s.Refresh(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println("refreshed, still bound:", s.CachedToken().DPoPJKT == key.Thumbprint())
	fmt.Println("nonce challenges answered:", srv.DPoPNonceChallenges(), "proofs refused otherwise:", srv.DPoPProofsRefused()-srv.DPoPNonceChallenges())
	// Output:
	// token type: DPoP bound to the key: true
	// API: 200 OK DPoP for alice
	// refreshed, still bound: true
	// nonce challenges answered: 2 proofs refused otherwise: 0
}

// A DPoP-bound token is useless without its key: save the key beside the
// token, where only the client can read it, and load both at the next
// start. A token restored with another key is refused before it is sent.
func ExampleKey_MarshalPrivateJWK() {
	dir, err := os.MkdirTemp("", "dpop-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "dpop-key.jwk")

	key, err := dpop.GenerateKey()
	if err != nil {
		log.Fatal(err)
	}
	saved, err := key.MarshalPrivateJWK()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, saved, 0o600); err != nil { // a secret, as the token file
		log.Fatal(err)
	}

	// At the next start:
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	restored, err := dpop.ParseKey(data)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(restored.Alg(), "same key:", restored.Thumbprint() == key.Thumbprint())
	// Output:
	// ES256 same key: true
}
