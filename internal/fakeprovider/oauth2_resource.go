package fakeprovider

// Revocation (RFC 7009), introspection (RFC 7662) and the protected
// resource (RFC 6750, RFC 9449 §7).

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// lookupLocked finds token v, trying the table token_type_hint names first
// (RFC 7009 §2.1, RFC 7662 §2.1). o.mu must be held.
func (o *OAuth2) lookupLocked(v, hint string) (t *oauth2Token, isRefresh bool) {
	if hint == "refresh_token" {
		if t := o.refresh[v]; t != nil {
			return t, true
		}
		return o.access[v], false
	}
	if t := o.access[v]; t != nil {
		return t, false
	}
	t = o.refresh[v]
	return t, t != nil
}

// tokenForm reads and authenticates a revocation or introspection request.
func (o *OAuth2) tokenForm(w http.ResponseWriter, r *http.Request) (*OAuth2Client, urlenc.Params, bool) {
	if !oauth2MethodAllowed(w, r, http.MethodPost) {
		return nil, nil, false
	}
	form, e := oauth2ReadForm(w, r)
	var c *OAuth2Client
	if e == nil {
		c, e = o.authenticateClient(r, form)
	}
	if e == nil && form.Get("token") == "" {
		e = errInvalidRequest("missing token")
	}
	if e != nil {
		oauth2WriteError(w, e)
		return nil, nil, false
	}
	return c, form, true
}

func (o *OAuth2) handleRevoke(w http.ResponseWriter, r *http.Request) {
	c, form, ok := o.tokenForm(w, r)
	if !ok {
		return
	}
	o.mu.Lock()
	v := form.Get("token")
	t, isRefresh := o.lookupLocked(v, form.Get("token_type_hint"))
	switch {
	case t == nil:
		// RFC 7009 §2.2: unknown tokens are not an error.
	case t.clientID != c.ID:
		o.mu.Unlock()
		oauth2WriteError(w, &oauth2Error{status: http.StatusBadRequest, code: "unauthorized_client", desc: "token was issued to another client"})
		return
	case isRefresh:
		// RFC 7009 §2.1: revoking a refresh token revokes its grant.
		o.revokeFamilyLocked(t.family)
	default:
		delete(o.access, v)
	}
	o.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

func (o *OAuth2) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	_, form, ok := o.tokenForm(w, r)
	if !ok {
		return
	}
	now := o.now()
	o.mu.Lock()
	t, isRefresh := o.lookupLocked(form.Get("token"), form.Get("token_type_hint"))
	var tc oauth2Token
	if t != nil {
		tc = *t
	}
	o.mu.Unlock()
	if t == nil || tc.expired(now) {
		oauth2WriteJSON(w, http.StatusOK, map[string]any{"active": false})
		return
	}
	sub := tc.username
	if sub == "" {
		sub = tc.clientID
	}
	m := map[string]any{
		"active":    true,
		"client_id": tc.clientID,
		"sub":       sub,
		"iat":       tc.iat.Unix(),
		"iss":       oauth2BaseURL(r),
	}
	if tc.scope != "" {
		m["scope"] = tc.scope
	}
	if tc.username != "" {
		m["username"] = tc.username
	}
	if !isRefresh {
		m["token_type"] = "Bearer"
		if tc.jkt != "" {
			m["token_type"] = "DPoP"
		}
	}
	if tc.jkt != "" {
		m["cnf"] = map[string]string{"jkt": tc.jkt} // RFC 9449 §6.2
	}
	switch len(tc.aud) { // RFC 7662 §2.2, as RFC 7519 §4.1.3 writes it
	case 0:
	case 1:
		m["aud"] = tc.aud[0]
	default:
		m["aud"] = tc.aud
	}
	if !tc.exp.IsZero() {
		m["exp"] = tc.exp.Unix()
	}
	oauth2WriteJSON(w, http.StatusOK, m)
}

// OAuth2Echo is the JSON body of [OAuth2ResourcePath]: who called it and
// how, once the token was accepted.
type OAuth2Echo struct {
	// OK is true.
	OK bool `json:"ok"`
	// ClientID is the client the token was issued to.
	ClientID string `json:"client_id"`
	// Username is the resource owner who authorized the token; "" for a
	// token of a grant without one (client credentials, IssueToken).
	Username string `json:"username"`
	// Scope is the token's scope.
	Scope string `json:"scope"`
	// Method is where the token was found: "header", "body" or "query".
	Method string `json:"method"`
	// HTTPMethod is the request's method, GET or POST.
	HTTPMethod string `json:"http_method"`
	// Query holds the first value of each query parameter but
	// access_token.
	Query map[string]string `json:"query"`
	// Aud is the token's audience: the resource and audience values it
	// was issued for (see [OAuth2.LastTokenRequest]).
	Aud []string `json:"aud,omitempty"`
	// TokenType is "DPoP" for a DPoP-bound token, and empty otherwise.
	TokenType string `json:"token_type,omitempty"`
	// JKT is the thumbprint of the key a DPoP-bound token is bound to
	// (RFC 9449 §6.1).
	JKT string `json:"jkt,omitempty"`
}

// handleResource serves a protected echo. The token may be in the
// Authorization header (Bearer or DPoP), a form body, or the access_token
// query parameter, but in only one of them (RFC 6750 §2).
func (o *OAuth2) handleResource(w http.ResponseWriter, r *http.Request) {
	if !oauth2MethodAllowed(w, r, http.MethodGet, http.MethodPost) {
		return
	}
	rc, ok := o.authorizeResource(w, r)
	if !ok {
		return
	}
	o.resourceRequests.Add(1)
	q := make(map[string]string, len(rc.query))
	for k, vs := range rc.query {
		q[k] = vs[0]
	}
	echo := OAuth2Echo{
		OK:         true,
		ClientID:   rc.tok.clientID,
		Username:   rc.tok.username,
		Scope:      rc.tok.scope,
		Method:     rc.method,
		HTTPMethod: r.Method,
		Query:      q,
		Aud:        rc.tok.aud,
		JKT:        rc.tok.jkt,
	}
	if rc.tok.jkt != "" {
		echo.TokenType = "DPoP"
	}
	oauth2WriteJSON(w, http.StatusOK, echo)
}

// resourceCaller is the token a protected request presented, and how.
type resourceCaller struct {
	tok    oauth2Token
	method string     // "header", "body" or "query"
	scheme string     // "Bearer" or "DPoP"
	query  url.Values // the request's query without access_token
}

// authorizeResource finds the access token of a request to a protected
// endpoint and checks it, answering the request itself when it fails:
//   - a token in more than one place: 400 invalid_request (RFC 6750 §3.1);
//   - no token: 401, WWW-Authenticate: Bearer and DPoP algs="..." without
//     an error (RFC 9449 §7.2);
//   - Authorization: DPoP without a valid proof for this request and
//     token: 401 DPoP error="invalid_dpop_proof", or "use_dpop_nonce" with
//     a DPoP-Nonce header when the nonce is missing or stale (§7.1, §9);
//   - an unknown, revoked or expired token: 401 error="invalid_token" in
//     the challenge of the scheme used;
//   - a DPoP-bound token sent as a bearer token, a bearer token sent with
//     the DPoP scheme, or a proof by a key other than the token's: 401
//     DPoP error="invalid_token" (§7.1, §7.2).
func (o *OAuth2) authorizeResource(w http.ResponseWriter, r *http.Request) (*resourceCaller, bool) {
	nonceOn := o.RequireResourceDPoPNonce
	o.setDPoPNonce(w, nonceOn)
	var found []string
	var token, scheme string
	authz := r.Header.Values("Authorization")
	if len(authz) > 1 {
		found = append(found, "header", "header")
	} else if len(authz) == 1 {
		h := authz[0]
		for _, sch := range []string{"Bearer", "DPoP"} {
			if n := len(sch) + 1; len(h) > n && strings.EqualFold(h[:n], sch+" ") {
				token, scheme = strings.TrimSpace(h[n:]), sch
				found = append(found, "header")
			}
		}
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); r.Method == http.MethodPost && mt == "application/x-www-form-urlencoded" {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, oauth2MaxBody))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "fakeprovider: request body too large", http.StatusRequestEntityTooLarge)
			return nil, false
		}
		if p, err := urlenc.ParseForm(string(body)); err == nil && p.Has("access_token") {
			token, scheme = p.Get("access_token"), "Bearer"
			found = append(found, "body")
		}
	}
	query := r.URL.Query()
	if query.Has("access_token") {
		token, scheme = query.Get("access_token"), "Bearer"
		found = append(found, "query")
		query.Del("access_token")
	}
	switch {
	case len(found) > 1:
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_request"`)
		oauth2WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "token sent in more than one way"})
		return nil, false
	case len(found) == 0:
		// RFC 6750 §3.1: no error code when no credentials were sent.
		w.Header().Set("WWW-Authenticate", "Bearer")
		w.Header().Add("WWW-Authenticate", "DPoP "+dpopAlgsParam)
		oauth2WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "missing token"})
		return nil, false
	}

	var proof *dpopProof
	if scheme == "DPoP" {
		var de *dpopError
		proof, de = o.checkDPoP(r, token, nonceOn)
		if de == nil && proof == nil {
			de = dpopInvalid("DPoP proof missing")
			o.dpopRefused.Add(1)
		}
		o.setDPoPNonce(w, nonceOn)
		if de != nil {
			writeChallenge(w, http.StatusUnauthorized, "DPoP", de.code, de.desc)
			return nil, false
		}
	}
	o.mu.Lock()
	t, ok := o.liveAccessLocked(token, o.now())
	var tc oauth2Token
	if ok {
		tc = *t
	}
	o.mu.Unlock()
	switch {
	case !ok:
		writeChallenge(w, http.StatusUnauthorized, scheme, "invalid_token", "")
		return nil, false
	case scheme == "DPoP" && tc.jkt == "":
		writeChallenge(w, http.StatusUnauthorized, "DPoP", "invalid_token", "the access token is not DPoP-bound")
		return nil, false
	case scheme == "DPoP" && tc.jkt != proof.jkt:
		writeChallenge(w, http.StatusUnauthorized, "DPoP", "invalid_token", "Invalid DPoP key binding")
		return nil, false
	case scheme == "Bearer" && tc.jkt != "":
		writeChallenge(w, http.StatusUnauthorized, "DPoP", "invalid_token", "a DPoP-bound access token sent as a bearer token")
		return nil, false
	}
	return &resourceCaller{tok: tc, method: found[0], scheme: scheme, query: query}, true
}

// writeChallenge answers a protected request with status, a JSON error body
// and a WWW-Authenticate challenge of scheme with error code (RFC 6750 §3,
// RFC 9449 §7.1). A Bearer challenge is followed by a DPoP challenge with
// the algorithms the provider accepts; a DPoP challenge carries them. desc
// must hold no quote or backslash.
func writeChallenge(w http.ResponseWriter, status int, scheme, code, desc string) {
	c := scheme + ` error="` + code + `"`
	if scheme == "DPoP" {
		if desc != "" {
			c += `, error_description="` + desc + `"`
		}
		c += ", " + dpopAlgsParam
		w.Header().Set("WWW-Authenticate", c)
	} else {
		w.Header().Set("WWW-Authenticate", c)
		w.Header().Add("WWW-Authenticate", "DPoP "+dpopAlgsParam)
	}
	m := map[string]string{"error": code}
	if desc != "" {
		m["error_description"] = desc
	}
	oauth2WriteJSON(w, status, m)
}
