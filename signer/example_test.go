package signer_test

import (
	"encoding/base64"
	"fmt"

	"github.com/oauthkit/oauth/signer"
)

// The HMAC-SHA1 example of the oauth.net test cases (RFC 5849 §3.4.2): the
// key is "consumer secret & token secret", already percent-encoded.
func ExampleHMAC_Sign() {
	key := []byte("kd94hf93k423kf44&pfkkdhi9sl3r4s00")
	base := []byte("GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal")

	sig := signer.HMACSHA1.Sign(key, base)
	fmt.Println(base64.StdEncoding.EncodeToString(sig))
	fmt.Println(signer.HMACSHA1.Verify(key, base, sig))
	// Output:
	// tR3+Ty81lMeYAr/Fid0kMTYa/WM=
	// <nil>
}

// RFC 7515 Appendix A.1: an HS256 JWS over the exact header and payload
// bytes, with the key of the example. NewHMACJWS links no asymmetric
// cryptography into the program.
func ExampleSignCompact() {
	key, _ := base64.RawURLEncoding.DecodeString("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
	hs, err := signer.NewHMACJWS(signer.HS256, key)
	if err != nil {
		fmt.Println(err)
		return
	}
	header := []byte("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}")
	payload := []byte("{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}")
	token, err := signer.SignCompact(hs, header, payload)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(token)

	// An HMACJWS verifies too.
	_, got, err := signer.VerifyCompact(hs, token)
	fmt.Println(len(got) == len(payload), err)
	// Output:
	// eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk
	// true <nil>
}

// A token whose header names another algorithm is refused before its
// signature is looked at, so "none" can never get through.
func ExampleVerifyCompact_algorithmMismatch() {
	v, _ := signer.NewHMACJWS(signer.HS256, []byte("0123456789abcdef0123456789abcdef"))
	_, _, err := signer.VerifyCompact(v, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.")
	fmt.Println(err)
	// Output:
	// signer: jws algorithm mismatch: token alg "none", verifier alg "HS256"
}
