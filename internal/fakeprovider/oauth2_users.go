package fakeprovider

// Who approves: the end-user on whose behalf the authorization endpoint,
// the device verification page and the device script grant access.

import (
	"net/http"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// OAuth2UserCookie is the cookie that says which user is signed in at the
// provider, as a real provider's login session would: a browser that sends
// it to the authorization endpoint or the device verification page
// ([OAuth2DeviceVerifyPath]) approves as that user. Its value must be a
// username of OAuth2.Users.
//
// The authorization endpoint approves as the user its cookie names; without
// the cookie, as the user the request's login_hint names (OpenID Connect
// Core 1.0 §3.1.2.1); without either, as OAuth2.DefaultUser. A cookie or
// login_hint naming a user not in Users makes it redirect with
// error=access_denied.
const OAuth2UserCookie = "fakeprovider_user"

// approvingUser returns the user who approves the authorization request q
// made with r, and false if the request names a user who is not
// registered (see OAuth2UserCookie).
func (o *OAuth2) approvingUser(r *http.Request, q urlenc.Params) (string, bool) {
	if c, err := r.Cookie(OAuth2UserCookie); err == nil {
		_, ok := o.Users[c.Value]
		return c.Value, ok
	}
	if hint, ok := q.Lookup("login_hint"); ok {
		_, ok := o.Users[hint]
		return hint, ok
	}
	return o.defaultUser(), true
}

// defaultUser returns DefaultUser, or "alice" if it is empty.
func (o *OAuth2) defaultUser() string {
	if o.DefaultUser == "" {
		return "alice"
	}
	return o.DefaultUser
}
