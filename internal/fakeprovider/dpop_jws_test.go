package fakeprovider

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha512"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestJWKThumbprintVector checks the RFC 7638 §3.1 thumbprint, and that
// optional members do not change it.
func TestJWKThumbprintVector(t *testing.T) {
	v := loadJOSEVectors(t)
	raw, _ := json.Marshal(v.RFC7638.JWK)
	k, err := parsePublicJWK(raw)
	if err != nil {
		t.Fatalf("parsePublicJWK: %v", err)
	}
	if k.thumbprint != v.RFC7638.Thumbprint {
		t.Errorf("thumbprint = %q, want %q", k.thumbprint, v.RFC7638.Thumbprint)
	}
	if _, ok := k.key.(*rsa.PublicKey); !ok {
		t.Errorf("key is %T, want *rsa.PublicKey", k.key)
	}
}

// TestDPoPVectors checks the proofs of RFC 9449 at the instant they were
// made, for the request they were made for: accepted, with the thumbprint
// of §6.1; and refused for another method, URI or access token.
func TestDPoPVectors(t *testing.T) {
	v := loadJOSEVectors(t)
	for _, tv := range v.RFC9449.Vectors {
		t.Run(tv.ID, func(t *testing.T) {
			proof := unwrapRFC8792(tv.Lines)
			check := func(method, uri, token string) (*dpopProof, *dpopError) {
				o := newOAuth2()
				o.Now = func() time.Time { return time.Unix(tv.IAT, 0) }
				r := httptest.NewRequest(method, uri, nil)
				r.Header.Set("DPoP", proof)
				return o.checkDPoP(r, token, false)
			}
			p, e := check(tv.Method, tv.URI, tv.AccessToken)
			if e != nil {
				t.Fatalf("checkDPoP: %s: %s", e.code, e.desc)
			}
			if p.jkt != v.RFC9449.JKT {
				t.Errorf("jkt = %q, want %q", p.jkt, v.RFC9449.JKT)
			}
			if tv.AccessToken != "" && atHashFull(tv.AccessToken) != tv.ATH {
				t.Errorf("ath of the vector token = %q, want %q", atHashFull(tv.AccessToken), tv.ATH)
			}
			other := "PUT"
			if _, e := check(other, tv.URI, tv.AccessToken); e == nil || e.code != "invalid_dpop_proof" {
				t.Errorf("other method: %v, want invalid_dpop_proof", e)
			}
			if _, e := check(tv.Method, tv.URI+"x", tv.AccessToken); e == nil || e.code != "invalid_dpop_proof" {
				t.Errorf("other URI: %v, want invalid_dpop_proof", e)
			}
			if _, e := check(tv.Method, tv.URI, "another-token"); e == nil || e.code != "invalid_dpop_proof" {
				t.Errorf("other access token: %v, want invalid_dpop_proof", e)
			}
			// The same URI spelt differently: RFC 9449 §4.3 normalization.
			alt := strings.Replace(tv.URI, ".com/", ".COM:443/", 1)
			alt = strings.Replace(alt, ".org/", ".ORG:443/", 1)
			if _, e := check(tv.Method, alt, tv.AccessToken); e != nil {
				t.Errorf("URI %q: %s, want accepted", alt, e.desc)
			}
		})
	}
}

// atHashFull is the ath of RFC 9449 §4.2, computed in the test.
func atHashFull(token string) string {
	sum := sha256Sum(token)
	return enc(sum)
}

// TestParsePublicJWK checks the kinds of key accepted and the refusals.
func TestParsePublicJWK(t *testing.T) {
	ec := newTestKey(t, "ES256").jwk
	ed := newTestKey(t, "EdDSA").jwk
	rs := newTestKey(t, "RS256").jwk
	with := func(base map[string]string, kv ...string) string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(m, kv[i])
			} else {
				m[kv[i]] = kv[i+1]
			}
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	// A point off the curve: x of the key, y of another.
	other := newTestKey(t, "ES256").jwk
	tests := []struct {
		name   string
		jwk    string
		wantOK bool
	}{
		{"EC P-256", with(ec), true},
		{"Ed25519", with(ed), true},
		{"RSA 2048", with(rs), true},
		{"EC with d", with(ec, "d", "AAAA"), false},
		{"RSA with p", with(rs, "p", "AAAA"), false},
		{"symmetric", `{"kty":"oct","k":"c2VjcmV0"}`, false},
		{"EC off the curve", with(ec, "y", other["y"]), false},
		{"EC short x", with(ec, "x", ec["x"][:40]), false},
		{"EC unknown curve", with(ec, "crv", "P-192"), false},
		{"EC no y", with(ec, "y", ""), false},
		{"OKP X25519", with(ed, "crv", "X25519"), false},
		{"OKP short", with(ed, "x", ed["x"][:20]), false},
		{"RSA small", with(rs, "n", "AQAB"), false},
		{"RSA leading zero", with(rs, "n", enc(append([]byte{0}, mustB64(t, rs["n"])...))), false},
		{"RSA even exponent", with(rs, "e", "AQAC"), false},
		{"padded base64", with(ec, "x", ec["x"]+"="), false},
		{"no kty", `{"crv":"P-256"}`, false},
		{"not an object", `["kty"]`, false},
		{"null", `null`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := parsePublicJWK(json.RawMessage(tt.jwk))
			if (err == nil) != tt.wantOK {
				t.Fatalf("parsePublicJWK(%s) error = %v, want ok = %v", tt.jwk, err, tt.wantOK)
			}
			if err != nil {
				return
			}
			switch k.key.(type) {
			case *ecdsa.PublicKey, ed25519.PublicKey, *rsa.PublicKey:
			default:
				t.Errorf("key type %T", k.key)
			}
		})
	}
}

func mustB64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := b64.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestVerifyJWSKeyFit checks that an algorithm is used only with its key.
func TestVerifyJWSKeyFit(t *testing.T) {
	es := newTestKey(t, "ES256")
	ed := newTestKey(t, "EdDSA")
	rs := newTestKey(t, "RS256")
	ps := newTestKey(t, "PS256")
	tests := []struct {
		name   string
		signer *testKey
		alg    string
		key    any
		wantOK bool
	}{
		{"ES256", es, "ES256", es.priv.Public(), true},
		{"EdDSA", ed, "EdDSA", ed.priv.Public(), true},
		{"RS256", rs, "RS256", rs.priv.Public(), true},
		{"PS256", ps, "PS256", ps.priv.Public(), true},
		{"PS256 signature as RS256", ps, "RS256", ps.priv.Public(), false},
		{"ES256 as ES384", es, "ES384", es.priv.Public(), false},
		{"ES256 with an RSA key", es, "ES256", rs.priv.Public(), false},
		{"EdDSA with an EC key", ed, "EdDSA", es.priv.Public(), false},
		{"HS256", es, "HS256", []byte("secret"), false},
		{"none", es, "none", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.signer.sign(t, map[string]any{"alg": tt.signer.alg}, map[string]any{"x": 1})
			j, err := parseJWS(tok)
			if err != nil {
				t.Fatal(err)
			}
			err = verifyJWS(tt.alg, tt.key, j.signingInput, j.sig)
			if (err == nil) != tt.wantOK {
				t.Errorf("verifyJWS(%s) = %v, want ok = %v", tt.alg, err, tt.wantOK)
			}
			if tt.wantOK {
				j.sig[0] ^= 1
				if verifyJWS(tt.alg, tt.key, j.signingInput, j.sig) == nil {
					t.Error("a changed signature verifies")
				}
			}
		})
	}
}

// TestVerifyJWSCurve checks that an ES384 signature made with a P-256 key
// is refused although the ECDSA arithmetic holds: ES384 means P-384.
func TestVerifyJWSCurve(t *testing.T) {
	k := newTestKey(t, "ES256").priv.(*ecdsa.PrivateKey)
	input := enc([]byte(`{"alg":"ES384"}`)) + "." + enc([]byte(`{}`))
	digest := sha512.Sum384([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, k, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	if !ecdsa.Verify(&k.PublicKey, digest[:], r, s) {
		t.Fatal("the signature does not verify as plain ECDSA")
	}
	if err := verifyJWS("ES384", &k.PublicKey, input, sig); err == nil {
		t.Error("verifyJWS accepted ES384 with a P-256 key")
	}
}

// TestParseJWS checks the compact serialization's refusals.
func TestParseJWS(t *testing.T) {
	h := enc([]byte(`{"alg":"ES256"}`))
	p := enc([]byte(`{}`))
	tests := []struct {
		name, in string
		wantOK   bool
	}{
		{"three parts", h + "." + p + ".c2ln", true},
		{"empty signature", h + "." + p + ".", true},
		{"two parts", h + "." + p, false},
		{"four parts", h + "." + p + ".c2ln.c2ln", false},
		{"padding", h + "." + p + ".c2lnbg==", false},
		{"standard alphabet", h + "." + p + ".c2/+", false},
		{"header not JSON", enc([]byte("alg")) + "." + p + ".", false},
		{"no alg", enc([]byte(`{"typ":"JWT"}`)) + "." + p + ".", false},
		{"crit", enc([]byte(`{"alg":"ES256","crit":["b64"],"b64":false}`)) + "." + p + ".", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseJWS(tt.in)
			if (err == nil) != tt.wantOK {
				t.Errorf("parseJWS(%q) = %v, want ok = %v", tt.in, err, tt.wantOK)
			}
		})
	}
}

// TestNormalizeHTU checks RFC 3986 §6.2.2 and §6.2.3 normalization.
func TestNormalizeHTU(t *testing.T) {
	tests := []struct {
		in, want string
		wantOK   bool
	}{
		{"https://server.example.com/token", "https://server.example.com/token", true},
		{"HTTPS://Server.Example.COM:443/token", "https://server.example.com/token", true},
		{"http://127.0.0.1:80/oauth2/token", "http://127.0.0.1/oauth2/token", true},
		{"http://127.0.0.1:8080/oauth2/token", "http://127.0.0.1:8080/oauth2/token", true},
		{"https://a.example:80/x", "https://a.example:80/x", true},
		{"http://[::1]:80/x", "http://[::1]/x", true},
		{"http://[::1]:8080/x", "http://[::1]:8080/x", true},
		{"https://a.example", "https://a.example/", true},
		{"https://a.example/%7euser/%2f", "https://a.example/~user/%2F", true},
		{"https://a.example/a/./b/../c", "https://a.example/a/c", true},
		{"https://a.example/token?x=1", "", false},
		{"https://a.example/token#f", "", false},
		{"https://user@a.example/token", "", false},
		{"ftp://a.example/token", "", false},
		{"/token", "", false},
		{"https:opaque", "", false},
	}
	for _, tt := range tests {
		got, ok := normalizeHTU(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("normalizeHTU(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
	for _, ex := range loadJOSEVectors(t).RFC3986.Examples {
		if got := removeDotSegments(ex.Input); got != ex.Output {
			t.Errorf("removeDotSegments(%q) = %q, want %q (RFC 3986 §5.2.4)", ex.Input, got, ex.Output)
		}
	}
}

// FuzzNormalizeHTU checks that normalization is idempotent and never
// accepts a query or fragment.
func FuzzNormalizeHTU(f *testing.F) {
	for _, s := range []string{"https://server.example.com/token", "HTTP://A.example:80/%7e/./../x", "http://[::1]:8080/a%2fb", "https://a.example/../..", "https://a/b?c#d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := normalizeHTU(s)
		if !ok {
			return
		}
		if strings.ContainsAny(n, "?#") {
			t.Fatalf("normalizeHTU(%q) = %q keeps a query or fragment", s, n)
		}
		if n2, ok := normalizeHTU(n); !ok || n2 != n {
			t.Fatalf("normalizeHTU(%q) = %q, but normalizing that gives %q, %v", s, n, n2, ok)
		}
	})
}

// FuzzDPoPProof feeds arbitrary DPoP headers to the proof check: no panic,
// and anything accepted has a thumbprint and was not accepted before.
func FuzzDPoPProof(f *testing.F) {
	v := loadJOSEVectors(f)
	for _, tv := range v.RFC9449.Vectors {
		f.Add(unwrapRFC8792(tv.Lines))
	}
	f.Add("a.b.c")
	f.Add(enc([]byte(`{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","crv":"P-256","x":"","y":""}}`)) + ".e30.")
	f.Fuzz(func(t *testing.T, proof string) {
		o := newOAuth2()
		o.Now = func() time.Time { return time.Unix(1562262616, 0) }
		r := httptest.NewRequest("POST", "https://server.example.com/token", nil)
		r.Header.Set("DPoP", proof)
		p, e := o.checkDPoP(r, "", false)
		if (p == nil) == (e == nil) {
			t.Fatalf("checkDPoP = %v, %v: want exactly one", p, e)
		}
		if p != nil {
			if len(p.jkt) != 43 {
				t.Fatalf("jkt %q is not a base64url SHA-256", p.jkt)
			}
			if p2, _ := o.checkDPoP(r, "", false); p2 != nil {
				t.Fatal("the same proof was accepted twice")
			}
		}
	})
}
