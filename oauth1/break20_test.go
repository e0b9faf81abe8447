package oauth1_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

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
