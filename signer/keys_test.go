package signer_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"sync"
	"testing"
	"time"
)

// testKeys are keys generated once per test binary, with their PEM forms.
type testKeys struct {
	RSA     *rsa.PrivateKey // 1024 bits: small keeps the tests fast
	EC      *ecdsa.PrivateKey
	EC384   *ecdsa.PrivateKey
	Ed25519 ed25519.PrivateKey

	PEM map[string][]byte // by name, see generateTestKeys
}

var (
	testKeysOnce sync.Once
	testKeysVal  *testKeys
	testKeysErr  error
)

// keys returns the shared test keys, generating them on first use.
func keys(tb testing.TB) *testKeys {
	tb.Helper()
	testKeysOnce.Do(func() { testKeysVal, testKeysErr = generateTestKeys() })
	if testKeysErr != nil {
		tb.Fatalf("generate test keys: %v", testKeysErr)
	}
	return testKeysVal
}

func generateTestKeys() (*testKeys, error) {
	k := &testKeys{PEM: map[string][]byte{}}
	var err error
	if k.RSA, err = rsa.GenerateKey(rand.Reader, 1024); err != nil {
		return nil, err
	}
	if k.EC, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, err
	}
	if k.EC384, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader); err != nil {
		return nil, err
	}
	if _, k.Ed25519, err = ed25519.GenerateKey(rand.Reader); err != nil {
		return nil, err
	}
	enc := func(typ string, der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}) }
	pkcs8 := func(key any) ([]byte, error) { return x509.MarshalPKCS8PrivateKey(key) }
	pkix := func(key any) ([]byte, error) { return x509.MarshalPKIXPublicKey(key) }

	k.PEM["pkcs1-rsa"] = enc("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k.RSA))
	k.PEM["pkcs1-rsa-public"] = enc("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&k.RSA.PublicKey))
	for name, key := range map[string]crypto.Signer{"rsa": k.RSA, "ec": k.EC, "ed25519": k.Ed25519} {
		der, err := pkcs8(key)
		if err != nil {
			return nil, err
		}
		k.PEM["pkcs8-"+name] = enc("PRIVATE KEY", der)
		if der, err = pkix(key.Public()); err != nil {
			return nil, err
		}
		k.PEM["pkix-"+name] = enc("PUBLIC KEY", der)
		cert, err := selfSigned(key)
		if err != nil {
			return nil, err
		}
		k.PEM["cert-"+name] = enc("CERTIFICATE", cert)
	}
	der, err := x509.MarshalECPrivateKey(k.EC)
	if err != nil {
		return nil, err
	}
	k.PEM["sec1-ec"] = enc("EC PRIVATE KEY", der)
	// openssl ecparam -genkey writes the curve first.
	params := enc("EC PARAMETERS", []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07})
	k.PEM["sec1-ec-with-params"] = append(params, k.PEM["sec1-ec"]...)
	if der, err = x509.MarshalECPrivateKey(k.EC384); err != nil {
		return nil, err
	}
	k.PEM["sec1-ec384"] = enc("EC PRIVATE KEY", der)
	return k, nil
}

// selfSigned returns a DER certificate for key, signed by itself.
func selfSigned(key crypto.Signer) ([]byte, error) {
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "signer test"},
		NotBefore:    time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	return x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
}
