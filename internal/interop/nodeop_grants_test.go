package interop

// Introspection, revocation, client credentials, the device flow and
// form_post against panva's oidc-provider (nodeop_test.go).

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/oauthkit/oauth/oauth2"
)

// TestNodeOPIntrospectionRevocation introspects a login's tokens (RFC
// 7662), revokes them (RFC 7009), and checks that the OP no longer
// honours them, with a confidential and a public client.
func TestNodeOPIntrospectionRevocation(t *testing.T) {
	o := startNodeOP(t, nodeOPOptions{})
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		cfg  func(t testing.TB) *oauth2.Config
	}{
		{"client_secret_basic", o.basic},
		{"private_key_jwt", func(t testing.TB) *oauth2.Config {
			return o.config(t, oauth2.Config{ClientID: "pkjwt", Scopes: nodeScopes,
				AuthMethod: oauth2.AuthPrivateKeyJWT, Signer: testOPSigner(t, "RS256", "rsa1"), KeyID: "rsa1"})
		}},
		{"none", o.public},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg(t)
			tok, id, _ := o.login(t, cfg)
			type intro struct {
				Active                   bool
				ClientID, Sub, TokenType string
				Scope                    []string
				Expires                  bool
			}
			for _, tc := range []struct {
				token     string
				hint      oauth2.TokenTypeHint
				tokenType string
			}{
				{tok.AccessToken, oauth2.HintAccessToken, "Bearer"},
				{tok.RefreshToken, oauth2.HintRefreshToken, ""},
			} {
				in, err := cfg.IntrospectToken(ctx, tc.token, tc.hint)
				if err != nil {
					t.Fatalf("IntrospectToken(%s): %v", tc.hint, err)
				}
				want := intro{true, cfg.ClientID, nodeUser.Subject, tc.tokenType, nodeScopes, true}
				got := intro{in.Active, in.ClientID, in.Sub, in.TokenType, in.Scope, in.Exp.After(time.Now())}
				if diff := cmp.Diff(want, got, sortStrings); diff != "" {
					t.Errorf("IntrospectToken(%s) (-want +got):\n%s", tc.hint, diff)
				}
			}
			if in, err := cfg.IntrospectToken(ctx, "never-issued", ""); err != nil || in.Active {
				t.Errorf("IntrospectToken of an unknown token: active %t, error %v; want inactive, no error", in != nil && in.Active, err)
			}

			s := cfg.NewSession(tok)
			if err := s.Revoke(ctx, oauth2.HintAccessToken); err != nil {
				t.Fatalf("Session.Revoke(access token): %v", err)
			}
			if in, err := cfg.IntrospectToken(ctx, tok.AccessToken, oauth2.HintAccessToken); err != nil || in.Active {
				t.Errorf("IntrospectToken of the revoked access token: active %t, error %v; want inactive, no error", in != nil && in.Active, err)
			}
			if _, err := o.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok), id.Subject); !errors.Is(err, oauth2.ErrInvalidToken) {
				t.Errorf("UserInfo with the revoked access token: got %v, want ErrInvalidToken", err)
			}
			if err := cfg.RevokeToken(ctx, tok.RefreshToken, oauth2.HintRefreshToken); err != nil {
				t.Fatalf("RevokeToken(refresh token): %v", err)
			}
			if _, err := cfg.NewSession(tok).Refresh(ctx); !errors.Is(err, oauth2.ErrInvalidGrant) {
				t.Errorf("Refresh with the revoked refresh token: got %v, want ErrInvalidGrant", err)
			}
			// RFC 7009 §2.2: an invalid token is answered with 200.
			if err := cfg.RevokeToken(ctx, "never-issued", ""); err != nil {
				t.Errorf("RevokeToken of an unknown token: %v", err)
			}
		})
	}

	t.Run("wrong secret", func(t *testing.T) {
		cfg := o.config(t, oauth2.Config{ClientID: "basic", ClientSecret: "wrong"})
		if _, err := cfg.IntrospectToken(ctx, "never-issued", ""); !errors.Is(err, oauth2.ErrInvalidClient) {
			t.Errorf("IntrospectToken with a wrong secret: got %v, want ErrInvalidClient", err)
		}
		if err := cfg.RevokeToken(ctx, "never-issued", ""); !errors.Is(err, oauth2.ErrInvalidClient) {
			t.Errorf("RevokeToken with a wrong secret: got %v, want ErrInvalidClient", err)
		}
	})
}

// TestNodeOPClientCredentials gets a token for the service client (RFC
// 6749 §4.4), from the OP and then from the session's cache, introspects
// it, and checks that a wrong secret is refused.
func TestNodeOPClientCredentials(t *testing.T) {
	o := startNodeOP(t, nodeOPOptions{})
	ctx := context.Background()
	cfg := o.config(t, oauth2.Config{ClientID: "service", ClientSecret: nodeSvcSecret})
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
	in, err := s.Introspect(ctx, oauth2.HintAccessToken)
	if err != nil {
		t.Fatalf("Session.Introspect: %v", err)
	}
	if !in.Active || in.ClientID != "service" || in.Sub != "" {
		t.Errorf("introspection: active %t, client_id %q, sub %q; want active, %q, no sub", in.Active, in.ClientID, in.Sub, "service")
	}
	bad := o.config(t, oauth2.Config{ClientID: "service", ClientSecret: "wrong"})
	if _, err := bad.ClientCredentials().Token(ctx); !errors.Is(err, oauth2.ErrInvalidClient) {
		t.Errorf("ClientCredentials with a wrong secret: got %v, want ErrInvalidClient", err)
	}
}

// TestNodeOPDeviceFlow runs the device flow (RFC 8628): the user enters
// the code at the OP's device pages during the first wait between polls
// (Config.Sleep records the waits instead), and allows or aborts.
func TestNodeOPDeviceFlow(t *testing.T) {
	o := startNodeOP(t, nodeOPOptions{})
	ctx := context.Background()
	for _, allow := range []bool{true, false} {
		t.Run(map[bool]string{true: "allowed", false: "aborted"}[allow], func(t *testing.T) {
			cfg := o.config(t, oauth2.Config{ClientID: "device", ClientSecret: nodeDevSecret, Scopes: nodeScopes})
			da, err := cfg.DeviceAuth(ctx)
			if err != nil {
				t.Fatalf("DeviceAuth: %v", err)
			}
			if da.DeviceCode == "" || da.UserCode == "" || da.VerificationURI != o.issuer+"/device" || !da.Expiry.After(time.Now()) {
				t.Fatalf("DeviceAuth: unexpected response %v", da)
			}
			var waits []time.Duration
			cfg.Sleep = func(ctx context.Context, d time.Duration) error {
				waits = append(waits, d)
				if len(waits) == 2 {
					o.device(t, da.VerificationURI, da.UserCode, allow)
				}
				return ctx.Err()
			}
			before := o.log.len()
			tok, err := cfg.DeviceAccessToken(ctx, da)
			interval := time.Duration(da.Interval) * time.Second
			if da.Interval == 0 {
				interval = 5 * time.Second
			}
			if diff := cmp.Diff([]time.Duration{interval, interval}, waits); diff != "" {
				t.Errorf("waits between polls (-want +got):\n%s", diff)
			}
			var polls []string
			for _, e := range o.log.since(before) {
				polls = append(polls, e.Error)
			}
			wantPolls := []string{"authorization_pending", ""}
			if !allow {
				wantPolls[1] = "access_denied"
			}
			if diff := cmp.Diff(wantPolls, polls); diff != "" {
				t.Errorf("errors of the polls (-want +got):\n%s", diff)
			}
			if !allow {
				if !errors.Is(err, oauth2.ErrAccessDenied) {
					t.Fatalf("DeviceAccessToken, aborted: got %v, want ErrAccessDenied", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("DeviceAccessToken: %v", err)
			}
			id, err := o.verifier(cfg.ClientID).Verify(ctx, tok.IDToken)
			if err != nil {
				t.Fatalf("Verify(ID token): %v", err)
			}
			if id.Subject != nodeUser.Subject || tok.RefreshToken == "" {
				t.Errorf("device token: sub %q, refresh token %t; want %q, true", id.Subject, tok.RefreshToken != "", nodeUser.Subject)
			}
			if _, err := cfg.NewSession(tok).Refresh(ctx); err != nil {
				t.Errorf("Refresh of the device token: %v", err)
			}
		})
	}
}

// TestNodeOPFormPost completes a login whose response comes as a form
// POST to the redirect URL (OAuth 2.0 Form Post Response Mode), iss
// included, with Config.CompleteLogin.
func TestNodeOPFormPost(t *testing.T) {
	o := startNodeOP(t, nodeOPOptions{})
	ctx := context.Background()
	cfg := o.basic(t)
	mode, err := o.provider.Metadata().ResponseMode("form_post")
	if err != nil || mode != "form_post" {
		t.Fatalf("Metadata.ResponseMode(form_post) = %q, %v", mode, err)
	}
	l, err := cfg.NewLogin(ctx, oauth2.ApprovalForce, oauth2.SetParam("response_mode", mode))
	if err != nil {
		t.Fatal(err)
	}
	r := o.authorizeFormPost(t, l.URL)
	tok, err := cfg.CompleteLogin(ctx, l, r)
	if err != nil {
		t.Fatalf("CompleteLogin: %v", err)
	}
	if _, err := o.verifier(cfg.ClientID).VerifyLogin(ctx, tok, l); err != nil {
		t.Errorf("VerifyLogin: %v", err)
	}
	if tok.RefreshToken == "" {
		t.Errorf("no refresh token")
	}
}
