package oauth1test

import (
	"context"
	"testing"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth1"
)

// The constants name what the provider registers and sends.
func TestConstantsMatchTheProvider(t *testing.T) {
	srv := NewServer(t)
	ctx := context.Background()
	for _, cfg := range []*oauth1.Config{
		{ConsumerKey: ConsumerKey, ConsumerSecret: ConsumerSecret},
		{ConsumerKey: RSAConsumerKey, Method: oauth1.RSASHA256(RSAKey())},
	} {
		cfg.CallbackURL, cfg.Endpoint = "http://127.0.0.1/cb", srv.Endpoint()
		rt, err := cfg.RequestToken(ctx)
		if err != nil {
			t.Fatalf("%s: %v", cfg.ConsumerKey, err)
		}
		authURL, err := cfg.AuthorizationURL(rt, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, verifier, err := oauth1.ParseAuthorizationResponse(srv.Authorize(t, authURL))
		if err != nil {
			t.Fatal(err)
		}
		at, err := cfg.AccessToken(ctx, rt, verifier)
		if err != nil {
			t.Fatal(err)
		}
		if at.Extra("user_id") != UserID || at.Extra("screen_name") != ScreenName {
			t.Errorf("%s: access token extras %v, want user_id %s, screen_name %s", cfg.ConsumerKey, at.Extras(), UserID, ScreenName)
		}
	}
	if ConsumerSecret != ConsumerKey+"-secret" || !containsString(fakeprovider.OAuth1DefaultConsumers, ConsumerKey) ||
		!containsString(fakeprovider.OAuth1DefaultConsumers, RSAConsumerKey) {
		t.Errorf("%s/%s and %s are not among the default consumers %v", ConsumerKey, ConsumerSecret, RSAConsumerKey, fakeprovider.OAuth1DefaultConsumers)
	}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
