package oauth2

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"

	"github.com/oauthkit/oauth/internal/urlenc"
	"github.com/oauthkit/oauth/signer/jose"
)

// assertionType is client_assertion_type for JWT assertions (RFC 7523 §2.2).
const assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// assertionLifetime is how long a client assertion is valid.
const assertionLifetime = 60 // seconds

// addClientAuth authenticates a request with method m: it adds parameters
// to p or an Authorization header to h. aud is the audience of a client
// assertion (Endpoint.AssertionAudience, or the endpoint's URL).
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

// clientAssertion returns a signed RFC 7523 §3 client assertion: iss =
// sub = client_id, aud as given (see Endpoint.AssertionAudience), a
// random jti, iat and a short exp. The JWS (RFC 7515 §7.1) is put
// together here rather than by jose.SignCompact, which parses the header
// back with encoding/json: a program that never sends an assertion still
// links this code.
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
	alg := s.Alg()
	if alg == "none" {
		return "", fmt.Errorf("oauth2: signing client assertion: %w: signer alg \"none\"", jose.ErrAlgorithmMismatch)
	}
	jti, err := randomString(c.rand(), 16)
	if err != nil {
		return "", err
	}
	now := c.now().Unix()
	header := append(urlenc.AppendJSONString([]byte(`{"alg":`), alg, true), `,"typ":"JWT"`...)
	if c.KeyID != "" {
		header = urlenc.AppendJSONString(append(header, `,"kid":`...), c.KeyID, true)
	}
	header = append(header, '}')
	claims := urlenc.AppendJSONString([]byte(`{"iss":`), c.ClientID, true)
	claims = urlenc.AppendJSONString(append(claims, `,"sub":`...), c.ClientID, true)
	claims = urlenc.AppendJSONString(append(claims, `,"aud":`...), aud, true)
	claims = urlenc.AppendJSONString(append(claims, `,"jti":`...), jti, true)
	claims = strconv.AppendInt(append(claims, `,"iat":`...), now, 10)
	claims = strconv.AppendInt(append(claims, `,"exp":`...), now+assertionLifetime, 10)
	claims = append(claims, '}')
	jwt, err := signJWS(s, header, claims)
	if err != nil {
		return "", fmt.Errorf("oauth2: signing client assertion: %w", err)
	}
	return jwt, nil
}

// signJWS returns the compact JWS (RFC 7515 §7.1) of header and payload,
// signed by s.
func signJWS(s jose.Signer, header, payload []byte) (string, error) {
	b64 := base64.RawURLEncoding
	buf := b64.AppendEncode(nil, header)
	buf = append(buf, '.')
	buf = b64.AppendEncode(buf, payload)
	sig, err := s.Sign(buf)
	if err != nil {
		return "", err
	}
	buf = append(buf, '.')
	return string(b64.AppendEncode(buf, sig)), nil
}
