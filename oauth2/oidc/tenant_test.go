package oidc_test

import (
	"context"
	"encoding/base64"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oidc"
)

// Microsoft Entra's multi-tenant discovery, as its documents read: the
// issuer of https://login.microsoftonline.com/common/v2.0 (and of
// .../organizations/v2.0) is a template, and an ID token's "iss" names
// its user's tenant, whose ID is its "tid"
// (https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-the-issuer).
const (
	msHost     = "login.microsoftonline.com"
	msCommon   = "https://login.microsoftonline.com/common/v2.0"
	msTemplate = "https://login.microsoftonline.com/{tenantid}/v2.0"
	msTenant   = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	msJWKS     = "https://login.microsoftonline.com/common/discovery/v2.0/keys"
)

// msDocument is a discovery document with issuer iss, trimmed to the
// members the test needs.
func msDocument(iss string) string {
	return `{"issuer":"` + iss + `",` +
		`"authorization_endpoint":"https://login.microsoftonline.com/common/oauth2/v2.0/authorize",` +
		`"token_endpoint":"https://login.microsoftonline.com/common/oauth2/v2.0/token",` +
		`"jwks_uri":"` + msJWKS + `","id_token_signing_alg_values_supported":["RS256"]}`
}

// msClient answers discovery for every tenant path with a document whose
// issuer is docIssuer, and the JWK Set with the test RSA key.
func msClient(t *testing.T, docIssuer string) *http.Client {
	t.Helper()
	pub := keys(t).rsa.PublicKey
	jwks := `{"keys":[{"kty":"RSA","use":"sig","kid":"k1","n":"` +
		base64.RawURLEncoding.EncodeToString(pub.N.Bytes()) + `","e":"` +
		base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()) + `"}]}`
	return &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		switch {
		case r.URL.Host != msHost:
			t.Errorf("unexpected request to %s", r.URL)
			return nil, errors.New("unexpected host")
		case r.URL.String() == msJWKS:
			return jsonResponse(r, jwks), nil
		case strings.HasSuffix(r.URL.Path, "/v2.0/.well-known/openid-configuration"):
			return jsonResponse(r, msDocument(docIssuer)), nil
		}
		return &http.Response{StatusCode: http.StatusNotFound, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})}
}

func TestMicrosoftTenantDiscovery(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name, issuer, docIssuer string
		wantErr                 error
	}{
		{"common", msCommon, msTemplate, nil},
		{"organizations", "https://login.microsoftonline.com/organizations/v2.0", msTemplate, nil},
		{"a tenant's own issuer", "https://login.microsoftonline.com/" + msTenant + "/v2.0", "https://login.microsoftonline.com/" + msTenant + "/v2.0", nil},
		{"a tenant name for the template", "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0", msTemplate, oidc.ErrIssuerMismatch},
		{"consumers for the template", "https://login.microsoftonline.com/consumers/v2.0", msTemplate, oidc.ErrIssuerMismatch},
		{"template with a trailing slash", msCommon, msTemplate + "/", oidc.ErrIssuerMismatch},
		{"template on another host", msCommon, "https://login.microsoftonline.com.attacker.example/{tenantid}/v2.0", oidc.ErrIssuerMismatch},
		{"template twice", msCommon, "https://login.microsoftonline.com/{tenantid}/{tenantid}", oidc.ErrIssuerMismatch},
		{"template in upper case", msCommon, "https://login.microsoftonline.com/{TENANTID}/v2.0", oidc.ErrIssuerMismatch},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := oidc.NewProvider(ctx, tt.issuer, &oidc.Options{HTTPClient: msClient(t, tt.docIssuer)})
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("NewProvider(%q) with issuer %q in the document: error = %v, want %v", tt.issuer, tt.docIssuer, err, tt.wantErr)
			}
			if err == nil && p.Issuer() != tt.issuer {
				t.Errorf("Issuer() = %q, want %q", p.Issuer(), tt.issuer)
			}
		})
	}
}

// caseClaim is a claim, for the tid of TestMicrosoftTenantVerify, under
// another name than "tid".
type caseClaim struct{ name, value string }

func TestMicrosoftTenantVerify(t *testing.T) {
	ctx := context.Background()
	now := unitNow
	p, err := oidc.NewProvider(ctx, msCommon, &oidc.Options{HTTPClient: msClient(t, msTemplate), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	v := p.Verifier(&oidc.Config{ClientID: unitClient, Now: func() time.Time { return now }})
	rs := signerFor(t, keys(t), "RS256", nil)
	token := func(iss string, tid any) string {
		c := unitClaims("RS256")
		c["iss"] = iss
		switch tid := tid.(type) {
		case nil:
		case caseClaim:
			c[tid.name] = tid.value
		default:
			c["tid"] = tid
		}
		return mint(t, rs, map[string]any{"alg": "RS256", "kid": "k1"}, c)
	}
	tenantIssuer := "https://login.microsoftonline.com/" + msTenant + "/v2.0"
	other := "9188040d-6c67-4c5b-b112-36a304b66dad" // Microsoft's consumer tenant
	for _, tt := range []struct {
		name    string
		iss     string
		tid     any
		wantErr error
	}{
		{"tenant's issuer and tid", tenantIssuer, msTenant, nil},
		{"upper-case tid in both", "https://login.microsoftonline.com/" + strings.ToUpper(msTenant) + "/v2.0", strings.ToUpper(msTenant), nil},
		{"upper-case tid in iss only", "https://login.microsoftonline.com/" + strings.ToUpper(msTenant) + "/v2.0", msTenant, oidc.ErrIssuerMismatch},
		{"another tenant's issuer and tid", "https://login.microsoftonline.com/" + other + "/v2.0", other, nil},
		{"tid of another tenant", tenantIssuer, other, oidc.ErrIssuerMismatch},
		{"no tid", tenantIssuer, nil, oidc.ErrIssuerMismatch},
		{"tid not a string", tenantIssuer, 42, oidc.ErrIssuerMismatch},
		{"tid not a GUID", "https://login.microsoftonline.com/contoso/v2.0", "contoso", oidc.ErrIssuerMismatch},
		{"tid with a slash", "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab/2d7cd011db4/v2.0", "72f988bf-86f1-41af-91ab/2d7cd011db4", oidc.ErrIssuerMismatch},
		{"the template itself", msTemplate, "{tenantid}", oidc.ErrIssuerMismatch},
		{"another host", "https://attacker.example/" + msTenant + "/v2.0", msTenant, oidc.ErrIssuerMismatch},
		// Claim names are case-sensitive (RFC 7519 §4): "TID" is not
		// "tid", however encoding/json would match a struct field.
		{"TID for tid", tenantIssuer, caseClaim{"TID", msTenant}, oidc.ErrIssuerMismatch},
		{"Tid for tid", tenantIssuer, caseClaim{"Tid", msTenant}, oidc.ErrIssuerMismatch},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.Verify(ctx, token(tt.iss, tt.tid))
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("Verify(iss %q, tid %v) error = %v, want %v", tt.iss, tt.tid, err, tt.wantErr)
			}
			if err == nil && got.Issuer != tt.iss {
				t.Errorf("IDToken.Issuer = %q, want the token's %q", got.Issuer, tt.iss)
			}
		})
	}

	t.Run("login", func(t *testing.T) {
		cfg := &oauth2.Config{ClientID: unitClient, Endpoint: p.Endpoint(), RedirectURL: "http://127.0.0.1/cb", Scopes: []string{oidc.ScopeOpenID}}
		login, err := cfg.NewLogin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c := unitClaims("RS256")
		c["iss"], c["tid"], c["nonce"] = tenantIssuer, msTenant, login.Nonce
		tok := &oauth2.Token{AccessToken: unitAccess, IDToken: mint(t, rs, map[string]any{"alg": "RS256", "kid": "k1"}, c)}
		if _, err := v.VerifyLogin(ctx, tok, login); err != nil {
			t.Errorf("VerifyLogin() error = %v", err)
		}
		login.Issuer = "https://login.microsoftonline.com/organizations/v2.0"
		if _, err := v.VerifyLogin(ctx, tok, login); !errors.Is(err, oidc.ErrIssuerMismatch) {
			t.Errorf("VerifyLogin(login for another issuer) error = %v, want ErrIssuerMismatch", err)
		}
	})

	t.Run("verifier without discovery", func(t *testing.T) {
		// NewVerifier knows no template: the tenant's token is refused.
		v := oidc.NewVerifier(msCommon, p.KeySet(), &oidc.Config{ClientID: unitClient, Now: func() time.Time { return now }})
		if _, err := v.Verify(ctx, token(tenantIssuer, msTenant)); !errors.Is(err, oidc.ErrIssuerMismatch) {
			t.Errorf("Verify() error = %v, want ErrIssuerMismatch", err)
		}
	})
}
