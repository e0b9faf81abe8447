package oauth1

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// Placement says where the protocol parameters travel (RFC 5849 §3.5).
type Placement int

const (
	// InHeader sends the protocol parameters in the Authorization header
	// (RFC 5849 §3.5.1). It is the zero value and the default.
	InHeader Placement = iota
	// InQuery appends them to the request URI's query (RFC 5849 §3.5.3).
	InQuery
	// InFormBody appends them to an application/x-www-form-urlencoded
	// entity body (RFC 5849 §3.5.2). Signing a request with another body
	// type is an error wrapping [ErrNotForm].
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

// DefaultMaxBodyBytes is the limit applied to token responses, and to
// request bodies that must be read to be signed, when no other limit is set.
const DefaultMaxBodyBytes = 1 << 20

// DefaultTimeout bounds each token request whose context has no deadline
// when Config.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Config is a consumer's (client's) OAuth 1.0a configuration: its
// credentials, how it signs, and the provider it talks to.
//
// The zero value of each optional field is a safe default. A Config must
// not be modified once it is in use; it is then safe for concurrent use by
// multiple goroutines, and no method writes to it.
//
// String and Format (every fmt verb) never print ConsumerSecret or a
// signature method's key.
type Config struct {
	// ConsumerKey identifies the client (RFC 5849 §1.1).
	ConsumerKey string
	// ConsumerSecret is the client's shared secret, unused by the RSA
	// methods.
	ConsumerSecret string

	// CallbackURL is sent as oauth_callback when a request token is
	// obtained: an absolute URL, or "oob" for out-of-band (PIN) flows.
	// If empty, "oob" is sent, as RFC 5849 §2.1 requires a value.
	CallbackURL string

	// Endpoint is the provider: its URLs and what it needs differently.
	Endpoint Endpoint

	// Method is the signature method. If nil, Endpoint.Method is used, and
	// if that is nil too, [HMACSHA1].
	Method SignatureMethod

	// Placement is where the protocol parameters go; InHeader by
	// default. It applies to the token requests too. Keep InHeader for
	// providers built on Python's oauthlib: it decodes oauth_ parameters
	// of a query or form body twice, so that a PLAINTEXT signature or a
	// callback URL holding %-escapes fails its check there.
	Placement Placement

	// Realm is sent first and unsigned in the Authorization header
	// (RFC 5849 §3.5.1). If empty, Endpoint.Realm is used; if that is
	// empty too, no realm is sent. It is never sent with other placements.
	Realm string

	// OmitVersion leaves the optional oauth_version=1.0 out. It is sent by
	// default, as most providers and libraries do.
	OmitVersion bool

	// BodyHash adds oauth_body_hash (the OAuth Request Body Hash
	// extension) to requests whose body is not form-encoded: the Base64
	// SHA-1 of the body (of the empty string when there is none). The body
	// is then read into memory, up to MaxBodyBytes.
	BodyHash bool

	// MaxBodyBytes limits the request bodies read for signing (form bodies,
	// body hashes) and the token responses read by the flow methods. A
	// larger body is an error wrapping an *http.MaxBytesError (with
	// Limit set). If zero, [DefaultMaxBodyBytes].
	MaxBodyBytes int64

	// HTTPClient makes the token requests. If nil, http.DefaultClient is
	// used. The token requests never follow redirects, whatever its
	// CheckRedirect says: a 3xx answer is an *[Error], so that the
	// signed request is never re-sent to another URL. [Config.Client]
	// does not send through it but builds a new client from it:
	// HTTPClient.Transport becomes the signing [Transport]'s Base (nil
	// meaning http.DefaultTransport), and its Timeout, Jar and
	// CheckRedirect are copied. Later changes to HTTPClient's fields do
	// not affect a client already returned.
	HTTPClient *http.Client

	// Timeout bounds each token request ([Config.RequestToken],
	// [Config.AccessToken]), including reading the response, when its
	// context has no deadline: if 0, [DefaultTimeout]; if negative,
	// nothing bounds it beyond the context (and HTTPClient.Timeout). A
	// deadline of the context is kept as it is, shorter or longer. The
	// requests of [Config.Client] are not affected.
	Timeout time.Duration

	// InsecureAllowHTTP allows PLAINTEXT signatures, which carry the
	// consumer and token secrets in clear, to be sent over plain http to
	// hosts that are not loopback addresses; without it [Config.Sign],
	// the [Transport] and the flow methods refuse with an error wrapping
	// [ErrInsecureTransport]. The other methods are not affected. Never
	// set it in production.
	InsecureAllowHTTP bool

	// Now is the clock for oauth_timestamp. If nil, time.Now is used.
	Now func() time.Time

	// Rand is the source of the 30 random bytes behind each oauth_nonce,
	// read for each signing: the nonce is 30 letters and digits
	// (A-Z, a-z, 0-9), one per byte. If nil, crypto/rand.Reader is used.
	// A read error fails the signing.
	Rand io.Reader

	// Nonce, if non-nil, returns each oauth_nonce instead of Rand; for
	// reproducing published test vectors and for providers with nonce
	// format rules. It must return a different value on every call.
	Nonce func() (string, error)
}

// Endpoint describes a provider: its three URLs (RFC 5849 §2) and what it
// needs differently from the RFC. Presets: [Twitter],
// [TwitterAuthenticate], [Bitbucket], [Tumblr], [Flickr], [Trello],
// [SmugMug], [Garmin], and the functions [Discogs] (of a User-Agent),
// [Jira] (of a base URL) and [NetSuite] (of an account ID).
type Endpoint struct {
	// RequestTokenURL is the temporary credential request endpoint.
	RequestTokenURL string
	// AuthorizeURL is the resource owner authorization endpoint.
	AuthorizeURL string
	// AccessTokenURL is the token request endpoint.
	AccessTokenURL string

	// TokenMethod is the HTTP method of the two token requests. If empty,
	// POST (RFC 5849 §2.1, §2.3).
	TokenMethod string

	// Method is the provider's signature method, used when Config.Method
	// is nil. If both are nil, HMAC-SHA1.
	Method SignatureMethod

	// Realm is used when Config.Realm is empty.
	Realm string

	// SkipCallbackConfirmed accepts a request-token response without
	// oauth_callback_confirmed=true. RFC 5849 §2.1 requires it; some
	// providers (Magento, TripIt) omit it. Unsafe: leave false unless the
	// provider is known to omit it.
	SkipCallbackConfirmed bool

	// Header holds extra headers (such as the User-Agent Discogs demands)
	// sent with the token requests and, by the Transport, with every
	// request that does not already carry them.
	Header http.Header
}

// Token is an OAuth token and its secret: temporary credentials (a request
// token) or token credentials (an access token), RFC 5849 §1.1. A Token
// is not modified by this package once returned and is safe for
// concurrent reads.
//
// String and Format redact Secret, so a Token (or a struct holding one)
// can be printed with any fmt verb, and logged by log/slog's text
// handler, which prints through Format. Its encoding/json form,
// {"Token":…,"Secret":…}, keeps Secret, as saving a token needs it, and
// so does slog's JSON handler, which uses encoding/json; it leaves out the
// extra fields (save Extras yourself if you need them). A token that
// dghubble/oauth1 saved as JSON names its secret "TokenSecret": it loads
// with an empty Secret unless the field is renamed.
type Token struct {
	// Token is the oauth_token value.
	Token string
	// Secret is the oauth_token_secret value.
	Secret string

	extra urlenc.Params
}

// Extra returns the first value of a field of the token response other
// than oauth_token and oauth_token_secret, such as "screen_name" or
// "user_id", or "" if the provider did not send it. JSON values that are
// not strings are returned as their JSON text.
func (t *Token) Extra(key string) string {
	if t == nil {
		return ""
	}
	return t.extra.Get(key)
}

// Extras returns a copy of every extra field of the token response, in
// the order received.
func (t *Token) Extras() url.Values {
	v := url.Values{}
	if t == nil {
		return v
	}
	for _, kv := range t.extra {
		v[kv.Key] = append(v[kv.Key], kv.Value)
	}
	return v
}

// String returns a description of t with the secret redacted:
// oauth1.Token{Token:"..." Secret:<redacted>}. The extra fields of the
// token response are left out.
func (t Token) String() string {
	return "oauth1.Token{Token:" + strconv.Quote(t.Token) + " Secret:" + urlenc.Mask(t.Secret) + "}"
}

// Format implements fmt.Formatter: %q prints String quoted, every other
// verb (%v, %+v, %#v, %s, ...) prints String, so no verb shows the secret,
// not even when the Token is a field of another struct.
func (t Token) Format(f fmt.State, verb rune) { urlenc.Format(f, verb, t.String()) }

// String describes c without its consumer secret or any signing key (the
// signature method is shown by name).
func (c Config) String() string {
	return fmt.Sprintf("oauth1.Config{ConsumerKey:%q ConsumerSecret:%s CallbackURL:%q RequestTokenURL:%q AccessTokenURL:%q Method:%q Placement:%v BodyHash:%t}",
		c.ConsumerKey, urlenc.Mask(c.ConsumerSecret), c.CallbackURL, c.Endpoint.RequestTokenURL,
		c.Endpoint.AccessTokenURL, c.method().Name(), c.Placement, c.BodyHash)
}

// Format implements fmt.Formatter: %q prints String quoted, every other
// verb prints String.
func (c Config) Format(f fmt.State, verb rune) { urlenc.Format(f, verb, c.String()) }

func (c *Config) method() SignatureMethod {
	if c.Method != nil {
		return c.Method
	}
	if c.Endpoint.Method != nil {
		return c.Endpoint.Method
	}
	return HMACSHA1
}

func (c *Config) realm() string {
	if c.Realm != "" {
		return c.Realm
	}
	return c.Endpoint.Realm
}

func (c *Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// withTimeout returns ctx bounded by Timeout (or DefaultTimeout) when it
// has no deadline.
func (c *Config) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	d := c.Timeout
	if d == 0 {
		d = DefaultTimeout
	}
	if _, ok := ctx.Deadline(); ok || d < 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, d)
}

func (c *Config) maxBody() int64 {
	if c.MaxBodyBytes > 0 {
		return c.MaxBodyBytes
	}
	return DefaultMaxBodyBytes
}

func (c *Config) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return http.DefaultClient
}

// tokenClient returns the client for the token requests: a shallow copy
// of HTTPClient (same Transport, Jar and Timeout) that never follows a
// redirect. Following one would re-send the signed request, with the
// verifier and (PLAINTEXT) the secrets themselves, to wherever Location
// points, plain http on another host included, and take that host's
// answer as the token; the 3xx response is returned instead, and becomes a
// *Error. Its Transport drops the Location of a 3xx first:
// http.Client parses it before it asks CheckRedirect, and a Location that
// does not parse would be an error quoting it.
func (c *Config) tokenClient() *http.Client {
	hc := *c.httpClient()
	hc.CheckRedirect = stopAtRedirect
	hc.Transport = dropLocation{hc.Transport}
	return &hc
}

func stopAtRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// dropLocation is an http.RoundTripper that removes the Location header
// of the 3xx responses of Base (nil meaning http.DefaultTransport).
type dropLocation struct{ base http.RoundTripper }

func (t dropLocation) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if resp != nil && resp.StatusCode >= 300 && resp.StatusCode <= 399 && resp.Header != nil {
		resp.Header.Del("Location")
	}
	return resp, err
}
