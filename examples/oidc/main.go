// Command oidc signs a user in with OpenID Connect at any provider that
// publishes a discovery document (Google, Microsoft, Okta, Auth0, Keycloak,
// ...), with a local callback server, then prints who signed in.
//
// Register a client with the redirect URI http://127.0.0.1:8080/callback,
// then:
//
//	OIDC_ISSUER=https://accounts.google.com OIDC_CLIENT_ID=... OIDC_CLIENT_SECRET=... go run ./examples/oidc
//
// and open the printed URL. With -fake it runs against the test provider
// (package oauth2test), whose user approves at once: no account, no
// browser.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/oauthkit/oauth/examples/internal/cli"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
	"github.com/oauthkit/oauth/oauth2/oidc"
)

const usage = `oidc signs a user in with OpenID Connect (discovery, PKCE, nonce, ID
token, UserInfo) on a local callback server and prints who signed in.

Environment:
  OIDC_ISSUER         the provider's issuer (https://accounts.google.com)
  OIDC_CLIENT_ID      the client's ID
  OIDC_CLIENT_SECRET  the client's secret (none for a public client)

Usage:
  go run ./examples/oidc          # open the printed URL in a browser
  go run ./examples/oidc -fake    # against the test provider: no account, no browser
`

func main() { cli.Main(run) }

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := cli.NewFlagSet(stdout, usage)
	addr := fs.String("addr", "127.0.0.1:8080", "address of the local callback server")
	fake := fs.Bool("fake", false, "run against a local test provider that approves at once")
	if err := fs.Parse(args); err != nil {
		return err
	}

	issuer := os.Getenv("OIDC_ISSUER")
	client := oauth2.Config{
		ClientID:     os.Getenv("OIDC_CLIENT_ID"),
		ClientSecret: os.Getenv("OIDC_CLIENT_SECRET"),
		Scopes:       []string{oidc.ScopeOpenID, "email", "profile"},
	}
	var srv *oauth2test.Server
	if *fake {
		srv = oauth2test.NewServer(nil)
		defer srv.Close()
		issuer, client.ClientID, client.ClientSecret = srv.IssuerURL(), oauth2test.PublicClientID, ""
		*addr = "127.0.0.1:0"
	}
	if issuer == "" || client.ClientID == "" {
		return errors.New("set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or use -fake (see -h)")
	}
	cb, err := cli.Listen(*addr)
	if err != nil {
		return err
	}
	defer cb.Close()
	client.RedirectURL = cb.URL

	// Discovery: the endpoints, the issuer (checked byte for byte) and
	// what the provider supports.
	p, err := oidc.NewProvider(ctx, issuer, nil)
	if err != nil {
		return err
	}
	cfg, err := p.Metadata().Config(client)
	if err != nil {
		return err
	}
	verifier := p.Verifier(&oidc.Config{ClientID: cfg.ClientID})

	// The pending login: state, PKCE verifier, nonce and issuer.
	login, err := cfg.NewLogin(ctx)
	if err != nil {
		return err
	}
	if *fake {
		cb.Visit(srv.Authorize(nil, login.URL)) // the user approves; the browser comes back
	} else {
		fmt.Fprintf(stdout, "Open this URL in your browser:\n\n  %s\n\n", login.URL)
	}
	tok, err := cli.Wait(ctx, cb, func(r *http.Request) (*oauth2.Token, error) {
		tok, err := cfg.CompleteLogin(r.Context(), login, r) // state, iss, then the code
		if errors.Is(err, oauth2.ErrStateMismatch) || errors.Is(err, oauth2.ErrMalformedCallback) {
			return nil, cli.ErrStray // not the answer to this login: keep waiting
		}
		return tok, err
	})
	if err != nil {
		return err
	}

	// Who signed in: the ID token, checked against the login.
	idToken, err := verifier.VerifyLogin(ctx, tok, login)
	if err != nil {
		return err
	}
	s := cfg.NewSession(tok)
	s.VerifyToken = verifier.CheckRefreshes(idToken) // the ID tokens of refreshes, too
	fmt.Fprintf(stdout, "signed in: %s at %s, email %q (verified %t)\n", idToken.Subject, idToken.Issuer, idToken.Email, idToken.EmailVerified)

	if p.Metadata().UserInfoEndpoint != "" {
		info, err := p.UserInfo(ctx, s, idToken.Subject)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "userinfo: name %q\n", info.Name)
	}
	return nil
}
