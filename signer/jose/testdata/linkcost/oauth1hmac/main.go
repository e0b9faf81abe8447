// Command oauth1hmac signs one OAuth 1 base string with HMAC-SHA1, using
// package signer alone. The link-cost test builds it and checks that no code
// of package jose is in the binary and that it depends on neither
// encoding/json nor log/slog.
package main

import (
	"encoding/base64"
	"os"

	"github.com/oauthkit/oauth/signer"
)

func main() {
	sig := signer.HMACSHA1.Sign([]byte("consumer&token"), []byte("GET&http%3A%2F%2Fexample.com&a%3D1"))
	os.Stdout.WriteString(base64.StdEncoding.EncodeToString(sig) + "\n")
}
