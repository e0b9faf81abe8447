package oauth1_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/oauthkit/oauth/oauth1"
)

// huge is a value far larger than any error should quote.
var huge = strings.Repeat("x", 1<<20)

// maxErrorLen bounds what any error of the package prints.
const maxErrorLen = 1024

// checkBounded fails if err, printed with any verb, or a text field of
// its *Error or *VerifyError is longer than the package's bounds
// or not valid UTF-8.
func checkBounded(tb testing.TB, err error) {
	tb.Helper()
	if err == nil {
		tb.Fatal("no error")
	}
	for _, verb := range []string{"%v", "%+v", "%s", "%q"} {
		if s := fmt.Sprintf(verb, err); len(s) > maxErrorLen || !utf8.ValidString(s) {
			tb.Errorf("error printed with %s is %d bytes (valid UTF-8: %v): %.200s...", verb, len(s), utf8.ValidString(s), s)
		}
	}
	fields := map[string]struct {
		s   string
		max int
	}{}
	var pe *oauth1.Error
	if errors.As(err, &pe) {
		fields["Problem"] = struct {
			s   string
			max int
		}{pe.Problem, 64 + 3}
		fields["Advice"] = struct {
			s   string
			max int
		}{pe.Advice, 256 + 3}
		fields["Body"] = struct {
			s   string
			max int
		}{string(pe.Body), 512 + 3}
	}
	var ve *oauth1.VerifyError
	if errors.As(err, &ve) {
		fields["Problem"] = struct {
			s   string
			max int
		}{ve.Problem, 64 + 3}
		fields["Parameter"] = struct {
			s   string
			max int
		}{ve.Parameter, 64 + 3}
	}
	for name, f := range fields {
		if len(f.s) > f.max || !utf8.ValidString(f.s) {
			tb.Errorf("%s is %d bytes, want at most %d of valid UTF-8", name, len(f.s), f.max)
		}
	}
}

// TestErrorBounded refuses token requests and resource requests
// with a problem, an advice and a body of 1 MB each.
func TestErrorBounded(t *testing.T) {
	bodies := map[string]struct{ ct, body string }{
		"form": {"application/x-www-form-urlencoded", "oauth_problem=" + huge + "&oauth_problem_advice=" + huge},
		"json": {"application/json", `{"oauth_problem":"` + huge + `","oauth_problem_advice":"` + huge + `"}`},
		"text": {"text/plain", "\xff" + huge},
	}
	for name, b := range bodies {
		t.Run("token request/"+name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", b.ct)
				w.WriteHeader(http.StatusUnauthorized)
				io.WriteString(w, b.body)
			}))
			defer srv.Close()
			cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs", MaxBodyBytes: 4 << 20,
				Endpoint: oauth1.Endpoint{RequestTokenURL: srv.URL}}
			_, err := cfg.RequestToken(context.Background())
			checkBounded(t, err)
		})
		t.Run("CheckResponse/"+name, func(t *testing.T) {
			resp := &http.Response{StatusCode: 400, Header: http.Header{"Content-Type": {b.ct}},
				Body: io.NopCloser(strings.NewReader(b.body))}
			checkBounded(t, oauth1.CheckResponse(resp))
		})
	}
	t.Run("CheckResponse/WWW-Authenticate", func(t *testing.T) {
		resp := &http.Response{StatusCode: 401, Body: http.NoBody, Header: http.Header{
			"Www-Authenticate": {`OAuth oauth_problem="` + huge + `", oauth_problem_advice="` + huge + `"`}}}
		checkBounded(t, oauth1.CheckResponse(resp))
	})
}

// TestVerifyErrorBounded sends the Verifier requests whose protocol
// parameters, quoted by its errors, are 1 MB long.
func TestVerifyErrorBounded(t *testing.T) {
	v := &oauth1.Verifier{
		LookupConsumer: func(context.Context, string) (oauth1.Consumer, error) { return oauth1.Consumer{Secret: "cs"}, nil },
		Nonces:         oauth1.NewMemoryNonceStore(0),
		Now:            func() time.Time { return time.Unix(1700000000, 0) },
		MaxBodyBytes:   4 << 20,
	}
	base := url.Values{"oauth_consumer_key": {"ck"}, "oauth_signature_method": {"HMAC-SHA1"}, "oauth_signature": {"sig"},
		"oauth_timestamp": {"1700000000"}, "oauth_nonce": {"n"}}
	tests := []struct {
		name string
		set  url.Values
	}{
		{"oauth_version", url.Values{"oauth_version": {huge}}},
		{"oauth_timestamp", url.Values{"oauth_timestamp": {huge}}},
		{"oauth_signature_method", url.Values{"oauth_signature_method": {huge}}},
		{"repeated parameter name", url.Values{"oauth_" + huge: {"a", "b"}}},
	}
	for _, tt := range tests {
		for _, where := range []string{"query", "body"} {
			t.Run(tt.name+"/"+where, func(t *testing.T) {
				q := url.Values{}
				for k, vs := range base {
					q[k] = vs
				}
				for k, vs := range tt.set {
					q[k] = vs
				}
				var req *http.Request
				if where == "query" {
					req = httptest.NewRequest(http.MethodGet, "/r?"+q.Encode(), nil)
				} else {
					req = httptest.NewRequest(http.MethodPost, "/r", strings.NewReader(q.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				_, err := v.Verify(context.Background(), req)
				var ve *oauth1.VerifyError
				if !errors.As(err, &ve) {
					t.Fatalf("Verify() error = %.200v, want a *VerifyError", err)
				}
				checkBounded(t, err)
			})
		}
	}
}

// TestSignErrorBounded signs requests whose Content-Type and host, quoted
// by Sign's errors, are 1 MB long.
func TestSignErrorBounded(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "https://api.example.com/x", strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/"+huge)
	err := (&oauth1.Config{ConsumerKey: "k", Placement: oauth1.InFormBody}).Sign(req, nil)
	if !errors.Is(err, oauth1.ErrNotForm) {
		t.Fatalf("Sign() error = %.200v, want ErrNotForm", err)
	}
	checkBounded(t, err)

	req, _ = http.NewRequest(http.MethodGet, "http://a"+strings.Repeat(".a", 1<<19)+"/x", nil)
	err = (&oauth1.Config{ConsumerKey: "k", Method: oauth1.Plaintext}).Sign(req, nil)
	if !errors.Is(err, oauth1.ErrInsecureTransport) {
		t.Fatalf("Sign() error = %.200v, want ErrInsecureTransport", err)
	}
	checkBounded(t, err)
}

// TestBodyLimitBoundary signs and verifies form bodies of exactly
// MaxBodyBytes, which pass, and of one byte more, which are an
// *http.MaxBytesError with that limit.
func TestBodyLimitBoundary(t *testing.T) {
	const limit = 100
	for _, tt := range []struct {
		name string
		size int
		want bool // an error
	}{{"at the limit", limit, false}, {"one byte over", limit + 1, true}} {
		t.Run(tt.name, func(t *testing.T) {
			body := "a=" + strings.Repeat("x", tt.size-2)
			newReq := func() *http.Request {
				req, _ := http.NewRequest(http.MethodPost, "https://api.example.com/r", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				return req
			}
			for _, pl := range placements {
				cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs", MaxBodyBytes: limit, Placement: pl}
				err := cfg.Sign(newReq(), nil)
				checkLimit(t, "Sign/"+pl.String(), err, tt.want, limit)
			}
			req := newReq()
			if err := (&oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs"}).Sign(req, nil); err != nil {
				t.Fatal(err)
			}
			v := &oauth1.Verifier{
				LookupConsumer: func(context.Context, string) (oauth1.Consumer, error) { return oauth1.Consumer{Secret: "cs"}, nil },
				Nonces:         oauth1.NewMemoryNonceStore(0),
				MaxBodyBytes:   limit,
			}
			_, err := v.Verify(context.Background(), req)
			checkLimit(t, "Verify", err, tt.want, limit)
		})
	}
}

func checkLimit(t *testing.T, name string, err error, want bool, limit int64) {
	t.Helper()
	var mb *http.MaxBytesError
	switch {
	case want && (!errors.As(err, &mb) || mb.Limit != limit):
		t.Errorf("%s: error = %v, want an *http.MaxBytesError with Limit %d", name, err, limit)
	case !want && err != nil:
		t.Errorf("%s: error = %v, want none", name, err)
	}
}
