package oauth2

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
	"github.com/oauthkit/oauth/signer/jose"
)

// Endpoint holds the URLs of an authorization server. Only the URLs of the
// calls you make are needed. Presets for common providers are in
// providers.go (GitHub, Google, Microsoft, ...).
type Endpoint struct {
	// AuthURL is the authorization endpoint (RFC 6749 §3.1). Its own query
	// parameters are kept.
	AuthURL string
	// TokenURL is the token endpoint (RFC 6749 §3.2).
	TokenURL string
	// DeviceAuthURL is the device authorization endpoint (RFC 8628 §3.1).
	DeviceAuthURL string
	// RevocationURL is the revocation endpoint (RFC 7009).
	RevocationURL string
	// IntrospectionURL is the introspection endpoint (RFC 7662).
	IntrospectionURL string
}

// AuthMethod is how the client authenticates to the token, device,
// revocation and introspection endpoints (RFC 6749 §2.3, RFC 7523 §2.2). The
// names are the token_endpoint_auth_method values of RFC 7591.
type AuthMethod string

const (
	// AuthDefault (the zero value) is ClientSecretBasic when
	// Config.ClientSecret is set and AuthNone otherwise.
	AuthDefault AuthMethod = ""
	// ClientSecretBasic sends the id and secret in an HTTP Basic
	// Authorization header, each form-encoded first (RFC 6749 §2.3.1).
	ClientSecretBasic AuthMethod = "client_secret_basic"
	// ClientSecretBasicUnencoded is ClientSecretBasic without the
	// form-encoding, for servers that do not decode the credentials. It is
	// not RFC 6749 compliant: use it only for such servers.
	ClientSecretBasicUnencoded AuthMethod = "client_secret_basic_unencoded"
	// ClientSecretPost sends client_id and client_secret in the form body.
	ClientSecretPost AuthMethod = "client_secret_post"
	// AuthNone sends only client_id in the body (public clients).
	AuthNone AuthMethod = "none"
	// ClientSecretJWT sends an RFC 7523 client assertion signed with HS256
	// and the client secret (or with Config.Signer when set).
	ClientSecretJWT AuthMethod = "client_secret_jwt"
	// PrivateKeyJWT sends an RFC 7523 client assertion signed with
	// Config.Signer.
	PrivateKeyJWT AuthMethod = "private_key_jwt"
	// AuthAutoDetect tries ClientSecretBasic and, when the server answers
	// invalid_client, ClientSecretPost, and then keeps what worked for the
	// life of the Session. A request carrying a one-time code (authorization
	// code, device code) is never sent twice: when it fails with
	// invalid_client, the error is returned and the next request starts with
	// the other method.
	AuthAutoDetect AuthMethod = "auto"
)

// Placement is where the Transport puts the access token (RFC 6750 §2).
type Placement int

const (
	// InHeader sends "Authorization: Bearer <token>" (RFC 6750 §2.1).
	InHeader Placement = iota
	// InFormBody adds access_token to a form-encoded request body (RFC 6750
	// §2.2); requests without such a body fall back to the header.
	InFormBody
	// InQuery adds access_token to the URL query (RFC 6750 §2.3). Tokens in
	// URLs end up in logs: avoid it unless the server needs it.
	InQuery
)

// PKCEMethod selects the PKCE code challenge method (RFC 7636).
type PKCEMethod string

const (
	// PKCES256 (the zero value) sends an S256 challenge.
	PKCES256 PKCEMethod = ""
	// PKCEPlain sends the verifier itself as the challenge.
	PKCEPlain PKCEMethod = "plain"
	// PKCEOff sends no challenge.
	PKCEOff PKCEMethod = "off"
)

// Hooks are compliance hooks: functions that adapt the library to a server
// that deviates from the RFCs. Each nil hook is skipped. A hook that returns
// an error fails the call with that error; one that panics fails it with a
// *PanicError, on the caller's goroutine as on a refresh's (see
// PanicError).
type Hooks struct {
	// TokenResponse may rewrite a response of the token endpoint (every
	// grant, refreshes included) and of the device authorization endpoint
	// before it is parsed: change StatusCode, Header or replace Body. The
	// replaced body is still read through the 1 MiB limit.
	TokenResponse func(resp *http.Response) error
	// ProtectedRequest may rewrite a request of Session.Client after the
	// token was placed, before it is sent. It receives the clone, never the
	// caller's request.
	ProtectedRequest func(req *http.Request) error
	// EndpointRequest may rewrite a revocation or introspection request
	// before it is sent.
	EndpointRequest func(req *http.Request) error
}

// Config describes an OAuth 2 client and the server it talks to. The zero
// value of every field is a safe default. A Config is read-only once it was
// used; NewSession copies it (see there for what stays shared). It is safe
// for concurrent use.
//
// String, Format and LogValue never print ClientSecret.
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
	// Scopes are the requested scopes, sent space-separated.
	Scopes []string

	// AuthMethod is the client authentication method; see AuthDefault.
	AuthMethod AuthMethod
	// Signer signs client assertions for PrivateKeyJWT (required) and
	// ClientSecretJWT (optional: HS256 with ClientSecret by default), made
	// by jose.NewSigner or the constructor of one algorithm family,
	// such as jose.NewECDSASigner.
	Signer jose.Signer
	// KeyID, if set, is the "kid" header of client assertions.
	KeyID string

	// PKCE selects the code challenge method; S256 by default.
	PKCE PKCEMethod
	// Placement is where the Transport puts the access token; the header by
	// default.
	Placement Placement
	// Hooks adapt the library to non-standard servers.
	Hooks Hooks

	// HTTPClient makes every request of the package, and its Transport is
	// the base of Session.Client. If nil, http.DefaultClient is used.
	// Requests to the token, device, revocation and introspection endpoints
	// never follow redirects, whatever its CheckRedirect says: a 3xx answer
	// is an *Error, so that credentials are never re-sent to another URL.
	HTTPClient *http.Client
	// InsecureAllowHTTP allows tokens and credentials to be sent over plain
	// http to hosts that are not loopback addresses. Never set it in
	// production.
	InsecureAllowHTTP bool

	// Leeway is how long before expiry a token is refreshed; if 0, 10
	// seconds; if negative, tokens are refreshed only once expired. A token
	// is never refreshed before half its remaining lifetime at the time it
	// was received has passed, so servers issuing tokens shorter-lived than
	// the leeway do not cause a refresh per request.
	//
	// A refresh inside the leeway that fails while the token is still valid
	// does not fail Session.Token or the Transport: they use the token until
	// it expires. The next attempt then waits half the token's remaining
	// lifetime, or the server's Retry-After if shorter, but at least a
	// second and never past the expiry; once the token has expired, the
	// refresh's error is returned. Session.Refresh always returns it.
	Leeway time.Duration
	// RefreshTimeout bounds a refresh, which runs detached from the
	// contexts of the requests waiting for it; if 0, DefaultTimeout.
	RefreshTimeout time.Duration
	// Timeout bounds each request to the token, device authorization,
	// revocation and introspection endpoints, and the reading of its
	// response, when the caller's context has no deadline: grants, device
	// authorization and each device poll, revocation, introspection. If
	// 0, DefaultTimeout; if negative, nothing but the context bounds them.
	// Refreshes are bounded by RefreshTimeout instead.
	Timeout time.Duration

	// Now returns the current time; if nil, time.Now. A test seam.
	Now func() time.Time
	// Rand is the source of state, PKCE verifiers and assertion ids; if nil,
	// crypto/rand.Reader. A test seam.
	Rand io.Reader
	// Sleep waits d or until ctx is done, between device flow polls; if
	// nil, a timer. A test seam.
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

// DefaultTimeout bounds a request of the package when the caller's
// context has no deadline and Config.Timeout is 0, and a refresh when
// Config.RefreshTimeout is 0.
const DefaultTimeout = 30 * time.Second

func (c *Config) refreshTimeout() time.Duration {
	if c.RefreshTimeout > 0 {
		return c.RefreshTimeout
	}
	return DefaultTimeout
}

// requestContext returns the context of one request to an endpoint: ctx,
// bounded by Timeout (DefaultTimeout if 0) unless it has a deadline or
// Timeout is negative. A refresh's context always has one (RefreshTimeout).
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
		return ClientSecretBasic
	}
	return AuthNone
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

// GoString returns String, so %#v redacts too.
func (c Config) GoString() string { return c.String() }

// Format implements fmt.Formatter: every verb prints String.
func (c Config) Format(f fmt.State, verb rune) { io.WriteString(f, c.String()) }

// LogValue implements slog.LogValuer without the secret.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("client_id", c.ClientID),
		slog.String("token_url", c.Endpoint.TokenURL),
		slog.String("auth_method", string(c.authMethod())),
	)
}

// checkSecure returns ErrInsecureTransport unless u is https, on a loopback
// host, or allowed by InsecureAllowHTTP.
func (c *Config) checkSecure(u *url.URL) error {
	if c.InsecureAllowHTTP || secureURL(u) {
		return nil
	}
	return fmt.Errorf("%w: %q", ErrInsecureTransport, clip(u.Host, maxHost))
}

func secureURL(u *url.URL) bool {
	if strings.EqualFold(u.Scheme, "https") {
		return true
	}
	return isLoopback(u.Hostname())
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// endpointURL parses an endpoint URL and checks it may carry credentials.
func (c *Config) endpointURL(name, raw string) (*url.URL, error) {
	if raw == "" {
		return nil, fmt.Errorf("oauth2: %s: %w", name, ErrNoEndpoint)
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
