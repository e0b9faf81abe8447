// Command twitter runs the OAuth 1.0a flow against X (Twitter) and makes
// one signed API call (GET /2/users/me).
//
// Credentials come from flags or the environment, never from the source:
//
//	export OAUTH1_CONSUMER_KEY=... OAUTH1_CONSUMER_SECRET=...
//	go run ./examples/twitter            # local callback server on 127.0.0.1:8080
//	go run ./examples/twitter -oob       # PIN flow: paste the PIN shown by X
//
// With a callback server, register http://127.0.0.1:8080/callback as a
// callback URL of the app in the X developer portal. The flow itself is in
// examples/internal/oauth1cli.
package main

import (
	"fmt"

	"github.com/oauthkit/oauth/examples/internal/oauth1cli"
	"github.com/oauthkit/oauth/oauth1"
)

func main() {
	oauth1cli.Program{
		Name:     "twitter",
		Endpoint: oauth1.TwitterAuthenticate,
		APIURL:   "https://api.twitter.com/2/users/me",
		Describe: func(tok *oauth1.Token) string {
			return fmt.Sprintf("@%s (user id %s)", tok.Extra("screen_name"), tok.Extra("user_id"))
		},
	}.Main()
}
