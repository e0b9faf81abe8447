// Command session makes one request through an OAuth 2 session, the way
// most programs use package oauth2. The link-cost test builds it and
// checks that no asymmetric JWS code, no JWK code and none of
// encoding/json's encoders and decoders is in the binary: only
// Config.Signer, which this program leaves nil, may bring the first two
// in, and only a call of encoding/json the last.
package main

import (
	"os"

	"github.com/oauthkit/oauth/oauth2"
)

func main() {
	cfg := &oauth2.Config{ClientID: "id", ClientSecret: "secret",
		Endpoint: oauth2.Endpoint{TokenURL: "https://auth.example/token"}}
	resp, err := cfg.NewSession(&oauth2.Token{AccessToken: "at", RefreshToken: "rt"}).Client().Get(os.Args[0])
	if err == nil {
		resp.Body.Close()
	}
}
