package oauth1_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"hash"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/oauthkit/oauth/oauth1"
)

// checkHMACSignature checks the oauth_signature of a request signed in the
// header against crypto/hmac over the request's base string under the
// given secrets, computed without the package's signer.
func checkHMACSignature(req *http.Request, newHash func() hash.Hash, consumerSecret, tokenSecret string) error {
	base, err := oauth1.SignatureBaseString(req)
	if err != nil {
		return err
	}
	m := hmac.New(newHash, []byte(url.QueryEscape(consumerSecret)+"&"+url.QueryEscape(tokenSecret)))
	m.Write([]byte(base))
	want := url.QueryEscape(base64.StdEncoding.EncodeToString(m.Sum(nil)))
	h := req.Header.Get("Authorization")
	i := strings.Index(h, `oauth_signature="`)
	if i < 0 {
		return fmt.Errorf("no oauth_signature in %q", h)
	}
	got := h[i+len(`oauth_signature="`):]
	got = got[:strings.IndexByte(got, '"')]
	if got != want {
		return fmt.Errorf("oauth_signature = %s, want %s", got, want)
	}
	return nil
}

// TestSignReusedCredentials signs over and over with credentials that come
// back, change in place, and differ in one secret or the method only: each
// signature must be the HMAC under the secrets of that moment. (The
// secrets are plain, so url.QueryEscape encodes them as RFC 5849 does.)
func TestSignReusedCredentials(t *testing.T) {
	cfgA := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs-A"}
	cfgB := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs-B"}
	cfg256 := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs-A", Method: oauth1.HMACSHA256}
	tok := &oauth1.Token{Token: "t", Secret: "ts-1"}
	other := &oauth1.Token{Token: "t", Secret: "ts-2"}
	steps := []struct {
		cfg *oauth1.Config
		tok *oauth1.Token
		set func()
	}{
		{cfgA, tok, nil}, {cfgA, tok, nil}, {cfgA, tok, nil}, {cfgA, tok, nil},
		{cfg256, tok, nil}, {cfg256, tok, nil}, {cfg256, tok, nil},
		{cfgA, tok, nil}, {cfgA, tok, nil},
		{cfgA, other, nil}, {cfgA, other, nil}, {cfgA, other, nil},
		{cfgA, tok, nil},
		{cfgB, tok, nil}, {cfgB, tok, nil}, {cfgB, tok, nil},
		{cfg256, tok, nil}, {cfg256, tok, nil}, {cfg256, tok, nil},
		{cfgA, tok, func() { tok.Secret = "ts-3" }}, {cfgA, tok, nil}, {cfgA, tok, nil},
		{cfgA, tok, func() { cfgA.ConsumerSecret = "cs-C" }}, {cfgA, tok, nil}, {cfgA, tok, nil},
		{cfgA, nil, nil}, {cfgA, nil, nil}, {cfgA, nil, nil},
		{cfgA, &oauth1.Token{Token: "t"}, nil}, {cfgA, &oauth1.Token{Token: "t"}, nil},
	}
	for i, st := range steps {
		if st.set != nil {
			st.set()
		}
		req, _ := http.NewRequest("GET", "https://api.example.com/r?a=1", nil)
		if err := st.cfg.Sign(req, st.tok); err != nil {
			t.Fatal(err)
		}
		newHash, ts := sha1.New, ""
		if st.cfg.Method != nil {
			newHash = sha256.New
		}
		if st.tok != nil {
			ts = st.tok.Secret
		}
		if err := checkHMACSignature(req, newHash, st.cfg.ConsumerSecret, ts); err != nil {
			t.Errorf("step %d: %v", i, err)
		}
	}
}

// TestSignConcurrentCredentials signs from many goroutines with several
// credentials at once; run it with -race.
func TestSignConcurrentCredentials(t *testing.T) {
	cfgs := []*oauth1.Config{
		{ConsumerKey: "ck", ConsumerSecret: "cs-1"},
		{ConsumerKey: "ck", ConsumerSecret: "cs-2"},
	}
	toks := []*oauth1.Token{{Token: "a", Secret: "s-a"}, {Token: "b", Secret: "s-b"}, {Token: "c", Secret: "s-c"}, nil}
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				cfg, tok := cfgs[(g+i)%len(cfgs)], toks[(g*7+i)%len(toks)]
				req, _ := http.NewRequest("GET", "https://api.example.com/r", nil)
				if err := cfg.Sign(req, tok); err != nil {
					t.Error(err)
					return
				}
				ts := ""
				if tok != nil {
					ts = tok.Secret
				}
				if err := checkHMACSignature(req, sha1.New, cfg.ConsumerSecret, ts); err != nil {
					t.Errorf("goroutine %d, request %d: %v", g, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestSignNoncesUnique signs from many goroutines at once and checks that
// no nonce comes out twice and that each is 30 letters and digits: what
// providers built on oauthlib accept by default (its RequestValidator's
// check_nonce: 20 to 30 of A-Z, a-z, 0-9) and what NetSuite documents
// (6 to 64 alphanumeric characters).
var alphanumeric = regexp.MustCompile(`^[A-Za-z0-9]{30}$`)

func TestSignNoncesUnique(t *testing.T) {
	const goroutines, each = 16, 250
	nonces := make(chan string, goroutines*each)
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				req, _ := http.NewRequest("GET", "https://api.example.com/r", nil)
				if err := twConfig.Sign(req, twToken); err != nil {
					t.Error(err)
					return
				}
				h := req.Header.Get("Authorization")
				n := h[strings.Index(h, `oauth_nonce="`)+len(`oauth_nonce="`):]
				nonces <- n[:strings.IndexByte(n, '"')]
			}
		}()
	}
	wg.Wait()
	close(nonces)
	seen := make(map[string]bool, goroutines*each)
	for n := range nonces {
		if !alphanumeric.MatchString(n) {
			t.Fatalf("nonce %q: not 30 letters and digits", n)
		}
		if seen[n] {
			t.Fatalf("nonce %q came out twice", n)
		}
		seen[n] = true
	}
	if len(seen) != goroutines*each {
		t.Errorf("%d nonces, want %d", len(seen), goroutines*each)
	}
}

// TestBaseStringMethod checks the first element of the base string: the
// method in upper case, encoded like the rest, as a custom method may need
// (RFC 5849 §3.4.1.1).
func TestBaseStringMethod(t *testing.T) {
	tests := []struct{ method, want string }{
		{"GET", "GET&"},
		{"", "GET&"},
		{"post", "POST&"},
		{"M-SEARCH", "M-SEARCH&"},
		{"purge!", "PURGE%21&"},
		{"A*B", "A%2AB&"},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(tt.method, "https://example.com/", nil)
		if err != nil {
			t.Fatal(err)
		}
		base, err := oauth1.SignatureBaseString(req)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(base, tt.want) {
			t.Errorf("base string of a %q request = %q, want it to start with %q", tt.method, base, tt.want)
		}
	}
}

// TestSignNonceFromRand checks how Config.Rand's bytes become the nonce:
// each byte modulo 62, as a digit, a lower-case or an upper-case letter.
func TestSignNonceFromRand(t *testing.T) {
	rnd := []byte{0, 9, 10, 35, 36, 61, 62, 255, 123, 124}
	rnd = append(rnd, make([]byte, 20)...)
	cfg := *twConfig
	cfg.Rand = bytes.NewReader(rnd)
	req, _ := http.NewRequest("GET", "https://api.example.com/r", nil)
	if err := cfg.Sign(req, twToken); err != nil {
		t.Fatal(err)
	}
	var got string
	for _, p := range headerParams(t, req.Header.Get("Authorization")) {
		if p[0] == "oauth_nonce" {
			got = p[1]
		}
	}
	// 0-9 are digits, 10-35 lower-case, 36-61 upper-case letters; 62 is
	// 0, 255 is 7 (255 = 4*62 + 7), 123 is 61, 124 is 0.
	if want := "09azAZ07Z0" + strings.Repeat("0", 20); got != want {
		t.Errorf("oauth_nonce = %q, want %q", got, want)
	}
	cfg.Rand = bytes.NewReader(rnd[:29])
	if err := cfg.Sign(req, twToken); err == nil {
		t.Error("Sign() with 29 random bytes succeeded, want the read error")
	}
}
