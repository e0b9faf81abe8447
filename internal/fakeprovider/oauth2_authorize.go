package fakeprovider

// The authorization endpoint (RFC 6749 §3.1, §4.1.1, §4.2.1) with PKCE
// (RFC 7636 §4.3), iss in every response (RFC 9207), pushed requests (RFC
// 9126 §4), request objects (RFC 9101 §5) and the OpenID Connect nonce and
// DPoP dpop_jkt it binds to the code. It approves at once, on behalf of
// the user approvingUser names, and answers in the response mode asked
// for: a redirect with the parameters in the query or the fragment, or a
// page that posts them (OAuth 2.0 Form Post Response Mode).

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"

	"github.com/oauthkit/oauth/internal/urlenc"
)

func (o *OAuth2) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	if !oauth2MethodAllowed(w, r, http.MethodGet) {
		return
	}
	q, err := urlenc.ParseForm(r.URL.RawQuery)
	if err != nil {
		http.Error(w, "fakeprovider: malformed query", http.StatusBadRequest)
		return
	}
	q = oauth2OmitEmpty(q)
	// Until client and redirect URI are known good, errors are shown to
	// the user, never redirected (RFC 6749 §4.1.2.1).
	c := o.Clients[q.Get("client_id")]
	if c == nil {
		http.Error(w, "fakeprovider: unknown client_id", http.StatusBadRequest)
		return
	}
	q, via, e := o.resolveAuthorizationRequest(r, c, q)
	if e != nil {
		http.Error(w, "fakeprovider: "+e.code+": "+e.desc, http.StatusBadRequest)
		return
	}
	q = oauth2OmitEmpty(q)
	sent, hasRedirect := q.Lookup("redirect_uri")
	redirect, ok := c.redirectURI(sent, hasRedirect)
	if !ok {
		http.Error(w, "fakeprovider: redirect_uri not registered for this client", http.StatusBadRequest)
		return
	}

	state, hasState := q.Lookup("state")
	responseType := q.Get("response_type")
	mode := responseMode(responseType, q.Get("response_mode"))
	iss := o.callbackIssuer(r)
	fail := func(code, desc string) {
		p := urlenc.Params{{Key: "error", Value: code}}
		if desc != "" {
			p.Add("error_description", desc)
		}
		if hasState {
			p.Add("state", state)
		}
		if iss != "" {
			p.Add("iss", iss) // RFC 9207 §2: errors too
		}
		oauth2Respond(w, r, redirect, p, mode)
	}
	if o.RequirePAR && !via.pushed {
		fail("invalid_request", "pushed authorization requests are required")
		return
	}
	if o.RequireSignedRequestObject && !via.signed {
		fail("invalid_request", "a signed request object is required")
		return
	}
	if e := o.checkAuthorizationParams(c, q); e != nil {
		fail(e.code, e.desc)
		return
	}
	if o.DenyAuthorization {
		fail("access_denied", "the user denied the request")
		return
	}
	user, ok := o.approvingUser(r, q)
	if !ok {
		fail("access_denied", "no such user")
		return
	}
	scope := q.Get("scope")
	resources := q.Values("resource")

	if responseType == "token" {
		o.mu.Lock()
		res := o.issueTokensLocked(oauth2Token{family: o.newFamilyLocked(), clientID: c.ID, username: user, scope: scope, aud: resources}, false)
		o.mu.Unlock()
		p := urlenc.Params{{Key: "access_token", Value: res.access}, {Key: "token_type", Value: "Bearer"}}
		if res.ttl > 0 {
			p.Add("expires_in", strconv.FormatInt(int64(res.ttl.Seconds()), 10))
		}
		if res.scope != "" {
			p.Add("scope", res.scope)
		}
		if hasState {
			p.Add("state", state)
		}
		if iss != "" {
			p.Add("iss", iss)
		}
		oauth2Respond(w, r, redirect, p, mode)
		return
	}

	challenge, hasChallenge := q.Lookup("code_challenge")
	method := q.Get("code_challenge_method")
	if hasChallenge && method == "" {
		method = "plain" // RFC 7636 §4.3
	}
	code := oauth2Random("code_")
	now := o.now()
	o.mu.Lock()
	o.codes[code] = &oauth2Code{
		clientID:    c.ID,
		redirectURI: sent,
		scope:       scope,
		challenge:   challenge,
		method:      method,
		exp:         now.Add(oauth2CodeTTL),
		family:      o.newFamilyLocked(),
		username:    user,
		aud:         resources,
		nonce:       q.Get("nonce"),
		dpopJKT:     q.Get("dpop_jkt"),
		authTime:    now,
	}
	o.mu.Unlock()
	p := urlenc.Params{{Key: "code", Value: code}}
	if hasState {
		p.Add("state", state)
	}
	if iss != "" {
		p.Add("iss", iss)
	}
	oauth2Respond(w, r, redirect, p, mode)
}

// authorizationVia says how an authorization request arrived.
type authorizationVia struct {
	pushed bool // through the PAR endpoint (RFC 9126)
	signed bool // as a request object (RFC 9101)
}

// resolveAuthorizationRequest returns the parameters of the authorization
// request q of client c: those pushed under q's request_uri (RFC 9126 §4),
// which must come with client_id alone; or q's with those of its request
// object (RFC 9101 §5) winning; or q itself.
func (o *OAuth2) resolveAuthorizationRequest(r *http.Request, c *OAuth2Client, q urlenc.Params) (urlenc.Params, authorizationVia, *oauth2Error) {
	if uri, ok := q.Lookup("request_uri"); ok {
		for _, kv := range q {
			if kv.Key != "client_id" && kv.Key != "request_uri" || q.Count(kv.Key) > 1 {
				return nil, authorizationVia{}, errInvalidRequest("a request_uri comes with client_id alone")
			}
		}
		par, e := o.pushedRequest(c, uri)
		if e != nil {
			return nil, authorizationVia{}, e
		}
		return par.params, authorizationVia{pushed: true, signed: par.signed}, nil
	}
	if obj, ok := q.Lookup("request"); ok {
		outer := q.Clone()
		outer.Del("request")
		p, err := o.requestObject(r, c, obj, outer)
		if err != nil {
			return nil, authorizationVia{}, &oauth2Error{status: http.StatusBadRequest, code: "invalid_request_object", desc: err.Error()}
		}
		return p, authorizationVia{signed: true}, nil
	}
	return q, authorizationVia{}, nil
}

// checkAuthorizationParams checks the parameters of an authorization
// request of client c whose redirect URI is known good: no parameter
// repeated but those that may be and resource URIs as oauth2CheckParams
// says, a supported response_type and response_mode, and PKCE as
// RequirePKCE and RFC 7636 §4.3 say. It is shared by the authorization and
// PAR endpoints.
func (o *OAuth2) checkAuthorizationParams(c *OAuth2Client, q urlenc.Params) *oauth2Error {
	if _, e := oauth2CheckParams(q); e != nil {
		return e
	}
	responseType := q.Get("response_type")
	if responseType != "code" && responseType != "token" {
		return &oauth2Error{status: http.StatusBadRequest, code: "unsupported_response_type"}
	}
	if mode, ok := q.Lookup("response_mode"); ok && responseMode(responseType, mode) != mode {
		// The token response never goes in a query (OAuth 2.0 Multiple
		// Response Type Encoding Practices §2.1).
		return errInvalidRequest("unsupported response_mode")
	}
	if responseType != "code" {
		return nil
	}
	challenge, hasChallenge := q.Lookup("code_challenge")
	method := q.Get("code_challenge_method")
	switch {
	case !hasChallenge && method != "":
		return errInvalidRequest("code_challenge_method without code_challenge")
	case !hasChallenge && c.AuthMethod == authNone && o.RequirePKCE:
		return errInvalidRequest("code_challenge required for public clients")
	case hasChallenge && method == "":
		method = "plain" // RFC 7636 §4.3
	}
	if hasChallenge && (method != "S256" && method != "plain" || !pkceSyntaxOK(challenge)) {
		return errInvalidRequest("unsupported code_challenge_method or malformed code_challenge")
	}
	return nil
}

// pkceSyntaxOK reports whether s is 43 to 128 unreserved characters, the
// syntax of both code_verifier and code_challenge (RFC 7636 §4.1, §4.2).
func pkceSyntaxOK(s string) bool {
	if len(s) < 43 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !urlenc.Unreserved(s[i]) {
			return false
		}
	}
	return true
}

// redirectURI returns where to send the user: the redirect_uri sent, if it
// is registered (or on a loopback host for clients that allow it), or the
// only registered URI when none was sent.
func (c *OAuth2Client) redirectURI(sent string, hasSent bool) (string, bool) {
	if !hasSent {
		if len(c.RedirectURIs) == 1 {
			return c.RedirectURIs[0], true
		}
		return "", false
	}
	u, err := url.Parse(sent)
	if err != nil || !u.IsAbs() || u.Fragment != "" || u.RawFragment != "" {
		return "", false // RFC 6749 §3.1.2: absolute, no fragment
	}
	for _, reg := range c.RedirectURIs {
		if sent == reg {
			return sent, true
		}
	}
	if c.anyLoopback && (u.Scheme == "http" || u.Scheme == "https") {
		host := u.Hostname()
		if host == "localhost" {
			return sent, true
		}
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			return sent, true
		}
	}
	return "", false
}

// responseMode returns how the response to an authorization request of
// responseType goes back to the client: the response_mode asked for,
// "query", "fragment" or "form_post", when it suits the response type, and
// otherwise the response type's default, "fragment" for the implicit flow
// and "query" for the code (OAuth 2.0 Multiple Response Type Encoding
// Practices §2.1: a token never goes in a query).
func responseMode(responseType, asked string) string {
	switch {
	case asked == "fragment" || asked == "form_post" || asked == "query" && responseType != "token":
		return asked
	case responseType == "token":
		return "fragment"
	}
	return "query"
}

// oauth2Respond sends the authorization response p to redirect in mode:
// a 302 with p in the redirect URI's query or, for the implicit flow
// (RFC 6749 §4.2.2), its fragment; or for "form_post" a 200 HTML page
// whose form posts p to it (see formPostPage).
func oauth2Respond(w http.ResponseWriter, r *http.Request, redirect string, p urlenc.Params, mode string) {
	var to string
	switch mode {
	case "form_post":
		page := formPostPage(redirect, p)
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-cache, no-store")
		h.Set("Pragma", "no-cache")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, page)
		return
	case "fragment":
		to = redirect + "#" + p.Encode()
	default:
		var err error
		if to, err = urlenc.AddParams(redirect, p); err != nil {
			http.Error(w, "fakeprovider: bad redirect_uri", http.StatusBadRequest)
			return
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, to, http.StatusFound)
}
