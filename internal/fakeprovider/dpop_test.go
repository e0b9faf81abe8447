package fakeprovider

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// dpopToken runs the password grant for basic-client with a DPoP proof by
// key and returns the token response.
func dpopToken(t testing.TB, s *Server, key *testKey, scope string) map[string]any {
	t.Helper()
	proof := key.proof(t, "POST", s.URL+OAuth2TokenPath, "", "", nil)
	return post(t, s, OAuth2TokenPath, basicAuth("basic-client", "basic-secret"),
		params("grant_type", "password", "username", "alice", "password", "wonderland", "scope", scope), "DPoP", proof).wantOK(t)
}

// TestDPoPBinding checks, for each proof algorithm, that a token request
// with a proof gets a DPoP-bound token (RFC 9449 §5), that introspection
// reports the binding (§6.2), and that the resource and UserInfo accept it
// with a proof by the key (§7.1).
func TestDPoPBinding(t *testing.T) {
	for _, alg := range []string{"ES256", "EdDSA", "RS256", "PS256"} {
		t.Run(alg, func(t *testing.T) {
			s := o2Server(t, nil)
			key := newTestKey(t, alg)
			tok := dpopToken(t, s, key, "openid read")
			if tok["token_type"] != "DPoP" {
				t.Fatalf("token_type = %v, want DPoP", tok["token_type"])
			}
			at := tok["access_token"].(string)
			in := introspect(t, s, at)
			if diff := cmp.Diff(map[string]any{"jkt": key.thumbprint()}, in["cnf"]); diff != "" || in["token_type"] != "DPoP" {
				t.Errorf("introspection cnf mismatch (-want +got):\n%s token_type %v", diff, in["token_type"])
			}
			if in := introspect(t, s, tok["refresh_token"].(string)); in["cnf"] != nil {
				t.Errorf("confidential client's refresh token bound: cnf %v", in["cnf"])
			}
			res := resourceGet(t, s, OAuth2ResourcePath, "DPoP", at, key.proof(t, "GET", s.URL+OAuth2ResourcePath, at, "", nil)).wantOK(t)
			if res["jkt"] != key.thumbprint() || res["token_type"] != "DPoP" || res["username"] != "alice" {
				t.Errorf("resource echo %v", res)
			}
			ui := resourceGet(t, s, OAuth2UserInfoPath, "DPoP", at, key.proof(t, "GET", s.URL+OAuth2UserInfoPath, at, "", nil)).wantOK(t)
			if ui["sub"] != "alice" {
				t.Errorf("userinfo %v", ui)
			}
			if s.OAuth2.DPoPProofsRefused() != 0 {
				t.Errorf("DPoPProofsRefused() = %d, want 0", s.OAuth2.DPoPProofsRefused())
			}
		})
	}
}

// TestDPoPResourceRefusals checks each refusal of a DPoP-protected request
// and its WWW-Authenticate challenge (RFC 9449 §4.3, §7.1, §7.2).
func TestDPoPResourceRefusals(t *testing.T) {
	s := o2Server(t, nil)
	key := newTestKey(t, "ES256")
	other := newTestKey(t, "ES256")
	at := dpopToken(t, s, key, "read")["access_token"].(string)
	bearer, _ := s.OAuth2.IssueToken("basic-client", time.Hour)
	uri := s.URL + OAuth2ResourcePath
	replayed := key.proof(t, "GET", uri, at, "", nil)
	resourceGet(t, s, OAuth2ResourcePath, "DPoP", at, replayed).wantOK(t)
	tests := []struct {
		name, scheme, token, proof string
		wantCode, wantDesc         string
	}{
		{"replayed proof", "DPoP", at, replayed, "invalid_dpop_proof", "jti already used"},
		{"wrong URL", "DPoP", at, key.proof(t, "GET", s.URL+OAuth2UserInfoPath, at, "", nil), "invalid_dpop_proof", ""},
		{"wrong method", "DPoP", at, key.proof(t, "POST", uri, at, "", nil), "invalid_dpop_proof", ""},
		{"another key", "DPoP", at, other.proof(t, "GET", uri, at, "", nil), "invalid_token", "Invalid DPoP key binding"},
		{"bound token as Bearer", "Bearer", at, "", "invalid_token", ""},
		{"bound token as Bearer with a proof", "Bearer", at, key.proof(t, "GET", uri, at, "", nil), "invalid_token", ""},
		{"bearer token with DPoP", "DPoP", bearer, key.proof(t, "GET", uri, bearer, "", nil), "invalid_token", ""},
		{"no proof", "DPoP", at, "", "invalid_dpop_proof", ""},
		{"no ath", "DPoP", at, key.proof(t, "GET", uri, "", "", nil), "invalid_dpop_proof", ""},
		{"ath of another token", "DPoP", at, key.proof(t, "GET", uri, bearer, "", nil), "invalid_dpop_proof", ""},
		{"query in htu", "DPoP", at, key.proof(t, "GET", uri+"?x=1", at, "", nil), "invalid_dpop_proof", ""},
		{"typ JWT", "DPoP", at, key.proof(t, "GET", uri, at, "", func(h, _ map[string]any) { h["typ"] = "JWT" }), "invalid_dpop_proof", ""},
		{"iat too old", "DPoP", at, key.proof(t, "GET", uri, at, "", func(_, c map[string]any) { c["iat"] = time.Now().Add(-2 * time.Minute).Unix() }), "invalid_dpop_proof", ""},
		{"iat in the future", "DPoP", at, key.proof(t, "GET", uri, at, "", func(_, c map[string]any) { c["iat"] = time.Now().Add(2 * time.Minute).Unix() }), "invalid_dpop_proof", ""},
		{"iat a string", "DPoP", at, key.proof(t, "GET", uri, at, "", func(_, c map[string]any) { c["iat"] = strconv.FormatInt(time.Now().Unix(), 10) }), "invalid_dpop_proof", ""},
		{"no jti", "DPoP", at, key.proof(t, "GET", uri, at, "", func(_, c map[string]any) { delete(c, "jti") }), "invalid_dpop_proof", ""},
		{"private key in jwk", "DPoP", at, key.proof(t, "GET", uri, at, "", func(h, _ map[string]any) { h["jwk"].(map[string]any)["d"] = "AAAA" }), "invalid_dpop_proof", ""},
		{"jwk of another key", "DPoP", at, key.proof(t, "GET", uri, at, "", func(h, _ map[string]any) { h["jwk"] = toAny(other.jwk) }), "invalid_dpop_proof", ""},
		{"alg none", "DPoP", at, unsigned(key.proof(t, "GET", uri, at, "", func(h, _ map[string]any) { h["alg"] = "none" })), "invalid_dpop_proof", ""},
		{"alg HS256", "DPoP", at, key.proof(t, "GET", uri, at, "", func(h, _ map[string]any) { h["alg"] = "HS256" }), "invalid_dpop_proof", ""},
		{"unknown token", "DPoP", "nope", key.proof(t, "GET", uri, "nope", "", nil), "invalid_token", ""},
	}
	refusedBefore := s.OAuth2.DPoPProofsRefused()
	wantRefused := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := resourceGet(t, s, OAuth2ResourcePath, tt.scheme, tt.token, tt.proof)
			ch := r.header.Get("WWW-Authenticate")
			if r.status != http.StatusUnauthorized || r.str(t, "error") != tt.wantCode {
				t.Fatalf("got %d %s, want 401 %s", r.status, r.body, tt.wantCode)
			}
			wantScheme := "DPoP"
			if tt.scheme == "Bearer" && tt.token != at {
				wantScheme = "Bearer"
			}
			if !strings.HasPrefix(ch, wantScheme+` error="`+tt.wantCode+`"`) {
				t.Errorf("WWW-Authenticate = %q, want %s error=%q", ch, wantScheme, tt.wantCode)
			}
			if wantScheme == "DPoP" && !strings.Contains(ch, `algs="ES256`) {
				t.Errorf("WWW-Authenticate = %q, want algs", ch)
			}
			if tt.wantDesc != "" && r.str(t, "error_description") != tt.wantDesc {
				t.Errorf("error_description = %q, want %q", r.str(t, "error_description"), tt.wantDesc)
			}
		})
		if tt.wantCode == "invalid_dpop_proof" {
			wantRefused++
		}
	}
	if got := s.OAuth2.DPoPProofsRefused() - refusedBefore; got != wantRefused {
		t.Errorf("DPoPProofsRefused() grew by %d, want %d", got, wantRefused)
	}
	if got := s.OAuth2.ResourceRequests(); got != 1 {
		t.Errorf("ResourceRequests() = %d, want 1", got)
	}
	t.Run("no token", func(t *testing.T) {
		r := resourceGet(t, s, OAuth2ResourcePath, "", "", "")
		if got := r.header.Values("WWW-Authenticate"); len(got) != 2 || got[0] != "Bearer" || !strings.HasPrefix(got[1], "DPoP algs=") {
			t.Errorf("WWW-Authenticate = %q, want Bearer and DPoP algs", got)
		}
	})
	t.Run("two DPoP headers", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, uri, nil)
		req.Header.Set("Authorization", "DPoP "+at)
		req.Header.Add("DPoP", key.proof(t, "GET", uri, at, "", nil))
		req.Header.Add("DPoP", key.proof(t, "GET", uri, at, "", nil))
		if r := o2Do(t, s.Client(), req); r.status != http.StatusUnauthorized || r.str(t, "error") != "invalid_dpop_proof" {
			t.Errorf("got %d %s, want 401 invalid_dpop_proof", r.status, r.body)
		}
	})
}

func toAny(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// unsigned drops a JWS's signature, as an alg none token has none.
func unsigned(jws string) string {
	return jws[:strings.LastIndexByte(jws, '.')+1]
}

// TestDPoPTokenEndpoint checks the token endpoint's refusals and the
// binding of refresh tokens and codes (RFC 9449 §5, §10).
func TestDPoPTokenEndpoint(t *testing.T) {
	uri := func(s *Server) string { return s.URL + OAuth2TokenPath }
	t.Run("refusals", func(t *testing.T) {
		s := o2Server(t, nil)
		key := newTestKey(t, "ES256")
		form := params("grant_type", "client_credentials")
		auth := basicAuth("basic-client", "basic-secret")
		replayed := key.proof(t, "POST", uri(s), "", "", nil)
		post(t, s, OAuth2TokenPath, auth, form, "DPoP", replayed).wantOK(t)
		for _, tt := range []struct{ name, proof string }{
			{"replayed", replayed},
			{"wrong URL", key.proof(t, "POST", s.URL+OAuth2PARPath, "", "", nil)},
			{"wrong method", key.proof(t, "GET", uri(s), "", "", nil)},
			{"not a JWT", "eyJhbGciOiJFUzI1NiJ9"},
			{"bad signature", strings.TrimSuffix(key.proof(t, "POST", uri(s), "", "", nil), "A") + "B"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				post(t, s, OAuth2TokenPath, auth, form, "DPoP", tt.proof).wantError(t, http.StatusBadRequest, "invalid_dpop_proof")
			})
		}
		if got := s.OAuth2.TokensIssued(); got != 1 {
			t.Errorf("TokensIssued() = %d, want 1", got)
		}
	})
	t.Run("RequireDPoP", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) { o.RequireDPoP = true })
		auth := basicAuth("basic-client", "basic-secret")
		post(t, s, OAuth2TokenPath, auth, params("grant_type", "client_credentials")).wantError(t, http.StatusBadRequest, "invalid_dpop_proof")
		tok := post(t, s, OAuth2TokenPath, auth, params("grant_type", "client_credentials"), "DPoP", newTestKey(t, "EdDSA").proof(t, "POST", uri(s), "", "", nil)).wantOK(t)
		if tok["token_type"] != "DPoP" {
			t.Errorf("token_type = %v", tok["token_type"])
		}
	})
	t.Run("public client refresh token bound", func(t *testing.T) {
		s := o2Server(t, nil)
		key, other := newTestKey(t, "ES256"), newTestKey(t, "ES256")
		_, tok := codeFlow(t, s, key, "scope", "read")
		rt := tok["refresh_token"].(string)
		if in := introspect(t, s, rt); in["cnf"] == nil {
			t.Fatalf("public client's refresh token not bound: %v", in)
		}
		refresh := func(proofKey *testKey) o2Resp {
			var hdr []string
			if proofKey != nil {
				hdr = []string{"DPoP", proofKey.proof(t, "POST", uri(s), "", "", nil)}
			}
			return post(t, s, OAuth2TokenPath, noneAuth("public-client"), params("grant_type", "refresh_token", "refresh_token", rt), hdr...)
		}
		refresh(nil).wantError(t, http.StatusBadRequest, "invalid_grant")
		refresh(other).wantError(t, http.StatusBadRequest, "invalid_grant")
		got := refresh(key).wantOK(t)
		if got["token_type"] != "DPoP" {
			t.Errorf("token_type = %v", got["token_type"])
		}
	})
	t.Run("dpop_jkt binds the code", func(t *testing.T) {
		s := o2Server(t, nil)
		key, other := newTestKey(t, "ES256"), newTestKey(t, "ES256")
		code := func() string {
			q := params("response_type", "code", "client_id", "public-client", "redirect_uri", testRedirect,
				"code_challenge", s256(testVerifier), "code_challenge_method", "S256", "dpop_jkt", key.thumbprint())
			return redirectParams(t, authorize(t, s, q), 0).Get("code")
		}
		redeem := func(code string, k *testKey) o2Resp {
			var hdr []string
			if k != nil {
				hdr = []string{"DPoP", k.proof(t, "POST", uri(s), "", "", nil)}
			}
			return post(t, s, OAuth2TokenPath, noneAuth("public-client"),
				params("grant_type", "authorization_code", "code", code, "redirect_uri", testRedirect, "code_verifier", testVerifier), hdr...)
		}
		redeem(code(), nil).wantError(t, http.StatusBadRequest, "invalid_grant")
		redeem(code(), other).wantError(t, http.StatusBadRequest, "invalid_grant")
		if tok := redeem(code(), key).wantOK(t); tok["token_type"] != "DPoP" {
			t.Errorf("token_type = %v", tok["token_type"])
		}
	})
}
