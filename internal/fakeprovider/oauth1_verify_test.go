package fakeprovider

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The tests in this file send requests signed by hand (the published
// vectors' signatures, or HMAC-SHA1 over a base string written out in the
// test) to the provider's protected resource over HTTP. They use neither
// package oauth1 nor the provider's own base-string code to sign.

// o1VectorByID returns the vector with the given id.
func o1VectorByID(t testing.TB, id string) o1Vector {
	t.Helper()
	for _, v := range o1Vectors(t, "signature") {
		if v.ID == id {
			return v
		}
	}
	t.Fatalf("no signature vector %q", id)
	return o1Vector{}
}

// o1Req is a request to send: the target's host becomes the Host header,
// and the Authorization header is built from realm, oauth and signature
// unless oauth is nil.
type o1Req struct {
	method, target, contentType, body string
	realm                             string
	oauth                             map[string]string // but oauth_signature
	signature                         string
}

// o1VectorReq returns the vector's request, signed with its published
// signature.
func o1VectorReq(v o1Vector) o1Req {
	r := o1Req{method: v.HTTPMethod, target: v.URL, contentType: v.Headers["Content-Type"], realm: v.Realm,
		oauth: maps.Clone(v.OAuthParams), signature: v.Expected.Signature}
	if v.Body != nil {
		r.body = *v.Body
	}
	switch v.Placement {
	case "query":
		r.target, r.oauth = v.Expected.SignedURL, nil
	case "body":
		r.body, r.oauth = v.Expected.SignedBody, nil
	}
	return r
}

// o1VectorProvider returns an OAuth 1 provider that knows the vector's
// consumer and, as an access token, its token, with the clock at the
// vector's timestamp.
func o1VectorProvider(t testing.TB, v o1Vector) *OAuth1 {
	t.Helper()
	o := newOAuth1()
	o.AddConsumer(OAuth1Consumer{Key: v.ConsumerKey, Secret: v.ConsumerSecret, PublicKey: v.publicKey(t)})
	if v.Token != "" {
		o.access[v.Token] = &o1AccessToken{consumer: v.ConsumerKey, secret: v.TokenSecret}
	}
	ts, err := strconv.ParseInt(v.Timestamp, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	o.Now = func() time.Time { return time.Unix(ts, 0) }
	return o
}

// o1Answer is what the provider answered.
type o1Answer struct {
	status  int
	problem string     // oauth_problem of a refusal
	echo    OAuth1Echo // of a success
}

// o1Send sends r to o's protected resource, served at every path by a new
// server (with TLS when tls is set), so that a vector's request keeps its
// own path and Host header.
func o1Send(t testing.TB, o *OAuth1, tls bool, r o1Req) o1Answer {
	t.Helper()
	var srv *httptest.Server
	if tls {
		srv = httptest.NewTLSServer(http.HandlerFunc(o.resource))
	} else {
		srv = httptest.NewServer(http.HandlerFunc(o.resource))
	}
	defer srv.Close()
	return o1SendTo(t, srv, r)
}

func o1SendTo(t testing.TB, srv *httptest.Server, r o1Req) o1Answer {
	t.Helper()
	u, err := url.Parse(r.target)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(r.method, srv.URL+u.RequestURI(), strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = u.Host
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if r.oauth != nil {
		req.Header.Set("Authorization", o1Header(r.realm, r.oauth, r.signature))
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil {
		t.Fatal(err)
	}
	a := o1Answer{status: resp.StatusCode}
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, &a.echo); err != nil {
			t.Fatalf("echo %q: %v", body, err)
		}
		return a
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		t.Fatalf("refusal %q: %v", body, err)
	}
	a.problem = form.Get("oauth_problem")
	return a
}

// o1HandSign returns the HMAC-SHA1 signature of base under key (RFC 5849
// §3.4.2), computed here rather than by the code under test.
func o1HandSign(key, base string) string {
	mac := hmac.New(sha1.New, []byte(key))
	mac.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// o1BaseEnc percent-encodes the few characters that a base string URI and
// a normalized parameter string written out in a test contain, so that a
// test can write its base strings out by hand.
var o1BaseEnc = strings.NewReplacer("%", "%25", "&", "%26", "=", "%3D", ":", "%3A", "/", "%2F", "@", "%40", "+", "%2B")

// o1HandBase returns method, the encoded base string URI and the encoded
// normalized parameters joined by "&" (RFC 5849 §3.4.1.1).
func o1HandBase(method, uri, normalized string) string {
	return method + "&" + o1BaseEnc.Replace(uri) + "&" + o1BaseEnc.Replace(normalized)
}

// TestOAuth1Resource sends published requests, intact and altered, to the
// protected resource over HTTP.
func TestOAuth1Resource(t *testing.T) {
	const (
		photos    = "rfc5849-1.2-protected-resource"
		rfc       = "rfc5849-3.4.1-example"
		plaintext = "oauth-core-1.0a-plaintext-access-token-body"
		bodyHash  = "bodyhash-put-text-1b"
	)
	tests := []struct {
		name      string
		vector    string
		tls       bool
		edit      func(o *OAuth1, r *o1Req)
		replay    bool // send the intact request first
		status    int
		problem   string
		wantEcho  *OAuth1Echo
		wantNonce int // nonces remembered after
	}{
		{name: "intact, header", vector: photos, status: 200, wantNonce: 1, wantEcho: &OAuth1Echo{
			Method: "GET", ConsumerKey: "dpf43f3p2l4k3l03", Token: "nnch734d00sl2jdk", Signature: "HMAC-SHA1",
			Placement: "header", Realm: "Photos", Params: [][2]string{{"file", "vacation.jpg"}, {"size", "original"}},
		}},
		{name: "intact, query and form body", vector: rfc, status: 200, wantNonce: 1, wantEcho: &OAuth1Echo{
			Method: "POST", ConsumerKey: "9djdj82h48djs9d2", Token: "kkk9d7dh3k39sjv7", Signature: "HMAC-SHA1",
			Placement: "header", Realm: "Example",
			Params: [][2]string{{"b5", "=%3D"}, {"a3", "a"}, {"c@", ""}, {"a2", "r b"}, {"c2", ""}, {"a3", "2 q"}},
		}},
		{name: "intact, PLAINTEXT in the body over TLS", vector: plaintext, tls: true, status: 200, wantNonce: 1, wantEcho: &OAuth1Echo{
			Method: "POST", ConsumerKey: "dpf43f3p2l4k3l03", Token: "hh5s93j4hdidpola", Signature: "PLAINTEXT",
			Placement: "body", Params: [][2]string{},
		}},
		{name: "intact, body hash", vector: bodyHash, status: 200, wantNonce: 1, wantEcho: &OAuth1Echo{
			Method: "PUT", ConsumerKey: "consumer", Token: "token", Signature: "HMAC-SHA1",
			Placement: "header", Params: [][2]string{},
		}},
		{name: "method sent in lower case, signed in upper case", vector: photos, status: 200, wantNonce: 1,
			edit: func(o *OAuth1, r *o1Req) { r.method = "get" }},
		{name: "PLAINTEXT without TLS", vector: plaintext, status: 401, problem: "signature_method_rejected"},
		{name: "tampered query parameter", vector: photos, status: 401, problem: "signature_invalid",
			edit: func(o *OAuth1, r *o1Req) { r.target = strings.Replace(r.target, "size=original", "size=large", 1) }},
		{name: "tampered form body", vector: rfc, status: 401, problem: "signature_invalid",
			edit: func(o *OAuth1, r *o1Req) { r.body = "c2&a3=2+r" }},
		{name: "tampered path", vector: photos, status: 401, problem: "signature_invalid",
			edit: func(o *OAuth1, r *o1Req) { r.target = strings.Replace(r.target, "/photos", "/photo", 1) }},
		{name: "tampered method", vector: photos, status: 401, problem: "signature_invalid",
			edit: func(o *OAuth1, r *o1Req) { r.method = "DELETE" }},
		{name: "body-hash mismatch", vector: bodyHash, status: 401, problem: "signature_invalid",
			edit: func(o *OAuth1, r *o1Req) { r.body = "Hello World?" }},
		{name: "body hash on a form body", vector: bodyHash, status: 401, problem: "parameter_rejected",
			edit: func(o *OAuth1, r *o1Req) { r.contentType = "application/x-www-form-urlencoded; charset=utf-8" }},
		{name: "wrong consumer secret", vector: photos, status: 401, problem: "signature_invalid",
			edit: func(o *OAuth1, r *o1Req) { o.AddConsumer(OAuth1Consumer{Key: "dpf43f3p2l4k3l03", Secret: "wrong"}) }},
		{name: "wrong token secret", vector: photos, status: 401, problem: "signature_invalid",
			edit: func(o *OAuth1, r *o1Req) { o.access["nnch734d00sl2jdk"].secret = "wrong" }},
		{name: "wrong signature", vector: photos, status: 401, problem: "signature_invalid",
			edit: func(o *OAuth1, r *o1Req) { r.signature = "MdpQcU8iPSUjWoN/UDMsK2sui9J=" }},
		{name: "unknown consumer", vector: photos, status: 401, problem: "consumer_key_unknown",
			edit: func(o *OAuth1, r *o1Req) { delete(o.consumers, "dpf43f3p2l4k3l03") }},
		{name: "unknown token", vector: photos, status: 401, problem: "token_rejected",
			edit: func(o *OAuth1, r *o1Req) { delete(o.access, "nnch734d00sl2jdk") }},
		{name: "token of another consumer", vector: photos, status: 401, problem: "token_rejected",
			edit: func(o *OAuth1, r *o1Req) { o.access["nnch734d00sl2jdk"].consumer = "hmac-sha1" }},
		{name: "replayed nonce", vector: photos, replay: true, status: 401, problem: "nonce_used", wantNonce: 1},
		{name: "stale timestamp", vector: photos, status: 401, problem: "timestamp_refused",
			edit: func(o *OAuth1, r *o1Req) { o.Now = func() time.Time { return time.Unix(137131202+301, 0) } }},
		{name: "future timestamp", vector: photos, status: 401, problem: "timestamp_refused",
			edit: func(o *OAuth1, r *o1Req) { o.Now = func() time.Time { return time.Unix(137131202-301, 0) } }},
		{name: "timestamp at the window's end", vector: photos, status: 200, wantNonce: 1,
			edit: func(o *OAuth1, r *o1Req) { o.Now = func() time.Time { return time.Unix(137131202+300, 0) } }},
		{name: "timestamp outside a shorter window", vector: photos, status: 401, problem: "timestamp_refused",
			edit: func(o *OAuth1, r *o1Req) {
				o.Window = time.Minute
				o.Now = func() time.Time { return time.Unix(137131202+61, 0) }
			}},
		{name: "protocol parameter repeated", vector: photos, status: 401, problem: "parameter_rejected",
			edit: func(o *OAuth1, r *o1Req) { r.target += "&oauth_nonce=chapoH" }},
		{name: "oauth_version 2.0", vector: photos, status: 401, problem: "version_rejected",
			edit: func(o *OAuth1, r *o1Req) { r.oauth["oauth_version"] = "2.0" }},
		{name: "unknown signature method", vector: photos, status: 401, problem: "signature_method_rejected",
			edit: func(o *OAuth1, r *o1Req) { r.oauth["oauth_signature_method"] = "HMAC-MD5" }},
		{name: "signature method in lower case", vector: photos, status: 401, problem: "signature_method_rejected",
			edit: func(o *OAuth1, r *o1Req) { r.oauth["oauth_signature_method"] = "hmac-sha1" }},
		{name: "no oauth_nonce", vector: photos, status: 401, problem: "parameter_absent",
			edit: func(o *OAuth1, r *o1Req) { delete(r.oauth, "oauth_nonce") }},
		{name: "no oauth_timestamp", vector: photos, status: 401, problem: "parameter_absent",
			edit: func(o *OAuth1, r *o1Req) { delete(r.oauth, "oauth_timestamp") }},
		{name: "no oauth_consumer_key", vector: photos, status: 401, problem: "parameter_absent",
			edit: func(o *OAuth1, r *o1Req) { delete(r.oauth, "oauth_consumer_key") }},
		{name: "timestamp not a number", vector: photos, status: 401, problem: "parameter_rejected",
			edit: func(o *OAuth1, r *o1Req) { r.oauth["oauth_timestamp"] = "+137131202" }},
		{name: "no token", vector: photos, status: 401, problem: "parameter_absent", wantNonce: 1,
			edit: func(o *OAuth1, r *o1Req) {
				delete(r.oauth, "oauth_token")
				r.signature = o1HandSign("kd94hf93k423kf44&", o1HandBase("GET", "http://photos.example.net/photos",
					"file=vacation.jpg&oauth_consumer_key=dpf43f3p2l4k3l03&oauth_nonce=chapoH&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131202&size=original"))
			}},
		{name: "no Authorization header", vector: photos, status: 401, problem: "parameter_absent",
			edit: func(o *OAuth1, r *o1Req) { r.oauth = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := o1VectorByID(t, tt.vector)
			o := o1VectorProvider(t, v)
			r := o1VectorReq(v)
			if tt.replay {
				if a := o1Send(t, o, tt.tls, r); a.status != 200 {
					t.Fatalf("first request: %d %q, want 200", a.status, a.problem)
				}
			}
			if tt.edit != nil {
				tt.edit(o, &r)
			}
			a := o1Send(t, o, tt.tls, r)
			if a.status != tt.status || a.problem != tt.problem {
				t.Fatalf("got %d %q, want %d %q", a.status, a.problem, tt.status, tt.problem)
			}
			if tt.wantEcho != nil {
				if diff := cmp.Diff(*tt.wantEcho, a.echo); diff != "" {
					t.Errorf("echo mismatch (-want +got):\n%s", diff)
				}
			}
			if n := len(o.nonces); n != tt.wantNonce {
				t.Errorf("provider remembers %d nonces, want %d", n, tt.wantNonce)
			}
			wantRejected := int64(0)
			if tt.status != 200 {
				wantRejected = 1
			}
			if n := o.Counters.Rejected.Load(); n != wantRejected {
				t.Errorf("Counters.Rejected = %d, want %d", n, wantRejected)
			}
		})
	}
}

// TestOAuth1RefusesNonCanonicalBaseStrings signs published requests over
// base strings that a lenient or mistaken signer might build, by hand, and
// expects the provider to accept only the canonical one (RFC 5849 §3.4.1).
func TestOAuth1RefusesNonCanonicalBaseStrings(t *testing.T) {
	const (
		rfc     = "rfc5849-3.4.1-example"           // POST, query, form body, empty values
		twitter = "twitter-creating-a-signature-v1" // POST over https
		// The RFC example's protocol parameters, normalized.
		rfcOAuth = "oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7"
		rfcURI   = "http://example.com/request"
		twURI    = "https://api.twitter.com/1/statuses/update.json"
		twParams = "include_entities=true&oauth_consumer_key=xvz1evFS4wEEPTGEFPHBog&oauth_nonce=kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1318622958&oauth_token=370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb&oauth_version=1.0&status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21"
	)
	tests := []struct {
		name      string
		vector    string
		host      string // the Host header, if not the URL's
		method    string // of the base string
		uri       string
		params    string // normalized, before the base string's encoding
		published bool   // the vector's own base string
		status    int
	}{
		{name: "canonical", vector: rfc, method: "POST", uri: rfcURI, published: true, status: 200,
			params: "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&" + rfcOAuth},
		{name: "parameters unsorted, as collected", vector: rfc, method: "POST", uri: rfcURI, status: 401,
			params: "b5=%3D%253D&a3=a&c%40=&a2=r%20b&oauth_consumer_key=9djdj82h48djs9d2&oauth_token=kkk9d7dh3k39sjv7&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_nonce=7d8f3e4a&c2=&a3=2%20q"},
		{name: "equal names not sorted by value", vector: rfc, method: "POST", uri: rfcURI, status: 401,
			params: "a2=r%20b&a3=a&a3=2%20q&b5=%3D%253D&c%40=&c2=&" + rfcOAuth},
		{name: "lower-case %xx escapes", vector: rfc, method: "POST", uri: rfcURI, status: 401,
			params: "a2=r%20b&a3=2%20q&a3=a&b5=%3d%253d&c%40=&c2=&" + rfcOAuth},
		{name: "empty-valued parameter left out", vector: rfc, method: "POST", uri: rfcURI, status: 401,
			params: "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c2=&" + rfcOAuth},
		{name: "empty values without '='", vector: rfc, method: "POST", uri: rfcURI, status: 401,
			params: "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40&c2&" + rfcOAuth},
		{name: "space encoded as '+'", vector: rfc, method: "POST", uri: rfcURI, status: 401,
			params: "a2=r+b&a3=2+q&a3=a&b5=%3D%253D&c%40=&c2=&" + rfcOAuth},
		{name: "'@' not encoded", vector: rfc, method: "POST", uri: rfcURI, status: 401,
			params: "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c@=&c2=&" + rfcOAuth},
		{name: "query value decoded once more", vector: rfc, method: "POST", uri: rfcURI, status: 401,
			params: "a2=r%20b&a3=2%20q&a3=a&b5=%3D%3D&c%40=&c2=&" + rfcOAuth},
		{name: "form body left out", vector: rfc, method: "POST", uri: rfcURI, status: 401,
			params: "a2=r%20b&a3=a&b5=%3D%253D&c%40=&" + rfcOAuth},
		{name: "realm signed", vector: rfc, method: "POST", uri: rfcURI, status: 401,
			params: "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&" + rfcOAuth + "&realm=Example"},
		{name: "method in lower case", vector: rfc, method: "post", uri: rfcURI, status: 401,
			params: "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&" + rfcOAuth},
		{name: "port :80 left in", vector: rfc, method: "POST", uri: "http://example.com:80/request", status: 401,
			params: "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&" + rfcOAuth},
		{name: "query left in the base string URI", vector: rfc, method: "POST", status: 401,
			uri:    "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
			params: "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&" + rfcOAuth},
		{name: "https canonical", vector: twitter, method: "POST", uri: twURI, params: twParams, published: true, status: 200},
		{name: "https, Host header with :443", vector: twitter, host: "api.twitter.com:443", method: "POST", uri: twURI, params: twParams, status: 200},
		{name: "https, Host header in upper case", vector: twitter, host: "API.Twitter.COM", method: "POST", uri: twURI, params: twParams, status: 200},
		{name: "port :443 left in", vector: twitter, method: "POST", uri: "https://api.twitter.com:443/1/statuses/update.json", params: twParams, status: 401},
		{name: "host in upper case", vector: twitter, method: "POST", uri: "https://API.TWITTER.COM/1/statuses/update.json", params: twParams, status: 401},
		{name: "scheme http over TLS", vector: twitter, method: "POST", uri: "http://api.twitter.com/1/statuses/update.json", params: twParams, status: 401},
		{name: "trailing slash added", vector: twitter, method: "POST", uri: twURI + "/", params: twParams, status: 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := o1VectorByID(t, tt.vector)
			base := o1HandBase(tt.method, tt.uri, tt.params)
			sig := o1HandSign(v.Expected.SigningKey, base)
			if tt.published && (base != *v.Expected.SignatureBaseString || sig != v.Expected.Signature) {
				t.Fatalf("hand-built base string %q signs as %q; the vector's is %q, %q",
					base, sig, *v.Expected.SignatureBaseString, v.Expected.Signature)
			}
			r := o1VectorReq(v)
			r.signature = sig
			if tt.host != "" {
				u, _ := url.Parse(r.target)
				u.Host = tt.host
				r.target = u.String()
			}
			a := o1Send(t, o1VectorProvider(t, v), strings.HasPrefix(v.URL, "https:"), r)
			if a.status != tt.status {
				t.Errorf("got %d %q, want %d", a.status, a.problem, tt.status)
			}
			if a.status == 401 && a.problem != "signature_invalid" {
				t.Errorf("problem = %q, want signature_invalid", a.problem)
			}
		})
	}
}

// TestOAuth1Nonces checks that a nonce is unique per consumer, token and
// timestamp, and that the provider holds a bounded number of them: when
// full it forgets those outside the window, and refuses (503) while none
// is.
func TestOAuth1Nonces(t *testing.T) {
	const ts = 137131202 // the photos request's
	v := o1VectorByID(t, "rfc5849-1.2-protected-resource")
	o := o1VectorProvider(t, v)
	o.maxNonces = 2
	srv := httptest.NewServer(http.HandlerFunc(o.resource))
	defer srv.Close()
	now := int64(ts)
	o.Now = func() time.Time { return time.Unix(now, 0) }

	// photos is the RFC 5849 §1.2 resource request with another nonce and
	// timestamp, signed by hand.
	photos := func(nonce string, timestamp int64) o1Req {
		r := o1VectorReq(v)
		stamp := strconv.FormatInt(timestamp, 10)
		r.oauth["oauth_nonce"], r.oauth["oauth_timestamp"] = nonce, stamp
		r.signature = o1HandSign("kd94hf93k423kf44&pfkkdhi9sl3r4s00", o1HandBase("GET", "http://photos.example.net/photos",
			"file=vacation.jpg&oauth_consumer_key=dpf43f3p2l4k3l03&oauth_nonce="+nonce+"&oauth_signature_method=HMAC-SHA1&oauth_timestamp="+stamp+"&oauth_token=nnch734d00sl2jdk&size=original"))
		return r
	}
	if got, want := photos("chapoH", ts).signature, v.Expected.Signature; got != want {
		t.Fatalf("hand signature = %q, want the published %q", got, want)
	}
	steps := []struct {
		name    string
		now     int64
		req     o1Req
		status  int
		problem string
		nonces  int
	}{
		{"first", ts, photos("chapoH", ts), 200, "", 1},
		{"replayed", ts, photos("chapoH", ts), 401, "nonce_used", 1},
		{"same nonce, next second", ts, photos("chapoH", ts+1), 200, "", 2},
		{"full", ts, photos("other", ts), 503, "nonce_used", 2},
		{"full, none outside the window yet", ts + 300, photos("other", ts+300), 503, "nonce_used", 2},
		{"first nonce left the window", ts + 301, photos("other", ts+301), 200, "", 2},
		{"replay of the forgotten nonce", ts + 301, photos("chapoH", ts), 401, "timestamp_refused", 2},
	}
	for _, s := range steps {
		now = s.now
		a := o1SendTo(t, srv, s.req)
		if a.status != s.status || a.problem != s.problem {
			t.Errorf("%s: got %d %q, want %d %q", s.name, a.status, a.problem, s.status, s.problem)
		}
		if len(o.nonces) != s.nonces {
			t.Errorf("%s: %d nonces remembered, want %d", s.name, len(o.nonces), s.nonces)
		}
	}
}

func TestOAuth1ParseAuthorization(t *testing.T) {
	tests := []struct {
		name     string
		header   string
		want     []o1Param
		notOAuth bool
		wantErr  bool
	}{
		{name: "RFC 5849 §3.5.1", header: `OAuth realm="Example", oauth_consumer_key="0685bd9184jfhq22", oauth_signature="wOJIO9A2W5mFwDgiDvZbTSMK%2FPY%3D"`,
			want: []o1Param{{"realm", "Example"}, {"oauth_consumer_key", "0685bd9184jfhq22"}, {"oauth_signature", "wOJIO9A2W5mFwDgiDvZbTSMK%2FPY%3D"}}},
		{name: "scheme in any case, tabs and no spaces", header: "oauth a=\"1\",b=\"2\"\t,\tc = \"3\"",
			want: []o1Param{{"a", "1"}, {"b", "2"}, {"c", "3"}}},
		{name: "quoted-pair", header: `OAuth realm="Photos \"R\" Us", x="a\\b"`,
			want: []o1Param{{"realm", `Photos "R" Us`}, {"x", `a\b`}}},
		{name: "empty value", header: `OAuth oauth_token=""`, want: []o1Param{{"oauth_token", ""}}},
		{name: "no parameters", header: `OAuth`, want: nil},
		{name: "other scheme", header: `Bearer abc`, notOAuth: true},
		{name: "scheme prefix only", header: `OAuthX a="b"`, notOAuth: true},
		{name: "unquoted value", header: `OAuth a=b`, wantErr: true},
		{name: "unterminated value", header: `OAuth a="b`, wantErr: true},
		{name: "escaped closing quote", header: `OAuth a="b\"`, wantErr: true},
		{name: "backslash at the end", header: `OAuth a="b\`, wantErr: true},
		{name: "no comma", header: `OAuth a="b" c="d"`, wantErr: true},
		{name: "no name", header: `OAuth ="b"`, wantErr: true},
		{name: "no '='", header: `OAuth a`, wantErr: true},
		{name: "empty element", header: `OAuth a="b",,c="d"`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := o1ParseAuthorization(tt.header)
			if (err != nil) != tt.wantErr || ok == tt.notOAuth {
				t.Fatalf("o1ParseAuthorization(%q) = ok %v, error %v; want ok %v, error %v", tt.header, ok, err, !tt.notOAuth, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(o1Param{})); diff != "" {
				t.Errorf("o1ParseAuthorization(%q) mismatch (-want +got):\n%s", tt.header, diff)
			}
		})
	}
}

func TestOAuth1ParseForm(t *testing.T) {
	tests := []struct {
		in   string
		want []o1Param
	}{
		{"", nil},
		{"a=1&b=2", []o1Param{{"a", "1"}, {"b", "2"}}},
		{"a+b=c+d", []o1Param{{"a b", "c d"}}},
		{"a%2Bb=c%2Bd", []o1Param{{"a+b", "c+d"}}},
		{"a&b=&a", []o1Param{{"a", ""}, {"b", ""}, {"a", ""}}},
		{"&&a=1&&", []o1Param{{"a", "1"}}},
		{"=v", []o1Param{{"", "v"}}},
		{"a=b=c", []o1Param{{"a", "b=c"}}},
		{"a;b=c", []o1Param{{"a;b", "c"}}},
		{"%E2%9C%93=%e2%9c%93", []o1Param{{"✓", "✓"}}},
	}
	for _, tt := range tests {
		got, err := o1ParseForm(tt.in)
		if err != nil {
			t.Errorf("o1ParseForm(%q) error = %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(o1Param{})); diff != "" {
			t.Errorf("o1ParseForm(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestOAuth1CollectRefusesMalformedRequests(t *testing.T) {
	tests := []struct {
		name, query, auth, form string
	}{
		{name: "query escape", query: "a=%zz"},
		{name: "form escape", form: "a=%4"},
		{name: "header escape", auth: `OAuth oauth_nonce="%G0"`},
		{name: "header syntax", auth: `OAuth oauth_nonce=abc`},
		{name: "realm repeated", auth: `OAuth realm="a", realm="b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "http://example.com/?"+tt.query, nil)
			if tt.auth != "" {
				r.Header.Set("Authorization", tt.auth)
			}
			if _, err := o1Collect(r, tt.form); err == nil {
				t.Errorf("o1Collect() error = nil, want one")
			}
		})
	}
}

func TestOAuth1IsForm(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/x-www-form-urlencoded":                 true,
		"Application/X-WWW-Form-URLEncoded; charset=UTF-8":  true,
		" application/x-www-form-urlencoded ;charset=utf-8": true,
		"":                                      false,
		"text/plain":                            false,
		"multipart/form-data; boundary=x":       false,
		"application/x-www-form-urlencoded-not": false,
	} {
		if got := o1IsForm(ct); got != want {
			t.Errorf("o1IsForm(%q) = %v, want %v", ct, got, want)
		}
	}
}
