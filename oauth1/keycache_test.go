package oauth1_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"hash"
	"net/http"
	"net/url"
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
// signature must be the HMAC under the secrets of that moment, whatever
// Sign kept from earlier calls. (The secrets are plain, so
// url.QueryEscape encodes them as RFC 5849 does.)
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

// TestSignConcurrentCredentials signs from many goroutines with credentials
// that share and contend for cached keys; run it with -race.
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
// no nonce comes out twice and that each is 32 bytes of Base64url: the
// nonce bytes are read ahead, and must still never be shared.
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
		if b, err := base64.RawURLEncoding.DecodeString(n); err != nil || len(b) != 32 {
			t.Fatalf("nonce %q: not 32 bytes of Base64url (%v)", n, err)
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

// TestHMACAppendSignLeavesSpareCapacity checks the SignatureMethod
// contract that AppendSign does not modify key or base, even where they
// live in dst's spare capacity just past what it appends.
func TestHMACAppendSignLeavesSpareCapacity(t *testing.T) {
	for _, m := range []oauth1.SignatureMethod{oauth1.HMACSHA1, oauth1.HMACSHA256, oauth1.HMACSHA512} {
		buf := make([]byte, 0, 512)
		end := base64.StdEncoding.EncodedLen(map[string]int{"HMAC-SHA1": 20, "HMAC-SHA256": 32, "HMAC-SHA512": 64}[m.Name()])
		key := append(buf[end:end], "cs&ts"...)
		base := append(buf[end+5:end+5], "GET&https%3A%2F%2Fapi.example.com%2Fx&a%3D1"...)
		wantBase, wantKey := string(base), string(key)
		sig, err := m.AppendSign(buf[:0], key, base)
		if err != nil {
			t.Fatal(err)
		}
		if string(base) != wantBase || string(key) != wantKey {
			t.Errorf("%s: AppendSign modified base or key in dst's spare capacity", m.Name())
		}
		mac := hmac.New(map[string]func() hash.Hash{"HMAC-SHA1": sha1.New, "HMAC-SHA256": sha256.New, "HMAC-SHA512": sha512.New}[m.Name()], []byte(wantKey))
		mac.Write([]byte(wantBase))
		if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); string(sig) != want {
			t.Errorf("%s: AppendSign = %s, want %s", m.Name(), sig, want)
		}
	}
}
