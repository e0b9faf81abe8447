package fakeprovider

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/internal/urlenc"
)

// RFC 8707 §2 resource and RFC 8693 §2.1 audience may be repeated; a
// parameter without a value is omitted (RFC 6749 §3.2). The provider
// records the request as sent and makes its resources and audiences the
// tokens' audience, which a refresh keeps unless it names its own.
func TestOAuth2RepeatableParams(t *testing.T) {
	s := o2Server(t, nil)
	auth := basicAuth("basic-client", "basic-secret")
	if got := s.OAuth2.LastTokenRequest(); got != nil {
		t.Errorf("LastTokenRequest before any = %v, want nil", got)
	}
	form := params("grant_type", "password", "username", "alice", "password", "wonderland",
		"resource", "https://a.example/", "audience", "x", "resource", "https://b.example/", "audience", "y", "scope", "")
	tok := post(t, s, OAuth2TokenPath, auth, form).wantOK(t)
	if _, ok := tok["scope"]; ok {
		t.Errorf("token response has scope %v, want none: an empty scope is omitted", tok["scope"])
	}
	want := url.Values{"grant_type": {"password"}, "username": {"alice"}, "password": {"wonderland"},
		"resource": {"https://a.example/", "https://b.example/"}, "audience": {"x", "y"}, "scope": {""}}
	if diff := cmp.Diff(want, s.OAuth2.LastTokenRequest()); diff != "" {
		t.Errorf("LastTokenRequest mismatch (-want +got):\n%s", diff)
	}
	aud := []any{"https://a.example/", "https://b.example/", "x", "y"}
	at, rt := tok["access_token"].(string), tok["refresh_token"].(string)
	if diff := cmp.Diff(aud, introspect(t, s, at)["aud"]); diff != "" {
		t.Errorf("introspection aud mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(aud, bearerGet(t, s, at).wantOK(t)["aud"]); diff != "" {
		t.Errorf("resource echo aud mismatch (-want +got):\n%s", diff)
	}

	// A refresh without resource keeps the grant's audience; one with a
	// resource narrows its access token to it, not the grant (RFC 8707
	// §2.2).
	refresh := func(rt string, p ...string) (at, next string) {
		t.Helper()
		tok := post(t, s, OAuth2TokenPath, auth, append(params("grant_type", "refresh_token", "refresh_token", rt), params(p...)...)).wantOK(t)
		return tok["access_token"].(string), tok["refresh_token"].(string)
	}
	at, rt = refresh(rt)
	if diff := cmp.Diff(aud, introspect(t, s, at)["aud"]); diff != "" {
		t.Errorf("aud after a refresh (-want +got):\n%s", diff)
	}
	at, rt = refresh(rt, "resource", "https://b.example/")
	if got := introspect(t, s, at)["aud"]; got != "https://b.example/" {
		t.Errorf("aud after a refresh for one resource = %v, want https://b.example/", got)
	}
	at, _ = refresh(rt)
	if diff := cmp.Diff(aud, introspect(t, s, at)["aud"]); diff != "" {
		t.Errorf("aud of the next refresh (-want +got):\n%s", diff)
	}

	// A refused request is recorded too.
	post(t, s, OAuth2TokenPath, auth, params("grant_type", "client_credentials", "scope", "a", "scope", "b")).
		wantError(t, http.StatusBadRequest, "invalid_request")
	if diff := cmp.Diff(url.Values{"grant_type": {"client_credentials"}, "scope": {"a", "b"}}, s.OAuth2.LastTokenRequest()); diff != "" {
		t.Errorf("LastTokenRequest of a refused request (-want +got):\n%s", diff)
	}
}

// Resources of the authorization request become the audience of the
// tokens of its code, unless the token request names its own.
func TestOAuth2AuthorizationResources(t *testing.T) {
	s := o2Server(t, nil)
	auth := basicAuth("basic-client", "basic-secret")
	code := func() string {
		q := params("response_type", "code", "client_id", "basic-client", "redirect_uri", testRedirect,
			"resource", "https://a.example/", "resource", "https://b.example/", "state", "")
		p := redirectParams(t, authorize(t, s, q), urlenc.Query)
		if p.Has("state") || p.Get("code") == "" {
			t.Fatalf("redirect params = %v, want a code and no state: an empty state is omitted", p)
		}
		return p.Get("code")
	}
	tok := post(t, s, OAuth2TokenPath, auth, params("grant_type", "authorization_code", "code", code(), "redirect_uri", testRedirect)).wantOK(t)
	if diff := cmp.Diff([]any{"https://a.example/", "https://b.example/"}, introspect(t, s, tok["access_token"].(string))["aud"]); diff != "" {
		t.Errorf("aud mismatch (-want +got):\n%s", diff)
	}
	tok = post(t, s, OAuth2TokenPath, auth, params("grant_type", "authorization_code", "code", code(), "redirect_uri", testRedirect,
		"resource", "https://a.example/")).wantOK(t)
	if got := introspect(t, s, tok["access_token"].(string))["aud"]; got != "https://a.example/" {
		t.Errorf("aud = %v, want https://a.example/", got)
	}
	for _, q := range []urlenc.Params{
		params("response_type", "code", "client_id", "basic-client", "redirect_uri", testRedirect, "state", "a", "state", "b"),
		params("response_type", "code", "client_id", "basic-client", "redirect_uri", testRedirect, "resource", "api"),
	} {
		if p := redirectParams(t, authorize(t, s, q), urlenc.Query); p.Get("error") == "" || p.Has("code") {
			t.Errorf("authorize %s: redirect params = %v, want an error", q.Encode(), p)
		}
	}
}

func TestOAuth2LastDeviceAuthRequest(t *testing.T) {
	s := o2Server(t, nil)
	post(t, s, OAuth2DevicePath, noneAuth("public-client"), params("scope", "read", "resource", "https://a.example/", "resource", "https://b.example/")).wantOK(t)
	want := url.Values{"client_id": {"public-client"}, "scope": {"read"}, "resource": {"https://a.example/", "https://b.example/"}}
	if diff := cmp.Diff(want, s.OAuth2.LastDeviceAuthRequest()); diff != "" {
		t.Errorf("LastDeviceAuthRequest mismatch (-want +got):\n%s", diff)
	}
	if got := s.OAuth2.LastTokenRequest(); got != nil {
		t.Errorf("LastTokenRequest = %v, want nil: no token request was made", got)
	}
}
