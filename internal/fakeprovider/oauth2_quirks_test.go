package fakeprovider

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestOAuth2Quirks checks the raw body each quirk switch produces.
func TestOAuth2Quirks(t *testing.T) {
	cc := params("grant_type", "client_credentials")
	auth := basicAuth("basic-client", "basic-secret")
	tok := `[A-Za-z0-9_-]+`
	tests := []struct {
		name      string
		configure func(*OAuth2)
		form      []string // overrides cc when set
		hdr       []string
		status    int
		ctype     string
		body      string // regexp the whole body must match
	}{
		{
			name:   "none",
			status: 200, ctype: "application/json",
			body: `\{"access_token":"at_` + tok + `","expires_in":3600,"token_type":"Bearer"\}`,
		},
		{
			name:      "FormEncodedTokenResponse",
			configure: func(o *OAuth2) { o.FormEncodedTokenResponse = true },
			status:    200, ctype: "application/x-www-form-urlencoded",
			body: `access_token=at_` + tok + `&token_type=bearer&expires_in=3600&scope=`,
		},
		{
			name:      "FormEncodedTokenResponse with Accept json",
			configure: func(o *OAuth2) { o.FormEncodedTokenResponse = true },
			hdr:       []string{"Accept", "application/json"},
			status:    200, ctype: "application/json",
			body: `\{"access_token":"at_` + tok + `","expires_in":3600,"token_type":"Bearer"\}`,
		},
		{
			name:      "FormEncodedTokenResponse error",
			configure: func(o *OAuth2) { o.FormEncodedTokenResponse = true },
			form:      []string{"grant_type", "password", "username", "alice", "password", "nope"},
			status:    400, ctype: "application/x-www-form-urlencoded",
			body: `error=invalid_grant&error_description=wrong\+username\+or\+password`,
		},
		{
			name:      "StringExpiresIn",
			configure: func(o *OAuth2) { o.StringExpiresIn = true },
			status:    200, ctype: "application/json",
			body: `\{"access_token":"at_` + tok + `","expires_in":"3600","token_type":"Bearer"\}`,
		},
		{
			name:      "FloatExpiresIn",
			configure: func(o *OAuth2) { o.FloatExpiresIn = true },
			status:    200, ctype: "application/json",
			body: `\{"access_token":"at_` + tok + `","expires_in":3600.0,"token_type":"Bearer"\}`,
		},
		{
			name:      "OmitTokenType",
			configure: func(o *OAuth2) { o.OmitTokenType = true },
			status:    200, ctype: "application/json",
			body: `\{"access_token":"at_` + tok + `","expires_in":3600\}`,
		},
		{
			name:      "negative AccessTokenTTL",
			configure: func(o *OAuth2) { o.AccessTokenTTL = -1 },
			status:    200, ctype: "application/json",
			body: `\{"access_token":"at_` + tok + `","token_type":"Bearer"\}`,
		},
		{
			name:      "Scope",
			configure: func(o *OAuth2) { o.Scope = "read:user" },
			form:      []string{"grant_type", "client_credentials", "scope", "repo"},
			status:    200, ctype: "application/json",
			body: `\{"access_token":"at_` + tok + `","expires_in":3600,"scope":"read:user","token_type":"Bearer"\}`,
		},
		{
			name:      "ErrorWith200",
			configure: func(o *OAuth2) { o.ErrorWith200 = true },
			status:    200, ctype: "application/json",
			body: `\{"error":"invalid_auth","ok":false\}`,
		},
		{
			name:      "TokenStatus",
			configure: func(o *OAuth2) { o.TokenStatus = http.StatusBadGateway },
			status:    502, ctype: "application/json",
			body: `\{"error":"temporarily_unavailable"\}`,
		},
		{
			name:      "RefreshStatus spares other grants",
			configure: func(o *OAuth2) { o.RefreshStatus = http.StatusServiceUnavailable },
			status:    200, ctype: "application/json",
			body: `\{"access_token":"at_` + tok + `","expires_in":3600,"token_type":"Bearer"\}`,
		},
		{
			name:      "OversizeBytes",
			configure: func(o *OAuth2) { o.OversizeBytes = 2 << 20 },
			status:    200, ctype: "application/json",
			body: `\{"access_token":"at_` + tok + `","expires_in":3600,"padding":"x+","token_type":"Bearer"\}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := o2Server(t, tt.configure)
			form := cc
			if tt.form != nil {
				form = params(tt.form...)
			}
			r := post(t, s, OAuth2TokenPath, auth, form, tt.hdr...)
			if r.status != tt.status || r.header.Get("Content-Type") != tt.ctype {
				t.Fatalf("got %d %q, want %d %q; body %.200s", r.status, r.header.Get("Content-Type"), tt.status, tt.ctype, r.body)
			}
			if !regexp.MustCompile(`^` + tt.body + `$`).MatchString(r.body) {
				t.Errorf("body %.300q does not match %.300q", r.body, tt.body)
			}
		})
	}
}

// TestOAuth2OversizeBytes checks the padded body is at least as long as
// asked, for JSON and form responses.
func TestOAuth2OversizeBytes(t *testing.T) {
	for _, form := range []bool{false, true} {
		s := o2Server(t, func(o *OAuth2) { o.OversizeBytes = 1<<20 + 1; o.FormEncodedTokenResponse = form })
		r := post(t, s, OAuth2TokenPath, basicAuth("basic-client", "basic-secret"), params("grant_type", "client_credentials"))
		if r.status != http.StatusOK || len(r.body) < 1<<20+1 || len(r.body) > 1<<20+64 {
			t.Errorf("form=%v: status %d, body length %d, want 200 and just over %d", form, r.status, len(r.body), 1<<20+1)
		}
	}
}

// TestOAuth2StatusQuirks checks Retry-After on 503 and that RefreshStatus
// fails refreshes while still counting them.
func TestOAuth2StatusQuirks(t *testing.T) {
	auth := basicAuth("basic-client", "basic-secret")
	t.Run("TokenStatus 503", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) { o.TokenStatus = http.StatusServiceUnavailable })
		r := post(t, s, OAuth2TokenPath, auth, params("grant_type", "client_credentials"))
		r.wantError(t, http.StatusServiceUnavailable, "temporarily_unavailable")
		if got := r.header.Get("Retry-After"); got != "1" {
			t.Errorf("Retry-After = %q, want 1", got)
		}
		if s.OAuth2.TokensIssued() != 0 {
			t.Errorf("TokensIssued() = %d, want 0", s.OAuth2.TokensIssued())
		}
	})
	t.Run("RefreshStatus", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) { o.RefreshStatus = http.StatusServiceUnavailable })
		_, rt := s.OAuth2.IssueToken("basic-client", time.Hour)
		for i := 0; i < 3; i++ {
			r := post(t, s, OAuth2TokenPath, auth, params("grant_type", "refresh_token", "refresh_token", rt))
			r.wantError(t, http.StatusServiceUnavailable, "temporarily_unavailable")
		}
		if got := s.OAuth2.Refreshes(); got != 3 {
			t.Errorf("Refreshes() = %d, want 3", got)
		}
		// The refresh token survived the failed attempts.
		s.OAuth2.RefreshStatus = 0
		post(t, s, OAuth2TokenPath, auth, params("grant_type", "refresh_token", "refresh_token", rt)).wantOK(t)
	})
	t.Run("quirks after authentication", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) { o.TokenStatus = http.StatusServiceUnavailable; o.ErrorWith200 = true })
		post(t, s, OAuth2TokenPath, basicAuth("basic-client", "wrong"), params("grant_type", "client_credentials")).
			wantError(t, http.StatusUnauthorized, "invalid_client")
	})
}

// TestOAuth2Delay checks that Delay slows answers and that a cancelled
// request is dropped at once.
func TestOAuth2Delay(t *testing.T) {
	const delay = 300 * time.Millisecond
	s := o2Server(t, func(o *OAuth2) { o.Delay = delay })
	auth := basicAuth("basic-client", "basic-secret")
	start := time.Now()
	post(t, s, OAuth2TokenPath, auth, params("grant_type", "client_credentials")).wantOK(t)
	if el := time.Since(start); el < delay {
		t.Errorf("answered after %v, want at least %v", el, delay)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+OAuth2TokenPath, strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Basic YmFzaWMtY2xpZW50OmJhc2ljLXNlY3JldA==")
	resp, err := s.Client().Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("request with a 20ms deadline succeeded: %d", resp.StatusCode)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
	// Close (by Cleanup) must not wait for the full delay of the dropped
	// request: the handler returns when the connection's context ends.
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * delay):
		t.Error("Close still waiting for a cancelled delayed request")
	}
	if s.OAuth2.TokensIssued() != 1 {
		t.Errorf("TokensIssued() = %d, want 1", s.OAuth2.TokensIssued())
	}
}
