package fakeprovider

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"testing"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
	"github.com/oauthkit/oauth/signer/jose"
)

// TestOAuth2ClientAuthFailures checks that every client authentication
// check can fail, and how.
func TestOAuth2ClientAuthFailures(t *testing.T) {
	otherKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	mint := func(alg string, key any, mutate func(map[string]any)) func(testing.TB, string) string {
		return func(t testing.TB, aud string) string {
			c := claims("pkjwt-client", "pkjwt-client", aud)
			if alg == jose.HS256 {
				c = claims("jwt-client", "jwt-client", aud)
			}
			if mutate != nil {
				mutate(c)
			}
			return signJWT(t, alg, key, c)
		}
	}
	fixedJTI := mint(jose.ES256, OAuth2TestKey, func(c map[string]any) { c["jti"] = "same-jti" })
	const oddID, oddSecret = "1PpG/Q 1", "z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw="

	tests := []struct {
		name       string
		auth       o2Auth
		extra      urlenc.Params
		wantStatus int
		wantCode   string
		wantBasic  bool // WWW-Authenticate: Basic expected
	}{
		{name: "basic wrong secret", auth: basicAuth("basic-client", "wrong"), wantStatus: 401, wantCode: "invalid_client", wantBasic: true},
		{name: "basic unknown client", auth: basicAuth("nobody", "basic-secret"), wantStatus: 401, wantCode: "invalid_client", wantBasic: true},
		{name: "basic for a post client", auth: basicAuth("post-client", "post-secret"), wantStatus: 401, wantCode: "invalid_client", wantBasic: true},
		{name: "basic not form-encoded", auth: rawBasicAuth(oddID, oddSecret), wantStatus: 401, wantCode: "invalid_client", wantBasic: true},
		{name: "basic client_id mismatch", auth: basicAuth("basic-client", "basic-secret"), extra: params("client_id", "post-client"), wantStatus: 401, wantCode: "invalid_client", wantBasic: true},
		{name: "post wrong secret", auth: postAuth("post-client", "wrong"), wantStatus: 401, wantCode: "invalid_client"},
		{name: "post for a basic client", auth: postAuth("basic-client", "basic-secret"), wantStatus: 401, wantCode: "invalid_client"},
		{name: "none for a confidential client", auth: noneAuth("basic-client"), wantStatus: 401, wantCode: "invalid_client"},
		{name: "none unknown client", auth: noneAuth("nobody"), wantStatus: 401, wantCode: "invalid_client"},
		{name: "no authentication", wantStatus: 401, wantCode: "invalid_client"},
		{name: "two methods", auth: basicAuth("basic-client", "basic-secret"), extra: params("client_secret", "basic-secret"), wantStatus: 400, wantCode: "invalid_request"},
		{name: "public client with a secret", auth: postAuth("public-client", "a-secret"), wantStatus: 401, wantCode: "invalid_client"},
		// RFC 6749 §3.2: a parameter without a value is omitted, so this is
		// authentication "none", and the public client may not use the
		// client_credentials grant.
		{name: "public client with an empty secret", auth: postAuth("public-client", ""), wantStatus: 400, wantCode: "unauthorized_client"},
		{name: "jwt wrong secret", auth: jwtAuth(mint(jose.HS256, []byte("a-different-secret-of-32-bytes!!!!"), nil)), wantStatus: 401, wantCode: "invalid_client"},
		{name: "pkjwt wrong key", auth: jwtAuth(mint(jose.ES256, otherKey, nil)), wantStatus: 401, wantCode: "invalid_client"},
		{name: "pkjwt HS256 confusion", auth: jwtAuth(func(t testing.TB, aud string) string {
			return signJWT(t, jose.HS256, []byte("anything-anything-anything-anyth"), claims("pkjwt-client", "pkjwt-client", aud))
		}), wantStatus: 401, wantCode: "invalid_client"},
		{name: "jwt expired", auth: jwtAuth(mint(jose.ES256, OAuth2TestKey, func(c map[string]any) { c["exp"] = time.Now().Add(-time.Second).Unix() })), wantStatus: 401, wantCode: "invalid_client"},
		{name: "jwt no exp", auth: jwtAuth(mint(jose.ES256, OAuth2TestKey, func(c map[string]any) { delete(c, "exp") })), wantStatus: 401, wantCode: "invalid_client"},
		{name: "jwt not yet valid", auth: jwtAuth(mint(jose.ES256, OAuth2TestKey, func(c map[string]any) { c["nbf"] = time.Now().Add(time.Hour).Unix() })), wantStatus: 401, wantCode: "invalid_client"},
		{name: "jwt wrong aud", auth: jwtAuth(mint(jose.ES256, OAuth2TestKey, func(c map[string]any) { c["aud"] = "https://elsewhere.example/token" })), wantStatus: 401, wantCode: "invalid_client"},
		{name: "jwt sub is not the client", auth: jwtAuth(mint(jose.ES256, OAuth2TestKey, func(c map[string]any) { c["sub"] = "alice" })), wantStatus: 401, wantCode: "invalid_client"},
		{name: "jwt no jti", auth: jwtAuth(mint(jose.ES256, OAuth2TestKey, func(c map[string]any) { delete(c, "jti") })), wantStatus: 401, wantCode: "invalid_client"},
		{name: "jwt first use of a jti", auth: jwtAuth(fixedJTI), wantStatus: 200},
		{name: "jwt reused jti", auth: jwtAuth(fixedJTI), wantStatus: 401, wantCode: "invalid_client"},
		{name: "jwt aud array", auth: jwtAuth(mint(jose.ES256, OAuth2TestKey, func(c map[string]any) { c["aud"] = []string{"x", c["aud"].(string)} })), wantStatus: 200},
		{name: "jwt client_id mismatch", auth: jwtAuth(mint(jose.ES256, OAuth2TestKey, nil)), extra: params("client_id", "jwt-client"), wantStatus: 401, wantCode: "invalid_client"},
		{name: "jwt wrong assertion type", auth: jwtAuth(mint(jose.ES256, OAuth2TestKey, nil)), extra: params("client_assertion_type", "urn:example:saml"), wantStatus: 400, wantCode: "invalid_request"},
		{name: "jwt for a basic client", auth: jwtAuth(func(t testing.TB, aud string) string {
			return signJWT(t, jose.HS256, []byte("basic-secret"), claims("basic-client", "basic-client", aud))
		}), wantStatus: 401, wantCode: "invalid_client"},
	}
	s := o2Server(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			auth := tt.auth
			if tt.extra != nil {
				extra, inner := tt.extra, tt.auth
				auth = func(t testing.TB, s *Server, h http.Header, f *urlenc.Params) {
					inner(t, s, h, f)
					for _, kv := range extra {
						f.Set(kv.Key, kv.Value)
					}
				}
			}
			r := post(t, s, OAuth2TokenPath, auth, params("grant_type", "client_credentials"))
			if tt.wantStatus == http.StatusOK {
				r.wantOK(t)
				return
			}
			r.wantError(t, tt.wantStatus, tt.wantCode)
			if got := r.header.Get("WWW-Authenticate"); (got != "") != tt.wantBasic {
				t.Errorf("WWW-Authenticate = %q, want present = %v", got, tt.wantBasic)
			}
		})
	}
}

// TestOAuth2RawBasic checks the RawBasic opt-out: the provider then reads
// credentials as sent, so form-encoded ones fail.
func TestOAuth2RawBasic(t *testing.T) {
	const id, secret = "raw/client 1", "a+b:c/d="
	s := o2Server(t, func(o *OAuth2) {
		o.Clients[id] = &OAuth2Client{ID: id, Secret: secret, AuthMethod: "client_secret_basic", RawBasic: true}
	})
	form := params("grant_type", "client_credentials")
	post(t, s, OAuth2TokenPath, rawBasicAuth(id, secret), form).wantOK(t)
	post(t, s, OAuth2TokenPath, basicAuth(id, secret), form).wantError(t, http.StatusUnauthorized, "invalid_client")
}

// TestOAuth2EndpointsAuthenticate checks that the device, revocation and
// introspection endpoints are as strict as the token endpoint.
func TestOAuth2EndpointsAuthenticate(t *testing.T) {
	s := o2Server(t, nil)
	for _, path := range []string{OAuth2DevicePath, OAuth2RevokePath, OAuth2IntrospectPath} {
		t.Run(path, func(t *testing.T) {
			r := post(t, s, path, basicAuth("basic-client", "wrong"), params("token", "x"))
			r.wantError(t, http.StatusUnauthorized, "invalid_client")
			if r.header.Get("WWW-Authenticate") == "" {
				t.Error("no WWW-Authenticate after failed Basic authentication")
			}
			post(t, s, path, postAuth("basic-client", "basic-secret"), params("token", "x")).wantError(t, http.StatusUnauthorized, "invalid_client")
		})
	}
}

// TestOAuth2RequireIssuerAudience checks that with RequireIssuerAudience
// client authentication accepts only an assertion whose aud is the issuer
// identifier as a single string.
func TestOAuth2RequireIssuerAudience(t *testing.T) {
	s := o2Server(t, func(o *OAuth2) { o.RequireIssuerAudience = true })
	issuer := s.URL + "/oauth2"
	tests := []struct {
		name       string
		aud        func(tokenURL string) any
		wantStatus int
	}{
		{name: "issuer", aud: func(string) any { return issuer }, wantStatus: 200},
		{name: "token endpoint", aud: func(u string) any { return u }, wantStatus: 401},
		{name: "base URL", aud: func(string) any { return s.URL }, wantStatus: 401},
		{name: "issuer in an array", aud: func(string) any { return []string{issuer} }, wantStatus: 401},
		{name: "issuer with a slash", aud: func(string) any { return issuer + "/" }, wantStatus: 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			auth := jwtAuth(func(t testing.TB, tokenURL string) string {
				c := claims("pkjwt-client", "pkjwt-client", "")
				c["aud"] = tt.aud(tokenURL)
				return signJWT(t, jose.ES256, OAuth2TestKey, c)
			})
			r := post(t, s, OAuth2TokenPath, auth, params("grant_type", "client_credentials"))
			if tt.wantStatus == http.StatusOK {
				r.wantOK(t)
				return
			}
			r.wantError(t, tt.wantStatus, "invalid_client")
		})
	}
}
