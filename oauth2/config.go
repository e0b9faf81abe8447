package oauth2

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
	"github.com/oauthkit/oauth/signer/jose"
)

// Endpoint holds the URLs of an authorization server. Only the URLs of the
// calls a program makes are needed. Presets for common providers:
// [GitHub], [Google], [Facebook], [LinkedIn], [Fitbit], [Slack], [GitLab],
// [Discord], [Spotify], and the function [Microsoft] (of a tenant).
type Endpoint struct {
	// AuthURL is the authorization endpoint (RFC 6749 §3.1). Its own query
	// parameters are kept.
	AuthURL string
	// TokenURL is the token endpoint (RFC 6749 §3.2).
	TokenURL string
	// DeviceAuthURL is the device authorization endpoint (RFC 8628 §3.1).
	DeviceAuthURL string
	// RevocationURL is the revocation endpoint (RFC 7009 §2).
	RevocationURL string
	// IntrospectionURL is the introspection endpoint (RFC 7662 §2).
	IntrospectionURL string

	// Issuer is the server's issuer identifier (RFC 8414 §2). NewLogin
	// records it in Login.Issuer, which the "iss" of the callback must
	// equal (RFC 9207); if empty, an "iss" is not checked.
	Issuer string
	// IssuerParameter says that the server sends "iss" in every
	// authorization response (RFC 9207 §3, its metadata's
	// authorization_response_iss_parameter_supported): a callback
	// without it is refused with ErrMissingIssuer. Set it with Issuer.
	IssuerParameter bool
	// PushedAuthURL is the pushed authorization request endpoint (RFC
	// 9126 §5), as discovery finds it, where a login made with
	// PushedAuthorization (or for a server with RequirePushedAuth) pushes
	// its request.
	PushedAuthURL string
	// RequirePushedAuth says that the server accepts authorization
	// requests only through PushedAuthURL (RFC 9126 §5, the metadata's
	// require_pushed_authorization_requests): every login pushes its
	// request.
	RequirePushedAuth bool
	// RequireSignedRequestObject says that the server accepts
	// authorization requests only as signed request objects (RFC 9101
	// §10.5, the metadata's require_signed_request_object): every login
	// sends one, signed with Config.Signer.
	RequireSignedRequestObject bool
	// UserInfoURL is the UserInfo endpoint (OpenID Connect Core 1.0
	// §5.3), as discovery finds it; package oidc asks it.
	UserInfoURL string
	// JWKSURL is the URL of the server's JWK Set (RFC 7517 §5, the
	// metadata's jwks_uri), with whose keys package oidc verifies ID
	// tokens.
	JWKSURL string
	// AssertionAudience is the "aud" of the client assertions
	// (AuthClientSecretJWT, AuthPrivateKeyJWT) sent to every endpoint of
	// this server. If empty, it is the URL of the endpoint the assertion
	// is sent to, without query and fragment (RFC 7523 §3), which
	// Microsoft Entra and Okta expect. Set it to Issuer for servers that
	// want the issuer identifier: the AT Protocol, FAPI 2.0,
	// draft-ietf-oauth-rfc7523bis, zitadel/oidc. Set it to TokenURL for
	// servers that want the token endpoint's URL at every endpoint (OpenID
	// Connect Core 1.0 §9), such as ORY Hydra at its revocation endpoint.
	// Discovery leaves it empty.
	AssertionAudience string
}

// AuthMethod is how the client authenticates to the token, device
// authorization, revocation and introspection endpoints (RFC 6749 §2.3,
// RFC 7523 §2.2). The values are the token_endpoint_auth_method names of
// RFC 7591 §2.
type AuthMethod string

const (
	// AuthDefault (the zero value) is AuthClientSecretBasic when
	// Config.ClientSecret is set; without a secret, AuthPrivateKeyJWT when
	// Config.Signer signs with a private key (not a *jose.HMAC), and
	// AuthNone otherwise. (oidc.Metadata.AuthMethod chooses alike, but
	// for a client with both a secret and a private key it chooses
	// private_key_jwt.) A public client whose Signer signs only its
	// request objects (SignedRequestObject) sets AuthNone: a server that
	// registered it for none may refuse a client assertion.
	AuthDefault AuthMethod = ""
	// AuthClientSecretBasic sends the id and secret in an HTTP Basic
	// Authorization header, each form-encoded first (RFC 6749 §2.3.1).
	AuthClientSecretBasic AuthMethod = "client_secret_basic"
	// AuthClientSecretBasicUnencoded is AuthClientSecretBasic without the
	// form-encoding, for servers that do not decode the credentials. It
	// does not follow RFC 6749: use it only for such servers.
	AuthClientSecretBasicUnencoded AuthMethod = "client_secret_basic_unencoded"
	// AuthClientSecretPost sends client_id and client_secret in the form
	// body (RFC 6749 §2.3.1).
	AuthClientSecretPost AuthMethod = "client_secret_post"
	// AuthNone sends only client_id in the body, as public clients do
	// (RFC 6749 §2.1).
	AuthNone AuthMethod = "none"
	// AuthClientSecretJWT sends an RFC 7523 client assertion signed with
	// HS256 and the client secret, or with Config.Signer when it is set.
	AuthClientSecretJWT AuthMethod = "client_secret_jwt"
	// AuthPrivateKeyJWT sends an RFC 7523 client assertion signed with
	// Config.Signer, which it needs ([ErrNoSigner]).
	AuthPrivateKeyJWT AuthMethod = "private_key_jwt"
	// AuthAutoDetect tries AuthClientSecretBasic and, when the server
	// answers invalid_client, AuthClientSecretPost. A Session remembers
	// what worked for the rest of its life, and DeviceAccessToken for the
	// rest of its polls. An authorization code, which a server may
	// consume at the first attempt, is sent once, with Basic: when that
	// fails with invalid_client the error is returned. A server that
	// wants client_secret_post for it needs AuthClientSecretPost.
	AuthAutoDetect AuthMethod = "auto"
)

// Placement is where the access token goes in a request to a protected
// resource (RFC 6750 §2).
type Placement int

const (
	// InHeader (the zero value) sends "Authorization: Bearer <token>"
	// (RFC 6750 §2.1).
	InHeader Placement = iota
	// InQuery adds access_token to the URL query (RFC 6750 §2.3). Tokens
	// in URLs end up in logs: use it only for a server that needs it.
	InQuery
	// InFormBody adds access_token to a form-encoded request body (RFC
	// 6750 §2.2); a request without such a body carries the header.
	InFormBody
)

// String returns "header", "query" or "form body", and "Placement(n)" for
// any other value.
func (p Placement) String() string {
	switch p {
	case InHeader:
		return "header"
	case InQuery:
		return "query"
	case InFormBody:
		return "form body"
	}
	return "Placement(" + strconv.Itoa(int(p)) + ")"
}

// PKCEMethod selects the PKCE code challenge method of a login (RFC 7636
// §4.2).
type PKCEMethod string

const (
	// PKCES256 (the zero value) sends an S256 challenge.
	PKCES256 PKCEMethod = ""
	// PKCEPlain sends the verifier itself as the challenge, for servers
	// without S256.
	PKCEPlain PKCEMethod = "plain"
	// PKCEOff sends no challenge.
	PKCEOff PKCEMethod = "off"
)

// Hooks adapt the library to servers that deviate from the RFCs. Each nil
// hook is skipped. A hook that returns an error fails the call with that
// error; one that panics fails it with a [*PanicError], on the caller's
// goroutine as on a refresh's.
type Hooks struct {
	// TokenRequest may change a request to the token endpoint (every
	// grant, refreshes included) before it is sent: its header, its URL,
	// or its body (set Body, GetBody and ContentLength together). The
	// body carries the form; read it through GetBody to leave it in
	// place.
	TokenRequest func(req *http.Request) error
	// TokenResponse may rewrite a response of the token endpoint and of
	// the device authorization endpoint before it is parsed: change
	// StatusCode, Header, or replace Body. The replaced body is read
	// through Config.MaxBodyBytes too.
	TokenResponse func(resp *http.Response) error
	// ProtectedRequest may change a request made through Session.Client
	// after the token was placed, before it is sent. It gets a copy, never
	// the caller's request. A request it sends over plain http to a host
	// that is not a loopback address fails with ErrInsecureTransport,
	// unless InsecureAllowHTTP is set. The Transport closes the body the
	// request has when the hook returns, on every path; a hook that
	// replaces the body (or sets none) owns the one it replaced, the
	// caller's, and must close it, once read or at once.
	ProtectedRequest func(req *http.Request) error
	// EndpointRequest may change a request to the device authorization,
	// revocation, introspection or pushed authorization request endpoint
	// before it is sent.
	EndpointRequest func(req *http.Request) error
}

// DefaultTimeout bounds a request to an endpoint when neither the
// caller's context nor Config.Timeout does, and a refresh when
// Config.Timeout is not positive.
const DefaultTimeout = 30 * time.Second

// DefaultMaxBodyBytes is the most the package reads of a response body,
// or of a request body it adds the token to, when Config.MaxBodyBytes is
// 0: 1 MiB.
const DefaultMaxBodyBytes int64 = 1 << 20

// Config describes an OAuth 2 client and the server it talks to. The zero
// value of every field is a safe default. A Config is read-only once used:
// no method writes to it, and it is safe for concurrent use. Sessions copy
// it (see [Config.NewSession]).
//
// String and Format, with every fmt verb, never print ClientSecret.
type Config struct {
	// ClientID is the client identifier (RFC 6749 §2.2).
	ClientID string
	// ClientSecret is the client secret; empty for public clients.
	ClientSecret string
	// Endpoint is the server's URLs.
	Endpoint Endpoint
	// RedirectURL is the redirection endpoint (RFC 6749 §3.1.2). If empty,
	// no redirect_uri is sent.
	RedirectURL string
	// Scopes are the requested scopes, sent space-separated (RFC 6749
	// §3.3).
	Scopes []string

	// AuthMethod is the client authentication method; see AuthDefault.
	AuthMethod AuthMethod
	// Signer signs client assertions for AuthPrivateKeyJWT (required;
	// the method AuthDefault means with a private key and no
	// ClientSecret, request objects or not: see AuthDefault) and
	// AuthClientSecretJWT (optional: HS256 with ClientSecret by default),
	// and the request objects of logins (SignedRequestObject, required).
	// It is made by the constructor of one algorithm family, such as
	// jose.NewECDSASigner, or by jose.NewSigner; a program that leaves it
	// nil links none of jose's asymmetric JWS code.
	Signer jose.Signer
	// KeyID, if set, is the "kid" header of client assertions and
	// request objects.
	KeyID string
	// DPoP, if not nil, binds the client's tokens to a key (RFC 9449):
	// every request to the token endpoint (every grant, refreshes
	// included) and to the pushed authorization request endpoint carries
	// a DPoP proof, a token the server issues as token_type DPoP records
	// the key's thumbprint (Token.DPoPJKT) and goes to resource servers
	// with a proof of its own (see Transport), and a server's
	// use_dpop_nonce is answered by one resend with its nonce (RFC 9449
	// §8). The nonces of a Session are kept for all its requests; each
	// call of Config's own (Exchange, NewLogin's push, DeviceAccessToken)
	// learns them afresh, except that CompleteLogin starts with the nonce
	// the login's push learned (Login.DPoPNonce). Package oauth2/dpop makes
	// keys; a program that leaves DPoP nil links none of its code. A
	// DPoP-bound token is useless without its key: save the key with the
	// token (see package oauth2/dpop). A server that does not bind the
	// token answers token_type Bearer (RFC 9449 §5), and the token is sent
	// as a bearer token; a client that must use sender-constrained tokens
	// only (FAPI 2.0) refuses such a token with Session.VerifyToken (and
	// checks the TokenType of a login's token).
	DPoP DPoP

	// PKCE selects the code challenge method of logins; S256 by default.
	PKCE PKCEMethod
	// Placement is where Session.Client puts the access token; the header
	// by default.
	Placement Placement
	// Params are sent with every request a Session makes to the token
	// endpoint: refreshes, renewals and the grants of sessions that
	// obtain their own tokens. Keys may repeat (RFC 8707 resource). The
	// options of a call or a session add to them. The token requests of
	// Config's own methods (Exchange, CompleteLogin, ...) send only their
	// options.
	Params url.Values
	// Hooks adapt the library to non-standard servers.
	Hooks Hooks

	// HTTPClient makes every request of the package, and its Transport is
	// the base of Session.Client. If nil, http.DefaultClient is used.
	// Requests to the token, device authorization, revocation,
	// introspection and PAR endpoints never follow redirects, whatever its
	// CheckRedirect says: a 3xx answer is an *Error, so that credentials
	// are never re-sent to another URL.
	HTTPClient *http.Client
	// Timeout bounds each request to an endpoint, and the reading of its
	// response, when the caller's context has no deadline; if 0,
	// DefaultTimeout; if negative, only the context bounds them. It also
	// bounds a refresh, which runs on a context detached from its callers
	// (DefaultTimeout when Timeout is not positive).
	Timeout time.Duration
	// MaxBodyBytes is the most the package reads of a response body, or
	// of a request body it adds the token to (InFormBody); if 0,
	// DefaultMaxBodyBytes. A longer body fails with an error wrapping
	// *http.MaxBytesError, never a truncated parse.
	MaxBodyBytes int64
	// InsecureAllowHTTP allows tokens and credentials to travel over plain
	// http to hosts that are not loopback addresses. Never set it in
	// production.
	InsecureAllowHTTP bool

	// Leeway is how long before its expiry a token is refreshed; if 0, 10
	// seconds; if negative, tokens are refreshed once expired. A token is
	// never refreshed before half its remaining lifetime at the time it
	// was received has passed, so that servers issuing tokens that live
	// shorter than the leeway do not cause a refresh per request.
	//
	// A refresh inside the leeway that fails while the token is valid does
	// not fail Session.Token or the Transport: they use the token until it
	// expires. The next attempt waits half the token's remaining lifetime,
	// or the server's Retry-After if shorter, but at least a second and
	// never past the expiry; once the token has expired, the refresh's
	// error is returned.
	Leeway time.Duration

	// Now returns the current time, by which token expiries, pending
	// logins, device codes, assertions and DPoP proofs are timed; if nil,
	// time.Now. Set it in tests to fix the clock.
	Now func() time.Time
	// Rand is the source of states, PKCE verifiers, nonces and assertion
	// ids; if nil, crypto/rand.Reader. Set it in tests for reproducible
	// values.
	Rand io.Reader
	// Sleep waits d or until ctx is done, between device flow polls and
	// between the tries of a failed TokenStore.Save; if nil, a timer.
	// Set it in tests to return at once (or to record the waits).
	Sleep func(ctx context.Context, d time.Duration) error
}

func (c *Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Config) rand() io.Reader {
	if c.Rand != nil {
		return c.Rand
	}
	return rand.Reader
}

func (c *Config) client() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return http.DefaultClient
}

func (c *Config) maxBody() int64 {
	if c.MaxBodyBytes > 0 {
		return c.MaxBodyBytes
	}
	return DefaultMaxBodyBytes
}

// endpointClient returns the client for the token, device, revocation and
// introspection endpoints: a shallow copy of Config.HTTPClient (same
// Transport, Jar and Timeout) that never follows a redirect. A redirect from
// one of these endpoints would re-send the client secret and the grant's
// credentials to wherever Location points, plain http on another host
// included; instead the 3xx response is returned, and becomes an *Error.
func (c *Config) endpointClient() *http.Client {
	hc := *c.client()
	hc.CheckRedirect = stopAtRedirect
	return &hc
}

func stopAtRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func (c *Config) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Config) leeway() time.Duration {
	switch {
	case c.Leeway == 0:
		return 10 * time.Second
	case c.Leeway < 0:
		return 0
	}
	return c.Leeway
}

// refreshTimeout bounds a refresh, which runs detached from its callers.
func (c *Config) refreshTimeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

// requestContext returns the context of one request to an endpoint: ctx,
// bounded by Timeout (DefaultTimeout if 0) unless it has a deadline or
// Timeout is negative. A refresh's context always has one.
func (c *Config) requestContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok || c.Timeout < 0 {
		return ctx, func() {}
	}
	d := c.Timeout
	if d == 0 {
		d = DefaultTimeout
	}
	return context.WithTimeout(ctx, d)
}

func (c *Config) authMethod() AuthMethod {
	if c.AuthMethod != AuthDefault {
		return c.AuthMethod
	}
	if c.ClientSecret != "" {
		return AuthClientSecretBasic
	}
	if _, isHMAC := c.Signer.(*jose.HMAC); c.Signer != nil && !isHMAC {
		return AuthPrivateKeyJWT
	}
	return AuthNone
}

// clone returns a copy of c that shares no slice or map with it.
func (c *Config) clone() Config {
	cc := *c
	cc.Scopes = slices.Clone(c.Scopes)
	if c.Params != nil {
		cc.Params = make(url.Values, len(c.Params))
		for k, v := range c.Params {
			cc.Params[k] = slices.Clone(v)
		}
	}
	return cc
}

// String describes c without its secret.
func (c Config) String() string {
	return "oauth2.Config{ClientID:" + strconv.Quote(c.ClientID) +
		" ClientSecret:" + urlenc.Mask(c.ClientSecret) +
		" TokenURL:" + strconv.Quote(c.Endpoint.TokenURL) +
		" RedirectURL:" + strconv.Quote(c.RedirectURL) +
		" Scopes:" + strconv.Quote(strings.Join(c.Scopes, " ")) +
		" AuthMethod:" + strconv.Quote(string(c.AuthMethod)) + "}"
}

// Format implements fmt.Formatter: every verb prints String (quoted for
// %q), so that no verb reaches ClientSecret.
func (c Config) Format(f fmt.State, verb rune) { urlenc.Format(f, verb, c.String()) }

// checkSecure returns ErrInsecureTransport unless u is https, on a loopback
// host, or allowed by InsecureAllowHTTP.
func (c *Config) checkSecure(u *url.URL) error {
	if c.InsecureAllowHTTP || secureURL(u) {
		return nil
	}
	return insecure(u)
}

func insecure(u *url.URL) error {
	return fmt.Errorf("%w: %q", ErrInsecureTransport, clip(u.Host, maxHost))
}

func secureURL(u *url.URL) bool {
	return strings.EqualFold(u.Scheme, "https") || urlenc.IsLoopback(u.Hostname())
}

// endpointURL parses an endpoint URL and checks it may carry credentials.
func (c *Config) endpointURL(name, raw string) (*url.URL, error) {
	if raw == "" {
		return nil, fmt.Errorf("oauth2: %s endpoint: %w", name, ErrNoEndpoint)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("oauth2: %s endpoint: %w", name, err)
	}
	if err := c.checkSecure(u); err != nil {
		return nil, err
	}
	return u, nil
}
