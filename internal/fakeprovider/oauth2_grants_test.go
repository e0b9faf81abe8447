package fakeprovider

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/internal/urlenc"
	"github.com/oauthkit/oauth/signer/jose"
)

// authMethods is one default client per client authentication method.
var authMethods = []struct {
	name     string
	clientID string
	auth     o2Auth
}{
	{"client_secret_basic", "basic-client", basicAuth("basic-client", "basic-secret")},
	{"client_secret_post", "post-client", postAuth("post-client", "post-secret")},
	{"none", "public-client", noneAuth("public-client")},
	{"client_secret_jwt", "jwt-client", jwtAuth(secretJWT("jwt-client"))},
	{"private_key_jwt", "pkjwt-client", jwtAuth(privateKeyJWT("pkjwt-client"))},
	{"client_secret_basic/form-encoded", "1PpG/Q 1", basicAuth("1PpG/Q 1", "z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw=")},
}

const testVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

// grants runs one grant for a client and returns the token response, or
// checks the error it must give.
var grants = []struct {
	name string
	run  func(t *testing.T, s *Server, clientID string, auth o2Auth) o2Resp
	// refresh reports whether a refresh token is expected.
	refresh bool
	// publicErr is the error a public client gets, if any.
	publicErr string
}{
	{name: "authorization_code", refresh: true, run: func(t *testing.T, s *Server, id string, auth o2Auth) o2Resp {
		code := getCode(t, s, id, testVerifier)
		return post(t, s, OAuth2TokenPath, auth, params("grant_type", "authorization_code", "code", code, "redirect_uri", testRedirect, "code_verifier", testVerifier))
	}},
	{name: "password", refresh: true, run: func(t *testing.T, s *Server, _ string, auth o2Auth) o2Resp {
		return post(t, s, OAuth2TokenPath, auth, params("grant_type", "password", "username", "alice", "password", "wonderland", "scope", "read write"))
	}},
	{name: "client_credentials", publicErr: "unauthorized_client", run: func(t *testing.T, s *Server, _ string, auth o2Auth) o2Resp {
		return post(t, s, OAuth2TokenPath, auth, params("grant_type", "client_credentials", "scope", "read write"))
	}},
	{name: "refresh_token", refresh: true, run: func(t *testing.T, s *Server, _ string, auth o2Auth) o2Resp {
		first := post(t, s, OAuth2TokenPath, auth, params("grant_type", "password", "username", "alice", "password", "wonderland", "scope", "read write"))
		rt := first.str(t, "refresh_token")
		r := post(t, s, OAuth2TokenPath, auth, params("grant_type", "refresh_token", "refresh_token", rt))
		if got := s.OAuth2.Refreshes(); got != 1 {
			t.Errorf("Refreshes() = %d, want 1", got)
		}
		return r
	}},
	{name: "device_code", refresh: true, run: func(t *testing.T, s *Server, _ string, auth o2Auth) o2Resp {
		dev := post(t, s, OAuth2DevicePath, auth, params("scope", "read write")).wantOK(t)
		poll := params("grant_type", grantDeviceCode, "device_code", dev["device_code"].(string))
		post(t, s, OAuth2TokenPath, auth, poll).wantError(t, http.StatusBadRequest, "authorization_pending")
		return post(t, s, OAuth2TokenPath, auth, poll)
	}},
	{name: "jwt-bearer", run: func(t *testing.T, s *Server, _ string, auth o2Auth) o2Resp {
		a := signJWT(t, jose.ES256, OAuth2TestKey, claims("pkjwt-client", "alice", s.URL+OAuth2TokenPath))
		return post(t, s, OAuth2TokenPath, auth, params("grant_type", grantJWTBearer, "assertion", a, "scope", "read write"))
	}},
	{name: "token-exchange", run: func(t *testing.T, s *Server, id string, auth o2Auth) o2Resp {
		subject := post(t, s, OAuth2TokenPath, auth, params("grant_type", "password", "username", "alice", "password", "wonderland", "scope", "read write")).str(t, "access_token")
		r := post(t, s, OAuth2TokenPath, auth, params("grant_type", grantTokenExchange, "subject_token", subject, "subject_token_type", tokenTypeAccessToken))
		if r.status == http.StatusOK && r.str(t, "issued_token_type") != tokenTypeAccessToken {
			t.Errorf("issued_token_type = %q, want %q", r.str(t, "issued_token_type"), tokenTypeAccessToken)
		}
		return r
	}},
}

// TestOAuth2GrantsByAuthMethod runs every grant with every client
// authentication method, over HTTP, and uses each token on the resource.
func TestOAuth2GrantsByAuthMethod(t *testing.T) {
	for _, g := range grants {
		for _, m := range authMethods {
			t.Run(g.name+"/"+m.name, func(t *testing.T) {
				s := o2Server(t, nil)
				r := g.run(t, s, m.clientID, m.auth)
				if m.clientID == "public-client" && g.publicErr != "" {
					r.wantError(t, http.StatusBadRequest, g.publicErr)
					return
				}
				got := r.wantOK(t)
				if ct := r.header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type = %q, want application/json", ct)
				}
				if cc := r.header.Get("Cache-Control"); cc != "no-store" {
					t.Errorf("Cache-Control = %q, want no-store", cc)
				}
				if got["token_type"] != "Bearer" || got["expires_in"] != float64(3600) || got["scope"] != "read write" {
					t.Errorf("token response = %v, want token_type Bearer, expires_in 3600, scope \"read write\"", got)
				}
				if _, has := got["refresh_token"]; has != g.refresh {
					t.Errorf("refresh_token present = %v, want %v", has, g.refresh)
				}
				res := bearerGet(t, s, got["access_token"].(string)).wantOK(t)
				if res["client_id"] != m.clientID {
					t.Errorf("resource client_id = %v, want %q", res["client_id"], m.clientID)
				}
				if s.OAuth2.TokensIssued() == 0 || s.OAuth2.ResourceRequests() != 1 {
					t.Errorf("TokensIssued() = %d, ResourceRequests() = %d, want > 0 and 1", s.OAuth2.TokensIssued(), s.OAuth2.ResourceRequests())
				}
			})
		}
	}
}

// TestOAuth2TLSAssertionAudience checks that assertions name the https URL
// when the provider is served over TLS.
func TestOAuth2TLSAssertionAudience(t *testing.T) {
	s := NewTLSServer()
	t.Cleanup(s.Close)
	form := params("grant_type", "client_credentials")
	r := post(t, s, OAuth2TokenPath, jwtAuth(privateKeyJWT("pkjwt-client")), form)
	r.wantOK(t)

	httpAud := func(t testing.TB, _ string) string {
		return signJWT(t, jose.ES256, OAuth2TestKey, claims("pkjwt-client", "pkjwt-client", "http://"+s.Listener.Addr().String()+OAuth2TokenPath))
	}
	post(t, s, OAuth2TokenPath, jwtAuth(httpAud), form).wantError(t, http.StatusUnauthorized, "invalid_client")
}

// TestOAuth2Password checks the resource owner's credentials.
func TestOAuth2Password(t *testing.T) {
	s := o2Server(t, nil)
	auth := basicAuth("basic-client", "basic-secret")
	tests := []struct {
		name       string
		user, pass string
		wantStatus int
		wantCode   string
	}{
		{"ok", "alice", "wonderland", http.StatusOK, ""},
		{"wrong password", "alice", "looking-glass", http.StatusBadRequest, "invalid_grant"},
		{"unknown user", "bob", "wonderland", http.StatusBadRequest, "invalid_grant"},
		{"no username", "", "wonderland", http.StatusBadRequest, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, s, OAuth2TokenPath, auth, params("grant_type", "password", "username", tt.user, "password", tt.pass))
			if tt.wantCode == "" {
				r.wantOK(t)
				return
			}
			r.wantError(t, tt.wantStatus, tt.wantCode)
		})
	}
}

// TestOAuth2RefreshRotation checks that a rotated refresh token is dead,
// that the new one works, and that scope may only narrow.
func TestOAuth2RefreshRotation(t *testing.T) {
	auth := basicAuth("basic-client", "basic-secret")
	t.Run("rotate", func(t *testing.T) {
		// The grant must survive the reuse of old below.
		s := o2Server(t, func(o *OAuth2) { o.SkipReuseDetection = true })
		first := post(t, s, OAuth2TokenPath, auth, params("grant_type", "password", "username", "alice", "password", "wonderland", "scope", "read write")).wantOK(t)
		old := first["refresh_token"].(string)
		second := post(t, s, OAuth2TokenPath, auth, params("grant_type", "refresh_token", "refresh_token", old, "scope", "read")).wantOK(t)
		if second["refresh_token"] == old || second["refresh_token"] == nil {
			t.Fatalf("refresh_token = %v, want a new one", second["refresh_token"])
		}
		if second["scope"] != "read" {
			t.Errorf("narrowed scope = %v, want read", second["scope"])
		}
		post(t, s, OAuth2TokenPath, auth, params("grant_type", "refresh_token", "refresh_token", old)).wantError(t, http.StatusBadRequest, "invalid_grant")
		// The new refresh token still carries the original grant's scope.
		third := post(t, s, OAuth2TokenPath, auth, params("grant_type", "refresh_token", "refresh_token", second["refresh_token"].(string))).wantOK(t)
		if third["scope"] != "read write" {
			t.Errorf("scope after refresh = %v, want \"read write\"", third["scope"])
		}
		post(t, s, OAuth2TokenPath, auth, params("grant_type", "refresh_token", "refresh_token", third["refresh_token"].(string), "scope", "read admin")).
			wantError(t, http.StatusBadRequest, "invalid_scope")
		if got := s.OAuth2.Refreshes(); got != 4 {
			t.Errorf("Refreshes() = %d, want 4", got)
		}
	})
	t.Run("no rotation", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) { o.RotateRefreshTokens = false })
		rt := post(t, s, OAuth2TokenPath, auth, params("grant_type", "password", "username", "alice", "password", "wonderland")).str(t, "refresh_token")
		for i := 0; i < 2; i++ {
			got := post(t, s, OAuth2TokenPath, auth, params("grant_type", "refresh_token", "refresh_token", rt)).wantOK(t)
			if _, has := got["refresh_token"]; has {
				t.Errorf("refresh %d: response has refresh_token %v, want none (the old one stays)", i, got["refresh_token"])
			}
		}
	})
	t.Run("other client", func(t *testing.T) {
		s := o2Server(t, nil)
		_, rt := s.OAuth2.IssueToken("post-client", time.Hour)
		post(t, s, OAuth2TokenPath, auth, params("grant_type", "refresh_token", "refresh_token", rt)).wantError(t, http.StatusBadRequest, "invalid_grant")
		if got := s.OAuth2.Refreshes(); got != 1 {
			t.Errorf("Refreshes() = %d, want 1 (authenticated attempts count)", got)
		}
	})
}

// TestOAuth2JWTBearerGrant checks RFC 7523 §2.1 assertions used as grants.
func TestOAuth2JWTBearerGrant(t *testing.T) {
	s := o2Server(t, nil)
	auth := postAuth("post-client", "post-secret")
	aud := s.URL + OAuth2TokenPath
	reused := signJWT(t, jose.HS256, []byte(jwtSecret), claims("jwt-client", "alice", aud))
	expired := claims("pkjwt-client", "alice", aud)
	expired["exp"] = time.Now().Add(-time.Minute).Unix()
	tests := []struct {
		name      string
		assertion string
		wantCode  string
	}{
		{"HS256 by jwt-client", reused, ""},
		{"reused jti", reused, "invalid_grant"},
		{"expired", signJWT(t, jose.ES256, OAuth2TestKey, expired), "invalid_grant"},
		{"wrong audience", signJWT(t, jose.ES256, OAuth2TestKey, claims("pkjwt-client", "alice", "https://elsewhere.example/token")), "invalid_grant"},
		{"unknown issuer", signJWT(t, jose.ES256, OAuth2TestKey, claims("nobody", "alice", aud)), "invalid_grant"},
		{"wrong key", signJWT(t, jose.HS256, []byte("not-the-secret-of-any-client-xxxxx"), claims("jwt-client", "alice", aud)), "invalid_grant"},
		{"missing", "", "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, s, OAuth2TokenPath, auth, params("grant_type", grantJWTBearer, "assertion", tt.assertion))
			if tt.wantCode == "" {
				tok := r.wantOK(t)["access_token"].(string)
				if got := introspect(t, s, tok)["username"]; got != "alice" {
					t.Errorf("introspected username = %v, want alice (the assertion's sub)", got)
				}
				return
			}
			r.wantError(t, http.StatusBadRequest, tt.wantCode)
		})
	}
}

// TestOAuth2TokenExchange checks RFC 8693 subject token validation.
func TestOAuth2TokenExchange(t *testing.T) {
	s := o2Server(t, nil)
	auth := basicAuth("basic-client", "basic-secret")
	live, _ := s.OAuth2.IssueToken("basic-client", time.Hour)
	dead, _ := s.OAuth2.IssueToken("basic-client", -time.Second)
	tests := []struct {
		name     string
		form     urlenc.Params
		wantCode string
	}{
		{"live", params("subject_token", live, "subject_token_type", tokenTypeAccessToken), ""},
		{"expired", params("subject_token", dead, "subject_token_type", tokenTypeAccessToken), "invalid_request"},
		{"unknown", params("subject_token", "nope", "subject_token_type", tokenTypeAccessToken), "invalid_request"},
		{"no type", params("subject_token", live), "invalid_request"},
		{"refresh requested", params("subject_token", live, "subject_token_type", tokenTypeAccessToken, "requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token"), "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := append(params("grant_type", grantTokenExchange), tt.form...)
			r := post(t, s, OAuth2TokenPath, auth, form)
			if tt.wantCode == "" {
				if got := r.wantOK(t)["access_token"]; got == live {
					t.Errorf("exchange returned the subject token itself")
				}
				return
			}
			r.wantError(t, http.StatusBadRequest, tt.wantCode)
		})
	}
}

// TestOAuth2TokenRequestErrors checks malformed token requests.
func TestOAuth2TokenRequestErrors(t *testing.T) {
	s := o2Server(t, nil)
	auth := basicAuth("basic-client", "basic-secret")
	tests := []struct {
		name     string
		form     urlenc.Params
		hdr      []string
		status   int
		wantCode string
	}{
		{"unknown grant", params("grant_type", "urn:example:magic"), nil, 400, "unsupported_grant_type"},
		{"no grant", params("scope", "x"), nil, 400, "invalid_request"},
		{"repeated parameter", params("grant_type", "client_credentials", "grant_type", "password"), nil, 400, "invalid_request"},
		{"repeated scope", params("grant_type", "client_credentials", "scope", "a", "scope", "b"), nil, 400, "invalid_request"},
		{"empty grant_type is omitted", params("grant_type", ""), nil, 400, "invalid_request"},
		{"relative resource", params("grant_type", "client_credentials", "resource", "/api"), nil, 400, "invalid_target"},
		{"resource with a fragment", params("grant_type", "client_credentials", "resource", "https://api.example/#x"), nil, 400, "invalid_target"},
		{"json body", params("grant_type", "client_credentials"), []string{"Content-Type", "application/json"}, 400, "invalid_request"},
		{"no code", params("grant_type", "authorization_code"), nil, 400, "invalid_request"},
		{"unknown code", params("grant_type", "authorization_code", "code", "nope"), nil, 400, "invalid_grant"},
		{"no refresh token", params("grant_type", "refresh_token"), nil, 400, "invalid_request"},
		{"unknown device code", params("grant_type", grantDeviceCode, "device_code", "nope"), nil, 400, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			post(t, s, OAuth2TokenPath, auth, tt.form, tt.hdr...).wantError(t, tt.status, tt.wantCode)
		})
	}
	t.Run("GET", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, s.URL+OAuth2TokenPath, nil)
		r := o2Do(t, s.Client(), req)
		if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "POST" {
			t.Errorf("GET token endpoint: %d Allow=%q, want 405 Allow=POST", r.status, r.header.Get("Allow"))
		}
	})
	if diff := cmp.Diff(len(tests)+1, s.OAuth2.TokenRequests()); diff != "" {
		t.Errorf("TokenRequests() mismatch (-want +got):\n%s", diff)
	}
}
