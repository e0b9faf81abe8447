package oauth1test_test

// This file is what a program's own tests look like: the code under test
// (Link, a command that links a user's account with the PIN flow, and
// Status, which calls the API) and its tests against oauth1test, with
// nothing but the public packages. A fresh module writes the same.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/oauthkit/oauth/oauth1"
	"github.com/oauthkit/oauth/oauth1/oauth1test"
)

// Link is the code under test: it links the user's account with the PIN
// flow, asking askPIN to show the URL and read the PIN the user types.
func Link(ctx context.Context, cfg *oauth1.Config, askPIN func(authURL string) (string, error)) (*oauth1.Token, error) {
	rt, err := cfg.RequestToken(ctx)
	if err != nil {
		return nil, err
	}
	authURL, err := cfg.AuthorizationURL(rt, nil)
	if err != nil {
		return nil, err
	}
	pin, err := askPIN(authURL)
	if err != nil {
		return nil, err
	}
	return cfg.AccessToken(ctx, rt, pin)
}

// Status posts a status update with the user's token and returns the
// name of the consumer the API saw.
func Status(ctx context.Context, cfg *oauth1.Config, tok *oauth1.Token, apiURL, text string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, apiURL+"?status="+url.QueryEscape(text), nil)
	if err != nil {
		return "", err
	}
	resp, err := cfg.Client(tok).Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("status: the API answered %s", resp.Status)
	}
	var seen struct {
		ConsumerKey string `json:"consumer_key"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&seen); err != nil {
		return "", err
	}
	return seen.ConsumerKey, nil
}

func newConfig(srv *oauth1test.Server) *oauth1.Config {
	return &oauth1.Config{
		ConsumerKey:    oauth1test.ConsumerKey,
		ConsumerSecret: oauth1test.ConsumerSecret,
		CallbackURL:    "oob",
		Endpoint:       srv.Endpoint(),
	}
}

func TestLinkAndPost(t *testing.T) {
	srv := oauth1test.NewServer(t)
	cfg := newConfig(srv)
	ctx := context.Background()
	tok, err := Link(ctx, cfg, func(authURL string) (string, error) {
		return srv.AuthorizePIN(t, authURL), nil // the user reads the PIN
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.Extra("screen_name"); got != oauth1test.ScreenName {
		t.Errorf("linked %q, want %q", got, oauth1test.ScreenName)
	}
	got, err := Status(ctx, cfg, tok, srv.ResourceURL(), "hello")
	if err != nil {
		t.Fatal(err)
	}
	if got != oauth1test.ConsumerKey {
		t.Errorf("the API saw consumer %q, want %q", got, oauth1test.ConsumerKey)
	}
	if n := srv.Counters.Resources.Load(); n != 1 {
		t.Errorf("the API served %d requests, want 1", n)
	}
}

func TestLinkWrongPIN(t *testing.T) {
	srv := oauth1test.NewServer(t)
	_, err := Link(context.Background(), newConfig(srv), func(authURL string) (string, error) {
		srv.AuthorizePIN(t, authURL)
		return "not-the-pin", nil
	})
	if err == nil {
		t.Fatal("linked with a wrong PIN")
	}
	if n := srv.Counters.AccessTokens.Load(); n != 0 {
		t.Errorf("%d access tokens issued for a wrong PIN, want 0", n)
	}
}

func TestLinkCancelled(t *testing.T) {
	srv := oauth1test.NewServer(t)
	cancelled := errors.New("the user gave up")
	_, err := Link(context.Background(), newConfig(srv), func(string) (string, error) { return "", cancelled })
	if !errors.Is(err, cancelled) {
		t.Errorf("err = %v, want the user's", err)
	}
}

// A token the API does not know is refused.
func TestStatusUnknownToken(t *testing.T) {
	srv := oauth1test.NewServer(t)
	_, err := Status(context.Background(), newConfig(srv), &oauth1.Token{Token: "forged", Secret: "x"}, srv.ResourceURL(), "hi")
	if err == nil {
		t.Fatal("a forged token was accepted")
	}
	if n := srv.Counters.Rejected.Load(); n != 1 {
		t.Errorf("%d requests rejected, want 1", n)
	}
}
