package signer_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/oauthkit/oauth/signer"
)

// oauth1Vector is the part of a vector in
// internal/testdata/vectors/oauth1.json that signing needs.
type oauth1Vector struct {
	ID                  string  `json:"id"`
	Kind                string  `json:"kind"`
	Method              string  `json:"method"`
	ConsumerSecret      *string `json:"consumer_secret"`
	TokenSecret         *string `json:"token_secret"`
	SignatureBaseString string  `json:"signature_base_string"`
	RSAPrivateKeyPEM    string  `json:"rsa_private_key_pem"`
	RSAPublicKeyPEM     string  `json:"rsa_public_key_pem"`
	RSACertificatePEM   string  `json:"rsa_certificate_pem"`
	Expected            struct {
		SigningKey          *string `json:"signing_key"`
		Signature           string  `json:"signature"`
		SignatureBaseString *string `json:"signature_base_string"`
	} `json:"expected"`
}

// loadOAuth1Vectors reads the project's copy of the OAuth 1 vectors
// (read-only; sources are named in the file itself).
func loadOAuth1Vectors(tb testing.TB) []oauth1Vector {
	tb.Helper()
	data, err := os.ReadFile("../internal/testdata/vectors/oauth1.json")
	if err != nil {
		tb.Fatalf("read vectors: %v", err)
	}
	var file struct {
		Vectors []oauth1Vector `json:"vectors"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		tb.Fatalf("parse vectors: %v", err)
	}
	if len(file.Vectors) == 0 {
		tb.Fatal("no vectors")
	}
	return file.Vectors
}

// hmacMethods maps oauth_signature_method names to the package's values.
var hmacMethods = map[string]*signer.HMAC{
	"HMAC-SHA1":   signer.HMACSHA1,
	"HMAC-SHA256": signer.HMACSHA256,
	"HMAC-SHA512": signer.HMACSHA512,
}

var rsaMethods = map[string]*signer.RSA{
	"RSA-SHA1":   signer.RSASHA1,
	"RSA-SHA256": signer.RSASHA256,
	"RSA-SHA512": signer.RSASHA512,
}

// signingKey returns the vector's HMAC/PLAINTEXT key: expected.signing_key
// when given, else consumer_secret & token_secret (the vectors give the key
// wherever percent-encoding would change it).
func (v oauth1Vector) signingKey() (string, bool) {
	if v.Expected.SigningKey != nil {
		return *v.Expected.SigningKey, true
	}
	if v.ConsumerSecret != nil && v.TokenSecret != nil {
		return *v.ConsumerSecret + "&" + *v.TokenSecret, true
	}
	return "", false
}

// checkOAuth1Signature signs base with the vector's method and key and
// compares with expected.signature, then checks Verify and its failures.
func checkOAuth1Signature(t *testing.T, v oauth1Vector, base string) {
	t.Helper()
	msg := []byte(base)
	tampered := append([]byte(base), 'x')
	var want, badSig []byte
	if v.Method != "PLAINTEXT" {
		var err error
		if want, err = base64.StdEncoding.DecodeString(v.Expected.Signature); err != nil {
			t.Fatalf("decode expected signature: %v", err)
		}
		badSig = append([]byte(nil), want...)
		badSig[len(badSig)-1] ^= 1
	}

	switch {
	case hmacMethods[v.Method] != nil:
		m := hmacMethods[v.Method]
		key, ok := v.signingKey()
		if !ok {
			t.Skip("vector gives no signing key")
		}
		got := m.Sign([]byte(key), msg)
		if g := base64.StdEncoding.EncodeToString(got); g != v.Expected.Signature {
			t.Errorf("%s.Sign() = %q, want %q", v.Method, g, v.Expected.Signature)
		}
		if err := m.Verify([]byte(key), msg, want); err != nil {
			t.Errorf("%s.Verify(expected signature) = %v, want nil", v.Method, err)
		}
		if err := m.Verify([]byte(key), tampered, want); !errors.Is(err, signer.ErrVerification) {
			t.Errorf("%s.Verify(tampered message) = %v, want ErrVerification", v.Method, err)
		}
		if err := m.Verify([]byte(key), msg, badSig); !errors.Is(err, signer.ErrVerification) {
			t.Errorf("%s.Verify(tampered signature) = %v, want ErrVerification", v.Method, err)
		}
	case rsaMethods[v.Method] != nil:
		m := rsaMethods[v.Method]
		priv, err := signer.ParseRSAPrivateKeyPEM([]byte(v.RSAPrivateKeyPEM))
		if err != nil {
			t.Fatalf("ParseRSAPrivateKeyPEM: %v", err)
		}
		pubPEM := v.RSAPublicKeyPEM
		if pubPEM == "" {
			pubPEM = v.RSACertificatePEM
		}
		pub, err := signer.ParseRSAPublicKeyPEM([]byte(pubPEM))
		if err != nil {
			t.Fatalf("ParseRSAPublicKeyPEM: %v", err)
		}
		got, err := m.Sign(priv, msg)
		if err != nil {
			t.Fatalf("%s.Sign: %v", v.Method, err)
		}
		if g := base64.StdEncoding.EncodeToString(got); g != v.Expected.Signature {
			t.Errorf("%s.Sign() = %q, want %q", v.Method, g, v.Expected.Signature)
		}
		if err := m.Verify(pub, msg, want); err != nil {
			t.Errorf("%s.Verify(expected signature) = %v, want nil", v.Method, err)
		}
		if err := m.Verify(pub, tampered, want); !errors.Is(err, signer.ErrVerification) {
			t.Errorf("%s.Verify(tampered message) = %v, want ErrVerification", v.Method, err)
		}
		if err := m.Verify(pub, msg, badSig); !errors.Is(err, signer.ErrVerification) {
			t.Errorf("%s.Verify(tampered signature) = %v, want ErrVerification", v.Method, err)
		}
	case v.Method == "PLAINTEXT":
		// The signature is the encoded key (RFC 5849 §3.4.4); encoding is
		// not this package's job, so the key is the published signing key,
		// or else the published signature itself.
		key := v.Expected.Signature
		if v.Expected.SigningKey != nil {
			key = *v.Expected.SigningKey
		}
		got := signer.Plaintext.Sign([]byte(key), msg)
		if string(got) != v.Expected.Signature {
			t.Errorf("Plaintext.Sign() = %q, want %q", got, v.Expected.Signature)
		}
		if err := signer.Plaintext.Verify([]byte(key), msg, []byte(v.Expected.Signature)); err != nil {
			t.Errorf("Plaintext.Verify(expected signature) = %v, want nil", err)
		}
		if err := signer.Plaintext.Verify([]byte(key), msg, append([]byte(v.Expected.Signature), 'x')); !errors.Is(err, signer.ErrVerification) {
			t.Errorf("Plaintext.Verify(tampered signature) = %v, want ErrVerification", err)
		}
	default:
		t.Fatalf("unknown method %q", v.Method)
	}
}

// TestOAuth1SignBaseString checks every "sign_base_string" vector: a given
// base string and key must give exactly the published signature.
func TestOAuth1SignBaseString(t *testing.T) {
	n := 0
	for _, v := range loadOAuth1Vectors(t) {
		if v.Kind != "sign_base_string" {
			continue
		}
		n++
		t.Run(v.ID, func(t *testing.T) {
			checkOAuth1Signature(t, v, v.SignatureBaseString)
		})
	}
	if n < 10 {
		t.Errorf("found %d sign_base_string vectors, want at least 10", n)
	}
}

// TestOAuth1SignatureVectors checks the full "signature" vectors that
// publish their base string and key: the signer part of the pipeline.
func TestOAuth1SignatureVectors(t *testing.T) {
	for _, v := range loadOAuth1Vectors(t) {
		if v.Kind != "signature" || v.Expected.SignatureBaseString == nil || v.Expected.Signature == "" {
			continue
		}
		if _, ok := v.signingKey(); !ok && v.RSAPrivateKeyPEM == "" {
			continue
		}
		t.Run(v.ID, func(t *testing.T) {
			checkOAuth1Signature(t, v, *v.Expected.SignatureBaseString)
		})
	}
}

// TestVectorPEMs parses every PEM the vectors carry.
func TestVectorPEMs(t *testing.T) {
	for _, v := range loadOAuth1Vectors(t) {
		if v.RSAPrivateKeyPEM != "" {
			t.Run(v.ID+"/private", func(t *testing.T) {
				k, err := signer.ParsePrivateKeyPEM([]byte(v.RSAPrivateKeyPEM))
				if err != nil || k == nil {
					t.Fatalf("ParsePrivateKeyPEM() = %v, %v", k, err)
				}
			})
		}
		for name, data := range map[string]string{"public": v.RSAPublicKeyPEM, "certificate": v.RSACertificatePEM} {
			if data == "" {
				continue
			}
			t.Run(v.ID+"/"+name, func(t *testing.T) {
				k, err := signer.ParseRSAPublicKeyPEM([]byte(data))
				if err != nil || k == nil {
					t.Fatalf("ParseRSAPublicKeyPEM() = %v, %v", k, err)
				}
				priv, err := signer.ParseRSAPrivateKeyPEM([]byte(v.RSAPrivateKeyPEM))
				if err != nil {
					t.Fatal(err)
				}
				if !priv.PublicKey.Equal(k) {
					t.Error("public key does not match the vector's private key")
				}
			})
		}
	}
}
