package fakeprovider

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
	"github.com/oauthkit/oauth/signer/jose"
)

// pushParams are the authorization request parameters of basic-client.
func pushParams(extra ...string) urlenc.Params {
	p := params("response_type", "code", "client_id", "basic-client", "redirect_uri", testRedirect, "state", "st",
		"scope", "openid", "code_challenge", s256(testVerifier), "code_challenge_method", "S256")
	for i := 0; i+1 < len(extra); i += 2 {
		p.Set(extra[i], extra[i+1])
	}
	return p
}

// push sends p to the PAR endpoint as basic-client and returns the
// request_uri.
func push(t testing.TB, s *Server, p urlenc.Params, hdr ...string) string {
	t.Helper()
	r := post(t, s, OAuth2PARPath, basicAuth("basic-client", "basic-secret"), p, hdr...)
	if r.status != http.StatusCreated {
		t.Fatalf("PAR: got %d %s, want 201", r.status, r.body)
	}
	uri := r.str(t, "request_uri")
	if !strings.HasPrefix(uri, "urn:ietf:params:oauth:request_uri:") {
		t.Fatalf("request_uri = %q", uri)
	}
	return uri
}

// redeem exchanges code for basic-client with the PKCE verifier of
// pushParams.
func redeem(t testing.TB, s *Server, code string, hdr ...string) o2Resp {
	t.Helper()
	return post(t, s, OAuth2TokenPath, basicAuth("basic-client", "basic-secret"),
		params("grant_type", "authorization_code", "code", code, "redirect_uri", testRedirect, "code_verifier", testVerifier), hdr...)
}

// TestPAR checks a pushed request from push to token (RFC 9126 §2, §4),
// and the refusals of request_uri values.
func TestPAR(t *testing.T) {
	now := time.Unix(1700000000, 0)
	s := o2Server(t, func(o *OAuth2) { o.Now = func() time.Time { return now } })
	r := post(t, s, OAuth2PARPath, basicAuth("basic-client", "basic-secret"), pushParams("nonce", "n1"))
	if r.status != http.StatusCreated || r.json(t)["expires_in"] != float64(60) || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("PAR: %d %s (Cache-Control %q), want 201 with expires_in 60, no-store", r.status, r.body, r.header.Get("Cache-Control"))
	}
	uri := r.str(t, "request_uri")
	p := redirectParams(t, authorize(t, s, params("client_id", "basic-client", "request_uri", uri)), urlenc.Query)
	if p.Get("state") != "st" || p.Get("iss") != s.URL+"/oauth2" || p.Get("code") == "" {
		t.Fatalf("redirect %v, want code, state st, iss", p)
	}
	tok := redeem(t, s, p.Get("code")).wantOK(t)
	if _, c := decodeJWT(t, tok["id_token"].(string)); c["nonce"] != "n1" {
		t.Errorf("ID token nonce = %v, want the pushed n1", c["nonce"])
	}

	page := func(q urlenc.Params) (int, string) {
		r := authorize(t, s, q)
		return r.status, r.body
	}
	expiring := push(t, s, pushParams())
	other := push(t, s, pushParams())
	mixed := push(t, s, pushParams())
	tests := []struct {
		name     string
		q        urlenc.Params
		wantCode string
		before   func()
	}{
		{"used twice", params("client_id", "basic-client", "request_uri", uri), "invalid_request_uri", nil},
		{"unknown", params("client_id", "basic-client", "request_uri", "urn:ietf:params:oauth:request_uri:nope"), "invalid_request_uri", nil},
		{"another client", params("client_id", "post-client", "request_uri", other), "invalid_request_uri", nil},
		{"other parameters", params("client_id", "basic-client", "request_uri", mixed, "scope", "admin"), "invalid_request", nil},
		{"expired", params("client_id", "basic-client", "request_uri", expiring), "invalid_request_uri", func() { now = now.Add(61 * time.Second) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.before != nil {
				tt.before()
			}
			status, body := page(tt.q)
			if status != http.StatusBadRequest || !strings.Contains(body, tt.wantCode+":") {
				t.Errorf("got %d %q, want 400 naming %s", status, body, tt.wantCode)
			}
		})
	}
	if got := s.OAuth2.PARRequests(); got != 4 {
		t.Errorf("PARRequests() = %d, want 4", got)
	}
}

// TestPARRefusals checks the errors of the PAR endpoint (RFC 9126 §2.3).
func TestPARRefusals(t *testing.T) {
	s := o2Server(t, nil)
	auth := basicAuth("basic-client", "basic-secret")
	tests := []struct {
		name       string
		auth       o2Auth
		p          urlenc.Params
		wantStatus int
		wantCode   string
	}{
		{"bad client secret", basicAuth("basic-client", "nope"), pushParams(), 401, "invalid_client"},
		{"no client authentication", nil, pushParams(), 401, "invalid_client"},
		{"request_uri pushed", auth, pushParams("request_uri", "urn:x"), 400, "invalid_request"},
		{"unregistered redirect_uri", auth, pushParams("redirect_uri", "https://evil.example/cb"), 400, "invalid_request"},
		{"unsupported response_type", auth, pushParams("response_type", "id_token"), 400, "unsupported_response_type"},
		{"client_id of another client", auth, pushParams("client_id", "post-client"), 401, "invalid_client"},
		{"public client without PKCE", noneAuth("public-client"), params("response_type", "code", "client_id", "public-client", "redirect_uri", testRedirect), 400, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			post(t, s, OAuth2PARPath, tt.auth, tt.p).wantError(t, tt.wantStatus, tt.wantCode)
		})
	}
	if r := get(t, s, OAuth2PARPath); r.status != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", r.status)
	}
}

// TestPARPrivateKeyJWT pushes as private_key_jwt with the issuer as the
// assertion's audience, as FAPI 2.0 and the AT Protocol profile have it.
func TestPARPrivateKeyJWT(t *testing.T) {
	s := o2Server(t, nil)
	issuerAud := func(t testing.TB, _ string) string {
		return signJWT(t, jose.ES256, OAuth2TestKey, claims("pkjwt-client", "pkjwt-client", s.URL+"/oauth2"))
	}
	p := pushParams("client_id", "pkjwt-client")
	r := post(t, s, OAuth2PARPath, jwtAuth(issuerAud), p)
	if r.status != http.StatusCreated {
		t.Fatalf("PAR: %d %s, want 201", r.status, r.body)
	}
	code := redirectParams(t, authorize(t, s, params("client_id", "pkjwt-client", "request_uri", r.str(t, "request_uri"))), urlenc.Query).Get("code")
	post(t, s, OAuth2TokenPath, jwtAuth(issuerAud), params("grant_type", "authorization_code", "code", code, "redirect_uri", testRedirect, "code_verifier", testVerifier)).wantOK(t)
	otherAud := func(t testing.TB, _ string) string {
		return signJWT(t, jose.ES256, OAuth2TestKey, claims("pkjwt-client", "pkjwt-client", "https://other.example/oauth2"))
	}
	post(t, s, OAuth2PARPath, jwtAuth(otherAud), p).wantError(t, http.StatusUnauthorized, "invalid_client")
}

// TestRequirePAR checks that only pushed requests are served.
func TestRequirePAR(t *testing.T) {
	s := o2Server(t, func(o *OAuth2) { o.RequirePAR = true })
	p := redirectParams(t, authorize(t, s, pushParams()), urlenc.Query)
	if p.Get("error") != "invalid_request" || p.Get("state") != "st" || p.Get("iss") == "" || p.Has("code") {
		t.Errorf("plain request: %v, want an invalid_request redirect with state and iss", p)
	}
	uri := push(t, s, pushParams())
	code := redirectParams(t, authorize(t, s, params("client_id", "basic-client", "request_uri", uri)), urlenc.Query).Get("code")
	redeem(t, s, code).wantOK(t)
}

// TestPARDPoP checks that a proof sent to the PAR endpoint binds the code
// (RFC 9449 §10.1), and the PAR endpoint's nonce.
func TestPARDPoP(t *testing.T) {
	s := o2Server(t, nil)
	key, other := newTestKey(t, "ES256"), newTestKey(t, "ES256")
	parURI, tokenURI := s.URL+OAuth2PARPath, s.URL+OAuth2TokenPath
	code := func() string {
		uri := push(t, s, pushParams(), "DPoP", key.proof(t, "POST", parURI, "", "", nil))
		return redirectParams(t, authorize(t, s, params("client_id", "basic-client", "request_uri", uri)), urlenc.Query).Get("code")
	}
	redeem(t, s, code()).wantError(t, http.StatusBadRequest, "invalid_grant")
	redeem(t, s, code(), "DPoP", other.proof(t, "POST", tokenURI, "", "", nil)).wantError(t, http.StatusBadRequest, "invalid_grant")
	if tok := redeem(t, s, code(), "DPoP", key.proof(t, "POST", tokenURI, "", "", nil)).wantOK(t); tok["token_type"] != "DPoP" {
		t.Errorf("token_type = %v", tok["token_type"])
	}
	post(t, s, OAuth2PARPath, basicAuth("basic-client", "basic-secret"), pushParams("dpop_jkt", other.thumbprint()), "DPoP", key.proof(t, "POST", parURI, "", "", nil)).
		wantError(t, http.StatusBadRequest, "invalid_request")
	post(t, s, OAuth2PARPath, basicAuth("basic-client", "basic-secret"), pushParams(), "DPoP", key.proof(t, "POST", tokenURI, "", "", nil)).
		wantError(t, http.StatusBadRequest, "invalid_dpop_proof")

	t.Run("nonce", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) { o.RequireDPoPNonce = true })
		parURI := s.URL + OAuth2PARPath
		r := post(t, s, OAuth2PARPath, basicAuth("basic-client", "basic-secret"), pushParams(), "DPoP", key.proof(t, "POST", parURI, "", "", nil))
		r.wantError(t, http.StatusBadRequest, "use_dpop_nonce")
		push(t, s, pushParams(), "DPoP", key.proof(t, "POST", parURI, "", r.header.Get("DPoP-Nonce"), nil))
	})
}

// jarClients registers a public client per key, each with its key as
// PublicKey, and returns the keys by client ID.
func jarClients(t testing.TB, o *OAuth2) map[string]*testKey {
	keys := map[string]*testKey{}
	for _, alg := range []string{"ES256", "EdDSA", "RS256", "PS256"} {
		k := newTestKey(t, alg)
		id := "jar-" + alg
		o.Clients[id] = &OAuth2Client{ID: id, AuthMethod: "none", PublicKey: k.priv.Public(), anyLoopback: true}
		keys[id] = k
	}
	return keys
}

// requestObject signs the claims of an authorization request of client
// with key.
func requestObject(t testing.TB, key *testKey, s *Server, client string, edit func(h, c map[string]any)) string {
	t.Helper()
	h := map[string]any{"alg": key.alg, "typ": "oauth-authz-req+jwt"}
	c := map[string]any{
		"iss": client, "aud": s.URL + "/oauth2", "client_id": client,
		"exp": time.Now().Add(time.Minute).Unix(), "iat": time.Now().Unix(),
		"response_type": "code", "redirect_uri": testRedirect, "state": "inner", "scope": "openid",
		"code_challenge": s256(testVerifier), "code_challenge_method": "S256",
		"max_age": 300,
	}
	if edit != nil {
		edit(h, c)
	}
	return key.sign(t, h, c)
}

// TestJAR checks request objects at the authorization endpoint (RFC 9101
// §5, §6): each algorithm accepted, their parameters winning, and the
// refusals.
func TestJAR(t *testing.T) {
	var keys map[string]*testKey
	s := o2Server(t, func(o *OAuth2) { keys = jarClients(t, o) })
	for id, key := range keys {
		t.Run(id, func(t *testing.T) {
			q := params("client_id", id, "request", requestObject(t, key, s, id, nil), "state", "outer", "response_type", "code", "scope", "read")
			p := redirectParams(t, authorize(t, s, q), urlenc.Query)
			if p.Get("state") != "inner" || p.Get("code") == "" {
				t.Fatalf("redirect %v, want a code and the request object's state", p)
			}
			tok := post(t, s, OAuth2TokenPath, noneAuth(id), params("grant_type", "authorization_code", "code", p.Get("code"), "redirect_uri", testRedirect, "code_verifier", testVerifier)).wantOK(t)
			if tok["scope"] != "openid" {
				t.Errorf("scope = %v, want the request object's openid", tok["scope"])
			}
		})
	}
	key := keys["jar-ES256"]
	other := keys["jar-EdDSA"]
	tests := []struct {
		name   string
		client string
		object string
	}{
		{"signed by another key", "jar-ES256", requestObject(t, &testKey{alg: "ES256", priv: newTestKey(t, "ES256").priv}, s, "jar-ES256", nil)},
		{"key of another client", "jar-ES256", requestObject(t, other, s, "jar-ES256", nil)},
		{"iss not the client", "jar-ES256", requestObject(t, key, s, "jar-ES256", func(_, c map[string]any) { c["iss"] = "jar-EdDSA" })},
		{"aud not the issuer", "jar-ES256", requestObject(t, key, s, "jar-ES256", func(_, c map[string]any) { c["aud"] = s.URL + OAuth2TokenPath })},
		{"expired", "jar-ES256", requestObject(t, key, s, "jar-ES256", func(_, c map[string]any) { c["exp"] = time.Now().Add(-time.Minute).Unix() })},
		{"not yet valid", "jar-ES256", requestObject(t, key, s, "jar-ES256", func(_, c map[string]any) { c["nbf"] = time.Now().Add(time.Hour).Unix() })},
		{"client_id of another client", "jar-ES256", requestObject(t, key, s, "jar-ES256", func(_, c map[string]any) { c["client_id"] = "jar-EdDSA" })},
		{"holds request_uri", "jar-ES256", requestObject(t, key, s, "jar-ES256", func(_, c map[string]any) { c["request_uri"] = "https://x" })},
		{"typ of another JWT", "jar-ES256", requestObject(t, key, s, "jar-ES256", func(h, _ map[string]any) { h["typ"] = "dpop+jwt" })},
		{"alg none", "jar-ES256", unsigned(requestObject(t, key, s, "jar-ES256", func(h, _ map[string]any) { h["alg"] = "none" }))},
		{"client without a key", "public-client", requestObject(t, key, s, "public-client", nil)},
		{"not a JWT", "jar-ES256", "not.a.jwt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := authorize(t, s, params("client_id", tt.client, "request", tt.object))
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, "invalid_request_object:") {
				t.Errorf("got %d %q, want 400 invalid_request_object", r.status, r.body)
			}
		})
	}
	if got := s.OAuth2.RequestObjectsRefused(); got != len(tests) {
		t.Errorf("RequestObjectsRefused() = %d, want %d", got, len(tests))
	}
}

// TestRequireSignedRequestObject checks RFC 9101 §10.5's requirement at
// both endpoints, and a request object pushed through PAR.
func TestRequireSignedRequestObject(t *testing.T) {
	var keys map[string]*testKey
	s := o2Server(t, func(o *OAuth2) {
		keys = jarClients(t, o)
		o.RequireSignedRequestObject = true
	})
	const id = "jar-EdDSA"
	key := keys[id]
	plain := params("response_type", "code", "client_id", id, "redirect_uri", testRedirect, "state", "s",
		"code_challenge", s256(testVerifier), "code_challenge_method", "S256")
	if p := redirectParams(t, authorize(t, s, plain), urlenc.Query); p.Get("error") != "invalid_request" || p.Has("code") {
		t.Errorf("plain request: %v, want an invalid_request redirect", p)
	}
	post(t, s, OAuth2PARPath, noneAuth(id), plain).wantError(t, http.StatusBadRequest, "invalid_request")

	r := post(t, s, OAuth2PARPath, noneAuth(id), params("client_id", id, "request", requestObject(t, key, s, id, nil)))
	if r.status != http.StatusCreated {
		t.Fatalf("PAR with a request object: %d %s", r.status, r.body)
	}
	p := redirectParams(t, authorize(t, s, params("client_id", id, "request_uri", r.str(t, "request_uri"))), urlenc.Query)
	if p.Get("state") != "inner" || p.Get("code") == "" {
		t.Errorf("redirect %v, want the request object's state and a code", p)
	}
	bad := requestObject(t, key, s, id, func(_, c map[string]any) { c["aud"] = "https://other.example" })
	post(t, s, OAuth2PARPath, noneAuth(id), params("client_id", id, "request", bad)).wantError(t, http.StatusBadRequest, "invalid_request_object")
}
