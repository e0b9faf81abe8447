package oidc_test

import (
	"context"
	"errors"
	"testing"

	"github.com/oauthkit/oauth/oauth2/oidc"
)

// TestVerifyRefusesLineBreaks checks that an ID token with a line break
// in it, which base64url never holds (RFC 7515 §2), is refused: a copy of
// a token with "\r\n" added is not the token the provider signed, though
// encoding/base64 skips the line break.
func TestVerifyRefusesLineBreaks(t *testing.T) {
	raw := mint(t, signerFor(t, keys(t), "ES256", nil), map[string]any{"alg": "ES256"}, unitClaims("ES256"))
	v := unitVerifier(t, oidc.Config{})
	if _, err := v.Verify(context.Background(), raw); err != nil {
		t.Fatalf("Verify(token) error = %v", err)
	}
	for _, tok := range []string{raw + "\n", raw + "\r\n", raw[:len(raw)-8] + "\n" + raw[len(raw)-8:]} {
		if got, err := v.Verify(context.Background(), tok); !errors.Is(err, oidc.ErrMalformedToken) || got != nil {
			t.Errorf("Verify(%q) = %v, %v; want ErrMalformedToken", tok[len(tok)-10:], got, err)
		}
	}
}
