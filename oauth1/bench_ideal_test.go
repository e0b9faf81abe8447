package oauth1_test

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// The idealised signers below are not the package's code: they are the
// fastest reasonable HMAC-SHA1 signing of the Twitter example, for
// BenchmarkIdeal to measure next to BenchmarkFloor, BenchmarkSign and
// BenchmarkTransport. They prepare once everything that does not change
// between requests, encode each value once and twice in one pass through
// a 256-entry table, and make none of the checks the package makes (method,
// content type, host, placement, realm, callback, verifier, body hash,
// malformed escapes, limits, errors, redirects). What they cost is a lower
// bound for any signer; TestIdealSigners checks that they sign correctly.

// idealUnreserved is true at each RFC 3986 unreserved byte.
var idealUnreserved = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
	}
	return t
}()

const idealHex = "0123456789ABCDEF"

// idealEscape appends the RFC 5849 §3.6 encoding of s to e.
func idealEscape(e []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; idealUnreserved[c] {
			e = append(e, c)
		} else {
			e = append(e, '%', idealHex[c>>4], idealHex[c&15])
		}
	}
	return e
}

// idealEscape2 appends the encoding of s to e1 and its encoding encoded
// again (what the base string holds) to e2.
func idealEscape2(e1, e2 []byte, s string) ([]byte, []byte) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; idealUnreserved[c] {
			e1 = append(e1, c)
			e2 = append(e2, c)
		} else {
			e1 = append(e1, '%', idealHex[c>>4], idealHex[c&15])
			e2 = append(e2, '%', '2', '5', idealHex[c>>4], idealHex[c&15])
		}
	}
	return e1, e2
}

// idealNormalize2 appends to e2 the base-string form of form-encoded s:
// decoded, encoded, encoded again. Malformed escapes are not checked.
func idealNormalize2(e2 []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '+' {
			c = ' '
		} else if c == '%' && i+2 < len(s) {
			c = idealUnhex(s[i+1])<<4 | idealUnhex(s[i+2])
			i += 2
		}
		if idealUnreserved[c] {
			e2 = append(e2, c)
		} else {
			e2 = append(e2, '%', '2', '5', idealHex[c>>4], idealHex[c&15])
		}
	}
	return e2
}

func idealUnhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// idealSigner is the scratch space of an idealised signer; with mac set,
// that of an idealised Transport for one consumer and token.
type idealSigner struct {
	mac      hash.Hash // prepared once (Transport), or nil: keyed per request
	fixedHdr []byte    // the version, method, consumer key and token, placed
	fixed2   [][]byte  // the same, in the base string's form
	nonce    [30]byte
	ts       [20]byte
	sum      [sha1.Size]byte
	sig      [28]byte
	hdr, e2  []byte
	base     []byte
	ranges   [][2]int // the parameters' ranges of e2, name%3Dvalue
	buf      []byte

	// testNonce and testTime, when set, replace the nonce and the time.
	testNonce string
	testTime  int64
}

// idealProtocol returns the protocol parameters besides the nonce and
// the timestamp, in the order they are placed.
func idealProtocol(consumerKey, token string) [4][2]string {
	return [4][2]string{{"oauth_version", "1.0"}, {"oauth_signature_method", "HMAC-SHA1"}, {"oauth_consumer_key", consumerKey}, {"oauth_token", token}}
}

// newIdealTransport prepares the HMAC and the protocol parameters that
// every request of a Transport sends.
func newIdealTransport(consumerKey, token string, key []byte) *idealSigner {
	t := &idealSigner{mac: hmac.New(sha1.New, key)}
	for _, p := range idealProtocol(consumerKey, token) {
		v := p[1]
		e2 := append([]byte(p[0]), "%3D"...)
		t.fixedHdr = append(t.fixedHdr, p[0]+`="`...)
		t.fixedHdr, e2 = idealEscape2(t.fixedHdr, e2, v)
		t.fixedHdr = append(t.fixedHdr, `", `...)
		t.fixed2 = append(t.fixed2, e2)
	}
	return t
}

// sign reads req's form body, signs req for the consumer key and token
// with key (or t's prepared HMAC) and returns the Authorization value and
// the body, in one string.
func (t *idealSigner) sign(req *http.Request, consumerKey, token string, key []byte) (auth, body string) {
	buf := t.buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := req.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			break
		}
	}
	req.Body.Close()
	n := len(buf)
	if _, err := rand.Read(t.nonce[:]); err != nil {
		panic(err)
	}
	for j, r := range t.nonce {
		t.nonce[j] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[r%62]
	}
	nonce := t.nonce[:]
	if t.testNonce != "" {
		nonce = []byte(t.testNonce)
	}
	now := time.Now().Unix()
	if t.testTime != 0 {
		now = t.testTime
	}
	ts := strconv.AppendInt(t.ts[:0], now, 10)

	// The parameters in the base string's form, name%3Dvalue, and the
	// protocol parameters as placed.
	e2, ranges, hdr := t.e2[:0], t.ranges[:0], t.hdr[:0]
	e2 = append(e2, "oauth_nonce%3D"...)
	e2 = append(e2, nonce...)
	ranges = append(ranges, [2]int{0, len(e2)})
	e2 = append(e2, "oauth_timestamp%3D"...)
	e2 = append(e2, ts...)
	ranges = append(ranges, [2]int{ranges[0][1], len(e2)})
	if t.mac != nil {
		for _, f := range t.fixed2 {
			a := len(e2)
			e2 = append(e2, f...)
			ranges = append(ranges, [2]int{a, len(e2)})
		}
		hdr = append(hdr, t.fixedHdr...)
	} else {
		for _, p := range idealProtocol(consumerKey, token) {
			v := p[1]
			a := len(e2)
			e2 = append(e2, p[0]...)
			e2 = append(e2, "%3D"...)
			hdr = append(hdr, p[0]...)
			hdr = append(hdr, `="`...)
			hdr, e2 = idealEscape2(hdr, e2, v)
			hdr = append(hdr, `", `...)
			ranges = append(ranges, [2]int{a, len(e2)})
		}
	}
	for _, s := range [2]string{req.URL.RawQuery, unsafe.String(unsafe.SliceData(buf), n)} {
		for s != "" {
			var pair, name, value string
			pair, s, _ = strings.Cut(s, "&")
			name, value, _ = strings.Cut(pair, "=")
			a := len(e2)
			e2 = idealNormalize2(e2, name)
			e2 = append(e2, "%3D"...)
			e2 = idealNormalize2(e2, value)
			ranges = append(ranges, [2]int{a, len(e2)})
		}
	}
	// Sorted as name%3Dvalue: the same order as by name, then value,
	// for names without a byte below '%' (the Twitter example's).
	for x := 1; x < len(ranges); x++ {
		for y := x; y > 0 && string(e2[ranges[y][0]:ranges[y][1]]) < string(e2[ranges[y-1][0]:ranges[y-1][1]]); y-- {
			ranges[y], ranges[y-1] = ranges[y-1], ranges[y]
		}
	}

	base := idealEscape(t.base[:0], req.Method)
	base = append(base, '&')
	base = idealEscape(base, req.URL.Scheme)
	base = append(base, "%3A%2F%2F"...)
	base = idealEscape(base, req.URL.Host)
	base = idealEscape(base, req.URL.EscapedPath())
	base = append(base, '&')
	for x, r := range ranges {
		if x > 0 {
			base = append(base, "%26"...)
		}
		base = append(base, e2[r[0]:r[1]]...)
	}
	mac := t.mac
	if mac == nil {
		mac = hmac.New(sha1.New, key)
	} else {
		mac.Reset()
	}
	mac.Write(base)
	base64.StdEncoding.Encode(t.sig[:], mac.Sum(t.sum[:0]))

	buf = append(buf, `OAuth oauth_nonce="`...)
	buf = append(buf, nonce...)
	buf = append(buf, `", oauth_timestamp="`...)
	buf = append(buf, ts...)
	buf = append(buf, `", `...)
	buf = append(buf, hdr...)
	buf = append(buf, `oauth_signature="`...)
	buf = idealEscape(buf, unsafe.String(&t.sig[0], len(t.sig)))
	buf = append(buf, '"')
	s := string(buf)
	t.e2, t.ranges, t.hdr, t.base, t.buf = e2, ranges, hdr, base, buf
	return s[n:], s[:n]
}

// idealSent is the body of a signed request, and its Authorization value.
type idealSent struct {
	body bodyReader
	auth [1]string
}

// idealTransport is an http.RoundTripper around an idealised signer with
// a prepared HMAC. It signs a copy of each request, as RoundTrippers must.
type idealTransport struct{ s *idealSigner }

func (t idealTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r2 := new(http.Request)
	*r2 = *req
	r2.Header = make(http.Header, len(req.Header)+1)
	for k, v := range req.Header {
		r2.Header[k] = v
	}
	sent := new(idealSent)
	auth, body := t.s.sign(r2, "", "", nil)
	sent.auth[0] = auth
	sent.body.Reset(body)
	r2.Header["Authorization"] = sent.auth[:]
	r2.Body = &sent.body
	return noopRT{}.RoundTrip(r2)
}

// idealSign signs req in place as Config.Sign does, with an HMAC keyed
// for the request.
func idealSign(s *idealSigner, req *http.Request, consumerKey, token string, key []byte) {
	sent := new(idealSent)
	auth, body := s.sign(req, consumerKey, token, key)
	sent.auth[0] = auth
	sent.body.Reset(body)
	req.Header["Authorization"] = sent.auth[:]
	req.Body = &sent.body
}

// BenchmarkIdeal is BenchmarkTransport/serial and BenchmarkSign for the
// idealised signers above: what signing the Twitter example costs with
// none of the package's checks, a lower bound to read their figures
// against (and BenchmarkFloor's, which no signer reaches).
func BenchmarkIdeal(b *testing.B) {
	key := []byte(twKey)
	b.Run("Transport", func(b *testing.B) {
		rt := idealTransport{newIdealTransport(twConfig.ConsumerKey, twToken.Token, key)}
		req := twRequest()
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			req.Body, _ = req.GetBody()
			resp, err := rt.RoundTrip(req)
			if err != nil {
				b.Fatal(err)
			}
			sink = resp
		}
	})
	b.Run("Sign", func(b *testing.B) {
		s := new(idealSigner)
		req := twRequest()
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			idealSign(s, req, twConfig.ConsumerKey, twToken.Token, key)
		}
		sink = req.Header.Get("Authorization")
	})
}

// TestIdealSigners checks that the idealised signers of BenchmarkIdeal
// sign the Twitter example as published (vector
// twitter-creating-a-signature-v1.1 in internal/testdata/vectors): its
// base string and signature, given its nonce and timestamp.
func TestIdealSigners(t *testing.T) {
	const nonce, timestamp = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", 1318622958
	const signature = `oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"`
	key := []byte(twKey)
	transport := newIdealTransport(twConfig.ConsumerKey, twToken.Token, key)
	signers := map[string]*idealSigner{"Transport": transport, "Sign": new(idealSigner)}
	for name, s := range signers {
		t.Run(name, func(t *testing.T) {
			s.testNonce, s.testTime = nonce, timestamp
			for i := 0; i < 2; i++ { // the second time with the buffers grown
				req := twRequest()
				var sent *http.Request
				if s.mac != nil {
					resp, err := idealTransport{s}.RoundTrip(req)
					if err != nil {
						t.Fatal(err)
					}
					sent = resp.Request
				} else {
					idealSign(s, req, twConfig.ConsumerKey, twToken.Token, key)
					sent = req
				}
				if got := string(s.base); got != twBase {
					t.Errorf("base string:\n got %s\nwant %s", got, twBase)
				}
				if got := sent.Header.Get("Authorization"); !strings.HasSuffix(got, signature) {
					t.Errorf("Authorization %s, want it to end with %s", got, signature)
				}
				body, err := io.ReadAll(sent.Body)
				if err != nil || string(body) != twBody {
					t.Errorf("body %q, %v; want %q", body, err, twBody)
				}
			}
		})
	}
}
