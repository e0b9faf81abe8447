package fakeprovider

// The device authorization grant (RFC 8628): the device authorization
// endpoint, the verification page and the device_code grant, whose polls
// follow OAuth2.DeviceScript.

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"net/url"

	"github.com/oauthkit/oauth/internal/urlenc"
)

func (o *OAuth2) handleDevice(w http.ResponseWriter, r *http.Request) {
	if !oauth2MethodAllowed(w, r, http.MethodPost) {
		return
	}
	form, e := oauth2ReadBody(w, r)
	if e == nil {
		o.record(&o.lastDevice, form)
		form, e = oauth2CheckParams(form)
	}
	if e == nil {
		var c *OAuth2Client
		if c, e = o.authenticateClient(r, form); e == nil {
			o.startDevice(w, r, c, form.Get("scope"))
			return
		}
	}
	oauth2WriteError(w, e)
}

func (o *OAuth2) startDevice(w http.ResponseWriter, r *http.Request, c *OAuth2Client, scope string) {
	deviceCode := oauth2Random("dc_")
	o.mu.Lock()
	userCode := oauth2UserCode()
	for o.userCode[userCode] != "" {
		userCode = oauth2UserCode()
	}
	o.devices[deviceCode] = &oauth2Device{
		clientID: c.ID,
		scope:    scope,
		userCode: userCode,
		exp:      o.now().Add(oauth2DeviceTTL),
	}
	o.userCode[userCode] = deviceCode
	o.mu.Unlock()

	verify := oauth2BaseURL(r) + OAuth2DeviceVerifyPath
	m := map[string]any{
		"device_code":               deviceCode,
		"user_code":                 userCode,
		"verification_uri":          verify,
		"verification_uri_complete": verify + "?user_code=" + url.QueryEscape(userCode),
		"expires_in":                int(oauth2DeviceTTL.Seconds()),
	}
	if o.DeviceInterval >= 0 {
		m["interval"] = o.DeviceInterval
	}
	oauth2WriteJSON(w, http.StatusOK, m)
}

// oauth2UserCode returns a user code such as "WDJB-MJHT" from the
// 20-consonant alphabet RFC 8628 §6.1 suggests.
func oauth2UserCode() string {
	const alphabet = "BCDFGHJKLMNPQRSTVWXZ"
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("fakeprovider: crypto/rand failed: " + err.Error())
	}
	out := make([]byte, 0, 9)
	for i, c := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, alphabet[int(c)%len(alphabet)])
	}
	return string(out)
}

// handleDeviceVerify is the page the user visits. With a user_code it
// approves that device, as the user its OAuth2UserCookie names, or as
// DefaultUser without the cookie; a cookie naming a user not in Users is
// answered 403 and approves nothing.
func (o *OAuth2) handleDeviceVerify(w http.ResponseWriter, r *http.Request) {
	if !oauth2MethodAllowed(w, r, http.MethodGet) {
		return
	}
	code := r.URL.Query().Get("user_code")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if code == "" {
		fmt.Fprintln(w, "fakeprovider: visit this page with ?user_code=XXXX-XXXX to approve a device")
		return
	}
	user := o.defaultUser()
	if c, err := r.Cookie(OAuth2UserCookie); err == nil {
		if _, ok := o.Users[c.Value]; !ok {
			http.Error(w, "fakeprovider: no such user", http.StatusForbidden)
			return
		}
		user = c.Value
	}
	o.mu.Lock()
	d, ok := o.devices[o.userCode[code]]
	if ok {
		d.approved, d.username = true, user
	}
	o.mu.Unlock()
	if !ok {
		http.Error(w, "fakeprovider: unknown user_code", http.StatusNotFound)
		return
	}
	fmt.Fprintln(w, "fakeprovider: device approved")
}

// grantDevice answers one poll (RFC 8628 §3.4, §3.5).
func (o *OAuth2) grantDevice(c *OAuth2Client, form urlenc.Params) (*oauth2Issued, *oauth2Error) {
	dc := form.Get("device_code")
	if dc == "" {
		return nil, errInvalidRequest("missing device_code")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	d := o.devices[dc]
	if d == nil || d.clientID != c.ID {
		return nil, errInvalidGrant("unknown or used device_code")
	}
	pollError := func(code string) *oauth2Error {
		return &oauth2Error{status: http.StatusBadRequest, code: code}
	}
	if !o.now().Before(d.exp) {
		return nil, pollError("expired_token")
	}
	step := "approve"
	if !d.approved && len(o.DeviceScript) > 0 {
		step = o.DeviceScript[min(d.polls, len(o.DeviceScript)-1)]
	}
	d.polls++
	if step == "approve" {
		delete(o.devices, dc)
		delete(o.userCode, d.userCode)
		user := d.username
		if user == "" {
			user = o.defaultUser()
		}
		return o.issueLocked(o.newFamilyLocked(), c.ID, user, d.scope, true), nil
	}
	// "authorization_pending", "slow_down", "access_denied", "expired_token",
	// or any other error code a test wants polls to get.
	return nil, pollError(step)
}
