package oidc_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oidc"
	"github.com/oauthkit/oauth/signer/jose"
)

// TestParseMetadataPublished parses the example documents of RFC 8414
// §3.2 and OpenID Connect Discovery 1.0 §4.2 (testdata/README.md).
func TestParseMetadataPublished(t *testing.T) {
	tests := []struct {
		file string
		want oidc.Metadata
	}{
		{"rfc8414-3.2.json", oidc.Metadata{
			Issuer:                            "https://server.example.com",
			AuthorizationEndpoint:             "https://server.example.com/authorize",
			TokenEndpoint:                     "https://server.example.com/token",
			TokenEndpointAuthMethodsSupported: []string{"client_secret_basic", "private_key_jwt"},
			TokenEndpointAuthSigningAlgValuesSupported: []string{"RS256", "ES256"},
			UserInfoEndpoint:       "https://server.example.com/userinfo",
			JWKSURI:                "https://server.example.com/jwks.json",
			RegistrationEndpoint:   "https://server.example.com/register",
			ScopesSupported:        []string{"openid", "profile", "email", "address", "phone", "offline_access"},
			ResponseTypesSupported: []string{"code", "code token"},
		}},
		{"oidc-discovery-4.2.json", oidc.Metadata{
			Issuer:                            "https://server.example.com",
			AuthorizationEndpoint:             "https://server.example.com/connect/authorize",
			TokenEndpoint:                     "https://server.example.com/connect/token",
			TokenEndpointAuthMethodsSupported: []string{"client_secret_basic", "private_key_jwt"},
			TokenEndpointAuthSigningAlgValuesSupported: []string{"RS256", "ES256"},
			UserInfoEndpoint:                       "https://server.example.com/connect/userinfo",
			EndSessionEndpoint:                     "https://server.example.com/connect/end_session",
			JWKSURI:                                "https://server.example.com/jwks.json",
			RegistrationEndpoint:                   "https://server.example.com/connect/register",
			ScopesSupported:                        []string{"openid", "profile", "email", "address", "phone", "offline_access"},
			ResponseTypesSupported:                 []string{"code", "code id_token", "id_token", "id_token token"},
			SubjectTypesSupported:                  []string{"public", "pairwise"},
			UserInfoSigningAlgValuesSupported:      []string{"RS256", "ES256", "HS256"},
			IDTokenSigningAlgValuesSupported:       []string{"RS256", "ES256", "HS256"},
			RequestObjectSigningAlgValuesSupported: []string{"none", "RS256", "ES256"},
			ClaimsSupported: []string{"sub", "iss", "auth_time", "acr", "name", "given_name", "family_name", "nickname",
				"profile", "picture", "website", "email", "email_verified", "locale", "zoneinfo", "http://example.info/claims/groups"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			got, err := oidc.ParseMetadata(data)
			if err != nil {
				t.Fatalf("ParseMetadata() error = %v", err)
			}
			if diff := cmp.Diff(&tt.want, got, cmpopts.IgnoreFields(oidc.Metadata{}, "Raw")); diff != "" {
				t.Errorf("ParseMetadata() mismatch (-want +got):\n%s", diff)
			}
			if string(got.Raw) != string(data) {
				t.Errorf("Raw is not the document")
			}
			want := oauth2.Endpoint{AuthURL: tt.want.AuthorizationEndpoint, TokenURL: tt.want.TokenEndpoint,
				Issuer: tt.want.Issuer, UserInfoURL: tt.want.UserInfoEndpoint, JWKSURL: tt.want.JWKSURI}
			if diff := cmp.Diff(want, got.Endpoint()); diff != "" {
				t.Errorf("Endpoint() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseMetadataHostile checks that ParseMetadata refuses what it
// cannot read unambiguously.
func TestParseMetadataHostile(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"not json", `issuer: https://a.example`},
		{"array", `[{"issuer":"https://a.example"}]`},
		{"trailing data", `{"issuer":"https://a.example"} {}`},
		{"no issuer", `{"token_endpoint":"https://a.example/token"}`},
		{"issuer only in another case", `{"Issuer":"https://a.example"}`},
		{"duplicate issuer", `{"issuer":"https://a.example","issuer":"https://b.example"}`},
		{"duplicate endpoint", `{"issuer":"https://a.example","token_endpoint":"https://a.example/t","token_endpoint":"https://b.example/t"}`},
		{"issuer not a string", `{"issuer":["https://a.example"]}`},
		{"issuer with query", `{"issuer":"https://a.example?tenant=1"}`},
		{"issuer with fragment", `{"issuer":"https://a.example#x"}`},
		{"issuer relative", `{"issuer":"/oauth2"}`},
		{"issuer javascript", `{"issuer":"javascript:alert(1)"}`},
		{"issuer with user info", `{"issuer":"https://user@a.example"}`},
		{"endpoint with fragment", `{"issuer":"https://a.example","token_endpoint":"https://a.example/token#"}`},
		{"endpoint of another scheme", `{"issuer":"https://a.example","jwks_uri":"file:///etc/passwd"}`},
		{"bool as string", `{"issuer":"https://a.example","authorization_response_iss_parameter_supported":"true"}`},
		{"list as string", `{"issuer":"https://a.example","code_challenge_methods_supported":"S256"}`},
		{"list of numbers", `{"issuer":"https://a.example","scopes_supported":[1,2]}`},
		{"mtls aliases not an object", `{"issuer":"https://a.example","mtls_endpoint_aliases":["https://a.example/t"]}`},
		{"mtls alias not a url", `{"issuer":"https://a.example","mtls_endpoint_aliases":{"token_endpoint":"token"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := oidc.ParseMetadata([]byte(tt.doc))
			if !errors.Is(err, oidc.ErrMalformedMetadata) || m != nil {
				t.Fatalf("ParseMetadata() = %v, %v; want ErrMalformedMetadata", m, err)
			}
			if strings.Contains(err.Error(), "a.example") || strings.Contains(err.Error(), "passwd") {
				t.Errorf("error %q quotes a value of the document", err)
			}
		})
	}
	// null counts as absent.
	m, err := oidc.ParseMetadata([]byte(`{"issuer":"https://a.example","jwks_uri":null,"scopes_supported":null,"require_pushed_authorization_requests":null}`))
	if err != nil || m.JWKSURI != "" || m.ScopesSupported != nil {
		t.Errorf("ParseMetadata(nulls) = %+v, %v; want empty members", m, err)
	}
}

// TestMTLSEndpoint checks that the aliases of RFC 8705 §5 replace the
// endpoints they name, and only those.
func TestMTLSEndpoint(t *testing.T) {
	m, err := oidc.ParseMetadata([]byte(`{"issuer":"https://a.example",
		"authorization_endpoint":"https://a.example/authorize",
		"token_endpoint":"https://a.example/token",
		"revocation_endpoint":"https://a.example/revoke",
		"introspection_endpoint":"https://a.example/introspect",
		"userinfo_endpoint":"https://a.example/userinfo",
		"pushed_authorization_request_endpoint":"https://a.example/par",
		"jwks_uri":"https://a.example/jwks",
		"mtls_endpoint_aliases":{"token_endpoint":"https://mtls.a.example/token","introspection_endpoint":"https://mtls.a.example/introspect","authorization_endpoint":"https://mtls.a.example/authorize",
			"userinfo_endpoint":"https://mtls.a.example/userinfo","pushed_authorization_request_endpoint":"https://mtls.a.example/par","jwks_uri":"https://mtls.a.example/jwks"}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := oauth2.Endpoint{
		AuthURL:          "https://a.example/authorize",
		TokenURL:         "https://mtls.a.example/token",
		RevocationURL:    "https://a.example/revoke",
		IntrospectionURL: "https://mtls.a.example/introspect",
		Issuer:           "https://a.example",
		PushedAuthURL:    "https://mtls.a.example/par",
		UserInfoURL:      "https://mtls.a.example/userinfo",
		JWKSURL:          "https://a.example/jwks",
	}
	if diff := cmp.Diff(want, m.MTLSEndpoint()); diff != "" {
		t.Errorf("MTLSEndpoint() mismatch (-want +got):\n%s", diff)
	}
}

// TestAuthMethod checks the choice of client authentication: what the
// client asks for if the server lists it, else the strongest it can do,
// and never a weaker one.
func TestAuthMethod(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	es, err := jose.NewECDSASigner(jose.ES256, key)
	if err != nil {
		t.Fatal(err)
	}
	hs, err := jose.NewHMAC(jose.HS256, []byte("secret-secret-secret-secret-secret"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		supported []string
		cfg       oauth2.Config
		want      oauth2.AuthMethod
		wantErr   error
	}{
		{"secret, nothing listed: basic", nil, oauth2.Config{ClientSecret: "s"}, "client_secret_basic", nil},
		{"secret, post only", []string{"client_secret_post"}, oauth2.Config{ClientSecret: "s"}, "client_secret_post", nil},
		{"secret prefers basic", []string{"client_secret_post", "client_secret_basic"}, oauth2.Config{ClientSecret: "s"}, "client_secret_basic", nil},
		{"secret, jwt only", []string{"client_secret_jwt", "none"}, oauth2.Config{ClientSecret: "s"}, "client_secret_jwt", nil},
		{"secret never downgraded to none", []string{"none", "private_key_jwt"}, oauth2.Config{ClientSecret: "s"}, "", oidc.ErrNotSupported},
		{"key: private_key_jwt", []string{"client_secret_basic", "private_key_jwt"}, oauth2.Config{ClientSecret: "s", Signer: es}, "private_key_jwt", nil},
		{"key never downgraded to a secret", []string{"client_secret_basic", "none"}, oauth2.Config{ClientSecret: "s", Signer: es}, "", oidc.ErrNotSupported},
		{"hmac signer is a secret", []string{"client_secret_jwt"}, oauth2.Config{ClientSecret: "s", Signer: hs}, "client_secret_jwt", nil},
		{"public client: none", []string{"client_secret_basic", "none"}, oauth2.Config{}, "none", nil},
		{"public client, none not listed", nil, oauth2.Config{}, "", oidc.ErrNotSupported},
		{"explicit, listed", []string{"client_secret_basic", "client_secret_post"}, oauth2.Config{ClientSecret: "s", AuthMethod: "client_secret_post"}, "client_secret_post", nil},
		{"explicit, not listed", []string{"client_secret_basic"}, oauth2.Config{ClientSecret: "s", AuthMethod: "client_secret_post"}, "", oidc.ErrNotSupported},
		{"explicit unencoded basic", nil, oauth2.Config{ClientSecret: "s", AuthMethod: "client_secret_basic_unencoded"}, "client_secret_basic_unencoded", nil},
		{"auto-detect follows the credentials", []string{"client_secret_post"}, oauth2.Config{ClientSecret: "s", AuthMethod: "auto"}, "client_secret_post", nil},
		{"auto-detect, basic and post listed: stays auto", []string{"client_secret_basic", "client_secret_post", "private_key_jwt"}, oauth2.Config{ClientSecret: "s", AuthMethod: "auto"}, "auto", nil},
		{"auto-detect, nothing listed: basic", nil, oauth2.Config{ClientSecret: "s", AuthMethod: "auto"}, "client_secret_basic", nil},
		{"auto-detect with a key: private_key_jwt", []string{"client_secret_basic", "client_secret_post", "private_key_jwt"}, oauth2.Config{ClientSecret: "s", Signer: es, AuthMethod: "auto"}, "private_key_jwt", nil},
		{"default, basic and post listed: basic", []string{"client_secret_post", "client_secret_basic"}, oauth2.Config{ClientSecret: "s"}, "client_secret_basic", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &oidc.Metadata{Issuer: "https://a.example", TokenEndpointAuthMethodsSupported: tt.supported}
			got, err := m.AuthMethod(&tt.cfg)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("AuthMethod() error = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("AuthMethod() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestPKCE checks that S256 is kept, refused when the server lists methods
// without it, and gives way only when the Config says so.
func TestPKCE(t *testing.T) {
	tests := []struct {
		name    string
		listed  []string
		cfg     oauth2.PKCEMethod
		wantErr error
	}{
		{"S256 listed", []string{"plain", "S256"}, "", nil},
		{"nothing listed: S256 anyway", nil, "", nil},
		{"plain only: refused", []string{"plain"}, "", oidc.ErrNotSupported},
		{"plain only, plain asked for", []string{"plain"}, "plain", nil},
		{"plain asked for, S256 only", []string{"S256"}, "plain", oidc.ErrNotSupported},
		{"off asked for", []string{"plain"}, "off", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &oidc.Metadata{Issuer: "https://a.example", CodeChallengeMethodsSupported: tt.listed}
			got, err := m.PKCE(&oauth2.Config{PKCE: tt.cfg})
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("PKCE() error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && got != tt.cfg {
				t.Errorf("PKCE() = %q, want %q", got, tt.cfg)
			}
		})
	}
}

// TestResponseMode checks the choice among preferred response modes.
func TestResponseMode(t *testing.T) {
	tests := []struct {
		name      string
		listed    []string
		preferred []string
		want      string
		wantErr   error
	}{
		{"form_post listed", []string{"query", "fragment", "form_post"}, []string{"form_post", "query"}, "form_post", nil},
		{"form_post not listed", []string{"query", "fragment"}, []string{"form_post", "query"}, "query", nil},
		{"nothing listed: query and fragment", nil, []string{"form_post", "fragment"}, "fragment", nil},
		{"none supported", []string{"query"}, []string{"form_post"}, "", oidc.ErrNotSupported},
		{"no preference", []string{"query"}, nil, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &oidc.Metadata{Issuer: "https://a.example", ResponseModesSupported: tt.listed}
			got, err := m.ResponseMode(tt.preferred...)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("ResponseMode() error = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ResponseMode() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestMetadataConfig checks that Config fills the endpoint and the
// choices and keeps the rest of the Config.
func TestMetadataConfig(t *testing.T) {
	data, err := os.ReadFile("testdata/oidc-discovery-4.2.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := oidc.ParseMetadata(data)
	if err != nil {
		t.Fatal(err)
	}
	in := oauth2.Config{ClientID: "id", ClientSecret: "secret", RedirectURL: "https://app.example/cb", Scopes: []string{"openid"},
		Endpoint: oauth2.Endpoint{AuthURL: "https://old.example/auth", RevocationURL: "https://old.example/revoke"}}
	got, err := m.Config(in)
	if err != nil {
		t.Fatalf("Config() error = %v", err)
	}
	want := in
	want.Endpoint = oauth2.Endpoint{AuthURL: "https://server.example.com/connect/authorize", TokenURL: "https://server.example.com/connect/token",
		Issuer: "https://server.example.com", UserInfoURL: "https://server.example.com/connect/userinfo", JWKSURL: "https://server.example.com/jwks.json"}
	want.AuthMethod = "client_secret_basic"
	if diff := cmp.Diff(want, *got); diff != "" {
		t.Errorf("Config() mismatch (-want +got):\n%s", diff)
	}
	// A public client: the document lists no "none".
	if c, err := m.Config(oauth2.Config{ClientID: "id"}); !errors.Is(err, oidc.ErrNotSupported) || c != nil {
		t.Errorf("Config(public client) = %v, %v; want ErrNotSupported", c, err)
	}
}
