// Command tumblr signs in to Tumblr with the OAuth 1.0a three-legged flow
// (RFC 5849 §2) and makes one signed API call (GET /v2/user/info).
//
// Register http://127.0.0.1:8080/callback as the default callback URL of
// the app at https://www.tumblr.com/oauth/apps, then:
//
//	TUMBLR_CONSUMER_KEY=... TUMBLR_CONSUMER_SECRET=... go run ./examples/tumblr
//
// and open the printed URL; or, with -oob, type the verifier Tumblr
// shows. With -fake it runs against the test provider (package
// oauth1test), whose user approves at once: no account, no browser.
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
	"github.com/oauthkit/oauth/oauth1"
	"github.com/oauthkit/oauth/oauth1/oauth1test"
)

const usage = `tumblr signs in to Tumblr with the OAuth 1.0a three-legged flow
and makes one signed API call (GET /v2/user/info).

Environment:
  TUMBLR_CONSUMER_KEY     the app's OAuth consumer key
  TUMBLR_CONSUMER_SECRET  the app's secret key

Usage:
  go run ./examples/tumblr          # open the printed URL; Tumblr redirects to 127.0.0.1:8080
  go run ./examples/tumblr -oob     # open the URL, type the verifier Tumblr shows
  go run ./examples/tumblr -fake    # against the test provider: no account, no browser
`

func main() { cli.Main(run) }

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := cli.NewFlagSet(stdout, usage)
	addr := fs.String("addr", "127.0.0.1:8080", "address of the local callback server")
	oob := fs.Bool("oob", false, "out of band: read the verifier from stdin instead of running a callback server")
	fake := fs.Bool("fake", false, "run against a local test provider that approves at once")
	if err := fs.Parse(args); err != nil {
		return err
	}

	cfg := &oauth1.Config{
		ConsumerKey:    os.Getenv("TUMBLR_CONSUMER_KEY"),
		ConsumerSecret: os.Getenv("TUMBLR_CONSUMER_SECRET"),
		Endpoint:       oauth1.Tumblr,
		HTTPClient:     &http.Client{Timeout: 30 * time.Second},
	}
	apiURL := "https://api.tumblr.com/v2/user/info"
	var srv *oauth1test.Server
	if *fake {
		srv = oauth1test.NewServer(nil)
		defer srv.Close()
		cfg.ConsumerKey, cfg.ConsumerSecret, cfg.Endpoint = oauth1test.ConsumerKey, oauth1test.ConsumerSecret, srv.Endpoint()
		apiURL, *addr = srv.ResourceURL(), "127.0.0.1:0"
	}
	if cfg.ConsumerKey == "" || cfg.ConsumerSecret == "" {
		return errors.New("set TUMBLR_CONSUMER_KEY and TUMBLR_CONSUMER_SECRET, or use -fake (see -h)")
	}

	// Where the user comes back: a local callback server, or "oob" (a PIN).
	cfg.CallbackURL = "oob"
	var cb *cli.Callback
	if !*oob {
		var err error
		if cb, err = cli.Listen(*addr); err != nil {
			return err
		}
		defer cb.Close()
		cfg.CallbackURL = cb.URL
	}

	rt, err := cfg.RequestToken(ctx) // temporary credentials
	if err != nil {
		return err
	}
	authURL, err := cfg.AuthorizationURL(rt, nil)
	if err != nil {
		return err
	}
	var verifier string
	switch {
	case *oob && *fake:
		verifier = srv.AuthorizePIN(nil, authURL) // the user approves and reads the verifier
	case *oob:
		fmt.Fprintf(stdout, "Open this URL in your browser and authorize the app:\n\n  %s\n\nVerifier: ", authURL)
		verifier, err = cli.ReadLine(os.Stdin)
	default:
		if *fake {
			cb.Visit(srv.Authorize(nil, authURL)) // the user approves; the browser comes back
		} else {
			fmt.Fprintf(stdout, "Open this URL in your browser and authorize the app:\n\n  %s\n\n", authURL)
		}
		verifier, err = cli.Wait(ctx, cb, func(r *http.Request) (string, error) {
			token, verifier, err := oauth1.ParseAuthorizationRequest(r)
			if err == nil && token != rt.Token {
				return "", cli.ErrStray // the callback of another request token: keep waiting
			}
			return verifier, err
		})
	}
	if err != nil {
		return err
	}
	at, err := cfg.AccessToken(ctx, rt, verifier) // token credentials
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "authorized: %v\n", at) // the secret prints as <redacted>

	// Every request through cfg.Client(at) is signed.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, apiURL, nil)
	if err != nil {
		return err
	}
	resp, err := cfg.Client(at).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := oauth1.CheckResponse(resp); err != nil {
		return err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "GET %s: %s\n%s\n", apiURL, resp.Status, body)
	return nil
}
