package interop

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oidc"
)

// TestDiscovery checks that the Endpoint and client settings discovery
// makes are the ones the OP's discovery document names, read here with
// encoding/json alone.
func TestDiscovery(t *testing.T) {
	o := newOP(t)
	resp, err := o.client.Get(o.issuer + ".well-known/openid-configuration")
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
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Issuer != o.issuer {
		t.Fatalf("the OP's document names issuer %q, want %q", doc.Issuer, o.issuer)
	}

	ep := o.provider.Endpoint()
	got := []string{ep.Issuer, ep.AuthURL, ep.TokenURL, ep.DeviceAuthURL, ep.RevocationURL, ep.IntrospectionURL, ep.UserInfoURL, ep.JWKSURL}
	want := []string{doc.Issuer, doc.AuthorizationEndpoint, doc.TokenEndpoint, doc.DeviceAuthorizationEndpoint, doc.RevocationEndpoint, doc.IntrospectionEndpoint, doc.UserinfoEndpoint, doc.JWKSURI}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Provider.Endpoint() (issuer, auth, token, device, revocation, introspection, userinfo, jwks) (-want +got):\n%s", diff)
	}

	// The OP offers client_secret_basic first and S256.
	cfg := o.web(t)
	type settings struct {
		AuthMethod oauth2.AuthMethod
		PKCE       oauth2.PKCEMethod
	}
	if diff := cmp.Diff(settings{oauth2.AuthClientSecretBasic, oauth2.PKCES256}, settings{cfg.AuthMethod, cfg.PKCE}); diff != "" {
		t.Errorf("Metadata.Config (-want +got):\n%s", diff)
	}
}

// TestCodeFlow runs the authorization code flow with PKCE S256 for each
// client authentication method the OP supports, and checks the
// authorization request, the token and the verified ID token.
func TestCodeFlow(t *testing.T) {
	o := newOP(t)
	tests := []struct {
		name string
		cfg  func(t testing.TB) *oauth2.Config
	}{
		{"client_secret_basic", o.web},
		{"client_secret_post", func(t testing.TB) *oauth2.Config {
			return o.config(t, oauth2.Config{ClientID: "web", ClientSecret: "secret", RedirectURL: redirectURL, Scopes: loginScopes, AuthMethod: oauth2.AuthClientSecretPost})
		}},
		{"none", func(t testing.TB) *oauth2.Config {
			return o.config(t, oauth2.Config{ClientID: "native", RedirectURL: redirectURL, Scopes: loginScopes})
		}},
		{"private_key_jwt ES256", o.pkjwt("ES256", "ec1")},
		{"private_key_jwt RS256", o.pkjwt("RS256", "rsa1")},
		{"private_key_jwt PS256", o.pkjwt("PS256", "rsa1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg(t)
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
			if l.CodeVerifier == "" || q.Get("code_challenge") == "" || l.Nonce == "" {
				t.Errorf("login without PKCE verifier, challenge or nonce: verifier %t, challenge %t, nonce %t",
					l.CodeVerifier != "", q.Get("code_challenge") != "", l.Nonce != "")
			}

			type token struct {
				TokenType                   string
				Access, Refresh, HasIDToken bool
			}
			if diff := cmp.Diff(token{"Bearer", true, true, true}, token{tok.TokenType, tok.AccessToken != "", tok.RefreshToken != "", tok.IDToken != ""}); diff != "" {
				t.Errorf("token (-want +got):\n%s", diff)
			}
			type claims struct {
				Issuer, Subject, Nonce string
				Audience               []string
			}
			if diff := cmp.Diff(claims{o.issuer, o.user.ID, l.Nonce, []string{cfg.ClientID}}, claims{id.Issuer, id.Subject, id.Nonce, id.Audience}); diff != "" {
				t.Errorf("ID token (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("wrong client secret", func(t *testing.T) {
		cfg := o.config(t, oauth2.Config{ClientID: "web", ClientSecret: "wrong", RedirectURL: redirectURL, Scopes: loginScopes})
		ctx := context.Background()
		l, err := cfg.NewLogin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, err = cfg.CompleteLoginURL(ctx, l, o.authorize(t, l.URL))
		if !errors.Is(err, oauth2.ErrInvalidClient) {
			t.Fatalf("CompleteLoginURL with a wrong secret: got %v, want ErrInvalidClient", err)
		}
	})
}

// pkjwt returns the private_key_jwt client with key kid, whose assertions
// name the issuer as audience (as zitadel/oidc wants).
func (o *testOP) pkjwt(alg, kid string) func(t testing.TB) *oauth2.Config {
	return func(t testing.TB) *oauth2.Config {
		cfg := o.config(t, oauth2.Config{ClientID: "pkjwt", RedirectURL: redirectURL, Scopes: loginScopes,
			AuthMethod: oauth2.AuthPrivateKeyJWT, Signer: o.signer(t, alg, kid), KeyID: kid})
		cfg.Endpoint.AssertionAudience = cfg.Endpoint.Issuer
		return cfg
	}
}

// TestVerifyLogin checks the claims of the OP's ID token against the
// user it stores, and that VerifyLogin refuses the token for another
// client or another login.
func TestVerifyLogin(t *testing.T) {
	o := newOP(t)
	ctx := context.Background()
	cfg := o.web(t)
	tok, id, _ := o.login(t, cfg)

	if id.Expiry.Before(id.IssuedAt) || id.AuthTime.IsZero() {
		t.Errorf("ID token times: iat %v, exp %v, auth_time %v", id.IssuedAt, id.Expiry, id.AuthTime)
	}
	if id.AccessTokenHash == "" {
		t.Errorf("ID token without at_hash: VerifyLogin checked no access token binding")
	}
	var all map[string]any
	if err := id.Claims(&all); err != nil {
		t.Fatalf("IDToken.Claims: %v", err)
	}
	if all["sub"] != o.user.ID {
		t.Errorf("IDToken.Claims: sub = %v, want %q", all["sub"], o.user.ID)
	}

	other, err := cfg.NewLogin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.provider.Verifier(&oidc.Config{ClientID: cfg.ClientID}).VerifyLogin(ctx, tok, other); !errors.Is(err, oidc.ErrNonceMismatch) {
		t.Errorf("VerifyLogin with another login's nonce: got %v, want ErrNonceMismatch", err)
	}
	var lastLogin *oauth2.Login
	_, _, lastLogin = o.login(t, cfg)
	if _, err := o.provider.Verifier(&oidc.Config{ClientID: "native"}).VerifyLogin(ctx, tok, lastLogin); !errors.Is(err, oidc.ErrAudienceMismatch) {
		t.Errorf("VerifyLogin for another client: got %v, want ErrAudienceMismatch", err)
	}
}

// TestUserInfo fetches the UserInfo of a login's access token and
// compares it with the user the OP stores, as the example's storage maps
// the profile and email scopes to claims.
func TestUserInfo(t *testing.T) {
	o := newOP(t)
	tok, id, _ := o.login(t, o.web(t))
	info, err := o.provider.UserInfo(context.Background(), oauth2.StaticTokenSource(tok), id.Subject)
	if err != nil {
		t.Fatalf("UserInfo: %v", err)
	}
	want := &oidc.UserInfo{Subject: o.user.ID, StandardClaims: oidc.StandardClaims{
		Name:              o.user.FirstName + " " + o.user.LastName,
		GivenName:         o.user.FirstName,
		FamilyName:        o.user.LastName,
		PreferredUsername: o.user.Username,
		Email:             o.user.Email,
		EmailVerified:     o.user.EmailVerified,
		Locale:            o.user.PreferredLanguage.String(),
	}}
	if diff := cmp.Diff(want, info, cmpopts.IgnoreUnexported(oidc.UserInfo{})); diff != "" {
		t.Errorf("UserInfo (-want +got):\n%s", diff)
	}
	if _, err := o.provider.UserInfo(context.Background(), oauth2.StaticTokenSource(tok), "someone-else"); !errors.Is(err, oidc.ErrSubjectMismatch) {
		t.Errorf("UserInfo expecting another subject: got %v, want ErrSubjectMismatch", err)
	}
}

// TestRefresh refreshes a login's token in a session that checks the
// refreshed ID token (CheckRefreshes), and checks that the OP, which
// rotates refresh tokens, refuses the old one with invalid_grant.
func TestRefresh(t *testing.T) {
	o := newOP(t)
	ctx := context.Background()
	cfg := o.web(t)
	tok, id, _ := o.login(t, cfg)

	s := cfg.NewSession(tok)
	checked := 0
	check := o.provider.Verifier(&oidc.Config{ClientID: cfg.ClientID}).CheckRefreshes(id)
	s.VerifyToken = func(ctx context.Context, old, nt *oauth2.Token) error {
		checked++
		return check(ctx, old, nt)
	}
	nt, err := s.Refresh(ctx)
	if err != nil {
		t.Fatalf("Session.Refresh: %v", err)
	}
	type refreshed struct{ NewAccess, NewRefresh, IDToken bool }
	if diff := cmp.Diff(refreshed{true, true, true}, refreshed{nt.AccessToken != tok.AccessToken, nt.RefreshToken != "" && nt.RefreshToken != tok.RefreshToken, nt.IDToken != ""}); diff != "" {
		t.Errorf("refreshed token (-want +got):\n%s", diff)
	}
	if checked != 1 {
		t.Errorf("VerifyToken ran %d times, want 1", checked)
	}
	cur, err := s.Token(ctx)
	if err != nil || cur.AccessToken != nt.AccessToken {
		t.Errorf("Session.Token after Refresh: not the refreshed token (err %v)", err)
	}

	if _, err := cfg.NewSession(tok).Refresh(ctx); !errors.Is(err, oauth2.ErrInvalidGrant) {
		t.Errorf("Refresh with the rotated-out refresh token: got %v, want ErrInvalidGrant", err)
	}
}

// TestIntrospection introspects a login's access token with client
// secret and with private_key_jwt authentication, and a token the OP
// never issued.
func TestIntrospection(t *testing.T) {
	o := newOP(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		cfg  func(t testing.TB) *oauth2.Config
	}{
		{"client_secret_basic", o.web},
		{"private_key_jwt", o.pkjwt("ES256", "ec1")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg(t)
			tok, _, _ := o.login(t, cfg)
			in, err := cfg.IntrospectToken(ctx, tok.AccessToken, oauth2.HintAccessToken)
			if err != nil {
				t.Fatalf("IntrospectToken: %v", err)
			}
			type intro struct {
				Active        bool
				ClientID, Sub string
				Scope         []string
				Expires       bool
			}
			want := intro{true, cfg.ClientID, o.user.ID, loginScopes, true}
			got := intro{in.Active, in.ClientID, in.Sub, in.Scope, in.Exp.After(time.Now())}
			if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
				t.Errorf("IntrospectToken (-want +got):\n%s", diff)
			}

			in, err = cfg.IntrospectToken(ctx, "never-issued", "")
			if err != nil {
				t.Fatalf("IntrospectToken of an unknown token: %v", err)
			}
			if in.Active {
				t.Errorf("IntrospectToken of an unknown token: active")
			}
		})
	}
}

// TestRevocation revokes access and refresh tokens (RFC 7009), with a
// confidential and a public client, and checks that the OP no longer
// honours them.
func TestRevocation(t *testing.T) {
	o := newOP(t)
	ctx := context.Background()

	t.Run("client_secret_basic", func(t *testing.T) {
		cfg := o.web(t)
		tok, _, _ := o.login(t, cfg)
		if err := cfg.RevokeToken(ctx, tok.AccessToken, oauth2.HintAccessToken); err != nil {
			t.Fatalf("RevokeToken(access token): %v", err)
		}
		in, err := cfg.IntrospectToken(ctx, tok.AccessToken, oauth2.HintAccessToken)
		if err != nil {
			t.Fatalf("IntrospectToken: %v", err)
		}
		if in.Active {
			t.Errorf("revoked access token still active")
		}
		if _, err := o.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok), o.user.ID); err == nil {
			t.Errorf("UserInfo with a revoked access token succeeded")
		}
		if err := cfg.RevokeToken(ctx, tok.RefreshToken, oauth2.HintRefreshToken); err != nil {
			t.Fatalf("RevokeToken(refresh token): %v", err)
		}
		if _, err := cfg.NewSession(tok).Refresh(ctx); !errors.Is(err, oauth2.ErrInvalidGrant) {
			t.Errorf("Refresh with a revoked refresh token: got %v, want ErrInvalidGrant", err)
		}
		// RFC 7009 §2.2: an invalid token is answered with 200.
		if err := cfg.RevokeToken(ctx, "never-issued", ""); err != nil {
			t.Errorf("RevokeToken of an unknown token: %v", err)
		}
	})

	t.Run("session, private_key_jwt", func(t *testing.T) {
		cfg := o.pkjwt("RS256", "rsa1")(t)
		tok, _, _ := o.login(t, cfg)
		s := cfg.NewSession(tok)
		if err := s.Revoke(ctx, oauth2.HintRefreshToken); err != nil {
			t.Fatalf("Session.Revoke: %v", err)
		}
		if _, err := cfg.NewSession(tok).Refresh(ctx); !errors.Is(err, oauth2.ErrInvalidGrant) {
			t.Errorf("Refresh with a revoked refresh token: got %v, want ErrInvalidGrant", err)
		}
	})

	t.Run("none", func(t *testing.T) {
		cfg := o.config(t, oauth2.Config{ClientID: "native", RedirectURL: redirectURL, Scopes: loginScopes})
		tok, _, _ := o.login(t, cfg)
		if err := cfg.RevokeToken(ctx, tok.RefreshToken, oauth2.HintRefreshToken); err != nil {
			t.Fatalf("RevokeToken(refresh token): %v", err)
		}
		if _, err := cfg.NewSession(tok).Refresh(ctx); !errors.Is(err, oauth2.ErrInvalidGrant) {
			t.Errorf("Refresh with a revoked refresh token: got %v, want ErrInvalidGrant", err)
		}
	})
}

// TestClientCredentials gets a token for the example's service user
// sid1, from the OP and then from the session's cache, and checks that a
// wrong secret is refused. (The example's introspection answers only a
// client in the token's audience, here sid1, which is no client.)
func TestClientCredentials(t *testing.T) {
	o := newOP(t)
	ctx := context.Background()
	cfg := o.config(t, oauth2.Config{ClientID: "sid1", ClientSecret: "verysecret", Scopes: []string{"openid"}})
	s := cfg.ClientCredentials()
	tok, err := s.Token(ctx)
	if err != nil {
		t.Fatalf("ClientCredentials: %v", err)
	}
	if tok.AccessToken == "" || tok.TokenType != "Bearer" || !tok.Expiry.After(time.Now()) {
		t.Errorf("token: access token %t, type %q, expiry %v", tok.AccessToken != "", tok.TokenType, tok.Expiry)
	}
	again, err := s.Token(ctx)
	if err != nil || again.AccessToken != tok.AccessToken {
		t.Errorf("second Token: not the cached token (err %v)", err)
	}
	bad := o.config(t, oauth2.Config{ClientID: "sid1", ClientSecret: "wrong", Scopes: []string{"openid"}})
	if _, err := bad.ClientCredentials().Token(ctx); err == nil {
		t.Errorf("ClientCredentials with a wrong secret succeeded")
	} else if e := (*oauth2.Error)(nil); !errors.As(err, &e) {
		t.Errorf("ClientCredentials with a wrong secret: got %v, want an *oauth2.Error", err)
	}
}

// TestJWTBearer runs the JWT bearer grant (RFC 7523 §2.1) with the
// service's key, renews it with a fresh assertion, and checks that an
// assertion signed with another key is refused. (The token's audience is
// the issuer, so no client may introspect it.)
func TestJWTBearer(t *testing.T) {
	o := newOP(t)
	ctx := context.Background()
	cfg := o.config(t, oauth2.Config{Scopes: []string{"openid"}})
	svc := o.signer(t, "ES256", "svc1")
	made := 0
	s := cfg.JWTBearer(func(context.Context) (string, error) {
		made++
		return o.assertion(svc, "svc1")
	})
	tok, err := s.Token(ctx)
	if err != nil {
		t.Fatalf("JWTBearer: %v", err)
	}
	if tok.AccessToken == "" || tok.TokenType != "Bearer" || !tok.Expiry.After(time.Now()) {
		t.Errorf("token: access token %t, type %q, expiry %v", tok.AccessToken != "", tok.TokenType, tok.Expiry)
	}
	renewed, err := s.Refresh(ctx)
	if err != nil {
		t.Fatalf("Session.Refresh: %v", err)
	}
	if made != 2 || renewed.AccessToken == tok.AccessToken {
		t.Errorf("Refresh: %d assertions made, new access token %t; want 2, true", made, renewed.AccessToken != tok.AccessToken)
	}

	forged := o.signer(t, "ES256", "ec1") // not the service's key
	_, err = cfg.JWTBearer(func(context.Context) (string, error) { return o.assertion(forged, "svc1") }).Token(ctx)
	if e := (*oauth2.Error)(nil); !errors.As(err, &e) {
		t.Errorf("JWTBearer with an assertion under the wrong key: got %v, want an *oauth2.Error", err)
	}
}

// TestTokenExchange exchanges a login's access token (RFC 8693) for an
// access token and for an ID token, and checks that an invalid subject
// token is refused. The OP authenticates token exchange clients by client
// ID and secret only (op.AuthorizeTokenExchangeClient), so there is no
// private_key_jwt case.
func TestTokenExchange(t *testing.T) {
	o := newOP(t)
	ctx := context.Background()
	web := o.web(t)
	tok, _, _ := o.login(t, web)
	subject := func(context.Context) (string, string, error) { return tok.AccessToken, tokenTypeAccess, nil }

	t.Run("access token", func(t *testing.T) {
		// The OP lets a client introspect only tokens whose audience
		// names it (RFC 8693 §2.1's audience).
		s := web.TokenExchange(subject, oauth2.SetParam("requested_token_type", tokenTypeAccess), oauth2.SetParam("audience", web.ClientID))
		nt, err := s.Token(ctx)
		if err != nil {
			t.Fatalf("TokenExchange: %v", err)
		}
		if nt.Extra("issued_token_type") != tokenTypeAccess || nt.AccessToken == tok.AccessToken {
			t.Errorf("issued_token_type %v, new token %t; want %q, true", nt.Extra("issued_token_type"), nt.AccessToken != tok.AccessToken, tokenTypeAccess)
		}
		in, err := web.IntrospectToken(ctx, nt.AccessToken, oauth2.HintAccessToken)
		if err != nil {
			t.Fatalf("IntrospectToken: %v", err)
		}
		if !in.Active || in.Sub != o.user.ID {
			t.Errorf("introspection: active %t, sub %q; want active, sub %q", in.Active, in.Sub, o.user.ID)
		}
	})

	t.Run("ID token", func(t *testing.T) {
		nt, err := web.TokenExchange(subject, oauth2.SetParam("requested_token_type", tokenTypeID)).Token(ctx)
		if err != nil {
			t.Fatalf("TokenExchange: %v", err)
		}
		if nt.Extra("issued_token_type") != tokenTypeID {
			t.Errorf("issued_token_type %v, want %q", nt.Extra("issued_token_type"), tokenTypeID)
		}
		id, err := o.provider.Verifier(&oidc.Config{ClientID: web.ClientID}).Verify(ctx, nt.AccessToken)
		if err != nil {
			t.Fatalf("Verify(the issued ID token): %v", err)
		}
		if id.Subject != o.user.ID {
			t.Errorf("issued ID token: sub %q, want %q", id.Subject, o.user.ID)
		}
	})

	t.Run("invalid subject token", func(t *testing.T) {
		_, err := web.TokenExchange(func(context.Context) (string, string, error) {
			return "never-issued", tokenTypeAccess, nil
		}).Token(ctx)
		if !errors.Is(err, oauth2.ErrInvalidRequest) {
			t.Errorf("TokenExchange of an unknown token: got %v, want ErrInvalidRequest", err)
		}
	})
}

// TestDeviceFlow runs the device flow (RFC 8628): the OP asks for 5 s
// between polls, which Config.Sleep records instead of waiting; the user
// acts at the OP's device pages during the second wait, after one poll
// got authorization_pending.
func TestDeviceFlow(t *testing.T) {
	o := newOP(t)
	ctx := context.Background()
	for _, allow := range []bool{true, false} {
		name := map[bool]string{true: "allowed", false: "denied"}[allow]
		t.Run(name, func(t *testing.T) {
			cfg := o.config(t, oauth2.Config{ClientID: "device", ClientSecret: "secret", Scopes: []string{"openid", "profile"}})
			da, err := cfg.DeviceAuth(ctx)
			if err != nil {
				t.Fatalf("DeviceAuth: %v", err)
			}
			if da.DeviceCode == "" || da.UserCode == "" || da.VerificationURI == "" {
				t.Fatalf("DeviceAuth: incomplete response %v", da)
			}
			var waits []time.Duration
			cfg.Sleep = func(ctx context.Context, d time.Duration) error {
				waits = append(waits, d)
				if len(waits) == 2 {
					o.device(t, da.UserCode, allow)
				}
				return ctx.Err()
			}
			tok, err := cfg.DeviceAccessToken(ctx, da)
			if diff := cmp.Diff([]time.Duration{5 * time.Second, 5 * time.Second}, waits); diff != "" {
				t.Errorf("waits between polls (-want +got):\n%s", diff)
			}
			if !allow {
				if !errors.Is(err, oauth2.ErrAccessDenied) {
					t.Fatalf("DeviceAccessToken, denied: got %v, want ErrAccessDenied", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("DeviceAccessToken: %v", err)
			}
			id, err := o.provider.Verifier(&oidc.Config{ClientID: cfg.ClientID}).Verify(ctx, tok.IDToken, oidc.WithAccessToken(tok.AccessToken))
			if err != nil {
				t.Fatalf("Verify(ID token): %v", err)
			}
			if id.Subject != o.user.ID {
				t.Errorf("ID token: sub %q, want %q", id.Subject, o.user.ID)
			}
		})
	}
}
