// Command device runs the OAuth 2.0 device authorization grant (RFC 8628), as
// a CLI or a TV app would: it shows a code and a URL, then polls until the
// user approves on another device. GitHub by default:
//
//	go run ./examples/device -client-id Iv1.xxxx -scope read:user
//
// Use -provider google or -provider microsoft (with -tenant) for the others.
// With -fake it runs against a local fake provider that approves after a
// few polls, so it needs no account.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
)

func main() {
	clientID := flag.String("client-id", os.Getenv("OAUTH_CLIENT_ID"), "client ID")
	clientSecret := flag.String("client-secret", os.Getenv("OAUTH_CLIENT_SECRET"), "client secret, if the provider needs one (Google)")
	provider := flag.String("provider", "github", "github, google or microsoft")
	tenant := flag.String("tenant", "common", "Microsoft tenant")
	scope := flag.String("scope", "", "space-separated scopes")
	fake := flag.Bool("fake", false, "run against a local fake provider")
	flag.Parse()

	cfg := &oauth2.Config{ClientID: *clientID, ClientSecret: *clientSecret, Scopes: strings.Fields(*scope)}
	if *clientSecret != "" {
		cfg.AuthMethod = oauth2.AuthClientSecretPost
	}
	switch *provider {
	case "github":
		cfg.Endpoint = oauth2.GitHub
	case "google":
		cfg.Endpoint = oauth2.Google
	case "microsoft":
		cfg.Endpoint = oauth2.Microsoft(*tenant)
	default:
		log.Fatalf("unknown provider %q", *provider)
	}
	if *fake {
		srv := fakeprovider.NewServer()
		defer srv.Close()
		srv.OAuth2.DeviceInterval = 1
		srv.OAuth2.DeviceScript = []string{"authorization_pending", "slow_down", "authorization_pending", "approve"}
		cfg.ClientID, cfg.ClientSecret, cfg.AuthMethod = "public-client", "", oauth2.AuthNone
		cfg.Endpoint = oauth2.Endpoint{DeviceAuthURL: srv.URL + fakeprovider.OAuth2DevicePath, TokenURL: srv.URL + fakeprovider.OAuth2TokenPath}
	}
	if cfg.ClientID == "" {
		log.Fatal("set -client-id (or OAUTH_CLIENT_ID), or use -fake")
	}

	// Ctrl-C cancels the device request and the polling.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	da, err := cfg.DeviceAuth(ctx)
	if err != nil {
		log.Fatal(err)
	}
	if da.VerificationURIComplete != "" {
		fmt.Printf("Open %s\n", da.VerificationURIComplete)
	}
	fmt.Printf("or visit %s and enter the code %s\n", da.VerificationURI, da.UserCode)
	interval := da.Interval
	if interval <= 0 {
		interval = 5 // RFC 8628 §3.2's default
	}
	fmt.Printf("Waiting for approval (polling every %ds)...\n", interval)

	tok, err := cfg.DeviceAccessToken(ctx, da)
	switch {
	case errors.Is(err, oauth2.ErrAccessDenied):
		log.Fatal("you denied the request")
	case errors.Is(err, oauth2.ErrExpiredToken):
		log.Fatal("the code expired; run the command again")
	case err != nil:
		log.Fatal(err)
	}
	exp := "never"
	if !tok.Expiry.IsZero() {
		exp = tok.Expiry.Format(time.RFC3339)
	}
	fmt.Printf("Authorized: %s token, scope %q, expires %s\n", tok.Type(), tok.Scope, exp)
}
