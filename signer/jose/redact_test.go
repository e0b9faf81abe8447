package jose_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/signer/jose"
)

// TestNoKeyInPrintedValues prints every JWS and JWK type with every fmt verb
// and through slog's JSON and text handlers and checks that no secret or
// private key shows.
func TestNoKeyInPrintedValues(t *testing.T) {
	jk := testJWSKeys(t)
	secret := []byte("HS256-CLIENT-SECRET-0123456789ab")
	// An HMAC secret as fmt prints a []byte ([72 83 ...]) and as text; a
	// private key as fmt prints its big.Int numbers, and its bytes in hex
	// and base64url (as a JWK holds them).
	secrets := []string{string(secret), strings.Trim(fmt.Sprint(secret[:8]), "[]"),
		jk.RSA.D.String()[:24], jk.RSA.Primes[0].String()[:24], jk.EC256.D.String()[:24], jk.EC521.D.String()[:24],
		strings.Trim(fmt.Sprint([]byte(jk.Ed25519[:8])), "[]"), fmt.Sprintf("%x", []byte(jk.Ed25519[:8])),
		base64.RawURLEncoding.EncodeToString(jk.RSA.D.Bytes())[:24], base64.RawURLEncoding.EncodeToString(jk.Ed25519.Seed())[:24]}

	mustSigner := func(alg string, key any) jose.Signer {
		s, err := jose.NewSigner(alg, key)
		if err != nil {
			t.Fatalf("NewSigner(%s): %v", alg, err)
		}
		return s
	}
	hs, err := jose.NewHMAC(jose.HS256, secret)
	if err != nil {
		t.Fatal(err)
	}
	rs, _ := jose.NewRSASigner(jose.RS256, jk.RSA)
	privJWK := func(key any) *jose.JWK { return &jose.JWK{Key: key, KeyID: "kid-1"} }
	octJWK, err := jose.ParsePrivateJWK([]byte(`{"kty":"oct","k":"` + base64.RawURLEncoding.EncodeToString(secret) + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	type holder struct{ S jose.HMAC }
	tests := []struct {
		name, alg string
		v         any
	}{
		{"*HMAC", "HS256", hs},
		{"HMAC", "HS256", *hs},
		{"struct holding an HMAC", "HS256", holder{*hs}},
		{"struct holding a Signer", "HS256", struct{ S jose.Signer }{hs}},
		{"*RSASigner", "RS256", rs},
		{"RSASigner", "RS256", *rs},
		{"PS384 signer", "PS384", mustSigner(jose.PS384, jk.RSA)},
		{"ES256 signer", "ES256", mustSigner(jose.ES256, jk.EC256)},
		{"ES512 signer", "ES512", mustSigner(jose.ES512, jk.EC521)},
		{"EdDSA signer", "EdDSA", mustSigner(jose.EdDSA, jk.Ed25519)},
		{"private RSA JWK", "RSA", privJWK(jk.RSA)},
		{"private EC JWK", "EC", *privJWK(jk.EC521)},
		{"private Ed25519 JWK", "OKP", privJWK(jk.Ed25519)},
		{"oct JWK", "oct", octJWK},
		{"oct JWK value", "oct", *octJWK},
		{"JWK set", "OKP", &jose.JWKSet{Keys: []*jose.JWK{privJWK(jk.Ed25519)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forms := map[string]string{}
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
				forms[verb] = fmt.Sprintf(verb, tt.v)
			}
			var jb, tb bytes.Buffer
			slog.New(slog.NewJSONHandler(&jb, nil)).Info("m", "v", tt.v)
			slog.New(slog.NewTextHandler(&tb, nil)).Info("m", "v", tt.v)
			forms["slog json"], forms["slog text"] = jb.String(), tb.String()
			if m, ok := tt.v.(json.Marshaler); ok {
				b, _ := m.MarshalJSON()
				forms["MarshalJSON"] = string(b)
			}
			for how, got := range forms {
				for _, s := range secrets {
					if strings.Contains(got, s) {
						t.Errorf("%s printed with %s shows a secret: %s", tt.name, how, got)
					}
				}
			}
			if !strings.Contains(forms["%v"], tt.alg) {
				t.Errorf("Sprintf(%%v) = %s, want it to name %s", forms["%v"], tt.alg)
			}
		})
	}
}
