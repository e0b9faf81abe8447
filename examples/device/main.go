// Command device runs the OAuth 2.0 device authorization grant (RFC 8628),
// as a CLI or a TV app would: it shows a code and a URL, then polls until
// the user approves on another device. GitHub by default (enable the
// device flow in the OAuth app's settings):
//
//	GITHUB_CLIENT_ID=Iv1.xxxx go run ./examples/device -scope read:user
//
// -provider google (GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET of a "TVs and
// Limited Input devices" client) or -provider microsoft
// (MICROSOFT_CLIENT_ID, -tenant) for the others. With -fake it runs
// against the test provider (package oauth2test), whose user approves
// after the first poll: no account, no second device.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/oauthkit/oauth/examples/internal/cli"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
)

const usage = `device gets a token with the OAuth 2.0 device authorization grant
(RFC 8628): it shows a URL and a code, and polls while the user approves
on another device.

Environment, by -provider (the client ID may be given with -client-id;
a secret never is, as the command line is visible to others):
  GITHUB_CLIENT_ID                         github (the default)
  GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET   google
  MICROSOFT_CLIENT_ID                      microsoft

Usage:
  go run ./examples/device -scope read:user   # approve in a browser, anywhere
  go run ./examples/device -fake              # against the test provider: no account
`

func main() { cli.Main(run) }

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := cli.NewFlagSet(stdout, usage)
	clientID := fs.String("client-id", "", "client ID (default $<PROVIDER>_CLIENT_ID)")
	provider := fs.String("provider", "github", "github, google or microsoft")
	tenant := fs.String("tenant", "common", "Microsoft tenant")
	scope := fs.String("scope", "", "space-separated scopes")
	fake := fs.Bool("fake", false, "run against a local test provider whose user approves after the first poll")
	if err := fs.Parse(args); err != nil {
		return err
	}
	env := strings.ToUpper(*provider)
	if *clientID == "" {
		*clientID = os.Getenv(env + "_CLIENT_ID")
	}
	clientSecret := os.Getenv(env + "_CLIENT_SECRET") // never a flag: ps shows the command line

	cfg := &oauth2.Config{ClientID: *clientID, ClientSecret: clientSecret, Scopes: strings.Fields(*scope)}
	if clientSecret != "" {
		cfg.AuthMethod = oauth2.AuthClientSecretPost // Google's choice
	}
	switch *provider {
	case "github":
		cfg.Endpoint = oauth2.GitHub
	case "google":
		cfg.Endpoint = oauth2.Google
	case "microsoft":
		cfg.Endpoint = oauth2.Microsoft(*tenant)
	default:
		return fmt.Errorf("unknown provider %q", *provider)
	}
	if *fake {
		srv := oauth2test.NewServer(nil)
		defer srv.Close()
		srv.DeviceInterval = 1 // seconds; its user approves at the second poll
		cfg.ClientID, cfg.ClientSecret, cfg.AuthMethod = oauth2test.PublicClientID, "", oauth2.AuthNone
		cfg.Endpoint = srv.Endpoint()
	}
	if cfg.ClientID == "" {
		return fmt.Errorf("set %s_CLIENT_ID (or -client-id), or use -fake (see -h)", env)
	}
	// Say so at every poll: the wait can be minutes.
	cfg.Sleep = func(ctx context.Context, d time.Duration) error {
		fmt.Fprintf(stdout, "waiting for approval... (next poll in %v)\n", d)
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}

	da, err := cfg.DeviceAuth(ctx)
	if err != nil {
		return err
	}
	if da.VerificationURIComplete != "" {
		fmt.Fprintf(stdout, "Open %s\n", da.VerificationURIComplete)
	}
	fmt.Fprintf(stdout, "or visit %s and enter the code %s\n", da.VerificationURI, da.UserCode)

	tok, err := cfg.DeviceAccessToken(ctx, da) // polls; Ctrl-C cancels ctx
	switch {
	case errors.Is(err, oauth2.ErrAccessDenied):
		return errors.New("you denied the request")
	case errors.Is(err, oauth2.ErrExpiredToken):
		return errors.New("the code expired; run the command again")
	case err != nil:
		return err
	}
	exp := "never"
	if !tok.Expiry.IsZero() {
		exp = tok.Expiry.Format(time.RFC3339)
	}
	fmt.Fprintf(stdout, "authorized: %s token, scope %q, expires %s\n", tok.Type(), tok.Scope, exp)
	return nil
}
