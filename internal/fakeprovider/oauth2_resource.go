package fakeprovider

// Revocation (RFC 7009), introspection (RFC 7662) and the bearer-protected
// resource (RFC 6750).

import (
	"errors"
	"io"
	"mime"
	"net/http"
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
	}
	if !tc.exp.IsZero() {
		m["exp"] = tc.exp.Unix()
	}
	oauth2WriteJSON(w, http.StatusOK, m)
}

// handleResource serves a bearer-protected echo. The token may be in the
// Authorization header, a form body, or the access_token query parameter,
// but in only one of them (RFC 6750 §2).
func (o *OAuth2) handleResource(w http.ResponseWriter, r *http.Request) {
	if !oauth2MethodAllowed(w, r, http.MethodGet, http.MethodPost) {
		return
	}
	var found []string
	var token string
	if h := r.Header.Get("Authorization"); h != "" {
		if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
			token = strings.TrimSpace(h[7:])
			found = append(found, "header")
		}
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); r.Method == http.MethodPost && mt == "application/x-www-form-urlencoded" {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, oauth2MaxBody))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "fakeprovider: request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		if p, err := urlenc.ParseForm(string(body)); err == nil && p.Has("access_token") {
			token = p.Get("access_token")
			found = append(found, "body")
		}
	}
	query := r.URL.Query()
	if query.Has("access_token") {
		token = query.Get("access_token")
		found = append(found, "query")
		query.Del("access_token")
	}
	switch {
	case len(found) > 1:
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_request"`)
		oauth2WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "token sent in more than one way"})
		return
	case len(found) == 0:
		// RFC 6750 §3.1: no error code when no credentials were sent.
		w.Header().Set("WWW-Authenticate", "Bearer")
		oauth2WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "missing token"})
		return
	}
	o.mu.Lock()
	t, ok := o.liveAccessLocked(token, o.now())
	var tc oauth2Token
	if ok {
		tc = *t
	}
	o.mu.Unlock()
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		oauth2WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token"})
		return
	}
	o.resourceRequests.Add(1)
	q := make(map[string]string, len(query))
	for k, vs := range query {
		q[k] = vs[0]
	}
	oauth2WriteJSON(w, http.StatusOK, map[string]any{
		"ok":          true,
		"client_id":   tc.clientID,
		"username":    tc.username,
		"scope":       tc.scope,
		"method":      found[0],
		"http_method": r.Method,
		"query":       q,
	})
}
