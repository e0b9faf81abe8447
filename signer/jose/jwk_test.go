package jose_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/signer"
	"github.com/oauthkit/oauth/signer/jose"
)

// jwkVector is one published key from testdata/jwk_rfc.json.
type jwkVector struct {
	Name       string          `json:"name"`
	JWK        json.RawMessage `json:"jwk"`
	Private    bool            `json:"private"`
	Public     string          `json:"public"`     // the name of the matching public key
	Canonical  string          `json:"canonical"`  // RFC 7638 §3.2 JSON, if published
	Thumbprint string          `json:"thumbprint"` // RFC 7638 thumbprint, if published
	ThumbHex   string          `json:"thumbprint_sha256_hex"`
}

func loadJWKVectors(tb testing.TB) []jwkVector {
	tb.Helper()
	data, err := os.ReadFile("testdata/jwk_rfc.json")
	if err != nil {
		tb.Fatal(err)
	}
	var file struct {
		Keys []jwkVector `json:"keys"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		tb.Fatal(err)
	}
	return file.Keys
}

// mustJSON marshals v.
func mustJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatalf("json.Marshal: %v", err)
	}
	return b
}

// jwkMust returns a function that fails tb on a parse error, so that
// jwkMust(t)(jose.ParseJWK(b)) is the parsed JWK.
func jwkMust(tb testing.TB) func(*jose.JWK, error) *jose.JWK {
	return func(k *jose.JWK, err error) *jose.JWK {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return k
	}
}

// jwkPublicKey builds the public key of a JWK with crypto/* directly,
// independently of the package's parser.
func jwkPublicKey(tb testing.TB, m map[string]string) crypto.PublicKey {
	tb.Helper()
	switch m["kty"] {
	case "RSA":
		return &rsa.PublicKey{N: b64Int(tb, m["n"]), E: int(b64Int(tb, m["e"]).Int64())}
	case "EC":
		c := map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}[m["crv"]]
		return &ecdsa.PublicKey{Curve: c, X: b64Int(tb, m["x"]), Y: b64Int(tb, m["y"])}
	case "OKP":
		return ed25519.PublicKey(b64Bytes(tb, m["x"]))
	}
	tb.Fatalf("kty %q", m["kty"])
	return nil
}

// publicOf returns the public key of a parsed JWK's Key.
func publicOf(tb testing.TB, key any) crypto.PublicKey {
	tb.Helper()
	if s, ok := key.(crypto.Signer); ok {
		return s.Public()
	}
	return key
}

func keyEqual(a, b crypto.PublicKey) bool {
	e, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && e.Equal(b)
}

// TestJWKPublishedKeys parses the keys of RFC 7520 §3, RFC 8037 A.1-A.2 and
// RFC 7638 §3.1, compares them with keys built directly from their members,
// and checks the published canonical JSON and thumbprints.
func TestJWKPublishedKeys(t *testing.T) {
	vectors := loadJWKVectors(t)
	if len(vectors) != 8 {
		t.Fatalf("got %d JWK vectors, want 8", len(vectors))
	}
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			var m map[string]string
			if err := json.Unmarshal(v.JWK, &m); err != nil {
				t.Fatal(err)
			}
			var k *jose.JWK
			var err error
			if v.Private {
				if k, err = jose.ParsePrivateJWK(v.JWK); err != nil {
					t.Fatalf("ParsePrivateJWK() = %v", err)
				}
				_, err := jose.ParseJWK(v.JWK)
				want := jose.ErrMalformedJWK // private members in a public JWK
				if m["kty"] == "oct" {
					want = jose.ErrUnsupportedJWK
				}
				if !errors.Is(err, want) {
					t.Errorf("ParseJWK(private key) error = %v, want %v", err, want)
				}
			} else {
				if k, err = jose.ParseJWK(v.JWK); err != nil {
					t.Fatalf("ParseJWK() = %v", err)
				}
				if _, err := jose.ParsePrivateJWK(v.JWK); !errors.Is(err, jose.ErrMalformedJWK) {
					t.Errorf("ParsePrivateJWK(public key) error = %v, want ErrMalformedJWK", err)
				}
			}
			got := struct{ Kty, KeyID, Algorithm, Use string }{k.Kty(), k.KeyID, k.Algorithm, k.Use}
			want := struct{ Kty, KeyID, Algorithm, Use string }{m["kty"], m["kid"], m["alg"], m["use"]}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("parsed members mismatch (-want +got):\n%s", diff)
			}
			gotMembers := map[string]string{}
			for name, raw := range k.Members() {
				var s string
				if err := json.Unmarshal(raw, &s); err != nil {
					t.Fatalf("member %s: %v", name, err)
				}
				gotMembers[name] = s
			}
			if diff := cmp.Diff(m, gotMembers); diff != "" {
				t.Errorf("Members() mismatch (-want +got):\n%s", diff)
			}

			if m["kty"] == "oct" {
				if diff := cmp.Diff(b64Bytes(t, m["k"]), k.Key); diff != "" {
					t.Errorf("oct key mismatch (-want +got):\n%s", diff)
				}
				if _, err := json.Marshal(k); err == nil {
					t.Error("json.Marshal(oct JWK) succeeded, want an error: it would publish the secret")
				}
				return
			}
			if v.Private {
				priv, _ := jwkKeys(t, m)
				if !priv.(interface{ Equal(crypto.PrivateKey) bool }).Equal(k.Key) {
					t.Errorf("ParsePrivateJWK() key is not the key built from the members")
				}
			}
			pub := publicOf(t, k.Key)
			if !keyEqual(jwkPublicKey(t, m), pub) {
				t.Errorf("parsed public key is not the key built from the members")
			}
			if v.Public != "" {
				var p *jose.JWK
				for _, pv := range vectors {
					if pv.Name == v.Public {
						p = jwkMust(t)(jose.ParseJWK(pv.JWK))
					}
				}
				if p == nil || !keyEqual(p.Key, pub) {
					t.Errorf("public key is not that of %q", v.Public)
				}
			}

			// Export: the public JWK has the required members in order, and
			// parses back to the same key and members.
			pj, err := jose.PublicJWK(k.Key)
			if err != nil {
				t.Fatalf("PublicJWK: %v", err)
			}
			canon := mustJSON(t, pj)
			if v.Canonical != "" && string(canon) != v.Canonical {
				t.Errorf("json.Marshal(PublicJWK()) =\n%s\nwant\n%s", canon, v.Canonical)
			}
			if strings.Contains(string(canon), `"d"`) {
				t.Errorf("public JWK %s has a private member", canon)
			}
			back := jwkMust(t)(jose.ParseJWK(mustJSON(t, k)))
			if !keyEqual(back.Key, pub) || back.KeyID != k.KeyID || back.Algorithm != k.Algorithm || back.Use != k.Use {
				t.Errorf("ParseJWK(json.Marshal(k)) = %v, want the same key and members as %v", back, k)
			}

			tp, err := k.Thumbprint()
			if err != nil {
				t.Fatalf("Thumbprint: %v", err)
			}
			sum := sha256.Sum256(canon)
			if want := base64.RawURLEncoding.EncodeToString(sum[:]); tp != want {
				t.Errorf("Thumbprint() = %q, want SHA-256 of the canonical JSON %q", tp, want)
			}
			if v.Thumbprint != "" && tp != v.Thumbprint {
				t.Errorf("Thumbprint() = %q, want %q", tp, v.Thumbprint)
			}
			if v.ThumbHex != "" && hex.EncodeToString(b64Bytes(t, tp)) != v.ThumbHex {
				t.Errorf("Thumbprint() in hex = %x, want %s", b64Bytes(t, tp), v.ThumbHex)
			}
			if tp2, _ := pj.Thumbprint(); tp2 != tp {
				t.Errorf("Thumbprint of the exported JWK = %q, want %q (other members must not count)", tp2, tp)
			}
		})
	}
}

// jwkEdit returns the JSON of a published JWK with members set (a nil
// value deletes the member).
func jwkEdit(tb testing.TB, name string, set map[string]any) string {
	tb.Helper()
	for _, v := range loadJWKVectors(tb) {
		if v.Name != name {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(v.JWK, &m); err != nil {
			tb.Fatal(err)
		}
		for k, val := range set {
			if val == nil {
				delete(m, k)
			} else {
				m[k] = val
			}
		}
		return string(mustJSON(tb, m))
	}
	tb.Fatalf("no JWK vector %q", name)
	return ""
}

// jwkMember returns member of the named published JWK.
func jwkMember(tb testing.TB, name, member string) string {
	tb.Helper()
	for _, v := range loadJWKVectors(tb) {
		if v.Name == name {
			var m map[string]string
			if err := json.Unmarshal(v.JWK, &m); err != nil {
				tb.Fatal(err)
			}
			return m[member]
		}
	}
	tb.Fatalf("no JWK vector %q", name)
	return ""
}

func TestParseJWKHostile(t *testing.T) {
	const (
		ecPub   = "RFC 7520 3.1 EC public key"
		ecPriv  = "RFC 7520 3.2 EC private key"
		rsaPub  = "RFC 7520 3.3 RSA public key"
		rsaPriv = "RFC 7520 3.4 RSA private key"
		oct     = "RFC 7520 3.5 symmetric key"
		edPriv  = "RFC 8037 A.1 Ed25519 private key"
		edPub   = "RFC 8037 A.2 Ed25519 public key"
	)
	enc := base64.RawURLEncoding.EncodeToString
	k := keys(t)
	p256 := k.EC
	p256x := enc(p256.X.FillBytes(make([]byte, 32)))
	p256y := enc(p256.Y.FillBytes(make([]byte, 32)))
	offCurveY := enc(new(big.Int).Add(p256.Y, big.NewInt(1)).FillBytes(make([]byte, 32)))
	n := jwkMember(t, rsaPub, "n")
	nBytes := b64Bytes(t, n)
	bigN := new(big.Int).Lsh(big.NewInt(1), 8199)
	bigN.SetBit(bigN, 0, 1)
	otherP521, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, otherEd, _ := ed25519.GenerateKey(rand.Reader)
	dp := b64Bytes(t, jwkMember(t, rsaPriv, "dp"))
	dp[len(dp)-1] ^= 1
	d := b64Bytes(t, jwkMember(t, rsaPriv, "d"))
	d[len(d)-1] ^= 2

	tests := []struct {
		name    string
		in      string
		private bool
		wantErr error // nil: accepted
	}{
		// Sizes.
		{"rsa n of a million characters", `{"kty":"RSA","e":"AQAB","n":"` + strings.Repeat("A", 1_000_000) + `"}`, false, jose.ErrUnsupportedJWK},
		{"rsa n of 1024 bits", jwkEdit(t, rsaPub, map[string]any{"n": enc(k.RSA.N.Bytes())}), false, jose.ErrUnsupportedJWK},
		{"rsa n of 8200 bits", jwkEdit(t, rsaPub, map[string]any{"n": enc(bigN.Bytes())}), false, jose.ErrUnsupportedJWK},
		{"rsa n even", jwkEdit(t, rsaPub, map[string]any{"n": enc(append(nBytes[:len(nBytes)-1:len(nBytes)-1], nBytes[len(nBytes)-1]^1))}), false, jose.ErrMalformedJWK},
		{"rsa n with a leading zero", jwkEdit(t, rsaPub, map[string]any{"n": enc(append([]byte{0}, nBytes...))}), false, nil},
		{"rsa n padded", jwkEdit(t, rsaPub, map[string]any{"n": base64.URLEncoding.EncodeToString(append([]byte{0}, nBytes...))}), false, jose.ErrMalformedJWK},
		{"rsa n in standard base64", jwkEdit(t, rsaPub, map[string]any{"n": base64.RawStdEncoding.EncodeToString(nBytes)}), false, jose.ErrMalformedJWK},
		{"rsa n a number", jwkEdit(t, rsaPub, map[string]any{"n": 12345}), false, jose.ErrMalformedJWK},
		{"rsa n empty", jwkEdit(t, rsaPub, map[string]any{"n": ""}), false, jose.ErrMalformedJWK},
		{"rsa no n", jwkEdit(t, rsaPub, map[string]any{"n": nil}), false, jose.ErrMalformedJWK},
		{"rsa e even", jwkEdit(t, rsaPub, map[string]any{"e": "AQAA"}), false, jose.ErrMalformedJWK},
		{"rsa e 1", jwkEdit(t, rsaPub, map[string]any{"e": "AQ"}), false, jose.ErrMalformedJWK},
		{"rsa e 2^31+1", jwkEdit(t, rsaPub, map[string]any{"e": enc(big.NewInt(1<<31 + 1).Bytes())}), false, jose.ErrMalformedJWK},
		{"rsa e of 9 bytes", jwkEdit(t, rsaPub, map[string]any{"e": enc([]byte{1, 0, 0, 0, 0, 0, 0, 0, 1})}), false, jose.ErrMalformedJWK},
		{"rsa e empty", jwkEdit(t, rsaPub, map[string]any{"e": ""}), false, jose.ErrMalformedJWK},
		{"rsa e with a leading zero", jwkEdit(t, rsaPub, map[string]any{"e": "AAEAAQ"}), false, nil},
		{"ec P-521 x of 65 bytes", jwkEdit(t, ecPub, map[string]any{"x": enc(make([]byte, 65))}), false, jose.ErrMalformedJWK},
		{"ec P-521 x of 67 bytes", jwkEdit(t, ecPub, map[string]any{"x": enc(append([]byte{0}, b64Bytes(t, jwkMember(t, ecPub, "x"))...))}), false, jose.ErrMalformedJWK},
		{"ec P-256 x without its leading zero", `{"kty":"EC","crv":"P-256","x":"` + enc(make([]byte, 31)) + `","y":"` + p256y + `"}`, false, jose.ErrMalformedJWK},
		{"ec P-256 valid", `{"kty":"EC","crv":"P-256","x":"` + p256x + `","y":"` + p256y + `"}`, false, nil},
		{"ec point not on the curve", `{"kty":"EC","crv":"P-256","x":"` + p256x + `","y":"` + offCurveY + `"}`, false, jose.ErrMalformedJWK},
		{"ec point at infinity", `{"kty":"EC","crv":"P-256","x":"` + enc(make([]byte, 32)) + `","y":"` + enc(make([]byte, 32)) + `"}`, false, jose.ErrMalformedJWK},
		{"ec P-256 point named P-384", `{"kty":"EC","crv":"P-384","x":"` + p256x + `","y":"` + p256y + `"}`, false, jose.ErrMalformedJWK},
		{"ec no y", jwkEdit(t, ecPub, map[string]any{"y": nil}), false, jose.ErrMalformedJWK},
		{"ec no crv", jwkEdit(t, ecPub, map[string]any{"crv": nil}), false, jose.ErrMalformedJWK},
		{"ec crv a number", jwkEdit(t, ecPub, map[string]any{"crv": 521}), false, jose.ErrMalformedJWK},
		{"ec crv secp256k1", jwkEdit(t, ecPub, map[string]any{"crv": "secp256k1"}), false, jose.ErrUnsupportedJWK},
		{"okp x of 31 bytes", jwkEdit(t, edPub, map[string]any{"x": enc(make([]byte, 31))}), false, jose.ErrMalformedJWK},
		{"okp X25519", jwkEdit(t, edPub, map[string]any{"crv": "X25519"}), false, jose.ErrUnsupportedJWK},
		{"okp Ed448", jwkEdit(t, edPub, map[string]any{"crv": "Ed448"}), false, jose.ErrUnsupportedJWK},
		// Structure.
		{"duplicate kty", `{"kty":"OKP","kty":"RSA","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`, false, jose.ErrMalformedJWK},
		{"duplicate x", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","x":"` + enc(otherEd.Public().(ed25519.PublicKey)) + `"}`, false, jose.ErrMalformedJWK},
		{"duplicate through an escape", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","\u0078":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`, false, jose.ErrMalformedJWK},
		{"rsa with ec members", jwkEdit(t, rsaPub, map[string]any{"crv": "P-256", "x": p256x, "y": p256y}), false, jose.ErrMalformedJWK},
		{"ec with rsa members", jwkEdit(t, ecPub, map[string]any{"n": n, "e": "AQAB"}), false, jose.ErrMalformedJWK},
		{"okp with y", jwkEdit(t, edPub, map[string]any{"y": p256y}), false, jose.ErrMalformedJWK},
		{"rsa with k", jwkEdit(t, rsaPub, map[string]any{"k": "AAAA"}), false, jose.ErrMalformedJWK},
		{"no kty", jwkEdit(t, edPub, map[string]any{"kty": nil}), false, jose.ErrMalformedJWK},
		{"KTY in upper case", jwkEdit(t, edPub, map[string]any{"kty": nil, "KTY": "OKP"}), false, jose.ErrMalformedJWK},
		{"kty a number", jwkEdit(t, edPub, map[string]any{"kty": 1}), false, jose.ErrMalformedJWK},
		{"kty unknown", jwkEdit(t, edPub, map[string]any{"kty": "PQC"}), false, jose.ErrUnsupportedJWK},
		{"kty in lower case", jwkEdit(t, rsaPub, map[string]any{"kty": "rsa"}), false, jose.ErrUnsupportedJWK},
		{"kid a number", jwkEdit(t, edPub, map[string]any{"kid": 7}), false, jose.ErrMalformedJWK},
		{"use null", jwkEdit(t, edPub, map[string]any{"use": json.RawMessage("null")}), false, jose.ErrMalformedJWK},
		{"key_ops a string", jwkEdit(t, edPub, map[string]any{"key_ops": "verify"}), false, jose.ErrMalformedJWK},
		{"key_ops twice verify", jwkEdit(t, edPub, map[string]any{"key_ops": []string{"verify", "verify"}}), false, jose.ErrMalformedJWK},
		{"key_ops of numbers", jwkEdit(t, edPub, map[string]any{"key_ops": []int{1}}), false, jose.ErrMalformedJWK},
		{"unknown members kept", jwkEdit(t, edPub, map[string]any{"x5t#S256": "abc", "ext": true}), false, nil},
		{"array", `[]`, false, jose.ErrMalformedJWK},
		{"string", `"RSA"`, false, jose.ErrMalformedJWK},
		{"null", `null`, false, jose.ErrMalformedJWK},
		{"empty", ``, false, jose.ErrMalformedJWK},
		{"truncated", `{"kty":"OKP","crv":"Ed25519"`, false, jose.ErrMalformedJWK},
		{"trailing object", jwkEdit(t, edPub, nil) + `{}`, false, jose.ErrMalformedJWK},
		{"trailing comma", `{"kty":"OKP",}`, false, jose.ErrMalformedJWK},
		{"larger than MaxJWKSetSize", jwkEdit(t, edPub, map[string]any{"pad": strings.Repeat("x", jose.MaxJWKSetSize)}), false, jose.ErrMalformedJWK},
		// "alg" against the key.
		{"rsa with alg ES256", jwkEdit(t, rsaPub, map[string]any{"alg": "ES256"}), false, jose.ErrMalformedJWK},
		{"rsa with alg HS256", jwkEdit(t, rsaPub, map[string]any{"alg": "HS256"}), false, jose.ErrMalformedJWK},
		{"rsa with alg EdDSA", jwkEdit(t, rsaPub, map[string]any{"alg": "EdDSA"}), false, jose.ErrMalformedJWK},
		{"rsa with alg PS512", jwkEdit(t, rsaPub, map[string]any{"alg": "PS512"}), false, nil},
		{"rsa with alg RSA-OAEP", jwkEdit(t, rsaPub, map[string]any{"alg": "RSA-OAEP"}), false, nil},
		{"P-521 with alg ES256", jwkEdit(t, ecPub, map[string]any{"alg": "ES256"}), false, jose.ErrMalformedJWK},
		{"P-521 with alg ES512", jwkEdit(t, ecPub, map[string]any{"alg": "ES512"}), false, nil},
		{"P-521 with alg RS256", jwkEdit(t, ecPub, map[string]any{"alg": "RS256"}), false, jose.ErrMalformedJWK},
		{"okp with alg ES256", jwkEdit(t, edPub, map[string]any{"alg": "ES256"}), false, jose.ErrMalformedJWK},
		{"oct with alg RS256", jwkEdit(t, oct, map[string]any{"alg": "RS256"}), true, jose.ErrMalformedJWK},
		// Private members in a public JWK, and private JWKs.
		{"rsa public with d", jwkEdit(t, rsaPub, map[string]any{"d": jwkMember(t, rsaPriv, "d")}), false, jose.ErrMalformedJWK},
		{"rsa public with p", jwkEdit(t, rsaPub, map[string]any{"p": jwkMember(t, rsaPriv, "p")}), false, jose.ErrMalformedJWK},
		{"ec public with d", jwkEdit(t, ecPriv, nil), false, jose.ErrMalformedJWK},
		{"okp public with d", jwkEdit(t, edPriv, nil), false, jose.ErrMalformedJWK},
		{"oct as public", jwkEdit(t, oct, nil), false, jose.ErrUnsupportedJWK},
		{"private rsa", jwkEdit(t, rsaPriv, nil), true, nil},
		{"private rsa without dp, dq, qi", jwkEdit(t, rsaPriv, map[string]any{"dp": nil, "dq": nil, "qi": nil}), true, nil},
		{"private rsa without p", jwkEdit(t, rsaPriv, map[string]any{"p": nil}), true, jose.ErrMalformedJWK},
		{"private rsa without d", jwkEdit(t, rsaPriv, map[string]any{"d": nil}), true, jose.ErrMalformedJWK},
		{"private rsa wrong dp", jwkEdit(t, rsaPriv, map[string]any{"dp": enc(dp)}), true, jose.ErrMalformedJWK},
		{"private rsa wrong d", jwkEdit(t, rsaPriv, map[string]any{"d": enc(d)}), true, jose.ErrMalformedJWK},
		{"private rsa with oth", jwkEdit(t, rsaPriv, map[string]any{"oth": []any{}}), true, jose.ErrUnsupportedJWK},
		{"private ec d of 65 bytes", jwkEdit(t, ecPriv, map[string]any{"d": enc(make([]byte, 65))}), true, jose.ErrMalformedJWK},
		{"private ec d zero", jwkEdit(t, ecPriv, map[string]any{"d": enc(make([]byte, 66))}), true, jose.ErrMalformedJWK},
		{"private ec d past the order", jwkEdit(t, ecPriv, map[string]any{"d": enc(append([]byte{1}, []byte(strings.Repeat("\xff", 65))...))}), true, jose.ErrMalformedJWK},
		{"private ec d of another key", jwkEdit(t, ecPriv, map[string]any{"d": enc(otherP521.D.FillBytes(make([]byte, 66)))}), true, jose.ErrMalformedJWK},
		{"private okp d of another key", jwkEdit(t, edPriv, map[string]any{"d": enc(otherEd.Seed())}), true, jose.ErrMalformedJWK},
		{"private okp d of 31 bytes", jwkEdit(t, edPriv, map[string]any{"d": enc(make([]byte, 31))}), true, jose.ErrMalformedJWK},
		{"private from a public jwk", jwkEdit(t, edPub, nil), true, jose.ErrMalformedJWK},
		{"oct k empty", jwkEdit(t, oct, map[string]any{"k": ""}), true, jose.ErrMalformedJWK},
		{"oct with x", jwkEdit(t, oct, map[string]any{"x": p256x}), true, jose.ErrMalformedJWK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parse := jose.ParseJWK
			if tt.private {
				parse = jose.ParsePrivateJWK
			}
			k, err := parse([]byte(tt.in))
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if k != nil {
					t.Errorf("got a JWK with error %v", err)
				}
				checkNoInputInError(t, err, tt.in)
				return
			}
			if k.Key == nil {
				t.Error("accepted JWK has no key")
			}
		})
	}
}

// checkNoInputInError fails if err's message is long or quotes any long
// string value of the input JSON: a message may name members, not repeat
// their values, which may be key material.
func checkNoInputInError(tb testing.TB, err error, in string) {
	tb.Helper()
	msg := err.Error()
	if len(msg) > 300 {
		tb.Errorf("error message is %d bytes long: %.300s", len(msg), msg)
	}
	if !strings.HasPrefix(msg, "jose: ") {
		tb.Errorf("error %q lacks the jose: prefix", msg)
	}
	for _, part := range strings.Split(in, `"`) {
		if len(part) >= 16 && strings.Contains(msg, part[:16]) {
			tb.Errorf("error %q shows input %q", msg, part[:16])
		}
	}
}

func TestParseJWKSet(t *testing.T) {
	var keys []string
	for _, v := range loadJWKVectors(t) {
		if !v.Private {
			keys = append(keys, string(v.JWK))
		}
	}
	enc := base64.RawURLEncoding.EncodeToString
	set := `{"keys":[` + strings.Join(keys, ",") + `,
		{"kty":"OKP","crv":"X25519","x":"` + enc(make([]byte, 32)) + `"},
		{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"},
		{"kty":"oct","k":"c2VjcmV0"},
		{"kty":"PQC","pub":"AA"},
		{"kty":"RSA","n":"` + enc(keysRSA1024(t)) + `","e":"AQAB"},
		{"kty":"OKP","crv":"Ed25519","x":"AAAA"},
		{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"},
		17
	], "extra": "ignored"}`
	got, err := jose.ParseJWKSet([]byte(set))
	if err != nil {
		t.Fatalf("ParseJWKSet() = %v", err)
	}
	var kids []string
	for _, k := range got.Keys {
		kids = append(kids, k.Kty()+" "+k.KeyID)
	}
	wantKids := []string{"EC bilbo.baggins@hobbiton.example", "RSA bilbo.baggins@hobbiton.example", "OKP ", "RSA 2011-04-29"}
	if diff := cmp.Diff(wantKids, kids); diff != "" {
		t.Errorf("Keys mismatch (-want +got):\n%s", diff)
	}
	wantSkipped := []error{jose.ErrUnsupportedJWK, jose.ErrUnsupportedJWK, jose.ErrUnsupportedJWK, jose.ErrUnsupportedJWK,
		jose.ErrUnsupportedJWK, jose.ErrMalformedJWK, jose.ErrMalformedJWK, jose.ErrMalformedJWK}
	if len(got.Skipped) != len(wantSkipped) {
		t.Fatalf("Skipped = %v, want %d errors", got.Skipped, len(wantSkipped))
	}
	for i, err := range got.Skipped {
		if !errors.Is(err, wantSkipped[i]) {
			t.Errorf("Skipped[%d] = %v, want %v", i, err, wantSkipped[i])
		}
		if want := "keys[" + strconv.Itoa(len(keys)+i) + "]"; !strings.Contains(err.Error(), want) {
			t.Errorf("Skipped[%d] = %q, want it to name %s", i, err, want)
		}
		checkNoInputInError(t, err, set)
	}

	many := func(n int) string {
		return `{"keys":[` + strings.TrimSuffix(strings.Repeat(keys[2]+",", n), ",") + `]}`
	}
	tests := []struct {
		name     string
		in       string
		wantKeys int
		wantErr  error
	}{
		{"empty keys", `{"keys":[]}`, 0, nil},
		{"MaxJWKSetKeys keys", many(jose.MaxJWKSetKeys), jose.MaxJWKSetKeys, nil},
		{"one key too many", many(jose.MaxJWKSetKeys + 1), 0, jose.ErrMalformedJWK},
		{"array", `[` + keys[0] + `]`, 0, jose.ErrMalformedJWK},
		{"a JWK, not a set", keys[0], 0, jose.ErrMalformedJWK},
		{"no keys", `{}`, 0, jose.ErrMalformedJWK},
		{"keys null", `{"keys":null}`, 0, jose.ErrMalformedJWK},
		{"keys an object", `{"keys":{"a":` + keys[0] + `}}`, 0, jose.ErrMalformedJWK},
		{"duplicate keys", `{"keys":[` + keys[0] + `],"keys":[]}`, 0, jose.ErrMalformedJWK},
		{"trailing data", `{"keys":[]}]`, 0, jose.ErrMalformedJWK},
		{"too large", `{"keys":[],"pad":"` + strings.Repeat("x", jose.MaxJWKSetSize) + `"}`, 0, jose.ErrMalformedJWK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := jose.ParseJWKSet([]byte(tt.in))
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("ParseJWKSet() error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				checkNoInputInError(t, err, tt.in)
				return
			}
			if len(s.Keys) != tt.wantKeys || len(s.Skipped) != 0 {
				t.Errorf("ParseJWKSet() = %d keys, %v skipped; want %d keys", len(s.Keys), s.Skipped, tt.wantKeys)
			}
		})
	}
}

// keysRSA1024 returns the modulus of the 1024-bit test key.
func keysRSA1024(tb testing.TB) []byte {
	tb.Helper()
	return keys(tb).RSA.N.Bytes()
}

// TestJWKKeyConfusion is the RS256-to-HS256 attack: a token whose header
// says HS256, MACed with the provider's public key as the secret, must not
// verify with anything made from the public JWK.
func TestJWKKeyConfusion(t *testing.T) {
	v := jwsVectorByName(t, "RFC 7520 4.1 RS256")
	var pubJSON []byte
	for _, kv := range loadJWKVectors(t) {
		if kv.Name == "RFC 7520 3.3 RSA public key" {
			pubJSON = kv.JWK
		}
	}
	jwk := jwkMust(t)(jose.ParseJWK(pubJSON))
	pubDER, err := x509.MarshalPKIXPublicKey(jwk.Key)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	enc := base64.RawURLEncoding.EncodeToString

	for name, secret := range map[string][]byte{"jwk json": pubJSON, "pem": pubPEM, "der": pubDER, "n": jwk.Key.(*rsa.PublicKey).N.Bytes()} {
		t.Run(name, func(t *testing.T) {
			in := enc([]byte(`{"alg":"HS256","kid":"bilbo.baggins@hobbiton.example"}`)) + "." + enc([]byte(`{"sub":"admin"}`))
			m := hmac.New(sha256.New, secret)
			m.Write([]byte(in))
			forged := in + "." + enc(m.Sum(nil))

			// The verifier the attacker wants cannot be made from the key.
			if _, err := jwk.Verifier(jose.HS256); !errors.Is(err, signer.ErrWrongKeyType) {
				t.Errorf("JWK.Verifier(HS256) error = %v, want ErrWrongKeyType", err)
			}
			if _, err := jose.NewVerifier(jose.HS256, jwk.Key); !errors.Is(err, signer.ErrWrongKeyType) {
				t.Errorf("NewVerifier(HS256, public key) error = %v, want ErrWrongKeyType", err)
			}
			// The right verifier refuses the token for its alg.
			rs, err := jwk.Verifier(jose.RS256)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := jose.VerifyCompact(rs, forged); !errors.Is(err, jose.ErrAlgorithmMismatch) {
				t.Errorf("VerifyCompact(forged HS256 token) error = %v, want ErrAlgorithmMismatch", err)
			}
			if _, _, err := jose.VerifyCompact(rs, v.Compact); err != nil {
				t.Errorf("VerifyCompact(published RS256 token) = %v", err)
			}
		})
	}

	// A symmetric key never comes out of a public JWK Set.
	set, err := jose.ParseJWKSet([]byte(`{"keys":[{"kty":"oct","kid":"bilbo.baggins@hobbiton.example","k":"` + enc(pubDER) + `"}]}`))
	if err != nil || len(set.Keys) != 0 || len(set.Skipped) != 1 || !errors.Is(set.Skipped[0], jose.ErrUnsupportedJWK) {
		t.Errorf("ParseJWKSet(oct key) = %v, %v; want it skipped as unsupported", set, err)
	}
}

func TestJWKVerifierChecks(t *testing.T) {
	x := "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
	tests := []struct {
		name    string
		extra   string
		alg     string
		wantErr error
	}{
		{"no constraints", ``, jose.EdDSA, nil},
		{"alg matches", `,"alg":"EdDSA"`, jose.EdDSA, nil},
		{"use sig", `,"use":"sig"`, jose.EdDSA, nil},
		{"use enc", `,"use":"enc"`, jose.EdDSA, signer.ErrWrongKeyType},
		{"key_ops verify", `,"key_ops":["sign","verify"]`, jose.EdDSA, nil},
		{"key_ops without verify", `,"key_ops":["encrypt"]`, jose.EdDSA, signer.ErrWrongKeyType},
		{"key_ops empty", `,"key_ops":[]`, jose.EdDSA, signer.ErrWrongKeyType},
		{"other alg asked", ``, jose.ES256, signer.ErrWrongKeyType},
		{"none asked", ``, "none", signer.ErrUnsupportedAlgorithm},
		{"jwk alg differs", `,"alg":"EdDSA"`, jose.HS256, jose.ErrAlgorithmMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := jwkMust(t)(jose.ParseJWK([]byte(`{"kty":"OKP","crv":"Ed25519","x":"` + x + `"` + tt.extra + `}`)))
			v, err := k.Verifier(tt.alg)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Verifier(%q) error = %v, want %v", tt.alg, err, tt.wantErr)
			}
			if err == nil && v.Alg() != tt.alg {
				t.Errorf("Verifier(%q).Alg() = %q", tt.alg, v.Alg())
			}
		})
	}
}

func TestPublicJWK(t *testing.T) {
	jk := testJWSKeys(t)
	k := keys(t)
	rs, _ := jose.NewRSASigner(jose.RS256, jk.RSA)
	ps, _ := jose.NewPSSSigner(jose.PS256, &opaqueSigner{s: jk.RSA})
	es, _ := jose.NewECDSASigner(jose.ES384, jk.EC384)
	ed, _ := jose.NewEd25519Signer(jk.Ed25519)
	tests := []struct {
		name string
		key  any
		want crypto.PublicKey
	}{
		{"rsa private", jk.RSA, &jk.RSA.PublicKey},
		{"rsa public", &jk.RSA.PublicKey, &jk.RSA.PublicKey},
		{"rsa signer", rs, &jk.RSA.PublicKey},
		{"pss signer on an opaque key", ps, &jk.RSA.PublicKey},
		{"ec P-256 private", jk.EC256, &jk.EC256.PublicKey},
		{"ec P-521 public", &jk.EC521.PublicKey, &jk.EC521.PublicKey},
		{"ecdsa signer", es, &jk.EC384.PublicKey},
		{"ed25519 private", jk.Ed25519, jk.Ed25519.Public()},
		{"ed25519 signer", ed, jk.Ed25519.Public()},
		{"crypto.Signer", &opaqueSigner{s: jk.EC256}, &jk.EC256.PublicKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, err := jose.PublicJWK(tt.key)
			if err != nil {
				t.Fatalf("PublicJWK() = %v", err)
			}
			if !keyEqual(tt.want, j.Key) {
				t.Errorf("PublicJWK().Key is not the public key")
			}
			b := mustJSON(t, j)
			back := jwkMust(t)(jose.ParseJWK(b))
			if !keyEqual(tt.want, back.Key) {
				t.Errorf("ParseJWK(%s) is not the public key", b)
			}
		})
	}

	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	hs, _ := jose.NewHMAC(jose.HS256, []byte("secret"))
	var nilRSA *rsa.PrivateKey
	for name, key := range map[string]any{
		"nil": nil, "typed nil rsa": nilRSA, "[]byte": []byte("secret"), "1024-bit rsa": k.RSA,
		"P-224": p224, "HMAC": hs, "string": "key", "short ed25519": ed25519.PublicKey{1},
	} {
		t.Run("error/"+name, func(t *testing.T) {
			if _, err := jose.PublicJWK(key); !errors.Is(err, signer.ErrWrongKeyType) {
				t.Errorf("PublicJWK() error = %v, want ErrWrongKeyType", err)
			}
			if _, err := json.Marshal(jose.JWK{Key: key}); !errors.Is(err, signer.ErrWrongKeyType) {
				t.Errorf("json.Marshal(JWK) error = %v, want ErrWrongKeyType", err)
			}
		})
	}
}

// TestJWKMarshalJSON checks the member order and that optional members are
// written and do not change the thumbprint.
func TestJWKMarshalJSON(t *testing.T) {
	x := "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
	j := jwkMust(t)(jose.ParseJWK([]byte(`{"use":"sig","x":"` + x + `","kid":"k1","kty":"OKP","key_ops":["verify"],"crv":"Ed25519","alg":"EdDSA","x5t":"ignored"}`)))
	got := string(mustJSON(t, j))
	want := `{"alg":"EdDSA","crv":"Ed25519","key_ops":["verify"],"kid":"k1","kty":"OKP","use":"sig","x":"` + x + `"}`
	if got != want {
		t.Errorf("json.Marshal() =\n%s\nwant\n%s", got, want)
	}
	if tp, _ := j.Thumbprint(); tp != "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k" {
		t.Errorf("Thumbprint() = %q, want RFC 8037 A.3's", tp)
	}
	// A JWK in a larger document, as in a DPoP proof header.
	var h struct {
		Typ string   `json:"typ"`
		JWK jose.JWK `json:"jwk"`
	}
	if err := json.Unmarshal([]byte(`{"typ":"dpop+jwt","jwk":`+want+`}`), &h); err != nil {
		t.Fatalf("json.Unmarshal(header) = %v", err)
	}
	if string(mustJSON(t, h.JWK)) != want {
		t.Errorf("round trip through a struct = %s", mustJSON(t, h.JWK))
	}
	err := json.Unmarshal([]byte(`{"jwk":{"kty":"OKP","crv":"Ed25519","x":"`+x+`","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}}`), &h)
	if !errors.Is(err, jose.ErrMalformedJWK) {
		t.Errorf("json.Unmarshal(private jwk) error = %v, want ErrMalformedJWK", err)
	}
	// Members returns a copy.
	m := j.Members()
	m["kid"] = json.RawMessage(`"changed"`)
	if string(j.Members()["kid"]) != `"k1"` {
		t.Error("changing the map Members returned changed the JWK")
	}
	if (&jose.JWK{Key: j.Key}).Members() != nil {
		t.Error("Members() of a JWK no parser made is not nil")
	}
}
