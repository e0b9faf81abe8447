package fakeprovider

// This file holds the OAuth 2 half's configuration, its token store and the
// helpers tests call directly. The endpoints live in oauth2_*.go, one file per
// area.

import (
	"crypto"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Paths of the OAuth 2 endpoints a [Provider] serves.
const (
	// OAuth2AuthorizePath is the authorization endpoint (RFC 6749 §3.1).
	OAuth2AuthorizePath = "/oauth2/authorize"
	// OAuth2TokenPath is the token endpoint (RFC 6749 §3.2).
	OAuth2TokenPath = "/oauth2/token"
	// OAuth2DevicePath is the device authorization endpoint (RFC 8628 §3.1).
	OAuth2DevicePath = "/oauth2/device"
	// OAuth2DeviceVerifyPath is the verification URI shown to the user of
	// a device (RFC 8628 §3.3). Visiting it with a user_code approves that
	// device, as [OAuth2.ApproveDevice] does.
	OAuth2DeviceVerifyPath = "/oauth2/device/verify"
	// OAuth2RevokePath is the revocation endpoint (RFC 7009).
	OAuth2RevokePath = "/oauth2/revoke"
	// OAuth2IntrospectPath is the introspection endpoint (RFC 7662).
	OAuth2IntrospectPath = "/oauth2/introspect"
	// OAuth2ResourcePath is a protected resource (GET or POST) that
	// echoes who called it: {"ok":true,"client_id":...,"username":...,
	// "scope":...,"method":"header"|"body"|"query","http_method":...,
	// "query":{name:first value}} (access_token left out), with "aud" (the
	// token's resource and audience values, see [OAuth2.LastTokenRequest])
	// when it has any, and "token_type":"DPoP" and "jkt" for a DPoP-bound
	// token. [OAuth2Echo] decodes it. It takes
	// the token in the Authorization header (Bearer, or DPoP with a proof,
	// RFC 9449 §7.1), a form body or the access_token query parameter, in
	// exactly one of them (RFC 6750 §2). A missing token gets 401 with
	// WWW-Authenticate: Bearer (and a second field, DPoP algs="..."); an
	// unknown, revoked or expired one 401 with Bearer error="invalid_token";
	// two placements 400 invalid_request (RFC 6750 §3.1). See [DPoPOptions]
	// for DPoP's refusals.
	OAuth2ResourcePath = "/oauth2/resource"
)

// Client authentication methods of OAuth2Client.AuthMethod (RFC 7591 §2
// names for RFC 6749 §2.3 and RFC 7523 §2.2).
const (
	authSecretBasic = "client_secret_basic"
	authSecretPost  = "client_secret_post"
	authNone        = "none"
	authSecretJWT   = "client_secret_jwt"
	authPrivateJWT  = "private_key_jwt"
)

// OAuth2Client is a client registered with the OAuth 2 provider.
type OAuth2Client struct {
	// ID and Secret are the client credentials. Secret is empty for
	// public clients.
	ID, Secret string
	// AuthMethod is the only client authentication method the token,
	// device, revocation and introspection endpoints accept from this
	// client: "client_secret_basic", "client_secret_post", "none",
	// "client_secret_jwt" or "private_key_jwt". Any other method, or none,
	// gets 401 invalid_client.
	AuthMethod string
	// RedirectURIs are the registered redirect URIs. A redirect_uri that is
	// sent must match one of them exactly (default clients also accept any
	// redirect URI on a loopback host). When none is sent and exactly one is
	// registered, that one is used.
	RedirectURIs []string
	// PublicKey verifies private_key_jwt assertions and request objects
	// (RFC 9101; see [PAROptions]), signed with any algorithm of
	// [DPoPOptions] that fits the key (RS256, PS256, ES256, EdDSA, ...).
	// client_secret_jwt assertions are HS256 with Secret.
	PublicKey crypto.PublicKey
	// RawBasic makes the provider read client_secret_basic credentials
	// without form-decoding them, like servers that do not follow RFC 6749
	// §2.3.1.
	RawBasic bool

	// anyLoopback lets the client use any redirect URI on a loopback host
	// (RFC 8252 §7.3); set for the default clients.
	anyLoopback bool
}

// OAuth2 is the OAuth 2.0 half of a [Provider]: an authorization server and
// OpenID provider with authorization, token, device authorization,
// revocation, introspection, pushed authorization request and UserInfo
// endpoints, discovery documents and a JWK Set, and a protected resource
// that takes bearer and DPoP-bound tokens. Configure its fields (those of
// the embedded [OIDCOptions], [DPoPOptions] and [PAROptions] included)
// before the first request; the counters and helper methods are safe for
// concurrent use at any time.
//
// Every JSON response carries Content-Type: application/json and
// Cache-Control: no-store, except the discovery documents and the JWKS,
// which may be cached (OIDCOptions.MetadataMaxAge). The authorization,
// token, device authorization, revocation, introspection and PAR endpoints
// treat a parameter sent without a value as omitted and refuse one sent
// twice, except resource (RFC 8707) and audience (RFC 8693), which may
// repeat (RFC 6749 §3.1, §3.2). Errors follow RFC 6749 §5.2: 400 with
// invalid_request, invalid_grant, invalid_scope, invalid_target,
// unauthorized_client, unsupported_grant_type, invalid_dpop_proof or
// use_dpop_nonce, and 401 invalid_client (with a Basic WWW-Authenticate
// challenge when the client used Basic). A DPoP proof is checked before
// client authentication; the quirks that fail requests (TokenStatus,
// RefreshStatus, ErrorWith200) apply after it, so the counters see every
// authenticated attempt.
type OAuth2 struct {
	// Clients are the registered clients, keyed by ID. NewProvider registers:
	//   - "basic-client" / "basic-secret" (client_secret_basic)
	//   - "post-client" / "post-secret" (client_secret_post)
	//   - "public-client" (none)
	//   - "jwt-client" / "jwt-secret-at-least-32-bytes-long!!" (client_secret_jwt)
	//   - "pkjwt-client" (private_key_jwt, PublicKey from OAuth2TestKey)
	//   - "1PpG/Q 1" / "z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw="
	//     (client_secret_basic; its characters must be form-encoded)
	// Each of them accepts any redirect URI on 127.0.0.1, [::1] or localhost.
	Clients map[string]*OAuth2Client
	// Users are the registered resource owners, username to password:
	// those the password grant accepts and those a browser may approve as
	// (see [OAuth2UserCookie]). Default {"alice": "wonderland"}.
	Users map[string]string
	// DefaultUser is the resource owner who approves authorization
	// requests that name no user (by [OAuth2UserCookie] or login_hint) and
	// device codes approved by the script or [OAuth2.ApproveDevice]. It
	// need not be in Users. If empty, "alice"; NewProvider sets "alice".
	DefaultUser string
	// AccessTokenTTL is the lifetime of issued access tokens. Zero means
	// the default, one hour; a negative value issues tokens that never
	// expire and omits expires_in.
	AccessTokenTTL time.Duration
	// RotateRefreshTokens makes every refresh issue a new refresh token and
	// invalidate the old one. Default true. When false the refresh response
	// carries no refresh_token and the old one stays valid.
	//
	// With rotation, a spent refresh token presented again is refused with
	// invalid_grant and, as Auth0, Okta and Keycloak do (RFC 9700 §4.14.2),
	// revokes its whole grant: every access and refresh token issued from
	// the same authorization (see [OAuth2.GrantsRevoked]).
	RotateRefreshTokens bool
	// SkipReuseDetection makes a spent refresh token presented again only
	// fail (invalid_grant), leaving the rest of its grant valid.
	SkipReuseDetection bool
	// RequirePKCE makes the authorization endpoint refuse requests from
	// public clients (AuthMethod "none") without a code_challenge.
	// Default true. Confidential clients may always omit PKCE; whenever a
	// code_challenge was sent the verifier is checked (S256 or plain).
	RequirePKCE bool
	// RequireIssuerAudience makes client authentication accept only
	// assertions (client_secret_jwt, private_key_jwt) whose aud is the
	// issuer identifier, a single string, as the AT Protocol's reference
	// server, FAPI 2.0 and draft-ietf-oauth-rfc7523bis do. Otherwise aud
	// may name the token endpoint, the endpoint the request was made to,
	// or the issuer (a string or an array). JWT bearer grant assertions
	// (RFC 7523 §2.1) are not affected.
	RequireIssuerAudience bool
	// DeviceInterval is the polling interval in seconds the device
	// authorization response announces. Default 5; tests set 0 or 1.
	// A negative value omits interval.
	DeviceInterval int
	// DeviceScript is what successive polls of one device code answer:
	// "authorization_pending", "slow_down", "approve", "access_denied" or
	// "expired_token" (any other entry is sent as an error code, with
	// status 400). After the script ends its last entry repeats.
	// Default {"authorization_pending", "approve"}. Polls past the device
	// code's expiry (600 s by Now) answer expired_token whatever the script.
	DeviceScript []string
	// DenyAuthorization makes the authorization endpoint redirect with
	// error=access_denied (and the state) instead of approving.
	DenyAuthorization bool

	// FormEncodedTokenResponse makes the token endpoint answer
	// application/x-www-form-urlencoded, errors included, unless the request
	// has Accept: application/json (GitHub). token_type is then "bearer".
	FormEncodedTokenResponse bool
	// StringExpiresIn sends expires_in as a JSON string, "3600" (Microsoft).
	StringExpiresIn bool
	// FloatExpiresIn sends expires_in as a JSON number with a fraction,
	// 3600.0.
	FloatExpiresIn bool
	// OmitTokenType leaves token_type out of token responses.
	OmitTokenType bool
	// ErrorWith200 makes the token endpoint answer every authenticated
	// request with HTTP 200 and {"ok":false,"error":"invalid_auth"} (Slack).
	ErrorWith200 bool
	// Delay is how long the token endpoint waits before it answers. The wait
	// ends early, without an answer, when the request's context is done.
	Delay time.Duration
	// OversizeBytes pads successful token responses with an extra
	// "padding" field until the body is at least this many bytes long.
	OversizeBytes int
	// TokenStatus, if nonzero, is the HTTP status the token endpoint answers
	// every authenticated request with, and the body
	// {"error":"temporarily_unavailable"}; a 503 also carries Retry-After: 1.
	TokenStatus int
	// RefreshStatus is TokenStatus for grant_type=refresh_token only.
	RefreshStatus int
	// Now is the clock for token and code expiry, device code expiry and
	// introspection times. If nil, time.Now is used.
	Now func() time.Time
	// Scope, if set, is the scope every token response reports and every
	// issued token gets, whatever was asked for (a provider that changed
	// the scope).
	Scope string

	// OIDCOptions configures the OpenID provider: issuer, ID tokens, and
	// the switches for attacks on the client.
	OIDCOptions
	// DPoPOptions configures DPoP (RFC 9449) and its nonces.
	DPoPOptions
	// PAROptions configures pushed authorization requests (RFC 9126) and
	// request objects (RFC 9101).
	PAROptions

	refreshes, tokensIssued, tokenRequests, resourceRequests atomic.Int64
	refreshReuses, grantsRevoked                             atomic.Int64
	discoveryRequests, jwksRequests, idTokensIssued          atomic.Int64
	userInfoRequests, dpopRefused, dpopNonceChallenges       atomic.Int64
	parRequests, requestObjectsRefused                       atomic.Int64

	// lastMu guards the last requests recorded for LastTokenRequest and
	// LastDeviceAuthRequest; it is never held with mu.
	lastMu                sync.Mutex
	lastToken, lastDevice url.Values

	// keyMu guards the signing keys; it is never held with mu.
	keyMu           sync.Mutex
	keySets         []*oidcKeySet // oldest first; the last signs
	heldBack        *oidcKeySet   // IDTokenUnknownKidOnce's, until a JWKS fetch
	unknownOnceDone bool
	unknownKeys     *oidcKeySet // IDTokenUnknownKid's, never published

	mu       sync.Mutex
	codes    map[string]*oauth2Code
	access   map[string]*oauth2Token
	refresh  map[string]*oauth2Token
	devices  map[string]*oauth2Device // by device_code
	userCode map[string]string        // user_code -> device_code
	jtis     map[string]time.Time     // assertion "jti" -> its "exp"
	families uint64
	spent    map[string]oauth2Spent // rotated refresh tokens
	revoked  map[uint64]bool        // families revoked for refresh token reuse
	pars     map[string]*oauth2PAR  // by request_uri
	dpopJTIs map[string]time.Time   // DPoP proof "jti" -> when to forget it
	// dpopNonce is the current DPoP nonce ("" until first needed), and
	// nonceUses how many proofs were accepted with it.
	dpopNonce string
	nonceUses int
}

// oauth2Spent is a refresh token that rotation replaced.
type oauth2Spent struct {
	family   uint64
	clientID string
}

// oauth2Token is an issued access or refresh token. Tokens of one grant (an
// authorization code and every refresh after it) share a family, so that
// revoking the refresh token or replaying the code revokes them all.
type oauth2Token struct {
	family   uint64
	clientID string
	username string
	scope    string
	aud      []string // resource and audience values it was issued for
	iat      time.Time
	exp      time.Time // zero: never expires
	authTime time.Time // when the end-user authorized the grant
	jkt      string    // DPoP key thumbprint the token is bound to, if any
}

// oauth2Code is an authorization code and what its request bound to it.
type oauth2Code struct {
	clientID    string
	redirectURI string // as sent in the authorization request, "" if none
	scope       string
	challenge   string
	method      string // "S256" or "plain" when challenge is set
	exp         time.Time
	used        bool
	family      uint64   // tokens issued from it, once used
	username    string   // who approved
	aud         []string // resource values of the request (RFC 8707)
	nonce       string   // OpenID Connect nonce of the request
	dpopJKT     string   // RFC 9449 §10 dpop_jkt of the request
	authTime    time.Time
}

// oauth2Device is a pending device authorization (RFC 8628).
type oauth2Device struct {
	clientID string
	scope    string
	userCode string
	exp      time.Time
	polls    int
	approved bool
	username string // who approved on the verification page, "" for DefaultUser
}

const (
	oauth2CodeTTL   = 10 * time.Minute
	oauth2DeviceTTL = 600 * time.Second
	oauth2MaxBody   = 1 << 20
)

func newOAuth2() *OAuth2 {
	pub := OAuth2TestKey.Public()
	clients := []*OAuth2Client{
		{ID: "basic-client", Secret: "basic-secret", AuthMethod: authSecretBasic},
		{ID: "post-client", Secret: "post-secret", AuthMethod: authSecretPost},
		{ID: "public-client", AuthMethod: authNone},
		{ID: "jwt-client", Secret: "jwt-secret-at-least-32-bytes-long!!", AuthMethod: authSecretJWT},
		{ID: "pkjwt-client", AuthMethod: authPrivateJWT, PublicKey: pub},
		{ID: "1PpG/Q 1", Secret: "z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw=", AuthMethod: authSecretBasic},
	}
	o := &OAuth2{
		Clients:             make(map[string]*OAuth2Client, len(clients)),
		Users:               map[string]string{"alice": "wonderland"},
		DefaultUser:         "alice",
		AccessTokenTTL:      time.Hour,
		RotateRefreshTokens: true,
		RequirePKCE:         true,
		DeviceInterval:      5,
		DeviceScript:        []string{"authorization_pending", "approve"},
		codes:               make(map[string]*oauth2Code),
		access:              make(map[string]*oauth2Token),
		refresh:             make(map[string]*oauth2Token),
		devices:             make(map[string]*oauth2Device),
		userCode:            make(map[string]string),
		jtis:                make(map[string]time.Time),
		spent:               make(map[string]oauth2Spent),
		revoked:             make(map[uint64]bool),
		pars:                make(map[string]*oauth2PAR),
		dpopJTIs:            make(map[string]time.Time),
	}
	first := *oidcFixedKeys
	o.keySets = []*oidcKeySet{&first}
	for _, c := range clients {
		c.anyLoopback = true
		o.Clients[c.ID] = c
	}
	return o
}

func (o *OAuth2) register(mux *http.ServeMux) {
	// Plain paths, not method patterns: the provider's catch-all "/" would
	// otherwise answer 404 to a wrong method instead of 405.
	mux.HandleFunc(OAuth2AuthorizePath, o.handleAuthorize)
	mux.HandleFunc(OAuth2TokenPath, o.handleToken)
	mux.HandleFunc(OAuth2DevicePath, o.handleDevice)
	mux.HandleFunc(OAuth2DeviceVerifyPath, o.handleDeviceVerify)
	mux.HandleFunc(OAuth2RevokePath, o.handleRevoke)
	mux.HandleFunc(OAuth2IntrospectPath, o.handleIntrospect)
	mux.HandleFunc(OAuth2ResourcePath, o.handleResource)
	mux.HandleFunc("/.well-known/", o.handleWellKnown)
	mux.HandleFunc(OAuth2OpenIDConfigurationPath, o.handleWellKnown)
	mux.HandleFunc(OAuth2JWKSPath, o.handleJWKS)
	mux.HandleFunc(OAuth2UserInfoPath, o.handleUserInfo)
	mux.HandleFunc(OAuth2PARPath, o.handlePAR)
}

// Refreshes returns how many refresh_token grant requests the token endpoint
// served once the client was authenticated, whether they succeeded or not.
// For one grant whose every refresh succeeded, Refreshes equals the number of
// access tokens that were replaced, TokensIssued minus one. It is safe for
// concurrent use.
func (o *OAuth2) Refreshes() int { return int(o.refreshes.Load()) }

// RefreshTokenReuses returns how many times a refresh token that rotation
// had already replaced was presented again, whether or not that revoked its
// grant. It is safe for concurrent use.
func (o *OAuth2) RefreshTokenReuses() int { return int(o.refreshReuses.Load()) }

// GrantsRevoked returns how many grants were revoked because a spent
// refresh token was presented again (each grant counts once). It is safe
// for concurrent use.
func (o *OAuth2) GrantsRevoked() int { return int(o.grantsRevoked.Load()) }

// TokensIssued returns how many access tokens the grants of the token
// endpoint and the implicit flow issued. Tokens minted with
// [OAuth2.IssueToken] are not counted. It is safe for concurrent use.
func (o *OAuth2) TokensIssued() int { return int(o.tokensIssued.Load()) }

// TokenRequests returns how many requests reached the token endpoint, valid
// or not. It is safe for concurrent use.
func (o *OAuth2) TokenRequests() int { return int(o.tokenRequests.Load()) }

// ResourceRequests returns how many requests the bearer-protected resource
// served with a valid token. It is safe for concurrent use.
func (o *OAuth2) ResourceRequests() int { return int(o.resourceRequests.Load()) }

// IssueToken mints an access token and a refresh token for clientID directly,
// without a grant, for tests that need a token in a given state. The access
// token expires ttl after Now when ttl > 0, never when ttl == 0, and is
// already expired (by -ttl) when ttl < 0; the refresh token does not expire.
// The tokens have no user (introspection reports clientID as sub) and no
// scope. It is safe for concurrent use; it does not change TokensIssued.
func (o *OAuth2) IssueToken(clientID string, ttl time.Duration) (access, refresh string) {
	now := o.now()
	var exp time.Time
	if ttl != 0 {
		exp = now.Add(ttl)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.families++
	t := oauth2Token{family: o.families, clientID: clientID, iat: now, exp: exp}
	access = o.storeAccessLocked(t)
	refresh = o.storeRefreshLocked(t)
	return access, refresh
}

// ApproveDevice marks the device authorization with userCode approved by
// DefaultUser: its next poll gets a token whatever DeviceScript says
// (unless the device code has expired). Unknown user codes are ignored.
// It is safe for concurrent use.
func (o *OAuth2) ApproveDevice(userCode string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if d, ok := o.devices[o.userCode[userCode]]; ok {
		d.approved = true
	}
}

func (o *OAuth2) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// ttl returns the access token lifetime, or 0 for tokens that do not expire.
func (o *OAuth2) ttl() time.Duration {
	switch {
	case o.AccessTokenTTL < 0:
		return 0
	case o.AccessTokenTTL == 0:
		return time.Hour
	}
	return o.AccessTokenTTL
}

// newFamilyLocked starts a token family. o.mu must be held.
func (o *OAuth2) newFamilyLocked() uint64 {
	o.families++
	return o.families
}

func (o *OAuth2) storeAccessLocked(t oauth2Token) string {
	v := oauth2Random("at_")
	o.access[v] = &t
	return v
}

func (o *OAuth2) storeRefreshLocked(t oauth2Token) string {
	t.exp = time.Time{}
	v := oauth2Random("rt_")
	o.refresh[v] = &t
	return v
}

// revokeGrantLocked revokes family for refresh token reuse.
func (o *OAuth2) revokeGrantLocked(family uint64) {
	o.revokeFamilyLocked(family)
	if !o.revoked[family] {
		o.revoked[family] = true
		o.grantsRevoked.Add(1)
	}
}

// revokeFamilyLocked removes every access and refresh token of family.
func (o *OAuth2) revokeFamilyLocked(family uint64) {
	for k, t := range o.access {
		if t.family == family {
			delete(o.access, k)
		}
	}
	for k, t := range o.refresh {
		if t.family == family {
			delete(o.refresh, k)
		}
	}
}

// liveAccessLocked returns the access token v if it exists and has not
// expired at now.
func (o *OAuth2) liveAccessLocked(v string, now time.Time) (*oauth2Token, bool) {
	t, ok := o.access[v]
	if !ok || t.expired(now) {
		return nil, false
	}
	return t, true
}

func (t *oauth2Token) expired(now time.Time) bool {
	return !t.exp.IsZero() && !now.Before(t.exp)
}

// oauth2Random returns prefix followed by 128 random bits, base64url-encoded.
func oauth2Random(prefix string) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("fakeprovider: crypto/rand failed: " + err.Error())
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// oauth2BaseURL returns the scheme and host the request was made to.
func oauth2BaseURL(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// oauth2ScopeSubset reports whether every scope in want is in have
// (space-separated lists, RFC 6749 §3.3).
func oauth2ScopeSubset(want, have string) bool {
	hs := strings.Fields(have)
	for _, w := range strings.Fields(want) {
		found := false
		for _, h := range hs {
			if h == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
