package fakeprovider

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/internal/urlenc"
)

// get fetches path from s.
func get(t testing.TB, s *Server, path string) o2Resp {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return o2Do(t, s.Client(), req)
}

// TestDiscoveryDocuments checks that both well-known paths of the default
// issuer serve the same metadata, naming every endpoint, cacheable, and
// counted; and that the paths of an issuer without a path are not served.
func TestDiscoveryDocuments(t *testing.T) {
	s := o2Server(t, nil)
	iss := s.URL + "/oauth2"
	var docs []map[string]any
	for _, path := range []string{"/.well-known/oauth-authorization-server/oauth2", "/oauth2/.well-known/openid-configuration"} {
		r := get(t, s, path)
		m := r.wantOK(t)
		if got := r.header.Get("Cache-Control"); got != "public, max-age=3600" {
			t.Errorf("%s: Cache-Control = %q", path, got)
		}
		if got := r.header.Get("Content-Type"); got != "application/json" {
			t.Errorf("%s: Content-Type = %q", path, got)
		}
		docs = append(docs, m)
	}
	if diff := cmp.Diff(docs[0], docs[1]); diff != "" {
		t.Errorf("the two documents differ (-RFC 8414 +OIDC):\n%s", diff)
	}
	m := docs[0]
	want := map[string]any{
		"issuer":                                         iss,
		"authorization_endpoint":                         s.URL + "/oauth2/authorize",
		"token_endpoint":                                 s.URL + "/oauth2/token",
		"device_authorization_endpoint":                  s.URL + "/oauth2/device",
		"revocation_endpoint":                            s.URL + "/oauth2/revoke",
		"introspection_endpoint":                         s.URL + "/oauth2/introspect",
		"userinfo_endpoint":                              s.URL + "/oauth2/userinfo",
		"jwks_uri":                                       s.URL + "/oauth2/jwks",
		"pushed_authorization_request_endpoint":          s.URL + "/oauth2/par",
		"authorization_response_iss_parameter_supported": true,
		"require_pushed_authorization_requests":          false,
		"require_signed_request_object":                  false,
	}
	got := map[string]any{}
	for k := range want {
		got[k] = m[k]
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metadata mismatch (-want +got):\n%s", diff)
	}
	lists := map[string][]string{
		"response_types_supported":                    {"code"},
		"response_modes_supported":                    {"query", "fragment", "form_post"},
		"grant_types_supported":                       {"authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"},
		"token_endpoint_auth_methods_supported":       {"client_secret_basic", "client_secret_post", "none", "private_key_jwt"},
		"code_challenge_methods_supported":            {"S256"},
		"id_token_signing_alg_values_supported":       {"RS256", "ES256"},
		"dpop_signing_alg_values_supported":           {"ES256", "EdDSA", "RS256", "PS256"},
		"request_object_signing_alg_values_supported": {"ES256", "EdDSA", "RS256", "PS256"},
		"subject_types_supported":                     {"public"},
	}
	for k, must := range lists {
		have, _ := m[k].([]any)
		for _, v := range must {
			found := false
			for _, h := range have {
				found = found || h == v
			}
			if !found {
				t.Errorf("%s = %v, lacks %q", k, m[k], v)
			}
		}
	}
	if got := s.OAuth2.DiscoveryRequests(); got != 2 {
		t.Errorf("DiscoveryRequests() = %d, want 2", got)
	}
	for _, path := range []string{"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server", "/.well-known/oauth-authorization-server/other"} {
		if r := get(t, s, path); r.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404 (the issuer has a path)", path, r.status)
		}
	}
	if r := post(t, s, OAuth2OpenIDConfigurationPath, nil, nil); r.status != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", r.status)
	}
}

// TestDiscoveryOptions checks the Issuer override, DiscoveryOmit,
// MetadataMaxAge and the switches the metadata reports.
func TestDiscoveryOptions(t *testing.T) {
	t.Run("issuer without path", func(t *testing.T) {
		s := o2Server(t, nil)
		s.OAuth2.Issuer = s.URL // before the first request
		for _, path := range []string{"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"} {
			if got := get(t, s, path).wantOK(t)["issuer"]; got != s.URL {
				t.Errorf("%s: issuer = %v, want %q", path, got, s.URL)
			}
		}
		if r := get(t, s, OAuth2OpenIDConfigurationPath); r.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", OAuth2OpenIDConfigurationPath, r.status)
		}
	})
	t.Run("omit, max-age, requirements", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) {
			o.DiscoveryOmit = []string{"code_challenge_methods_supported", "authorization_response_iss_parameter_supported"}
			o.MetadataMaxAge = 5 * time.Minute
			o.RequirePAR = true
			o.RequireSignedRequestObject = true
		})
		r := get(t, s, OAuth2ServerMetadataPath)
		m := r.wantOK(t)
		for _, k := range []string{"code_challenge_methods_supported", "authorization_response_iss_parameter_supported"} {
			if _, ok := m[k]; ok {
				t.Errorf("%s present, want omitted", k)
			}
		}
		if m["require_pushed_authorization_requests"] != true || m["require_signed_request_object"] != true {
			t.Errorf("requirements = %v, %v; want true, true", m["require_pushed_authorization_requests"], m["require_signed_request_object"])
		}
		if got := r.header.Get("Cache-Control"); got != "public, max-age=300" {
			t.Errorf("Cache-Control = %q, want max-age=300", got)
		}
	})
	t.Run("no-cache", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) { o.MetadataMaxAge = -1 })
		if got := get(t, s, OAuth2JWKSPath).header.Get("Cache-Control"); got != "no-cache" {
			t.Errorf("Cache-Control = %q, want no-cache", got)
		}
	})
}

// jwksKeys fetches the JWKS and returns its public keys by kid, parsed
// here from n/e and x/y (RFC 7518 §6.2, §6.3).
func jwksKeys(t testing.TB, s *Server) map[string]crypto.PublicKey {
	t.Helper()
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	r := get(t, s, OAuth2JWKSPath)
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &set) != nil {
		t.Fatalf("JWKS: %d %s", r.status, r.body)
	}
	num := func(s string) *big.Int {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatalf("JWKS member %q: %v", s, err)
		}
		return new(big.Int).SetBytes(b)
	}
	keys := map[string]crypto.PublicKey{}
	for _, k := range set.Keys {
		if k["use"] != "sig" || k["kid"] == "" {
			t.Errorf("JWK %v: want use sig and a kid", k)
		}
		switch k["kty"] {
		case "RSA":
			if k["alg"] != "RS256" {
				t.Errorf("RSA JWK alg = %q", k["alg"])
			}
			keys[k["kid"]] = &rsa.PublicKey{N: num(k["n"]), E: int(num(k["e"]).Int64())}
		case "EC":
			if k["alg"] != "ES256" || k["crv"] != "P-256" || len(k["x"]) != 43 || len(k["y"]) != 43 {
				t.Errorf("EC JWK %v: want ES256 on P-256 with full-length coordinates", k)
			}
			keys[k["kid"]] = &ecdsa.PublicKey{Curve: elliptic.P256(), X: num(k["x"]), Y: num(k["y"])}
		default:
			t.Errorf("JWK kty %q", k["kty"])
		}
	}
	return keys
}

// verifyIDToken checks tok's signature with the key of its kid, here with
// crypto/rsa and crypto/ecdsa, and returns its claims.
func verifyIDToken(t testing.TB, keys map[string]crypto.PublicKey, tok string) map[string]any {
	t.Helper()
	h, claims := decodeJWT(t, tok)
	kid, _ := h["kid"].(string)
	key, ok := keys[kid]
	if !ok {
		t.Fatalf("ID token kid %q not in the JWKS", kid)
	}
	i := strings.LastIndexByte(tok, '.')
	sig, err := base64.RawURLEncoding.DecodeString(tok[i+1:])
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte(tok[:i]))
	switch k := key.(type) {
	case *rsa.PublicKey:
		if h["alg"] != "RS256" || rsa.VerifyPKCS1v15(k, crypto.SHA256, digest[:], sig) != nil {
			t.Fatalf("RS256 ID token does not verify (header %v)", h)
		}
	case *ecdsa.PublicKey:
		if h["alg"] != "ES256" || len(sig) != 64 || !ecdsa.Verify(k, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
			t.Fatalf("ES256 ID token does not verify (header %v)", h)
		}
	}
	if h["typ"] != "JWT" {
		t.Errorf("typ = %v, want JWT", h["typ"])
	}
	return claims
}

// codeFlow runs an authorization request of public-client with PKCE and
// the extra parameters, then redeems the code (with a DPoP proof by key if
// not nil). It returns the redirect's parameters and the token response.
func codeFlow(t testing.TB, s *Server, key *testKey, extra ...string) (urlenc.Params, map[string]any) {
	t.Helper()
	q := params("response_type", "code", "client_id", "public-client", "redirect_uri", testRedirect, "state", "st",
		"code_challenge", s256(testVerifier), "code_challenge_method", "S256")
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	p := redirectParams(t, authorize(t, s, q), urlenc.Query)
	if p.Get("code") == "" {
		t.Fatalf("authorize: %v, want a code", p)
	}
	var hdr []string
	if key != nil {
		hdr = []string{"DPoP", key.proof(t, "POST", s.URL+OAuth2TokenPath, "", "", nil)}
	}
	tok := post(t, s, OAuth2TokenPath, noneAuth("public-client"),
		params("grant_type", "authorization_code", "code", p.Get("code"), "redirect_uri", testRedirect, "code_verifier", testVerifier), hdr...).wantOK(t)
	return p, tok
}

// TestIDTokens checks the ID tokens of the code grant and of a refresh
// (OpenID Connect Core 1.0 §2, §3.1.3.6, §12.2), signed with each
// algorithm.
func TestIDTokens(t *testing.T) {
	for _, alg := range []string{"RS256", "ES256"} {
		t.Run(alg, func(t *testing.T) {
			now := time.Unix(1700000000, 0)
			s := o2Server(t, func(o *OAuth2) {
				o.Now = func() time.Time { return now }
				if alg != "RS256" {
					o.IDTokenAlg = alg
				}
			})
			keys := jwksKeys(t, s)
			redirect, tok := codeFlow(t, s, nil, "scope", "openid profile", "nonce", "n-0S6_WzA2Mj")
			if got := redirect.Get("iss"); got != s.URL+"/oauth2" {
				t.Errorf("callback iss = %q, want %q (RFC 9207)", got, s.URL+"/oauth2")
			}
			idt, _ := tok["id_token"].(string)
			claims := verifyIDToken(t, keys, idt)
			if h, _ := decodeJWT(t, idt); h["alg"] != alg {
				t.Errorf("alg = %v, want %s", h["alg"], alg)
			}
			sum := sha256.Sum256([]byte(tok["access_token"].(string)))
			want := map[string]any{
				"iss": s.URL + "/oauth2", "sub": "alice", "aud": "public-client",
				"iat": float64(now.Unix()), "exp": float64(now.Add(time.Hour).Unix()), "auth_time": float64(now.Unix()),
				"nonce":   "n-0S6_WzA2Mj",
				"at_hash": base64.RawURLEncoding.EncodeToString(sum[:16]),
				"name":    "Alice", "email": "alice@example.com", "email_verified": true,
			}
			if diff := cmp.Diff(want, claims); diff != "" {
				t.Errorf("ID token claims mismatch (-want +got):\n%s", diff)
			}

			now = now.Add(30 * time.Minute)
			rt := post(t, s, OAuth2TokenPath, noneAuth("public-client"), params("grant_type", "refresh_token", "refresh_token", tok["refresh_token"].(string))).wantOK(t)
			claims2 := verifyIDToken(t, keys, rt["id_token"].(string))
			sum = sha256.Sum256([]byte(rt["access_token"].(string)))
			want["iat"], want["exp"] = float64(now.Unix()), float64(now.Add(time.Hour).Unix())
			want["at_hash"] = base64.RawURLEncoding.EncodeToString(sum[:16])
			delete(want, "nonce")
			if diff := cmp.Diff(want, claims2); diff != "" {
				t.Errorf("refreshed ID token claims mismatch (-want +got):\n%s", diff)
			}
			if got := s.OAuth2.IDTokensIssued(); got != 2 {
				t.Errorf("IDTokensIssued() = %d, want 2", got)
			}
		})
	}
	t.Run("no openid scope", func(t *testing.T) {
		s := o2Server(t, nil)
		_, tok := codeFlow(t, s, nil, "scope", "profile")
		if _, ok := tok["id_token"]; ok {
			t.Errorf("id_token without openid scope")
		}
	})
	t.Run("password grant", func(t *testing.T) {
		s := o2Server(t, nil)
		tok := post(t, s, OAuth2TokenPath, basicAuth("basic-client", "basic-secret"),
			params("grant_type", "password", "username", "alice", "password", "wonderland", "scope", "openid")).wantOK(t)
		claims := verifyIDToken(t, jwksKeys(t, s), tok["id_token"].(string))
		if claims["aud"] != "basic-client" || claims["sub"] != "alice" {
			t.Errorf("claims = %v, want aud basic-client and sub alice", claims)
		}
		if _, ok := claims["nonce"]; ok {
			t.Errorf("nonce %v without an authorization request", claims["nonce"])
		}
	})
	t.Run("client credentials", func(t *testing.T) {
		s := o2Server(t, nil)
		tok := post(t, s, OAuth2TokenPath, basicAuth("basic-client", "basic-secret"), params("grant_type", "client_credentials", "scope", "openid")).wantOK(t)
		if _, ok := tok["id_token"]; ok {
			t.Error("id_token without an end-user")
		}
	})
	t.Run("multiple audiences", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) { o.IDTokenMultipleAudiences = true })
		_, tok := codeFlow(t, s, nil, "scope", "openid")
		claims := verifyIDToken(t, jwksKeys(t, s), tok["id_token"].(string))
		if diff := cmp.Diff([]any{"public-client", "fakeprovider-api"}, claims["aud"]); diff != "" || claims["azp"] != "public-client" {
			t.Errorf("aud %v, azp %v; want [public-client fakeprovider-api], public-client", claims["aud"], claims["azp"])
		}
	})
	t.Run("form-encoded response", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) { o.FormEncodedTokenResponse = true })
		r := post(t, s, OAuth2TokenPath, basicAuth("basic-client", "basic-secret"),
			params("grant_type", "password", "username", "alice", "password", "wonderland", "scope", "openid"))
		p, err := urlenc.ParseForm(r.body)
		if err != nil || p.Get("id_token") == "" {
			t.Errorf("form response %q: want an id_token", r.body)
		}
	})
}

// TestKeyRotation checks RotateKeys and DropRotatedKeys: the JWKS lists the
// new keys, ID tokens use them, old keys stay unless dropped.
func TestKeyRotation(t *testing.T) {
	for _, drop := range []bool{false, true} {
		name := "keep old keys"
		if drop {
			name = "drop old keys"
		}
		t.Run(name, func(t *testing.T) {
			s := o2Server(t, func(o *OAuth2) { o.DropRotatedKeys = drop })
			before := jwksKeys(t, s)
			_, tok := codeFlow(t, s, nil, "scope", "openid")
			old := tok["id_token"].(string)
			verifyIDToken(t, before, old)
			s.OAuth2.RotateKeys()
			_, tok = codeFlow(t, s, nil, "scope", "openid")
			h, _ := decodeJWT(t, tok["id_token"].(string))
			if _, known := before[h["kid"].(string)]; known {
				t.Fatalf("after RotateKeys, kid %v is one of the old keys", h["kid"])
			}
			after := jwksKeys(t, s)
			verifyIDToken(t, after, tok["id_token"].(string))
			oldKids := sortedKeys(before)
			gotOld := 0
			for _, k := range oldKids {
				if _, ok := after[k]; ok {
					gotOld++
				}
			}
			wantOld, wantLen := len(oldKids), 2*len(oldKids)
			if drop {
				wantOld, wantLen = 0, len(oldKids)
			}
			if gotOld != wantOld || len(after) != wantLen {
				t.Errorf("after rotation: %d of the old keys, %d keys; want %d, %d", gotOld, len(after), wantOld, wantLen)
			}
			if got := s.OAuth2.JWKSRequests(); got != 2 {
				t.Errorf("JWKSRequests() = %d, want 2", got)
			}
		})
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// TestJWKSMatchesKeys checks that the JWKS publishes the provider's own
// public keys, each under its RFC 7638 thumbprint.
func TestJWKSMatchesKeys(t *testing.T) {
	s := o2Server(t, nil)
	keys := jwksKeys(t, s)
	ks := oidcFixedKeys
	rk, ok := keys[ks.rsaKid].(*rsa.PublicKey)
	if !ok || !rk.Equal(&ks.rsa.PublicKey) {
		t.Errorf("JWKS RSA key under %q is not the signing key", ks.rsaKid)
	}
	ek, ok := keys[ks.ecKid].(*ecdsa.PublicKey)
	if !ok || !ek.Equal(&ks.ec.PublicKey) {
		t.Errorf("JWKS EC key under %q is not the signing key", ks.ecKid)
	}
	rsaJWK := &testKey{jwk: map[string]string{"kty": "RSA", "n": ks.rsaJWK["n"], "e": ks.rsaJWK["e"]}}
	if got := rsaJWK.thumbprint(); got != ks.rsaKid {
		t.Errorf("RSA kid %q is not the thumbprint %q", ks.rsaKid, got)
	}
}

// TestUserInfo checks the UserInfo endpoint (OpenID Connect Core 1.0 §5.3).
func TestUserInfo(t *testing.T) {
	s := o2Server(t, nil)
	_, tok := codeFlow(t, s, nil, "scope", "openid email")
	at := tok["access_token"].(string)
	want := map[string]any{"sub": "alice", "name": "Alice", "email": "alice@example.com", "email_verified": true}
	if diff := cmp.Diff(want, resourceGet(t, s, OAuth2UserInfoPath, "Bearer", at, "").wantOK(t)); diff != "" {
		t.Errorf("userinfo mismatch (-want +got):\n%s", diff)
	}
	r := post(t, s, OAuth2UserInfoPath, nil, params("access_token", at))
	if diff := cmp.Diff(want, r.wantOK(t)); diff != "" {
		t.Errorf("POST userinfo mismatch (-want +got):\n%s", diff)
	}
	noOpenID := post(t, s, OAuth2TokenPath, basicAuth("basic-client", "basic-secret"), params("grant_type", "password", "username", "alice", "password", "wonderland", "scope", "read")).str(t, "access_token")
	cc := post(t, s, OAuth2TokenPath, basicAuth("basic-client", "basic-secret"), params("grant_type", "client_credentials", "scope", "openid")).str(t, "access_token")
	tests := []struct {
		name, token string
		status      int
		challenge   string
	}{
		{"no token", "", 401, "Bearer"},
		{"unknown token", "nope", 401, `Bearer error="invalid_token"`},
		{"no openid scope", noOpenID, 403, `Bearer error="insufficient_scope"`},
		{"no end-user", cc, 403, `Bearer error="insufficient_scope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := resourceGet(t, s, OAuth2UserInfoPath, "Bearer", tt.token, "")
			if r.status != tt.status || r.header.Get("WWW-Authenticate") != tt.challenge {
				t.Errorf("got %d %q, want %d %q", r.status, r.header.Get("WWW-Authenticate"), tt.status, tt.challenge)
			}
		})
	}
	if got := s.OAuth2.UserInfoRequests(); got != 2 {
		t.Errorf("UserInfoRequests() = %d, want 2", got)
	}
}
