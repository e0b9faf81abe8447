package oidc_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/oauthkit/oauth/oauth2/oidc"
)

// FuzzParseMetadata checks that ParseMetadata never panics, fails only
// with ErrMalformedMetadata, and that what it accepts has an issuer and
// absolute http(s) endpoints and survives a round trip through its JSON
// form.
func FuzzParseMetadata(f *testing.F) {
	for _, file := range []string{"rfc8414-3.2.json", "oidc-discovery-4.2.json"} {
		data, err := os.ReadFile("testdata/" + file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"issuer":"https://a.example","mtls_endpoint_aliases":{"token_endpoint":"https://m.a.example/t"},"require_pushed_authorization_requests":true}`))
	f.Add([]byte(`{"issuer":"https://a.example","issuer":"https://b.example"}`))
	f.Add([]byte(`{"issuer":"https://a.example","scopes_supported":[],"jwks_uri":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := oidc.ParseMetadata(data)
		if err != nil {
			if !errors.Is(err, oidc.ErrMalformedMetadata) || m != nil {
				t.Fatalf("ParseMetadata() = %v, %v; want nil and ErrMalformedMetadata", m, err)
			}
			return
		}
		if m.Issuer == "" {
			t.Fatal("accepted a document without an issuer")
		}
		for _, u := range []string{m.Issuer, m.AuthorizationEndpoint, m.TokenEndpoint, m.JWKSURI, m.UserInfoEndpoint, m.PushedAuthorizationRequestEndpoint} {
			if u == "" {
				continue
			}
			p, err := url.Parse(u)
			if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" || p.Fragment != "" {
				t.Fatalf("accepted endpoint %q", u)
			}
		}
		again, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := oidc.ParseMetadata(again)
		if err != nil {
			t.Fatalf("ParseMetadata(json.Marshal(m)) error = %v for %s", err, again)
		}
		if diff := cmp.Diff(m, m2, cmpopts.IgnoreFields(oidc.Metadata{}, "Raw"), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip mismatch (-first +second):\n%s", diff)
		}
	})
}
