// Command clientcredentials gets a token with the client credentials grant
// (RFC 6749 §4.4) and calls an API with it, as a service would:
//
//	OAUTH_CLIENT_ID=svc OAUTH_CLIENT_SECRET=... go run ./examples/clientcredentials \
//		-token-url https://as.example/token -scope "read write" -api https://api.example/v1/items
//
// The session gets its token on first use and runs the grant again when
// the token is due; -resource adds RFC 8707 resource indicators to every
// token request. With -fake it runs against the test provider (package
// oauth2test): no account.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/oauthkit/oauth/examples/internal/cli"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
)

const usage = `clientcredentials gets a token with the client credentials grant
(RFC 6749 §4.4), as a service would, and calls an API with it.

Environment:
  OAUTH_CLIENT_ID      the client's ID (or -client-id)
  OAUTH_CLIENT_SECRET  the client's secret: never a flag, which ps shows

Usage:
  go run ./examples/clientcredentials -token-url https://as.example/token -api https://api.example/items
  go run ./examples/clientcredentials -fake    # against the test provider: no account
`

func main() { cli.Main(run) }

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := cli.NewFlagSet(stdout, usage)
	tokenURL := fs.String("token-url", "", "token endpoint URL")
	clientID := fs.String("client-id", os.Getenv("OAUTH_CLIENT_ID"), "client ID")
	method := fs.String("auth", "client_secret_basic", "client authentication: client_secret_basic, client_secret_post or auto")
	scope := fs.String("scope", "", "space-separated scopes")
	api := fs.String("api", "", "API URL to call with the token")
	resource := fs.String("resource", "", "space-separated resource indicators (RFC 8707) for the token")
	fake := fs.Bool("fake", false, "run against a local test provider")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// The secret comes from the environment (or a file), never from a flag:
	// the command line is visible to every user of the machine (ps), and
	// -h would print a flag's default.
	clientSecret := os.Getenv("OAUTH_CLIENT_SECRET")
	if *fake {
		srv := oauth2test.NewServer(nil)
		defer srv.Close()
		*tokenURL, *api = srv.Endpoint().TokenURL, srv.ResourceURL()
		*clientID, clientSecret, *method = oauth2test.PostClientID, oauth2test.PostClientSecret, "auto" // auto finds client_secret_post
	}
	if *tokenURL == "" || *clientID == "" {
		return errors.New("set -token-url and OAUTH_CLIENT_ID (or -client-id), or use -fake (see -h)")
	}

	cfg := &oauth2.Config{
		ClientID:     *clientID,
		ClientSecret: clientSecret,
		AuthMethod:   oauth2.AuthMethod(*method),
		Endpoint:     oauth2.Endpoint{TokenURL: *tokenURL},
		Scopes:       strings.Fields(*scope),
		HTTPClient:   &http.Client{Timeout: 30 * time.Second},
	}
	var opts []oauth2.Option
	for _, r := range strings.Fields(*resource) {
		opts = append(opts, oauth2.SetParam("resource", r))
	}
	s := cfg.ClientCredentials(opts...) // no request yet
	tok, err := s.Token(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "got a %s token, scope %q, expires %s\n", tok.Type(), tok.Scope, tok.Expiry.Format(time.RFC3339))
	if *api == "" {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *api, nil)
	if err != nil {
		return err
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := oauth2.CheckResponse(resp); err != nil {
		return err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "GET %s: %s\n%s\n", *api, resp.Status, body)
	return nil
}
