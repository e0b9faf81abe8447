package oauth2_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
)

// TestCheckResponseVectors reads the RFC 6750 §3 challenges of oauth2.json
// from a response, as a client receives them from a resource server.
func TestCheckResponseVectors(t *testing.T) {
	data, err := os.ReadFile("../internal/testdata/vectors/oauth2.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Vectors []struct {
			ID       string
			Kind     string
			Input    json.RawMessage
			Expected json.RawMessage
		}
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, v := range file.Vectors {
		if v.Kind != "www_authenticate" {
			continue
		}
		n++
		t.Run(v.ID, func(t *testing.T) {
			var in map[string]string
			var exp struct {
				Header string
				Status int
			}
			if err := json.Unmarshal(v.Input, &in); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(v.Expected, &exp); err != nil {
				t.Fatal(err)
			}
			status := exp.Status
			if status == 0 {
				status = http.StatusUnauthorized
			}
			resp := &http.Response{StatusCode: status, Header: http.Header{"Www-Authenticate": {exp.Header}}, Body: io.NopCloser(strings.NewReader(""))}
			var e *oauth2.Error
			if err := oauth2.CheckResponse(resp); !errors.As(err, &e) {
				t.Fatalf("CheckResponse = %v, want *oauth2.Error", err)
			}
			want := &oauth2.Error{Endpoint: "resource", StatusCode: status, ErrorCode: in["error"], ErrorDescription: in["error_description"]}
			if diff := cmp.Diff(want, e, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("CheckResponse mismatch (-want +got):\n%s", diff)
			}
			if in["error"] == "invalid_token" && !errors.Is(e, oauth2.ErrInvalidToken) {
				t.Errorf("errors.Is(%v, ErrInvalidToken) = false", e)
			}
		})
	}
	if n == 0 {
		t.Fatal("no www_authenticate vectors")
	}
}

func TestCheckResponse(t *testing.T) {
	ok := &http.Response{StatusCode: 204, Body: http.NoBody}
	if err := oauth2.CheckResponse(ok); err != nil {
		t.Errorf("CheckResponse(204) = %v", err)
	}
	scope := &http.Response{StatusCode: 403, Header: http.Header{"Www-Authenticate": {
		`Basic realm="x"`, `Bearer error="insufficient_scope", scope="repo admin"`}}, Body: io.NopCloser(strings.NewReader("need more"))}
	err := oauth2.CheckResponse(scope)
	var e *oauth2.Error
	if !errors.As(err, &e) || !errors.Is(err, oauth2.ErrInsufficientScope) || e.Scope != "repo admin" || string(e.Body) != "need more" {
		t.Errorf("CheckResponse(403) = %#v", err)
	}
}

// TestCheckResponseRevoked: after revocation the fake provider's resource
// answers 401 with a Bearer invalid_token challenge, which CheckResponse
// turns into ErrInvalidToken. (The Transport's retry, which would renew
// the token and send again, is off.)
func TestCheckResponseRevoked(t *testing.T) {
	srv := newProvider(t)
	s := clients(t, srv)["client_secret_basic"].ClientCredentials()
	ctx := context.Background()
	c := &http.Client{Transport: &oauth2.Transport{Source: s, Base: srv.Client().Transport, DisableRetry: true}}
	get := func() error {
		resp, err := c.Get(srv.URL + fakeprovider.OAuth2ResourcePath)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		return oauth2.CheckResponse(resp)
	}
	if err := get(); err != nil {
		t.Fatalf("before revocation: %v", err)
	}
	if err := s.Revoke(ctx, oauth2.HintAccessToken); err != nil {
		t.Fatal(err)
	}
	err := get()
	if !errors.Is(err, oauth2.ErrInvalidToken) {
		t.Fatalf("after revocation: %v, want ErrInvalidToken", err)
	}
	if tok := s.CachedToken(); strings.Contains(err.Error(), tok.AccessToken) {
		t.Errorf("error %q contains the access token", err)
	}
}

// TestCheckResponseChallengeList finds the Bearer challenge wherever it is
// in the WWW-Authenticate fields: alone, after or before another challenge
// in the same field (RFC 7235 §4.1), or in a later field.
func TestCheckResponseChallengeList(t *testing.T) {
	tests := []struct {
		name   string
		fields []string
		want   *oauth2.Error
	}{
		{"bearer after basic", []string{`Basic realm="api", Bearer error="invalid_token", error_description="expired"`},
			&oauth2.Error{ErrorCode: "invalid_token", ErrorDescription: "expired"}},
		{"bearer before dpop", []string{`Bearer error="invalid_token", DPoP algs="ES256 PS256"`},
			&oauth2.Error{ErrorCode: "invalid_token"}},
		{"token68 first", []string{`Negotiate a87421000492aa874209af8bc028==, Bearer error="insufficient_scope", scope="a b"`},
			&oauth2.Error{ErrorCode: "insufficient_scope", Scope: "a b"}},
		{"second field", []string{`Basic realm="api", DPoP algs="ES256"`, `Bearer realm="api", error="invalid_token"`},
			&oauth2.Error{ErrorCode: "invalid_token"}},
		{"parameter names in any case", []string{`bearer ERROR="invalid_token", Error_URI="https://e.example/x"`},
			&oauth2.Error{ErrorCode: "invalid_token", ErrorURI: "https://e.example/x"}},
		{"no bearer", []string{`Basic realm="api", DPoP algs="ES256"`}, &oauth2.Error{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: 401, Header: http.Header{"Www-Authenticate": tt.fields}, Body: http.NoBody}
			var e *oauth2.Error
			if err := oauth2.CheckResponse(resp); !errors.As(err, &e) {
				t.Fatalf("CheckResponse = %v, want *oauth2.Error", err)
			}
			tt.want.Endpoint, tt.want.StatusCode = "resource", 401
			if diff := cmp.Diff(tt.want, e, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("CheckResponse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
