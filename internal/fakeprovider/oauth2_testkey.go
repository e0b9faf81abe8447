package fakeprovider

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
)

// OAuth2TestKey is the P-256 private key of the default "pkjwt-client":
// sign its private_key_jwt assertions (ES256) with it. It is fixed, so runs
// are reproducible, and public: never use it outside tests and demos.
var OAuth2TestKey = mustParseOAuth2TestKey()

// oauth2TestKeyPEM was generated once with
// openssl ecparam -name prime256v1 -genkey | openssl pkcs8 -topk8 -nocrypt.
const oauth2TestKeyPEM = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgxibYVHJxmaz+/PZf
BaeBC8qBZjnqmE9iWKN27SQjRk2hRANCAAQVHK08dtAw5aSA+aTh2Ly7dmHX9ex/
NJA9Z1BB5ypunBd0xPnC+bLZyzEjqawY9Q5iDqH4BhEx/05LgRLI45fG
-----END PRIVATE KEY-----
`

func mustParseOAuth2TestKey() *ecdsa.PrivateKey {
	b, _ := pem.Decode([]byte(oauth2TestKeyPEM))
	if b == nil {
		panic("fakeprovider: OAuth2TestKey is not PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		panic("fakeprovider: parsing OAuth2TestKey: " + err.Error())
	}
	ec, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		panic("fakeprovider: OAuth2TestKey is not an ECDSA key")
	}
	return ec
}
