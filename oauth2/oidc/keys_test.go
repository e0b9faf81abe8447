package oidc_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"sync"
	"testing"

	"github.com/oauthkit/oauth/signer/jose"
)

// testKeys are keys of every JWS algorithm family, generated once per
// test run.
type testKeys struct {
	rsa              *rsa.PrivateKey
	p256, p384, p521 *ecdsa.PrivateKey
	ed               ed25519.PrivateKey
}

var (
	keysOnce sync.Once
	keysVal  *testKeys
	keysErr  error
)

func keys(t testing.TB) *testKeys {
	t.Helper()
	keysOnce.Do(func() {
		k := &testKeys{}
		if k.rsa, keysErr = rsa.GenerateKey(rand.Reader, 2048); keysErr != nil {
			return
		}
		for _, c := range []struct {
			curve elliptic.Curve
			dst   **ecdsa.PrivateKey
		}{{elliptic.P256(), &k.p256}, {elliptic.P384(), &k.p384}, {elliptic.P521(), &k.p521}} {
			if *c.dst, keysErr = ecdsa.GenerateKey(c.curve, rand.Reader); keysErr != nil {
				return
			}
		}
		_, k.ed, keysErr = ed25519.GenerateKey(rand.Reader)
		keysVal = k
	})
	if keysErr != nil {
		t.Fatal(keysErr)
	}
	return keysVal
}

// key returns the private key for alg.
func (k *testKeys) key(alg string) crypto.Signer {
	switch alg[:2] {
	case "RS", "PS":
		return k.rsa
	case "Ed":
		return k.ed
	}
	switch alg {
	case jose.ES256:
		return k.p256
	case jose.ES384:
		return k.p384
	}
	return k.p521
}

// publicKeys returns every public key.
func (k *testKeys) publicKeys() []crypto.PublicKey {
	return []crypto.PublicKey{k.rsa.Public(), k.p256.Public(), k.p384.Public(), k.p521.Public(), k.ed.Public()}
}

// mint returns a compact JWS of claims with header, signed by s; with a
// noneSigner, an unsecured JWS.
func mint(t testing.TB, s jose.Signer, header, claims map[string]any) string {
	t.Helper()
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	c, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(noneSigner); ok {
		return mintRaw(t, nil, string(h), string(c))
	}
	tok, err := jose.SignCompact(s, h, c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// mintRaw returns a compact JWS of the raw header and payload, signed by
// s, or with an empty signature when s is nil.
func mintRaw(t testing.TB, s jose.Signer, header, payload string) string {
	t.Helper()
	enc := base64.RawURLEncoding.EncodeToString
	input := enc([]byte(header)) + "." + enc([]byte(payload))
	if s == nil {
		return input + "."
	}
	sig, err := s.Sign([]byte(input))
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + enc(sig)
}

// signerFor returns a signer for alg with k's key, or with secret for HMAC.
func signerFor(t testing.TB, k *testKeys, alg string, secret []byte) jose.Signer {
	t.Helper()
	var s jose.Signer
	var err error
	if alg[0] == 'H' {
		s, err = jose.NewHMAC(alg, secret)
	} else {
		s, err = jose.NewSigner(alg, k.key(alg))
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// mintPayload returns the base64url JSON of claims.
func mintPayload(t testing.TB, claims map[string]any) string {
	t.Helper()
	c, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(c)
}
