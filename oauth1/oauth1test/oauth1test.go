// Package oauth1test provides an OAuth 1.0a provider for tests of code that
// uses package oauth1, in the style of net/http/httptest: a strict provider
// on a loopback address that runs the three-legged flow (RFC 5849 §2),
// plays the user's browser, and verifies every signed request.
//
//	func TestSignIn(t *testing.T) {
//		srv := oauth1test.NewServer(t) // closed when the test ends
//		cfg := &oauth1.Config{
//			ConsumerKey:    oauth1test.ConsumerKey,
//			ConsumerSecret: oauth1test.ConsumerSecret,
//			CallbackURL:    "http://127.0.0.1/callback",
//			Endpoint:       srv.Endpoint(),
//		}
//		ctx := context.Background()
//		rt, err := cfg.RequestToken(ctx)
//		...
//		authURL, err := cfg.AuthorizationURL(rt, nil)
//		...
//		callback := srv.Authorize(t, authURL) // the user approves
//		_, verifier, err := oauth1.ParseAuthorizationResponse(callback)
//		...
//		at, err := cfg.AccessToken(ctx, rt, verifier)
//		...
//		resp, err := cfg.Client(at).Get(srv.ResourceURL())
//		// ... the resource answers with an [Echo] of what it verified
//	}
//
// # Consumers
//
// A new server has a consumer registered per signature method, named after
// it, with the secret "<key>-secret": "hmac-sha1" ([ConsumerKey] and
// [ConsumerSecret]), "hmac-sha256", "hmac-sha512", "plaintext", and
// "rsa-sha1", "rsa-sha256" ([RSAConsumerKey]) and "rsa-sha512", whose
// signatures verify with the public half of [RSAKey]. The names are for
// readability: any consumer may sign with any method its credentials
// allow. PLAINTEXT is accepted over TLS only ([NewTLSServer]). Register
// more with srv.AddConsumer.
//
// # Switches and counters
//
// A [Server] embeds its [Provider], so its fields and methods are the
// server's. Set fields before the first request; methods and counters are
// safe for concurrent use at any time.
//
//   - OmitCallbackConfirmed leaves oauth_callback_confirmed out of
//     request-token responses (as Magento and TripIt do).
//   - JSONResponses answers the token endpoints in JSON instead of form
//     encoding.
//   - Problem, if set, makes the token endpoints answer 401 with this
//     oauth_problem.
//   - Window is the accepted timestamp skew, either way (zero: 5
//     minutes); Now is the clock timestamps are checked against (nil:
//     time.Now).
//   - AddConsumer(c) registers a [Consumer]; IssueAccessToken(consumerKey)
//     mints token credentials without the three-legged flow.
//   - Counters holds atomic counts, read with Load():
//     Counters.RequestTokens (issued), Counters.Authorizations (request
//     tokens authorized), Counters.AccessTokens (issued),
//     Counters.Resources (protected resource requests served) and
//     Counters.Rejected (requests refused, at any endpoint).
package oauth1test

import (
	"crypto/rsa"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth1"
)

// The default consumers and the user of every new [Server].
const (
	// ConsumerKey and ConsumerSecret are the credentials of a consumer
	// that signs with HMAC-SHA1, oauth1's default.
	ConsumerKey    = "hmac-sha1"
	ConsumerSecret = "hmac-sha1-secret"
	// RSAConsumerKey is a consumer whose RSA signatures verify with the
	// public half of [RSAKey].
	RSAConsumerKey = "rsa-sha256"

	// UserID and ScreenName are the extra fields of every access token
	// response (Twitter's), which oauth1.Token.Extra returns.
	UserID     = "1234"
	ScreenName = "fake_user"
)

// RSAKey returns the private key of the RSA consumers: the published test
// key of oauthlib's test suite. It is public: never use it outside tests.
func RSAKey() *rsa.PrivateKey { return fakeprovider.OAuth1RSAPrivateKey() }

// Provider is the OAuth 1.0a provider a [Server] runs: its consumers, its
// switches and its counters, listed in the package documentation
// ("Switches and counters"). Being an alias of a type of an internal
// package, its fields and methods are documented there: go doc
// github.com/oauthkit/oauth/internal/fakeprovider OAuth1.IssueAccessToken
// (or any other name) shows them.
type Provider = fakeprovider.OAuth1

// Consumer is a consumer registered with a [Provider] (Provider.AddConsumer):
// Key and Secret; PublicKey, which verifies its RSA signatures (nil if it
// has none; a consumer with a PublicKey and no Secret may sign with the
// RSA methods only: the HMAC and PLAINTEXT key would be one anyone can
// make); CallbackPrefix,
// if set, the prefix every oauth_callback other than "oob" must have.
type Consumer = fakeprovider.OAuth1Consumer

// Echo is the JSON body of the protected resource ([Server.ResourceURL]):
// what the provider verified of the request. Its fields: Method (the HTTP
// method); ConsumerKey and Token; Signature, the oauth_signature_method;
// Placement, where oauth_signature was found ("header", "query" or
// "body"); Realm, the Authorization header's realm; Params, the request's
// other parameters (query, then Authorization header, then form body), in
// order, with repeated names and empty values, without the oauth_* ones.
type Echo = fakeprovider.OAuth1Echo

// Server is a [Provider] served over HTTP on a loopback address by an
// httptest.Server. Its methods are safe for concurrent use.
type Server struct {
	// Provider is the OAuth 1.0a provider. Its fields and methods are
	// promoted: srv.AddConsumer(c), srv.JSONResponses = true.
	*Provider

	// URL is the base URL of the server, http://127.0.0.1:port (https
	// for NewTLSServer), without a trailing slash.
	URL string

	srv *httptest.Server
}

// NewServer starts a server on plain HTTP and returns it.
//
// In a test, pass its t: the server is closed when the test and its
// subtests end, and the methods that take a t report failures with
// t.Fatal. If t is nil (an Example, a demo), the caller must call
// [Server.Close], and those methods panic instead.
func NewServer(t testing.TB) *Server {
	if t != nil {
		t.Helper()
	}
	return start(t, httptest.NewServer)
}

// NewTLSServer is [NewServer] on HTTPS, with a certificate that only
// [Server.Client] trusts: a Config must have HTTPClient: srv.Client(). The
// provider accepts PLAINTEXT signatures over HTTPS only.
func NewTLSServer(t testing.TB) *Server {
	if t != nil {
		t.Helper()
	}
	return start(t, httptest.NewTLSServer)
}

func start(t testing.TB, serve func(http.Handler) *httptest.Server) *Server {
	p := fakeprovider.NewProvider()
	srv := serve(p)
	if t != nil {
		t.Cleanup(srv.Close)
	}
	return &Server{Provider: p.OAuth1, URL: srv.URL, srv: srv}
}

// Close shuts the server down and waits for the requests under way. It may
// be called more than once; NewServer(t) closes the server when the test
// ends.
func (s *Server) Close() { s.srv.Close() }

// Client returns an HTTP client that trusts the server's certificate
// (NewTLSServer).
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Endpoint returns the server's temporary credential request,
// authorization and token request endpoints (RFC 5849 §2).
func (s *Server) Endpoint() oauth1.Endpoint {
	return oauth1.Endpoint{
		RequestTokenURL: s.URL + fakeprovider.OAuth1RequestTokenPath,
		AuthorizeURL:    s.URL + fakeprovider.OAuth1AuthorizePath,
		AccessTokenURL:  s.URL + fakeprovider.OAuth1AccessTokenPath,
	}
}

// ResourceURL returns the server's protected resource: a request with any
// method signed with token credentials the server issued answers 200 with
// an [Echo] in JSON; a request that fails verification gets 401 with a
// form-encoded oauth_problem.
func (s *Server) ResourceURL() string { return s.URL + fakeprovider.OAuth1ResourcePath }

// Authorize plays the user's browser at authURL, the authorization URL of
// a request token (oauth1.Config.AuthorizationURL): the server approves at
// once and Authorize returns the URL it redirects to, the callback URL
// with oauth_token and oauth_verifier in its query
// (oauth1.ParseAuthorizationResponse reads them).
//
// It fails the test (see [NewServer]) when the server does not redirect:
// an unknown request token, or one obtained with the callback "oob", for
// which [Server.AuthorizePIN] is the method.
func (s *Server) Authorize(t testing.TB, authURL string) string {
	if t != nil {
		t.Helper()
	}
	resp, body := s.browse(t, authURL)
	if resp.StatusCode != http.StatusFound {
		if resp.StatusCode == http.StatusOK {
			fail(t, "oauth1test: Authorize: the server showed a verifier (callback oob); use AuthorizePIN")
		}
		fail(t, "oauth1test: Authorize: the server answered "+resp.Status+": "+clip(body))
	}
	return resp.Header.Get("Location")
}

// AuthorizePIN plays the user's browser at authURL for a request token
// obtained with the callback "oob" (out of band, RFC 5849 §2.1): the
// server approves and shows the verifier, the PIN the user would type into
// the program, which AuthorizePIN returns.
//
// It fails the test (see [NewServer]) when the server does not show a
// verifier: an unknown request token, or one with a callback URL, for
// which [Server.Authorize] is the method.
func (s *Server) AuthorizePIN(t testing.TB, authURL string) string {
	if t != nil {
		t.Helper()
	}
	resp, body := s.browse(t, authURL)
	if resp.StatusCode != http.StatusOK {
		if resp.StatusCode == http.StatusFound {
			fail(t, "oauth1test: AuthorizePIN: the server redirected to the callback; use Authorize")
		}
		fail(t, "oauth1test: AuthorizePIN: the server answered "+resp.Status+": "+clip(body))
	}
	return strings.TrimSpace(body)
}

// maxPage bounds what the browser reads of a page.
const maxPage = 1 << 20

// browse GETs authURL without following redirects and returns the
// response and its body (at most maxPage bytes), closed.
func (s *Server) browse(t testing.TB, authURL string) (*http.Response, string) {
	if t != nil {
		t.Helper()
	}
	req, err := http.NewRequest(http.MethodGet, authURL, nil)
	if err != nil {
		fail(t, "oauth1test: "+err.Error())
	}
	c := *s.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		fail(t, "oauth1test: "+err.Error())
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxPage))
	if err != nil {
		fail(t, "oauth1test: reading the server's answer: "+err.Error())
	}
	return resp, string(b)
}

// clip returns the start of a page for a message.
func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

// fail reports msg with t.Fatal, or panics when t is nil.
func fail(t testing.TB, msg string) {
	if t == nil {
		panic(msg)
	}
	t.Helper()
	t.Fatal(msg)
}
