package jose_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/oauthkit/oauth/signer/jose"
)

// RFC 7515 Appendix A.1: an HS256 JWS over the exact header and payload
// bytes, with the key of the example. NewHMAC links no asymmetric
// cryptography into the program.
func ExampleSignCompact() {
	key, _ := base64.RawURLEncoding.DecodeString("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
	hs, err := jose.NewHMAC(jose.HS256, key)
	if err != nil {
		fmt.Println(err)
		return
	}
	header := []byte("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}")
	payload := []byte("{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}")
	token, err := jose.SignCompact(hs, header, payload)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(token)

	// An HMAC verifies too.
	_, got, err := jose.VerifyCompact(hs, token)
	fmt.Println(len(got) == len(payload), err)
	// Output:
	// eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk
	// true <nil>
}

// A token whose header names another algorithm is refused before its
// signature is looked at, so "none" can never get through.
func ExampleVerifyCompact_algorithmMismatch() {
	v, _ := jose.NewHMAC(jose.HS256, []byte("0123456789abcdef0123456789abcdef"))
	_, _, err := jose.VerifyCompact(v, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.")
	fmt.Println(err)
	// Output:
	// jose: algorithm mismatch: token alg "none", verifier alg "HS256"
}

// Verifying a token with a provider's JWK Set: find the key the token's
// "kid" names, then make a verifier for the algorithm expected for that
// key. The published keys and token are RFC 8037 Appendix A.2 and A.4.
func ExampleParseJWKSet() {
	set, err := jose.ParseJWKSet([]byte(`{"keys":[
		{"kty":"OKP","crv":"Ed25519","kid":"ed","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
		{"kty":"EC","crv":"secp256k1","kid":"k1","x":"...","y":"..."}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(set.Keys), "key;", len(set.Skipped), "skipped:", set.Skipped[0])
	for _, k := range set.Keys {
		if k.KeyID != "ed" {
			continue
		}
		v, err := k.Verifier(jose.EdDSA)
		if err != nil {
			fmt.Println(err)
			return
		}
		_, payload, err := jose.VerifyCompact(v, "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg")
		fmt.Printf("%s %v\n", payload, err)
	}
	// Output:
	// 1 key; 1 skipped: jose: unsupported jwk: keys[1]: ec curve "secp256k1"
	// Example of Ed25519 signing <nil>
}

// The public JWK of a signing key, as a DPoP proof carries it in its "jwk"
// header (RFC 9449 §4.2), and its RFC 7638 thumbprint, the "jkt" that binds
// tokens to the key. The key is that of RFC 8037 Appendix A.1.
func ExamplePublicJWK() {
	seed, _ := base64.RawURLEncoding.DecodeString("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")
	s, err := jose.NewEd25519Signer(ed25519.NewKeyFromSeed(seed))
	if err != nil {
		fmt.Println(err)
		return
	}
	jwk, err := jose.PublicJWK(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := json.Marshal(jwk)
	fmt.Println(string(b))
	jkt, _ := jwk.Thumbprint()
	fmt.Println(jkt)
	// Output:
	// {"crv":"Ed25519","kty":"OKP","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
	// kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k
}

// A private_key_jwt client assertion (RFC 7523 §2.2) signed with ES256, the
// public JWK the client registers with the server and its RFC 7638
// thumbprint (the unpadded base64url SHA-256 of the JWK printed above it),
// and the server's check. The key is that of RFC 7515 Appendix A.3; ECDSA
// signatures are randomized, so the assertion itself is not printed.
func Example_clientAssertion() {
	priv, err := jose.ParsePrivateJWK([]byte(`{"kty":"EC","crv":"P-256",
		"x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
		"y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
		"d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	key := priv.Key.(*ecdsa.PrivateKey) // or signer.ParsePrivateKeyPEM, or a KMS key

	s, err := jose.NewECDSASigner(jose.ES256, key)
	if err != nil {
		fmt.Println(err)
		return
	}
	header := []byte(`{"alg":"ES256","typ":"JWT","kid":"client-key-1"}`)
	claims := []byte(`{"iss":"client","sub":"client","aud":"https://as.example/token","jti":"4f1c2a","exp":1700000060}`)
	assertion, err := jose.SignCompact(s, header, claims)
	if err != nil {
		fmt.Println(err)
		return
	}

	jwk, err := jose.PublicJWK(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := json.Marshal(jwk)
	fmt.Println(string(b))
	jkt, _ := jwk.Thumbprint()
	fmt.Println(jkt)

	// The server verifies with the key registered for the client and the
	// algorithm it expects, then checks the claims.
	v, err := jwk.Verifier(jose.ES256)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, got, err := jose.VerifyCompact(v, assertion)
	fmt.Println(string(got), err)
	// Output:
	// {"crv":"P-256","kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}
	// oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U
	// {"iss":"client","sub":"client","aud":"https://as.example/token","jti":"4f1c2a","exp":1700000060} <nil>
}
