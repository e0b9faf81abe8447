package oauth1_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/oauthkit/oauth/oauth1"
	"github.com/oauthkit/oauth/oauth1/oauth1test"
)

// Signing one request in place: the example request of X's "Creating a
// signature" page, with its nonce and timestamp fixed so that the
// published signature (hCtSmYh+iHYCEqBWrE7C7hYmtUk=) comes out.
func ExampleConfig_Sign() {
	cfg := &oauth1.Config{
		ConsumerKey:    "xvz1evFS4wEEPTGEFPHBog",
		ConsumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
		// Fixed for the example; leave both nil in real code.
		Now:   func() time.Time { return time.Unix(1318622958, 0) },
		Nonce: func() (string, error) { return "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", nil },
	}
	tok := &oauth1.Token{
		Token:  "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
		Secret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
	}
	body := strings.NewReader("status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21")
	req, err := http.NewRequest("POST", "https://api.twitter.com/1.1/statuses/update.json?include_entities=true", body)
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := cfg.Sign(req, tok); err != nil {
		log.Fatal(err)
	}
	for _, p := range strings.Split(strings.TrimPrefix(req.Header.Get("Authorization"), "OAuth "), ", ") {
		fmt.Println(p)
	}
	// Output:
	// oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
	// oauth_timestamp="1318622958"
	// oauth_version="1.0"
	// oauth_signature_method="HMAC-SHA1"
	// oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog"
	// oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"
	// oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"
}

// The three-legged flow (RFC 5849 §2), here against a local provider
// (package oauth1test) that needs no account.
func ExampleConfig_RequestToken() {
	srv := oauth1test.NewServer(nil) // setup (in a test: NewServer(t))
	defer srv.Close()

	ctx := context.Background()
	cfg := &oauth1.Config{
		ConsumerKey:    oauth1test.ConsumerKey,
		ConsumerSecret: oauth1test.ConsumerSecret,
		CallbackURL:    "https://app.example/callback",
		Endpoint:       srv.Endpoint(), // e.g. oauth1.Twitter
	}

	// 1. Temporary credentials.
	rt, err := cfg.RequestToken(ctx)
	if err != nil {
		log.Fatal(err)
	}
	// 2. Send the user to authURL; the provider redirects to the callback.
	authURL, err := cfg.AuthorizationURL(rt, nil)
	if err != nil {
		log.Fatal(err)
	}
	callback := srv.Authorize(nil, authURL) // setup: the user approves; in a program, the callback's URL
	token, verifier, err := oauth1.ParseAuthorizationResponse(callback)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("callback carries the request token:", token == rt.Token)

	// 3. Token credentials.
	at, err := cfg.AccessToken(ctx, rt, verifier)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("screen_name:", at.Extra("screen_name"))
	fmt.Println("user_id:", at.Extra("user_id"))
	fmt.Println(strings.Contains(fmt.Sprint(at), at.Secret)) // secrets never print
	// Output:
	// callback carries the request token: true
	// screen_name: fake_user
	// user_id: 1234
	// false
}

// A Client whose Transport signs every request: here a GET with a
// repeated query key, which the fake provider echoes once verified.
func ExampleConfig_Client() {
	srv := oauth1test.NewServer(nil) // setup
	defer srv.Close()
	token, secret := srv.IssueAccessToken("hmac-sha256") // setup: a saved access token

	cfg := &oauth1.Config{ConsumerKey: "hmac-sha256", ConsumerSecret: "hmac-sha256-secret", Method: oauth1.HMACSHA256}
	client := cfg.Client(&oauth1.Token{Token: token, Secret: secret})

	resp, err := client.Get(srv.ResourceURL() + "?tag=go&tag=oauth")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	if err := oauth1.CheckResponse(resp); err != nil {
		log.Fatal(err)
	}
	var echo oauth1test.Echo // what the provider verified
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&echo); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Status, echo.Signature, echo.Params)
	// Output:
	// 200 OK HMAC-SHA256 [[tag go] [tag oauth]]
}

// A provider (or an LTI tool, or a webhook receiver) verifying requests.
func ExampleVerifier() {
	v := &oauth1.Verifier{
		LookupConsumer: func(ctx context.Context, key string) (oauth1.Consumer, error) {
			if key != "app" {
				return oauth1.Consumer{}, oauth1.ErrUnknownConsumer
			}
			return oauth1.Consumer{Secret: "app-secret"}, nil
		},
		Nonces: oauth1.NewMemoryNonceStore(oauth1.DefaultWindow),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, err := v.Verify(r.Context(), r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, "hello %s, you sent %v", got.ConsumerKey, got.Params)
	}))
	defer srv.Close()

	cfg := &oauth1.Config{ConsumerKey: "app", ConsumerSecret: "app-secret", Placement: oauth1.InQuery}
	resp, err := cfg.Client(nil).Get(srv.URL + "/launch?context=42")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))
	// Output:
	// hello app, you sent map[context:[42]]
}

// A Transport used directly, over a base RoundTripper of your choice; the
// caller's request is never modified.
func ExampleTransport() {
	srv := oauth1test.NewServer(nil) // setup
	defer srv.Close()
	token, secret := srv.IssueAccessToken(oauth1test.RSAConsumerKey) // setup: a saved access token

	cfg := &oauth1.Config{ConsumerKey: oauth1test.RSAConsumerKey, Method: oauth1.RSASHA256(oauth1test.RSAKey())}
	client := &http.Client{Transport: &oauth1.Transport{
		Config: cfg,
		Token:  &oauth1.Token{Token: token, Secret: secret},
		Base:   http.DefaultTransport,
	}}
	req, err := http.NewRequest("POST", srv.ResourceURL(), strings.NewReader("a=1&a=2"))
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	fmt.Println(resp.Status, req.Header.Get("Authorization") == "")
	// Output:
	// 200 OK true
}
