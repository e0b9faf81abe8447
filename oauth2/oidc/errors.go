package oidc

import (
	"errors"
	"strconv"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// Sentinel errors for the conditions callers branch on. Every error of
// the package that reports one of them wraps it: test with [errors.Is],
// never by message. Messages name claims and members, quote at most a
// bounded excerpt of what the server sent, and never contain a token, a
// nonce, a code or a client secret.
var (
	// ErrIssuerMismatch: a discovery document's "issuer" is not,
	// byte for byte, the issuer it was fetched for (RFC 8414 §3.3, OpenID
	// Connect Discovery 1.0 §4.3); or an ID token's or a signed UserInfo
	// response's "iss" is not the verifier's issuer (OpenID Connect Core
	// 1.0 §3.1.3.7 step 2); or a refreshed ID token names another issuer
	// than the one it replaces (§12.2); or a login's issuer is not the
	// verifier's ([IDTokenVerifier.VerifyLogin]). A callback's "iss"
	// that is not the login's is package oauth2's
	// oauth2.ErrIssuerMismatch (RFC 9207).
	ErrIssuerMismatch = errors.New("oidc: issuer mismatch")

	// ErrNoIDToken: the token a login returned has no ID token, as when
	// the scopes did not hold "openid" or the server is not an OpenID
	// provider ([IDTokenVerifier.VerifyLogin]).
	ErrNoIDToken = errors.New("oidc: no id token")

	// ErrInvalidSignature: the token's signature does not verify, or its
	// "alg" is one the verifier does not accept: "none", an algorithm
	// outside Config.SupportedSigningAlgs, an HMAC algorithm without
	// Config.ClientSecret. The error then also wraps
	// jose.ErrAlgorithmMismatch or signer.ErrVerification.
	ErrInvalidSignature = errors.New("oidc: invalid signature")

	// ErrUnknownKey: no key of the JWK Set, fetched again once if
	// the rate limit allows it, has the token's "kid" and fits its "alg".
	ErrUnknownKey = errors.New("oidc: no key in the jwk set for the token")

	// ErrMalformedToken: the token is not a compact JWS, its
	// claims are not a JSON object without duplicate members, a required
	// claim (iss, sub, aud, exp, iat) is missing, or a claim the checks
	// read has the wrong type.
	ErrMalformedToken = errors.New("oidc: malformed token")

	// ErrExpired: the token's "exp" has passed, by more than the leeway.
	// The error is a *TokenExpiredError.
	ErrExpired = errors.New("oidc: token expired")

	// ErrNotValidYet: the token's "nbf", or its "iat", is in the future, by
	// more than the leeway.
	ErrNotValidYet = errors.New("oidc: token not valid yet")

	// ErrAudienceMismatch: the token's "aud" does not contain the client
	// ID; or it has several audiences and its "azp" is missing or not the
	// client ID (§3.1.3.7 steps 3-5); or a refreshed ID token's "aud" or
	// "azp" differs from the one it replaces (§12.2).
	ErrAudienceMismatch = errors.New("oidc: audience mismatch")

	// ErrNonceMismatch: a nonce was expected and the token's
	// "nonce" is missing or another one, or none was sent and the token
	// has one (§3.1.3.7 step 11); or a refreshed ID token has a nonce that
	// is not the original one (§12.2).
	ErrNonceMismatch = errors.New("oidc: nonce mismatch")

	// ErrAccessTokenHashMismatch: the token's "at_hash" is not the hash of
	// the access token it came with (§3.1.3.8, §3.2.2.9).
	ErrAccessTokenHashMismatch = errors.New("oidc: at_hash mismatch")

	// ErrCodeHashMismatch: the token's "c_hash" is not the hash of
	// the authorization code it came with (§3.3.2.11).
	ErrCodeHashMismatch = errors.New("oidc: c_hash mismatch")

	// ErrAuthTime: a maximum authentication age was asked for and the
	// token's "auth_time" is missing or too old (§3.1.3.7 step 13); or a
	// refreshed ID token's "auth_time" is earlier than the original one
	// (§12.2).
	ErrAuthTime = errors.New("oidc: auth_time check failed")

	// ErrSubjectMismatch: a UserInfo response's "sub" is not the one
	// expected (§5.3.4), or a refreshed ID token names another subject
	// than the one it replaces (§12.2).
	ErrSubjectMismatch = errors.New("oidc: subject mismatch")

	// ErrMalformedMetadata: a discovery document is not a JSON object
	// without duplicate members, a member this package reads has the wrong
	// type, the issuer is missing, or an endpoint is not an absolute
	// http(s) URL without a fragment.
	ErrMalformedMetadata = errors.New("oidc: malformed metadata")

	// ErrNotSupported: the server's metadata does not list what
	// the client requires: its client authentication method, PKCE with
	// S256 (or the method the Config asks for), or a response mode.
	ErrNotSupported = errors.New("oidc: not supported by the server")
)

// TokenExpiredError is the error of a token whose "exp" has passed by more
// than the leeway (coreos/go-oidc's name). It matches [ErrExpired] with
// errors.Is.
type TokenExpiredError struct {
	// Expiry is the token's "exp".
	Expiry time.Time
}

// Error implements the error interface.
func (e *TokenExpiredError) Error() string {
	return "oidc: token expired at " + e.Expiry.UTC().Format(time.RFC3339)
}

// Is reports whether target is ErrExpired.
func (e *TokenExpiredError) Is(target error) bool { return target == ErrExpired }

// maxQuoted bounds a server-supplied value quoted in an error message.
const maxQuoted = 128

// quote returns s, from a server, bounded and quoted for an error message.
func quote(s string) string { return strconv.Quote(urlenc.Clip(s, maxQuoted)) }
