package oauth2

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/oauthkit/oauth/internal/urlenc"
	"github.com/oauthkit/oauth/signer/jose"
)

// assertionType is client_assertion_type for JWT assertions (RFC 7523 §2.2).
const assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// assertionLifetime is how long a client assertion is valid.
const assertionLifetime = 60 // seconds

// addClientAuth authenticates a request to the endpoint at aud with method m:
// it adds parameters to p or an Authorization header to h.
func (c *Config) addClientAuth(m AuthMethod, aud string, p *urlenc.Params, h http.Header) error {
	switch m {
	case AuthClientSecretBasic:
		h.Set("Authorization", urlenc.BasicAuth(c.ClientID, c.ClientSecret))
	case AuthClientSecretBasicUnencoded:
		h.Set("Authorization", urlenc.RawBasicAuth(c.ClientID, c.ClientSecret))
	case AuthClientSecretPost:
		p.Set("client_id", c.ClientID)
		p.Set("client_secret", c.ClientSecret)
	case AuthNone:
		p.Set("client_id", c.ClientID)
	case AuthClientSecretJWT, AuthPrivateKeyJWT:
		a, err := c.clientAssertion(m, aud)
		if err != nil {
			return err
		}
		p.Set("client_id", c.ClientID)
		p.Set("client_assertion_type", assertionType)
		p.Set("client_assertion", a)
	default:
		return fmt.Errorf("oauth2: unknown auth method %q", clip(string(m), 64))
	}
	return nil
}

// clientAssertion returns a signed RFC 7523 §3 client assertion: iss = sub =
// client_id, aud = the endpoint, a random jti, iat and a short exp.
func (c *Config) clientAssertion(m AuthMethod, aud string) (string, error) {
	s := c.Signer
	if s == nil {
		if m == AuthPrivateKeyJWT {
			return "", ErrNoSigner
		}
		hs, err := jose.NewHMAC(jose.HS256, []byte(c.ClientSecret))
		if err != nil {
			return "", fmt.Errorf("oauth2: client_secret_jwt: %w", err)
		}
		s = hs
	}
	jti, err := randomString(c.rand(), 16)
	if err != nil {
		return "", err
	}
	now := c.now().Unix()
	header, err := json.Marshal(struct {
		Alg string `json:"alg"`
		Typ string `json:"typ"`
		Kid string `json:"kid,omitempty"`
	}{s.Alg(), "JWT", c.KeyID})
	if err != nil {
		return "", err
	}
	claims, err := json.Marshal(struct {
		Iss string `json:"iss"`
		Sub string `json:"sub"`
		Aud string `json:"aud"`
		Jti string `json:"jti"`
		Iat int64  `json:"iat"`
		Exp int64  `json:"exp"`
	}{c.ClientID, c.ClientID, aud, jti, now, now + assertionLifetime})
	if err != nil {
		return "", err
	}
	tok, err := jose.SignCompact(s, header, claims)
	if err != nil {
		return "", fmt.Errorf("oauth2: signing client assertion: %w", err)
	}
	return tok, nil
}
