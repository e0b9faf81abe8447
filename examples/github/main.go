// Command github signs in to GitHub with the OAuth 2 authorization code
// flow (with PKCE and state) on a local callback server, then calls the
// API as the user (GET /user).
//
// Register an OAuth app with the callback URL
// http://127.0.0.1:8080/callback, then:
//
//	GITHUB_CLIENT_ID=... GITHUB_CLIENT_SECRET=... go run ./examples/github
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
	"time"

	"github.com/oauthkit/oauth/examples/internal/cli"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
)

const usage = `github signs in to GitHub with the OAuth 2 authorization code flow
(PKCE and state) on a local callback server and calls GET /user.

Environment:
  GITHUB_CLIENT_ID      the OAuth app's client ID
  GITHUB_CLIENT_SECRET  the OAuth app's client secret

Usage:
  go run ./examples/github          # open the printed URL in a browser
  go run ./examples/github -fake    # against the test provider: no account, no browser
`

func main() { cli.Main(run) }

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := cli.NewFlagSet(stdout, usage)
	addr := fs.String("addr", "127.0.0.1:8080", "address of the local callback server")
	fake := fs.Bool("fake", false, "run against a local test provider that approves at once")
	if err := fs.Parse(args); err != nil {
		return err
	}

	cfg := &oauth2.Config{
		ClientID:     os.Getenv("GITHUB_CLIENT_ID"),
		ClientSecret: os.Getenv("GITHUB_CLIENT_SECRET"),
		Endpoint:     oauth2.GitHub,
		Scopes:       []string{"read:user"},
		// Bounds the API calls too: the package bounds its own requests
		// to the provider (Config.Timeout), not those of Session.Client.
		HTTPClient: &http.Client{Timeout: 30 * time.Second},
	}
	apiURL := "https://api.github.com/user"
	var srv *oauth2test.Server
	if *fake {
		srv = oauth2test.NewServer(nil)
		defer srv.Close()
		cfg.ClientID, cfg.ClientSecret, cfg.Endpoint = oauth2test.ClientID, oauth2test.ClientSecret, srv.Endpoint()
		apiURL, *addr = srv.ResourceURL(), "127.0.0.1:0"
	}
	if cfg.ClientID == "" {
		return errors.New("set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET, or use -fake (see -h)")
	}

	cb, err := cli.Listen(*addr)
	if err != nil {
		return err
	}
	defer cb.Close()
	cfg.RedirectURL = cb.URL

	// The pending login: the URL, its state and PKCE verifier.
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
		tok, err := cfg.CompleteLogin(r.Context(), login, r) // checks the state, then exchanges the code
		if errors.Is(err, oauth2.ErrStateMismatch) || errors.Is(err, oauth2.ErrMalformedCallback) {
			return nil, cli.ErrStray // not the answer to this login: keep waiting
		}
		return tok, err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "signed in: %v\n", tok) // secrets print as <redacted>

	s := cfg.NewSession(tok) // refreshes the token when needed
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, apiURL, nil)
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
	fmt.Fprintf(stdout, "GET %s: %s\n%s\n", apiURL, resp.Status, body)
	return nil
}
