package oidc

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
	"github.com/oauthkit/oauth/signer/jose"
)

// hmacAlgs are the JWS algorithms keyed with the client secret.
var hmacAlgs = []string{jose.HS256, jose.HS384, jose.HS512}

// Scopes of OpenID Connect Core 1.0 (coreos/go-oidc's names): ScopeOpenID
// makes an authorization request an OpenID Connect one, with an ID token
// (§3.1.2.1); ScopeOfflineAccess asks for a refresh token (§11).
const (
	ScopeOpenID        = "openid"
	ScopeOfflineAccess = "offline_access"
)

// DefaultLeeway is the clock skew an [IDTokenVerifier] allows when
// Config.Leeway is 0.
const DefaultLeeway = time.Minute

// Config configures an [IDTokenVerifier] (coreos/go-oidc's name and
// fields, plus ClientSecret and Leeway). The zero value of each field is
// the safe choice, except ClientID, which must be set.
//
// String and Format never print ClientSecret.
type Config struct {
	// ClientID is the client identifier that "aud" must contain. It is
	// required unless SkipClientIDCheck.
	ClientID string
	// ClientSecret, if set, verifies ID tokens signed with an HMAC
	// algorithm (HS256, HS384, HS512; OpenID Connect Core 1.0 §10.1), for
	// providers that sign them with the client secret. Without it, such a
	// token is refused, and a public key is never an HMAC key: the "alg"
	// of a token signed with HS256 and a provider's public key (the
	// key-confusion attack) fails with [ErrInvalidSignature].
	ClientSecret string
	// SupportedSigningAlgs are the JWS algorithms accepted. If empty: for
	// a verifier from [Provider.Verifier], those of the metadata's
	// id_token_signing_alg_values_supported that this package implements;
	// otherwise (or if that leaves none) RS256, RS384, RS512, PS256,
	// PS384, PS512, ES256, ES384, ES512 and EdDSA, and HS256, HS384 and
	// HS512 when ClientSecret is set. "none" is never accepted.
	SupportedSigningAlgs []string
	// SkipClientIDCheck skips the "aud" and "azp" checks, for tokens whose
	// audience the caller checks itself.
	SkipClientIDCheck bool
	// SkipExpiryCheck skips the "exp" check. Only for tests and tokens
	// known to be old on purpose.
	SkipExpiryCheck bool
	// SkipIssuerCheck skips the "iss" check, for multi-tenant providers
	// whose tokens name each tenant as issuer (other than Microsoft
	// Entra's, which [Provider.Verifier] checks); the caller must then
	// check IDToken.Issuer itself.
	SkipIssuerCheck bool
	// Leeway is the clock skew allowed in the "exp", "nbf", "iat" and
	// "auth_time" checks; if 0, DefaultLeeway; if negative, none.
	Leeway time.Duration
	// Now returns the current time, against which "exp", "nbf", "iat"
	// and "auth_time" are checked; if nil, time.Now. Set it in tests to
	// fix the clock.
	Now func() time.Time
}

// String describes c without its secret.
func (c Config) String() string {
	return fmt.Sprintf("oidc.Config{ClientID:%q,ClientSecret:%s,SupportedSigningAlgs:%q,SkipClientIDCheck:%t,SkipExpiryCheck:%t,SkipIssuerCheck:%t,Leeway:%s}",
		urlenc.Clip(c.ClientID, maxQuoted), urlenc.Mask(c.ClientSecret), c.SupportedSigningAlgs,
		c.SkipClientIDCheck, c.SkipExpiryCheck, c.SkipIssuerCheck, c.Leeway)
}

// Format implements fmt.Formatter: every verb prints String (quoted for
// %q), so that no verb prints the secret.
func (c Config) Format(f fmt.State, verb rune) { urlenc.Format(f, verb, c.String()) }

// IDTokenVerifier verifies ID tokens of one issuer for one client
// (OpenID Connect Core 1.0 §3.1.3.7, §3.2.2.11, §12.2), whether they come
// from this client's token requests or reach an API by other means.
// Create one with [NewVerifier] or [Provider.Verifier]. A token's "iss"
// must be the verifier's issuer byte for byte, except that Google's
// scheme-less "accounts.google.com" is accepted for
// "https://accounts.google.com" (see [IDTokenVerifier.Verify]). It is
// safe for concurrent use by multiple goroutines. String and Format, with
// every fmt verb, never print the client secret.
type IDTokenVerifier struct {
	issuer   string
	tenant   string // a tenant issuer template (see tenantIssuer), or ""
	keySet   KeySet
	clientID string
	algs     []string
	hmac     map[string]*jose.HMAC // verifiers keyed with the client secret
	skipAud  bool
	skipExp  bool
	skipIss  bool
	leeway   time.Duration
	now      func() time.Time
}

// String describes v by issuer, client ID and algorithms: never the
// client secret its HMAC verifiers hold.
func (v IDTokenVerifier) String() string {
	return fmt.Sprintf("oidc.IDTokenVerifier{Issuer:%q,ClientID:%q,Algs:%q}",
		urlenc.Clip(v.issuer, maxQuoted), urlenc.Clip(v.clientID, maxQuoted), v.algs)
}

// Format implements fmt.Formatter: every verb prints String (quoted for
// %q), so that no verb reaches the client secret, which fmt would print
// from v's fields with a verb such as %s.
func (v IDTokenVerifier) Format(f fmt.State, verb rune) { urlenc.Format(f, verb, v.String()) }

// NewVerifier returns a verifier of the ID tokens that issuer signs with
// the keys of keySet, for the client config describes. config is copied;
// a nil config is an empty one, which accepts no token (it has no
// ClientID).
func NewVerifier(issuer string, keySet KeySet, config *Config) *IDTokenVerifier {
	return newVerifier(issuer, keySet, config, nil)
}

// Verifier returns a verifier of p's ID tokens for the client config
// describes, with p's JWK Set ([Provider.KeySet]). When
// config.SupportedSigningAlgs is empty, the algorithms are those p's
// metadata lists in id_token_signing_alg_values_supported (see Config).
//
// For Microsoft Entra's multi-tenant issuers (see [NewProvider]), a
// token's "iss" must be the metadata's issuer with "{tenantid}" replaced
// by the token's "tid" claim, a tenant ID: users of every tenant pass, so
// an app that serves only some tenants checks IDToken.Issuer (or "tid")
// against its own list.
func (p *Provider) Verifier(config *Config) *IDTokenVerifier {
	m := p.Metadata()
	v := newVerifier(p.issuer, p.keys, config, m.IDTokenSigningAlgValuesSupported)
	if m.Issuer != p.issuer { // a tenant template: NewProvider checked it
		v.tenant = m.Issuer
	}
	return v
}

func newVerifier(issuer string, keySet KeySet, config *Config, advertised []string) *IDTokenVerifier {
	var c Config
	if config != nil {
		c = *config
	}
	v := &IDTokenVerifier{issuer: issuer, keySet: keySet, clientID: c.ClientID,
		skipAud: c.SkipClientIDCheck, skipExp: c.SkipExpiryCheck, skipIss: c.SkipIssuerCheck,
		leeway: c.Leeway, now: c.Now}
	switch {
	case v.leeway == 0:
		v.leeway = DefaultLeeway
	case v.leeway < 0:
		v.leeway = 0
	}
	if v.now == nil {
		v.now = time.Now
	}
	// The algorithms this package implements, the HMAC ones only with a
	// secret to key them.
	implemented := asymmetricAlgs
	if c.ClientSecret != "" {
		implemented = append(append([]string(nil), asymmetricAlgs...), hmacAlgs...)
	}
	wanted := c.SupportedSigningAlgs
	if len(wanted) == 0 {
		wanted = advertised
	}
	for _, a := range wanted {
		if contains(implemented, a) && !contains(v.algs, a) {
			v.algs = append(v.algs, a)
		}
	}
	if len(c.SupportedSigningAlgs) == 0 && len(v.algs) == 0 {
		v.algs = implemented
	}
	for _, a := range v.algs {
		if contains(hmacAlgs, a) {
			h, err := jose.NewHMAC(a, []byte(c.ClientSecret))
			if err == nil {
				if v.hmac == nil {
					v.hmac = make(map[string]*jose.HMAC)
				}
				v.hmac[a] = h
			}
		}
	}
	return v
}

// A VerifyOption is an expectation about one ID token that
// [IDTokenVerifier.Verify] checks, beyond those every token must meet.
// It is sealed: use the functions of this package.
type VerifyOption interface{ apply(*expectations) }

type expectations struct {
	nonce       *string
	accessToken *string
	code        *string
	maxAge      *time.Duration
	previous    *IDToken
}

type optionFunc func(*expectations)

func (f optionFunc) apply(e *expectations) { f(e) }

// WithNonce expects the token's "nonce" to be nonce, the one the
// authentication request sent (§3.1.3.7 step 11): a token without it or
// with another fails with [ErrNonceMismatch]. An empty nonce says none was
// sent: a token with a nonce then fails the same way (it answers some
// other request). The comparison takes constant time.
func WithNonce(nonce string) VerifyOption {
	return optionFunc(func(e *expectations) { e.nonce = &nonce })
}

// WithAccessToken checks the token's "at_hash", when it has one, against
// accessToken, the access token that came with it (§3.1.3.8): a different
// hash fails with [ErrAccessTokenHashMismatch]. A token from the token
// endpoint may omit at_hash; use [IDToken.VerifyAccessToken] to require
// it (as the implicit flow does, §3.2.2.9).
func WithAccessToken(accessToken string) VerifyOption {
	return optionFunc(func(e *expectations) { e.accessToken = &accessToken })
}

// WithCode checks the token's "c_hash", when it has one, against code,
// the authorization code that came with it in a hybrid flow response
// (§3.3.2.11): a different hash fails with [ErrCodeHashMismatch].
func WithCode(code string) VerifyOption {
	return optionFunc(func(e *expectations) { e.code = &code })
}

// WithMaxAge expects the end-user to have authenticated at most maxAge
// ago, plus the leeway, as the authentication request's max_age asked
// (§3.1.3.7 step 13): a token without "auth_time", or with an older one,
// fails with [ErrAuthTime].
func WithMaxAge(maxAge time.Duration) VerifyOption {
	return optionFunc(func(e *expectations) { e.maxAge = &maxAge })
}

// WithPrevious checks a token from a refresh against previous, the ID
// token it replaces (§12.2): the same "iss" ([ErrIssuerMismatch]), "sub"
// ([ErrSubjectMismatch]), "aud" as a set and "azp"
// ([ErrAudienceMismatch]); an "auth_time", if both have one, that is not
// earlier ([ErrAuthTime]); and a "nonce", if any, that is previous's
// ([ErrNonceMismatch]). A nil previous checks nothing.
func WithPrevious(previous *IDToken) VerifyOption {
	return optionFunc(func(e *expectations) { e.previous = previous })
}

// Verify checks the ID token raw and returns its claims. In order:
//
//   - raw is a compact JWS and its "typ", if any, is "JWT" or
//     "application/jwt" ([ErrMalformedToken]);
//   - its "alg" is one the verifier accepts, never "none", an HMAC
//     algorithm only with Config.ClientSecret as key, and the signature
//     verifies, with the key set's key for its "kid" and "alg" or the
//     client secret ([ErrInvalidSignature], [ErrUnknownKey]);
//   - the claims are a JSON object without duplicate members, with iss,
//     sub, aud, exp and iat, of their types ([ErrMalformedToken]);
//   - "iss" is the verifier's issuer, byte for byte ([ErrIssuerMismatch]),
//     with two exceptions: for the issuer "https://accounts.google.com",
//     "accounts.google.com" passes too, since Google documents either
//     form as the iss of its ID tokens (as coreos/go-oidc accepts); and a
//     verifier of a Microsoft Entra multi-tenant issuer wants the
//     tenant's issuer named by "tid" (see [Provider.Verifier]);
//     IDToken.Issuer is the token's own;
//   - "aud" contains the client ID and, with several audiences, "azp" is
//     the client ID ([ErrAudienceMismatch]);
//   - "exp" has not passed ([TokenExpiredError]), and neither "nbf" nor
//     "iat" is in the future ([ErrNotValidYet]), each with the leeway;
//   - then what opts expect: [WithNonce], [WithAccessToken], [WithCode],
//     [WithMaxAge], [WithPrevious].
//
// ctx bounds a fetch of the JWK Set, if one is needed. No error contains
// the token or a value opts hold.
func (v *IDTokenVerifier) Verify(ctx context.Context, raw string, opts ...VerifyOption) (*IDToken, error) {
	var e expectations
	for _, o := range opts {
		if o != nil {
			o.apply(&e)
		}
	}
	if !v.skipAud && v.clientID == "" {
		return nil, fmt.Errorf("oidc: the verifier has no client id: set Config.ClientID (or SkipClientIDCheck)")
	}
	payload, alg, err := v.verifySignature(ctx, raw)
	if err != nil {
		return nil, err
	}
	t, err := parseIDToken(payload)
	if err != nil {
		return nil, err
	}
	t.alg = alg
	if err := v.checkClaims(t); err != nil {
		return nil, err
	}
	if err := v.checkExpectations(t, &e); err != nil {
		return nil, err
	}
	return t, nil
}

// verifySignature checks raw's header and signature and returns its
// payload and algorithm.
func (v *IDTokenVerifier) verifySignature(ctx context.Context, raw string) ([]byte, string, error) {
	h, err := jose.ParseHeader(raw)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrMalformedToken, err)
	}
	switch strings.ToLower(h.Type) {
	case "", "jwt", "application/jwt":
	default:
		// Another kind of JWT (RFC 8725 §3.11): an access token
		// ("at+jwt"), a logout token, a DPoP proof.
		return nil, "", fmt.Errorf("%w: typ %s is not an id token's", ErrMalformedToken, quote(h.Type))
	}
	if !contains(v.algs, h.Algorithm) {
		why := "is not one the verifier accepts"
		switch {
		case h.Algorithm == "none":
			why = "is unsigned"
		case contains(hmacAlgs, h.Algorithm) && v.hmac == nil:
			why = "needs Config.ClientSecret, and is never keyed with a public key"
		}
		return nil, "", fmt.Errorf("%w: %w: alg %s %s", ErrInvalidSignature, jose.ErrAlgorithmMismatch, quote(h.Algorithm), why)
	}
	if hm := v.hmac[h.Algorithm]; hm != nil {
		_, payload, err := jose.VerifyCompact(hm, raw)
		if err != nil {
			return nil, "", signatureError(err)
		}
		return payload, h.Algorithm, nil
	}
	if v.keySet == nil {
		return nil, "", fmt.Errorf("%w: the verifier has no key set", ErrUnknownKey)
	}
	payload, err := v.keySet.VerifySignature(ctx, raw)
	if err != nil {
		return nil, "", err
	}
	return payload, h.Algorithm, nil
}

// Google's issuer identifier, and the form without the scheme that
// Google documents as the other possible "iss" of its ID tokens
// (https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken).
const (
	googleIssuer         = "https://accounts.google.com"
	googleIssuerNoScheme = "accounts.google.com"
)

// issuerMatches reports whether iss, the "iss" of an ID token, names the
// issuer want: byte for byte, or Google's scheme-less form for Google.
func issuerMatches(iss, want string) bool {
	return iss == want || want == googleIssuer && iss == googleIssuerNoScheme
}

// tenantPlaceholder stands for the tenant in the issuer that Microsoft
// Entra's multi-tenant endpoints ("common", "organizations") publish,
// "https://login.microsoftonline.com/{tenantid}/v2.0": each ID token's
// "iss" names its user's tenant, which its "tid" claim holds
// (https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-the-issuer).
const tenantPlaceholder = "{tenantid}"

// isTenantTemplate reports whether template, the issuer of the discovery
// document fetched for issuer, is a tenant template for it: it holds
// "{tenantid}" once, and issuer is template with "common" or
// "organizations" in its place.
func isTenantTemplate(template, issuer string) bool {
	if strings.Count(template, tenantPlaceholder) != 1 {
		return false
	}
	for _, t := range [...]string{"common", "organizations"} {
		if strings.Replace(template, tenantPlaceholder, t, 1) == issuer {
			return true
		}
	}
	return false
}

// tenantIssuer returns template with "{tenantid}" replaced by tid, or ""
// when tid is not a tenant ID: a GUID, 36 characters, hexadecimal digits
// with hyphens at 8, 13, 18 and 23.
func tenantIssuer(template, tid string) string {
	if len(tid) != 36 {
		return ""
	}
	for i := 0; i < len(tid); i++ {
		c := tid[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return ""
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'f') {
				return ""
			}
		}
	}
	return strings.Replace(template, tenantPlaceholder, tid, 1)
}

// checkIssuer checks the token's "iss": v's issuer (see issuerMatches), or
// for a verifier of a tenant template, the template with the token's
// "tid".
func (v *IDTokenVerifier) checkIssuer(t *IDToken) error {
	if v.skipIss || issuerMatches(t.Issuer, v.issuer) {
		return nil
	}
	if v.tenant == "" {
		return fmt.Errorf("%w: the id token's iss is %s, not %s", ErrIssuerMismatch, quote(t.Issuer), quote(v.issuer))
	}
	// The claims by exact name: a struct field would take "TID" too.
	var obj map[string]json.RawMessage
	tid := ""
	if t.Claims(&obj) == nil {
		tid, _, _ = getString(obj, "tid")
	}
	if t.Issuer != tenantIssuer(v.tenant, tid) {
		return fmt.Errorf("%w: the id token's iss is %s, not %s with its tid %s", ErrIssuerMismatch, quote(t.Issuer), quote(v.tenant), quote(tid))
	}
	return nil
}

// checkClaims checks iss, aud, azp, exp, nbf and iat.
func (v *IDTokenVerifier) checkClaims(t *IDToken) error {
	if err := v.checkIssuer(t); err != nil {
		return err
	}
	if !v.skipAud {
		if !contains(t.Audience, v.clientID) {
			return fmt.Errorf("%w: the id token's aud %s does not contain the client id", ErrAudienceMismatch, quote(strings.Join(t.Audience, " ")))
		}
		if len(t.Audience) > 1 && t.AuthorizedParty != v.clientID {
			return fmt.Errorf("%w: the id token has several audiences and its azp %s is not the client id", ErrAudienceMismatch, quote(t.AuthorizedParty))
		}
	}
	now := v.now()
	if !v.skipExp && now.After(t.Expiry.Add(v.leeway)) {
		return &TokenExpiredError{Expiry: t.Expiry}
	}
	if !t.NotBefore.IsZero() && now.Add(v.leeway).Before(t.NotBefore) {
		return fmt.Errorf("%w: nbf is %s", ErrNotValidYet, t.NotBefore.Format(time.RFC3339))
	}
	if now.Add(v.leeway).Before(t.IssuedAt) {
		return fmt.Errorf("%w: iat is %s", ErrNotValidYet, t.IssuedAt.Format(time.RFC3339))
	}
	return nil
}

// checkExpectations checks what the options of Verify ask for.
func (v *IDTokenVerifier) checkExpectations(t *IDToken, e *expectations) error {
	if e.nonce != nil && subtle.ConstantTimeCompare([]byte(t.Nonce), []byte(*e.nonce)) != 1 {
		switch {
		case *e.nonce == "":
			return fmt.Errorf("%w: the id token has a nonce, and none was sent", ErrNonceMismatch)
		case t.Nonce == "":
			return fmt.Errorf("%w: the id token has no nonce", ErrNonceMismatch)
		}
		return fmt.Errorf("%w: the id token's nonce is another one", ErrNonceMismatch)
	}
	if e.accessToken != nil && t.AccessTokenHash != "" {
		if err := checkHash(ErrAccessTokenHashMismatch, "at_hash", t.alg, t.AccessTokenHash, *e.accessToken); err != nil {
			return err
		}
	}
	if e.code != nil && t.CodeHash != "" {
		if err := checkHash(ErrCodeHashMismatch, "c_hash", t.alg, t.CodeHash, *e.code); err != nil {
			return err
		}
	}
	if e.maxAge != nil {
		if t.AuthTime.IsZero() {
			return fmt.Errorf("%w: a max age was asked for and the id token has no auth_time", ErrAuthTime)
		}
		if v.now().After(t.AuthTime.Add(*e.maxAge + v.leeway)) {
			return fmt.Errorf("%w: the end-user authenticated at %s, longer ago than the max age %s",
				ErrAuthTime, t.AuthTime.Format(time.RFC3339), *e.maxAge)
		}
	}
	if e.previous != nil {
		return checkRefreshed(e.previous, t)
	}
	return nil
}

// checkRefreshed checks next, an ID token from a refresh, against prev,
// the one it replaces (OpenID Connect Core 1.0 §12.2).
func checkRefreshed(prev, next *IDToken) error {
	switch {
	case !issuerMatches(next.Issuer, prev.Issuer) && !issuerMatches(prev.Issuer, next.Issuer):
		return fmt.Errorf("%w: the refreshed id token's iss is %s, not %s", ErrIssuerMismatch, quote(next.Issuer), quote(prev.Issuer))
	case next.Subject != prev.Subject:
		return fmt.Errorf("%w: the refreshed id token's sub is %s, not %s", ErrSubjectMismatch, quote(next.Subject), quote(prev.Subject))
	case !sameSet(next.Audience, prev.Audience):
		return fmt.Errorf("%w: the refreshed id token's aud is %s, not %s", ErrAudienceMismatch,
			quote(strings.Join(next.Audience, " ")), quote(strings.Join(prev.Audience, " ")))
	case next.AuthorizedParty != prev.AuthorizedParty:
		return fmt.Errorf("%w: the refreshed id token's azp is %s, not %s", ErrAudienceMismatch, quote(next.AuthorizedParty), quote(prev.AuthorizedParty))
	case !prev.AuthTime.IsZero() && !next.AuthTime.IsZero() && next.AuthTime.Before(prev.AuthTime):
		return fmt.Errorf("%w: the refreshed id token's auth_time is earlier than the original's", ErrAuthTime)
	case next.Nonce != "" && subtle.ConstantTimeCompare([]byte(next.Nonce), []byte(prev.Nonce)) != 1:
		return fmt.Errorf("%w: the refreshed id token's nonce is not the original's", ErrNonceMismatch)
	}
	return nil
}

// sameSet reports whether a and b hold the same strings.
func sameSet(a, b []string) bool {
	for _, s := range a {
		if !contains(b, s) {
			return false
		}
	}
	for _, s := range b {
		if !contains(a, s) {
			return false
		}
	}
	return true
}
