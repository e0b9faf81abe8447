package jose_test

import (
	"sync"
	"testing"

	"github.com/oauthkit/oauth/signer/jose"
)

// TestConcurrentUse shares every kind of value among goroutines; run with
// -race. All values are documented as safe for concurrent use.
func TestConcurrentUse(t *testing.T) {
	k := keys(t)
	es, err := jose.NewSigner(jose.ES256, k.EC)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := jose.NewVerifier(jose.ES256, &k.EC.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	hs, _ := jose.NewSigner(jose.HS256, []byte("0123456789abcdef0123456789abcdef"))
	hv, _ := jose.NewVerifier(jose.HS256, []byte("0123456789abcdef0123456789abcdef"))
	jwks, err := jose.ParseJWKSet([]byte(`{"keys":[` + string(mustJSON(t, jwkMust(t)(jose.PublicJWK(k.EC)))) + `]}`))
	if err != nil || len(jwks.Keys) != 1 {
		t.Fatalf("ParseJWKSet = %v, %v", jwks, err)
	}
	jwk := jwks.Keys[0]
	var wg sync.WaitGroup
	errs := make(chan error, 200*4)
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			msg := []byte{byte(i), 'm'}
			jv, err := jwk.Verifier(jose.ES256)
			if err != nil {
				errs <- err
				return
			}
			if _, err := jwk.Thumbprint(); err != nil {
				errs <- err
			}
			for _, p := range []struct {
				s jose.Signer
				v jose.Verifier
			}{{es, ev}, {hs, hv}, {es, jv}} {
				tok, err := jose.SignCompact(p.s, []byte(`{"alg":"`+p.s.Alg()+`"}`), msg)
				if err == nil {
					_, _, err = jose.VerifyCompact(p.v, tok)
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
