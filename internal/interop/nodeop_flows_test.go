package interop

// oauthkit's OAuth 2 and OpenID Connect client against panva's
// oidc-provider (nodeop_test.go): discovery, the code flow with each
// client authentication method, PKCE and PAR, refresh with rotation,
// introspection, revocation, client credentials and the device flow.
// DPoP and the mix-up defence are in nodeop_dpop_test.go.

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oidc"
)

// TestNodeOPDiscovery checks the Endpoint and settings discovery makes
// against the OP's document, read with encoding/json alone, for the OP
// as it runs for the other tests and for one that requires PAR.
func TestNodeOPDiscovery(t *testing.T) {
	for _, requirePAR := range []bool{false, true} {
		t.Run(map[bool]string{false: "default", true: "PAR required"}[requirePAR], func(t *testing.T) {
			o := startNodeOP(t, nodeOPOptions{RequirePAR: requirePAR})
			resp, err := o.client.Get(o.issuer + "/.well-known/openid-configuration")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var doc struct {
				Issuer                      string `json:"issuer"`
				AuthorizationEndpoint       string `json:"authorization_endpoint"`
				TokenEndpoint               string `json:"token_endpoint"`
				DeviceAuthorizationEndpoint string `json:"device_authorization_endpoint"`
				RevocationEndpoint          string `json:"revocation_endpoint"`
				IntrospectionEndpoint       string `json:"introspection_endpoint"`
				UserinfoEndpoint            string `json:"userinfo_endpoint"`
				JWKSURI                     string `json:"jwks_uri"`
				PAREndpoint                 string `json:"pushed_authorization_request_endpoint"`
				RequirePAR                  bool   `json:"require_pushed_authorization_requests"`
				ISSParameter                bool   `json:"authorization_response_iss_parameter_supported"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
				t.Fatal(err)
			}
			if doc.Issuer != o.issuer || !doc.ISSParameter || doc.RequirePAR != requirePAR {
				t.Fatalf("the OP's document: issuer %q, iss parameter %t, PAR required %t; want %q, true, %t",
					doc.Issuer, doc.ISSParameter, doc.RequirePAR, o.issuer, requirePAR)
			}
			want := oauth2.Endpoint{
				AuthURL: doc.AuthorizationEndpoint, TokenURL: doc.TokenEndpoint,
				DeviceAuthURL: doc.DeviceAuthorizationEndpoint, RevocationURL: doc.RevocationEndpoint,
				IntrospectionURL: doc.IntrospectionEndpoint, Issuer: doc.Issuer, IssuerParameter: true,
				PushedAuthURL: doc.PAREndpoint, RequirePushedAuth: requirePAR,
				UserInfoURL: doc.UserinfoEndpoint, JWKSURL: doc.JWKSURI,
			}
			if diff := cmp.Diff(want, o.provider.Endpoint()); diff != "" {
				t.Errorf("Provider.Endpoint() (-want +got):\n%s", diff)
			}
			type settings struct {
				AuthMethod oauth2.AuthMethod
				PKCE       oauth2.PKCEMethod
			}
			for _, tt := range []struct {
				cfg  *oauth2.Config
				want settings
			}{
				{o.basic(t), settings{oauth2.AuthClientSecretBasic, oauth2.PKCES256}},
				{o.public(t), settings{oauth2.AuthNone, oauth2.PKCES256}},
			} {
				if diff := cmp.Diff(tt.want, settings{tt.cfg.AuthMethod, tt.cfg.PKCE}); diff != "" {
					t.Errorf("Metadata.Config for %s (-want +got):\n%s", tt.cfg.ClientID, diff)
				}
			}
		})
	}
}

// nodeLogin runs the authorization code flow of cfg with opts, checks
// that the callback names the issuer (RFC 9207), and verifies the ID
// token as a login of cfg.
func (o *nodeOP) login(t testing.TB, cfg *oauth2.Config, opts ...oauth2.Option) (*oauth2.Token, *oidc.IDToken, *oauth2.Login) {
	t.Helper()
	ctx := context.Background()
	// OpenID Connect Core 1.0 §11: offline_access needs prompt=consent,
	// else the OP leaves it out and issues no refresh token.
	l, err := cfg.NewLogin(ctx, append([]oauth2.Option{oauth2.ApprovalForce}, opts...)...)
	if err != nil {
		t.Fatalf("NewLogin: %v", err)
	}
	cb := o.authorize(t, l.URL)
	u, err := url.Parse(cb)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Query()["iss"]; len(got) != 1 || got[0] != o.issuer {
		t.Errorf("callback iss = %q, want [%q]", got, o.issuer)
	}
	tok, err := cfg.CompleteLoginURL(ctx, l, cb)
	if err != nil {
		t.Fatalf("CompleteLoginURL: %v", err)
	}
	id, err := o.verifier(cfg.ClientID).VerifyLogin(ctx, tok, l)
	if err != nil {
		t.Fatalf("VerifyLogin: %v", err)
	}
	return tok, id, l
}

// TestNodeOPCodeFlow runs the authorization code flow with PKCE S256
// for each client authentication method, and checks the request, the
// token, the verified ID token and the UserInfo of the user.
func TestNodeOPCodeFlow(t *testing.T) {
	o := startNodeOP(t, nodeOPOptions{})
	pkjwt := func(alg, kid string, aud func(oauth2.Endpoint) string) func(testing.TB) *oauth2.Config {
		return func(t testing.TB) *oauth2.Config {
			cfg := o.config(t, oauth2.Config{ClientID: "pkjwt", Scopes: nodeScopes,
				AuthMethod: oauth2.AuthPrivateKeyJWT, Signer: testOPSigner(t, alg, kid), KeyID: kid})
			cfg.Endpoint.AssertionAudience = aud(cfg.Endpoint)
			return cfg
		}
	}
	endpointURL := func(oauth2.Endpoint) string { return "" } // the default: each endpoint's URL
	issuer := func(ep oauth2.Endpoint) string { return ep.Issuer }
	tests := []struct {
		name string
		cfg  func(t testing.TB) *oauth2.Config
	}{
		{"client_secret_basic", o.basic},
		{"client_secret_post", func(t testing.TB) *oauth2.Config {
			return o.config(t, oauth2.Config{ClientID: "post", ClientSecret: nodePostSecret, Scopes: nodeScopes, AuthMethod: oauth2.AuthClientSecretPost})
		}},
		{"client_secret_jwt", func(t testing.TB) *oauth2.Config {
			return o.config(t, oauth2.Config{ClientID: "secretjwt", ClientSecret: nodeJWTSecret, Scopes: nodeScopes, AuthMethod: oauth2.AuthClientSecretJWT})
		}},
		{"private_key_jwt ES256", pkjwt("ES256", "ec1", endpointURL)},
		{"private_key_jwt RS256", pkjwt("RS256", "rsa1", endpointURL)},
		{"private_key_jwt PS256, aud issuer", pkjwt("PS256", "rsa1", issuer)},
		{"none", o.public},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg(t)
			ctx := context.Background()
			tok, id, l := o.login(t, cfg)

			u, err := url.Parse(l.URL)
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			type request struct{ ResponseType, ChallengeMethod, Nonce string }
			if diff := cmp.Diff(request{"code", "S256", l.Nonce}, request{q.Get("response_type"), q.Get("code_challenge_method"), q.Get("nonce")}); diff != "" {
				t.Errorf("authorization request (-want +got):\n%s", diff)
			}
			type token struct {
				TokenType                   string
				Access, Refresh, HasIDToken bool
				Scope                       []string
			}
			got := token{tok.TokenType, tok.AccessToken != "", tok.RefreshToken != "", tok.IDToken != "", splitScope(tok.Scope)}
			if diff := cmp.Diff(token{"Bearer", true, true, true, nodeScopes}, got, sortStrings); diff != "" {
				t.Errorf("token (-want +got):\n%s", diff)
			}
			type claims struct {
				Issuer, Subject, Nonce string
				Audience               []string
			}
			if diff := cmp.Diff(claims{o.issuer, nodeUser.Subject, l.Nonce, []string{cfg.ClientID}},
				claims{id.Issuer, id.Subject, id.Nonce, id.Audience}); diff != "" {
				t.Errorf("ID token (-want +got):\n%s", diff)
			}

			s := cfg.NewSession(tok)
			info, err := o.provider.UserInfo(ctx, s, id.Subject)
			if err != nil {
				t.Fatalf("UserInfo: %v", err)
			}
			if diff := cmp.Diff(&nodeUser, info, cmpopts.IgnoreUnexported(oidc.UserInfo{})); diff != "" {
				t.Errorf("UserInfo (-want +got):\n%s", diff)
			}
			if _, err := o.provider.UserInfo(ctx, s, "someone-else"); !errors.Is(err, oidc.ErrSubjectMismatch) {
				t.Errorf("UserInfo expecting another subject: got %v, want ErrSubjectMismatch", err)
			}
		})
	}

	wrong := []struct {
		name string
		cfg  *oauth2.Config
	}{
		{"wrong secret, basic", o.config(t, oauth2.Config{ClientID: "basic", ClientSecret: "wrong", Scopes: nodeScopes})},
		{"wrong secret, client_secret_jwt", o.config(t, oauth2.Config{ClientID: "secretjwt", ClientSecret: nodeJWTSecret + "x", Scopes: nodeScopes, AuthMethod: oauth2.AuthClientSecretJWT})},
		{"private_key_jwt, key of another client", o.config(t, oauth2.Config{ClientID: "pkjwt", Scopes: nodeScopes,
			AuthMethod: oauth2.AuthPrivateKeyJWT, Signer: testOPSigner(t, "ES256", "svc1"), KeyID: "ec1"})},
	}
	for _, tt := range wrong {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			l, err := tt.cfg.NewLogin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			_, err = tt.cfg.CompleteLoginURL(ctx, l, o.authorize(t, l.URL))
			if !errors.Is(err, oauth2.ErrInvalidClient) {
				t.Fatalf("CompleteLoginURL: got %v, want ErrInvalidClient", err)
			}
		})
	}
}

var sortStrings = cmpopts.SortSlices(func(a, b string) bool { return a < b })

func splitScope(s string) []string { return strings.Fields(s) }
