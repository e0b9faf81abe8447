package fakeprovider

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestOAuth2Revocation checks RFC 7009: access and refresh tokens, hints,
// unknown tokens, and introspection afterwards.
func TestOAuth2Revocation(t *testing.T) {
	auth := basicAuth("basic-client", "basic-secret")
	revoke := func(t *testing.T, s *Server, token, hint string) o2Resp {
		form := params("token", token)
		if hint != "" {
			form.Add("token_type_hint", hint)
		}
		return post(t, s, OAuth2RevokePath, auth, form)
	}
	t.Run("access token", func(t *testing.T) {
		s := o2Server(t, nil)
		at, rt := s.OAuth2.IssueToken("basic-client", time.Hour)
		if got := introspect(t, s, at)["active"]; got != true {
			t.Fatalf("active before revocation = %v", got)
		}
		if r := revoke(t, s, at, "access_token"); r.status != http.StatusOK {
			t.Fatalf("revoke: %d %s", r.status, r.body)
		}
		if got := introspect(t, s, at); !cmp.Equal(got, map[string]any{"active": false}) {
			t.Errorf("introspection after revocation = %v, want {active:false}", got)
		}
		if got := introspect(t, s, rt)["active"]; got != true {
			t.Errorf("refresh token after revoking its access token: active = %v, want true", got)
		}
	})
	t.Run("refresh token revokes its grant", func(t *testing.T) {
		s := o2Server(t, nil)
		first := post(t, s, OAuth2TokenPath, auth, params("grant_type", "password", "username", "alice", "password", "wonderland")).wantOK(t)
		second := post(t, s, OAuth2TokenPath, auth, params("grant_type", "refresh_token", "refresh_token", first["refresh_token"].(string))).wantOK(t)
		// Hint says access_token: the provider must still find the refresh token.
		if r := revoke(t, s, second["refresh_token"].(string), "access_token"); r.status != http.StatusOK {
			t.Fatalf("revoke: %d %s", r.status, r.body)
		}
		for _, tok := range []string{first["access_token"].(string), second["access_token"].(string), second["refresh_token"].(string)} {
			if got := introspect(t, s, tok)["active"]; got != false {
				t.Errorf("token of the revoked grant: active = %v, want false", got)
			}
		}
		post(t, s, OAuth2TokenPath, auth, params("grant_type", "refresh_token", "refresh_token", second["refresh_token"].(string))).
			wantError(t, http.StatusBadRequest, "invalid_grant")
	})
	t.Run("unknown token", func(t *testing.T) {
		s := o2Server(t, nil)
		if r := revoke(t, s, "never-issued", "refresh_token"); r.status != http.StatusOK {
			t.Errorf("revoke unknown: %d %s, want 200", r.status, r.body)
		}
	})
	t.Run("another client's token", func(t *testing.T) {
		s := o2Server(t, nil)
		at, _ := s.OAuth2.IssueToken("post-client", time.Hour)
		revoke(t, s, at, "").wantError(t, http.StatusBadRequest, "unauthorized_client")
		if got := introspect(t, s, at)["active"]; got != true {
			t.Errorf("active = %v, want true", got)
		}
	})
	t.Run("no token", func(t *testing.T) {
		s := o2Server(t, nil)
		post(t, s, OAuth2RevokePath, auth, nil).wantError(t, http.StatusBadRequest, "invalid_request")
	})
}

// TestOAuth2Introspection checks RFC 7662 responses against the §2.2
// vectors' field sets.
func TestOAuth2Introspection(t *testing.T) {
	now := time.Unix(1419350238, 0) // the vector's iat
	s := o2Server(t, func(o *OAuth2) { o.Now = func() time.Time { return now } })
	tok := post(t, s, OAuth2TokenPath, basicAuth("basic-client", "basic-secret"),
		params("grant_type", "password", "username", "alice", "password", "wonderland", "scope", "read write dolphin")).wantOK(t)

	var active map[string]any
	for _, v := range loadVectors(t, "introspection_response") {
		if strings.HasSuffix(v.ID, "-active") {
			unmarshal(t, v.Expected, &active)
		}
	}
	got := introspect(t, s, tok["access_token"].(string))
	for _, k := range []string{"active", "client_id", "username", "scope", "sub", "exp", "iat", "iss"} {
		if _, ok := active[k+"_utc"]; !ok {
			if _, ok := active[k]; !ok {
				t.Fatalf("vector has no field %q", k)
			}
		}
		if _, ok := got[k]; !ok {
			t.Errorf("introspection response lacks %q: %v", k, got)
		}
	}
	want := map[string]any{
		"active": true, "client_id": "basic-client", "username": "alice", "sub": "alice",
		"scope": "read write dolphin", "token_type": "Bearer", "iss": s.URL,
		"iat": float64(1419350238), "exp": float64(1419350238 + 3600),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("introspection mismatch (-want +got):\n%s", diff)
	}

	now = now.Add(time.Hour)
	if got := introspect(t, s, tok["access_token"].(string)); !cmp.Equal(got, map[string]any{"active": false}) {
		t.Errorf("expired token: %v, want {active:false}", got)
	}
	if got := introspect(t, s, "unknown"); !cmp.Equal(got, map[string]any{"active": false}) {
		t.Errorf("unknown token: %v, want {active:false}", got)
	}
	if got := introspect(t, s, tok["refresh_token"].(string))["active"]; got != true {
		t.Errorf("refresh token: active = %v, want true", got)
	}
}

// TestOAuth2BearerPlacements uses the RFC 6750 §2 vectors' placements.
func TestOAuth2BearerPlacements(t *testing.T) {
	s := o2Server(t, nil)
	at, _ := s.OAuth2.IssueToken("basic-client", time.Hour)
	for _, v := range loadVectors(t, "bearer_placement") {
		var in struct {
			Placement string `json:"placement"`
		}
		unmarshal(t, v.Input, &in)
		t.Run(v.ID, func(t *testing.T) {
			u := s.URL + OAuth2ResourcePath + "?x=1"
			var req *http.Request
			switch in.Placement {
			case "header":
				req, _ = http.NewRequest(http.MethodGet, u, nil)
				req.Header.Set("Authorization", "Bearer "+at)
			case "body":
				req, _ = http.NewRequest(http.MethodPost, u, strings.NewReader(params("access_token", at).Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			case "query":
				req, _ = http.NewRequest(http.MethodGet, u+"&access_token="+at, nil)
			default:
				t.Fatalf("unknown placement %q", in.Placement)
			}
			got := o2Do(t, s.Client(), req).wantOK(t)
			want := map[string]any{
				"ok": true, "client_id": "basic-client", "method": in.Placement, "http_method": req.Method,
				"query": map[string]any{"x": "1"}, "username": "", "scope": "",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("echo mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if got := s.OAuth2.ResourceRequests(); got != 3 {
		t.Errorf("ResourceRequests() = %d, want 3", got)
	}
}

// TestOAuth2ResourceRejects checks RFC 6750 §3 challenges.
func TestOAuth2ResourceRejects(t *testing.T) {
	s := o2Server(t, nil)
	expired, _ := s.OAuth2.IssueToken("basic-client", -time.Minute)
	live, _ := s.OAuth2.IssueToken("basic-client", time.Hour)
	get := func(token, query string) o2Resp {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, s.URL+OAuth2ResourcePath+query, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return o2Do(t, s.Client(), req)
	}
	tests := []struct {
		name       string
		resp       o2Resp
		wantStatus int
		wantChal   string
	}{
		{"expired", get(expired, ""), 401, `Bearer error="invalid_token"`},
		{"unknown", get("not-a-token", ""), 401, `Bearer error="invalid_token"`},
		{"missing", get("", ""), 401, `Bearer`},
		{"two placements", get(live, "?access_token="+live), 400, `Bearer error="invalid_request"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.resp.status != tt.wantStatus || tt.resp.header.Get("WWW-Authenticate") != tt.wantChal {
				t.Errorf("got %d WWW-Authenticate %q, want %d %q", tt.resp.status, tt.resp.header.Get("WWW-Authenticate"), tt.wantStatus, tt.wantChal)
			}
		})
	}
	// The vector's status for invalid_token.
	for _, v := range loadVectors(t, "www_authenticate") {
		var want struct {
			Status int `json:"status"`
		}
		unmarshal(t, v.Expected, &want)
		if want.Status != 0 && want.Status != tests[0].resp.status {
			t.Errorf("%s: status %d, vector says %d", v.ID, tests[0].resp.status, want.Status)
		}
	}
	if got := s.OAuth2.ResourceRequests(); got != 0 {
		t.Errorf("ResourceRequests() = %d, want 0", got)
	}
}
