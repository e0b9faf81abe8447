// Package oauth2test provides an OAuth 2.0 authorization server for tests
// of code that uses package oauth2, in the style of net/http/httptest: a
// strict provider on a loopback address that runs every grant, plays the
// user's browser, and counts what it served.
//
//	func TestSignIn(t *testing.T) {
//		srv := oauth2test.NewServer(t) // closed when the test ends
//		cfg := &oauth2.Config{
//			ClientID:     oauth2test.ClientID,
//			ClientSecret: oauth2test.ClientSecret,
//			Endpoint:     srv.Endpoint(),
//			RedirectURL:  "http://127.0.0.1/callback",
//		}
//		login, err := cfg.NewLogin(context.Background())
//		if err != nil {
//			t.Fatal(err)
//		}
//		callback := srv.Authorize(t, login.URL) // the user approves
//		tok, err := cfg.CompleteLoginURL(context.Background(), login, callback)
//		if err != nil {
//			t.Fatal(err)
//		}
//		resp, err := cfg.NewSession(tok).Client().Get(srv.ResourceURL())
//		// ... the resource answers with an [Echo] naming the user
//	}
//
// # Clients and users
//
// A new server has these clients registered, each accepting any redirect
// URI on 127.0.0.1, [::1] or localhost:
//
//	ClientID, ClientSecret          client_secret_basic
//	PostClientID, PostClientSecret  client_secret_post
//	PublicClientID                  none (a public client: PKCE required)
//	JWTClientID, JWTClientSecret    client_secret_jwt (HS256)
//	KeyClientID, ClientKey()        private_key_jwt (ES256)
//	"1PpG/Q 1", "z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw="
//	                                client_secret_basic, with characters
//	                                that must be form-encoded in the
//	                                Basic header (RFC 6749 §2.3.1)
//
// and one user, [Username] with [Password], who approves every browser
// step unless the browser or the request names another ([Server.AuthorizeAs],
// login_hint, Provider.DefaultUser). Register more in Server.Clients (a
// map of *[Client] by ID) and Server.Users (username to password) before
// the first request.
//
// # Switches and counters
//
// A [Server] embeds its [Provider], so its fields and methods are the
// server's. Set fields before the first request; methods are safe for
// concurrent use at any time.
//
// Registration: Clients (a map of *[Client] by ID), Users (username to
// password), DefaultUser (who approves when a request names no one;
// "alice").
//
// Policies: AccessTokenTTL (0: an hour; negative: never expires),
// RotateRefreshTokens (default true; a spent refresh token presented
// again revokes its grant unless SkipReuseDetection), RequirePKCE
// (default true, for public clients), RequireIssuerAudience,
// DenyAuthorization (every authorization answers access_denied), Scope
// (the scope every token gets), Now (the clock; nil: time.Now).
//
// Quirks of real providers: FormEncodedTokenResponse (GitHub),
// StringExpiresIn (Microsoft), FloatExpiresIn, OmitTokenType,
// ErrorWith200 (Slack), Delay, OversizeBytes (pads token responses),
// TokenStatus and RefreshStatus (answer every token or refresh request
// with that HTTP status).
//
// The device flow: DeviceInterval (seconds announced; default 5),
// DeviceScript (what successive polls answer: "authorization_pending",
// "slow_down", "approve", "access_denied", "expired_token"), and
// ApproveDevice(userCode) to approve a device code as DefaultUser.
//
// OpenID Connect: Issuer, IDTokenAlg, IDTokenTTL, MetadataMaxAge,
// DiscoveryOmit, RotateKeys() and DropRotatedKeys; attacks on the
// client: WrongMetadataIssuer, WrongCallbackIssuer, OmitCallbackIssuer,
// IDTokenWrongIssuer, IDTokenAlgNone, IDTokenWrongAudience,
// IDTokenMultipleAudiences, IDTokenExpired, IDTokenOmitNonce,
// IDTokenWrongNonce, IDTokenBadAtHash, IDTokenUnknownKid,
// IDTokenUnknownKidOnce, RefreshChangesSub, WrongUserInfoSub (see
// [WrongIssuer], [OtherSubject]).
//
// DPoP (RFC 9449): RequireDPoP, RequireDPoPNonce,
// RequireResourceDPoPNonce, DPoPNonceEvery, DPoPProofWindow, DPoPNonce()
// and RotateDPoPNonce(). Pushed and signed requests: RequirePAR,
// PARLifetime, RequireSignedRequestObject.
//
// Tokens and requests: IssueToken(clientID, ttl) mints an access and a
// refresh token without a grant (ttl < 0: already expired; 0: never
// expires); LastTokenRequest() and LastDeviceAuthRequest() return the
// form the endpoint last read.
//
// Counters: TokenRequests(), TokensIssued(), Refreshes(),
// RefreshTokenReuses(), GrantsRevoked(), ResourceRequests(),
// IDTokensIssued(), UserInfoRequests(), DiscoveryRequests(),
// JWKSRequests(), PARRequests(), RequestObjectsRefused(),
// DPoPProofsRefused(), DPoPNonceChallenges().
//
// The browser step: [Server.Authorize] approves an authorization URL and
// returns the callback URL; [Server.AuthorizeAs] as a given user;
// [Server.CallbackRequest] returns the callback as an *http.Request (for
// response_mode=form_post too).
//
// The server is also an OpenID provider (discovery, ID tokens, UserInfo,
// JWKS), accepts DPoP proofs (RFC 9449), pushed authorization requests
// (RFC 9126) and request objects (RFC 9101); see [Server.IssuerURL] and
// the other URL methods.
package oauth2test

import (
	"crypto/ecdsa"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
)

// The clients and the user every new [Server] has registered.
const (
	// ClientID and ClientSecret are a confidential client that
	// authenticates with client_secret_basic, the oauth2 package's default
	// for a Config with a secret.
	ClientID     = "basic-client"
	ClientSecret = "basic-secret"
	// PostClientID and PostClientSecret are a confidential client that
	// authenticates with client_secret_post (oauth2.AuthClientSecretPost).
	PostClientID     = "post-client"
	PostClientSecret = "post-secret"
	// PublicClientID is a public client: no secret (oauth2.AuthNone), and
	// its logins must use PKCE, as oauth2.Config.NewLogin does by default.
	PublicClientID = "public-client"
	// JWTClientID and JWTClientSecret are a client that authenticates with
	// client_secret_jwt assertions signed with HS256 and the secret.
	JWTClientID     = "jwt-client"
	JWTClientSecret = "jwt-secret-at-least-32-bytes-long!!"
	// KeyClientID is a client that authenticates with private_key_jwt
	// assertions signed with [ClientKey] (ES256). The provider also
	// accepts its JWT bearer grant assertions (RFC 7523 §2.1) and request
	// objects.
	KeyClientID = "pkjwt-client"

	// Username and Password are the resource owner of the password grant
	// and the user who approves the browser step and device codes by
	// default.
	Username = "alice"
	Password = "wonderland"
)

// Names the server uses when told to misbehave.
const (
	// WrongIssuer is the issuer the server claims when told to lie about
	// it (Provider.WrongMetadataIssuer, WrongCallbackIssuer,
	// IDTokenWrongIssuer), as in a mix-up attack.
	WrongIssuer = "https://attacker.example/oauth2"
	// OtherSubject is the subject the server names when told to change
	// the end-user (Provider.RefreshChangesSub, WrongUserInfoSub).
	OtherSubject = "mallory"
)

// UserCookie is the name of the cookie of the server's own login session:
// a browser that sends it to the authorization endpoint, with a username
// as its value, approves as that user ([Server.AuthorizeAs] sends it).
const UserCookie = "fakeprovider_user"

// ClientKey returns the P-256 private key of [KeyClientID], shared with
// the server: do not modify it. It is fixed and public: never use it
// outside tests.
func ClientKey() *ecdsa.PrivateKey { return fakeprovider.OAuth2TestKey }

// Provider is the authorization server a [Server] runs: its registered
// clients and users, its switches and its counters, listed in the package
// documentation ("Switches and counters"). Being an alias of a type of an
// internal package, its fields and methods are documented there: go doc
// github.com/oauthkit/oauth/internal/fakeprovider OAuth2.IssueToken (or
// any other name) shows them.
type Provider = fakeprovider.OAuth2

// Client is a client registered with a [Provider] (Provider.Clients). Its
// fields: ID and Secret (empty for a public client); AuthMethod, the one
// client authentication the server accepts from it
// ("client_secret_basic", "client_secret_post", "none",
// "client_secret_jwt" or "private_key_jwt"); RedirectURIs, which a sent
// redirect_uri must match exactly; PublicKey, which verifies its
// private_key_jwt assertions and request objects; RawBasic, to read Basic
// credentials without form-decoding them. Only the default clients accept
// any loopback redirect URI.
type Client = fakeprovider.OAuth2Client

// Echo is the JSON body of the protected resource ([Server.ResourceURL]):
// which client and user the token belongs to, and how it was sent. Its
// fields: OK (true); ClientID; Username (empty for a token without a user:
// client credentials, IssueToken); Scope; Method, where the token was
// found ("header", "body" or "query"); HTTPMethod (GET or POST); Query,
// the first value of each query parameter but access_token; Aud, the
// token's audience (the resource and audience values it was issued for);
// TokenType ("DPoP" for a DPoP-bound token, otherwise empty); JKT, the
// thumbprint of the key a DPoP-bound token is bound to (RFC 9449 §6.1).
type Echo = fakeprovider.OAuth2Echo

// Server is a [Provider] served over HTTP on a loopback address by an
// httptest.Server. Its methods are safe for concurrent use.
type Server struct {
	// Provider is the authorization server. Its fields and methods are
	// promoted: srv.Refreshes(), srv.DenyAuthorization = true.
	*Provider

	// URL is the base URL of the server, http://127.0.0.1:port (https
	// for NewTLSServer), without a trailing slash.
	URL string

	srv *httptest.Server
}

// NewServer starts a server on plain HTTP and returns it. The oauth2
// package accepts plain http to a loopback address, so a Config needs no
// HTTPClient for it.
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
// [Server.Client] trusts: a Config must have HTTPClient: srv.Client().
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
	return &Server{Provider: p.OAuth2, URL: srv.URL, srv: srv}
}

// Close shuts the server down and waits for the requests under way. It may
// be called more than once; NewServer(t) closes the server when the test
// ends.
func (s *Server) Close() { s.srv.Close() }

// Client returns an HTTP client that trusts the server's certificate
// (NewTLSServer) and follows redirects as http.DefaultClient does.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Endpoint returns the server's endpoints: authorization (RFC 6749 §3.1),
// token (§3.2), device authorization (RFC 8628), revocation (RFC 7009),
// introspection (RFC 7662) and pushed authorization requests (RFC 9126);
// its issuer ([Server.IssuerURL]), which logins check the callback's
// "iss" against (RFC 9207) and sign request objects for (RFC 9101); and,
// as its metadata says them, whether it requires pushed requests
// (Provider.RequirePAR) and signed request objects
// (Provider.RequireSignedRequestObject) at the time of the call: set
// those switches first.
func (s *Server) Endpoint() oauth2.Endpoint {
	return oauth2.Endpoint{
		AuthURL:                    s.URL + fakeprovider.OAuth2AuthorizePath,
		TokenURL:                   s.URL + fakeprovider.OAuth2TokenPath,
		DeviceAuthURL:              s.URL + fakeprovider.OAuth2DevicePath,
		RevocationURL:              s.URL + fakeprovider.OAuth2RevokePath,
		IntrospectionURL:           s.URL + fakeprovider.OAuth2IntrospectPath,
		PushedAuthURL:              s.PushedAuthURL(),
		Issuer:                     s.IssuerURL(),
		RequirePushedAuth:          s.RequirePAR,
		RequireSignedRequestObject: s.RequireSignedRequestObject,
	}
}

// IssuerURL returns the server's issuer identifier (RFC 8414 §2, OpenID
// Connect Discovery 1.0 §3): Provider.Issuer if set, otherwise URL
// followed by /oauth2. Discovery documents are served at the paths
// derived from it.
func (s *Server) IssuerURL() string {
	if s.Issuer != "" {
		return s.Issuer
	}
	return s.URL + "/oauth2"
}

// UserInfoURL returns the OpenID Connect UserInfo endpoint (OpenID Connect
// Core 1.0 §5.3).
func (s *Server) UserInfoURL() string { return s.URL + fakeprovider.OAuth2UserInfoPath }

// JWKSURL returns the JWK Set of the keys that sign ID tokens (RFC 7517
// §5; the metadata's jwks_uri).
func (s *Server) JWKSURL() string { return s.URL + fakeprovider.OAuth2JWKSPath }

// PushedAuthURL returns the pushed authorization request endpoint (RFC
// 9126).
func (s *Server) PushedAuthURL() string { return s.URL + fakeprovider.OAuth2PARPath }

// ResourceURL returns the server's protected resource: GET or POST with an
// access token (Authorization header, form body or query, RFC 6750 §2; or
// DPoP, RFC 9449 §7) answers 200 with an [Echo] in JSON; a missing,
// unknown, revoked or expired token gets 401 with a WWW-Authenticate
// challenge.
func (s *Server) ResourceURL() string { return s.URL + fakeprovider.OAuth2ResourcePath }

// Authorize plays the user's browser at authURL, the URL of an
// authorization request (oauth2.Login.URL): the server approves it at once
// (as the user the request's login_hint names, or Provider.DefaultUser)
// and Authorize returns the URL it redirects to, the callback URL with the
// code and state in its query (the token in its fragment for the implicit
// flow). An error the server redirects with (access_denied when
// Provider.DenyAuthorization is set, invalid_request, ...) is returned the
// same way, for the code under test to handle.
//
// It fails the test (see [NewServer]) when the server does not redirect:
// an unknown client or an unregistered redirect URI, which the server shows
// the user instead, or a response_mode=form_post request, for which
// [Server.CallbackRequest] is the method.
func (s *Server) Authorize(t testing.TB, authURL string) string {
	if t != nil {
		t.Helper()
	}
	return s.authorize(t, authURL, "")
}

// AuthorizeAs is [Server.Authorize] by a browser signed in at the server
// as username (with the [UserCookie]), which then approves as that user,
// whatever the request's login_hint. A username not in Provider.Users gets
// an access_denied redirect.
func (s *Server) AuthorizeAs(t testing.TB, authURL, username string) string {
	if t != nil {
		t.Helper()
	}
	return s.authorize(t, authURL, username)
}

func (s *Server) authorize(t testing.TB, authURL, username string) string {
	if t != nil {
		t.Helper()
	}
	resp, body := s.browse(t, authURL, username)
	if resp.StatusCode != http.StatusFound {
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			fail(t, "oauth2test: Authorize: the server answered with a form_post page; use CallbackRequest")
		}
		fail(t, "oauth2test: Authorize: the server answered "+resp.Status+": "+clip(body))
	}
	return resp.Header.Get("Location")
}

// CallbackRequest plays the browser at authURL as [Server.Authorize] does
// and returns the request the browser then makes to the redirect URI, as
// httptest.NewRequest makes it, for the callback handler under test or for
// oauth2.Config.CompleteLogin: a GET of the callback URL, or, for a
// response_mode=form_post request, the POST of the form on the server's
// page (OAuth 2.0 Form Post Response Mode).
//
// It fails the test (see [NewServer]) where Authorize does, and for the
// implicit flow's default response, whose parameters are in the URL's
// fragment, which a browser does not send: use Authorize for it.
func (s *Server) CallbackRequest(t testing.TB, authURL string) *http.Request {
	if t != nil {
		t.Helper()
	}
	resp, body := s.browse(t, authURL, "")
	switch {
	case resp.StatusCode == http.StatusFound:
		loc, err := url.Parse(resp.Header.Get("Location"))
		if err != nil || !loc.IsAbs() {
			fail(t, "oauth2test: CallbackRequest: the server redirected to "+resp.Header.Get("Location"))
		}
		if loc.Fragment != "" {
			fail(t, "oauth2test: CallbackRequest: the response is in the redirect URI's fragment, which a browser does not send; use Authorize")
		}
		return httptest.NewRequest(http.MethodGet, loc.String(), nil)
	case resp.StatusCode == http.StatusOK && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html"):
		action, form, err := fakeprovider.ReadFormPost(strings.NewReader(body))
		if err != nil {
			fail(t, "oauth2test: CallbackRequest: reading the server's page: "+err.Error())
		}
		if u, err := url.Parse(action); err != nil || !u.IsAbs() {
			fail(t, "oauth2test: CallbackRequest: the server's form posts to "+action)
		}
		r := httptest.NewRequest(http.MethodPost, action, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	}
	fail(t, "oauth2test: CallbackRequest: the server answered "+resp.Status+": "+clip(body))
	return nil
}

// maxPage bounds what the browser reads of a page.
const maxPage = 1 << 20

// browse GETs authURL without following redirects, as username's browser
// when username is not empty, and returns the response and its body (at
// most maxPage bytes), closed.
func (s *Server) browse(t testing.TB, authURL, username string) (*http.Response, string) {
	if t != nil {
		t.Helper()
	}
	req, err := http.NewRequest(http.MethodGet, authURL, nil)
	if err != nil {
		fail(t, "oauth2test: "+err.Error())
	}
	if username != "" {
		req.AddCookie(&http.Cookie{Name: UserCookie, Value: username})
	}
	c := *s.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		fail(t, "oauth2test: "+err.Error())
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxPage))
	if err != nil {
		fail(t, "oauth2test: reading the server's answer: "+err.Error())
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
