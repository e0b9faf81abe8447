package oauth2

// The grants a Config runs once, returning the token: the code exchange
// and the password grant (the device grant is in device.go, logins in
// login.go). Sessions that renew their own tokens are in session.go.

import (
	"context"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// Grant types and token types of RFC 6749 §4, RFC 7523 §2.1 and RFC 8693.
const (
	grantJWTBearer     = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	grantTokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange"
	grantDeviceCode    = "urn:ietf:params:oauth:grant-type:device_code"
)

// Exchange exchanges an authorization code for a token (RFC 6749 §4.1.3),
// as golang.org/x/oauth2's method of that name does: with Config.RedirectURL
// as redirect_uri, and the PKCE verifier given as VerifierOption. It checks
// no state: use it when the code reached the program by a path that did
// (CompleteLogin and CompleteLoginCode check it, and send the login's
// verifier). ctx bounds the request. An error response is an *Error
// (errors.Is(err, ErrInvalidGrant) for a used or expired code).
//
// With AuthAutoDetect the code is sent once, with client_secret_basic: a
// server that wants client_secret_post needs AuthClientSecretPost.
func (c *Config) Exchange(ctx context.Context, code string, opts ...Option) (*Token, error) {
	return c.exchange(ctx, code, c.RedirectURL, "", collect(opts), nil)
}

// exchange sends the token request of the authorization code grant
// (RFC 6749 §4.1.3), with redirect as redirect_uri and verifier as
// code_verifier when they are not empty; nonces are as for tokenRequest.
func (c *Config) exchange(ctx context.Context, code, redirect, verifier string, o *options, nonces *dpopNonces) (*Token, error) {
	p := urlenc.Params{{Key: "grant_type", Value: "authorization_code"}, {Key: "code", Value: code}}
	if redirect != "" {
		p.Add("redirect_uri", redirect)
	}
	if verifier != "" {
		p.Add("code_verifier", verifier)
	}
	o.applyParams(&p, false)
	return c.tokenRequest(ctx, p, true, nil, nonces)
}

// PasswordCredentialsToken runs the resource owner password credentials
// grant (RFC 6749 §4.3) with Config.Scopes, as golang.org/x/oauth2's
// method of that name does. The OAuth 2.0 Security BCP (RFC 9700 §2.4)
// forbids it: use it only with a first-party server that offers nothing
// else. ctx bounds the request; an error response is an *Error.
func (c *Config) PasswordCredentialsToken(ctx context.Context, username, password string, opts ...Option) (*Token, error) {
	p := urlenc.Params{{Key: "grant_type", Value: "password"}, {Key: "username", Value: username}, {Key: "password", Value: password}}
	if len(c.Scopes) > 0 {
		p.Add("scope", c.scope())
	}
	collect(opts).applyParams(&p, false)
	return c.tokenRequest(ctx, p, false, nil, nil)
}
