package oidc_test

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2/oidc"
	"github.com/oauthkit/oauth/signer/jose"
)

// TestVerifyRefusesLineBreaks checks that an ID token with a line break
// in it, which base64url never holds (RFC 7515 §2), is refused: a copy of
// a token with "\r\n" added is not the token the provider signed, though
// encoding/base64 skips the line break.
func TestVerifyRefusesLineBreaks(t *testing.T) {
	raw := mint(t, signerFor(t, keys(t), "ES256", nil), map[string]any{"alg": "ES256"}, unitClaims("ES256"))
	v := unitVerifier(t, oidc.Config{})
	if _, err := v.Verify(context.Background(), raw); err != nil {
		t.Fatalf("Verify(token) error = %v", err)
	}
	for _, tok := range []string{raw + "\n", raw + "\r\n", raw[:len(raw)-8] + "\n" + raw[len(raw)-8:]} {
		if got, err := v.Verify(context.Background(), tok); !errors.Is(err, oidc.ErrMalformedToken) || got != nil {
			t.Errorf("Verify(%q) = %v, %v; want ErrMalformedToken", tok[len(tok)-10:], got, err)
		}
	}
}

// discoveryServer serves an OpenID provider's discovery document, whose
// id_token_signing_alg_values_supported is algs, and a JWK Set of the test
// RSA and P-256 keys (kids "rsa" and "ec"); jwks counts the requests for
// the set.
func discoveryServer(t testing.TB, algs []string, jwks *atomic.Int32) *httptest.Server {
	t.Helper()
	k := keys(t)
	set := map[string]any{"keys": []*jose.JWK{jwkOf(t, k.rsa, "rsa"), jwkOf(t, k.p256, "ec")}}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			json.NewEncoder(w).Encode(map[string]any{
				"issuer": srv.URL, "authorization_endpoint": srv.URL + "/authorize", "token_endpoint": srv.URL + "/token",
				"jwks_uri": srv.URL + "/jwks", "response_types_supported": []string{"code"},
				"subject_types_supported": []string{"public"}, "id_token_signing_alg_values_supported": algs,
			})
		case "/jwks":
			jwks.Add(1)
			json.NewEncoder(w).Encode(set)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestProviderVerifierAdvertisedAlgs checks that a verifier from
// Provider.Verifier accepts only the algorithms the provider lists in
// id_token_signing_alg_values_supported (OpenID Connect Core 1.0
// §3.1.3.7 step 6 with Discovery §3): a token validly signed by a key of
// the provider's own JWK Set, with an algorithm the provider does not
// list, is refused before any key is looked up; "none" is never accepted,
// even when listed; and a list of nothing this package may use (HS256
// without a client secret) leaves the asymmetric algorithms, never
// HMAC keyed with a public key.
func TestProviderVerifierAdvertisedAlgs(t *testing.T) {
	k := keys(t)
	der, err := x509.MarshalPKIXPublicKey(k.rsa.Public())
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	tests := []struct {
		name     string
		listed   []string
		accepted []string // of RS256, ES256, none, HS256 (keyed with the RSA public key)
	}{
		{"RS256 only", []string{"RS256"}, []string{"RS256"}},
		{"ES256 and none", []string{"ES256", "none"}, []string{"ES256"}},
		{"HS256 only, no secret", []string{"HS256"}, []string{"RS256", "ES256"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var jwks atomic.Int32
			srv := discoveryServer(t, tt.listed, &jwks)
			p, err := oidc.NewProvider(context.Background(), srv.URL, nil)
			if err != nil {
				t.Fatal(err)
			}
			v := p.Verifier(&oidc.Config{ClientID: unitClient, Now: func() time.Time { return unitNow }})
			for _, alg := range []string{"RS256", "ES256", "none", "HS256"} {
				claims := unitClaims(alg)
				claims["iss"] = srv.URL
				var raw string
				switch alg {
				case "none":
					raw = mint(t, noneSigner{}, map[string]any{"alg": alg}, claims)
				case "HS256":
					raw = mint(t, signerFor(t, k, alg, pubPEM), map[string]any{"alg": alg, "kid": "rsa"}, claims)
				default:
					raw = mint(t, signerFor(t, k, alg, nil), map[string]any{"alg": alg, "kid": map[string]string{"RS256": "rsa", "ES256": "ec"}[alg]}, claims)
				}
				before := jwks.Load()
				got, err := v.Verify(context.Background(), raw)
				if contains(tt.accepted, alg) {
					if err != nil {
						t.Errorf("%s: Verify() error = %v, want the token", alg, err)
					}
					continue
				}
				if !errors.Is(err, oidc.ErrInvalidSignature) || !errors.Is(err, jose.ErrAlgorithmMismatch) || got != nil {
					t.Errorf("%s: Verify() = %v, %v; want ErrInvalidSignature and jose.ErrAlgorithmMismatch", alg, got, err)
				}
				if n := jwks.Load(); n != before {
					t.Errorf("%s: %d fetches of the jwk set for a token refused by its alg, want none", alg, n-before)
				}
			}
		})
	}
}

// TestRemoteKeySetUnusableKeys checks that a JWK Set's key with the
// token's kid is not used when the set says it may not be, or when it is
// not a key JWS may use (RFC 7517 §4.2-4.4, RFC 7518 §3.3, §6.2.1, RFC
// 8037 §2, RFC 8725 §3.1): such a token is refused with ErrUnknownKey
// whatever its signature; and all of them together make one refetch of
// the set, not one each.
func TestRemoteKeySetUnusableKeys(t *testing.T) {
	k := keys(t)
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	rsaMembers := func(pub *rsa.PublicKey) string {
		return `"kty":"RSA","n":"` + enc(pub.N.Bytes()) + `","e":"` + enc(big.NewInt(int64(pub.E)).Bytes()) + `"`
	}
	ecX, ecY := k.p256.X.FillBytes(make([]byte, 32)), k.p256.Y.FillBytes(make([]byte, 32))
	offCurve := append([]byte(nil), ecY...)
	offCurve[31] ^= 1
	edPub := k.ed.Public().(ed25519.PublicKey)
	jwks := []string{
		`{"kid":"use-enc","use":"enc",` + rsaMembers(&k.rsa.PublicKey) + `}`,
		`{"kid":"ops-sign","key_ops":["sign"],` + rsaMembers(&k.rsa.PublicKey) + `}`,
		`{"kid":"alg-ps256","alg":"PS256",` + rsaMembers(&k.rsa.PublicKey) + `}`,
		`{"kid":"rsa-1024",` + rsaMembers(&small.PublicKey) + `}`,
		`{"kid":"wrong-crv","kty":"EC","crv":"P-384","x":"` + enc(ecX) + `","y":"` + enc(ecY) + `"}`,
		`{"kid":"off-curve","kty":"EC","crv":"P-256","x":"` + enc(ecX) + `","y":"` + enc(offCurve) + `"}`,
		`{"kid":"ed-short","kty":"OKP","crv":"Ed25519","x":"` + enc(edPub[:31]) + `"}`,
		`{"kid":"ed-as-ec","kty":"EC","crv":"Ed25519","x":"` + enc(edPub) + `"}`,
	}
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Write([]byte(`{"keys":[` + strings.Join(jwks, ",") + `]}`))
	}))
	defer srv.Close()
	clk := newClock()
	ks := oidc.NewRemoteKeySet(srv.URL, &oidc.Options{Now: clk.Now})

	rs := signerFor(t, k, "RS256", nil)
	smallSigner := rsaSigner1024{small}
	tokens := map[string]string{
		"use-enc":   mint(t, rs, map[string]any{"alg": "RS256", "kid": "use-enc"}, map[string]any{}),
		"ops-sign":  mint(t, rs, map[string]any{"alg": "RS256", "kid": "ops-sign"}, map[string]any{}),
		"alg-ps256": mint(t, rs, map[string]any{"alg": "RS256", "kid": "alg-ps256"}, map[string]any{}),
		"rsa-1024":  mintRaw(t, smallSigner, `{"alg":"RS256","kid":"rsa-1024"}`, `{}`),
		"wrong-crv": mint(t, signerFor(t, k, "ES384", nil), map[string]any{"alg": "ES384", "kid": "wrong-crv"}, map[string]any{}),
		"off-curve": mint(t, signerFor(t, k, "ES256", nil), map[string]any{"alg": "ES256", "kid": "off-curve"}, map[string]any{}),
		"ed-short":  mint(t, signerFor(t, k, "EdDSA", nil), map[string]any{"alg": "EdDSA", "kid": "ed-short"}, map[string]any{}),
		"ed-as-ec":  mint(t, signerFor(t, k, "EdDSA", nil), map[string]any{"alg": "EdDSA", "kid": "ed-as-ec"}, map[string]any{}),
	}
	for kid, raw := range tokens {
		if payload, err := ks.VerifySignature(context.Background(), raw); !errors.Is(err, oidc.ErrUnknownKey) || payload != nil {
			t.Errorf("kid %s: VerifySignature() = %q, %v; want ErrUnknownKey", kid, payload, err)
		}
	}
	if got := requests.Load(); got != 2 {
		t.Errorf("%d fetches of the jwk set, want 2 (the first and one refetch)", got)
	}
}

// rsaSigner1024 signs RS256 with a key under 2048 bits, which package
// jose refuses to sign with.
type rsaSigner1024 struct{ key *rsa.PrivateKey }

func (rsaSigner1024) Alg() string { return "RS256" }
func (s rsaSigner1024) Sign(input []byte) ([]byte, error) {
	sum := sha256.Sum256(input)
	return rsa.SignPKCS1v15(nil, s.key, crypto.SHA256, sum[:])
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
