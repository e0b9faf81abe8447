// Command oauth1client makes one GET signed with OAuth 1 HMAC-SHA1 through
// oauth1.Config.Client, as a program that only speaks OAuth 1 does. The
// link-cost test builds it and checks that it links no JWS or JWK code and
// depends on neither encoding/json nor log/slog.
package main

import (
	"os"

	"github.com/oauthkit/oauth/oauth1"
)

func main() {
	if len(os.Args) < 2 {
		os.Exit(2)
	}
	cfg := &oauth1.Config{ConsumerKey: "key", ConsumerSecret: "secret"}
	resp, err := cfg.Client(&oauth1.Token{Token: "token", Secret: "token secret"}).Get(os.Args[1])
	if err != nil {
		os.Exit(1)
	}
	resp.Body.Close()
}
