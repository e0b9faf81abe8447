// Command hmacjws signs one HS256 JWS the way client_secret_jwt does. The
// link-cost test builds it and checks that no asymmetric JWS code, and no
// JWK code, is in the binary.
package main

import (
	"os"

	"github.com/oauthkit/oauth/signer/jose"
)

func main() {
	s, err := jose.NewHMAC(jose.HS256, []byte("client secret"))
	if err != nil {
		os.Exit(1)
	}
	tok, err := jose.SignCompact(s, []byte(`{"alg":"HS256","typ":"JWT"}`), []byte(`{"iss":"client"}`))
	if err != nil {
		os.Exit(1)
	}
	os.Stdout.WriteString(tok + "\n")
}
