package oidc

// Choosing, from what a server's metadata lists, how a client talks to it:
// client authentication, PKCE, response mode. A choice never falls back to
// something weaker than what the client can do: when the server does not
// list what the client needs, the answer is an error.

import (
	"fmt"
	"strings"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/signer/jose"
)

// The token_endpoint_auth_method values of RFC 7591 §2 (and OpenID
// Connect Core 1.0 §9): the values of oauth2.AuthMethod.
const (
	authSecretBasic = "client_secret_basic"
	authSecretPost  = "client_secret_post"
	authSecretJWT   = "client_secret_jwt"
	authPrivateJWT  = "private_key_jwt"
	authNone        = "none"
)

// AuthMethod returns the client authentication method c should use at m's
// token endpoint, from m.TokenEndpointAuthMethodsSupported, or
// ["client_secret_basic"] when m lists none (RFC 8414 §2).
//
// When c.AuthMethod names a method (client_secret_basic or its unencoded
// variant, client_secret_post, client_secret_jwt, private_key_jwt, none),
// that method is returned if the server lists it. Otherwise (the default,
// or auto-detection) the method follows the credentials c has, and is the
// first the server lists of:
//
//   - with a c.Signer other than an HMAC: private_key_jwt;
//   - with a c.ClientSecret: client_secret_basic, client_secret_post,
//     client_secret_jwt;
//   - with neither: none.
//
// With c.AuthMethod [oauth2.AuthAutoDetect], a client secret and a server
// that lists both client_secret_basic and client_secret_post, the answer
// stays AuthAutoDetect: a server may accept only the method a client is
// registered with, which the metadata does not say. Auto-detection sends
// an authorization code once, with client_secret_basic
// ([oauth2.AuthAutoDetect]): a client registered for client_secret_post
// sets c.AuthMethod to it to exchange codes.
//
// A client is never moved to a method that uses weaker credentials than it
// has, nor a confidential client to none: when the server lists nothing
// that fits, AuthMethod returns an error wrapping [ErrNotSupported].
func (m *Metadata) AuthMethod(c *oauth2.Config) (oauth2.AuthMethod, error) {
	supported := m.TokenEndpointAuthMethodsSupported
	if len(supported) == 0 {
		supported = []string{authSecretBasic}
	}
	var candidates []string
	switch want := string(c.AuthMethod); want {
	case "", "auto":
		_, hmac := c.Signer.(*jose.HMAC)
		switch {
		case c.Signer != nil && !hmac:
			candidates = []string{authPrivateJWT}
		case c.ClientSecret != "" && c.AuthMethod == oauth2.AuthAutoDetect &&
			contains(supported, authSecretBasic) && contains(supported, authSecretPost):
			// The server takes either; which one this client is
			// registered for is what auto-detection finds out
			// (for every grant but the authorization code).
			return oauth2.AuthAutoDetect, nil
		case c.ClientSecret != "":
			candidates = []string{authSecretBasic, authSecretPost, authSecretJWT}
		default:
			candidates = []string{authNone}
		}
	case "client_secret_basic_unencoded":
		if contains(supported, authSecretBasic) {
			return c.AuthMethod, nil
		}
		candidates = []string{authSecretBasic}
	default:
		candidates = []string{want}
	}
	for _, cand := range candidates {
		if contains(supported, cand) {
			return oauth2.AuthMethod(cand), nil
		}
	}
	return "", fmt.Errorf("%w: token endpoint auth methods %s, the client can use %s",
		ErrNotSupported, quote(strings.Join(supported, " ")), strings.Join(candidates, " "))
}

// PKCE returns the PKCE method c should use with m's server (RFC 7636),
// from m.CodeChallengeMethodsSupported:
//
//   - c.PKCE is the default, S256: S256 if the server lists it or lists no
//     method at all (RFC 8414 §2 reads an absent list as "no PKCE", but
//     servers that omit it accept a code_challenge or ignore it, and
//     sending one is never weaker); a list without "S256" is an error
//     wrapping [ErrNotSupported], as PKCE with S256 is what protects the
//     code (RFC 9700 §2.1.1).
//   - c.PKCE asks for another method (plain) explicitly: that method,
//     if the server lists it or lists none.
//   - c.PKCE turns PKCE off explicitly: off.
//
// Setting c.PKCE is how a client tells PKCE to give way for a server
// without S256.
func (m *Metadata) PKCE(c *oauth2.Config) (oauth2.PKCEMethod, error) {
	want := string(c.PKCE)
	switch want {
	case "off":
		return c.PKCE, nil
	case "":
		want = "S256"
	}
	list := m.CodeChallengeMethodsSupported
	if len(list) == 0 || contains(list, want) {
		return c.PKCE, nil
	}
	return c.PKCE, fmt.Errorf("%w: code_challenge_methods_supported %s lacks %s",
		ErrNotSupported, quote(strings.Join(list, " ")), want)
}

// ResponseMode returns the first of preferred that m's server supports,
// by m.ResponseModesSupported, or ["query", "fragment"] when m lists none
// (RFC 8414 §2; OpenID Connect Discovery 1.0 §3). Send it as the
// authorization request's response_mode parameter; "form_post" (OAuth 2.0
// Form Post Response Mode) keeps the code out of URLs and logs. With none
// supported the error wraps [ErrNotSupported]; with no preference it
// returns "", the response type's default mode.
func (m *Metadata) ResponseMode(preferred ...string) (string, error) {
	if len(preferred) == 0 {
		return "", nil
	}
	list := m.ResponseModesSupported
	if len(list) == 0 {
		list = []string{"query", "fragment"}
	}
	for _, p := range preferred {
		if contains(list, p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: response modes %s, wanted %s",
		ErrNotSupported, quote(strings.Join(list, " ")), quote(strings.Join(preferred, " ")))
}

// Config returns a copy of c set up for m's server: its Endpoint is
// [Metadata.Endpoint] (c.Endpoint is replaced), its AuthMethod is
// [Metadata.AuthMethod]'s choice and its PKCE [Metadata.PKCE]'s. The
// other fields are c's, shared as a struct copy shares them (Scopes,
// HTTPClient, Signer...). It fails as those choices fail, with an error
// wrapping [ErrNotSupported], and returns no Config then.
//
// The Endpoint carries the issuer and RFC 9207's iss parameter, so that
// the Config's logins check the "iss" of their callbacks (see
// oauth2.Config.CompleteLoginURL).
func (m *Metadata) Config(c oauth2.Config) (*oauth2.Config, error) {
	method, err := m.AuthMethod(&c)
	if err != nil {
		return nil, err
	}
	pkce, err := m.PKCE(&c)
	if err != nil {
		return nil, err
	}
	c.Endpoint = m.Endpoint()
	c.AuthMethod = method
	c.PKCE = pkce
	return &c, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
