package fakeprovider

// The token endpoint (RFC 6749 §3.2): every grant, DPoP-bound tokens (RFC
// 9449 §5), ID tokens (OpenID Connect Core 1.0 §3.1.3.3, §12.2), refresh
// token reuse detection, and the quirks that shape its responses.

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// Grant types (RFC 6749 §4, RFC 8628 §3.4, RFC 7523 §2.1, RFC 8693 §2.1).
const (
	grantAuthorizationCode = "authorization_code"
	grantPassword          = "password"
	grantClientCredentials = "client_credentials"
	grantRefreshToken      = "refresh_token"
	grantDeviceCode        = "urn:ietf:params:oauth:grant-type:device_code"
	grantJWTBearer         = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	grantTokenExchange     = "urn:ietf:params:oauth:grant-type:token-exchange"

	tokenTypeAccessToken = "urn:ietf:params:oauth:token-type:access_token"
)

// oauth2Issued is a successful token response before quirks are applied.
type oauth2Issued struct {
	access, refresh, scope string
	ttl                    time.Duration // 0: no expires_in
	extra                  urlenc.Params
	dpop                   bool           // the access token is DPoP-bound
	idToken                *oauth2IDToken // an ID token is due
}

func (o *OAuth2) handleToken(w http.ResponseWriter, r *http.Request) {
	o.tokenRequests.Add(1)
	if !oauth2MethodAllowed(w, r, http.MethodPost) {
		return
	}
	o.setDPoPNonce(w, o.RequireDPoPNonce)
	form, e := oauth2ReadBody(w, r)
	if e == nil {
		o.record(&o.lastToken, form)
		form, e = oauth2CheckParams(form)
	}
	// Sleep only after the body is read: until then net/http cannot notice
	// that the client went away, and r.Context() would not end.
	if o.Delay > 0 {
		t := time.NewTimer(o.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if e != nil {
		o.writeTokenError(w, r, e)
		return
	}
	// The proof is checked before the client is authenticated, so that a
	// client answering use_dpop_nonce may resend the same body, client
	// assertion included (RFC 9449 §8).
	proof, de := o.checkDPoP(r, "", o.RequireDPoPNonce)
	o.setDPoPNonce(w, o.RequireDPoPNonce)
	switch {
	case de != nil:
		e = &oauth2Error{status: http.StatusBadRequest, code: de.code, desc: de.desc}
	case proof == nil && o.RequireDPoP:
		e = &oauth2Error{status: http.StatusBadRequest, code: "invalid_dpop_proof", desc: "a DPoP proof is required"}
	}
	if e != nil {
		o.writeTokenError(w, r, e)
		return
	}
	var jkt string
	if proof != nil {
		jkt = proof.jkt
	}
	c, e := o.authenticateClient(r, form)
	if e != nil {
		o.writeTokenError(w, r, e)
		return
	}
	grant := form.Get("grant_type")
	if grant == grantRefreshToken {
		o.refreshes.Add(1)
	}
	if status := o.failStatus(grant); status != 0 {
		if status == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", "1")
		}
		oauth2WriteJSON(w, status, map[string]string{"error": "temporarily_unavailable"})
		return
	}
	if o.ErrorWith200 {
		oauth2WriteJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}

	var res *oauth2Issued
	switch grant {
	case grantAuthorizationCode:
		res, e = o.grantCode(c, form, jkt)
	case grantPassword:
		res, e = o.grantPassword(c, form)
	case grantClientCredentials:
		res, e = o.grantClientCredentials(c, form)
	case grantRefreshToken:
		res, e = o.grantRefresh(c, form, jkt)
	case grantDeviceCode:
		res, e = o.grantDevice(c, form)
	case grantJWTBearer:
		res, e = o.grantJWTBearer(r, c, form)
	case grantTokenExchange:
		res, e = o.grantTokenExchange(c, form)
	case "":
		e = errInvalidRequest("missing grant_type")
	default:
		e = &oauth2Error{status: http.StatusBadRequest, code: "unsupported_grant_type"}
	}
	if e != nil {
		o.writeTokenError(w, r, e)
		return
	}
	if aud := oauth2Audience(form); len(aud) > 0 {
		o.setAudience(res, aud, grant != grantRefreshToken)
	}
	if jkt != "" {
		o.bindTokens(res, jkt, c.AuthMethod == authNone)
	}
	if res.idToken != nil {
		idt, err := o.mintIDToken(r, res.idToken, res.access)
		if err != nil {
			o.writeTokenError(w, r, &oauth2Error{status: http.StatusInternalServerError, code: "server_error", desc: err.Error()})
			return
		}
		res.extra = append(res.extra, urlenc.Param{Key: "id_token", Value: idt})
	}
	o.writeTokenResponse(w, r, res)
}

// bindTokens binds the access token of res to the DPoP key jkt, and its
// refresh token too when the client is public (RFC 9449 §5). The tokens
// were just issued and are unknown to anyone else until res is sent.
func (o *OAuth2) bindTokens(res *oauth2Issued, jkt string, public bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if t := o.access[res.access]; t != nil {
		t.jkt = jkt
	}
	if t := o.refresh[res.refresh]; t != nil && public {
		t.jkt = jkt
	}
	res.dpop = true
}

// oauth2Audience returns the resource (RFC 8707 §2) and audience (RFC
// 8693 §2.1) values of a request, in that order.
func oauth2Audience(p urlenc.Params) []string {
	return append(p.Values("resource"), p.Values("audience")...)
}

// setAudience makes aud the audience of the access token of res and, for
// a new grant, of its refresh token, which the tokens refreshed from it
// keep. A refresh asking for a resource narrows the new access token only,
// not the grant (RFC 8707 §2.2). The tokens were just issued and are
// unknown to anyone else until res is sent.
func (o *OAuth2) setAudience(res *oauth2Issued, aud []string, newGrant bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if t := o.access[res.access]; t != nil {
		t.aud = aud
	}
	if t := o.refresh[res.refresh]; t != nil && newGrant {
		t.aud = aud
	}
}

// tokenType is the response's token_type: DPoP for a DPoP-bound token
// (RFC 9449 §5), bearer otherwise, spelt as given.
func (res *oauth2Issued) tokenType(bearer string) string {
	if res.dpop {
		return "DPoP"
	}
	return bearer
}

func (o *OAuth2) failStatus(grant string) int {
	if o.TokenStatus != 0 {
		return o.TokenStatus
	}
	if grant == grantRefreshToken {
		return o.RefreshStatus
	}
	return 0
}

// issueLocked stores a new access token, and a refresh token if
// withRefresh, in family and returns the response for them. o.mu must be
// held.
func (o *OAuth2) issueLocked(family uint64, clientID, username, scope string, withRefresh bool) *oauth2Issued {
	return o.issueTokensLocked(oauth2Token{family: family, clientID: clientID, username: username, scope: scope}, withRefresh)
}

// issueTokensLocked stores a new access token, and a refresh token if
// withRefresh, made from t: its family, client, user, scope and the time
// of authorization (Now if zero). When the grant has an end-user and the
// scope has openid, the response is due an ID token. o.mu must be held.
func (o *OAuth2) issueTokensLocked(t oauth2Token, withRefresh bool) *oauth2Issued {
	if o.Scope != "" {
		t.scope = o.Scope
	}
	now := o.now()
	t.iat = now
	t.exp = time.Time{}
	if t.authTime.IsZero() {
		t.authTime = now
	}
	ttl := o.ttl()
	if ttl > 0 {
		t.exp = now.Add(ttl)
	}
	res := &oauth2Issued{access: o.storeAccessLocked(t), scope: t.scope, ttl: ttl}
	if withRefresh {
		res.refresh = o.storeRefreshLocked(t)
	}
	if wantsIDToken(t.username, t.scope) {
		res.idToken = &oauth2IDToken{clientID: t.clientID, username: t.username, authTime: t.authTime}
	}
	o.tokensIssued.Add(1)
	return res
}

// grantCode redeems an authorization code (RFC 6749 §4.1.3). jkt is the
// thumbprint of the request's DPoP proof key, "" without a proof.
func (o *OAuth2) grantCode(c *OAuth2Client, form urlenc.Params, jkt string) (*oauth2Issued, *oauth2Error) {
	code := form.Get("code")
	if code == "" {
		return nil, errInvalidRequest("missing code")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	ac := o.codes[code]
	if ac == nil || ac.clientID != c.ID {
		return nil, errInvalidGrant("unknown authorization code")
	}
	if ac.used {
		// RFC 6749 §4.1.2: a replayed code revokes what it produced.
		o.revokeFamilyLocked(ac.family)
		return nil, errInvalidGrant("authorization code already used")
	}
	ac.used = true
	if !o.now().Before(ac.exp) {
		return nil, errInvalidGrant("authorization code expired")
	}
	if got, sent := form.Lookup("redirect_uri"); got != ac.redirectURI && (sent || ac.redirectURI != "") {
		return nil, errInvalidGrant("redirect_uri does not match the authorization request")
	}
	if e := checkPKCE(ac, form); e != nil {
		return nil, e
	}
	if ac.dpopJKT != "" && jkt != ac.dpopJKT {
		// RFC 9449 §10: the code is bound to the key of dpop_jkt.
		return nil, errInvalidGrant("the authorization code is bound to another DPoP key")
	}
	res := o.issueTokensLocked(oauth2Token{family: ac.family, clientID: c.ID, username: ac.username, scope: ac.scope, aud: ac.aud, authTime: ac.authTime}, true)
	if res.idToken != nil {
		res.idToken.nonce = ac.nonce
	}
	return res, nil
}

// checkPKCE checks code_verifier against the code's challenge (RFC 7636
// §4.6). A verifier without a challenge is refused too, against downgrades.
func checkPKCE(ac *oauth2Code, form urlenc.Params) *oauth2Error {
	verifier, sent := form.Lookup("code_verifier")
	if ac.challenge == "" {
		if sent {
			return errInvalidGrant("code_verifier sent but the authorization request had no code_challenge")
		}
		return nil
	}
	if !sent {
		return errInvalidGrant("missing code_verifier")
	}
	got := verifier
	if ac.method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		got = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(ac.challenge)) != 1 {
		return errInvalidGrant("code_verifier does not match the code_challenge")
	}
	return nil
}

func (o *OAuth2) grantPassword(c *OAuth2Client, form urlenc.Params) (*oauth2Issued, *oauth2Error) {
	user, pass := form.Get("username"), form.Get("password")
	if user == "" {
		return nil, errInvalidRequest("missing username")
	}
	want, ok := o.Users[user]
	if !ok || !oauth2Equal(pass, want) {
		return nil, errInvalidGrant("wrong username or password")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.issueLocked(o.newFamilyLocked(), c.ID, user, form.Get("scope"), true), nil
}

func (o *OAuth2) grantClientCredentials(c *OAuth2Client, form urlenc.Params) (*oauth2Issued, *oauth2Error) {
	if c.AuthMethod == authNone {
		return nil, &oauth2Error{status: http.StatusBadRequest, code: "unauthorized_client", desc: "public clients cannot use client_credentials"}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	// RFC 6749 §4.4.3: no refresh token.
	return o.issueLocked(o.newFamilyLocked(), c.ID, "", form.Get("scope"), false), nil
}

// grantRefresh serves the refresh_token grant (RFC 6749 §6) with rotation
// and reuse detection. jkt is the thumbprint of the request's DPoP proof
// key, "" without a proof; a refresh token bound to a key needs a proof by
// it (RFC 9449 §5).
func (o *OAuth2) grantRefresh(c *OAuth2Client, form urlenc.Params, jkt string) (*oauth2Issued, *oauth2Error) {
	rt := form.Get("refresh_token")
	if rt == "" {
		return nil, errInvalidRequest("missing refresh_token")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	t := o.refresh[rt]
	if t == nil {
		if sp, ok := o.spent[rt]; ok && sp.clientID == c.ID {
			o.refreshReuses.Add(1)
			if !o.SkipReuseDetection {
				o.revokeGrantLocked(sp.family)
			}
			return nil, errInvalidGrant("refresh token already used")
		}
		return nil, errInvalidGrant("unknown, revoked or rotated refresh token")
	}
	if t.clientID != c.ID {
		return nil, errInvalidGrant("unknown, revoked or rotated refresh token")
	}
	if t.jkt != "" && jkt != t.jkt {
		return nil, errInvalidGrant("the refresh token is bound to another DPoP key")
	}
	scope := t.scope
	if s, ok := form.Lookup("scope"); ok {
		if !oauth2ScopeSubset(s, t.scope) {
			return nil, &oauth2Error{status: http.StatusBadRequest, code: "invalid_scope", desc: "scope exceeds the original grant"}
		}
		scope = s
	}
	res := o.issueTokensLocked(oauth2Token{family: t.family, clientID: c.ID, username: t.username, scope: scope, aud: t.aud, authTime: t.authTime}, false)
	if res.idToken != nil {
		res.idToken.refresh = true
	}
	if o.RotateRefreshTokens {
		delete(o.refresh, rt)
		o.spent[rt] = oauth2Spent{family: t.family, clientID: t.clientID}
		nt := *t
		nt.iat = o.now()
		res.refresh = o.storeRefreshLocked(nt)
	}
	return res, nil
}

func (o *OAuth2) grantJWTBearer(r *http.Request, c *OAuth2Client, form urlenc.Params) (*oauth2Issued, *oauth2Error) {
	assertion := form.Get("assertion")
	if assertion == "" {
		return nil, errInvalidRequest("missing assertion")
	}
	claims, _, err := o.verifyAssertion(r, assertion, false)
	if err != nil {
		return nil, errInvalidGrant(err.Error())
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.issueLocked(o.newFamilyLocked(), c.ID, claims.Sub, form.Get("scope"), false), nil
}

func (o *OAuth2) grantTokenExchange(c *OAuth2Client, form urlenc.Params) (*oauth2Issued, *oauth2Error) {
	subject := form.Get("subject_token")
	if subject == "" || form.Get("subject_token_type") != tokenTypeAccessToken {
		return nil, errInvalidRequest("subject_token and subject_token_type " + tokenTypeAccessToken + " are required")
	}
	if rt, ok := form.Lookup("requested_token_type"); ok && rt != tokenTypeAccessToken {
		return nil, errInvalidRequest("only access tokens can be requested")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	t, ok := o.liveAccessLocked(subject, o.now())
	if !ok {
		// RFC 8693 §2.2.2: an invalid subject_token is invalid_request.
		return nil, errInvalidRequest("subject_token is not a live access token")
	}
	scope := t.scope
	if s, ok := form.Lookup("scope"); ok {
		if !oauth2ScopeSubset(s, t.scope) {
			return nil, &oauth2Error{status: http.StatusBadRequest, code: "invalid_scope", desc: "scope exceeds the subject token's"}
		}
		scope = s
	}
	res := o.issueLocked(o.newFamilyLocked(), c.ID, t.username, scope, false)
	res.extra = urlenc.Params{{Key: "issued_token_type", Value: tokenTypeAccessToken}}
	return res, nil
}

// formResponse reports whether the GitHub quirk applies to r.
func (o *OAuth2) formResponse(r *http.Request) bool {
	return o.FormEncodedTokenResponse && !strings.Contains(r.Header.Get("Accept"), "application/json")
}

func (o *OAuth2) writeTokenError(w http.ResponseWriter, r *http.Request, e *oauth2Error) {
	if !o.formResponse(r) {
		oauth2WriteError(w, e)
		return
	}
	if e.basic {
		w.Header().Set("WWW-Authenticate", `Basic realm="fakeprovider"`)
	}
	oauth2WriteBody(w, e.status, "application/x-www-form-urlencoded", []byte(e.params().Encode()))
}

func (o *OAuth2) writeTokenResponse(w http.ResponseWriter, r *http.Request, res *oauth2Issued) {
	secs := int64(res.ttl / time.Second)
	if o.formResponse(r) {
		p := urlenc.Params{{Key: "access_token", Value: res.access}}
		if !o.OmitTokenType {
			p.Add("token_type", res.tokenType("bearer"))
		}
		if res.ttl > 0 {
			p.Add("expires_in", strconv.FormatInt(secs, 10))
		}
		if res.refresh != "" {
			p.Add("refresh_token", res.refresh)
		}
		p.Add("scope", res.scope) // GitHub always sends scope, even empty
		p = append(p, res.extra...)
		body := p.Encode()
		if n := o.OversizeBytes - len(body); n > 0 {
			body += "&padding=" + strings.Repeat("x", n)
		}
		oauth2WriteBody(w, http.StatusOK, "application/x-www-form-urlencoded", []byte(body))
		return
	}
	m := map[string]any{"access_token": res.access}
	if !o.OmitTokenType {
		m["token_type"] = res.tokenType("Bearer")
	}
	if res.ttl > 0 {
		switch {
		case o.StringExpiresIn:
			m["expires_in"] = strconv.FormatInt(secs, 10)
		case o.FloatExpiresIn:
			m["expires_in"] = json.RawMessage(strconv.FormatInt(secs, 10) + ".0")
		default:
			m["expires_in"] = secs
		}
	}
	if res.refresh != "" {
		m["refresh_token"] = res.refresh
	}
	if res.scope != "" {
		m["scope"] = res.scope
	}
	for _, kv := range res.extra {
		m[kv.Key] = kv.Value
	}
	if o.OversizeBytes > 0 {
		if body, err := json.Marshal(m); err == nil && len(body) < o.OversizeBytes {
			m["padding"] = strings.Repeat("x", o.OversizeBytes-len(body))
		}
	}
	oauth2WriteJSON(w, http.StatusOK, m)
}
