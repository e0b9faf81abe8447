package oauth1_test

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth1"
)

// The Twitter "Creating a signature" request (vector
// twitter-creating-a-signature-v1.1).
const (
	twURL  = "https://api.twitter.com/1.1/statuses/update.json?include_entities=true"
	twBody = "status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21"
	twBase = "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521"
	twKey  = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw&LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"
	// twHeader is the example's Authorization header, as Sign writes it,
	// with its published signature.
	twHeader = `OAuth oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", oauth_timestamp="1318622958", oauth_version="1.0", oauth_signature_method="HMAC-SHA1", oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"`
)

var (
	twConfig = &oauth1.Config{ConsumerKey: "xvz1evFS4wEEPTGEFPHBog", ConsumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw"}
	twToken  = &oauth1.Token{Token: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", Secret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"}
	sink     any
)

func twRequest() *http.Request {
	req, _ := http.NewRequest(http.MethodPost, twURL, strings.NewReader(twBody))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// BenchmarkSign signs the Twitter example (HMAC-SHA1, header) in place.
// Sign leaves an equivalent body behind, so the request is reused.
func BenchmarkSign(b *testing.B) {
	req := twRequest()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := twConfig.Sign(req, twToken); err != nil {
			b.Fatal(err)
		}
	}
	sink = req.Header.Get("Authorization")
}

// BenchmarkSignManyTokens is BenchmarkSign for a process that signs for
// many users in turn, each request with token credentials of its own.
func BenchmarkSignManyTokens(b *testing.B) {
	toks := make([]*oauth1.Token, 1000)
	for i := range toks {
		toks[i] = &oauth1.Token{Token: twToken.Token, Secret: fmt.Sprintf("%s%04d", twToken.Secret[:37], i)}
	}
	req := twRequest()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := twConfig.Sign(req, toks[i%len(toks)]); err != nil {
			b.Fatal(err)
		}
	}
	sink = req.Header.Get("Authorization")
}

// BenchmarkFloor does only what signing cannot avoid: 30 random bytes for
// the nonce, HMAC-SHA1 (crypto/hmac, keyed anew) over the prebuilt base
// string, Base64.
func BenchmarkFloor(b *testing.B) {
	base, key := []byte(twBase), []byte(twKey)
	var nonce [30]byte
	out := make([]byte, 0, 64)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := io.ReadFull(rand.Reader, nonce[:]); err != nil {
			b.Fatal(err)
		}
		m := hmac.New(sha1.New, key)
		m.Write(base)
		out = base64.StdEncoding.AppendEncode(out[:0], m.Sum(nil))
	}
	sink = out
}

// bodyReader is a request body that reads a string.
type bodyReader struct{ strings.Reader }

func (*bodyReader) Close() error { return nil }

type noopRT struct{}

func (noopRT) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
}

// BenchmarkTransport sends the Twitter example through a Transport whose
// base RoundTripper answers at once. Each iteration gives the request a
// fresh body from GetBody, as a retry or a redirect does; "bare" does the
// same through the base RoundTripper alone, the cost that is not the
// Transport's: subtract it. "minimum" is the work no signing Transport
// can skip (see there): what is left for the parameters and the base
// string is serial minus minimum.
func BenchmarkTransport(b *testing.B) {
	tr := &oauth1.Transport{Config: twConfig, Token: twToken, Base: noopRT{}}
	for _, bt := range []struct {
		name string
		rt   http.RoundTripper
	}{{"bare", noopRT{}}, {"serial", tr}} {
		b.Run(bt.name, func(b *testing.B) {
			req := twRequest()
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				req.Body, _ = req.GetBody()
				resp, err := bt.rt.RoundTrip(req)
				if err != nil {
					b.Fatal(err)
				}
				sink = resp
			}
		})
	}
	b.Run("minimum", func(b *testing.B) {
		// What any RoundTripper that signs this request must do besides
		// collecting the parameters and building the base string: copy
		// the request with a header of its own, read the form body and
		// give the copy a new one, 30 random bytes, HMAC-SHA1 prepared
		// once over the prebuilt base string, Base64, and an
		// Authorization value as long as the Twitter example's; the body
		// and the value in one string, the value's slice and the body's
		// reader in one object, as the Transport does.
		req := twRequest()
		mac := hmac.New(sha1.New, []byte(twKey))
		base := []byte(twBase)
		var nonce [30]byte
		var sum [sha1.Size]byte
		buf := make([]byte, 0, 512)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			req.Body, _ = req.GetBody()
			r2 := new(http.Request)
			*r2 = *req
			r2.Header = make(http.Header, len(req.Header)+1)
			for k, v := range req.Header {
				r2.Header[k] = v
			}
			n, _ := io.ReadFull(req.Body, buf[:cap(buf)])
			req.Body.Close()
			if _, err := io.ReadFull(rand.Reader, nonce[:]); err != nil {
				b.Fatal(err)
			}
			mac.Reset()
			mac.Write(base)
			buf = base64.StdEncoding.AppendEncode(buf[:n], mac.Sum(sum[:0]))
			buf = append(buf, twHeader[len(buf)-n:]...)
			s := string(buf)
			sent := new(struct {
				body bodyReader
				auth [1]string
			})
			sent.auth[0] = s[n:]
			r2.Header["Authorization"] = sent.auth[:]
			sent.body.Reset(s[:n])
			r2.Body = &sent.body
			resp, err := noopRT{}.RoundTrip(r2)
			if err != nil {
				b.Fatal(err)
			}
			sink = resp
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			req := twRequest()
			for pb.Next() {
				req.Body, _ = req.GetBody()
				resp, err := tr.RoundTrip(req)
				if err != nil {
					b.Error(err)
					return
				}
				_ = resp
			}
		})
	})
}

// BenchmarkRSASHA1 compares signing a request with RSA-SHA1 to the bare
// RSA operation over the same base string.
func BenchmarkRSASHA1(b *testing.B) {
	key := fakeprovider.OAuth1RSAPrivateKey()
	b.Run("Sign", func(b *testing.B) {
		cfg := *twConfig
		cfg.Method = oauth1.RSASHA1(key)
		req := twRequest()
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if err := cfg.Sign(req, twToken); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		base := []byte(twBase)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			h := sha1.Sum(base)
			sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA1, h[:])
			if err != nil {
				b.Fatal(err)
			}
			sink = sig
		}
	})
}
