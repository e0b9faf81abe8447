package oauth2

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/signer"
	"github.com/oauthkit/oauth/signer/jose"
)

// noneSigner claims the "none" algorithm, which no assertion may carry.
type noneSigner struct{}

func (noneSigner) Alg() string                 { return "none" }
func (noneSigner) Sign([]byte) ([]byte, error) { return nil, nil }

// TestClientAssertion checks a client_secret_jwt assertion (RFC 7523 §3)
// with jose's own verifier, and its header and claims against what
// encoding/json writes for them, names that need escaping included.
func TestClientAssertion(t *testing.T) {
	now := time.Unix(1767225600, 0)
	cfg := &Config{ClientID: `id <&> "é"` + "\u2028", ClientSecret: "secret-of-32-bytes-or-so-for-hs256",
		KeyID: "k\x01", Now: func() time.Time { return now }, Rand: bytes.NewReader(make([]byte, 16))}
	const aud = "https://as.example/token?a=1&b=<2>"
	a, err := cfg.clientAssertion(AuthClientSecretJWT, aud)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jose.NewHMAC(jose.HS256, []byte(cfg.ClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	header, claims, err := jose.VerifyCompact(v, a)
	if err != nil {
		t.Fatalf("VerifyCompact: %v", err)
	}
	wantHeader, _ := json.Marshal(struct {
		Alg string `json:"alg"`
		Typ string `json:"typ"`
		Kid string `json:"kid,omitempty"`
	}{"HS256", "JWT", cfg.KeyID})
	wantClaims, _ := json.Marshal(struct {
		Iss string `json:"iss"`
		Sub string `json:"sub"`
		Aud string `json:"aud"`
		Jti string `json:"jti"`
		Iat int64  `json:"iat"`
		Exp int64  `json:"exp"`
	}{cfg.ClientID, cfg.ClientID, aud, "AAAAAAAAAAAAAAAAAAAAAA", now.Unix(), now.Unix() + 60})
	if diff := cmp.Diff(string(wantHeader), string(header)); diff != "" {
		t.Errorf("header mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(string(wantClaims), string(claims)); diff != "" {
		t.Errorf("claims mismatch (-want +got):\n%s", diff)
	}
}

func TestClientAssertionErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		m    AuthMethod
		want error
	}{
		{"private_key_jwt without signer", Config{ClientID: "id"}, AuthPrivateKeyJWT, ErrNoSigner},
		{"alg none", Config{ClientID: "id", Signer: noneSigner{}}, AuthPrivateKeyJWT, jose.ErrAlgorithmMismatch},
		{"client_secret_jwt without secret", Config{ClientID: "id"}, AuthClientSecretJWT, signer.ErrWrongKeyType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := tt.cfg.clientAssertion(tt.m, "https://as.example/token")
			if err == nil {
				t.Fatalf("clientAssertion = %q, want an error", a)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("clientAssertion: %v, want %v", err, tt.want)
			}
		})
	}
}
