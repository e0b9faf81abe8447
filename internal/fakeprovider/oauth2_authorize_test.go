package fakeprovider

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/internal/urlenc"
)

// TestOAuth2PKCEVectors runs the RFC 7636 vectors through the authorization
// and token endpoints, with the right and a wrong verifier.
func TestOAuth2PKCEVectors(t *testing.T) {
	type pkce struct {
		Input struct {
			CodeVerifier string `json:"code_verifier"`
		}
		Expected struct {
			CodeChallenge       string `json:"code_challenge"`
			CodeChallengeMethod string `json:"code_challenge_method"`
		}
	}
	var vs []vector
	vs = append(vs, loadVectors(t, "pkce_s256")...)
	vs = append(vs, loadVectors(t, "pkce_plain")...)
	for _, v := range vs {
		t.Run(v.ID, func(t *testing.T) {
			var in pkce
			unmarshal(t, v.Input, &in.Input)
			unmarshal(t, v.Expected, &in.Expected)
			method := in.Expected.CodeChallengeMethod
			if method == "" {
				method = "S256" // pkce_s256 vectors name it in authorization_request_params
			}
			s := o2Server(t, nil)
			auth := noneAuth("public-client")
			code := func() string {
				q := params("response_type", "code", "client_id", "public-client", "redirect_uri", testRedirect,
					"code_challenge", in.Expected.CodeChallenge, "code_challenge_method", method)
				return redirectParams(t, authorize(t, s, q), urlenc.Query).Get("code")
			}
			exchange := func(code, verifier string) o2Resp {
				return post(t, s, OAuth2TokenPath, auth, params("grant_type", "authorization_code", "code", code, "redirect_uri", testRedirect, "code_verifier", verifier))
			}
			exchange(code(), in.Input.CodeVerifier).wantOK(t)
			wrong := strings.Repeat("A", len(in.Input.CodeVerifier))
			exchange(code(), wrong).wantError(t, http.StatusBadRequest, "invalid_grant")
			post(t, s, OAuth2TokenPath, auth, params("grant_type", "authorization_code", "code", code(), "redirect_uri", testRedirect)).
				wantError(t, http.StatusBadRequest, "invalid_grant")
		})
	}
}

// TestOAuth2PKCEPolicy checks when PKCE is required and downgrade refusal.
func TestOAuth2PKCEPolicy(t *testing.T) {
	s := o2Server(t, nil)
	base := func(client string) urlenc.Params {
		return params("response_type", "code", "client_id", client, "redirect_uri", testRedirect, "state", "xyz")
	}
	t.Run("public client without challenge", func(t *testing.T) {
		p := redirectParams(t, authorize(t, s, base("public-client")), urlenc.Query)
		if p.Get("error") != "invalid_request" || p.Get("state") != "xyz" {
			t.Errorf("redirect params = %v, want error=invalid_request and state=xyz", p)
		}
	})
	t.Run("confidential client without challenge", func(t *testing.T) {
		code := redirectParams(t, authorize(t, s, base("basic-client")), urlenc.Query).Get("code")
		auth := basicAuth("basic-client", "basic-secret")
		post(t, s, OAuth2TokenPath, auth, params("grant_type", "authorization_code", "code", code, "redirect_uri", testRedirect, "code_verifier", testVerifier)).
			wantError(t, http.StatusBadRequest, "invalid_grant") // verifier without challenge: downgrade
	})
	t.Run("RequirePKCE off", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) { o.RequirePKCE = false })
		code := redirectParams(t, authorize(t, s, base("public-client")), urlenc.Query).Get("code")
		post(t, s, OAuth2TokenPath, noneAuth("public-client"), params("grant_type", "authorization_code", "code", code, "redirect_uri", testRedirect)).wantOK(t)
	})
	t.Run("unknown method", func(t *testing.T) {
		q := append(base("public-client"), params("code_challenge", s256(testVerifier), "code_challenge_method", "S512")...)
		if got := redirectParams(t, authorize(t, s, q), urlenc.Query).Get("error"); got != "invalid_request" {
			t.Errorf("error = %q, want invalid_request", got)
		}
	})
}

// TestOAuth2CodeReuse checks that a code works once, and that replaying it
// revokes the tokens it produced (RFC 6749 §4.1.2).
func TestOAuth2CodeReuse(t *testing.T) {
	s := o2Server(t, nil)
	auth := basicAuth("basic-client", "basic-secret")
	code := getCode(t, s, "basic-client", testVerifier)
	form := params("grant_type", "authorization_code", "code", code, "redirect_uri", testRedirect, "code_verifier", testVerifier)
	tok := post(t, s, OAuth2TokenPath, auth, form).wantOK(t)
	at, rt := tok["access_token"].(string), tok["refresh_token"].(string)
	bearerGet(t, s, at).wantOK(t)

	post(t, s, OAuth2TokenPath, auth, form).wantError(t, http.StatusBadRequest, "invalid_grant")
	if r := bearerGet(t, s, at); r.status != http.StatusUnauthorized {
		t.Errorf("access token after code replay: status %d, want 401", r.status)
	}
	if got := introspect(t, s, rt)["active"]; got != false {
		t.Errorf("refresh token after code replay: active = %v, want false", got)
	}
	t.Run("other client", func(t *testing.T) {
		code := getCode(t, s, "basic-client", testVerifier)
		post(t, s, OAuth2TokenPath, postAuth("post-client", "post-secret"), params("grant_type", "authorization_code", "code", code, "redirect_uri", testRedirect, "code_verifier", testVerifier)).
			wantError(t, http.StatusBadRequest, "invalid_grant")
	})
	t.Run("expired", func(t *testing.T) {
		now := time.Now()
		s := o2Server(t, func(o *OAuth2) { o.Now = func() time.Time { return now } })
		code := getCode(t, s, "basic-client", testVerifier)
		now = now.Add(11 * time.Minute)
		post(t, s, OAuth2TokenPath, auth, params("grant_type", "authorization_code", "code", code, "redirect_uri", testRedirect, "code_verifier", testVerifier)).
			wantError(t, http.StatusBadRequest, "invalid_grant")
	})
}

// TestOAuth2RedirectURI checks redirect URI registration and the token
// endpoint's comparison with the authorization request (RFC 6749 §4.1.3).
func TestOAuth2RedirectURI(t *testing.T) {
	const registered = "https://app.example/cb"
	s := o2Server(t, func(o *OAuth2) {
		o.Clients["app"] = &OAuth2Client{ID: "app", Secret: "app-secret", AuthMethod: "client_secret_post", RedirectURIs: []string{registered}}
	})
	auth := postAuth("app", "app-secret")
	t.Run("token endpoint mismatch", func(t *testing.T) {
		code := getCode(t, s, "basic-client", testVerifier)
		post(t, s, OAuth2TokenPath, basicAuth("basic-client", "basic-secret"), params("grant_type", "authorization_code", "code", code, "redirect_uri", "http://127.0.0.1:9999/other", "code_verifier", testVerifier)).
			wantError(t, http.StatusBadRequest, "invalid_grant")
	})
	t.Run("token endpoint missing", func(t *testing.T) {
		code := getCode(t, s, "basic-client", testVerifier)
		post(t, s, OAuth2TokenPath, basicAuth("basic-client", "basic-secret"), params("grant_type", "authorization_code", "code", code, "code_verifier", testVerifier)).
			wantError(t, http.StatusBadRequest, "invalid_grant")
	})
	t.Run("only registered URI used when none sent", func(t *testing.T) {
		r := authorize(t, s, params("response_type", "code", "client_id", "app"))
		loc := mustURL(t, r.header.Get("Location"))
		if got := loc.Scheme + "://" + loc.Host + loc.Path; got != registered {
			t.Fatalf("redirected to %q, want %q", got, registered)
		}
		post(t, s, OAuth2TokenPath, auth, params("grant_type", "authorization_code", "code", loc.Query().Get("code"))).wantOK(t)
	})
	tests := []struct {
		name, client, redirect string
		wantStatus             int
	}{
		{"registered", "app", registered, http.StatusFound},
		{"not registered", "app", "https://evil.example/cb", http.StatusBadRequest},
		{"loopback for a client without it", "app", testRedirect, http.StatusBadRequest},
		{"prefix of registered", "app", registered + "/x", http.StatusBadRequest},
		{"loopback IPv6", "basic-client", "http://[::1]:1234/cb", http.StatusFound},
		{"localhost", "basic-client", "http://localhost/cb", http.StatusFound},
		{"non-loopback for a default client", "basic-client", "https://evil.example/cb", http.StatusBadRequest},
		{"fragment", "basic-client", "http://127.0.0.1/cb#frag", http.StatusBadRequest},
		{"relative", "basic-client", "/cb", http.StatusBadRequest},
		{"unknown client", "nobody", testRedirect, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := authorize(t, s, params("response_type", "code", "client_id", tt.client, "redirect_uri", tt.redirect))
			if r.status != tt.wantStatus {
				t.Errorf("authorize: status %d (Location %q), want %d", r.status, r.header.Get("Location"), tt.wantStatus)
			}
		})
	}
}

// TestOAuth2AuthorizeResponses checks the redirect of each outcome.
func TestOAuth2AuthorizeResponses(t *testing.T) {
	t.Run("implicit", func(t *testing.T) {
		s := o2Server(t, nil)
		r := authorize(t, s, params("response_type", "token", "client_id", "public-client", "redirect_uri", testRedirect, "state", "s1", "scope", "read"))
		p := redirectParams(t, r, urlenc.Fragment)
		if strings.Contains(r.header.Get("Location"), "?") {
			t.Errorf("Location %q has a query; the implicit response goes in the fragment", r.header.Get("Location"))
		}
		want := map[string]string{"token_type": "Bearer", "expires_in": "3600", "state": "s1", "scope": "read"}
		got := map[string]string{}
		for k := range want {
			got[k] = p.Get(k)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("fragment mismatch (-want +got):\n%s", diff)
		}
		bearerGet(t, s, p.Get("access_token")).wantOK(t)
	})
	t.Run("deny", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) { o.DenyAuthorization = true })
		p := redirectParams(t, authorize(t, s, params("response_type", "code", "client_id", "basic-client", "redirect_uri", testRedirect, "state", "s2")), urlenc.Query)
		if p.Get("error") != "access_denied" || p.Get("state") != "s2" || p.Has("code") {
			t.Errorf("redirect params = %v, want error=access_denied, state=s2, no code", p)
		}
	})
	t.Run("unsupported response type", func(t *testing.T) {
		s := o2Server(t, nil)
		p := redirectParams(t, authorize(t, s, params("response_type", "id_token", "client_id", "basic-client", "redirect_uri", testRedirect)), urlenc.Query)
		if p.Get("error") != "unsupported_response_type" {
			t.Errorf("error = %q, want unsupported_response_type", p.Get("error"))
		}
	})
	t.Run("redirect query kept", func(t *testing.T) {
		s := o2Server(t, nil)
		r := authorize(t, s, params("response_type", "code", "client_id", "basic-client", "redirect_uri", testRedirect+"?app=1"))
		p := redirectParams(t, r, urlenc.Query)
		if p.Get("app") != "1" || p.Get("code") == "" || p.Has("state") {
			t.Errorf("redirect params = %v, want app=1, a code and no state", p)
		}
	})
	t.Run("POST", func(t *testing.T) {
		s := o2Server(t, nil)
		r := post(t, s, OAuth2AuthorizePath, nil, params("client_id", "basic-client"))
		if r.status != http.StatusMethodNotAllowed {
			t.Errorf("POST authorize: status %d, want 405", r.status)
		}
	})
}
