package oauth2_test

import (
	"context"
	"errors"
	"testing"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
	"github.com/oauthkit/oauth/signer/jose"
)

// TestAuthDefault checks what the zero AuthMethod sends, against the test
// provider, which authenticates each client only by the method it was
// registered with: a client with a private key and no secret is
// authenticated with private_key_jwt; an HMAC Signer is no private key.
func TestAuthDefault(t *testing.T) {
	srv := oauth2test.NewServer(t)
	ec, err := jose.NewECDSASigner(jose.ES256, oauth2test.ClientKey())
	if err != nil {
		t.Fatal(err)
	}
	hs, err := jose.NewHMAC(jose.HS256, []byte("a-secret-of-at-least-32-bytes-for-hs256"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		cfg     oauth2.Config
		wantErr error
	}{
		{"private key, no secret", oauth2.Config{ClientID: oauth2test.KeyClientID, Signer: ec}, nil},
		{"HMAC signer, no secret: none", oauth2.Config{ClientID: oauth2test.KeyClientID, Signer: hs}, oauth2.ErrInvalidClient},
		{"no signer, no secret: none", oauth2.Config{ClientID: oauth2test.KeyClientID}, oauth2.ErrInvalidClient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			cfg.Endpoint = srv.Endpoint()
			_, err := cfg.ClientCredentials().Token(context.Background())
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("ClientCredentials().Token() error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}
