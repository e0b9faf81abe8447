package oauth1

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/internal/urlenc"
)

func TestParseAuthHeader(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantRealm string
		want      urlenc.Params
		wantOK    bool
		wantErr   error
	}{
		{"rfc 5849 3.5.1", `OAuth realm="Example", oauth_consumer_key="0685bd9184jfhq22", oauth_signature="wOJIO9A2W5mFwDgiDvZbTSMK%2FPY%3D"`,
			"Example", urlenc.Params{{Key: "oauth_consumer_key", Value: "0685bd9184jfhq22"}, {Key: "oauth_signature", Value: "wOJIO9A2W5mFwDgiDvZbTSMK/PY="}}, true, nil},
		{"scheme case and whitespace", "oauth\toauth_token = \"a%20b\" ,, oauth_nonce=tok  ",
			"", urlenc.Params{{Key: "oauth_token", Value: "a b"}, {Key: "oauth_nonce", Value: "tok"}}, true, nil},
		{"escaped quote in realm", `OAuth realm="a \"b\" \\ c"`, `a "b" \ c`, nil, true, nil},
		{"empty value", `OAuth oauth_token=""`, "", urlenc.Params{{Key: "oauth_token", Value: ""}}, true, nil},
		{"plus stays plus", `OAuth a="1+2"`, "", urlenc.Params{{Key: "a", Value: "1+2"}}, true, nil},
		{"other scheme", `Bearer abc`, "", nil, false, nil},
		{"scheme prefix only", `OAuthX a="b"`, "", nil, false, nil},
		{"unterminated", `OAuth a="b`, "", nil, true, ErrBadRequest},
		{"no value", `OAuth a, b="c"`, "", nil, true, ErrBadRequest},
		{"junk after value", `OAuth a="b"c`, "", nil, true, ErrBadRequest},
		{"bad escape", `OAuth a="%zz"`, "", nil, true, ErrBadRequest},
		{"realm twice", `OAuth realm="a", realm="b"`, "", nil, true, ErrBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			realm, _, got, ok, err := parseAuthHeader(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("parseAuthHeader(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if ok != tt.wantOK {
				t.Errorf("parseAuthHeader(%q) ok = %v, want %v", tt.in, ok, tt.wantOK)
			}
			if err != nil {
				return
			}
			if realm != tt.wantRealm {
				t.Errorf("realm = %q, want %q", realm, tt.wantRealm)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("params mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParseAuthHeader: no panics; whatever parses, re-serialized the way
// Sign writes headers, parses back to the same parameters and realm.
func FuzzParseAuthHeader(f *testing.F) {
	for _, s := range []string{
		`OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"`,
		`OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", oauth_signature="tnnArxj06cWHq44gCs1OSKk%2FjLY%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1318622958", oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", oauth_version="1.0"`,
		`OAuth oauth_nonce="abc", oauth_timestamp="1234567890", oauth_version="1.0", oauth_signature_method="PLAINTEXT", oauth_consumer_key="client_key", oauth_signature="foo%26bar"`,
		`oauth a=b,c="d\"e"`, `OAuth realm="x\\"`, `OAuth ,,,`, `OAuth a="%"`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		realm, hasRealm, params, ok, err := parseAuthHeader(h)
		if !ok || err != nil {
			return
		}
		var b []byte
		b = append(b, "OAuth "...)
		if hasRealm {
			b = append(b, `realm="`...)
			b = appendQuoted(b, realm)
			b = append(b, `", `...)
		}
		for _, p := range params {
			b = urlenc.AppendEscape(b, p.Key)
			b = append(b, `="`...)
			b = urlenc.AppendEscape(b, p.Value)
			b = append(b, `", `...)
		}
		realm2, hasRealm2, params2, ok2, err2 := parseAuthHeader(strings.TrimSuffix(string(b), ", "))
		if !ok2 || err2 != nil {
			t.Fatalf("re-serialized header %q does not parse: %v", b, err2)
		}
		if hasRealm2 != hasRealm || stripControl(realm) != realm2 {
			t.Fatalf("realm %q -> %q", realm, realm2)
		}
		if len(params) == 0 {
			params = nil
		}
		if len(params2) == 0 {
			params2 = nil
		}
		if diff := cmp.Diff(params, params2); diff != "" {
			t.Fatalf("round trip mismatch (-first +second):\n%s", diff)
		}
	})
}

// stripControl drops the control bytes appendQuoted drops.
func stripControl(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x20 && s[i] != 0x7f {
			b = append(b, s[i])
		}
	}
	return string(b)
}

func TestParseAuthHeaderRealmRoundTrip(t *testing.T) {
	r, _, _, _, _ := parseAuthHeader(`OAuth realm="` + string(appendQuoted(nil, `a"b\c`)) + `"`)
	if r != `a"b\c` {
		t.Errorf("realm = %q", r)
	}
}

// FuzzSignatureBaseString signs arbitrary requests and checks that the two
// halves that share the base string builder agree: SignatureBaseString
// and the Verifier accept what Sign produced. Then it signs the same
// method, query and body for the fake provider's protected resource and
// hands the request to the provider in memory: its own RFC 5849 code,
// which shares nothing with this package, must accept it too. No panics
// on any input.
func FuzzSignatureBaseString(f *testing.F) {
	f.Add("POST", "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b", "application/x-www-form-urlencoded", "c2&a3=2+q", uint8(0))
	f.Add("POST", "https://api.twitter.com/1.1/statuses/update.json?include_entities=true", "application/x-www-form-urlencoded; charset=utf-8", "status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21", uint8(1))
	f.Add("GET", "http://EXAMPLE.COM:80/r%20v/X?id=123", "", "", uint8(2))
	f.Add("PUT", "https://[123:db8:fd00:1000::5]:13000", "text/plain", "Hello World!", uint8(0))
	f.Add("get", "http://example.com", "application/x-www-form-urlencoded", "a=&a=&=b", uint8(1))
	f.Add("POST", "https://example.com/?q=%C3%A6&e=", "application/x-www-form-urlencoded", "x=1&x=2&e=&é=%E2%82%AC", uint8(0x0b))
	// The provider's consumers, one per method (only the rsa- ones have a
	// public key), each with a token.
	fake := fakeprovider.NewProvider()
	type fakeConsumer struct {
		key           string
		method        SignatureMethod
		token, secret string
	}
	consumers := []fakeConsumer{{key: "hmac-sha1", method: HMACSHA1}, {key: "hmac-sha256", method: HMACSHA256},
		{key: "rsa-sha1", method: RSASHA1(fakeprovider.OAuth1RSAPrivateKey())}, {key: "plaintext", method: Plaintext}}
	for i := range consumers {
		consumers[i].token, consumers[i].secret = fake.OAuth1.IssueAccessToken(consumers[i].key)
	}
	f.Fuzz(func(t *testing.T, method, rawURL, ct, body string, pl uint8) {
		req, err := http.NewRequest(method, rawURL, strings.NewReader(body))
		if err != nil || req.URL.Host == "" || (req.URL.Scheme != "http" && req.URL.Scheme != "https") {
			return
		}
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		cfg := &Config{ConsumerKey: "ck", ConsumerSecret: "c s", Placement: Placement(pl % 3), BodyHash: pl&4 != 0}
		tok := &Token{Token: "t", Secret: "t&s"}
		if err := cfg.Sign(req, tok); err != nil {
			return // refused input (bad escapes, non-form body for InFormBody)
		}
		base1, err := SignatureBaseString(req)
		if err != nil {
			t.Fatalf("SignatureBaseString after Sign: %v", err)
		}
		if m := strings.ReplaceAll(url.QueryEscape(strings.ToUpper(method)), "+", "%20"); !strings.HasPrefix(base1, m+"&") && method != "" {
			t.Fatalf("base string %q does not start with the method, encoded (%q)", base1, m)
		}
		v := &Verifier{
			LookupConsumer: func(_ ctxT, k string) (Consumer, error) { return Consumer{Secret: "c s"}, nil },
			LookupToken:    func(_ ctxT, ck, tk string) (string, error) { return "t&s", nil },
			Nonces:         NewMemoryNonceStore(0),
		}
		dup := strings.Contains(rawURL+body, "oauth_")
		if _, err := v.Verify(bgCtx(), req); err != nil {
			// Duplicated protocol parameters in the URL are refused by
			// design; everything else must verify.
			if errors.Is(err, ErrBadRequest) && dup {
				return
			}
			t.Fatalf("Verify(Sign(req)) = %v\nbase %q", err, base1)
		}
		if dup {
			return
		}

		// The provider's own check, on the same query and body.
		target := "https://provider.example/oauth1/resource"
		if req.URL.RawQuery != "" && cfg.Placement != InQuery {
			target += "?" + req.URL.RawQuery
		} else if q := strings.SplitN(rawURL, "?", 2); len(q) == 2 && cfg.Placement == InQuery {
			target += "?" + q[1]
		}
		freq, err := http.NewRequest(method, target, strings.NewReader(body))
		if err != nil || freq.URL.Path != "/oauth1/resource" {
			return
		}
		if ct != "" {
			freq.Header.Set("Content-Type", ct)
		}
		fc := consumers[int(pl>>3)%len(consumers)]
		fcfg := &Config{ConsumerKey: fc.key, ConsumerSecret: fc.key + "-secret",
			Method: fc.method, Placement: cfg.Placement, BodyHash: cfg.BodyHash}
		if err := fcfg.Sign(freq, &Token{Token: fc.token, Secret: fc.secret}); err != nil {
			return
		}
		if code, answer := serveInMemory(fake, freq); code != http.StatusOK {
			base, _ := SignatureBaseString(freq)
			t.Fatalf("the fake provider refused %s %s (%s, %s): %d %s\nbase %q", freq.Method, freq.URL, fcfg.Method.Name(), fcfg.Placement, code, answer, base)
		}
	})
}

// serveInMemory hands a client request to h as a server receives it, over
// TLS, and returns the status and body of the answer.
func serveInMemory(h http.Handler, req *http.Request) (int, string) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	sr := req.Clone(context.Background())
	sr.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	sr.RequestURI = req.URL.RequestURI()
	sr.Host = req.URL.Host
	sr.TLS = &tls.ConnectionState{}
	sr.Body = io.NopCloser(bytes.NewReader(body))
	sr.ContentLength = int64(len(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, sr)
	return rec.Code, rec.Body.String()
}
