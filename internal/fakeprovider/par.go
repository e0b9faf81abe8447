package fakeprovider

// Pushed authorization requests (RFC 9126) and request objects (RFC 9101):
// the PAR endpoint, the request_uri values it hands out, and the check of a
// signed request object, at the PAR endpoint or the authorization endpoint.

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// PAROptions configures pushed authorization requests (RFC 9126) and
// request objects (RFC 9101). Its fields are part of [OAuth2] (embedded);
// set them before the first request.
//
// The PAR endpoint ([OAuth2PARPath]) takes a POST with client
// authentication as the token endpoint does and the authorization request
// parameters in the form body (or a request object in "request"), checks
// them as the authorization endpoint would (redirect_uri, response_type,
// PKCE, ...; errors are JSON, 400, or 401 invalid_client), and answers 201
// {"request_uri":"urn:ietf:params:oauth:request_uri:...","expires_in":N}.
// A DPoP proof sent to it binds the code to the proof's key as dpop_jkt
// does (RFC 9449 §10.1). The authorization endpoint then takes client_id
// and request_uri, and nothing else; a request_uri that is unknown, of
// another client, expired or already used once is refused.
//
// A request object ("request" parameter, at either endpoint) is a JWS
// signed with the client's PublicKey (RS256, RS384, RS512, PS256, PS384,
// PS512, ES256, ES384, ES512 or EdDSA) whose typ, if present, is
// "oauth-authz-req+jwt" or "JWT"; its claims must have iss equal to the
// client_id and aud naming the issuer (a string or an array), client_id (if
// present) equal to the client's, exp (if present) in the future, nbf (if
// present) in the past, and no request or request_uri. Its other claims are
// the authorization request parameters, and win over those outside it
// (OpenID Connect Core 1.0 §6.3.3); non-string values become their JSON
// text.
//
// A request_uri or request object that fails at the authorization endpoint
// is answered 400 with "fakeprovider: <error code>: <description>" in the
// body, not redirected: the redirect URI it holds cannot be trusted.
type PAROptions struct {
	// RequirePAR makes the authorization endpoint refuse requests that do
	// not come through the PAR endpoint, with an error redirect
	// (invalid_request), and the metadata say
	// require_pushed_authorization_requests (RFC 9126 §5).
	RequirePAR bool
	// PARLifetime is how long a request_uri stays valid. Zero means 60
	// seconds.
	PARLifetime time.Duration
	// RequireSignedRequestObject makes the PAR and authorization endpoints
	// refuse authorization requests without a request object (RFC 9101
	// §10.5): invalid_request, as JSON at the PAR endpoint and as an error
	// redirect at the authorization endpoint.
	RequireSignedRequestObject bool
}

// parRequestURIPrefix begins every request_uri (RFC 9126 §2.2).
const parRequestURIPrefix = "urn:ietf:params:oauth:request_uri:"

// oauth2PAR is a pushed authorization request.
type oauth2PAR struct {
	clientID string
	params   urlenc.Params
	signed   bool // came as a request object
	exp      time.Time
	used     bool
}

// PARRequests returns how many requests reached the PAR endpoint, valid or
// not. It is safe for concurrent use.
func (o *OAuth2) PARRequests() int { return int(o.parRequests.Load()) }

// RequestObjectsRefused returns how many request objects the PAR and
// authorization endpoints refused. It is safe for concurrent use.
func (o *OAuth2) RequestObjectsRefused() int { return int(o.requestObjectsRefused.Load()) }

func (o *OAuth2) handlePAR(w http.ResponseWriter, r *http.Request) {
	o.parRequests.Add(1)
	if !oauth2MethodAllowed(w, r, http.MethodPost) {
		return
	}
	o.setDPoPNonce(w, o.RequireDPoPNonce)
	p, signed, jkt, e := o.readPAR(w, r)
	o.setDPoPNonce(w, o.RequireDPoPNonce)
	if e != nil {
		oauth2WriteError(w, e)
		return
	}
	if jkt != "" {
		if sent, ok := p.Lookup("dpop_jkt"); ok && sent != jkt {
			oauth2WriteError(w, errInvalidRequest("dpop_jkt does not match the DPoP proof's key"))
			return
		}
		p.Set("dpop_jkt", jkt)
	}
	uri := parRequestURIPrefix + oauth2Random("")
	ttl := o.PARLifetime
	if ttl <= 0 {
		ttl = 60 * time.Second
	}
	o.mu.Lock()
	o.pars[uri] = &oauth2PAR{clientID: p.Get("client_id"), params: p, signed: signed, exp: o.now().Add(ttl)}
	o.mu.Unlock()
	oauth2WriteJSON(w, http.StatusCreated, map[string]any{"request_uri": uri, "expires_in": int64(ttl / time.Second)})
}

// readPAR reads, authenticates and checks a pushed authorization request
// (RFC 9126 §2.1). It returns the authorization request parameters, with
// client_id set, whether they came as a request object, and the thumbprint
// of the key of the request's DPoP proof, if any.
func (o *OAuth2) readPAR(w http.ResponseWriter, r *http.Request) (p urlenc.Params, signed bool, jkt string, e *oauth2Error) {
	form, e := oauth2ReadForm(w, r)
	if e != nil {
		return nil, false, "", e
	}
	proof, de := o.checkDPoP(r, "", o.RequireDPoPNonce)
	if de != nil {
		return nil, false, "", &oauth2Error{status: http.StatusBadRequest, code: de.code, desc: de.desc}
	}
	if proof != nil {
		jkt = proof.jkt
	}
	c, e := o.authenticateClient(r, form)
	if e != nil {
		return nil, false, "", e
	}
	p = form.Clone()
	for _, k := range []string{"client_secret", "client_assertion", "client_assertion_type"} {
		p.Del(k)
	}
	if p.Has("request_uri") {
		return nil, false, "", errInvalidRequest("request_uri cannot be pushed")
	}
	if obj, ok := p.Lookup("request"); ok {
		p.Del("request")
		var err error
		if p, err = o.requestObject(r, c, obj, p); err != nil {
			return nil, false, "", &oauth2Error{status: http.StatusBadRequest, code: "invalid_request_object", desc: err.Error()}
		}
		signed = true
	} else if o.RequireSignedRequestObject {
		return nil, false, "", errInvalidRequest("a signed request object is required")
	}
	if id, ok := p.Lookup("client_id"); ok && id != c.ID {
		return nil, false, "", errInvalidRequest("client_id is not the authenticated client")
	}
	p.Set("client_id", c.ID)
	sent, hasRedirect := p.Lookup("redirect_uri")
	if _, ok := c.redirectURI(sent, hasRedirect); !ok {
		return nil, false, "", errInvalidRequest("redirect_uri not registered for this client")
	}
	if e := o.checkAuthorizationParams(c, p); e != nil {
		return nil, false, "", e
	}
	return p, signed, jkt, nil
}

// requestObject checks the request object obj of client c (RFC 9101 §6)
// and returns the parameters of outer overridden by its claims.
func (o *OAuth2) requestObject(r *http.Request, c *OAuth2Client, obj string, outer urlenc.Params) (urlenc.Params, error) {
	p, err := o.verifyRequestObject(r, c, obj, outer)
	if err != nil {
		o.requestObjectsRefused.Add(1)
	}
	return p, err
}

func (o *OAuth2) verifyRequestObject(r *http.Request, c *OAuth2Client, obj string, outer urlenc.Params) (urlenc.Params, error) {
	j, err := parseJWS(obj)
	if err != nil {
		return nil, err
	}
	if typ, ok := j.headerString("typ"); ok && !strings.EqualFold(typ, "oauth-authz-req+jwt") && !strings.EqualFold(typ, "JWT") {
		return nil, joseError("request object typ is not oauth-authz-req+jwt")
	}
	if c.PublicKey == nil {
		return nil, joseError("client has no registered public key")
	}
	if err := verifyJWS(j.alg, c.PublicKey, j.signingInput, j.sig); err != nil {
		return nil, err
	}
	var claims map[string]json.RawMessage
	if json.Unmarshal(j.payload, &claims) != nil || claims == nil {
		return nil, joseError("request object claims are not a JSON object")
	}
	str := func(name string) (string, bool) {
		var s string
		raw, ok := claims[name]
		return s, ok && json.Unmarshal(raw, &s) == nil
	}
	if iss, _ := str("iss"); iss != c.ID {
		return nil, joseError("request object iss is not the client_id")
	}
	if _, ok := claims["client_id"]; ok {
		if s, _ := str("client_id"); s != c.ID {
			return nil, joseError("request object client_id is not the client's")
		}
	}
	if !audienceNames(claims["aud"], o.issuer(r)) {
		return nil, joseError("request object aud does not name the issuer")
	}
	now := o.now()
	num := func(name string) (float64, bool, error) {
		raw, ok := claims[name]
		if !ok {
			return 0, false, nil
		}
		var f float64
		if json.Unmarshal(raw, &f) != nil {
			return 0, true, joseError("request object " + name + " is not a number")
		}
		return f, true, nil
	}
	if exp, ok, err := num("exp"); err != nil {
		return nil, err
	} else if ok && !now.Before(time.Unix(int64(exp), 0)) {
		return nil, joseError("request object expired")
	}
	if nbf, ok, err := num("nbf"); err != nil {
		return nil, err
	} else if ok && now.Before(time.Unix(int64(nbf), 0)) {
		return nil, joseError("request object not yet valid")
	}
	if _, ok := claims["request"]; ok {
		return nil, joseError("request object holds request")
	}
	if _, ok := claims["request_uri"]; ok {
		return nil, joseError("request object holds request_uri")
	}

	p := outer.Clone()
	names := make([]string, 0, len(claims))
	for k := range claims {
		switch k {
		case "iss", "aud", "exp", "nbf", "iat", "jti":
			// JWT claims, not authorization request parameters.
		default:
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		v := string(claims[k])
		var s string
		if json.Unmarshal(claims[k], &s) == nil {
			v = s
		}
		p.Set(k, v)
	}
	return p, nil
}

// audienceNames reports whether aud, a JSON string or array of strings,
// contains want.
func audienceNames(aud json.RawMessage, want string) bool {
	var one string
	if json.Unmarshal(aud, &one) == nil {
		return one == want
	}
	var list []string
	if json.Unmarshal(aud, &list) != nil {
		return false
	}
	for _, a := range list {
		if a == want {
			return true
		}
	}
	return false
}

// pushedRequest returns the parameters pushed as request_uri by client c,
// marking the request_uri used. It fails for a request_uri that is unknown,
// of another client, expired or used (RFC 9126 §4).
func (o *OAuth2) pushedRequest(c *OAuth2Client, uri string) (*oauth2PAR, *oauth2Error) {
	fail := func(desc string) *oauth2Error {
		return &oauth2Error{status: http.StatusBadRequest, code: "invalid_request_uri", desc: desc}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	par := o.pars[uri]
	switch {
	case par == nil || par.clientID != c.ID:
		return nil, fail("unknown request_uri")
	case par.used:
		return nil, fail("request_uri already used")
	}
	par.used = true
	if !o.now().Before(par.exp) {
		return nil, fail("request_uri expired")
	}
	cp := *par
	cp.params = par.params.Clone()
	return &cp, nil
}
