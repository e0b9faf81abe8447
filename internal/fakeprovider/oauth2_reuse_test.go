package fakeprovider

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestRefreshReuseDetection checks strict rotation with reuse detection: a
// spent refresh token presented again revokes its whole grant, once, and
// leaves other grants alone; SkipReuseDetection only refuses it.
func TestRefreshReuseDetection(t *testing.T) {
	auth := basicAuth("basic-client", "basic-secret")
	password := params("grant_type", "password", "username", "alice", "password", "wonderland")
	refresh := func(t *testing.T, s *Server, rt string) o2Resp {
		return post(t, s, OAuth2TokenPath, auth, params("grant_type", "refresh_token", "refresh_token", rt))
	}
	for _, skip := range []bool{false, true} {
		name := "detection"
		if skip {
			name = "SkipReuseDetection"
		}
		t.Run(name, func(t *testing.T) {
			s := o2Server(t, func(o *OAuth2) { o.SkipReuseDetection = skip })
			bystander := post(t, s, OAuth2TokenPath, auth, password).wantOK(t)
			first := post(t, s, OAuth2TokenPath, auth, password).wantOK(t)
			spent := first["refresh_token"].(string)
			second := refresh(t, s, spent).wantOK(t)
			refresh(t, s, spent).wantError(t, http.StatusBadRequest, "invalid_grant")
			refresh(t, s, spent).wantError(t, http.StatusBadRequest, "invalid_grant")

			wantGrants, wantStatus := 1, http.StatusUnauthorized
			if skip {
				wantGrants, wantStatus = 0, http.StatusOK
			}
			if got := s.OAuth2.GrantsRevoked(); got != wantGrants {
				t.Errorf("GrantsRevoked() = %d, want %d (a grant counts once)", got, wantGrants)
			}
			if got := s.OAuth2.RefreshTokenReuses(); got != 2 {
				t.Errorf("RefreshTokenReuses() = %d, want 2", got)
			}
			for _, at := range []string{first["access_token"].(string), second["access_token"].(string)} {
				if r := bearerGet(t, s, at); r.status != wantStatus {
					t.Errorf("access token of the grant: status %d, want %d", r.status, wantStatus)
				}
			}
			if got := introspect(t, s, second["refresh_token"].(string))["active"]; got != skip {
				t.Errorf("newest refresh token of the grant: active = %v, want %v", got, skip)
			}
			bearerGet(t, s, bystander["access_token"].(string)).wantOK(t)
			refresh(t, s, bystander["refresh_token"].(string)).wantOK(t)
		})
	}
	t.Run("another client's spent token", func(t *testing.T) {
		s := o2Server(t, nil)
		spent := post(t, s, OAuth2TokenPath, auth, password).str(t, "refresh_token")
		refresh(t, s, spent).wantOK(t)
		post(t, s, OAuth2TokenPath, postAuth("post-client", "post-secret"), params("grant_type", "refresh_token", "refresh_token", spent)).
			wantError(t, http.StatusBadRequest, "invalid_grant")
		if got := s.OAuth2.GrantsRevoked(); got != 0 {
			t.Errorf("GrantsRevoked() = %d, want 0: only the grant's own client can spend its tokens", got)
		}
	})
}

// TestRefreshesEqualExpiries checks what a fleet test asserts: when one
// holder refreshes each expired token once, Refreshes equals the number of
// tokens replaced and nothing is revoked.
func TestRefreshesEqualExpiries(t *testing.T) {
	now := time.Unix(1700000000, 0)
	s := o2Server(t, func(o *OAuth2) {
		o.Now = func() time.Time { return now }
		o.AccessTokenTTL = time.Second
	})
	tok := post(t, s, OAuth2TokenPath, basicAuth("basic-client", "basic-secret"),
		params("grant_type", "password", "username", "alice", "password", "wonderland")).wantOK(t)
	const expiries = 5
	for i := 0; i < expiries; i++ {
		now = now.Add(time.Second)
		if r := bearerGet(t, s, tok["access_token"].(string)); r.status != http.StatusUnauthorized {
			t.Fatalf("token %d: status %d after its expiry, want 401", i, r.status)
		}
		tok = post(t, s, OAuth2TokenPath, basicAuth("basic-client", "basic-secret"),
			params("grant_type", "refresh_token", "refresh_token", tok["refresh_token"].(string))).wantOK(t)
		bearerGet(t, s, tok["access_token"].(string)).wantOK(t)
	}
	if s.OAuth2.Refreshes() != expiries || s.OAuth2.TokensIssued()-1 != expiries || s.OAuth2.GrantsRevoked() != 0 {
		t.Errorf("Refreshes %d, TokensIssued-1 %d, GrantsRevoked %d; want %d, %d, 0",
			s.OAuth2.Refreshes(), s.OAuth2.TokensIssued()-1, s.OAuth2.GrantsRevoked(), expiries, expiries)
	}
}

// TestConcurrentRefreshRevokesGrant sends one refresh token from many
// goroutines: one wins, every other is a reuse, and the grant, the
// winner's new tokens included, is revoked once.
func TestConcurrentRefreshRevokesGrant(t *testing.T) {
	const n = 50
	s := o2Server(t, nil)
	_, rt := s.OAuth2.IssueToken("basic-client", time.Hour)
	auth := basicAuth("basic-client", "basic-secret")
	var wg sync.WaitGroup
	resps := make([]o2Resp, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := tryPost(t, s, OAuth2TokenPath, auth, params("grant_type", "refresh_token", "refresh_token", rt))
			if err != nil {
				t.Error(err)
			}
			resps[i] = r
		}()
	}
	wg.Wait()
	var winner o2Resp
	won := 0
	for _, r := range resps {
		if r.status == http.StatusOK {
			winner, won = r, won+1
		}
	}
	if won != 1 || s.OAuth2.RefreshTokenReuses() != n-1 || s.OAuth2.GrantsRevoked() != 1 {
		t.Fatalf("won %d, RefreshTokenReuses %d, GrantsRevoked %d; want 1, %d, 1", won, s.OAuth2.RefreshTokenReuses(), s.OAuth2.GrantsRevoked(), n-1)
	}
	if r := bearerGet(t, s, winner.str(t, "access_token")); r.status != http.StatusUnauthorized {
		t.Errorf("winner's access token: status %d, want 401 (its grant was revoked)", r.status)
	}
}
