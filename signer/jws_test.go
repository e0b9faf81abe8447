package signer_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/signer"
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

// b64Int decodes a JWK base64url big-endian integer (RFC 7518 §6.3).
func b64Bytes(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		tb.Fatalf("decode %q: %v", s, err)
	}
	return b
}

func b64Int(tb testing.TB, s string) *big.Int {
	tb.Helper()
	return new(big.Int).SetBytes(b64Bytes(tb, s))
}

// jwkKeys builds the private and public keys of a JWK in the forms
// NewJWSSigner and NewJWSVerifier take.
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
		if jwk["crv"] != "P-256" {
			tb.Fatalf("curve %q", jwk["crv"])
		}
		k := &ecdsa.PrivateKey{
			PublicKey: ecdsa.PublicKey{Curve: elliptic.P256(), X: b64Int(tb, jwk["x"]), Y: b64Int(tb, jwk["y"])},
			D:         b64Int(tb, jwk["d"]),
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

// TestJWSPublishedExamples checks RFC 7515 A.1-A.3 and RFC 8037 A.4: the
// deterministic algorithms must reproduce the published token byte for
// byte, and every published token must verify.
func TestJWSPublishedExamples(t *testing.T) {
	vectors := loadJWSVectors(t)
	if len(vectors) != 4 {
		t.Fatalf("got %d JWS vectors, want 4", len(vectors))
	}
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			priv, pub := jwkKeys(t, v.JWK)
			s, err := signer.NewJWSSigner(v.Alg, priv)
			if err != nil {
				t.Fatalf("NewJWSSigner: %v", err)
			}
			ver, err := signer.NewJWSVerifier(v.Alg, pub)
			if err != nil {
				t.Fatalf("NewJWSVerifier: %v", err)
			}
			if s.Alg() != v.Alg || ver.Alg() != v.Alg {
				t.Errorf("Alg() = %q, %q, want %q", s.Alg(), ver.Alg(), v.Alg)
			}

			header, payload, err := ver.VerifyCompact(v.Compact)
			if err != nil {
				t.Fatalf("VerifyCompact(published token) = %v", err)
			}
			if string(header) != v.Header || string(payload) != v.Payload {
				t.Errorf("VerifyCompact() = %q, %q, want %q, %q", header, payload, v.Header, v.Payload)
			}

			got, err := s.SignCompact([]byte(v.Header), []byte(v.Payload))
			if err != nil {
				t.Fatalf("SignCompact: %v", err)
			}
			if v.Deterministic && got != v.Compact {
				t.Errorf("SignCompact() =\n%s\nwant\n%s", got, v.Compact)
			}
			// Randomized or not, our own token verifies and carries the same
			// header and payload.
			if _, _, err := ver.VerifyCompact(got); err != nil {
				t.Errorf("VerifyCompact(SignCompact()) = %v", err)
			}
			if i := strings.LastIndexByte(got, '.'); got[:i] != v.Compact[:strings.LastIndexByte(v.Compact, '.')] {
				t.Errorf("signing input = %q, want the published one", got[:i])
			}

			// Tampering with the payload or the signature fails.
			parts := strings.Split(v.Compact, ".")
			tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(v.Payload+" ")) + "." + parts[2]
			if _, _, err := ver.VerifyCompact(tampered); !errors.Is(err, signer.ErrVerification) {
				t.Errorf("VerifyCompact(tampered payload) = %v, want ErrVerification", err)
			}
			sig := b64Bytes(t, parts[2])
			sig[0] ^= 0x80
			if err := ver.Verify([]byte(parts[0]+"."+parts[1]), sig); !errors.Is(err, signer.ErrVerification) {
				t.Errorf("Verify(tampered signature) = %v, want ErrVerification", err)
			}
		})
	}
}

// TestJWSRoundTrip signs and verifies with every algorithm, including PS256
// (randomized, so no published value can be reproduced).
func TestJWSRoundTrip(t *testing.T) {
	k := keys(t)
	tests := []struct {
		alg     string
		priv    any
		pub     any
		sigSize int
	}{
		{signer.HS256, []byte("a secret of at least thirty-two bytes!"), []byte("a secret of at least thirty-two bytes!"), 32},
		{signer.RS256, k.RSA, &k.RSA.PublicKey, 128},
		{signer.PS256, k.RSA, &k.RSA.PublicKey, 128},
		{signer.ES256, k.EC, &k.EC.PublicKey, 64},
		{signer.EdDSA, k.Ed25519, k.Ed25519.Public(), 64},
	}
	for _, tt := range tests {
		t.Run(tt.alg, func(t *testing.T) {
			s, err := signer.NewJWSSigner(tt.alg, tt.priv)
			if err != nil {
				t.Fatalf("NewJWSSigner: %v", err)
			}
			v, err := signer.NewJWSVerifier(tt.alg, tt.pub)
			if err != nil {
				t.Fatalf("NewJWSVerifier: %v", err)
			}
			input := []byte("eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UifQ")
			sig, err := s.Sign(input)
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}
			if len(sig) != tt.sigSize {
				t.Errorf("len(Sign()) = %d, want %d", len(sig), tt.sigSize)
			}
			if err := v.Verify(input, sig); err != nil {
				t.Errorf("Verify(Sign()) = %v", err)
			}
			if err := v.Verify(append(input, 'x'), sig); !errors.Is(err, signer.ErrVerification) {
				t.Errorf("Verify(tampered message) = %v, want ErrVerification", err)
			}
			if err := v.Verify(input, sig[:len(sig)-1]); !errors.Is(err, signer.ErrVerification) {
				t.Errorf("Verify(short signature) = %v, want ErrVerification", err)
			}
			if err := v.Verify(input, nil); !errors.Is(err, signer.ErrVerification) {
				t.Errorf("Verify(nil signature) = %v, want ErrVerification", err)
			}

			header := []byte(`{"alg":"` + tt.alg + `","typ":"dpop+jwt"}`)
			token, err := s.SignCompact(header, []byte(`{"jti":"x"}`))
			if err != nil {
				t.Fatalf("SignCompact: %v", err)
			}
			if strings.ContainsAny(token, "=+/") {
				t.Errorf("SignCompact() = %q, want unpadded base64url", token)
			}
			h, p, err := v.VerifyCompact(token)
			if err != nil || string(h) != string(header) || string(p) != `{"jti":"x"}` {
				t.Errorf("VerifyCompact(SignCompact()) = %q, %q, %v", h, p, err)
			}
		})
	}
}

// TestJWSCrossAlgorithm checks that a token signed with one algorithm does
// not verify under another with the same key material: PS256 vs RS256.
func TestJWSCrossAlgorithm(t *testing.T) {
	k := keys(t).RSA
	ps, _ := signer.NewJWSSigner(signer.PS256, k)
	rs, _ := signer.NewJWSVerifier(signer.RS256, &k.PublicKey)
	input := []byte("a.b")
	sig, err := ps.Sign(input)
	if err != nil {
		t.Fatal(err)
	}
	if err := rs.Verify(input, sig); !errors.Is(err, signer.ErrVerification) {
		t.Errorf("RS256 Verify(PS256 signature) = %v, want ErrVerification", err)
	}
}

func TestNewJWSKeyErrors(t *testing.T) {
	k := keys(t)
	var nilRSA *rsa.PrivateKey
	var nilRSAPub *rsa.PublicKey
	var nilEC *ecdsa.PrivateKey
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
		{"HS512", "HS512", []byte("k"), false, signer.ErrUnsupportedAlgorithm},
		{"lower-case", "hs256", []byte("k"), true, signer.ErrUnsupportedAlgorithm},
		{"HS256 string key", signer.HS256, "secret", false, signer.ErrWrongKeyType},
		{"HS256 empty", signer.HS256, []byte{}, false, signer.ErrWrongKeyType},
		{"HS256 nil", signer.HS256, nil, true, signer.ErrWrongKeyType},
		{"HS256 rsa key", signer.HS256, k.RSA, false, signer.ErrWrongKeyType},
		{"RS256 public key to signer", signer.RS256, &k.RSA.PublicKey, false, signer.ErrWrongKeyType},
		{"RS256 private key to verifier", signer.RS256, k.RSA, true, signer.ErrWrongKeyType},
		{"RS256 nil", signer.RS256, nil, false, signer.ErrWrongKeyType},
		{"RS256 typed nil", signer.RS256, nilRSA, false, signer.ErrWrongKeyType},
		{"RS256 typed nil public", signer.RS256, nilRSAPub, true, signer.ErrWrongKeyType},
		{"PS256 ecdsa", signer.PS256, k.EC, false, signer.ErrWrongKeyType},
		{"RS256 rsa value not pointer", signer.RS256, *k.RSA, false, signer.ErrWrongKeyType},
		{"ES256 P-384", signer.ES256, k.EC384, false, signer.ErrWrongKeyType},
		{"ES256 P-384 public", signer.ES256, &k.EC384.PublicKey, true, signer.ErrWrongKeyType},
		{"ES256 typed nil", signer.ES256, nilEC, false, signer.ErrWrongKeyType},
		{"ES256 no curve", signer.ES256, &ecdsa.PrivateKey{D: big.NewInt(1)}, false, signer.ErrWrongKeyType},
		{"ES256 ed25519", signer.ES256, k.Ed25519, false, signer.ErrWrongKeyType},
		{"ES256 rsa public", signer.ES256, &k.RSA.PublicKey, true, signer.ErrWrongKeyType},
		{"EdDSA pointer", signer.EdDSA, &k.Ed25519, false, signer.ErrWrongKeyType},
		{"EdDSA seed only", signer.EdDSA, ed25519.PrivateKey(k.Ed25519.Seed()), false, signer.ErrWrongKeyType},
		{"EdDSA private key to verifier", signer.EdDSA, k.Ed25519, true, signer.ErrWrongKeyType},
		{"EdDSA short public", signer.EdDSA, ed25519.PublicKey{1, 2, 3}, true, signer.ErrWrongKeyType},
		{"EdDSA []byte", signer.EdDSA, []byte(k.Ed25519), false, signer.ErrWrongKeyType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.public {
				var v *signer.JWSVerifier
				v, err = signer.NewJWSVerifier(tt.alg, tt.key)
				if v != nil {
					t.Errorf("NewJWSVerifier() returned a verifier with error %v", err)
				}
			} else {
				var s *signer.JWSSigner
				s, err = signer.NewJWSSigner(tt.alg, tt.key)
				if s != nil {
					t.Errorf("NewJWSSigner() returned a signer with error %v", err)
				}
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error = %v, want %v", err, tt.wantErr)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "signer: ") {
				t.Errorf("error %q lacks the signer: prefix", err)
			}
		})
	}
}

// TestJWSSecretNotInErrors checks that no error message shows the key.
func TestJWSSecretNotInErrors(t *testing.T) {
	secret := []byte("super-secret-value-0123456789abcdef")
	_, err := signer.NewJWSSigner("HS512", secret)
	v, _ := signer.NewJWSVerifier(signer.HS256, secret)
	_, _, err2 := v.VerifyCompact("eyJhbGciOiJIUzI1NiJ9.e30.AAAA")
	for _, e := range []error{err, err2} {
		if e == nil || strings.Contains(e.Error(), string(secret)) {
			t.Errorf("error %v: want an error without the secret", e)
		}
	}
}

func TestVerifyCompactErrors(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	s, _ := signer.NewJWSSigner(signer.HS256, secret)
	v, _ := signer.NewJWSVerifier(signer.HS256, secret)
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
		{"empty", "", signer.ErrMalformedJWS},
		{"one part", parts[0], signer.ErrMalformedJWS},
		{"two parts", parts[0] + "." + parts[1], signer.ErrMalformedJWS},
		{"four parts", valid + ".x", signer.ErrMalformedJWS},
		{"JWE-like five parts", "a.b.c.d.e", signer.ErrMalformedJWS},
		{"padded header", parts[0] + "==." + parts[1] + "." + parts[2], signer.ErrMalformedJWS},
		{"std base64 header", "eyJhbGciOiJIUzI1NiJ9+." + parts[1] + "." + parts[2], signer.ErrMalformedJWS},
		{"bad payload base64", parts[0] + ".e30*." + parts[2], signer.ErrMalformedJWS},
		{"bad signature base64", parts[0] + "." + parts[1] + ".!!", signer.ErrMalformedJWS},
		{"non-canonical signature base64", parts[0] + "." + parts[1] + "." + parts[2][:len(parts[2])-1] + "l", signer.ErrMalformedJWS},
		{"header not json", enc([]byte("not json")) + "." + parts[1] + "." + parts[2], signer.ErrMalformedJWS},
		{"header json array", sign(`["HS256"]`), signer.ErrMalformedJWS},
		{"crit header", sign(`{"alg":"HS256","crit":["b64"],"b64":false}`), signer.ErrMalformedJWS},
		{"alg none", sign(`{"alg":"none"}`), signer.ErrAlgorithmMismatch},
		{"alg none unsigned", enc([]byte(`{"alg":"none"}`)) + "." + parts[1] + ".", signer.ErrAlgorithmMismatch},
		{"alg missing", sign(`{"typ":"JWT"}`), signer.ErrAlgorithmMismatch},
		{"alg RS256", sign(`{"alg":"RS256"}`), signer.ErrAlgorithmMismatch},
		{"alg lower-case", sign(`{"alg":"hs256"}`), signer.ErrAlgorithmMismatch},
		{"alg not a string", sign(`{"alg":256}`), signer.ErrMalformedJWS},
		{"empty signature", parts[0] + "." + parts[1] + ".", signer.ErrVerification},
		{"wrong signature", parts[0] + "." + parts[1] + "." + enc(make([]byte, 32)), signer.ErrVerification},
		{"other payload", parts[0] + "." + enc([]byte(`{"a":1}`)) + "." + parts[2], signer.ErrVerification},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, p, err := v.VerifyCompact(tt.token)
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
	s, _ := signer.NewJWSSigner(signer.HS256, []byte("k"))
	tests := []struct {
		name    string
		header  string
		wantErr error
	}{
		{"matching", `{"alg":"HS256"}`, nil},
		{"other alg", `{"alg":"RS256"}`, signer.ErrAlgorithmMismatch},
		{"none", `{"alg":"none"}`, signer.ErrAlgorithmMismatch},
		{"no alg", `{}`, signer.ErrAlgorithmMismatch},
		{"not json", `alg=HS256`, signer.ErrMalformedJWS},
		{"crit", `{"alg":"HS256","crit":["exp"]}`, signer.ErrMalformedJWS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.SignCompact([]byte(tt.header), []byte("{}"))
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("SignCompact(%s) = %v, want %v", tt.header, err, tt.wantErr)
			}
		})
	}
}

// TestES256RawSignature checks the R || S form: a signature re-encoded as
// ASN.1 must not verify, and R and S must be left-padded to 32 bytes.
func TestES256RawSignature(t *testing.T) {
	k := keys(t).EC
	s, _ := signer.NewJWSSigner(signer.ES256, k)
	v, _ := signer.NewJWSVerifier(signer.ES256, &k.PublicKey)
	for i := 0; i < 64; i++ { // some R or S will have a leading zero byte
		sig, err := s.Sign([]byte{byte(i)})
		if err != nil {
			t.Fatal(err)
		}
		if len(sig) != 64 {
			t.Fatalf("len(sig) = %d, want 64", len(sig))
		}
		r, ss := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		if !ecdsa.Verify(&k.PublicKey, sha256Sum([]byte{byte(i)}), r, ss) {
			t.Fatal("R || S does not verify with crypto/ecdsa")
		}
		asn1Sig, err := ecdsa.SignASN1(rand.Reader, k, sha256Sum([]byte{byte(i)}))
		if err == nil {
			if err := v.Verify([]byte{byte(i)}, asn1Sig); !errors.Is(err, signer.ErrVerification) {
				t.Fatalf("Verify(ASN.1 signature) = %v, want ErrVerification", err)
			}
		}
	}
}
