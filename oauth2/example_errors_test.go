package oauth2_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
	"github.com/oauthkit/oauth/signer/jose"
)

// A service that authenticates with a private key (private_key_jwt, RFC
// 7523 §2.2), as Microsoft Entra and Okta offer: a Signer and no secret
// mean that method (AuthMethod may say so too). Config.HTTPClient, with its
// timeouts (and proxy), makes the token requests and is the base of the
// session's Client.
func ExampleConfig_ClientCredentials_privateKeyJWT() {
	srv := oauth2test.NewServer(nil) // setup (in a test: NewServer(t))
	defer srv.Close()
	key := oauth2test.ClientKey() // setup: in production, signer.ParsePrivateKeyPEM of the key file, or a KMS key

	signer, err := jose.NewECDSASigner(jose.ES256, key)
	if err != nil {
		log.Fatal(err)
	}
	cfg := &oauth2.Config{
		ClientID:   oauth2test.KeyClientID,
		AuthMethod: oauth2.AuthPrivateKeyJWT,
		Signer:     signer,
		KeyID:      "key-1", // the "kid" the server registered the key under, if it wants one
		Endpoint:   oauth2.Endpoint{TokenURL: srv.Endpoint().TokenURL},
		HTTPClient: &http.Client{
			Timeout:   10 * time.Second,
			Transport: &http.Transport{Proxy: http.ProxyFromEnvironment, ResponseHeaderTimeout: 5 * time.Second},
		},
	}
	s := cfg.ClientCredentials()
	resp, err := s.Client().Get(srv.ResourceURL())
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	fmt.Println("api:", resp.Status, "token requests:", srv.TokenRequests())
	// Output:
	// api: 200 OK token requests: 1
}

// Telling failures apart: errors.Is with the sentinel of an error code
// for what the caller acts on (ErrInvalidGrant: the grant is gone, sign the
// user in again), errors.As with *Error for the rest of a server's answer
// (its StatusCode, RetryAfter), and anything else is the request failing
// on its way (net/http's errors, a context's deadline). They reach the
// caller the same way through Session.Token and through a Session.Client
// request, whose *url.Error wraps them.
func ExampleError() {
	srv := oauth2test.NewServer(nil) // setup: a provider
	defer srv.Close()
	failing := oauth2test.NewServer(nil) // setup: a provider that answers 500
	defer failing.Close()
	failing.TokenStatus = http.StatusInternalServerError
	ln, err := net.Listen("tcp", "127.0.0.1:0") // setup: a port where nothing listens
	if err != nil {
		log.Fatal(err)
	}
	ln.Close()

	triage := func(err error) string {
		var oerr *oauth2.Error
		switch {
		case err == nil:
			return "ok"
		case errors.Is(err, oauth2.ErrInvalidGrant):
			return "the grant is gone: sign the user in again"
		case errors.Is(err, oauth2.ErrInvalidClient):
			return "the client's credentials are wrong"
		case errors.As(err, &oerr) && oerr.StatusCode >= 500:
			return fmt.Sprintf("the server failed (%d): try again later", oerr.StatusCode)
		case errors.As(err, &oerr):
			return "refused: " + oerr.ErrorCode
		default:
			return "the request did not get through: try again later"
		}
	}
	ctx := context.Background()
	cfg := &oauth2.Config{ClientID: oauth2test.ClientID, ClientSecret: oauth2test.ClientSecret, Endpoint: srv.Endpoint()}

	// A user's session whose token expired and whose grant was revoked.
	access, refresh := srv.IssueToken(oauth2test.ClientID, -1)
	if err := cfg.RevokeToken(ctx, refresh, oauth2.HintRefreshToken); err != nil {
		log.Fatal(err)
	}
	s := cfg.NewSession(&oauth2.Token{AccessToken: access, RefreshToken: refresh, Expiry: time.Now().Add(-time.Minute)})
	_, err = s.Client().Get(srv.ResourceURL())
	fmt.Println("revoked grant:", triage(err))

	wrong := *cfg
	wrong.ClientSecret = "not-the-secret"
	_, err = wrong.ClientCredentials().Token(ctx)
	fmt.Println("wrong secret:", triage(err))

	down := *cfg
	down.Endpoint.TokenURL = failing.Endpoint().TokenURL
	_, err = down.ClientCredentials().Token(ctx)
	fmt.Println("server error:", triage(err))

	down.Endpoint.TokenURL = "http://" + ln.Addr().String() + "/token"
	_, err = down.ClientCredentials().Token(ctx)
	fmt.Println("network down:", triage(err))
	// Output:
	// revoked grant: the grant is gone: sign the user in again
	// wrong secret: the client's credentials are wrong
	// server error: the server failed (500): try again later
	// network down: the request did not get through: try again later
}
