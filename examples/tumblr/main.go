// Command tumblr runs the OAuth 1.0a flow against Tumblr and makes one
// signed API call (GET /v2/user/info).
//
// Credentials come from flags or the environment, never from the source:
//
//	export OAUTH1_CONSUMER_KEY=... OAUTH1_CONSUMER_SECRET=...
//	go run ./examples/tumblr            # local callback server on 127.0.0.1:8080
//	go run ./examples/tumblr -oob       # PIN flow: paste the verifier shown by Tumblr
//
// With a callback server, register http://127.0.0.1:8080/callback as the
// default callback URL of the app at https://www.tumblr.com/oauth/apps.
// The flow itself is in examples/internal/oauth1cli.
package main

import (
	"github.com/oauthkit/oauth/examples/internal/oauth1cli"
	"github.com/oauthkit/oauth/oauth1"
)

func main() {
	oauth1cli.Program{
		Name:     "tumblr",
		Endpoint: oauth1.Tumblr,
		APIURL:   "https://api.tumblr.com/v2/user/info",
	}.Main()
}
