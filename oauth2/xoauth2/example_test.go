package xoauth2_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/xoauth2"
	x "golang.org/x/oauth2"
)

// whoami reads the fake provider's protected resource answer: whose token
// authorized the request.
func whoami(resp *http.Response) string {
	defer resp.Body.Close()
	var e struct {
		ClientID string `json:"client_id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		return resp.Status + ": " + err.Error()
	}
	return resp.Status + " for client " + e.ClientID
}

// A Session goes to code written for golang.org/x/oauth2, which takes an
// x/oauth2 TokenSource: the session keeps refreshing the token, and the
// x/oauth2 client asks it for one when it needs one.
func Example() {
	srv := fakeprovider.NewServer() // setup: a local provider
	defer srv.Close()
	_, refresh := srv.OAuth2.IssueToken("basic-client", 0) // setup: a saved refresh token

	cfg := &oauth2.Config{
		ClientID:     "basic-client",
		ClientSecret: "basic-secret",
		Endpoint:     oauth2.Endpoint{TokenURL: srv.URL + fakeprovider.OAuth2TokenPath},
	}
	s := cfg.NewSession(&oauth2.Token{RefreshToken: refresh}) // refreshed at first use

	// Code written for golang.org/x/oauth2:
	ctx := context.Background()
	client := x.NewClient(ctx, xoauth2.ToTokenSource(ctx, s))
	resp, err := client.Get(srv.URL + fakeprovider.OAuth2ResourcePath)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(whoami(resp))
	fmt.Println("refreshes:", srv.OAuth2.Refreshes())
	// Output:
	// 200 OK for client basic-client
	// refreshes: 1
}

// Code written for golang.org/x/oauth2 that takes a token, as its
// Config.Client does, gets one converted by ToToken; from then on
// golang.org/x/oauth2 refreshes it.
func ExampleToToken() {
	srv := fakeprovider.NewServer() // setup: a local provider
	defer srv.Close()
	access, refresh := srv.OAuth2.IssueToken("basic-client", 0) // setup: a token obtained with oauthkit
	tok := &oauth2.Token{AccessToken: access, RefreshToken: refresh}

	// Code written for golang.org/x/oauth2:
	xcfg := &x.Config{
		ClientID:     "basic-client",
		ClientSecret: "basic-secret",
		Endpoint:     x.Endpoint{TokenURL: srv.URL + fakeprovider.OAuth2TokenPath},
	}
	client := xcfg.Client(context.Background(), xoauth2.ToToken(tok))
	resp, err := client.Get(srv.URL + fakeprovider.OAuth2ResourcePath)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(whoami(resp))
	// Output: 200 OK for client basic-client
}

// A golang.org/x/oauth2 TokenSource, such as the one Google's default
// credentials give, authorizes the requests of an oauthkit client.
func ExampleFromTokenSource() {
	srv := fakeprovider.NewServer() // setup: a local provider
	defer srv.Close()
	_, refresh := srv.OAuth2.IssueToken("basic-client", 0) // setup

	ctx := context.Background()
	xcfg := &x.Config{
		ClientID:     "basic-client",
		ClientSecret: "basic-secret",
		Endpoint:     x.Endpoint{TokenURL: srv.URL + fakeprovider.OAuth2TokenPath},
	}
	xsrc := xcfg.TokenSource(ctx, &x.Token{RefreshToken: refresh}) // e.g. google.DefaultTokenSource

	client := oauth2.NewClient(xoauth2.FromTokenSource(xsrc), nil)
	resp, err := client.Get(srv.URL + fakeprovider.OAuth2ResourcePath)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(whoami(resp))
	// Output: 200 OK for client basic-client
}
