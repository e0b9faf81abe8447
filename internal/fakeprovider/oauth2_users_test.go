package fakeprovider

import (
	"net/http"
	"testing"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// The authorization endpoint approves as the user the browser's cookie
// names, else the login_hint's, else DefaultUser; an unknown user is
// access_denied.
func TestOAuth2ApprovingUser(t *testing.T) {
	tests := []struct {
		name        string
		defaultUser string
		cookie      string
		hint        string
		implicit    bool
		want        string // the token's user, or "" for access_denied
	}{
		{name: "default", want: "alice"},
		{name: "DefaultUser", defaultUser: "bob", want: "bob"},
		{name: "login_hint", hint: "bob", want: "bob"},
		{name: "cookie", cookie: "carol", want: "carol"},
		{name: "cookie over login_hint", cookie: "carol", hint: "bob", want: "carol"},
		{name: "login_hint implicit", hint: "bob", implicit: true, want: "bob"},
		{name: "unknown login_hint", hint: "mallory"},
		{name: "unknown cookie", cookie: "mallory", hint: "bob"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := o2Server(t, func(o *OAuth2) {
				o.Users["bob"], o.Users["carol"] = "b", "c"
				if tt.defaultUser != "" {
					o.DefaultUser = tt.defaultUser
				}
			})
			q := params("response_type", "code", "client_id", "basic-client", "redirect_uri", testRedirect, "state", "st")
			component := urlenc.Query
			if tt.implicit {
				q = params("response_type", "token", "client_id", "public-client", "redirect_uri", testRedirect, "state", "st")
				component = urlenc.Fragment
			}
			if tt.hint != "" {
				q.Add("login_hint", tt.hint)
			}
			req, _ := http.NewRequest(http.MethodGet, s.URL+OAuth2AuthorizePath+"?"+q.Encode(), nil)
			if tt.cookie != "" {
				req.AddCookie(&http.Cookie{Name: OAuth2UserCookie, Value: tt.cookie})
			}
			p := redirectParams(t, o2Do(t, noRedirect(s), req), component)
			if tt.want == "" {
				if p.Get("error") != "access_denied" || p.Get("state") != "st" {
					t.Fatalf("redirect params = %v, want error=access_denied and the state", p)
				}
				return
			}
			at := p.Get("access_token")
			if !tt.implicit {
				at = post(t, s, OAuth2TokenPath, basicAuth("basic-client", "basic-secret"),
					params("grant_type", "authorization_code", "code", p.Get("code"), "redirect_uri", testRedirect)).wantOK(t)["access_token"].(string)
			}
			if got := bearerGet(t, s, at).wantOK(t)["username"]; got != tt.want {
				t.Errorf("resource sees user %v, want %s", got, tt.want)
			}
			if got := introspect(t, s, at)["username"]; got != tt.want {
				t.Errorf("introspection says user %v, want %s", got, tt.want)
			}
		})
	}
}

// The device verification page approves as the browser's user; the script
// and ApproveDevice as DefaultUser.
func TestOAuth2DeviceApprovingUser(t *testing.T) {
	tests := []struct {
		name       string
		cookie     string // "" without the cookie
		viaPage    bool
		wantStatus int // of the verification page
		want       string
	}{
		{name: "script", want: "dave"},
		{name: "ApproveDevice", want: "dave"},
		{name: "page without cookie", viaPage: true, wantStatus: 200, want: "dave"},
		{name: "page with cookie", viaPage: true, cookie: "bob", wantStatus: 200, want: "bob"},
		{name: "page with unknown user", viaPage: true, cookie: "mallory", wantStatus: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := o2Server(t, func(o *OAuth2) {
				o.Users["bob"] = "b"
				o.DefaultUser = "dave"
				o.DeviceScript = []string{"authorization_pending"}
				if tt.name == "script" {
					o.DeviceScript = []string{"approve"}
				}
			})
			da := deviceStart(t, s)
			switch {
			case tt.viaPage:
				req, _ := http.NewRequest(http.MethodGet, da["verification_uri_complete"].(string), nil)
				if tt.cookie != "" {
					req.AddCookie(&http.Cookie{Name: OAuth2UserCookie, Value: tt.cookie})
				}
				if r := o2Do(t, s.Client(), req); r.status != tt.wantStatus {
					t.Fatalf("verification page: %d %s, want %d", r.status, r.body, tt.wantStatus)
				}
			case tt.name == "ApproveDevice":
				s.OAuth2.ApproveDevice(da["user_code"].(string))
			}
			r := devicePoll(t, s, da["device_code"].(string))
			if tt.want == "" {
				r.wantError(t, http.StatusBadRequest, "authorization_pending")
				return
			}
			at := r.wantOK(t)["access_token"].(string)
			if got := bearerGet(t, s, at).wantOK(t)["username"]; got != tt.want {
				t.Errorf("resource sees user %v, want %s", got, tt.want)
			}
		})
	}
}
