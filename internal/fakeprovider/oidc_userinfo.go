package fakeprovider

// The UserInfo endpoint (OpenID Connect Core 1.0 §5.3).

import "net/http"

// UserInfoRequests returns how many UserInfo requests the provider answered
// with claims. It is safe for concurrent use.
func (o *OAuth2) UserInfoRequests() int { return int(o.userInfoRequests.Load()) }

// handleUserInfo answers GET or POST with the claims about the end-user of
// the access token: {"sub", "name", "email", "email_verified"}, the same
// values as in the ID token (sub is [OtherSubject] with WrongUserInfoSub).
// The token is taken and checked as at the protected resource (Bearer or
// DPoP, RFC 6750 §2 placements; see authorizeResource), and must have the
// openid scope and an end-user: otherwise 403 with error="insufficient_scope"
// (§5.3.3, RFC 6750 §3.1).
func (o *OAuth2) handleUserInfo(w http.ResponseWriter, r *http.Request) {
	if !oauth2MethodAllowed(w, r, http.MethodGet, http.MethodPost) {
		return
	}
	rc, ok := o.authorizeResource(w, r)
	if !ok {
		return
	}
	if !wantsIDToken(rc.tok.username, rc.tok.scope) {
		writeChallenge(w, http.StatusForbidden, rc.scheme, "insufficient_scope", "")
		return
	}
	o.userInfoRequests.Add(1)
	m := userClaims(rc.tok.username)
	m["sub"] = rc.tok.username
	if o.WrongUserInfoSub {
		m["sub"] = OtherSubject
	}
	oauth2WriteJSON(w, http.StatusOK, m)
}
