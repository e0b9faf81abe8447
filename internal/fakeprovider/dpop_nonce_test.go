package fakeprovider

import (
	"net/http"
	"testing"
)

// TestDPoPNonceTokenEndpoint checks the authorization server nonce of RFC
// 9449 §8: a proof without it gets 400 use_dpop_nonce with the nonce, the
// retry with it succeeds, and every response carries the current nonce.
func TestDPoPNonceTokenEndpoint(t *testing.T) {
	s := o2Server(t, func(o *OAuth2) { o.RequireDPoPNonce = true })
	key := newTestKey(t, "ES256")
	uri := s.URL + OAuth2TokenPath
	auth := basicAuth("basic-client", "basic-secret")
	form := params("grant_type", "client_credentials")

	r := post(t, s, OAuth2TokenPath, auth, form, "DPoP", key.proof(t, "POST", uri, "", "", nil))
	r.wantError(t, http.StatusBadRequest, "use_dpop_nonce")
	nonce := r.header.Get("DPoP-Nonce")
	if nonce == "" || nonce != s.OAuth2.DPoPNonce() {
		t.Fatalf("DPoP-Nonce = %q, want the current nonce %q", nonce, s.OAuth2.DPoPNonce())
	}
	r = post(t, s, OAuth2TokenPath, auth, form, "DPoP", key.proof(t, "POST", uri, "", nonce, nil))
	if r.wantOK(t)["token_type"] != "DPoP" || r.header.Get("DPoP-Nonce") != nonce {
		t.Errorf("retry: token_type %v, DPoP-Nonce %q; want DPoP, %q", r.json(t)["token_type"], r.header.Get("DPoP-Nonce"), nonce)
	}
	post(t, s, OAuth2TokenPath, auth, form, "DPoP", key.proof(t, "POST", uri, "", "stale", nil)).wantError(t, http.StatusBadRequest, "use_dpop_nonce")
	// Errors unrelated to DPoP, and requests without DPoP, carry it too.
	if r := post(t, s, OAuth2TokenPath, basicAuth("basic-client", "wrong"), form); r.header.Get("DPoP-Nonce") != nonce {
		t.Errorf("invalid_client response: DPoP-Nonce = %q, want %q", r.header.Get("DPoP-Nonce"), nonce)
	}
	if got := s.OAuth2.DPoPNonceChallenges(); got != 2 {
		t.Errorf("DPoPNonceChallenges() = %d, want 2", got)
	}

	rotated := s.OAuth2.RotateDPoPNonce()
	if rotated == nonce {
		t.Fatal("RotateDPoPNonce kept the nonce")
	}
	r = post(t, s, OAuth2TokenPath, auth, form, "DPoP", key.proof(t, "POST", uri, "", nonce, nil))
	r.wantError(t, http.StatusBadRequest, "use_dpop_nonce")
	if got := r.header.Get("DPoP-Nonce"); got != rotated {
		t.Errorf("after rotation: DPoP-Nonce = %q, want %q", got, rotated)
	}
}

// TestDPoPNonceResource checks the resource server nonce of RFC 9449 §9: a
// 401 with WWW-Authenticate: DPoP error="use_dpop_nonce" and the nonce.
func TestDPoPNonceResource(t *testing.T) {
	s := o2Server(t, func(o *OAuth2) { o.RequireResourceDPoPNonce = true })
	key := newTestKey(t, "ES256")
	// The token endpoint demands no nonce here.
	at := dpopToken(t, s, key, "openid")["access_token"].(string)
	for _, path := range []string{OAuth2ResourcePath, OAuth2UserInfoPath} {
		t.Run(path, func(t *testing.T) {
			uri := s.URL + path
			r := resourceGet(t, s, path, "DPoP", at, key.proof(t, "GET", uri, at, "", nil))
			if r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") == "" || r.str(t, "error") != "use_dpop_nonce" {
				t.Fatalf("got %d %s, want 401 use_dpop_nonce", r.status, r.body)
			}
			if ch := r.header.Get("WWW-Authenticate"); ch[:len(`DPoP error="use_dpop_nonce"`)] != `DPoP error="use_dpop_nonce"` {
				t.Errorf("WWW-Authenticate = %q", ch)
			}
			nonce := r.header.Get("DPoP-Nonce")
			if nonce == "" {
				t.Fatal("no DPoP-Nonce")
			}
			r = resourceGet(t, s, path, "DPoP", at, key.proof(t, "GET", uri, at, nonce, nil))
			r.wantOK(t)
			if r.header.Get("DPoP-Nonce") != nonce {
				t.Errorf("DPoP-Nonce = %q, want %q on success too", r.header.Get("DPoP-Nonce"), nonce)
			}
		})
	}
}

// TestDPoPNonceEvery checks that the nonce changes after every N proofs
// accepted with it, and that the response to the N-th carries the new one.
func TestDPoPNonceEvery(t *testing.T) {
	const n = 3
	s := o2Server(t, func(o *OAuth2) {
		o.RequireDPoPNonce = true
		o.DPoPNonceEvery = n
	})
	key := newTestKey(t, "ES256")
	uri := s.URL + OAuth2TokenPath
	auth := basicAuth("basic-client", "basic-secret")
	form := params("grant_type", "client_credentials")
	nonce := s.OAuth2.DPoPNonce()
	for i := 1; i <= n; i++ {
		r := post(t, s, OAuth2TokenPath, auth, form, "DPoP", key.proof(t, "POST", uri, "", nonce, nil))
		r.wantOK(t)
		changed := r.header.Get("DPoP-Nonce") != nonce
		if changed != (i == n) {
			t.Fatalf("request %d: DPoP-Nonce %q (was %q); want a change at request %d only", i, r.header.Get("DPoP-Nonce"), nonce, n)
		}
	}
	post(t, s, OAuth2TokenPath, auth, form, "DPoP", key.proof(t, "POST", uri, "", nonce, nil)).wantError(t, http.StatusBadRequest, "use_dpop_nonce")
}
