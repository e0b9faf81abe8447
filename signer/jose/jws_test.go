package jose_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/oauthkit/oauth/signer"
	"github.com/oauthkit/oauth/signer/jose"
)

// jwsVector is one published example from testdata/jws_rfc.json.
type jwsVector struct {
	Name          string            `json:"name"`
	Alg           string            `json:"alg"`
	Header        string            `json:"header"`
	Payload       string            `json:"payload"`
	JWK           map[string]string `json:"jwk"`
	Deterministic bool              `json:"deterministic"`
	Compact       string            `json:"compact"`
}

func loadJWSVectors(tb testing.TB) []jwsVector {
	tb.Helper()
	data, err := os.ReadFile("testdata/jws_rfc.json")
	if err != nil {
		tb.Fatal(err)
	}
	var file struct {
		Vectors []jwsVector `json:"vectors"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		tb.Fatal(err)
	}
	return file.Vectors
}

// jwsVectorByName returns the vector called name.
func jwsVectorByName(tb testing.TB, name string) jwsVector {
	tb.Helper()
	for _, v := range loadJWSVectors(tb) {
		if v.Name == name {
			return v
		}
	}
	tb.Fatalf("no JWS vector %q", name)
	return jwsVector{}
}

// b64Bytes decodes unpadded base64url.
func b64Bytes(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		tb.Fatalf("decode %q: %v", s, err)
	}
	return b
}

// b64Int decodes a JWK base64url big-endian integer (RFC 7518 §6.3).
func b64Int(tb testing.TB, s string) *big.Int {
	tb.Helper()
	return new(big.Int).SetBytes(b64Bytes(tb, s))
}

// jwkKeys builds the private and public keys of a JWK with crypto/rsa,
// crypto/ecdsa and crypto/ed25519 directly, independently of the package's
// JWK parser, in the forms NewSigner and NewVerifier take.
func jwkKeys(tb testing.TB, jwk map[string]string) (priv, pub any) {
	tb.Helper()
	switch jwk["kty"] {
	case "oct":
		k := b64Bytes(tb, jwk["k"])
		return k, k
	case "RSA":
		k := &rsa.PrivateKey{
			PublicKey: rsa.PublicKey{N: b64Int(tb, jwk["n"]), E: int(b64Int(tb, jwk["e"]).Int64())},
			D:         b64Int(tb, jwk["d"]),
			Primes:    []*big.Int{b64Int(tb, jwk["p"]), b64Int(tb, jwk["q"])},
		}
		if err := k.Validate(); err != nil {
			tb.Fatalf("JWK RSA key: %v", err)
		}
		k.Precompute()
		for name, got := range map[string]*big.Int{"dp": k.Precomputed.Dp, "dq": k.Precomputed.Dq, "qi": k.Precomputed.Qinv} {
			if want, ok := jwk[name]; ok && got.Cmp(b64Int(tb, want)) != 0 {
				tb.Errorf("JWK %s does not match the key", name)
			}
		}
		return k, &k.PublicKey
	case "EC":
		curves := map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}
		c := curves[jwk["crv"]]
		if c == nil {
			tb.Fatalf("curve %q", jwk["crv"])
		}
		k := &ecdsa.PrivateKey{
			PublicKey: ecdsa.PublicKey{Curve: c, X: b64Int(tb, jwk["x"]), Y: b64Int(tb, jwk["y"])},
			D:         b64Int(tb, jwk["d"]),
		}
		// d matches x, y if what d signs verifies with x, y.
		digest := sha256Sum([]byte("d matches x, y"))
		sig, err := ecdsa.SignASN1(rand.Reader, k, digest)
		if err != nil || !ecdsa.VerifyASN1(&k.PublicKey, digest, sig) {
			tb.Errorf("JWK d does not match x, y")
		}
		return k, &k.PublicKey
	case "OKP":
		k := ed25519.NewKeyFromSeed(b64Bytes(tb, jwk["d"]))
		if pub := k.Public().(ed25519.PublicKey); !bytes.Equal(pub, b64Bytes(tb, jwk["x"])) {
			tb.Errorf("JWK x does not match the seed")
		}
		return k, k.Public()
	}
	tb.Fatalf("kty %q", jwk["kty"])
	return nil, nil
}

// jwsKeys are the asymmetric keys the JWS tests sign with: the RSA-2048
// and P-521 keys of RFC 7520 §3, plus generated P-256, P-384 and Ed25519
// keys.
type jwsKeys struct {
	RSA     *rsa.PrivateKey
	EC256   *ecdsa.PrivateKey
	EC384   *ecdsa.PrivateKey
	EC521   *ecdsa.PrivateKey
	Ed25519 ed25519.PrivateKey
}

var (
	jwsKeysOnce sync.Once
	jwsKeysVal  jwsKeys
)

func testJWSKeys(tb testing.TB) jwsKeys {
	tb.Helper()
	k := keys(tb)
	jwsKeysOnce.Do(func() {
		rsaKey, _ := jwkKeys(tb, jwsVectorByName(tb, "RFC 7520 4.1 RS256").JWK)
		ec521, _ := jwkKeys(tb, jwsVectorByName(tb, "RFC 7520 4.3 ES512").JWK)
		jwsKeysVal = jwsKeys{RSA: rsaKey.(*rsa.PrivateKey), EC256: k.EC, EC384: k.EC384, EC521: ec521.(*ecdsa.PrivateKey), Ed25519: k.Ed25519}
	})
	if jwsKeysVal.RSA == nil {
		tb.Fatal("JWS test keys not built")
	}
	return jwsKeysVal
}

// TestJWSPublishedExamples checks RFC 7515 A.1-A.4, RFC 7520 §4.1-4.4 and
// RFC 8037 A.4-A.5: the deterministic algorithms must reproduce the
// published token byte for byte, every published token must verify, and
// our own tokens of the same input must verify with the published key.
func TestJWSPublishedExamples(t *testing.T) {
	vectors := loadJWSVectors(t)
	if len(vectors) != 9 {
		t.Fatalf("got %d JWS vectors, want 9", len(vectors))
	}
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			priv, pub := jwkKeys(t, v.JWK)
			s, err := jose.NewSigner(v.Alg, priv)
			if err != nil {
				t.Fatalf("NewSigner: %v", err)
			}
			ver, err := jose.NewVerifier(v.Alg, pub)
			if err != nil {
				t.Fatalf("NewVerifier: %v", err)
			}
			if s.Alg() != v.Alg || ver.Alg() != v.Alg {
				t.Errorf("Alg() = %q, %q, want %q", s.Alg(), ver.Alg(), v.Alg)
			}

			header, payload, err := jose.VerifyCompact(ver, v.Compact)
			if err != nil {
				t.Fatalf("VerifyCompact(published token) = %v", err)
			}
			if string(header) != v.Header || string(payload) != v.Payload {
				t.Errorf("VerifyCompact() = %q, %q, want %q, %q", header, payload, v.Header, v.Payload)
			}

			got, err := jose.SignCompact(s, []byte(v.Header), []byte(v.Payload))
			if err != nil {
				t.Fatalf("SignCompact: %v", err)
			}
			if v.Deterministic && got != v.Compact {
				t.Errorf("SignCompact() =\n%s\nwant\n%s", got, v.Compact)
			}
			// Randomized or not, our own token verifies and carries the same
			// header and payload.
			if _, _, err := jose.VerifyCompact(ver, got); err != nil {
				t.Errorf("VerifyCompact(SignCompact()) = %v", err)
			}
			if i := strings.LastIndexByte(got, '.'); got[:i] != v.Compact[:strings.LastIndexByte(v.Compact, '.')] {
				t.Errorf("signing input = %q, want the published one", got[:i])
			}

			// Tampering with the payload or the signature fails.
			parts := strings.Split(v.Compact, ".")
			tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(v.Payload+" ")) + "." + parts[2]
			if _, _, err := jose.VerifyCompact(ver, tampered); !errors.Is(err, signer.ErrVerification) {
				t.Errorf("VerifyCompact(tampered payload) = %v, want ErrVerification", err)
			}
			sig := b64Bytes(t, parts[2])
			sig[len(sig)/2] ^= 0x80
			if err := ver.Verify([]byte(parts[0]+"."+parts[1]), sig); !errors.Is(err, signer.ErrVerification) {
				t.Errorf("Verify(tampered signature) = %v, want ErrVerification", err)
			}

			// The same key through the JWK parser: the private JWK signs,
			// and its public JWK, exported and parsed again, verifies the
			// published token (RFC 8037 A.5 for the Ed25519 vector).
			raw, err := json.Marshal(v.JWK)
			if err != nil {
				t.Fatal(err)
			}
			pj, err := jose.ParsePrivateJWK(raw)
			if err != nil {
				t.Fatalf("ParsePrivateJWK: %v", err)
			}
			js, err := jose.NewSigner(v.Alg, pj.Key)
			if err != nil {
				t.Fatalf("NewSigner(parsed JWK): %v", err)
			}
			if tok, err := jose.SignCompact(js, []byte(v.Header), []byte(v.Payload)); err != nil {
				t.Errorf("SignCompact(parsed JWK) = %v", err)
			} else if v.Deterministic && tok != v.Compact {
				t.Errorf("SignCompact(parsed JWK) =\n%s\nwant\n%s", tok, v.Compact)
			}
			jv, err := pj.Verifier(v.Alg)
			if v.JWK["kty"] != "oct" {
				if !errors.Is(err, signer.ErrWrongKeyType) {
					t.Errorf("private JWK Verifier() error = %v, want ErrWrongKeyType", err)
				}
				pubJWK, err := jose.PublicJWK(pj.Key)
				if err != nil {
					t.Fatalf("PublicJWK: %v", err)
				}
				pubJSON, err := json.Marshal(pubJWK)
				if err != nil {
					t.Fatal(err)
				}
				parsed, err := jose.ParseJWK(pubJSON)
				if err != nil {
					t.Fatalf("ParseJWK(%s): %v", pubJSON, err)
				}
				if jv, err = parsed.Verifier(v.Alg); err != nil {
					t.Fatalf("public JWK Verifier: %v", err)
				}
			} else if err != nil {
				t.Fatalf("oct JWK Verifier: %v", err)
			}
			if _, _, err := jose.VerifyCompact(jv, v.Compact); err != nil {
				t.Errorf("VerifyCompact(published token) with the JWK's verifier = %v", err)
			}
		})
	}
}

// opaqueSigner hides the concrete type of a crypto.Signer, as a KMS or HSM
// key would, so that the generic crypto.Signer path is what runs.
type opaqueSigner struct {
	s     crypto.Signer
	calls int
	mu    sync.Mutex
}

func (o *opaqueSigner) Public() crypto.PublicKey { return o.s.Public() }

func (o *opaqueSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	o.mu.Lock()
	o.calls++
	o.mu.Unlock()
	return o.s.Sign(r, digest, opts)
}

// TestJWSRoundTrip signs and verifies with every algorithm through the
// generic and the per-family constructors, with concrete keys and with
// opaque crypto.Signers.
func TestJWSRoundTrip(t *testing.T) {
	k := testJWSKeys(t)
	secret := []byte("a secret of at least sixty-four bytes, for HS512 as RFC 7518 asks")
	hmacJWS := func(alg string) (jose.Signer, jose.Verifier, error) {
		h, err := jose.NewHMAC(alg, secret)
		return h, h, err
	}
	rsaFam := func(alg string, key crypto.Signer) (jose.Signer, jose.Verifier, error) {
		s, err := jose.NewRSASigner(alg, key)
		if err != nil {
			return nil, nil, err
		}
		v, err := jose.NewRSAVerifier(alg, key.Public().(*rsa.PublicKey))
		return s, v, err
	}
	pssFam := func(alg string, key crypto.Signer) (jose.Signer, jose.Verifier, error) {
		s, err := jose.NewPSSSigner(alg, key)
		if err != nil {
			return nil, nil, err
		}
		v, err := jose.NewPSSVerifier(alg, key.Public().(*rsa.PublicKey))
		return s, v, err
	}
	ecFam := func(alg string, key crypto.Signer) (jose.Signer, jose.Verifier, error) {
		s, err := jose.NewECDSASigner(alg, key)
		if err != nil {
			return nil, nil, err
		}
		v, err := jose.NewECDSAVerifier(alg, key.Public().(*ecdsa.PublicKey))
		return s, v, err
	}
	edFam := func(_ string, key crypto.Signer) (jose.Signer, jose.Verifier, error) {
		s, err := jose.NewEd25519Signer(key)
		if err != nil {
			return nil, nil, err
		}
		v, err := jose.NewEd25519Verifier(key.Public().(ed25519.PublicKey))
		return s, v, err
	}
	tests := []struct {
		alg     string
		key     crypto.Signer // nil for HMAC
		family  func(string, crypto.Signer) (jose.Signer, jose.Verifier, error)
		sigSize int
		det     bool
	}{
		{jose.HS256, nil, nil, 32, true},
		{jose.HS384, nil, nil, 48, true},
		{jose.HS512, nil, nil, 64, true},
		{jose.RS256, k.RSA, rsaFam, 256, true},
		{jose.RS384, k.RSA, rsaFam, 256, true},
		{jose.RS512, k.RSA, rsaFam, 256, true},
		{jose.PS256, k.RSA, pssFam, 256, false},
		{jose.PS384, k.RSA, pssFam, 256, false},
		{jose.PS512, k.RSA, pssFam, 256, false},
		{jose.ES256, k.EC256, ecFam, 64, false},
		{jose.ES384, k.EC384, ecFam, 96, false},
		{jose.ES512, k.EC521, ecFam, 132, false},
		{jose.EdDSA, k.Ed25519, edFam, 64, true},
	}
	for _, tt := range tests {
		type pair struct {
			s jose.Signer
			v jose.Verifier
		}
		pairs := map[string]func(t *testing.T) pair{
			"generic": func(t *testing.T) pair {
				var priv, pub any = secret, secret
				if tt.key != nil {
					priv, pub = tt.key, tt.key.Public()
				}
				s, err := jose.NewSigner(tt.alg, priv)
				if err != nil {
					t.Fatalf("NewSigner: %v", err)
				}
				v, err := jose.NewVerifier(tt.alg, pub)
				if err != nil {
					t.Fatalf("NewVerifier: %v", err)
				}
				return pair{s, v}
			},
			"family": func(t *testing.T) pair {
				var s jose.Signer
				var v jose.Verifier
				var err error
				if tt.key == nil {
					s, v, err = hmacJWS(tt.alg)
				} else {
					s, v, err = tt.family(tt.alg, tt.key)
				}
				if err != nil {
					t.Fatalf("family constructors: %v", err)
				}
				return pair{s, v}
			},
			"opaque crypto.Signer": func(t *testing.T) pair {
				if tt.key == nil {
					t.Skip("HMAC takes a secret")
				}
				o := &opaqueSigner{s: tt.key}
				s, v, err := tt.family(tt.alg, o)
				if err != nil {
					t.Fatalf("family constructors: %v", err)
				}
				t.Cleanup(func() {
					if o.calls == 0 {
						t.Error("the opaque key's Sign was never called")
					}
				})
				return pair{s, v}
			},
		}
		for _, how := range []string{"generic", "family", "opaque crypto.Signer"} {
			t.Run(tt.alg+"/"+how, func(t *testing.T) {
				p := pairs[how](t)
				if p.s.Alg() != tt.alg || p.v.Alg() != tt.alg {
					t.Errorf("Alg() = %q, %q, want %q", p.s.Alg(), p.v.Alg(), tt.alg)
				}
				if tt.key != nil {
					pk, ok := p.s.(interface{ Public() crypto.PublicKey })
					if !ok {
						t.Fatalf("%T has no Public method", p.s)
					}
					if !tt.key.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(pk.Public()) {
						t.Errorf("Public() is not the key's public key")
					}
				}
				input := []byte("eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UifQ")
				sig, err := p.s.Sign(input)
				if err != nil {
					t.Fatalf("Sign: %v", err)
				}
				if len(sig) != tt.sigSize {
					t.Errorf("len(Sign()) = %d, want %d", len(sig), tt.sigSize)
				}
				if sig2, err := p.s.Sign(input); err != nil || bytes.Equal(sig, sig2) != tt.det {
					t.Errorf("second Sign() = %v; equal to the first: %v, want %v", err, bytes.Equal(sig, sig2), tt.det)
				}
				if err := p.v.Verify(input, sig); err != nil {
					t.Errorf("Verify(Sign()) = %v", err)
				}
				if err := p.v.Verify(append(input, 'x'), sig); !errors.Is(err, signer.ErrVerification) {
					t.Errorf("Verify(tampered message) = %v, want ErrVerification", err)
				}
				if err := p.v.Verify(input, sig[:len(sig)-1]); !errors.Is(err, signer.ErrVerification) {
					t.Errorf("Verify(short signature) = %v, want ErrVerification", err)
				}
				if err := p.v.Verify(input, append(sig, 0)); !errors.Is(err, signer.ErrVerification) {
					t.Errorf("Verify(long signature) = %v, want ErrVerification", err)
				}
				if err := p.v.Verify(input, nil); !errors.Is(err, signer.ErrVerification) {
					t.Errorf("Verify(nil signature) = %v, want ErrVerification", err)
				}

				header := []byte(`{"alg":"` + tt.alg + `","typ":"dpop+jwt"}`)
				token, err := jose.SignCompact(p.s, header, []byte(`{"jti":"x"}`))
				if err != nil {
					t.Fatalf("SignCompact: %v", err)
				}
				if strings.ContainsAny(token, "=+/") {
					t.Errorf("SignCompact() = %q, want unpadded base64url", token)
				}
				h, pl, err := jose.VerifyCompact(p.v, token)
				if err != nil || string(h) != string(header) || string(pl) != `{"jti":"x"}` {
					t.Errorf("VerifyCompact(SignCompact()) = %q, %q, %v", h, pl, err)
				}
			})
		}
	}
}

// TestJWSCrossAlgorithm checks that a signature made with one algorithm does
// not verify under another with the same key material.
func TestJWSCrossAlgorithm(t *testing.T) {
	k := testJWSKeys(t)
	secret := []byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	tests := []struct {
		signAlg, verifyAlg string
		priv, pub          any
	}{
		{jose.PS256, jose.RS256, k.RSA, &k.RSA.PublicKey},
		{jose.RS256, jose.PS256, k.RSA, &k.RSA.PublicKey},
		{jose.RS256, jose.RS384, k.RSA, &k.RSA.PublicKey},
		{jose.PS512, jose.PS384, k.RSA, &k.RSA.PublicKey},
		{jose.HS256, jose.HS512, secret, secret},
		{jose.HS512, jose.HS384, secret, secret},
	}
	for _, tt := range tests {
		t.Run(tt.signAlg+" as "+tt.verifyAlg, func(t *testing.T) {
			s, err := jose.NewSigner(tt.signAlg, tt.priv)
			if err != nil {
				t.Fatal(err)
			}
			v, err := jose.NewVerifier(tt.verifyAlg, tt.pub)
			if err != nil {
				t.Fatal(err)
			}
			sig, err := s.Sign([]byte("a.b"))
			if err != nil {
				t.Fatal(err)
			}
			if err := v.Verify([]byte("a.b"), sig); !errors.Is(err, signer.ErrVerification) {
				t.Errorf("%s Verify(%s signature) = %v, want ErrVerification", tt.verifyAlg, tt.signAlg, err)
			}
		})
	}
}

// TestPSSSaltLength checks RFC 7518 §3.5: the salt is as long as the hash.
// Our PS384 signatures verify with crypto/rsa told exactly that, and a PS384
// signature with another salt length does not verify.
func TestPSSSaltLength(t *testing.T) {
	k := testJWSKeys(t)
	s, _ := jose.NewPSSSigner(jose.PS384, k.RSA)
	v, _ := jose.NewPSSVerifier(jose.PS384, &k.RSA.PublicKey)
	msg := []byte("a.b")
	d := sha512.Sum384(msg)
	sig, err := s.Sign(msg)
	if err != nil {
		t.Fatal(err)
	}
	if err := rsa.VerifyPSS(&k.RSA.PublicKey, crypto.SHA384, d[:], sig, &rsa.PSSOptions{SaltLength: 48}); err != nil {
		t.Errorf("rsa.VerifyPSS(salt 48) = %v", err)
	}
	for _, salt := range []int{0, 32, 64, rsa.PSSSaltLengthAuto} {
		other, err := rsa.SignPSS(rand.Reader, k.RSA, crypto.SHA384, d[:], &rsa.PSSOptions{SaltLength: salt})
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Verify(msg, other); !errors.Is(err, signer.ErrVerification) {
			t.Errorf("Verify(signature with salt length %d) = %v, want ErrVerification", salt, err)
		}
	}
}

func TestNewJWSKeyErrors(t *testing.T) {
	k := keys(t)
	jk := testJWSKeys(t)
	var nilRSA *rsa.PrivateKey
	var nilRSAPub *rsa.PublicKey
	var nilEC *ecdsa.PrivateKey
	var nilEdPtr *ed25519.PrivateKey
	evenE := &rsa.PublicKey{N: jk.RSA.N, E: 65536}
	tests := []struct {
		name    string
		alg     string
		key     any
		public  bool
		wantErr error
	}{
		{"none", "none", []byte("k"), false, signer.ErrUnsupportedAlgorithm},
		{"none verifier", "none", []byte("k"), true, signer.ErrUnsupportedAlgorithm},
		{"empty alg", "", []byte("k"), false, signer.ErrUnsupportedAlgorithm},
		{"ES256K", "ES256K", jk.EC256, false, signer.ErrUnsupportedAlgorithm},
		{"lower-case", "hs256", []byte("k"), true, signer.ErrUnsupportedAlgorithm},
		{"HS256 string key", jose.HS256, "secret", false, signer.ErrWrongKeyType},
		{"HS256 empty", jose.HS256, []byte{}, false, signer.ErrWrongKeyType},
		{"HS384 nil", jose.HS384, nil, true, signer.ErrWrongKeyType},
		{"HS256 rsa key", jose.HS256, jk.RSA, false, signer.ErrWrongKeyType},
		{"HS256 rsa public key", jose.HS256, &jk.RSA.PublicKey, true, signer.ErrWrongKeyType},
		{"HS256 ecdsa public key", jose.HS256, &jk.EC256.PublicKey, true, signer.ErrWrongKeyType},
		{"HS256 ed25519 public key", jose.HS256, jk.Ed25519.Public(), true, signer.ErrWrongKeyType},
		{"RS256 public key to signer", jose.RS256, &jk.RSA.PublicKey, false, signer.ErrWrongKeyType},
		{"RS256 private key to verifier", jose.RS256, jk.RSA, true, signer.ErrWrongKeyType},
		{"RS256 nil", jose.RS256, nil, false, signer.ErrWrongKeyType},
		{"RS256 typed nil", jose.RS256, nilRSA, false, signer.ErrWrongKeyType},
		{"RS256 typed nil public", jose.RS256, nilRSAPub, true, signer.ErrWrongKeyType},
		{"RS256 1024-bit key", jose.RS256, k.RSA, false, signer.ErrWrongKeyType},
		{"PS256 1024-bit public key", jose.PS256, &k.RSA.PublicKey, true, signer.ErrWrongKeyType},
		{"RS256 even exponent", jose.RS256, evenE, true, signer.ErrWrongKeyType},
		{"PS256 ecdsa", jose.PS256, jk.EC256, false, signer.ErrWrongKeyType},
		{"RS256 rsa value not pointer", jose.RS256, *jk.RSA, false, signer.ErrWrongKeyType},
		{"ES256 P-384", jose.ES256, jk.EC384, false, signer.ErrWrongKeyType},
		{"ES384 P-256 public", jose.ES384, &jk.EC256.PublicKey, true, signer.ErrWrongKeyType},
		{"ES512 P-256", jose.ES512, jk.EC256, false, signer.ErrWrongKeyType},
		{"ES256 typed nil", jose.ES256, nilEC, false, signer.ErrWrongKeyType},
		{"ES256 no curve", jose.ES256, &ecdsa.PrivateKey{D: big.NewInt(1)}, false, signer.ErrWrongKeyType},
		{"ES256 point not on curve", jose.ES256, &ecdsa.PublicKey{Curve: elliptic.P256(), X: big.NewInt(1), Y: big.NewInt(1)}, true, signer.ErrWrongKeyType},
		{"ES256 ed25519", jose.ES256, jk.Ed25519, false, signer.ErrWrongKeyType},
		{"ES256 rsa public", jose.ES256, &jk.RSA.PublicKey, true, signer.ErrWrongKeyType},
		{"EdDSA typed nil pointer", jose.EdDSA, nilEdPtr, false, signer.ErrWrongKeyType},
		{"EdDSA seed only", jose.EdDSA, ed25519.PrivateKey(jk.Ed25519.Seed()), false, signer.ErrWrongKeyType},
		{"EdDSA private key to verifier", jose.EdDSA, jk.Ed25519, true, signer.ErrWrongKeyType},
		{"EdDSA short public", jose.EdDSA, ed25519.PublicKey{1, 2, 3}, true, signer.ErrWrongKeyType},
		{"EdDSA []byte", jose.EdDSA, []byte(jk.Ed25519), false, signer.ErrWrongKeyType},
		{"EdDSA rsa key", jose.EdDSA, jk.RSA, false, signer.ErrWrongKeyType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.public {
				var v jose.Verifier
				v, err = jose.NewVerifier(tt.alg, tt.key)
				if v != nil {
					t.Errorf("NewVerifier() returned a verifier with error %v", err)
				}
			} else {
				var s jose.Signer
				s, err = jose.NewSigner(tt.alg, tt.key)
				if s != nil {
					t.Errorf("NewSigner() returned a signer with error %v", err)
				}
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error = %v, want %v", err, tt.wantErr)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "jose: ") {
				t.Errorf("error %q lacks the jose: prefix", err)
			}
		})
	}
}

// TestFamilyConstructorsRefuseOtherAlgs checks that each family's
// constructor accepts only its own algorithms.
func TestFamilyConstructorsRefuseOtherAlgs(t *testing.T) {
	k := testJWSKeys(t)
	tests := []struct {
		name string
		call func() error
	}{
		{"NewHMAC RS256", func() error { _, err := jose.NewHMAC(jose.RS256, []byte("k")); return err }},
		{"NewHMAC none", func() error { _, err := jose.NewHMAC("none", []byte("k")); return err }},
		{"NewRSASigner PS256", func() error { _, err := jose.NewRSASigner(jose.PS256, k.RSA); return err }},
		{"NewRSAVerifier HS256", func() error { _, err := jose.NewRSAVerifier(jose.HS256, &k.RSA.PublicKey); return err }},
		{"NewPSSSigner RS256", func() error { _, err := jose.NewPSSSigner(jose.RS256, k.RSA); return err }},
		{"NewPSSVerifier RS512", func() error { _, err := jose.NewPSSVerifier(jose.RS512, &k.RSA.PublicKey); return err }},
		{"NewECDSASigner EdDSA", func() error { _, err := jose.NewECDSASigner(jose.EdDSA, k.EC256); return err }},
		{"NewECDSAVerifier RS256", func() error {
			_, err := jose.NewECDSAVerifier(jose.RS256, &k.EC256.PublicKey)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, signer.ErrUnsupportedAlgorithm) {
				t.Errorf("error = %v, want ErrUnsupportedAlgorithm", err)
			}
		})
	}
}

// TestZeroValues checks that a signer or verifier no constructor made
// fails with an error, not a panic.
func TestZeroValues(t *testing.T) {
	signers := []jose.Signer{&jose.HMAC{}, &jose.RSASigner{}, &jose.PSSSigner{},
		&jose.ECDSASigner{}, &jose.Ed25519Signer{}}
	for _, s := range signers {
		if _, err := s.Sign([]byte("a.b")); !errors.Is(err, signer.ErrWrongKeyType) {
			t.Errorf("%T.Sign() error = %v, want ErrWrongKeyType", s, err)
		}
	}
	verifiers := []jose.Verifier{&jose.HMAC{}, &jose.RSAVerifier{}, &jose.PSSVerifier{},
		&jose.ECDSAVerifier{}, &jose.Ed25519Verifier{}}
	for _, v := range verifiers {
		if err := v.Verify([]byte("a.b"), []byte("sig")); !errors.Is(err, signer.ErrWrongKeyType) {
			t.Errorf("%T.Verify() error = %v, want ErrWrongKeyType", v, err)
		}
	}
	if _, err := jose.SignCompact(nil, []byte(`{"alg":"HS256"}`), nil); !errors.Is(err, signer.ErrWrongKeyType) {
		t.Errorf("SignCompact(nil) error = %v, want ErrWrongKeyType", err)
	}
	if _, _, err := jose.VerifyCompact(nil, "a.b.c"); !errors.Is(err, signer.ErrWrongKeyType) {
		t.Errorf("VerifyCompact(nil) error = %v, want ErrWrongKeyType", err)
	}
}

// TestJWSSecretNotInErrors checks that no error message shows the key.
func TestJWSSecretNotInErrors(t *testing.T) {
	secret := []byte("super-secret-value-0123456789abcdef")
	_, err := jose.NewSigner("HS1024", secret)
	v, _ := jose.NewVerifier(jose.HS256, secret)
	_, _, err2 := jose.VerifyCompact(v, "eyJhbGciOiJIUzI1NiJ9.e30.AAAA")
	for _, e := range []error{err, err2} {
		if e == nil || strings.Contains(e.Error(), string(secret)) {
			t.Errorf("error %v: want an error without the secret", e)
		}
	}
}

// staticSigner is a Signer of the test's own: any implementation works
// with SignCompact.
type staticSigner struct{ alg string }

func (s staticSigner) Alg() string                    { return s.alg }
func (s staticSigner) Sign(in []byte) ([]byte, error) { return []byte("sig"), nil }

func TestVerifyCompactErrors(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	s, _ := jose.NewHMAC(jose.HS256, secret)
	enc := base64.RawURLEncoding.EncodeToString
	sign := func(header string) string {
		// Sign arbitrary headers directly, bypassing SignCompact's alg check,
		// to build hostile tokens with valid HS256 signatures.
		in := enc([]byte(header)) + "." + enc([]byte(`{}`))
		sig, err := s.Sign([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		return in + "." + enc(sig)
	}
	valid := sign(`{"alg":"HS256"}`)
	parts := strings.Split(valid, ".")

	tests := []struct {
		name    string
		token   string
		wantErr error
	}{
		{"valid", valid, nil},
		{"escaped member name", sign(`{"\u0061lg":"HS256"}`), nil},
		{"empty", "", jose.ErrMalformedJWS},
		{"one part", parts[0], jose.ErrMalformedJWS},
		{"two parts", parts[0] + "." + parts[1], jose.ErrMalformedJWS},
		{"four parts", valid + ".x", jose.ErrMalformedJWS},
		{"JWE-like five parts", "a.b.c.d.e", jose.ErrMalformedJWS},
		{"padded header", parts[0] + "==." + parts[1] + "." + parts[2], jose.ErrMalformedJWS},
		{"std base64 header", "eyJhbGciOiJIUzI1NiJ9+." + parts[1] + "." + parts[2], jose.ErrMalformedJWS},
		{"bad payload base64", parts[0] + ".e30*." + parts[2], jose.ErrMalformedJWS},
		{"bad signature base64", parts[0] + "." + parts[1] + ".!!", jose.ErrMalformedJWS},
		{"non-canonical signature base64", parts[0] + "." + parts[1] + "." + parts[2][:len(parts[2])-1] + "l", jose.ErrMalformedJWS},
		{"header not json", enc([]byte("not json")) + "." + parts[1] + "." + parts[2], jose.ErrMalformedJWS},
		{"header json array", sign(`["HS256"]`), jose.ErrMalformedJWS},
		{"header with trailing data", sign(`{"alg":"HS256"}{}`), jose.ErrMalformedJWS},
		{"duplicate alg", sign(`{"alg":"HS256","alg":"HS256"}`), jose.ErrMalformedJWS},
		{"duplicate alg, none last", sign(`{"alg":"HS256","alg":"none"}`), jose.ErrMalformedJWS},
		{"crit header", sign(`{"alg":"HS256","crit":["b64"],"b64":false}`), jose.ErrMalformedJWS},
		{"alg null", sign(`{"alg":null}`), jose.ErrMalformedJWS},
		{"alg not a string", sign(`{"alg":256}`), jose.ErrMalformedJWS},
		{"alg none", sign(`{"alg":"none"}`), jose.ErrAlgorithmMismatch},
		{"alg none unsigned", enc([]byte(`{"alg":"none"}`)) + "." + parts[1] + ".", jose.ErrAlgorithmMismatch},
		{"alg missing", sign(`{"typ":"JWT"}`), jose.ErrAlgorithmMismatch},
		{"alg in upper case name", sign(`{"ALG":"HS256"}`), jose.ErrAlgorithmMismatch},
		{"alg RS256", sign(`{"alg":"RS256"}`), jose.ErrAlgorithmMismatch},
		{"alg HS512", sign(`{"alg":"HS512"}`), jose.ErrAlgorithmMismatch},
		{"alg lower-case", sign(`{"alg":"hs256"}`), jose.ErrAlgorithmMismatch},
		{"empty signature", parts[0] + "." + parts[1] + ".", signer.ErrVerification},
		{"wrong signature", parts[0] + "." + parts[1] + "." + enc(make([]byte, 32)), signer.ErrVerification},
		{"other payload", parts[0] + "." + enc([]byte(`{"a":1}`)) + "." + parts[2], signer.ErrVerification},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, p, err := jose.VerifyCompact(s, tt.token)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("VerifyCompact(%q) error = %v, want %v", tt.token, err, tt.wantErr)
			}
			if err != nil && (h != nil || p != nil) {
				t.Errorf("VerifyCompact(%q) = %q, %q with error, want nil", tt.token, h, p)
			}
		})
	}
}

func TestSignCompactHeaderCheck(t *testing.T) {
	s, _ := jose.NewHMAC(jose.HS256, []byte("k"))
	tests := []struct {
		name    string
		s       jose.Signer
		header  string
		wantErr error
	}{
		{"matching", s, `{"alg":"HS256"}`, nil},
		{"another implementation", staticSigner{"ES256K"}, `{"alg":"ES256K"}`, nil},
		{"other alg", s, `{"alg":"RS256"}`, jose.ErrAlgorithmMismatch},
		{"none", s, `{"alg":"none"}`, jose.ErrAlgorithmMismatch},
		{"none signer", staticSigner{"none"}, `{"alg":"none"}`, jose.ErrAlgorithmMismatch},
		{"no alg", s, `{}`, jose.ErrAlgorithmMismatch},
		{"not json", s, `alg=HS256`, jose.ErrMalformedJWS},
		{"duplicate alg", s, `{"alg":"HS256","alg":"HS256"}`, jose.ErrMalformedJWS},
		{"crit", s, `{"alg":"HS256","crit":["exp"]}`, jose.ErrMalformedJWS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := jose.SignCompact(tt.s, []byte(tt.header), []byte("{}"))
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("SignCompact(%s) = %v, want %v", tt.header, err, tt.wantErr)
			}
		})
	}
}

// TestECDSARawSignature checks the R || S form of RFC 7518 §3.4: R and S are
// left-padded to the curve's size (66 bytes each for P-521), and a signature
// re-encoded as ASN.1 does not verify.
func TestECDSARawSignature(t *testing.T) {
	k := testJWSKeys(t)
	tests := []struct {
		alg  string
		key  *ecdsa.PrivateKey
		size int
		hash func([]byte) []byte
	}{
		{jose.ES256, k.EC256, 32, sha256Sum},
		{jose.ES384, k.EC384, 48, func(b []byte) []byte { d := sha512.Sum384(b); return d[:] }},
		{jose.ES512, k.EC521, 66, func(b []byte) []byte { d := sha512.Sum512(b); return d[:] }},
	}
	for _, tt := range tests {
		t.Run(tt.alg, func(t *testing.T) {
			s, err := jose.NewECDSASigner(tt.alg, tt.key)
			if err != nil {
				t.Fatal(err)
			}
			v, err := jose.NewECDSAVerifier(tt.alg, &tt.key.PublicKey)
			if err != nil {
				t.Fatal(err)
			}
			short := false
			for i := 0; i < 16; i++ { // some R or S will be shorter than the curve size
				msg := []byte{byte(i)}
				sig, err := s.Sign(msg)
				if err != nil {
					t.Fatal(err)
				}
				if len(sig) != 2*tt.size {
					t.Fatalf("len(sig) = %d, want %d", len(sig), 2*tt.size)
				}
				r, ss := new(big.Int).SetBytes(sig[:tt.size]), new(big.Int).SetBytes(sig[tt.size:])
				short = short || (r.BitLen()+7)/8 < tt.size || (ss.BitLen()+7)/8 < tt.size
				if !ecdsa.Verify(&tt.key.PublicKey, tt.hash(msg), r, ss) {
					t.Fatal("R || S does not verify with crypto/ecdsa")
				}
				asn1Sig, err := ecdsa.SignASN1(rand.Reader, tt.key, tt.hash(msg))
				if err != nil {
					t.Fatal(err)
				}
				if err := v.Verify(msg, asn1Sig); !errors.Is(err, signer.ErrVerification) {
					t.Fatalf("Verify(ASN.1 signature) = %v, want ErrVerification", err)
				}
			}
			// P-521's order has 521 bits, so half of all R and S fit in 65
			// bytes; on the other curves a short one is too rare to require.
			if tt.size == 66 && !short {
				t.Error("no signature had a short R or S; padding untested")
			}
		})
	}
}
