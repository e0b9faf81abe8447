package oauth1test_test

import (
	"context"
	"errors"
	"testing"

	"github.com/oauthkit/oauth/oauth1"
	"github.com/oauthkit/oauth/oauth1/oauth1test"
)

// TestConsumerWithoutSecret registers a consumer with an RSA public key
// and no secret, as RSA consumers (Jira's application links) are: the
// server refuses the methods that sign with the secret, whose key anyone
// could compute ("&"), and still verifies the consumer's RSA signatures.
func TestConsumerWithoutSecret(t *testing.T) {
	srv := oauth1test.NewTLSServer(t)
	srv.AddConsumer(oauth1test.Consumer{Key: "rsa-only", PublicKey: &oauth1test.RSAKey().PublicKey})
	tests := []struct {
		name    string
		method  oauth1.SignatureMethod
		wantErr error
	}{
		{"HMAC-SHA1", oauth1.HMACSHA1, oauth1.ErrUnsupportedMethod},
		{"HMAC-SHA512", oauth1.HMACSHA512, oauth1.ErrUnsupportedMethod},
		{"PLAINTEXT", oauth1.Plaintext, oauth1.ErrUnsupportedMethod},
		{"RSA-SHA1", oauth1.RSASHA1(oauth1test.RSAKey()), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &oauth1.Config{ConsumerKey: "rsa-only", Method: tt.method, CallbackURL: "https://127.0.0.1/callback",
				Endpoint: srv.Endpoint(), HTTPClient: srv.Client()}
			rt, err := cfg.RequestToken(context.Background())
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("RequestToken() = %v, %v; want error %v", rt, err, tt.wantErr)
			}
		})
	}
}
