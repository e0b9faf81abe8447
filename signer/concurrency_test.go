package signer_test

import (
	"sync"
	"testing"

	"github.com/oauthkit/oauth/signer"
)

// TestConcurrentUse shares every kind of value among goroutines; run with
// -race. All values are documented as safe for concurrent use.
func TestConcurrentUse(t *testing.T) {
	k := keys(t)
	es, err := signer.NewJWSSigner(signer.ES256, k.EC)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := signer.NewJWSVerifier(signer.ES256, &k.EC.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	hs, _ := signer.NewJWSSigner(signer.HS256, []byte("0123456789abcdef0123456789abcdef"))
	hv, _ := signer.NewJWSVerifier(signer.HS256, []byte("0123456789abcdef0123456789abcdef"))
	jwks, err := signer.ParseJWKSet([]byte(`{"keys":[` + string(mustJSON(t, jwkMust(t)(signer.PublicJWK(k.EC)))) + `]}`))
	if err != nil || len(jwks.Keys) != 1 {
		t.Fatalf("ParseJWKSet = %v, %v", jwks, err)
	}
	jwk := jwks.Keys[0]
	var wg sync.WaitGroup
	errs := make(chan error, 200*8)
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			msg := []byte{byte(i), 'm'}
			errs <- signer.HMACSHA256.Verify([]byte("k"), msg, signer.HMACSHA256.Sign([]byte("k"), msg))
			errs <- signer.Plaintext.Verify([]byte("k&"), msg, signer.Plaintext.Sign([]byte("k&"), msg))
			if i%20 == 0 {
				sig, err := signer.RSASHA256.Sign(k.RSA, msg)
				if err == nil {
					err = signer.RSASHA256.Verify(&k.RSA.PublicKey, msg, sig)
				}
				errs <- err
			}
			jv, err := jwk.Verifier(signer.ES256)
			if err != nil {
				errs <- err
				return
			}
			if _, err := jwk.Thumbprint(); err != nil {
				errs <- err
			}
			for _, p := range []struct {
				s signer.JWSSigner
				v signer.JWSVerifier
			}{{es, ev}, {hs, hv}, {es, jv}} {
				tok, err := signer.SignCompact(p.s, []byte(`{"alg":"`+p.s.Alg()+`"}`), msg)
				if err == nil {
					_, _, err = signer.VerifyCompact(p.v, tok)
				}
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
