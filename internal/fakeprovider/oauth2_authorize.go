package fakeprovider

// The authorization endpoint (RFC 6749 §3.1, §4.1.1, §4.2.1) with PKCE
// (RFC 7636 §4.3). It approves at once, on behalf of oauth2DefaultUser.

import (
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
	// Until client and redirect URI are known good, errors are shown to
	// the user, never redirected (RFC 6749 §4.1.2.1).
	c := o.Clients[q.Get("client_id")]
	if c == nil {
		http.Error(w, "fakeprovider: unknown client_id", http.StatusBadRequest)
		return
	}
	sent, hasRedirect := q.Lookup("redirect_uri")
	redirect, ok := c.redirectURI(sent, hasRedirect)
	if !ok {
		http.Error(w, "fakeprovider: redirect_uri not registered for this client", http.StatusBadRequest)
		return
	}

	state, hasState := q.Lookup("state")
	responseType := q.Get("response_type")
	fail := func(code, desc string) {
		p := urlenc.Params{{Key: "error", Value: code}}
		if desc != "" {
			p.Add("error_description", desc)
		}
		if hasState {
			p.Add("state", state)
		}
		oauth2Redirect(w, r, redirect, p, responseType == "token")
	}
	for i, kv := range q {
		if q[:i].Has(kv.Key) {
			fail("invalid_request", "parameter "+kv.Key+" repeated")
			return
		}
	}
	if responseType != "code" && responseType != "token" {
		fail("unsupported_response_type", "")
		return
	}
	if o.DenyAuthorization {
		fail("access_denied", "the user denied the request")
		return
	}
	scope := q.Get("scope")

	if responseType == "token" {
		o.mu.Lock()
		res := o.issueLocked(o.newFamilyLocked(), c.ID, oauth2DefaultUser, scope, false)
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
		oauth2Redirect(w, r, redirect, p, true)
		return
	}

	challenge, hasChallenge := q.Lookup("code_challenge")
	method := q.Get("code_challenge_method")
	switch {
	case !hasChallenge && method != "":
		fail("invalid_request", "code_challenge_method without code_challenge")
		return
	case !hasChallenge && c.AuthMethod == authNone && o.RequirePKCE:
		fail("invalid_request", "code_challenge required for public clients")
		return
	case hasChallenge && method == "":
		method = "plain" // RFC 7636 §4.3
	}
	if hasChallenge && (method != "S256" && method != "plain" || !pkceSyntaxOK(challenge)) {
		fail("invalid_request", "unsupported code_challenge_method or malformed code_challenge")
		return
	}

	code := oauth2Random("code_")
	o.mu.Lock()
	o.codes[code] = &oauth2Code{
		clientID:    c.ID,
		redirectURI: sent,
		scope:       scope,
		challenge:   challenge,
		method:      method,
		exp:         o.now().Add(oauth2CodeTTL),
		family:      o.newFamilyLocked(),
	}
	o.mu.Unlock()
	p := urlenc.Params{{Key: "code", Value: code}}
	if hasState {
		p.Add("state", state)
	}
	oauth2Redirect(w, r, redirect, p, false)
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

// oauth2Redirect answers 302 to redirect with p in its query, or in its
// fragment for the implicit flow (RFC 6749 §4.2.2).
func oauth2Redirect(w http.ResponseWriter, r *http.Request, redirect string, p urlenc.Params, fragment bool) {
	var to string
	if fragment {
		to = redirect + "#" + p.Encode()
	} else {
		var err error
		if to, err = urlenc.AddParams(redirect, p); err != nil {
			http.Error(w, "fakeprovider: bad redirect_uri", http.StatusBadRequest)
			return
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, to, http.StatusFound)
}
