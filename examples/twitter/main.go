// Command twitter signs in to X (Twitter) with the OAuth 1.0a three-legged
// flow (RFC 5849 §2) and makes one signed API call (GET /2/users/me).
//
// Register http://127.0.0.1:8080/callback as a callback URL of the app in
// the X developer portal, then:
//
//	TWITTER_CONSUMER_KEY=... TWITTER_CONSUMER_SECRET=... go run ./examples/twitter
//
// and open the printed URL; or, with -oob, type the PIN X shows. With
// -fake it runs against the test provider (package oauth1test), whose
// user approves at once: no account, no browser.
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

const usage = `twitter signs in to X (Twitter) with the OAuth 1.0a three-legged flow
and makes one signed API call (GET /2/users/me).

Environment:
  TWITTER_CONSUMER_KEY     the app's API key (consumer key)
  TWITTER_CONSUMER_SECRET  the app's API key secret (consumer secret)

Usage:
  go run ./examples/twitter          # open the printed URL; X redirects to 127.0.0.1:8080
  go run ./examples/twitter -oob     # PIN flow: open the URL, type the PIN X shows
  go run ./examples/twitter -fake    # against the test provider: no account, no browser
`

func main() { cli.Main(run) }

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := cli.NewFlagSet(stdout, usage)
	addr := fs.String("addr", "127.0.0.1:8080", "address of the local callback server")
	oob := fs.Bool("oob", false, "PIN flow: read the PIN from stdin instead of running a callback server")
	fake := fs.Bool("fake", false, "run against a local test provider that approves at once")
	if err := fs.Parse(args); err != nil {
		return err
	}

	cfg := &oauth1.Config{
		ConsumerKey:    os.Getenv("TWITTER_CONSUMER_KEY"),
		ConsumerSecret: os.Getenv("TWITTER_CONSUMER_SECRET"),
		Endpoint:       oauth1.TwitterAuthenticate,
		HTTPClient:     &http.Client{Timeout: 30 * time.Second},
	}
	apiURL := "https://api.twitter.com/2/users/me"
	var srv *oauth1test.Server
	if *fake {
		srv = oauth1test.NewServer(nil)
		defer srv.Close()
		cfg.ConsumerKey, cfg.ConsumerSecret, cfg.Endpoint = oauth1test.ConsumerKey, oauth1test.ConsumerSecret, srv.Endpoint()
		apiURL, *addr = srv.ResourceURL(), "127.0.0.1:0"
	}
	if cfg.ConsumerKey == "" || cfg.ConsumerSecret == "" {
		return errors.New("set TWITTER_CONSUMER_KEY and TWITTER_CONSUMER_SECRET, or use -fake (see -h)")
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
		verifier = srv.AuthorizePIN(nil, authURL) // the user approves and reads the PIN
	case *oob:
		fmt.Fprintf(stdout, "Open this URL in your browser and authorize the app:\n\n  %s\n\nPIN: ", authURL)
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
	fmt.Fprintf(stdout, "authorized as @%s (user id %s)\n", at.Extra("screen_name"), at.Extra("user_id"))

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
