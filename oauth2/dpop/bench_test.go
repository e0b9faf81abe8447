package dpop_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/dpop"
	"github.com/oauthkit/oauth/signer/jose"
)

// cannedRT answers every request with a 200 and no body, without I/O.
type cannedRT struct{}

func (cannedRT) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
}

var sink any

// BenchmarkDPoP measures what DPoP costs a request, beside the signature
// it cannot avoid, per algorithm: the bare signature by the standard
// library (stdlib) and through the jose signer a Key uses (sign), of a
// proof's signing input; a whole proof (proof); and a request through
// the Transport with a DPoP-bound token (transport), over a RoundTripper
// that answers at once. Bearer/transport is the floor: the Transport
// without DPoP.
func BenchmarkDPoP(b *testing.B) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	const token = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU" // RFC 9449 §7.1
	const target = "https://resource.example.org/protectedresource"
	for _, c := range []struct {
		alg    string
		key    crypto.Signer
		stdlib func(input []byte) ([]byte, error)
	}{
		{jose.ES256, ec, func(input []byte) ([]byte, error) {
			sum := sha256.Sum256(input)
			return ecdsa.SignASN1(rand.Reader, ec, sum[:])
		}},
		{jose.EdDSA, ed, func(input []byte) ([]byte, error) { return ed25519.Sign(ed, input), nil }},
	} {
		s, err := jose.NewSigner(c.alg, c.key)
		if err != nil {
			b.Fatal(err)
		}
		key, err := dpop.NewKey(s)
		if err != nil {
			b.Fatal(err)
		}
		p, err := key.Proof("GET", target, token, "", time.Now())
		if err != nil {
			b.Fatal(err)
		}
		input := []byte(p[:strings.LastIndexByte(p, '.')]) // a proof's signing input
		b.Run(c.alg+"/stdlib", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sig, err := c.stdlib(input)
				if err != nil {
					b.Fatal(err)
				}
				sink = sig
			}
		})
		b.Run(c.alg+"/sign", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sig, err := s.Sign(input)
				if err != nil {
					b.Fatal(err)
				}
				sink = sig
			}
		})
		b.Run(c.alg+"/proof", func(b *testing.B) {
			b.ReportAllocs()
			now := time.Now()
			for i := 0; i < b.N; i++ {
				p, err := key.Proof("GET", target, token, "", now)
				if err != nil {
					b.Fatal(err)
				}
				sink = p
			}
		})
		b.Run(c.alg+"/transport", func(b *testing.B) {
			tok := &oauth2.Token{AccessToken: token, TokenType: "DPoP", DPoPJKT: key.Thumbprint()}
			benchTransport(b, &oauth2.Transport{Source: oauth2.StaticTokenSource(tok), DPoP: key, Base: cannedRT{}}, target)
		})
	}
	b.Run("Bearer/transport", func(b *testing.B) {
		tok := &oauth2.Token{AccessToken: token, TokenType: "Bearer"}
		benchTransport(b, &oauth2.Transport{Source: oauth2.StaticTokenSource(tok), Base: cannedRT{}}, target)
	})
}

func benchTransport(b *testing.B, t *oauth2.Transport, target string) {
	req, err := http.NewRequest("GET", target+"?page=2", nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := t.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		sink = resp
	}
}
