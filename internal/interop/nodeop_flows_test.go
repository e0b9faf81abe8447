package interop

// oauthkit's OAuth 2 and OpenID Connect client against panva's
// oidc-provider (nodeop_test.go): discovery, the code flow with each
// client authentication method, PKCE and PAR, and refresh with rotation.
// Introspection, revocation, client credentials, the device flow and
// form_post are in nodeop_grants_test.go, DPoP and the mix-up defence in
// nodeop_dpop_test.go.

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"sort"
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

// TestNodeOPPushedLogin pushes logins to the PAR endpoint (RFC 9126):
// asked for with PushedAuthorization, and by the Config itself for a
// server whose metadata requires it. The client "par" requires it of
// itself, which its metadata says and discovery cannot know: the OP
// refuses its plain login.
func TestNodeOPPushedLogin(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		opts nodeOPOptions
		cfg  func(o *nodeOP, t testing.TB) *oauth2.Config
		push []oauth2.Option
	}{
		{"PushedAuthorization, client_secret_basic", nodeOPOptions{}, (*nodeOP).basic, []oauth2.Option{oauth2.PushedAuthorization}},
		{"PushedAuthorization, none", nodeOPOptions{}, (*nodeOP).public, []oauth2.Option{oauth2.PushedAuthorization}},
		{"PushedAuthorization, client requires it", nodeOPOptions{}, (*nodeOP).par, []oauth2.Option{oauth2.PushedAuthorization}},
		{"PushedAuthorization, private_key_jwt", nodeOPOptions{}, func(o *nodeOP, t testing.TB) *oauth2.Config {
			return o.config(t, oauth2.Config{ClientID: "pkjwt", Scopes: nodeScopes,
				AuthMethod: oauth2.AuthPrivateKeyJWT, Signer: testOPSigner(t, "ES256", "ec1"), KeyID: "ec1"})
		}, []oauth2.Option{oauth2.PushedAuthorization}},
		{"server requires it", nodeOPOptions{RequirePAR: true}, (*nodeOP).basic, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := startNodeOP(t, tt.opts)
			cfg := tt.cfg(o, t)
			before := o.log.len()
			tok, id, l := o.login(t, cfg, tt.push...)

			u, err := url.Parse(l.URL)
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			if len(q) != 2 || q.Get("client_id") != cfg.ClientID || q.Get("request_uri") == "" {
				t.Errorf("authorization URL of a pushed login has %v, want only client_id and request_uri", paramNames(q))
			}
			if l.Expiry.IsZero() {
				t.Errorf("Login.Expiry is zero, want the request_uri's expiry")
			}
			if got := o.log.since(before); len(got) == 0 || got[0].Path != "/request" || got[0].Status != 201 {
				t.Errorf("first request of the login: %v, want POST /request -> 201", got)
			}
			if tok.RefreshToken == "" || id.Subject != nodeUser.Subject {
				t.Errorf("pushed login: refresh token %t, sub %q; want true, %q", tok.RefreshToken != "", id.Subject, nodeUser.Subject)
			}
		})
	}

	t.Run("client requires it, not pushed", func(t *testing.T) {
		o := startNodeOP(t, nodeOPOptions{})
		cfg := o.par(t)
		l, err := cfg.NewLogin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, err = cfg.CompleteLoginURL(ctx, l, o.authorize(t, l.URL))
		if !errors.Is(err, oauth2.ErrInvalidRequest) {
			t.Errorf("CompleteLoginURL of a login not pushed: got %v, want ErrInvalidRequest", err)
		}
	})

	t.Run("wrong secret", func(t *testing.T) {
		o := startNodeOP(t, nodeOPOptions{})
		cfg := o.config(t, oauth2.Config{ClientID: "par", ClientSecret: "wrong", Scopes: nodeScopes})
		_, err := cfg.NewLogin(ctx, oauth2.PushedAuthorization)
		var e *oauth2.Error
		if !errors.As(err, &e) || e.Endpoint != "pushed authorization" || !errors.Is(err, oauth2.ErrInvalidClient) {
			t.Errorf("NewLogin pushed with a wrong secret: got %v, want an *oauth2.Error from the pushed authorization endpoint matching ErrInvalidClient", err)
		}
	})
}

func (o *nodeOP) par(t testing.TB) *oauth2.Config {
	return o.config(t, oauth2.Config{ClientID: "par", ClientSecret: nodePARSecret, Scopes: nodeScopes})
}

func paramNames(v url.Values) []string {
	var out []string
	for k := range v {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestNodeOPPKCE checks that the OP, which requires PKCE of every
// client, refuses a login without it (an error redirect, RFC 6749
// §4.1.2.1), and that the verifier is what it checks: a code exchanged
// with another login's verifier is refused (RFC 7636 §4.6).
func TestNodeOPPKCE(t *testing.T) {
	o := startNodeOP(t, nodeOPOptions{})
	ctx := context.Background()

	t.Run("no challenge", func(t *testing.T) {
		cfg := o.basic(t)
		cfg.PKCE = oauth2.PKCEOff
		l, err := cfg.NewLogin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if u, _ := url.Parse(l.URL); u.Query().Has("code_challenge") || l.CodeVerifier != "" {
			t.Fatalf("login with PKCEOff sent a challenge")
		}
		_, err = cfg.CompleteLoginURL(ctx, l, o.authorize(t, l.URL))
		var e *oauth2.Error
		if !errors.As(err, &e) || e.Endpoint != "authorization" || !errors.Is(err, oauth2.ErrInvalidRequest) {
			t.Errorf("CompleteLoginURL of a login without PKCE: got %v, want an authorization *oauth2.Error matching ErrInvalidRequest", err)
		}
	})

	t.Run("another verifier", func(t *testing.T) {
		cfg := o.public(t)
		l, err := cfg.NewLogin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cb := o.authorize(t, l.URL)
		other, err := cfg.NewLogin(ctx, oauth2.WithState(l.State))
		if err != nil {
			t.Fatal(err)
		}
		_, err = cfg.CompleteLoginURL(ctx, other, cb)
		if !errors.Is(err, oauth2.ErrInvalidGrant) {
			t.Errorf("CompleteLoginURL with another login's verifier: got %v, want ErrInvalidGrant", err)
		}
	})
}

// TestNodeOPRefresh refreshes a login's token in a session that checks
// the refreshed ID token (CheckRefreshes). The OP rotates refresh tokens:
// the old one is refused with invalid_grant, and, since it was presented
// again, the OP ends the grant (RFC 9700 §4.14.2): the new one is refused
// too.
func TestNodeOPRefresh(t *testing.T) {
	o := startNodeOP(t, nodeOPOptions{})
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		cfg  func(t testing.TB) *oauth2.Config
	}{
		{"client_secret_basic", o.basic},
		{"none", o.public},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg(t)
			tok, id, _ := o.login(t, cfg)

			s := cfg.NewSession(tok)
			var saved []*oauth2.Token
			s.OnTokenUpdate = func(_ context.Context, tok *oauth2.Token) error {
				saved = append(saved, tok)
				return nil
			}
			s.VerifyToken = o.verifier(cfg.ClientID).CheckRefreshes(id)
			nt, err := s.Refresh(ctx)
			if err != nil {
				t.Fatalf("Session.Refresh: %v", err)
			}
			type refreshed struct {
				NewAccess, NewRefresh, IDToken bool
				Saved                          int
			}
			got := refreshed{nt.AccessToken != tok.AccessToken, nt.RefreshToken != "" && nt.RefreshToken != tok.RefreshToken, nt.IDToken != "", len(saved)}
			if diff := cmp.Diff(refreshed{true, true, true, 1}, got); diff != "" {
				t.Errorf("refreshed token (-want +got):\n%s", diff)
			}
			if _, err := o.provider.UserInfo(ctx, s, id.Subject); err != nil {
				t.Errorf("UserInfo with the refreshed token: %v", err)
			}

			if _, err := cfg.NewSession(tok).Refresh(ctx); !errors.Is(err, oauth2.ErrInvalidGrant) {
				t.Errorf("Refresh with the rotated-out refresh token: got %v, want ErrInvalidGrant", err)
			}
			if _, err := s.Refresh(ctx); !errors.Is(err, oauth2.ErrInvalidGrant) {
				t.Errorf("Refresh with the newest refresh token after the old one was replayed: got %v, want ErrInvalidGrant", err)
			}
		})
	}
}
