package dpop_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/dpop"
	"github.com/oauthkit/oauth/signer"
	"github.com/oauthkit/oauth/signer/jose"
)

// A *Key is what oauth2.Config.DPoP takes.
var _ oauth2.DPoP = (*dpop.Key)(nil)

// vectors is testdata/vectors.json.
type vectors struct {
	RFC7638 struct {
		JWK        json.RawMessage `json:"jwk"`
		Thumbprint string          `json:"thumbprint"`
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
}

func loadVectors(tb testing.TB) vectors {
	tb.Helper()
	data, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		tb.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(data, &v); err != nil {
		tb.Fatal(err)
	}
	if len(v.RFC9449.Vectors) != 3 {
		tb.Fatalf("%d RFC 9449 proofs, want 3", len(v.RFC9449.Vectors))
	}
	return v
}

// unfold joins lines wrapped as RFC 8792 §7 says.
func unfold(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(strings.TrimSuffix(strings.TrimLeft(l, " "), "\\"))
	}
	return b.String()
}

// publicSigner is a jose.Signer with a public key and no private one: it
// gives a Key whose thumbprint and header can be checked against
// published values.
type publicSigner struct {
	alg string
	pub crypto.PublicKey
}

func (p publicSigner) Alg() string              { return p.alg }
func (p publicSigner) Public() crypto.PublicKey { return p.pub }
func (p publicSigner) Sign([]byte) ([]byte, error) {
	return nil, errors.New("publicSigner cannot sign")
}

// decodeSegment decodes a JWS segment holding a JSON object.
func decodeSegment(tb testing.TB, s string) map[string]any {
	tb.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		tb.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		tb.Fatalf("segment is not a JSON object: %v", err)
	}
	return m
}

// rfcKey returns the public key of the RFC 9449 figures, from the "jwk"
// header of Figure 2's proof, and that header.
func rfcKey(t *testing.T, v vectors) (*jose.JWK, map[string]any) {
	t.Helper()
	proof := unfold(v.RFC9449.Vectors[0].Lines)
	header := decodeSegment(t, strings.Split(proof, ".")[0])
	raw, err := json.Marshal(header["jwk"])
	if err != nil {
		t.Fatal(err)
	}
	jwk, err := jose.ParseJWK(raw)
	if err != nil {
		t.Fatal(err)
	}
	return jwk, header
}

// TestThumbprintVectors: a Key's thumbprint is RFC 7638's for the RSA key
// of §3.1, and RFC 9449's jkt (§6.1) for the key of its figures; and the
// "jwk" a proof's header carries is that key, member for member.
func TestThumbprintVectors(t *testing.T) {
	v := loadVectors(t)
	t.Run("RFC 7638 §3.1", func(t *testing.T) {
		jwk, err := jose.ParseJWK(v.RFC7638.JWK)
		if err != nil {
			t.Fatal(err)
		}
		k, err := dpop.NewKey(publicSigner{jose.RS256, jwk.Key})
		if err != nil {
			t.Fatal(err)
		}
		if got := k.Thumbprint(); got != v.RFC7638.Thumbprint {
			t.Errorf("Thumbprint() = %q, want %q", got, v.RFC7638.Thumbprint)
		}
	})
	t.Run("RFC 9449 §6.1", func(t *testing.T) {
		jwk, header := rfcKey(t, v)
		k, err := dpop.NewKey(publicSigner{jose.ES256, jwk.Key})
		if err != nil {
			t.Fatal(err)
		}
		if got := k.Thumbprint(); got != v.RFC9449.JKT {
			t.Errorf("Thumbprint() = %q, want %q", got, v.RFC9449.JKT)
		}
		// The header a Key writes: the figure's typ, alg and jwk.
		hk, err := dpop.NewKey(headerSigner{publicSigner{jose.ES256, jwk.Key}})
		if err != nil {
			t.Fatal(err)
		}
		proof, err := hk.Proof("POST", "https://server.example.com/token", "", "", time.Unix(1562262616, 0))
		if err != nil {
			t.Fatal(err)
		}
		got := decodeSegment(t, strings.Split(proof, ".")[0])
		if diff := cmp.Diff(header, got); diff != "" {
			t.Errorf("proof header mismatch with RFC 9449 Figure 2's (-want +got):\n%s", diff)
		}
	})
}

// headerSigner signs with a dummy signature, so that proofs of a public
// key alone can be made and their header and claims checked.
type headerSigner struct{ publicSigner }

func (headerSigner) Sign([]byte) ([]byte, error) { return []byte("not a signature"), nil }

// TestPublishedProofsVerify checks the published proofs of RFC 9449 with
// the key their header carries, through package jose: the key a Key made
// from that header's jwk has is the one that signed them.
func TestPublishedProofsVerify(t *testing.T) {
	v := loadVectors(t)
	jwk, _ := rfcKey(t, v)
	ver, err := jwk.Verifier(jose.ES256)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range v.RFC9449.Vectors {
		t.Run(p.ID, func(t *testing.T) {
			_, payload, err := jose.VerifyCompact(ver, unfold(p.Lines))
			if err != nil {
				t.Fatalf("VerifyCompact: %v", err)
			}
			var c map[string]any
			if err := json.Unmarshal(payload, &c); err != nil {
				t.Fatal(err)
			}
			if c["htm"] != p.Method || c["htu"] != p.URI || c["iat"] != float64(p.IAT) {
				t.Errorf("claims %v, want htm %s htu %s iat %d", c, p.Method, p.URI, p.IAT)
			}
		})
	}
}

// TestProofClaims checks the claims of a Key's proofs against the
// published ones: the ath of RFC 9449 §7.1's token, htm, htu and iat as
// the figures have them, a nonce when given, no ath without a token, and
// a jti of 128 bits, new each time.
func TestProofClaims(t *testing.T) {
	v := loadVectors(t)
	k, err := dpop.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	jtis := map[string]bool{}
	for _, p := range v.RFC9449.Vectors {
		for _, nonce := range []string{"", "eyJ7S_zG.eyJH0-Z.HX4w-7v"} { // the nonce of RFC 9449 Figure 20
			t.Run(p.ID+"/nonce="+nonce, func(t *testing.T) {
				proof, err := k.Proof(p.Method, p.URI, p.AccessToken, nonce, time.Unix(p.IAT, 0))
				if err != nil {
					t.Fatal(err)
				}
				parts := strings.Split(proof, ".")
				if len(parts) != 3 {
					t.Fatalf("proof has %d parts", len(parts))
				}
				c := decodeSegment(t, parts[1])
				jti, _ := c["jti"].(string)
				if raw, err := base64.RawURLEncoding.DecodeString(jti); err != nil || len(raw) != 16 {
					t.Errorf("jti %q is not 128 bits in base64url", jti)
				}
				if jtis[jti] {
					t.Errorf("jti %q repeated", jti)
				}
				jtis[jti] = true
				delete(c, "jti")
				want := map[string]any{"htm": p.Method, "htu": p.URI, "iat": float64(p.IAT)}
				if p.ATH != "" {
					want["ath"] = p.ATH
				}
				if nonce != "" {
					want["nonce"] = nonce
				}
				if diff := cmp.Diff(want, c); diff != "" {
					t.Errorf("claims mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// testKeys returns a Key of each family, and the private key behind it.
func testKeys(t testing.TB) map[string]*dpop.Key {
	t.Helper()
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
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
	ks := map[string]*dpop.Key{}
	for _, c := range []struct {
		alg string
		key crypto.Signer
	}{{jose.ES256, ec}, {jose.EdDSA, ed}, {jose.RS256, rk}, {jose.PS256, rk}} {
		s, err := jose.NewSigner(c.alg, c.key)
		if err != nil {
			t.Fatal(err)
		}
		if ks[c.alg], err = dpop.NewKey(s); err != nil {
			t.Fatal(err)
		}
	}
	return ks
}

// TestProofVerifies verifies proofs of each algorithm with the public key
// of their own header, as a server does (RFC 9449 §4.3), through package
// jose, and checks that the header holds no private member.
func TestProofVerifies(t *testing.T) {
	for alg, k := range testKeys(t) {
		t.Run(alg, func(t *testing.T) {
			proof, err := k.Proof("GET", "https://api.example.com/x", "tok", "", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			h := decodeSegment(t, strings.Split(proof, ".")[0])
			if h["typ"] != "dpop+jwt" || h["alg"] != alg || k.Alg() != alg {
				t.Errorf("header typ %v alg %v, Alg() %s; want dpop+jwt, %s", h["typ"], h["alg"], k.Alg(), alg)
			}
			raw, _ := json.Marshal(h["jwk"])
			jwk, err := jose.ParseJWK(raw) // refuses private members
			if err != nil {
				t.Fatalf("header jwk: %v", err)
			}
			if tp, _ := jwk.Thumbprint(); tp != k.Thumbprint() {
				t.Errorf("header jwk thumbprint %s, Thumbprint() %s", tp, k.Thumbprint())
			}
			ver, err := jwk.Verifier(alg)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := jose.VerifyCompact(ver, proof); err != nil {
				t.Errorf("VerifyCompact: %v", err)
			}
		})
	}
}

// TestSaveRestore: a generated key and a parsed one survive
// MarshalPrivateJWK and ParseKey with their algorithm and thumbprint,
// and sign proofs the restored key's public key verifies.
func TestSaveRestore(t *testing.T) {
	gen, err := dpop.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if gen.Alg() != jose.ES256 {
		t.Errorf("GenerateKey().Alg() = %s, want ES256", gen.Alg())
	}
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	edJWK, err := jose.JWK{Key: ed}.MarshalPrivate() // no "alg": EdDSA by key type
	if err != nil {
		t.Fatal(err)
	}
	ec384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	ecJWK, err := jose.JWK{Key: ec384}.MarshalPrivate() // no "alg": ES384 by curve
	if err != nil {
		t.Fatal(err)
	}
	edKey, err := dpop.ParseKey(edJWK)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		key  *dpop.Key
		alg  string
	}{
		{"generated", gen, jose.ES256},
		{"Ed25519 without alg", edKey, jose.EdDSA},
		{"P-384 without alg", must(t)(dpop.ParseKey(ecJWK)), jose.ES384},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			saved, err := tt.key.MarshalPrivateJWK()
			if err != nil {
				t.Fatal(err)
			}
			back, err := dpop.ParseKey(saved)
			if err != nil {
				t.Fatal(err)
			}
			if back.Alg() != tt.alg || back.Thumbprint() != tt.key.Thumbprint() {
				t.Errorf("restored %v, want alg %s thumbprint %s", back, tt.alg, tt.key.Thumbprint())
			}
			var m map[string]any
			json.Unmarshal(saved, &m)
			if m["alg"] != tt.alg || m["d"] == nil {
				t.Errorf("saved JWK has alg %v and d %v; want %s and the private key", m["alg"], m["d"] != nil, tt.alg)
			}
		})
	}
	k := testKeys(t)[jose.ES256]
	if _, err := k.MarshalPrivateJWK(); !errors.Is(err, dpop.ErrNotExportable) {
		t.Errorf("NewKey(...).MarshalPrivateJWK() error = %v, want ErrNotExportable", err)
	}
}

func must(t *testing.T) func(*dpop.Key, error) *dpop.Key {
	return func(k *dpop.Key, err error) *dpop.Key {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
}

// noPublic is a signer without a Public method.
type noPublic struct{}

func (noPublic) Alg() string                 { return jose.ES256 }
func (noPublic) Sign([]byte) ([]byte, error) { return nil, nil }

// TestKeyRefused: what cannot make proofs gives typed errors.
func TestKeyRefused(t *testing.T) {
	hmac, err := jose.NewHMAC(jose.HS256, []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	small := &rsa.PublicKey{N: new(big.Int).Lsh(big.NewInt(1), 1023), E: 65537}
	tests := []struct {
		name string
		s    jose.Signer
		want error
	}{
		{"nil", nil, signer.ErrWrongKeyType},
		{"HMAC", hmac, signer.ErrUnsupportedAlgorithm},
		{"none", publicSigner{"none", nil}, signer.ErrUnsupportedAlgorithm},
		{"no Public method", noPublic{}, signer.ErrWrongKeyType},
		{"RSA under 2048 bits", publicSigner{jose.RS256, small}, signer.ErrWrongKeyType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if k, err := dpop.NewKey(tt.s); !errors.Is(err, tt.want) || k != nil {
				t.Errorf("NewKey() = %v, %v; want an error wrapping %v", k, err, tt.want)
			}
		})
	}
	parse := []struct {
		name string
		data string
		want error
	}{
		{"not JSON", "key", jose.ErrMalformedJWK},
		{"public key", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`, jose.ErrMalformedJWK},
		{"secret", `{"kty":"oct","k":"c2VjcmV0"}`, signer.ErrUnsupportedAlgorithm},
		{"secret with alg", `{"kty":"oct","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0","alg":"HS256"}`, signer.ErrUnsupportedAlgorithm},
	}
	for _, tt := range parse {
		t.Run("ParseKey/"+tt.name, func(t *testing.T) {
			if k, err := dpop.ParseKey([]byte(tt.data)); !errors.Is(err, tt.want) || k != nil {
				t.Errorf("ParseKey() = %v, %v; want an error wrapping %v", k, err, tt.want)
			}
		})
	}
}

// TestKeyRedacted: no fmt verb prints the private key.
func TestKeyRedacted(t *testing.T) {
	k, err := dpop.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	saved, _ := k.MarshalPrivateJWK()
	var m map[string]string
	json.Unmarshal(saved, &m)
	want := `dpop.Key{Alg:"ES256",Thumbprint:"` + k.Thumbprint() + `"}`
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		got := fmt.Sprintf(verb, k)
		if strings.Contains(got, m["d"]) {
			t.Errorf("%s printed the private key", verb)
		}
		if verb == "%q" {
			want := fmt.Sprintf("%q", want)
			if got != want {
				t.Errorf("%s = %s, want %s", verb, got, want)
			}
		} else if got != want {
			t.Errorf("%s = %s, want %s", verb, got, want)
		}
	}
}

// TestKeyValueRedacted: a Key printed as a value (dereferenced, or a
// field of a struct held by value) shows no more than a *Key does. An
// Ed25519 private key is a byte slice, which fmt would print in full.
func TestKeyValueRedacted(t *testing.T) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := jose.JWK{Key: priv}.MarshalPrivate()
	if err != nil {
		t.Fatal(err)
	}
	k, err := dpop.ParseKey(saved)
	if err != nil {
		t.Fatal(err)
	}
	want := `dpop.Key{Alg:"EdDSA",Thumbprint:"` + k.Thumbprint() + `"}`
	type holder struct{ K dpop.Key }
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%d"} {
		if got := fmt.Sprintf(verb, *k); got != want {
			t.Errorf("Sprintf(%s, *k) = %s, want %s", verb, got, want)
		}
		if got := fmt.Sprintf(verb, holder{*k}); !strings.Contains(got, want) {
			t.Errorf("Sprintf(%s, holder{*k}) = %s, want it to hold %s", verb, got, want)
		}
	}
	// fmt calls no method of a value it reaches through an unexported
	// field, nor of one printed with %p: it walks the Key's own fields.
	// They must not hold the key bytes where fmt can reach them.
	type app struct{ key dpop.Key }
	for _, verb := range []string{"%v", "%+v", "%#v", "%x", "%p"} {
		for name, v := range map[string]any{"app{*k}": app{*k}, "*k": *k} {
			if got := fmt.Sprintf(verb, v); printsBytes(got, priv.Seed()) {
				t.Errorf("Sprintf(%s, %s) printed the private key: %.200s...", verb, name, got)
			}
		}
	}
}

// printsBytes reports whether out holds the first bytes of b as fmt
// prints a byte slice with %v, %#v or %x.
func printsBytes(out string, b []byte) bool {
	b = b[:8]
	v := fmt.Sprint(b)
	gov := fmt.Sprintf("%#v", b)
	return strings.Contains(out, v[1:len(v)-1]) || strings.Contains(out, gov[len("[]byte{"):len(gov)-1]) ||
		strings.Contains(out, fmt.Sprintf("%x", b))
}
