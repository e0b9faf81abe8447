package oauth1_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth1"
	"github.com/oauthkit/oauth/oauth1/oauth1test"
)

// TestVerifyConsumerWithoutSecret checks that a consumer registered with
// an RSA public key and no secret cannot be impersonated with the methods
// that sign with the secret: their RFC 5849 §3.4.2 key would be "&" (or
// "&" and a token secret the impersonator was handed in a request token
// response), which anyone can compute. Its RSA signatures still verify.
func TestVerifyConsumerWithoutSecret(t *testing.T) {
	key := oauth1test.RSAKey()
	v := &oauth1.Verifier{
		LookupConsumer: func(_ context.Context, ck string) (oauth1.Consumer, error) {
			if ck != "rsa-only" {
				return oauth1.Consumer{}, oauth1.ErrUnknownConsumer
			}
			return oauth1.Consumer{PublicKey: &key.PublicKey}, nil
		},
		LookupToken: func(_ context.Context, ck, tok string) (string, error) {
			return "request-token-secret", nil // handed to whoever asked for it
		},
		Nonces: oauth1.NewMemoryNonceStore(0),
	}
	tests := []struct {
		name    string
		method  oauth1.SignatureMethod
		token   *oauth1.Token
		wantErr error
	}{
		{"HMAC-SHA1", oauth1.HMACSHA1, nil, oauth1.ErrUnsupportedMethod},
		{"HMAC-SHA256", oauth1.HMACSHA256, nil, oauth1.ErrUnsupportedMethod},
		{"HMAC-SHA512", oauth1.HMACSHA512, nil, oauth1.ErrUnsupportedMethod},
		{"PLAINTEXT", oauth1.Plaintext, nil, oauth1.ErrUnsupportedMethod},
		{"HMAC-SHA1 with a request token", oauth1.HMACSHA1,
			&oauth1.Token{Token: "rt", Secret: "request-token-secret"}, oauth1.ErrUnsupportedMethod},
		{"RSA-SHA256", oauth1.RSASHA256(key), nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &oauth1.Config{ConsumerKey: "rsa-only", Method: tt.method}
			req, err := signedRequest(cfg, tt.token)
			if err != nil {
				t.Fatal(err)
			}
			got, err := v.Verify(context.Background(), req)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify() = %+v, %v; want error %v", got, err, tt.wantErr)
			}
			var ve *oauth1.VerifyError
			if tt.wantErr != nil && (!errors.As(err, &ve) || ve.Problem != oauth1.ProblemSignatureMethodRejected) {
				t.Errorf("Verify() error = %v, want a *VerifyError with Problem %q", err, oauth1.ProblemSignatureMethodRejected)
			}
		})
	}
}

// signedRequest signs a GET of an https URL with cfg and tok and returns
// the request as a server receives it (over TLS).
func signedRequest(cfg *oauth1.Config, tok *oauth1.Token) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodGet, "https://api.example/resource?a=1", nil)
	if err != nil {
		return nil, err
	}
	if err := cfg.Sign(req, tok); err != nil {
		return nil, err
	}
	srv := httptest.NewRequest(http.MethodGet, req.URL.String(), nil)
	srv.Header = req.Header.Clone()
	return srv, nil
}

// handSigned returns a GET (a POST when body is set, form-encoded) of
// https://api.example/r with the given query, form body and Authorization
// header parameters (name="value", comma-separated) as a server receives
// it, with an HMAC-SHA1 oauth_signature for the consumer secret "cs"
// added where sigIn says: "query", "body" or "header".
func handSigned(t *testing.T, query, body, header, sigIn string) *http.Request {
	t.Helper()
	method, ct := http.MethodGet, ""
	var rb io.Reader
	if body != "" {
		method, ct, rb = http.MethodPost, "application/x-www-form-urlencoded", strings.NewReader(body)
	}
	req := httptest.NewRequest(method, "https://api.example/r?"+query, rb)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if header != "" {
		req.Header.Set("Authorization", "OAuth "+header)
	}
	base, err := oauth1.SignatureBaseString(req)
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha1.New, []byte(oauth1.SigningKey("cs", "")))
	mac.Write([]byte(base))
	sig := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	switch sigIn {
	case "query":
		query += "&oauth_signature=" + url.QueryEscape(sig)
	case "body":
		body += "&oauth_signature=" + url.QueryEscape(sig)
	case "header":
		if header != "" {
			header += ", "
		}
		header += `oauth_signature="` + url.QueryEscape(sig) + `"`
	}
	return handRequest(method, query, body, header)
}

func handRequest(method, query, body, header string) *http.Request {
	var rb io.Reader
	if body != "" {
		rb = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, "https://api.example/r?"+query, rb)
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if header != "" {
		req.Header.Set("Authorization", "OAuth "+header)
	}
	return req
}

// TestVerifyProtocolParamsInOnePlace checks RFC 5849 §3.5: the protocol
// parameters, and any other parameter whose name starts with "oauth_",
// "SHALL be included in the request using one and only one" of the
// Authorization header, the form body and the query. A request that
// spreads them over two is malformed (oauthlib refuses it too: "oauth_
// params must come from only 1 signature type").
func TestVerifyProtocolParamsInOnePlace(t *testing.T) {
	const (
		now    = 1700000000
		common = "oauth_consumer_key=k&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1700000000&oauth_version=1.0"
		header = `oauth_consumer_key="k", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1700000000", oauth_version="1.0"`
	)
	tests := []struct {
		name                string
		query, body, header string
		sigIn               string
		wantErr             error
	}{
		{"all in the query", "a=1&" + common + "&oauth_nonce=n1", "", "", "query", nil},
		{"all in the header", "a=1", "", header + `, oauth_nonce="n2"`, "header", nil},
		{"all in the form body", "a=1", "b=2&" + common + "&oauth_nonce=n3", "", "body", nil},
		{"signature in the header, the rest in the query", "a=1&" + common + "&oauth_nonce=n4", "", "", "header", oauth1.ErrBadRequest},
		{"nonce in the query, the rest in the header", "a=1&oauth_nonce=n5", "", header, "header", oauth1.ErrBadRequest},
		{"signature in the query, the rest in the form body", "a=1", "b=2&" + common + "&oauth_nonce=n6", "", "query", oauth1.ErrBadRequest},
		{"another oauth_ parameter in the query", "oauth_extra=1", "", header + `, oauth_nonce="n7"`, "header", oauth1.ErrBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &oauth1.Verifier{
				LookupConsumer: func(context.Context, string) (oauth1.Consumer, error) { return oauth1.Consumer{Secret: "cs"}, nil },
				Nonces:         oauth1.NewMemoryNonceStore(0),
				Now:            func() time.Time { return time.Unix(now, 0) },
			}
			got, err := v.Verify(context.Background(), handSigned(t, tt.query, tt.body, tt.header, tt.sigIn))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify() = %+v, %v; want error %v", got, err, tt.wantErr)
			}
		})
	}
}

// TestVerifyRequestWithoutURL checks that Verify and SignatureBaseString
// refuse a request without a URL, as Config.Sign does, instead of
// panicking.
func TestVerifyRequestWithoutURL(t *testing.T) {
	req := &http.Request{Method: http.MethodGet, Header: http.Header{"Authorization": {
		`OAuth oauth_consumer_key="k", oauth_signature_method="HMAC-SHA1", oauth_signature="c2ln", oauth_timestamp="1", oauth_nonce="n"`}}}
	v := &oauth1.Verifier{
		LookupConsumer: func(context.Context, string) (oauth1.Consumer, error) { return oauth1.Consumer{Secret: "cs"}, nil },
		Nonces:         oauth1.NewMemoryNonceStore(0),
	}
	if _, err := v.Verify(context.Background(), req); !errors.Is(err, oauth1.ErrBadRequest) {
		t.Errorf("Verify() error = %v, want %v", err, oauth1.ErrBadRequest)
	}
	if _, err := oauth1.SignatureBaseString(req); !errors.Is(err, oauth1.ErrBadRequest) {
		t.Errorf("SignatureBaseString() error = %v, want %v", err, oauth1.ErrBadRequest)
	}
}

// TestTokenResponseBadEscapeHidden checks that a token response with a
// malformed percent-escape inside its oauth_token_secret gives an error
// that names where it is but quotes none of the secret's bytes, as the
// callback's errors do for the verifier.
func TestTokenResponseBadEscapeHidden(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("oauth_token=tok&oauth_token_secret=Qz%Qzsecret&oauth_callback_confirmed=true"))
	}))
	defer srv.Close()
	cfg := &oauth1.Config{ConsumerKey: "k", ConsumerSecret: "cs", Endpoint: oauth1.Endpoint{RequestTokenURL: srv.URL}}
	_, err := cfg.RequestToken(context.Background())
	if !errors.Is(err, oauth1.ErrBadRequest) {
		t.Fatalf("RequestToken() error = %v, want %v", err, oauth1.ErrBadRequest)
	}
	if strings.Contains(err.Error(), "Qz") {
		t.Errorf("RequestToken() error = %q, quotes bytes of the token secret", err)
	}
}
