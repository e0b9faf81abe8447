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
	var wg sync.WaitGroup
	errs := make(chan error, 200*4)
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			msg := []byte{byte(i), 'm'}
			errs <- signer.HMACSHA256.Verify([]byte("k"), msg, signer.HMACSHA256.Sign([]byte("k"), msg))
			errs <- signer.HMACSHA1.Verify([]byte("k&"), msg, signer.HMACSHA1.AppendSign(nil, []byte("k&"), msg))
			errs <- signer.Plaintext.Verify([]byte("k&"), msg, signer.Plaintext.Sign([]byte("k&"), msg))
			if i%20 == 0 {
				sig, err := signer.RSASHA256.Sign(k.RSA, msg)
				if err == nil {
					err = signer.RSASHA256.Verify(&k.RSA.PublicKey, msg, sig)
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
