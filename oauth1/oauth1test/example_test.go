package oauth1test_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/oauthkit/oauth/oauth1"
	"github.com/oauthkit/oauth/oauth1/oauth1test"
)

// A test of the three-legged flow: the server plays the provider and the
// user's browser. In a test, NewServer(t) closes the server when the test
// ends and the methods that take t fail the test; an Example has no t.
func Example() {
	srv := oauth1test.NewServer(nil) // in a test: oauth1test.NewServer(t)
	defer srv.Close()

	cfg := &oauth1.Config{
		ConsumerKey:    oauth1test.ConsumerKey,
		ConsumerSecret: oauth1test.ConsumerSecret,
		CallbackURL:    "http://127.0.0.1/callback",
		Endpoint:       srv.Endpoint(),
	}
	ctx := context.Background()
	rt, err := cfg.RequestToken(ctx)
	if err != nil {
		log.Fatal(err)
	}
	authURL, err := cfg.AuthorizationURL(rt, nil)
	if err != nil {
		log.Fatal(err)
	}
	callback := srv.Authorize(nil, authURL) // the user approves
	_, verifier, err := oauth1.ParseAuthorizationResponse(callback)
	if err != nil {
		log.Fatal(err)
	}
	at, err := cfg.AccessToken(ctx, rt, verifier)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("signed in as", at.Extra("screen_name"))

	resp, err := cfg.Client(at).Get(srv.ResourceURL() + "?count=5")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var echo oauth1test.Echo // what the server verified
	if err := json.NewDecoder(resp.Body).Decode(&echo); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Status, echo.Signature, echo.Placement, echo.Params)
	// Output:
	// signed in as fake_user
	// 200 OK HMAC-SHA1 header [[count 5]]
}

// The PIN flow ("oob"): the server shows the verifier the user would type.
func ExampleServer_AuthorizePIN() {
	srv := oauth1test.NewServer(nil) // in a test: oauth1test.NewServer(t)
	defer srv.Close()

	cfg := &oauth1.Config{ConsumerKey: oauth1test.ConsumerKey, ConsumerSecret: oauth1test.ConsumerSecret,
		CallbackURL: "oob", Endpoint: srv.Endpoint()}
	ctx := context.Background()
	rt, err := cfg.RequestToken(ctx)
	if err != nil {
		log.Fatal(err)
	}
	authURL, err := cfg.AuthorizationURL(rt, nil)
	if err != nil {
		log.Fatal(err)
	}
	pin := srv.AuthorizePIN(nil, authURL) // the user reads it and types it in
	at, err := cfg.AccessToken(ctx, rt, pin)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(at.Extra("user_id"), srv.Counters.AccessTokens.Load())
	// Output:
	// 1234 1
}
