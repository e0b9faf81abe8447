package fakeprovider

// Test helpers that sign DPoP proofs, request objects and decode ID tokens
// with the standard library alone, apart from the code under test.

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testKey is a client key that signs JWS with one algorithm.
type testKey struct {
	alg  string
	priv crypto.Signer
	jwk  map[string]string // the public JWK, members as RFC 7518 §6 names them
}

func enc(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// newTestKey returns a fresh key for alg: ES256 (P-256), EdDSA (Ed25519),
// or RS256 and PS256 (the provider's fixed RSA key, to spare a key
// generation).
func newTestKey(t testing.TB, alg string) *testKey {
	t.Helper()
	switch alg {
	case "ES256":
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := k.PublicKey.ECDH()
		if err != nil {
			t.Fatal(err)
		}
		pt := pub.Bytes() // 0x04 || x || y
		return &testKey{alg: alg, priv: k, jwk: map[string]string{"kty": "EC", "crv": "P-256", "x": enc(pt[1:33]), "y": enc(pt[33:])}}
	case "EdDSA":
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return &testKey{alg: alg, priv: priv, jwk: map[string]string{"kty": "OKP", "crv": "Ed25519", "x": enc(pub)}}
	case "RS256", "PS256":
		k := oidcFixedKeys.rsa
		return &testKey{alg: alg, priv: k, jwk: map[string]string{"kty": "RSA", "n": enc(k.N.Bytes()), "e": enc(big.NewInt(int64(k.E)).Bytes())}}
	}
	t.Fatalf("newTestKey: unknown alg %q", alg)
	return nil
}

// sign returns the compact JWS of header and claims (RFC 7515 §7.1).
func (k *testKey) sign(t testing.TB, header, claims map[string]any) string {
	t.Helper()
	hb, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	input := enc(hb) + "." + enc(cb)
	digest := sha256.Sum256([]byte(input))
	var sig []byte
	switch p := k.priv.(type) {
	case *ecdsa.PrivateKey:
		r, s, err := ecdsa.Sign(rand.Reader, p, digest[:])
		if err != nil {
			t.Fatal(err)
		}
		sig = make([]byte, 64)
		r.FillBytes(sig[:32])
		s.FillBytes(sig[32:])
	case ed25519.PrivateKey:
		sig = ed25519.Sign(p, []byte(input))
	case *rsa.PrivateKey:
		if k.alg == "PS256" {
			sig, err = rsa.SignPSS(rand.Reader, p, crypto.SHA256, digest[:], &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		} else {
			sig, err = rsa.SignPKCS1v15(rand.Reader, p, crypto.SHA256, digest[:])
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return input + "." + enc(sig)
}

// thumbprint is the key's RFC 7638 §3 thumbprint, computed here.
func (k *testKey) thumbprint() string {
	var members []string
	switch k.jwk["kty"] {
	case "EC":
		members = []string{"crv", "kty", "x", "y"}
	case "OKP":
		members = []string{"crv", "kty", "x"}
	case "RSA":
		members = []string{"e", "kty", "n"}
	}
	var parts []string
	for _, m := range members {
		parts = append(parts, strconv.Quote(m)+":"+strconv.Quote(k.jwk[m]))
	}
	sum := sha256.Sum256([]byte("{" + strings.Join(parts, ",") + "}"))
	return enc(sum[:])
}

var proofCounter atomic.Int64

// proof returns a DPoP proof (RFC 9449 §4.2) for method and uri, bound to
// accessToken when it is not "", with nonce when it is not "". edit, if
// not nil, may change the header and claims before signing.
func (k *testKey) proof(t testing.TB, method, uri, accessToken, nonce string, edit func(h, c map[string]any)) string {
	t.Helper()
	jwk := make(map[string]any, len(k.jwk))
	for m, v := range k.jwk {
		jwk[m] = v
	}
	h := map[string]any{"typ": "dpop+jwt", "alg": k.alg, "jwk": jwk}
	c := map[string]any{
		"jti": "proof-" + strconv.FormatInt(proofCounter.Add(1), 10) + "-" + enc(randomBytes(t, 12)),
		"htm": method,
		"htu": uri,
		"iat": time.Now().Unix(),
	}
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		c["ath"] = enc(sum[:])
	}
	if nonce != "" {
		c["nonce"] = nonce
	}
	if edit != nil {
		edit(h, c)
	}
	return k.sign(t, h, c)
}

func sha256Sum(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

func randomBytes(t testing.TB, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeJWT returns the decoded header and claims of a compact JWS without
// checking its signature.
func decodeJWT(t testing.TB, tok string) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("JWT %q has %d parts, want 3", tok, len(parts))
	}
	for i, v := range []*map[string]any{&header, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatalf("JWT part %d: %v", i, err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("JWT part %d: %v", i, err)
		}
	}
	return header, claims
}

// resourceGet calls path with Authorization: scheme token and, if proof is
// not "", a DPoP header.
func resourceGet(t testing.TB, s *Server, path, scheme, token, proof string) o2Resp {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", scheme+" "+token)
	}
	if proof != "" {
		req.Header.Set("DPoP", proof)
	}
	return o2Do(t, s.Client(), req)
}

// joseVectors is testdata/jose.json.
type joseVectors struct {
	RFC7638 struct {
		JWK        map[string]string `json:"jwk"`
		Thumbprint string            `json:"thumbprint"`
	} `json:"rfc7638_3_1"`
	RFC9449 struct {
		JKT     string `json:"jkt"`
		Vectors []struct {
			ID          string   `json:"id"`
			Method      string   `json:"method"`
			URI         string   `json:"uri"`
			IAT         int64    `json:"iat"`
			AccessToken string   `json:"access_token"`
			ATH         string   `json:"ath"`
			Lines       []string `json:"lines"`
		} `json:"vectors"`
	} `json:"rfc9449_proofs"`
	RFC3986 struct {
		Examples []struct {
			Input  string `json:"input"`
			Output string `json:"output"`
		} `json:"examples"`
	} `json:"rfc3986_5_2_4"`
}

func loadJOSEVectors(t testing.TB) *joseVectors {
	t.Helper()
	b, err := os.ReadFile("testdata/jose.json")
	if err != nil {
		t.Fatal(err)
	}
	var v joseVectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

// unwrapRFC8792 joins lines wrapped with "\" as RFC 8792 §7 does: a
// backslash ends a wrapped line and the next line's leading spaces go.
func unwrapRFC8792(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(strings.TrimSuffix(strings.TrimLeft(l, " "), `\`))
	}
	return b.String()
}
