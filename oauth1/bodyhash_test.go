package oauth1_test

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth1"
)

func bodyHashVerifier() *oauth1.Verifier {
	return &oauth1.Verifier{
		LookupConsumer: func(context.Context, string) (oauth1.Consumer, error) {
			return oauth1.Consumer{Secret: "cs"}, nil
		},
		Nonces: oauth1.NewMemoryNonceStore(0),
	}
}

// signedAs signs a request with cfg and returns the request a server
// receives: the signed headers and URL, with body as its body.
func signedAs(t *testing.T, cfg *oauth1.Config, method, target, ct, signedBody, sentBody string) *http.Request {
	t.Helper()
	var rb io.Reader
	if signedBody != "" {
		rb = strings.NewReader(signedBody)
	}
	req, err := http.NewRequest(method, target, rb)
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if err := cfg.Sign(req, nil); err != nil {
		t.Fatalf("Sign() error = %v", err)
	}
	var sb io.Reader
	if sentBody != "" {
		sb = strings.NewReader(sentBody)
	}
	srv := httptest.NewRequest(method, req.URL.String(), sb)
	srv.Header = req.Header.Clone()
	return srv
}

func b64sha1(s string) string {
	sum := sha1.Sum([]byte(s))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// TestVerifyBodyHash signs a JSON body with Config.BodyHash and checks
// that Verify compares oauth_body_hash with the body it receives.
func TestVerifyBodyHash(t *testing.T) {
	const target = "https://lti.example.com/webhook"
	const body = `{"amount":1}`
	cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs", BodyHash: true}
	tests := []struct {
		name         string
		method, ct   string
		signed, sent string
		require      bool
		wantErr      error
		wantParam    string
		wantHash     string
	}{
		{name: "untampered", method: "POST", ct: "application/json", signed: body, sent: body, wantHash: b64sha1(body)},
		{name: "tampered", method: "POST", ct: "application/json", signed: body, sent: `{"amount":1000000}`,
			wantErr: oauth1.ErrInvalidSignature, wantParam: "oauth_body_hash"},
		{name: "body removed", method: "POST", ct: "application/json", signed: body, sent: "",
			wantErr: oauth1.ErrInvalidSignature, wantParam: "oauth_body_hash"},
		{name: "body added to a signed empty body", method: "GET", signed: "", sent: "x",
			wantErr: oauth1.ErrInvalidSignature, wantParam: "oauth_body_hash"},
		{name: "empty body", method: "GET", signed: "", sent: "", wantHash: b64sha1("")},
		{name: "required and present", method: "PUT", ct: "text/plain", signed: "hi", sent: "hi", require: true, wantHash: b64sha1("hi")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := signedAs(t, cfg, tt.method, target, tt.ct, tt.signed, tt.sent)
			v := bodyHashVerifier()
			v.RequireBodyHash = tt.require
			got, err := v.Verify(context.Background(), req)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify() error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				var ve *oauth1.VerifyError
				if !errors.As(err, &ve) || ve.Parameter != tt.wantParam {
					t.Errorf("Verify() error = %#v, want a *VerifyError for %q", err, tt.wantParam)
				}
				return
			}
			if got.BodyHash != tt.wantHash {
				t.Errorf("Verified.BodyHash = %q, want %q", got.BodyHash, tt.wantHash)
			}
			if tt.sent == "" {
				return
			}
			// The body was read to be hashed; the handler still gets it.
			for i, rc := range []func() (io.ReadCloser, error){
				func() (io.ReadCloser, error) { return req.Body, nil }, req.GetBody} {
				if rc == nil {
					t.Fatalf("body %d: GetBody is nil", i)
				}
				r, _ := rc()
				b, _ := io.ReadAll(r)
				if string(b) != tt.sent {
					t.Errorf("body %d after Verify = %q, want %q", i, b, tt.sent)
				}
			}
		})
	}
}

// TestVerifyBodyHashRules checks the extension's rules: no oauth_body_hash
// on a form-encoded body, and RequireBodyHash.
func TestVerifyBodyHashRules(t *testing.T) {
	const target = "https://lti.example.com/x"
	plain := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs"}
	hashed := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs", BodyHash: true}
	tests := []struct {
		name      string
		req       func(t *testing.T) *http.Request
		require   bool
		wantErr   error
		wantParam string
	}{
		{name: "form body with body hash", wantErr: oauth1.ErrBadRequest, wantParam: "oauth_body_hash",
			req: func(t *testing.T) *http.Request {
				// Sign never adds a body hash to a form body, so sign it
				// as text and send it as a form.
				r := signedAs(t, hashed, "POST", target, "text/plain", "a=1", "a=1")
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				return r
			}},
		{name: "required, missing on a json body", require: true, wantErr: oauth1.ErrMissingParameter, wantParam: "oauth_body_hash",
			req: func(t *testing.T) *http.Request {
				return signedAs(t, plain, "POST", target, "application/json", "{}", "{}")
			}},
		{name: "required, missing on a request without body", require: true, wantErr: oauth1.ErrMissingParameter, wantParam: "oauth_body_hash",
			req: func(t *testing.T) *http.Request {
				return signedAs(t, plain, "GET", target, "", "", "")
			}},
		{name: "required, form body without body hash", require: true,
			req: func(t *testing.T) *http.Request {
				return signedAs(t, hashed, "POST", target, "application/x-www-form-urlencoded", "a=1", "a=1")
			}},
		{name: "not required, missing", req: func(t *testing.T) *http.Request {
			return signedAs(t, plain, "POST", target, "application/json", "{}", "{}")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := bodyHashVerifier()
			v.RequireBodyHash = tt.require
			_, err := v.Verify(context.Background(), tt.req(t))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify() error = %v, want %v", err, tt.wantErr)
			}
			var ve *oauth1.VerifyError
			if err != nil && (!errors.As(err, &ve) || ve.Parameter != tt.wantParam) {
				t.Errorf("Verify() error = %#v, want a *VerifyError for %q", err, tt.wantParam)
			}
		})
	}
}

// TestVerifyBodyHashTooLarge checks that a body over MaxBodyBytes is a
// *http.MaxBytesError, not a truncated hash.
func TestVerifyBodyHashTooLarge(t *testing.T) {
	cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs", BodyHash: true}
	body := strings.Repeat("x", 100)
	req := signedAs(t, cfg, "POST", "https://lti.example.com/x", "text/plain", body, body)
	v := bodyHashVerifier()
	v.MaxBodyBytes = 10
	v.Now = time.Now
	_, err := v.Verify(context.Background(), req)
	var tl *http.MaxBytesError
	if !errors.As(err, &tl) || tl.Limit != 10 {
		t.Errorf("Verify() error = %v, want an *http.MaxBytesError with Limit 10", err)
	}
}
