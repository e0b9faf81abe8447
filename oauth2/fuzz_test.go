package oauth2

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// roundTripFunc is an in-memory http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func FuzzParseTokenResponse(f *testing.F) {
	for _, kind := range []string{"token_response", "error_response"} {
		for _, v := range loadVectors(f, kind) {
			var in httpInput
			if err := json.Unmarshal(v.Input, &in); err != nil {
				f.Fatal(err)
			}
			f.Add(in.Status, in.Headers["Content-Type"], []byte(in.Body))
		}
	}
	f.Add(200, "application/x-www-form-urlencoded", []byte("access_token=a&expires_in=1e3&token_type=mac"))
	f.Add(200, "", []byte(`{"access_token":"a","expires_in":"1e400","scope":["a","b"]}`))
	f.Add(200, "text/plain", []byte("access_token=%zz"))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte) {
		tok, err := parseTokenResponse("token", status, ct, body, now, nil)
		if err != nil {
			if tok != nil {
				t.Fatal("token and error")
			}
			return
		}
		if status < 200 || status > 299 {
			t.Fatalf("status %d accepted", status)
		}
		if tok.AccessToken == "" || tok.TokenType == "" {
			t.Fatalf("incomplete token %#v", tok)
		}
		if !tok.Expiry.IsZero() && !tok.Expiry.After(now) {
			t.Fatalf("expiry %v not after now", tok.Expiry)
		}
		if !utf8.ValidString(tok.AccessToken + tok.RefreshToken + tok.Scope) {
			return // JSON stores invalid UTF-8 as U+FFFD; real tokens are ASCII (RFC 6749 A.12)
		}
		data, err := json.Marshal(tok)
		if err != nil {
			t.Fatal(err)
		}
		var back Token
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		if back.AccessToken != tok.AccessToken || back.RefreshToken != tok.RefreshToken || !back.Expiry.Equal(tok.Expiry) || back.Scope != tok.Scope {
			t.Fatalf("round trip: %#v != %#v", back, tok)
		}
	})
}

// Credentials the fuzzed exchanges send: every request the client
// secret (in Basic credentials), a grant the password, a refresh the
// refresh token.
var (
	fuzzClient   = []string{"S3CR3T-C", strings.TrimPrefix(urlenc.BasicAuth("id", "S3CR3T-C"), "Basic ")}
	fuzzGrant    = append(slices.Clip(fuzzClient), "pw-S3CR3T")
	fuzzRefresh  = append(slices.Clip(fuzzClient), "RT-S3CR3T")
	fuzzResource = []string{"RT-S3CR3T", "Bearer RT-S3CR3T"}
)

// wholeIn reports whether s occurs in text as a whole token: not glued to
// a letter, digit, '-' or '_' on either side, the end of a %XX escape
// before it not counting as glue. An independent statement of the rule
// urlenc.Redact applies.
func wholeIn(text, s string) bool {
	word := func(c byte) bool {
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
	}
	for i := 0; i+len(s) <= len(text); {
		j := strings.Index(text[i:], s)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(s)
		escaped := start >= 3 && text[start-3] == '%' && strings.IndexByte("0123456789abcdefABCDEF", text[start-2]) >= 0 &&
			strings.IndexByte("0123456789abcdefABCDEF", text[start-1]) >= 0
		if (start == 0 || !word(text[start-1]) || escaped) && (end == len(text) || !word(text[end])) {
			return true
		}
		i = start + 1
	}
	return false
}

// checkErrorClean fails t if err, or any field of an *Error in it, holds
// one of secrets (raw, form- or path-escaped) as a whole token, or a field
// is longer than its bound.
func checkErrorClean(t *testing.T, err error, secrets []string) {
	t.Helper()
	texts := map[string]string{"Error()": err.Error(), "%+v": fmt.Sprintf("%+v", err)}
	var e *Error
	if errors.As(err, &e) {
		texts["ErrorCode"], texts["ErrorDescription"], texts["ErrorURI"] = e.ErrorCode, e.ErrorDescription, e.ErrorURI
		texts["Scope"], texts["Body"] = e.Scope, string(e.Body)
		if len(e.ErrorCode) > maxErrorCode+3 || len(e.ErrorDescription) > maxErrorText+3 || len(e.ErrorURI) > maxErrorText+3 ||
			len(e.Scope) > maxErrorText+3 || len(e.Body) > maxExcerpt+3 {
			t.Fatalf("unbounded field in %#v", e)
		}
		if e.RetryAfter < 0 || e.RetryAfter > maxRetryAfter {
			t.Fatalf("RetryAfter = %v", e.RetryAfter)
		}
	}
	for what, text := range texts {
		for _, s := range secrets {
			for _, f := range []string{s, url.QueryEscape(s), url.PathEscape(s)} {
				if wholeIn(text, f) {
					t.Fatalf("%s carries %q: %q", what, f, text)
				}
			}
		}
	}
}

// isParseError reports whether err is one of the errors of a response that
// does not parse as a token.
func isParseError(err error) bool {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var ee *urlenc.EscapeError
	return errors.As(err, &se) || errors.As(err, &te) || errors.As(err, &ee) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, errNotObject) || errors.Is(err, errMalformedJSON) ||
		errors.Is(err, ErrMissingAccessToken) || errors.Is(err, errBadExpiresIn)
}

// FuzzTokenEndpoint runs a grant (password) and a refresh against a
// hostile token endpoint, an in-memory RoundTripper answering with the
// fuzzed status, Content-Type, Retry-After and body. The result is a
// token or a typed error (*Error, *http.MaxBytesError, or a wrapped
// parse error), never a panic; and no credential the request sent
// appears in any error text or field.
func FuzzTokenEndpoint(f *testing.F) {
	for _, kind := range []string{"token_response", "error_response"} {
		for _, v := range loadVectors(f, kind) {
			var in httpInput
			if err := json.Unmarshal(v.Input, &in); err != nil {
				f.Fatal(err)
			}
			f.Add(in.Status, in.Headers["Content-Type"], "", []byte(in.Body), false)
			f.Add(in.Status, in.Headers["Content-Type"], "", []byte(in.Body), true)
		}
	}
	f.Add(400, "application/json", "120", []byte(`{"error":"bad RT-S3CR3T","error_description":"got S3CR3T-C pw-S3CR3T aWQ6UzNDUjNULUM=","error_uri":"https://x/?t=RT-S3CR3T"}`), true)
	f.Add(503, "application/x-www-form-urlencoded", "Fri, 31 Dec 9999 23:59:59 GMT", []byte(`error=x&error_description=pw-S3CR3T+S3CR3T-C&error_uri=https%3A%2F%2Fx%3Ft%3DRT-S3CR3T`), false)
	f.Add(200, "", "", []byte(`{"error":"slow_down","refresh_token":"RT-S3CR3T"}`), true)
	f.Add(302, "text/html", "", []byte(`<a href="https://x/?refresh_token=RT-S3CR3T">moved</a>`), true)
	f.Fuzz(func(t *testing.T, status int, ct, retry string, body []byte, refresh bool) {
		if status < 100 || status > 999 {
			t.Skip() // net/http never returns such a status
		}
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
			h := http.Header{"Content-Type": {ct}, "Retry-After": {retry}}
			return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
		})
		cfg := &Config{ClientID: "id", ClientSecret: "S3CR3T-C", Endpoint: Endpoint{TokenURL: "https://as.example/token"},
			HTTPClient: &http.Client{Transport: rt}}
		s := cfg.NewSession(&Token{AccessToken: "AT", RefreshToken: "RT-S3CR3T"})
		var tok *Token
		var err error
		sent := fuzzGrant
		if refresh {
			tok, err = s.Refresh(context.Background())
			sent = fuzzRefresh
		} else {
			tok, err = cfg.PasswordCredentialsToken(context.Background(), "alice", "pw-S3CR3T")
		}
		if (tok == nil) == (err == nil) {
			t.Fatalf("token %v and error %v", tok, err)
		}
		if err == nil {
			if tok.AccessToken == "" || refresh && tok.RefreshToken == "" {
				t.Fatalf("incomplete token %#v", tok)
			}
			return
		}
		var e *Error
		var tl *http.MaxBytesError
		if !errors.As(err, &e) && !errors.As(err, &tl) && !isParseError(err) {
			t.Fatalf("untyped error %T: %v", err, err)
		}
		checkErrorClean(t, err, sent)
	})
}

// FuzzCheckResponse reads a hostile resource server's answer (fuzzed
// status, WWW-Authenticate and body) to a request that carried the token
// in the header and the query: nil for a 2xx, an *Error otherwise, with
// bounded fields and no trace of the token.
func FuzzCheckResponse(f *testing.F) {
	for _, v := range loadVectors(f, "www_authenticate") {
		var exp struct{ Header string }
		if err := json.Unmarshal(v.Expected, &exp); err != nil {
			f.Fatal(err)
		}
		f.Add(401, exp.Header, []byte(""))
	}
	f.Add(401, `Basic realm="api", Bearer error="invalid_token", error_description="RT-S3CR3T expired"`, []byte(`{"token":"RT-S3CR3T"}`))
	f.Add(403, `Bearer error="insufficient_scope", scope="RT-S3CR3T", DPoP algs="ES256"`, []byte("Bearer RT-S3CR3T"))
	f.Add(200, ``, []byte("ok"))
	f.Fuzz(func(t *testing.T, status int, challenge string, body []byte) {
		req, err := http.NewRequest("GET", "https://rs.example/api?access_token=RT-S3CR3T&x=1", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer RT-S3CR3T")
		resp := &http.Response{StatusCode: status, Header: http.Header{"Www-Authenticate": {challenge}},
			Body: io.NopCloser(bytes.NewReader(body)), Request: req}
		err = CheckResponse(resp)
		if status >= 200 && status <= 299 {
			if err != nil {
				t.Fatalf("CheckResponse(%d) = %v", status, err)
			}
			return
		}
		var e *Error
		if !errors.As(err, &e) || e.Endpoint != "resource" || e.StatusCode != status {
			t.Fatalf("CheckResponse(%d) = %#v, want an *Error", status, err)
		}
		checkErrorClean(t, err, fuzzResource)
	})
}

// FuzzParseIntrospection parses hostile introspection responses: an error,
// or an Introspection whose Active is the response's boolean "active" and
// whose other members are in the fields or in Extra, never both.
func FuzzParseIntrospection(f *testing.F) {
	for _, v := range loadVectors(f, "introspection_response") {
		var in httpInput
		if err := json.Unmarshal(v.Input, &in); err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(in.Body))
	}
	f.Add([]byte(`{"active":true,"aud":["a",1,null],"exp":1e400,"iat":-1,"nbf":"x","scope":7}`))
	f.Add([]byte(`{"active":"true"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := parseIntrospection(body)
		if (in == nil) == (err == nil) {
			t.Fatalf("result %v and error %v", in, err)
		}
		if err != nil {
			return
		}
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("parsed a body encoding/json rejects: %v", err)
		}
		if active, ok := m["active"].(bool); !ok || active != in.Active {
			t.Fatalf("Active = %v, response has %v", in.Active, m["active"])
		}
		known := []string{"active", "scope", "client_id", "username", "token_type", "exp", "iat", "nbf", "sub", "aud", "iss", "jti"}
		for k := range in.Extra {
			if slices.Contains(known, k) {
				t.Fatalf("Extra holds %q", k)
			}
		}
		for k := range m {
			if _, ok := in.Extra[k]; !ok && !slices.Contains(known, k) {
				t.Fatalf("member %q lost", k)
			}
		}
	})
}
