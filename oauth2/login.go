package oauth2

import (
	"context"
	"crypto/subtle"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// A Login is one pending authorization request (RFC 6749 §4.1.1): where to
// send the user, and what the callback is checked against. A web server
// makes one per sign-in with Config.NewLogin, keeps it where it keeps that
// user's data, and completes it on the callback with Config.CompleteLogin.
// Many logins of one Config may be pending at once; each is completed with
// its own value.
//
// State, CodeVerifier and Nonce are secrets: keep a Login server-side, or
// in a cookie that is HttpOnly, Secure and SameSite=Lax (SameSite=None
// for a response_mode=form_post callback, a cross-site POST), and delete
// it once the login completes, so that it completes once. In a cookie it
// must be encrypted and authenticated with a key only the server holds
// (AES-GCM, say), not just encoded: a Login is what CompleteLogin trusts,
// and one the user agent edited (another State or CodeVerifier,
// ResponseType "token" to take a token from the fragment, another Issuer
// or RedirectURL) changes what it accepts. Its JSON form
// (field names below) is for that storage and carries them all. String
// and Format, with every fmt verb, mask CodeVerifier, the one that never
// leaves the server (State and Nonce are in URL too).
type Login struct {
	// URL is the authorization URL to send the user to.
	URL string `json:"url"`
	// State is the state parameter the callback must carry (RFC 6749
	// §10.12).
	State string `json:"state"`
	// CodeVerifier is the PKCE verifier (RFC 7636 §4.1), sent with the
	// code; empty without PKCE.
	CodeVerifier string `json:"code_verifier,omitempty"`
	// Nonce is the OpenID Connect nonce (OpenID Connect Core §3.1.2.1)
	// the request carries, for the ID token's check: 128 random bits when
	// the scope Config.Scopes makes holds "openid", or the one set with
	// SetAuthURLParam("nonce", n).
	Nonce string `json:"nonce,omitempty"`
	// RedirectURL is the redirect_uri of the request, repeated in the
	// token request (RFC 6749 §4.1.3); empty if none was sent.
	RedirectURL string `json:"redirect_url,omitempty"`
	// ResponseType is "code", or "token" for ImplicitFlow.
	ResponseType string `json:"response_type,omitempty"`
	// Issuer is the authorization server's issuer identifier,
	// Endpoint.Issuer, which an "iss" in the callback must equal (RFC
	// 9207 §2.4); empty when not known.
	Issuer string `json:"issuer,omitempty"`
	// Expiry is when URL stops working: the expiry of the request_uri of
	// a pushed login (RFC 9126 §2.2), or the "exp" of the request object
	// a login sends in its URL (RFC 9101), five minutes after NewLogin;
	// zero for other logins. Send the user before then. The callback of
	// a login completed later is still checked and exchanged: the server
	// decides.
	Expiry time.Time `json:"expiry,omitempty"`
	// DPoPNonce is the DPoP nonce (RFC 9449 §8) the pushed authorization
	// request endpoint gave in its answer to the push, or "" (no DPoP, no
	// push, no nonce). The token request that completes the login puts it
	// in its proof when the token endpoint has the PAR endpoint's origin,
	// so that a server that demands nonces is not asked twice in one
	// login. It is not a secret; a stale one costs one use_dpop_nonce
	// resend.
	DPoPNonce string `json:"dpop_nonce,omitempty"`
}

// String describes l with CodeVerifier masked.
func (l Login) String() string {
	return "oauth2.Login{URL:" + strconv.Quote(l.URL) + " State:" + strconv.Quote(l.State) +
		" CodeVerifier:" + urlenc.Mask(l.CodeVerifier) + " Nonce:" + strconv.Quote(l.Nonce) +
		" RedirectURL:" + strconv.Quote(l.RedirectURL) + " ResponseType:" + strconv.Quote(l.ResponseType) +
		" Issuer:" + strconv.Quote(l.Issuer) + expiryString(l.Expiry) + nonceString(l.DPoPNonce) + "}"
}

func nonceString(n string) string {
	if n == "" {
		return ""
	}
	return " DPoPNonce:" + strconv.Quote(n)
}

func expiryString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " Expiry:" + t.UTC().Format(time.RFC3339)
}

// Format implements fmt.Formatter: every verb prints String (quoted for
// %q), so that no verb reaches CodeVerifier.
func (l Login) Format(f fmt.State, verb rune) { urlenc.Format(f, verb, l.String()) }

// NewLogin returns a new pending authorization request (RFC 6749 §4.1.1):
// a Login whose URL carries response_type=code, client_id,
// Config.RedirectURL, Config.Scopes, a state of 128 random bits, an S256
// PKCE challenge of a fresh verifier (RFC 7636 §4.2; Config.PKCE changes
// it), and a nonce of 128 random bits when the scopes hold "openid"
// (OpenID Connect Core 1.0 §3.1.2.1); Login.Issuer is Endpoint.Issuer.
// The query of Endpoint.AuthURL is kept. Options change the request:
// WithState, WithPKCE, S256ChallengeOption, ImplicitFlow,
// AccessTypeOffline, ApprovalForce, BindCodeToDPoPKey (dpop_jkt, RFC 9449
// §10), SetParam, SetAuthURLParam (SetAuthURLParam("nonce", n) sends n as
// the nonce, and Login.Nonce is n; so with "state" and Login.State, and
// "redirect_uri" and Login.RedirectURL).
//
// With SignedRequestObject, or for a server with
// Endpoint.RequireSignedRequestObject, the request goes as a request
// object (RFC 9101 §4) signed with Config.Signer (ErrNoSigner without
// one), its audience Endpoint.Issuer (ErrNoEndpoint without one), valid
// for five minutes; the URL then carries client_id and the object in
// "request" (and, for OpenID Connect, response_type and scope, which
// OpenID Connect Core 1.0 §6.1 wants outside too).
//
// With PushedAuthorization, or for a server with Endpoint.RequirePushedAuth,
// the request (or its request object) is pushed to Endpoint.PushedAuthURL
// with client authentication and, with Config.DPoP, a DPoP proof (RFC 9126
// §2.1, RFC 9449 §10.1), and the URL carries only client_id and the
// request_uri the server returned (§4). The push is NewLogin's only
// network request, bounded by ctx (and Config.Timeout when ctx has no
// deadline); a refusal is an *Error with Endpoint "pushed authorization"
// (RFC 9126 §2.3), which errors.Is matches with the sentinel of its
// code, such as ErrInvalidRequest. Login.Expiry says until when the URL
// works: send the user before then.
//
// Without a push NewLogin makes no request. It fails if Config.Rand does,
// or Endpoint.AuthURL does not parse.
func (c *Config) NewLogin(ctx context.Context, opts ...Option) (*Login, error) {
	o := collect(opts)
	l := &Login{State: o.state, RedirectURL: c.RedirectURL, ResponseType: "code", Issuer: c.Endpoint.Issuer}
	if o.responseType != "" {
		l.ResponseType = o.responseType
	}
	if l.State == "" {
		st, err := randomString(c.rand(), 16)
		if err != nil {
			return nil, err
		}
		l.State = st
	}
	p := urlenc.Params{
		{Key: "response_type", Value: l.ResponseType},
		{Key: "client_id", Value: c.ClientID},
	}
	if c.RedirectURL != "" {
		p.Add("redirect_uri", c.RedirectURL)
	}
	if len(c.Scopes) > 0 {
		p.Add("scope", c.scope())
	}
	p.Add("state", l.State)
	pk := c.PKCE
	if o.pkce != nil {
		pk = *o.pkce
	}
	if o.challenged != "" {
		pk, l.CodeVerifier = PKCES256, o.challenged
	}
	if pk != PKCEOff && l.ResponseType == "code" {
		if l.CodeVerifier == "" {
			v, err := randomString(c.rand(), 32)
			if err != nil {
				return nil, err
			}
			l.CodeVerifier = v
		}
		if pk == PKCEPlain {
			p.Add("code_challenge", l.CodeVerifier)
			p.Add("code_challenge_method", "plain")
		} else {
			p.Add("code_challenge", S256ChallengeFromVerifier(l.CodeVerifier))
			p.Add("code_challenge_method", "S256")
		}
	}
	// Scopes are joined with spaces: {"openid profile"} asks for OpenID
	// Connect as {"openid", "profile"} does.
	openID := slices.Contains(strings.Split(c.scope(), " "), "openid")
	if openID {
		n, err := randomString(c.rand(), 16)
		if err != nil {
			return nil, err
		}
		p.Add("nonce", n)
	}
	if o.bindDPoP {
		if c.DPoP == nil {
			return nil, fmt.Errorf("%w: BindCodeToDPoPKey needs Config.DPoP", ErrNoDPoPKey)
		}
		p.Add("dpop_jkt", c.DPoP.Thumbprint())
	}
	o.applyParams(&p, true)
	// What the request carries, an option's included: the callback is
	// checked against the state sent, and the token request repeats the
	// redirect_uri sent (RFC 6749 §4.1.3).
	l.State, l.RedirectURL, l.Nonce = p.Get("state"), p.Get("redirect_uri"), p.Get("nonce")
	push := o.push || c.Endpoint.RequirePushedAuth
	if o.sign || c.Endpoint.RequireSignedRequestObject {
		now := c.now()
		obj, err := c.requestObject(p, now)
		if err != nil {
			return nil, err
		}
		l.Expiry = now.Add(requestObjectLifetime)
		q := urlenc.Params{{Key: "client_id", Value: c.ClientID}}
		if !push && openID {
			q.Add("response_type", l.ResponseType)
			q.Add("scope", p.Get("scope"))
		}
		q.Add("request", obj)
		p = q
	}
	if push {
		uri, exp, nonce, err := c.pushAuthorization(ctx, p)
		if err != nil {
			return nil, err
		}
		l.Expiry = exp // the request object, if any, was checked at the push
		l.DPoPNonce = nonce
		p = urlenc.Params{{Key: "client_id", Value: c.ClientID}, {Key: "request_uri", Value: uri}}
	}
	u, err := urlenc.AddParams(c.Endpoint.AuthURL, p)
	if err != nil {
		return nil, fmt.Errorf("oauth2: authorization endpoint: %w", err)
	}
	l.URL = u
	return l, nil
}

// CompleteLogin completes l with r, the request the user's browser made to
// the redirect URL: its query for a GET, its form body for a POST
// (response_mode=form_post), read through Config.MaxBodyBytes, or
// r.PostForm when the form was parsed already (by r.ParseForm or
// r.FormValue, whose own limit then applied). See
// CompleteLoginURL for what it checks and returns; a login made with
// ImplicitFlow reads the token from those parameters.
func (c *Config) CompleteLogin(ctx context.Context, l *Login, r *http.Request, opts ...Option) (*Token, error) {
	var (
		q   urlenc.Params
		err error
	)
	if r.Method == http.MethodPost {
		q, err = c.formPost(r)
	} else if q, err = urlenc.ParseForm(r.URL.RawQuery); err != nil {
		err = ErrMalformedCallback // err quotes part of the query
	}
	if err != nil {
		return nil, err
	}
	return c.complete(ctx, l, q, opts)
}

// formPost reads the parameters of a form_post response (OAuth 2.0 Form
// Post Response Mode §2).
func (c *Config) formPost(r *http.Request) (urlenc.Params, error) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return nil, ErrMalformedCallback
	}
	if r.PostForm != nil {
		// Parsed already (r.ParseForm, r.FormValue): the body is spent.
		var q urlenc.Params
		keys := make([]string, 0, len(r.PostForm))
		for k := range r.PostForm {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			for _, v := range r.PostForm[k] {
				q.Add(k, v)
			}
		}
		return q, nil
	}
	if r.Body == nil {
		return nil, nil
	}
	b, err := readLimited(r.Body, c.maxBody())
	if err != nil {
		return nil, fmt.Errorf("oauth2: authorization response: %w", err)
	}
	q, err := urlenc.ParseForm(string(b))
	if err != nil {
		return nil, ErrMalformedCallback // err quotes the body
	}
	return q, nil
}

// CompleteLoginURL completes l with callbackURL, the URL the user's
// browser was sent back to (a relative URL such as r.URL.String() will
// do): the parameters of its query, or of its fragment for a login made
// with ImplicitFlow (RFC 6749 §4.1.2, §4.2.2).
//
// Before any token request it checks the state against l.State in
// constant time (ErrStateMismatch; ErrNoState for a nil l or one without
// state); then the issuer, on error responses too (RFC 9207 §2.4): an
// "iss" must be l.Issuer byte for byte, or Config.Endpoint.Issuer for a
// login without one, and appear once (ErrIssuerMismatch), and a callback
// without "iss" is refused when Endpoint.IssuerParameter says the server
// always sends it (ErrMissingIssuer); with neither issuer known, an "iss"
// is not checked. It then turns an error response into an *Error
// (errors.Is(err, ErrAccessDenied) when the user said no), and requires a
// code (ErrMissingCode); a URL that does not parse, or carries state or
// code more than once (RFC 6749 §3.1), gives ErrMalformedCallback. Last,
// it exchanges the code for a token with l.RedirectURL and l.CodeVerifier
// (RFC 6749 §4.1.3); an implicit login's token is read from the fragment
// instead, with no request. ctx bounds the token request; opts add to it
// (SetParam, SetAuthURLParam).
//
// Completing a login more than once is the app's to prevent: it deletes
// the Login it stored (a second exchange of the code fails with
// ErrInvalidGrant at servers that, as RFC 6749 §4.1.2 says, refuse it).
func (c *Config) CompleteLoginURL(ctx context.Context, l *Login, callbackURL string, opts ...Option) (*Token, error) {
	part := urlenc.Query
	if l != nil && l.ResponseType == "token" {
		part = urlenc.Fragment
	}
	q, err := urlenc.ParseURLParams(callbackURL, part)
	if err != nil {
		return nil, ErrMalformedCallback // err quotes the URL
	}
	return c.complete(ctx, l, q, opts)
}

// CompleteLoginCode completes l with the code and state of a callback a
// front end received and passed on, as a backend for a single-page or
// mobile app does, and its "iss" given with WithIssuer: pass it on too,
// since a server that sends it (Endpoint.IssuerParameter) is refused
// without it. It checks and exchanges them as CompleteLoginURL does.
func (c *Config) CompleteLoginCode(ctx context.Context, l *Login, code, state string, opts ...Option) (*Token, error) {
	q := urlenc.Params{{Key: "state", Value: state}}
	if code != "" {
		q.Add("code", code)
	}
	if iss := collect(opts).issuer; iss != "" {
		q.Add("iss", iss)
	}
	if l != nil && l.ResponseType == "token" {
		return nil, fmt.Errorf("oauth2: an implicit login has no code: %w", ErrMissingCode)
	}
	return c.complete(ctx, l, q, opts)
}

// complete checks the parameters q of the authorization response to l
// and obtains the token.
func (c *Config) complete(ctx context.Context, l *Login, q urlenc.Params, opts []Option) (*Token, error) {
	if l == nil || l.State == "" {
		return nil, ErrNoState
	}
	// RFC 6749 §3.1: a parameter is not repeated. Two values would leave
	// the check to one and the exchange, or another layer of the app, to
	// the other.
	for _, k := range [...]string{"state", "code"} {
		if n := len(q.Values(k)); n > 1 {
			return nil, fmt.Errorf("%w: the callback carries %s %d times", ErrMalformedCallback, k, n)
		}
	}
	if subtle.ConstantTimeCompare([]byte(l.State), []byte(q.Get("state"))) != 1 {
		return nil, ErrStateMismatch
	}
	if err := c.checkIssuer(l, q.Values("iss")); err != nil {
		return nil, err
	}
	if q.Has("error") {
		return nil, callbackError(q, l.CodeVerifier)
	}
	if l.ResponseType == "token" {
		return implicitToken(q, c.now())
	}
	code := q.Get("code")
	if code == "" {
		return nil, ErrMissingCode
	}
	return c.exchange(ctx, code, l.RedirectURL, l.CodeVerifier, collect(opts), c.loginNonces(l.DPoPNonce))
}

// checkIssuer checks iss, the values of the "iss" parameter of the
// authorization response to l, against the login's issuer (RFC 9207
// §2.4).
func (c *Config) checkIssuer(l *Login, iss []string) error {
	want := l.Issuer
	if want == "" {
		want = c.Endpoint.Issuer
	}
	switch {
	case len(iss) > 1:
		return fmt.Errorf("%w: the callback carries iss %d times", ErrIssuerMismatch, len(iss))
	case len(iss) == 0 && c.Endpoint.IssuerParameter:
		return ErrMissingIssuer
	case len(iss) == 1 && want != "" && iss[0] != want:
		return fmt.Errorf("%w: the callback's iss is %q, not %q", ErrIssuerMismatch, clip(iss[0], maxHost), clip(want, maxHost))
	}
	return nil
}

// implicitToken reads the token of an implicit grant (RFC 6749 §4.2.2)
// from the parameters of the redirect; expires_in counts from now.
func implicitToken(q urlenc.Params, now time.Time) (*Token, error) {
	m := make(map[string]any, len(q))
	for _, kv := range q {
		if _, dup := m[kv.Key]; !dup && kv.Key != "state" {
			m[kv.Key] = kv.Value
		}
	}
	return tokenFromValues("authorization", m, true, now)
}
