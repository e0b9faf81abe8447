package jose_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/signer"
	"github.com/oauthkit/oauth/signer/jose"
)

// TestMarshalPrivatePublishedKeys reads each published private JWK (RFC
// 7520 §3.2, §3.4, §3.5; RFC 8037 A.1) and checks that MarshalPrivate
// writes it back member for member, byte for byte: the values the RFCs
// print, not ones this package computed.
func TestMarshalPrivatePublishedKeys(t *testing.T) {
	n := 0
	for _, v := range loadJWKVectors(t) {
		if !v.Private {
			continue
		}
		n++
		t.Run(v.Name, func(t *testing.T) {
			k, err := jose.ParsePrivateJWK(v.JWK)
			if err != nil {
				t.Fatal(err)
			}
			got, err := k.MarshalPrivate()
			if err != nil {
				t.Fatalf("MarshalPrivate: %v", err)
			}
			var want, gotMembers map[string]any
			if err := json.Unmarshal(v.JWK, &want); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(got, &gotMembers); err != nil {
				t.Fatalf("MarshalPrivate wrote invalid JSON: %v", err)
			}
			if diff := cmp.Diff(want, gotMembers); diff != "" {
				t.Errorf("MarshalPrivate members mismatch (-want +got):\n%s", diff)
			}
			if strings.ContainsAny(string(got), " \n\t") {
				t.Errorf("MarshalPrivate wrote whitespace: %s", got)
			}
			// What it writes parses back to the same key.
			back, err := jose.ParsePrivateJWK(got)
			if err != nil {
				t.Fatalf("ParsePrivateJWK(MarshalPrivate()): %v", err)
			}
			if !isSecret(k.Key) && !keyEqual(publicOf(t, k.Key), publicOf(t, back.Key)) {
				t.Error("round trip changed the key")
			}
		})
	}
	if n != 4 {
		t.Fatalf("tested %d private vectors, want 4", n)
	}
}

func isSecret(k any) bool { _, ok := k.([]byte); return ok }

// TestMarshalPrivateGenerated round-trips fresh keys of every type through
// MarshalPrivate and ParsePrivateJWK, in lexicographic member order, and
// checks that an RSA key's CRT values are written without the caller's key
// being modified.
func TestMarshalPrivateGenerated(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	bare := &rsa.PrivateKey{PublicKey: rk.PublicKey, D: rk.D, Primes: rk.Primes} // no Precomputed values
	tests := []struct {
		name    string
		jwk     jose.JWK
		members []string
	}{
		{"EC P-384", jose.JWK{Key: ec, Algorithm: jose.ES384, KeyID: "k1"}, []string{"alg", "crv", "d", "kid", "kty", "x", "y"}},
		{"Ed25519", jose.JWK{Key: ed, Use: "sig"}, []string{"crv", "d", "kty", "use", "x"}},
		{"RSA", jose.JWK{Key: rk, KeyOps: []string{"sign"}}, []string{"d", "dp", "dq", "e", "key_ops", "kty", "n", "p", "q", "qi"}},
		{"RSA without precomputed values", jose.JWK{Key: bare}, []string{"d", "dp", "dq", "e", "kty", "n", "p", "q", "qi"}},
		{"secret", jose.JWK{Key: []byte("0123456789abcdef"), Algorithm: jose.HS256}, []string{"alg", "k", "kty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.jwk.MarshalPrivate()
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			dec := json.NewDecoder(strings.NewReader(string(b)))
			dec.Token() // {
			for dec.More() {
				name, _ := dec.Token()
				names = append(names, name.(string))
				var skip json.RawMessage
				dec.Decode(&skip)
			}
			if diff := cmp.Diff(tt.members, names); diff != "" {
				t.Errorf("members mismatch (-want +got):\n%s", diff)
			}
			back, err := jose.ParsePrivateJWK(b)
			if err != nil {
				t.Fatalf("ParsePrivateJWK: %v", err)
			}
			if s, ok := tt.jwk.Key.([]byte); ok {
				if string(back.Key.([]byte)) != string(s) {
					t.Error("secret changed in the round trip")
				}
				return
			}
			if !keyEqual(publicOf(t, tt.jwk.Key), publicOf(t, back.Key)) {
				t.Error("public key changed in the round trip")
			}
			if e, ok := back.Key.(interface{ Equal(any) bool }); ok && !e.Equal(tt.jwk.Key) {
				// ParsePrivateJWK precomputes; compare the private values.
				if r, ok := tt.jwk.Key.(*rsa.PrivateKey); !ok || r.D.Cmp(back.Key.(*rsa.PrivateKey).D) != 0 {
					t.Error("private key changed in the round trip")
				}
			}
		})
	}
	if bare.Precomputed.Dp != nil {
		t.Error("MarshalPrivate modified the caller's rsa.PrivateKey")
	}
}

// TestMarshalPrivateRefused: keys that cannot be written as a private JWK
// give typed errors, with no key material in the message.
func TestMarshalPrivateRefused(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, small, _ := ed25519.GenerateKey(rand.Reader)
	threePrimes := &rsa.PrivateKey{D: big.NewInt(3), Primes: []*big.Int{big.NewInt(5), big.NewInt(7), big.NewInt(11)}}
	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		jwk  jose.JWK
		want error
	}{
		{"public key", jose.JWK{Key: &ec.PublicKey}, signer.ErrWrongKeyType},
		{"nil", jose.JWK{}, signer.ErrWrongKeyType},
		{"nil ecdsa", jose.JWK{Key: (*ecdsa.PrivateKey)(nil)}, signer.ErrWrongKeyType},
		{"ecdsa without d", jose.JWK{Key: &ecdsa.PrivateKey{PublicKey: ec.PublicKey}}, signer.ErrWrongKeyType},
		{"ecdsa d too large", jose.JWK{Key: &ecdsa.PrivateKey{PublicKey: ec.PublicKey, D: new(big.Int).Lsh(big.NewInt(1), 300)}}, signer.ErrWrongKeyType},
		{"P-224", jose.JWK{Key: p224}, signer.ErrWrongKeyType},
		{"short ed25519", jose.JWK{Key: small[:40]}, signer.ErrWrongKeyType},
		{"three primes", jose.JWK{Key: threePrimes}, signer.ErrWrongKeyType},
		{"empty secret", jose.JWK{Key: []byte{}}, signer.ErrWrongKeyType},
		{"crypto.Signer of another type", jose.JWK{Key: &opaqueSigner{s: ec}}, signer.ErrWrongKeyType},
		{"alg of another key type", jose.JWK{Key: ec, Algorithm: jose.EdDSA}, jose.ErrMalformedJWK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.jwk.MarshalPrivate()
			if !errors.Is(err, tt.want) {
				t.Fatalf("MarshalPrivate() = %s, %v; want an error wrapping %v", b, err, tt.want)
			}
			if b != nil {
				t.Errorf("MarshalPrivate returned %d bytes with its error", len(b))
			}
		})
	}
}
