package jose_test

import (
	"testing"

	"github.com/oauthkit/oauth/signer/jose"
)

// sink keeps benchmark results alive so the compiler cannot drop the work.
var sink []byte

func BenchmarkJWS(b *testing.B) {
	k := testJWSKeys(b)
	algs := []struct {
		alg string
		key any
	}{
		{jose.HS256, []byte("0123456789abcdef0123456789abcdef")},
		{jose.RS256, k.RSA},
		{jose.PS256, k.RSA},
		{jose.ES256, k.EC256},
		{jose.ES512, k.EC521},
		{jose.EdDSA, k.Ed25519},
	}
	payload := []byte(`{"iss":"client","sub":"client","aud":"https://as.example/token","jti":"0123456789","exp":1700000000,"iat":1699999700}`)
	for _, a := range algs {
		s, err := jose.NewSigner(a.alg, a.key)
		if err != nil {
			b.Fatal(err)
		}
		h := []byte(`{"alg":"` + a.alg + `","typ":"JWT"}`)
		b.Run(a.alg+"/SignCompact", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				tok, err := jose.SignCompact(s, h, payload)
				if err != nil {
					b.Fatal(err)
				}
				sink = []byte(tok[:1])
			}
		})
	}
}
