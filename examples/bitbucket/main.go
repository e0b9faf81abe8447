// Command bitbucket runs the OAuth 1.0a flow against Bitbucket and makes
// one signed API call (GET /2.0/user).
//
// Credentials come from flags or the environment, never from the source:
//
//	export OAUTH1_CONSUMER_KEY=... OAUTH1_CONSUMER_SECRET=...
//	go run ./examples/bitbucket            # local callback server on 127.0.0.1:8080
//	go run ./examples/bitbucket -oob       # PIN flow: paste the verifier shown by Bitbucket
//
// With a callback server, register http://127.0.0.1:8080/callback as the
// callback URL of the OAuth consumer in the Bitbucket workspace settings.
// The flow itself is in examples/internal/oauth1cli.
package main

import (
	"github.com/oauthkit/oauth/examples/internal/oauth1cli"
	"github.com/oauthkit/oauth/oauth1"
)

func main() {
	oauth1cli.Program{
		Name:     "bitbucket",
		Endpoint: oauth1.Bitbucket,
		APIURL:   "https://api.bitbucket.org/2.0/user",
	}.Main()
}
