package jose_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"sync"
	"testing"
)

// testKeys are keys generated once per test binary.
type testKeys struct {
	RSA     *rsa.PrivateKey // 1024 bits: too small for JWS, which the tests check
	EC      *ecdsa.PrivateKey
	EC384   *ecdsa.PrivateKey
	Ed25519 ed25519.PrivateKey
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
	k := &testKeys{}
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
	return k, nil
}

func sha256Sum(b []byte) []byte {
	d := sha256.Sum256(b)
	return d[:]
}
