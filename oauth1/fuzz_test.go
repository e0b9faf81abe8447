package oauth1_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth1"
)

// The credentials of the fuzzed exchanges: distinct, and not made of
// anything a response would hold by chance.
const (
	fzConsumerSecret = "cs-SECRET-7f3a"
	fzTokenSecret    = "ts-SECRET-91bc"
	fzVerifier       = "verifier-5d2e"
	fzRequestToken   = "rt-PUBLIC-3c9d"
)

// fuzzMethods are the signature methods the fuzz targets sign with,
// picked by a fuzzed byte.
func fuzzMethods() []oauth1.SignatureMethod {
	key := fakeprovider.OAuth1RSAPrivateKey()
	return []oauth1.SignatureMethod{oauth1.HMACSHA1, oauth1.Plaintext, oauth1.RSASHA1(key), oauth1.HMACSHA256}
}

// corpusStrings returns the string arguments of the Go fuzz corpus files
// in dir (a "go test fuzz v1" file per input).
func corpusStrings(tb testing.TB, dir string) []string {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		b, err := os.ReadFile(dir + "/" + e.Name())
		if err != nil {
			tb.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if s, ok := strings.CutPrefix(line, "string("); ok {
				if v, err := unquoteGo(strings.TrimSuffix(s, ")")); err == nil {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

func unquoteGo(s string) (string, error) {
	var v string
	_, err := fmt.Sscanf(s, "%q", &v)
	return v, err
}

// fuzzRT answers every request with the fuzzed response and records the
// request it got.
type fuzzRT struct {
	status  int
	header  http.Header
	body    []byte
	got     *http.Request
	gotBody string
}

func (rt *fuzzRT) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.got = r
	if r.Body != nil {
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		rt.gotBody = string(b)
	}
	return &http.Response{StatusCode: rt.status, Header: rt.header.Clone(),
		Body: io.NopCloser(bytes.NewReader(rt.body)), Request: r}, nil
}

// checkFuzzScrubbed fails if err, printed with any verb, or a text field
// of its *Error holds a credential as a whole token (see
// urlenc.Redact: an escape before it counts as a separator), or a field
// over its bound.
func checkFuzzScrubbed(t *testing.T, err error, credentials ...string) {
	t.Helper()
	outs := []string{fmt.Sprintf("%v|%+v|%#v|%s|%q", err, err, err, err, err)}
	var pe *oauth1.Error
	if errors.As(err, &pe) {
		outs = append(outs, pe.Problem, pe.Advice, string(pe.Body))
		if len(pe.Problem) > 64+3 || len(pe.Advice) > 256+3 || len(pe.Body) > 512+3 ||
			!utf8.ValidString(pe.Problem+pe.Advice+string(pe.Body)) {
			t.Fatalf("Error fields over their bounds or not UTF-8: %d, %d, %d bytes", len(pe.Problem), len(pe.Advice), len(pe.Body))
		}
	}
	if s := err.Error(); len(s) > maxErrorLen {
		t.Fatalf("error is %d bytes", len(s))
	}
	for _, c := range credentials {
		if c == "" {
			continue
		}
		for _, f := range credentialForms(c) {
			for _, o := range outs {
				if wholeTokenAfterEscape(o, f) {
					t.Fatalf("credential %q shows as %q in %q", c, f, o)
				}
			}
		}
	}
}

// wholeTokenAfterEscape is wholeToken, with a %XX, %25XX or JSON escape
// just before t counting as a separator.
func wholeTokenAfterEscape(s, t string) bool {
	word := func(c byte) bool {
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
	}
	hex := func(c byte) bool { return strings.IndexByte("0123456789abcdefABCDEF", c) >= 0 }
	escapeBefore := func(i int) bool {
		return i >= 3 && s[i-3] == '%' && hex(s[i-2]) && hex(s[i-1]) ||
			i >= 5 && s[i-5:i-2] == "%25" && hex(s[i-2]) && hex(s[i-1]) ||
			i >= 6 && s[i-6] == '\\' && s[i-5] == 'u' && hex(s[i-4]) && hex(s[i-3]) && hex(s[i-2]) && hex(s[i-1]) ||
			i >= 2 && s[i-2] == '\\' && strings.IndexByte("nrtbf", s[i-1]) >= 0
	}
	for i := 0; ; i++ {
		j := strings.Index(s[i:], t)
		if j < 0 {
			return false
		}
		i += j
		if (i == 0 || !word(s[i-1]) || escapeBefore(i)) && (i+len(t) == len(s) || !word(s[i+len(t)])) {
			return true
		}
	}
}

// FuzzTokenExchange runs RequestToken or AccessToken against a provider
// answering with a fuzzed status, Content-Type, Location and body. The
// result is a token, or a *Error (only the status for a 3xx), a
// *http.MaxBytesError, or an error wrapping ErrMissingToken, ErrBadRequest or
// ErrCallbackNotConfirmed; no credential the request sent appears in the
// error.
func FuzzTokenExchange(f *testing.F) {
	for _, v := range loadVectors(f) {
		if v.ResponseBody != "" {
			f.Add(uint16(200), "application/x-www-form-urlencoded", "", []byte(v.ResponseBody), uint8(0x10))
			f.Add(uint16(200), "text/plain", "", []byte(v.ResponseBody), uint8(1))
		}
	}
	f.Add(uint16(200), "application/json", "", []byte(`{"oauth_token":"a","oauth_token_secret":"b","oauth_callback_confirmed":"true","user_id":1}`), uint8(2))
	f.Add(uint16(401), "application/x-www-form-urlencoded", "",
		[]byte("oauth_problem=signature_invalid&oauth_problem_advice=consumer+secret+"+fzConsumerSecret+"+verifier+"+fzVerifier), uint8(0x11))
	f.Add(uint16(400), "application/json", "",
		[]byte(`{"oauth_problem":"token_rejected","received":{"oauth_token":"`+fzRequestToken+`","oauth_signature":"`+fzConsumerSecret+`&`+fzTokenSecret+`"}}`), uint8(0x15))
	f.Add(uint16(500), "text/html", "", []byte("<p>oauth_token_secret="+fzTokenSecret+" oauth_verifier="+fzVerifier+"</p>"), uint8(0x19))
	f.Add(uint16(307), "text/plain", "https://evil.example/?oauth_verifier="+fzVerifier, []byte("moved"), uint8(0x1d))
	f.Add(uint16(200), "text/plain", "", []byte("oauth_token_secret=b"), uint8(3))
	f.Add(uint16(200), "text/plain", "", []byte(strings.Repeat("a", 5000)), uint8(0))
	for _, s := range corpusStrings(f, "../internal/urlenc/testdata/fuzz/FuzzParseForm") {
		f.Add(uint16(200), "application/x-www-form-urlencoded", "", []byte(s), uint8(0x10))
	}
	methods := fuzzMethods()
	f.Fuzz(func(t *testing.T, status uint16, contentType, location string, body []byte, sel uint8) {
		code := 100 + int(status)%900
		rt := &fuzzRT{status: code, header: http.Header{}, body: body}
		if contentType != "" {
			rt.header.Set("Content-Type", contentType)
		}
		if location != "" {
			rt.header.Set("Location", location)
		}
		cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: fzConsumerSecret,
			Method: methods[int(sel)%len(methods)], Placement: oauth1.Placement(sel>>2) % 3,
			CallbackURL: "https://app.example/cb", MaxBodyBytes: 4096,
			HTTPClient: &http.Client{Transport: rt},
			Endpoint: oauth1.Endpoint{RequestTokenURL: "https://provider.example/request",
				AccessTokenURL: "https://provider.example/access"}}
		var tok *oauth1.Token
		var err error
		credentials := []string{fzConsumerSecret}
		if sel&0x10 != 0 {
			tok, err = cfg.AccessToken(context.Background(), &oauth1.Token{Token: fzRequestToken, Secret: fzTokenSecret}, fzVerifier)
			credentials = append(credentials, fzTokenSecret, fzVerifier, fzRequestToken)
		} else {
			tok, err = cfg.RequestToken(context.Background())
		}
		if rt.got == nil {
			t.Fatalf("no request sent: %v", err)
		}
		credentials = append(credentials, sentSignature(t, rt.got, rt.gotBody))
		if err == nil {
			if tok == nil || tok.Token == "" || code < 200 || code > 299 {
				t.Fatalf("token %v from a %d answer", tok, code)
			}
			return
		}
		if tok != nil {
			t.Fatalf("both a token and an error: %v", err)
		}
		var pe *oauth1.Error
		var tl *http.MaxBytesError
		switch {
		case errors.As(err, &pe):
			if pe.StatusCode != code {
				t.Fatalf("Error.StatusCode = %d, want %d", pe.StatusCode, code)
			}
			if code >= 300 && code <= 399 && (pe.Problem != "" || pe.Advice != "" || len(pe.Body) != 0) {
				t.Fatalf("redirect error carries text: %#v", pe)
			}
		case errors.As(err, &tl), errors.Is(err, oauth1.ErrMissingToken), errors.Is(err, oauth1.ErrBadRequest),
			errors.Is(err, oauth1.ErrCallbackNotConfirmed):
		default:
			t.Fatalf("untyped error %v", err)
		}
		checkFuzzScrubbed(t, err, credentials...)
	})
}

// FuzzCheckResponse gives CheckResponse a fuzzed refusal of a request
// signed in every method and placement: nil for a 2xx, otherwise a
// bounded *Error with the status that holds neither the token nor
// the signature (with PLAINTEXT, the secrets) the request sent.
func FuzzCheckResponse(f *testing.F) {
	f.Add(uint16(401), "application/x-www-form-urlencoded", `OAuth realm="x", oauth_problem="token_rejected"`,
		[]byte("oauth_problem=token_rejected&oauth_problem_advice=token+"+fzRequestToken), uint8(0))
	f.Add(uint16(400), "application/json", "", []byte(`{"oauth_problem":"x","sig":"`+fzConsumerSecret+`&`+fzTokenSecret+`"}`), uint8(1))
	f.Add(uint16(403), "text/html", "", []byte("<p>oauth_token="+fzRequestToken+"</p>"), uint8(5))
	f.Add(uint16(200), "text/plain", "", []byte("ok"), uint8(2))
	for _, s := range corpusStrings(f, "testdata/fuzz/FuzzParseAuthHeader") {
		f.Add(uint16(401), "", s, []byte(""), uint8(9))
	}
	// The requests, signed once in every method and placement (the
	// signature a refusal is checked for), picked by a fuzzed byte.
	type signed struct {
		req         *http.Request
		credentials []string
	}
	var reqs []signed
	for _, pl := range placements {
		for _, m := range fuzzMethods() {
			cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: fzConsumerSecret, Method: m, Placement: pl}
			req, _ := http.NewRequest(http.MethodPost, "https://api.example.com/r?q=1", strings.NewReader("a=1"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if err := cfg.Sign(req, &oauth1.Token{Token: fzRequestToken, Secret: fzTokenSecret}); err != nil {
				f.Fatal(err)
			}
			rc, _ := req.GetBody()
			sent, _ := io.ReadAll(rc)
			credentials := []string{fzRequestToken, sentSignature(f, req, string(sent))}
			if m == oauth1.Plaintext {
				credentials = append(credentials, fzConsumerSecret, fzTokenSecret)
			}
			reqs = append(reqs, signed{req, credentials})
		}
	}
	f.Fuzz(func(t *testing.T, status uint16, contentType, wwwAuth string, body []byte, sel uint8) {
		code := 100 + int(status)%900
		req, credentials := reqs[int(sel)%len(reqs)].req, reqs[int(sel)%len(reqs)].credentials
		h := http.Header{}
		if contentType != "" {
			h.Set("Content-Type", contentType)
		}
		if wwwAuth != "" {
			h.Set("WWW-Authenticate", wwwAuth)
		}
		err := oauth1.CheckResponse(&http.Response{StatusCode: code, Header: h, Body: io.NopCloser(bytes.NewReader(body)), Request: req})
		if code >= 200 && code <= 299 {
			if err != nil {
				t.Fatalf("CheckResponse(%d) = %v", code, err)
			}
			return
		}
		var pe *oauth1.Error
		if !errors.As(err, &pe) || pe.StatusCode != code || !errors.As(err, new(*oauth1.Error)) {
			t.Fatalf("CheckResponse(%d) = %v, want a *Error", code, err)
		}
		checkFuzzScrubbed(t, err, credentials...)
	})
}

// allMethods returns every signature method of the package, the RSA ones
// with key.
func allMethods(key *rsa.PrivateKey) []oauth1.SignatureMethod {
	return []oauth1.SignatureMethod{oauth1.HMACSHA1, oauth1.HMACSHA256, oauth1.HMACSHA512, oauth1.Plaintext,
		oauth1.RSASHA1(key), oauth1.RSASHA256(key), oauth1.RSASHA512(key)}
}

// fvRequest returns a POST of body to fvURL with query, or nil when
// net/http would not send that query as it is.
func fvRequest(query, body string) *http.Request {
	target := fvURL
	if query != "" {
		target += "?" + query
	}
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
	if err != nil || req.URL.Host != "api.example.com" || req.URL.Path != "/r" || req.URL.RawQuery != query {
		return nil
	}
	return req
}

// fvURL is the target of FuzzVerify's requests, and fvNow its clock.
const fvURL = "https://api.example.com/r"

var fvNow = time.Unix(1318622958, 0)

// fuzzCredentials returns the secrets the FuzzVerify provider knows: its
// own consumer "ck" and token "tk", and those of the vectors.
func fuzzCredentials(vs []vector) (consumers, tokens map[string]string) {
	consumers = map[string]string{"ck": "c s&"}
	tokens = map[string]string{"tk": "t%s"}
	for _, v := range vs {
		if v.ConsumerKey != nil && v.ConsumerSecret != nil {
			consumers[*v.ConsumerKey] = *v.ConsumerSecret
		}
		if v.Token != nil && v.TokenSecret != nil {
			tokens[*v.Token] = *v.TokenSecret
		}
	}
	return consumers, tokens
}

// FuzzVerify gives the Verifier a request to https://api.example.com/r
// with a fuzzed query, body (form-encoded or not) and Authorization
// header. Never a panic; the result is a *VerifyError, a *http.MaxBytesError
// or success, and success only when the signature, recomputed here from
// the request as this test parses it with net/url, is right.
func FuzzVerify(f *testing.F) {
	key := fakeprovider.OAuth1RSAPrivateKey()
	signers := allMethods(key)
	vectors := loadVectors(f)
	consumers, tokens := fuzzCredentials(vectors)
	seen := map[string]bool{}
	for _, v := range vectors {
		var query, body string
		if u, err := url.Parse(v.URL); err == nil {
			query = u.RawQuery
		}
		if v.Body != nil {
			body = *v.Body
		}
		form := uint8(0)
		if strings.Contains(v.Headers["Content-Type"], "form") {
			form = 1
		}
		f.Add(query, body, v.Headers["Authorization"], form)
		if seen[query+"\x00"+body] {
			continue
		}
		seen[query+"\x00"+body] = true
		// The same parameters signed for this target, in every method
		// and placement.
		for i, m := range signers {
			pl := oauth1.Placement(i % 3)
			cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: consumers["ck"], Method: m, Placement: pl,
				BodyHash: form == 0 && body != "", Now: func() time.Time { return fvNow }}
			target := fvURL
			if query != "" {
				target += "?" + query
			}
			req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
			if form == 1 || pl == oauth1.InFormBody {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if cfg.Sign(req, &oauth1.Token{Token: "tk", Secret: tokens["tk"]}) != nil {
				continue
			}
			b, _ := io.ReadAll(req.Body)
			flags := uint8(0)
			if isFormCT(req.Header.Get("Content-Type")) {
				flags = 1
			}
			f.Add(req.URL.RawQuery, string(b), req.Header.Get("Authorization"), flags)
		}
	}
	for _, s := range corpusStrings(f, "testdata/fuzz/FuzzParseAuthHeader") {
		f.Add("", "", s, uint8(0))
	}
	pub := &key.PublicKey
	f.Fuzz(func(t *testing.T, query, body, authz string, flags uint8) {
		req := fvRequest(query, body)
		if req == nil {
			return // not a query this target can carry
		}
		form := flags&1 != 0
		if form {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req.Header.Set("Content-Type", "text/plain")
		}
		if authz != "" {
			req.Header.Set("Authorization", authz)
		}
		req.TLS = &tls.ConnectionState{}
		v := &oauth1.Verifier{
			LookupConsumer: func(_ context.Context, ck string) (oauth1.Consumer, error) {
				s, ok := consumers[ck]
				if !ok {
					return oauth1.Consumer{}, oauth1.ErrUnknownConsumer
				}
				return oauth1.Consumer{Secret: s, PublicKey: pub}, nil
			},
			LookupToken: func(_ context.Context, _, tok string) (string, error) {
				s, ok := tokens[tok]
				if !ok {
					return "", oauth1.ErrUnknownToken
				}
				return s, nil
			},
			Nonces: oauth1.NewMemoryNonceStore(0),
			Now:    func() time.Time { return fvNow },
			Window: 1 << 62,
		}
		got, err := v.Verify(context.Background(), req)
		if err != nil {
			var ve *oauth1.VerifyError
			var tl *http.MaxBytesError
			if !errors.As(err, &ve) && !errors.As(err, &tl) {
				t.Fatalf("Verify() = %v, want a *VerifyError", err)
			}
			if s := err.Error(); len(s) > maxErrorLen || !utf8.ValidString(s) {
				t.Fatalf("error of %d bytes", len(s))
			}
			if ve != nil && len(ve.Parameter) > 64+3 {
				t.Fatalf("VerifyError.Parameter of %d bytes", len(ve.Parameter))
			}
			return
		}
		if len(got.Nonce) > oauth1.MaxNonceLength {
			t.Fatalf("accepted a nonce of %d bytes", len(got.Nonce))
		}
		if err := plainVerify(query, body, form, authz, consumers, tokens, pub); err != nil {
			t.Fatalf("Verify() accepted a request that does not verify: %v\nquery %q\nbody %q\nauthorization %q", err, query, body, authz)
		}
	})
}

func isFormCT(ct string) bool { return strings.HasPrefix(ct, "application/x-www-form-urlencoded") }

// plainVerify checks the signature of a POST to fvURL the slow and
// obvious way, from RFC 5849 and net/url: the parameters of the query,
// the form body and the OAuth Authorization header, the base string
// (§3.4.1), then the signature of the method the request names (§3.4.2 to
// §3.4.4), and oauth_body_hash.
func plainVerify(query, body string, form bool, authz string, consumers, tokens map[string]string, pub *rsa.PublicKey) error {
	var params [][2]string
	for i, s := range []string{query, body} {
		if i == 1 && !form {
			continue
		}
		for _, pair := range strings.Split(s, "&") {
			if pair == "" {
				continue
			}
			k, v, _ := strings.Cut(pair, "=")
			k, err1 := url.QueryUnescape(k)
			v, err2 := url.QueryUnescape(v)
			if err1 != nil || err2 != nil {
				return fmt.Errorf("form %q does not decode", s)
			}
			params = append(params, [2]string{k, v})
		}
	}
	hp, err := plainAuthParams(authz)
	if err != nil {
		return err
	}
	params = append(params, hp...)
	get := func(k string) (string, int) {
		var v string
		n := 0
		for _, p := range params {
			if p[0] == k {
				v, n = p[1], n+1
			}
		}
		return v, n
	}
	for _, p := range params {
		if _, n := get(p[0]); strings.HasPrefix(p[0], "oauth_") && n != 1 {
			return fmt.Errorf("%s repeated", p[0])
		}
	}
	var enc [][2]string
	for _, p := range params {
		if p[0] != "oauth_signature" {
			enc = append(enc, [2]string{rfc3986(p[0]), rfc3986(p[1])})
		}
	}
	slices.SortFunc(enc, func(a, b [2]string) int { // by encoded name, then value (§3.4.1.3.2)
		if c := strings.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return strings.Compare(a[1], b[1])
	})
	var pairs []string
	for _, p := range enc {
		pairs = append(pairs, p[0]+"="+p[1])
	}
	base := "POST&" + rfc3986(fvURL) + "&" + rfc3986(strings.Join(pairs, "&"))
	sig, _ := get("oauth_signature")
	ck, _ := get("oauth_consumer_key")
	tok, _ := get("oauth_token")
	cs, ok := consumers[ck]
	if !ok {
		return fmt.Errorf("unknown consumer %q", ck)
	}
	ts := ""
	if tok != "" {
		if ts, ok = tokens[tok]; !ok {
			return fmt.Errorf("unknown token %q", tok)
		}
	}
	keyText := rfc3986(cs) + "&" + rfc3986(ts)
	if bh, n := get("oauth_body_hash"); n == 1 {
		sum := sha1.Sum([]byte(body))
		if form || bh != base64.StdEncoding.EncodeToString(sum[:]) {
			return fmt.Errorf("oauth_body_hash %q does not match", bh)
		}
	}
	method, _ := get("oauth_signature_method")
	hashes := map[string]struct {
		h func() hash.Hash
		c crypto.Hash
	}{"SHA1": {sha1.New, crypto.SHA1}, "SHA256": {sha256.New, crypto.SHA256}, "SHA512": {sha512.New, crypto.SHA512}}
	switch {
	case method == "PLAINTEXT":
		if sig != keyText {
			return errors.New("PLAINTEXT signature is not the key")
		}
	case strings.HasPrefix(method, "HMAC-"):
		h, ok := hashes[strings.TrimPrefix(method, "HMAC-")]
		if !ok {
			return fmt.Errorf("method %q", method)
		}
		m := hmac.New(h.h, []byte(keyText))
		m.Write([]byte(base))
		raw, err := base64.StdEncoding.DecodeString(sig)
		if err != nil || !hmac.Equal(raw, m.Sum(nil)) {
			return fmt.Errorf("%s signature %q, want %q\nbase %q", method, sig, base64.StdEncoding.EncodeToString(m.Sum(nil)), base)
		}
	case strings.HasPrefix(method, "RSA-"):
		h, ok := hashes[strings.TrimPrefix(method, "RSA-")]
		if !ok {
			return fmt.Errorf("method %q", method)
		}
		raw, err := base64.StdEncoding.DecodeString(sig)
		if err != nil {
			return err
		}
		d := h.h()
		d.Write([]byte(base))
		if err := rsa.VerifyPKCS1v15(pub, h.c, d.Sum(nil), raw); err != nil {
			return fmt.Errorf("%s: %v\nbase %q", method, err, base)
		}
	default:
		return fmt.Errorf("method %q", method)
	}
	return nil
}

// rfc3986 percent-encodes s as RFC 5849 §3.6 requires: everything but
// the unreserved characters, with upper-case hex.
func rfc3986(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// plainAuthParams parses an OAuth Authorization header as RFC 5849
// §3.5.1 and RFC 7235 §2.1 describe it: the scheme, matched without
// regard to case, then name=value pairs separated by commas, a value a
// token or a quoted-string (with backslash escapes), optional whitespace
// around ',' and '='; names and values other than realm percent-decoded.
// A header of another scheme holds no parameters.
func plainAuthParams(h string) ([][2]string, error) {
	h = strings.TrimLeft(h, " \t")
	if len(h) < 5 || !strings.EqualFold(h[:5], "OAuth") || len(h) > 5 && h[5] != ' ' && h[5] != '\t' {
		return nil, nil
	}
	rest := h[5:]
	var out [][2]string
	for {
		rest = strings.TrimLeft(rest, " \t,")
		if rest == "" {
			return out, nil
		}
		i := strings.IndexAny(rest, "=, \t\"")
		if i <= 0 {
			return nil, fmt.Errorf("header %q: no name", h)
		}
		name := rest[:i]
		rest = strings.TrimLeft(rest[i:], " \t")
		if !strings.HasPrefix(rest, "=") {
			return nil, fmt.Errorf("header %q: %q has no value", h, name)
		}
		rest = strings.TrimLeft(rest[1:], " \t")
		var val string
		if strings.HasPrefix(rest, `"`) {
			var b strings.Builder
			j := 1
			for ; j < len(rest) && rest[j] != '"'; j++ {
				if rest[j] == '\\' && j+1 < len(rest) {
					j++
				}
				b.WriteByte(rest[j])
			}
			if j == len(rest) {
				return nil, fmt.Errorf("header %q: unterminated value", h)
			}
			val, rest = b.String(), rest[j+1:]
		} else {
			j := strings.IndexAny(rest, ", \t")
			if j < 0 {
				j = len(rest)
			}
			val, rest = rest[:j], rest[j:]
		}
		rest = strings.TrimLeft(rest, " \t")
		if rest != "" && rest[0] != ',' {
			return nil, fmt.Errorf("header %q: no ',' after %q", h, name)
		}
		if name == "realm" {
			continue
		}
		k, err1 := url.PathUnescape(name)
		v, err2 := url.PathUnescape(val)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("header %q: bad escape", h)
		}
		out = append(out, [2]string{k, v})
	}
}

// FuzzSign signs a POST to https://api.example.com/r with a fuzzed query,
// body, secrets and nonce (Config.Nonce, when not empty), with
// Config.Sign or through a Transport, in every method, placement and body
// kind. Never a panic; an error wraps
// ErrBadRequest or ErrNotForm and holds no secret; a signed request
// verifies with plainVerify, which recomputes the signature from the sent
// query, body and Authorization header with net/url and crypto alone.
func FuzzSign(f *testing.F) {
	f.Add("include_entities=true", twBody, "c s&", "t%s", "", uint8(1))
	f.Add("a=1&a=1&b=%20+&c", "x=%zz", "", "", "n\"o=n%ce, ", uint8(0x43))
	f.Add("", "not a form", "é", "&&", "", uint8(0x80|5<<3))
	f.Add("oauth_x=1&=&", "=&a=%7e~", "k", "s", "\x00\xff", uint8(1|2<<1|6<<3))
	key := fakeprovider.OAuth1RSAPrivateKey()
	methods := allMethods(key)
	f.Fuzz(func(t *testing.T, query, body, consumerSecret, tokenSecret, nonce string, flags uint8) {
		// Secrets that a leak would show: no error text holds them by chance.
		consumerSecret, tokenSecret = fzConsumerSecret+consumerSecret, fzTokenSecret+tokenSecret
		req := fvRequest(query, body)
		if req == nil {
			return // not a query this target can carry
		}
		if flags&1 != 0 {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: consumerSecret,
			Method:    methods[int(flags>>3&7)%len(methods)],
			Placement: oauth1.Placement(flags >> 1 & 3 % 3),
			BodyHash:  flags&0x80 != 0,
			Now:       func() time.Time { return fvNow }}
		if nonce != "" {
			cfg.Nonce = func() (string, error) { return nonce, nil }
		}
		tok := &oauth1.Token{Token: "tk", Secret: tokenSecret}
		var sent *http.Request
		var sentBody string
		var err error
		if flags&0x40 != 0 {
			rt := &fuzzRT{status: 200}
			_, err = (&oauth1.Transport{Config: cfg, Token: tok, Base: rt}).RoundTrip(req)
			sent, sentBody = rt.got, rt.gotBody
		} else if err = cfg.Sign(req, tok); err == nil {
			b, _ := io.ReadAll(req.Body)
			sent, sentBody = req, string(b)
		}
		if err != nil {
			if !errors.Is(err, oauth1.ErrBadRequest) && !errors.Is(err, oauth1.ErrNotForm) {
				t.Fatalf("signing: %v, want an error wrapping ErrBadRequest or ErrNotForm", err)
			}
			checkFuzzScrubbed(t, err, consumerSecret, tokenSecret)
			return
		}
		form := isFormCT(sent.Header.Get("Content-Type"))
		consumers, tokens := map[string]string{"ck": consumerSecret}, map[string]string{"tk": tokenSecret}
		if err := plainVerify(sent.URL.RawQuery, sentBody, form, sent.Header.Get("Authorization"), consumers, tokens, &key.PublicKey); err != nil {
			t.Fatalf("signed request does not verify: %v\nquery %q\nbody %q\nauthorization %q", err, sent.URL.RawQuery, sentBody, sent.Header.Get("Authorization"))
		}
		if !form && sentBody != body {
			t.Fatalf("body sent %q, want %q", sentBody, body)
		}
	})
}
