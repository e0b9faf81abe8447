package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth1"
)

// oauth1 runs the three-legged dance once in detail, then every signature
// method in every placement, each with the dance, a GET with repeated query
// keys and a POST with a form body, all verified by the provider.
func (d *demo) oauth1(ctx context.Context) {
	d.section("OAuth 1.0a (RFC 5849): the three-legged flow, HMAC-SHA1 in the Authorization header")
	cfg := d.oauth1Config("hmac-sha1", oauth1.HMACSHA1, oauth1.InHeader)

	var rt, at *oauth1.Token
	var verifier string
	if !d.step("request temporary credentials (POST /oauth1/request_token, oauth_callback signed)", func() (res string, err error) {
		rt, err = cfg.RequestToken(ctx)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("request token %s, callback confirmed; the token secret stays here: %v", short(rt.Token), rt), nil
	}) {
		return
	}
	if !d.step("send the user to the provider; it approves and redirects to the callback", func() (string, error) {
		authURL, err := cfg.AuthorizationURL(rt, nil)
		if err != nil {
			return "", err
		}
		d.printf("authorize: %s?oauth_token=%s", strings.SplitN(authURL, "?", 2)[0], short(rt.Token))
		callback, err := d.follow(authURL)
		if err != nil {
			return "", err
		}
		tok, v, err := oauth1.ParseAuthorizationResponse(callback)
		if err != nil {
			return "", err
		}
		if tok != rt.Token {
			return "", fmt.Errorf("callback carries token %s, want the request token", short(tok))
		}
		verifier = v
		return "callback: https://app.example/callback?oauth_token=…&oauth_verifier=" + short(v), nil
	}) {
		return
	}
	if !d.step("exchange for token credentials (POST /oauth1/access_token, oauth_verifier signed)", func() (res string, err error) {
		at, err = cfg.AccessToken(ctx, rt, verifier)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("access token %s for screen_name=%s user_id=%s", short(at.Token), at.Extra("screen_name"), at.Extra("user_id")), nil
	}) {
		return
	}
	d.step("a signed API call through cfg.Client(token)", func() (string, error) {
		req, err := http.NewRequestWithContext(ctx, "GET", d.srv.URL+"/oauth1/resource?tag=go&tag=oauth", nil)
		if err != nil {
			return "", err
		}
		signed := req.Clone(ctx)
		if err := cfg.Sign(signed, at); err != nil {
			return "", err
		}
		d.printf("Authorization: %s", redactHeader(signed.Header.Get("Authorization")))
		echo, err := d.oauth1Call(cfg.Client(at), req)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("provider verified %s in the %s, parameters %v", echo.Signature, echo.Placement, echo.Params), nil
	})

	d.section("OAuth 1.0a: every signature method in every placement (dance + GET + POST, each verified)")
	methods := []struct {
		consumer string
		method   oauth1.SignatureMethod
	}{
		{"hmac-sha1", oauth1.HMACSHA1},
		{"hmac-sha256", oauth1.HMACSHA256},
		{"hmac-sha512", oauth1.HMACSHA512},
		{"rsa-sha1", oauth1.RSASHA1(fakeprovider.OAuth1RSAPrivateKey())},
		{"rsa-sha256", oauth1.RSASHA256(fakeprovider.OAuth1RSAPrivateKey())},
		{"rsa-sha512", oauth1.RSASHA512(fakeprovider.OAuth1RSAPrivateKey())},
		{"plaintext", oauth1.Plaintext},
	}
	placements := []oauth1.Placement{oauth1.InHeader, oauth1.InQuery, oauth1.InFormBody}
	fmt.Fprintf(d.out, "   %-12s %-12s %-6s %-6s %s\n", "method", "placement", "dance", "GET", "POST")
	for _, m := range methods {
		for _, p := range placements {
			d.oauth1Row(ctx, m.consumer, m.method, p)
		}
	}
}

// oauth1Row runs one method x placement combination as one step and prints
// a table row.
func (d *demo) oauth1Row(ctx context.Context, consumer string, m oauth1.SignatureMethod, p oauth1.Placement) {
	d.steps++
	cfg := d.oauth1Config(consumer, m, p)
	cells := []string{"-", "-", "-"}
	var failure error
	defer func() {
		fmt.Fprintf(d.out, "   %-12s %-12s %-6s %-6s %s\n", m.Name(), p, cells[0], cells[1], cells[2])
		if failure != nil {
			d.failed++
			fmt.Fprintf(d.out, "   FAIL: %v\n", failure)
		}
	}()

	at, err := d.oauth1Dance(ctx, cfg)
	if err != nil {
		cells[0], failure = "FAIL", err
		return
	}
	cells[0] = "ok"
	client := cfg.Client(at)

	// A form-body placement needs a form body: a GET has none (n/a).
	if p != oauth1.InFormBody {
		req, err := http.NewRequestWithContext(ctx, "GET", d.srv.URL+"/oauth1/resource?tag=go&tag=oauth&empty=", nil)
		if err != nil {
			cells[1], failure = "FAIL", err
			return
		}
		echo, err := d.oauth1Call(client, req)
		if err == nil && !hasParams(echo, [2]string{"tag", "go"}, [2]string{"tag", "oauth"}, [2]string{"empty", ""}) {
			err = fmt.Errorf("provider saw %v", echo.Params)
		}
		if err != nil {
			cells[1], failure = "FAIL", err
			return
		}
		cells[1] = "ok"
	} else {
		cells[1] = "n/a"
	}

	req, err := http.NewRequestWithContext(ctx, "POST", d.srv.URL+"/oauth1/resource", strings.NewReader("status=Hello+Ladies+%2B+Gentlemen&tag=a&tag=b"))
	if err != nil {
		cells[2], failure = "FAIL", err
		return
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	echo, err := d.oauth1Call(client, req)
	if err == nil && !hasParams(echo, [2]string{"status", "Hello Ladies + Gentlemen"}, [2]string{"tag", "a"}, [2]string{"tag", "b"}) {
		err = fmt.Errorf("provider saw %v", echo.Params)
	}
	if err != nil {
		cells[2], failure = "FAIL", err
		return
	}
	cells[2] = "ok"
}

func (d *demo) oauth1Config(consumer string, m oauth1.SignatureMethod, p oauth1.Placement) *oauth1.Config {
	return &oauth1.Config{
		ConsumerKey:    consumer,
		ConsumerSecret: consumer + "-secret",
		CallbackURL:    "https://app.example/callback",
		Method:         m,
		Placement:      p,
		HTTPClient:     d.http,
		Endpoint: oauth1.Endpoint{
			RequestTokenURL: d.srv.URL + "/oauth1/request_token",
			AuthorizeURL:    d.srv.URL + "/oauth1/authorize",
			AccessTokenURL:  d.srv.URL + "/oauth1/access_token",
		},
	}
}

// oauth1Dance runs the three legs and returns the token credentials.
func (d *demo) oauth1Dance(ctx context.Context, cfg *oauth1.Config) (*oauth1.Token, error) {
	rt, err := cfg.RequestToken(ctx)
	if err != nil {
		return nil, err
	}
	authURL, err := cfg.AuthorizationURL(rt, nil)
	if err != nil {
		return nil, err
	}
	callback, err := d.follow(authURL)
	if err != nil {
		return nil, err
	}
	_, verifier, err := oauth1.ParseAuthorizationResponse(callback)
	if err != nil {
		return nil, err
	}
	return cfg.AccessToken(ctx, rt, verifier)
}

// oauth1Call sends req and decodes the provider's echo of what it verified.
func (d *demo) oauth1Call(client *http.Client, req *http.Request) (*fakeprovider.OAuth1Echo, error) {
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if err := oauth1.CheckResponse(resp); err != nil {
		return nil, err
	}
	var echo fakeprovider.OAuth1Echo
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&echo); err != nil {
		return nil, err
	}
	return &echo, nil
}

func hasParams(echo *fakeprovider.OAuth1Echo, want ...[2]string) bool {
	if len(echo.Params) != len(want) {
		return false
	}
	for i := range want {
		if echo.Params[i] != want[i] {
			return false
		}
	}
	return true
}

// follow plays the browser: it opens the authorization URL and returns the
// redirect the provider answers with, without following it.
func (d *demo) follow(authURL string) (string, error) {
	c := &http.Client{
		Transport:     d.http.Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := c.Get(authURL)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if loc == "" {
		return "", fmt.Errorf("authorization answered %s without a redirect", resp.Status)
	}
	return loc, nil
}
