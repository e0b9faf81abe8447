package oidc_test

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/oauthkit/oauth/oauth2/oidc"
	"github.com/oauthkit/oauth/signer"
	"github.com/oauthkit/oauth/signer/jose"
)

const (
	unitIssuer = "https://idp.example/tenant"
	unitClient = "client-1"
	unitSecret = "client-secret-of-at-least-32-bytes!"
	unitNonce  = "nonce-n-0S6_WzA2Mj"
	unitAccess = "access-token-jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"
	unitCode   = "code-Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf"
)

var unitNow = time.Unix(1700000000, 0).UTC()

// leftHalf is at_hash and c_hash computed here, apart from the package:
// the left half of the SHA-256, SHA-384 or SHA-512 of v, base64url.
func leftHalf(alg, v string) string {
	var sum []byte
	switch {
	case strings.HasSuffix(alg, "256"):
		s := sha256.Sum256([]byte(v))
		sum = s[:]
	case strings.HasSuffix(alg, "384"):
		s := sha512.Sum384([]byte(v))
		sum = s[:]
	default: // *512 and EdDSA
		s := sha512.Sum512([]byte(v))
		sum = s[:]
	}
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}

// unitClaims are the claims of a valid ID token for alg.
func unitClaims(alg string) map[string]any {
	return map[string]any{
		"iss":            unitIssuer,
		"sub":            "248289761001",
		"aud":            unitClient,
		"exp":            unitNow.Add(time.Hour).Unix(),
		"iat":            unitNow.Unix(),
		"auth_time":      unitNow.Add(-5 * time.Minute).Unix(),
		"nonce":          unitNonce,
		"at_hash":        leftHalf(alg, unitAccess),
		"c_hash":         leftHalf(alg, unitCode),
		"name":           "Jane Doe",
		"email":          "janedoe@example.com",
		"email_verified": true,
		"picture":        "http://example.com/janedoe/me.jpg",
		"address":        map[string]any{"country": "NZ"},
		"updated_at":     1311280970,
		"groups":         []string{"admins"},
	}
}

func unitVerifier(t testing.TB, cfg oidc.Config) *oidc.IDTokenVerifier {
	t.Helper()
	if cfg.ClientID == "" && !cfg.SkipClientIDCheck {
		cfg.ClientID = unitClient
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return unitNow }
	}
	return oidc.NewVerifier(unitIssuer, &oidc.StaticKeySet{PublicKeys: keys(t).publicKeys()}, &cfg)
}

var allOpts = []oidc.VerifyOption{oidc.WithNonce(unitNonce), oidc.WithAccessToken(unitAccess), oidc.WithCode(unitCode), oidc.WithMaxAge(10 * time.Minute)}

// TestVerifyAlgorithms verifies a token of every algorithm and checks the
// typed claims against the ones minted.
func TestVerifyAlgorithms(t *testing.T) {
	k := keys(t)
	for _, alg := range []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "HS256", "HS384", "HS512"} {
		t.Run(alg, func(t *testing.T) {
			raw := mint(t, signerFor(t, k, alg, []byte(unitSecret)), map[string]any{"alg": alg, "typ": "JWT"}, unitClaims(alg))
			v := unitVerifier(t, oidc.Config{ClientSecret: unitSecret})
			got, err := v.Verify(context.Background(), raw, allOpts...)
			if err != nil {
				t.Fatalf("Verify() error = %v", err)
			}
			want := &oidc.IDToken{
				Issuer: unitIssuer, Subject: "248289761001", Audience: []string{unitClient},
				Expiry: unitNow.Add(time.Hour), IssuedAt: unitNow, AuthTime: unitNow.Add(-5 * time.Minute),
				Nonce: unitNonce, AccessTokenHash: leftHalf(alg, unitAccess), CodeHash: leftHalf(alg, unitCode),
				StandardClaims: oidc.StandardClaims{Name: "Jane Doe", Email: "janedoe@example.com", EmailVerified: true,
					Picture: "http://example.com/janedoe/me.jpg", Address: &oidc.Address{Country: "NZ"}, UpdatedAt: time.Unix(1311280970, 0).UTC()},
			}
			if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(oidc.IDToken{})); diff != "" {
				t.Errorf("Verify() mismatch (-want +got):\n%s", diff)
			}
			var extra struct{ Groups []string }
			if err := got.Claims(&extra); err != nil || len(extra.Groups) != 1 || extra.Groups[0] != "admins" {
				t.Errorf("Claims() = %+v, %v", extra, err)
			}
			if err := got.VerifyAccessToken(unitAccess); err != nil {
				t.Errorf("VerifyAccessToken() = %v", err)
			}
			if err := got.VerifyAccessToken(unitAccess + "x"); !errors.Is(err, oidc.ErrAccessTokenHashMismatch) {
				t.Errorf("VerifyAccessToken(other) = %v, want ErrAccessTokenHashMismatch", err)
			}
		})
	}
}

// TestVerifyRefusals checks each refusal with its sentinel.
func TestVerifyRefusals(t *testing.T) {
	k := keys(t)
	rs := signerFor(t, k, "RS256", nil)
	der, err := x509.MarshalPKIXPublicKey(k.rsa.Public())
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	withClaims := func(edit func(map[string]any)) func(t testing.TB) string {
		return func(t testing.TB) string {
			c := unitClaims("RS256")
			edit(c)
			return mint(t, rs, map[string]any{"alg": "RS256"}, c)
		}
	}
	valid := withClaims(func(map[string]any) {})
	tests := []struct {
		name    string
		token   func(t testing.TB) string
		cfg     oidc.Config
		opts    []oidc.VerifyOption
		wantErr error // nil: accepted
	}{
		{"valid", valid, oidc.Config{}, allOpts, nil},
		{"alg none", func(t testing.TB) string {
			c := unitClaims("RS256")
			return mint(t, noneSigner{}, map[string]any{"alg": "none"}, c)
		}, oidc.Config{}, nil, oidc.ErrInvalidSignature},
		{"HS256 keyed with the public key", func(t testing.TB) string {
			return mint(t, signerFor(t, k, "HS256", pubPEM), map[string]any{"alg": "HS256"}, unitClaims("HS256"))
		}, oidc.Config{}, nil, oidc.ErrInvalidSignature},
		{"HS256 keyed with the public key, verifier with a secret", func(t testing.TB) string {
			return mint(t, signerFor(t, k, "HS256", pubPEM), map[string]any{"alg": "HS256"}, unitClaims("HS256"))
		}, oidc.Config{ClientSecret: unitSecret}, nil, oidc.ErrInvalidSignature},
		{"HS256 with the secret, HS256 not in SupportedSigningAlgs", func(t testing.TB) string {
			return mint(t, signerFor(t, k, "HS256", []byte(unitSecret)), map[string]any{"alg": "HS256"}, unitClaims("HS256"))
		}, oidc.Config{ClientSecret: unitSecret, SupportedSigningAlgs: []string{"RS256"}}, nil, oidc.ErrInvalidSignature},
		{"alg not supported", func(t testing.TB) string {
			return mint(t, signerFor(t, k, "ES256", nil), map[string]any{"alg": "ES256"}, unitClaims("ES256"))
		}, oidc.Config{SupportedSigningAlgs: []string{"RS256"}}, nil, oidc.ErrInvalidSignature},
		{"signature altered", func(t testing.TB) string {
			raw := valid(t)
			i := strings.LastIndexByte(raw, '.') + 1
			return raw[:i] + flip(raw[i:])
		}, oidc.Config{}, nil, oidc.ErrInvalidSignature},
		{"payload altered", func(t testing.TB) string {
			parts := strings.Split(valid(t), ".")
			c := unitClaims("RS256")
			c["sub"] = "mallory"
			return parts[0] + "." + mintPayload(t, c) + "." + parts[2]
		}, oidc.Config{}, nil, oidc.ErrInvalidSignature},
		{"typ of an access token", func(t testing.TB) string {
			return mint(t, rs, map[string]any{"alg": "RS256", "typ": "at+jwt"}, unitClaims("RS256"))
		}, oidc.Config{}, nil, oidc.ErrMalformedToken},
		{"not a jws", func(testing.TB) string { return "not.a-token" }, oidc.Config{}, nil, oidc.ErrMalformedToken},
		{"duplicate sub", func(t testing.TB) string {
			return mintRaw(t, rs, `{"alg":"RS256"}`, `{"iss":"`+unitIssuer+`","sub":"a","sub":"b","aud":"`+unitClient+`","exp":1700003600,"iat":1700000000}`)
		}, oidc.Config{}, nil, oidc.ErrMalformedToken},
		{"no sub", withClaims(func(c map[string]any) { delete(c, "sub") }), oidc.Config{}, nil, oidc.ErrMalformedToken},
		{"empty sub", withClaims(func(c map[string]any) { c["sub"] = "" }), oidc.Config{}, nil, oidc.ErrMalformedToken},
		{"no iss", withClaims(func(c map[string]any) { delete(c, "iss") }), oidc.Config{}, nil, oidc.ErrMalformedToken},
		{"no aud", withClaims(func(c map[string]any) { delete(c, "aud") }), oidc.Config{}, nil, oidc.ErrMalformedToken},
		{"aud empty array", withClaims(func(c map[string]any) { c["aud"] = []string{} }), oidc.Config{}, nil, oidc.ErrMalformedToken},
		{"aud a number", withClaims(func(c map[string]any) { c["aud"] = 7 }), oidc.Config{}, nil, oidc.ErrMalformedToken},
		{"no exp", withClaims(func(c map[string]any) { delete(c, "exp") }), oidc.Config{}, nil, oidc.ErrMalformedToken},
		{"exp a string", withClaims(func(c map[string]any) { c["exp"] = "1700003600" }), oidc.Config{}, nil, oidc.ErrMalformedToken},
		{"no iat", withClaims(func(c map[string]any) { delete(c, "iat") }), oidc.Config{}, nil, oidc.ErrMalformedToken},
		{"nonce a number", withClaims(func(c map[string]any) { c["nonce"] = 5 }), oidc.Config{}, nil, oidc.ErrMalformedToken},
		{"claims not an object", func(t testing.TB) string { return mintRaw(t, rs, `{"alg":"RS256"}`, `["sub"]`) }, oidc.Config{}, nil, oidc.ErrMalformedToken},
		{"wrong iss", withClaims(func(c map[string]any) { c["iss"] = "https://attacker.example/tenant" }), oidc.Config{}, nil, oidc.ErrIssuerMismatch},
		{"iss with a trailing slash", withClaims(func(c map[string]any) { c["iss"] = unitIssuer + "/" }), oidc.Config{}, nil, oidc.ErrIssuerMismatch},
		{"wrong iss, SkipIssuerCheck", withClaims(func(c map[string]any) { c["iss"] = "https://other.example" }), oidc.Config{SkipIssuerCheck: true}, nil, nil},
		{"wrong aud", withClaims(func(c map[string]any) { c["aud"] = "client-2" }), oidc.Config{}, nil, oidc.ErrAudienceMismatch},
		{"wrong aud, SkipClientIDCheck", withClaims(func(c map[string]any) { c["aud"] = "client-2" }), oidc.Config{SkipClientIDCheck: true}, nil, nil},
		{"aud array with the client", withClaims(func(c map[string]any) { c["aud"] = []string{unitClient} }), oidc.Config{}, nil, nil},
		{"several aud, no azp", withClaims(func(c map[string]any) { c["aud"] = []string{unitClient, "api"} }), oidc.Config{}, nil, oidc.ErrAudienceMismatch},
		{"several aud, azp another", withClaims(func(c map[string]any) { c["aud"] = []string{unitClient, "api"}; c["azp"] = "api" }), oidc.Config{}, nil, oidc.ErrAudienceMismatch},
		{"several aud, azp the client", withClaims(func(c map[string]any) { c["aud"] = []string{unitClient, "api"}; c["azp"] = unitClient }), oidc.Config{}, nil, nil},
		{"expired", withClaims(func(c map[string]any) { c["exp"] = unitNow.Add(-61 * time.Second).Unix() }), oidc.Config{}, nil, oidc.ErrExpired},
		{"expired within the leeway", withClaims(func(c map[string]any) { c["exp"] = unitNow.Add(-59 * time.Second).Unix() }), oidc.Config{}, nil, nil},
		{"expired, no leeway", withClaims(func(c map[string]any) { c["exp"] = unitNow.Add(-time.Second).Unix() }), oidc.Config{Leeway: -1}, nil, oidc.ErrExpired},
		{"expired, SkipExpiryCheck", withClaims(func(c map[string]any) { c["exp"] = unitNow.Add(-time.Hour).Unix() }), oidc.Config{SkipExpiryCheck: true}, nil, nil},
		{"nbf in the future", withClaims(func(c map[string]any) { c["nbf"] = unitNow.Add(2 * time.Minute).Unix() }), oidc.Config{}, nil, oidc.ErrNotValidYet},
		{"nbf within the leeway", withClaims(func(c map[string]any) { c["nbf"] = unitNow.Add(30 * time.Second).Unix() }), oidc.Config{}, nil, nil},
		{"iat in the future", withClaims(func(c map[string]any) { c["iat"] = unitNow.Add(2 * time.Minute).Unix() }), oidc.Config{}, nil, oidc.ErrNotValidYet},
		{"no nonce", withClaims(func(c map[string]any) { delete(c, "nonce") }), oidc.Config{}, []oidc.VerifyOption{oidc.WithNonce(unitNonce)}, oidc.ErrNonceMismatch},
		{"wrong nonce", withClaims(func(c map[string]any) { c["nonce"] = "other" }), oidc.Config{}, []oidc.VerifyOption{oidc.WithNonce(unitNonce)}, oidc.ErrNonceMismatch},
		{"nonce when none was sent", valid, oidc.Config{}, []oidc.VerifyOption{oidc.WithNonce("")}, oidc.ErrNonceMismatch},
		{"no nonce, none sent", withClaims(func(c map[string]any) { delete(c, "nonce") }), oidc.Config{}, []oidc.VerifyOption{oidc.WithNonce("")}, nil},
		{"wrong at_hash", valid, oidc.Config{}, []oidc.VerifyOption{oidc.WithAccessToken("another-token")}, oidc.ErrAccessTokenHashMismatch},
		{"at_hash of another alg's hash", withClaims(func(c map[string]any) { c["at_hash"] = leftHalf("RS512", unitAccess) }), oidc.Config{}, []oidc.VerifyOption{oidc.WithAccessToken(unitAccess)}, oidc.ErrAccessTokenHashMismatch},
		{"no at_hash", withClaims(func(c map[string]any) { delete(c, "at_hash") }), oidc.Config{}, []oidc.VerifyOption{oidc.WithAccessToken(unitAccess)}, nil},
		{"wrong c_hash", valid, oidc.Config{}, []oidc.VerifyOption{oidc.WithCode("another-code")}, oidc.ErrCodeHashMismatch},
		{"max age: no auth_time", withClaims(func(c map[string]any) { delete(c, "auth_time") }), oidc.Config{}, []oidc.VerifyOption{oidc.WithMaxAge(time.Hour)}, oidc.ErrAuthTime},
		{"max age: too old", valid, oidc.Config{}, []oidc.VerifyOption{oidc.WithMaxAge(3 * time.Minute)}, oidc.ErrAuthTime},
		{"max age: within the leeway", valid, oidc.Config{}, []oidc.VerifyOption{oidc.WithMaxAge(4*time.Minute + 30*time.Second)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := tt.token(t)
			got, err := unitVerifier(t, tt.cfg).Verify(context.Background(), raw, tt.opts...)
			if tt.wantErr == nil {
				if err != nil || got == nil {
					t.Fatalf("Verify() = %v, %v; want a token", got, err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) || got != nil {
				t.Fatalf("Verify() = %v, %v; want %v", got, err, tt.wantErr)
			}
			msg := err.Error()
			for _, secret := range []string{raw, raw[strings.LastIndexByte(raw, '.')+1:], unitNonce, unitAccess, unitCode, unitSecret} {
				if len(secret) > 8 && strings.Contains(msg, secret) {
					t.Errorf("error %q contains a credential", msg)
				}
			}
		})
	}
}

// TestVerifyExpiredError checks the typed error of an expired token.
func TestVerifyExpiredError(t *testing.T) {
	c := unitClaims("RS256")
	exp := unitNow.Add(-time.Hour)
	c["exp"] = exp.Unix()
	raw := mint(t, signerFor(t, keys(t), "RS256", nil), map[string]any{"alg": "RS256"}, c)
	_, err := unitVerifier(t, oidc.Config{}).Verify(context.Background(), raw)
	var te *oidc.TokenExpiredError
	if !errors.As(err, &te) || !te.Expiry.Equal(exp) {
		t.Fatalf("Verify() error = %v, want a *TokenExpiredError with Expiry %s", err, exp)
	}
}

// TestVerifySignatureSentinels checks that the refusals of the signature
// name the JOSE reason too.
func TestVerifySignatureSentinels(t *testing.T) {
	k := keys(t)
	v := unitVerifier(t, oidc.Config{})
	ctx := context.Background()
	none := mint(t, noneSigner{}, map[string]any{"alg": "none"}, unitClaims("RS256"))
	if _, err := v.Verify(ctx, none); !errors.Is(err, jose.ErrAlgorithmMismatch) {
		t.Errorf("alg none: error = %v, want jose.ErrAlgorithmMismatch too", err)
	}
	raw := mint(t, signerFor(t, k, "ES256", nil), map[string]any{"alg": "ES256"}, unitClaims("ES256"))
	i := strings.LastIndexByte(raw, '.') + 1
	if _, err := v.Verify(ctx, raw[:i]+flip(raw[i:])); !errors.Is(err, signer.ErrVerification) {
		t.Errorf("bad signature: error = %v, want signer.ErrVerification too", err)
	}
	// A key set without a key for the alg.
	only := oidc.NewVerifier(unitIssuer, &oidc.StaticKeySet{PublicKeys: []crypto.PublicKey{k.rsa.Public()}}, &oidc.Config{ClientID: unitClient, Now: func() time.Time { return unitNow }})
	if _, err := only.Verify(ctx, raw); !errors.Is(err, oidc.ErrUnknownKey) {
		t.Errorf("no key for ES256: error = %v, want ErrUnknownKey", err)
	}
	// No client ID: no token is accepted.
	noID := oidc.NewVerifier(unitIssuer, &oidc.StaticKeySet{PublicKeys: k.publicKeys()}, nil)
	if tok, err := noID.Verify(ctx, raw); err == nil || tok != nil {
		t.Errorf("verifier without a client id: Verify() = %v, %v; want an error", tok, err)
	}
}

// TestVerifyPrevious checks a refreshed token against the original one
// (OpenID Connect Core 1.0 §12.2).
func TestVerifyPrevious(t *testing.T) {
	rs := signerFor(t, keys(t), "RS256", nil)
	v := unitVerifier(t, oidc.Config{SkipIssuerCheck: true})
	ctx := context.Background()
	base := unitClaims("RS256")
	prev, err := v.Verify(ctx, mint(t, rs, map[string]any{"alg": "RS256"}, base), oidc.WithNonce(unitNonce))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		edit    func(map[string]any)
		wantErr error
	}{
		{"same claims, later iat", func(c map[string]any) { c["iat"] = unitNow.Unix() + 30 }, nil},
		{"no nonce", func(c map[string]any) { delete(c, "nonce") }, nil},
		{"no auth_time", func(c map[string]any) { delete(c, "auth_time") }, nil},
		{"later auth_time", func(c map[string]any) { c["auth_time"] = unitNow.Unix() }, nil},
		{"sub changed", func(c map[string]any) { c["sub"] = "mallory" }, oidc.ErrSubjectMismatch},
		{"iss changed", func(c map[string]any) { c["iss"] = "https://other.example" }, oidc.ErrIssuerMismatch},
		{"aud changed", func(c map[string]any) { c["aud"] = []string{unitClient, "api"}; c["azp"] = unitClient }, oidc.ErrAudienceMismatch},
		{"azp added", func(c map[string]any) { c["azp"] = unitClient }, oidc.ErrAudienceMismatch},
		{"earlier auth_time", func(c map[string]any) { c["auth_time"] = unitNow.Add(-time.Hour).Unix() }, oidc.ErrAuthTime},
		{"other nonce", func(c map[string]any) { c["nonce"] = "other" }, oidc.ErrNonceMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := unitClaims("RS256")
			tt.edit(c)
			next, err := v.Verify(ctx, mint(t, rs, map[string]any{"alg": "RS256"}, c), oidc.WithPrevious(prev))
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Verify(WithPrevious) = %v, %v; want %v", next, err, tt.wantErr)
			}
		})
	}
}

// TestVerifyGoogleIssuer checks the one exception to the byte-for-byte
// "iss" check: Google documents the iss of its ID tokens as
// "https://accounts.google.com" or "accounts.google.com"
// (developers.google.com/identity/openid-connect/openid-connect,
// "Validating an ID token"), so the scheme-less form passes for that
// issuer, and for no other; a refreshed token may switch between them.
func TestVerifyGoogleIssuer(t *testing.T) {
	k := keys(t)
	rs := signerFor(t, k, "RS256", nil)
	ctx := context.Background()
	tests := []struct {
		name, issuer, iss string
		wantErr           error
	}{
		{"google, https", "https://accounts.google.com", "https://accounts.google.com", nil},
		{"google, no scheme", "https://accounts.google.com", "accounts.google.com", nil},
		{"google, http", "https://accounts.google.com", "http://accounts.google.com", oidc.ErrIssuerMismatch},
		{"google, no scheme, trailing slash", "https://accounts.google.com", "accounts.google.com/", oidc.ErrIssuerMismatch},
		{"google, no scheme, upper case", "https://accounts.google.com", "ACCOUNTS.GOOGLE.COM", oidc.ErrIssuerMismatch},
		{"google with a slash, no scheme", "https://accounts.google.com/", "accounts.google.com", oidc.ErrIssuerMismatch},
		{"scheme-less issuer, https iss", "accounts.google.com", "https://accounts.google.com", oidc.ErrIssuerMismatch},
		{"other issuer, no scheme", unitIssuer, "idp.example/tenant", oidc.ErrIssuerMismatch},
		{"other host, no scheme", "https://idp.example", "idp.example", oidc.ErrIssuerMismatch},
		{"other issuer, google's scheme-less iss", unitIssuer, "accounts.google.com", oidc.ErrIssuerMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := oidc.NewVerifier(tt.issuer, &oidc.StaticKeySet{PublicKeys: k.publicKeys()},
				&oidc.Config{ClientID: unitClient, Now: func() time.Time { return unitNow }})
			c := unitClaims("RS256")
			c["iss"] = tt.iss
			got, err := v.Verify(ctx, mint(t, rs, map[string]any{"alg": "RS256"}, c))
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Verify(iss %q) error = %v, want %v", tt.iss, err, tt.wantErr)
			}
			if err == nil && got.Issuer != tt.iss {
				t.Errorf("IDToken.Issuer = %q, want the token's %q", got.Issuer, tt.iss)
			}
		})
	}

	t.Run("refresh switches form", func(t *testing.T) {
		v := oidc.NewVerifier("https://accounts.google.com", &oidc.StaticKeySet{PublicKeys: k.publicKeys()},
			&oidc.Config{ClientID: unitClient, Now: func() time.Time { return unitNow }})
		for _, pair := range [][2]string{{"https://accounts.google.com", "accounts.google.com"}, {"accounts.google.com", "https://accounts.google.com"}} {
			c := unitClaims("RS256")
			c["iss"] = pair[0]
			prev, err := v.Verify(ctx, mint(t, rs, map[string]any{"alg": "RS256"}, c))
			if err != nil {
				t.Fatal(err)
			}
			c["iss"] = pair[1]
			if _, err := v.Verify(ctx, mint(t, rs, map[string]any{"alg": "RS256"}, c), oidc.WithPrevious(prev)); err != nil {
				t.Errorf("Verify(iss %q, WithPrevious(iss %q)) error = %v", pair[1], pair[0], err)
			}
		}
	})
}

// TestPrinting checks that a Config, an IDToken and an IDTokenVerifier
// (which holds the client secret) print no secret, in any form fmt may
// print its bytes in.
func TestPrinting(t *testing.T) {
	raw := mint(t, signerFor(t, keys(t), "RS256", nil), map[string]any{"alg": "RS256"}, unitClaims("RS256"))
	tok, err := unitVerifier(t, oidc.Config{}).Verify(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	cfg := oidc.Config{ClientID: unitClient, ClientSecret: unitSecret}
	v := oidc.NewVerifier(unitIssuer, nil, &cfg)
	type holder struct{ V oidc.IDTokenVerifier }
	secretBytes := strings.Trim(fmt.Sprint([]byte(unitSecret)), "[]")
	secretHex := fmt.Sprintf("%x", unitSecret)
	for _, v := range []any{tok, *tok, cfg, &cfg, v, *v, holder{*v}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			got := fmt.Sprintf(verb, v)
			for _, secret := range []string{unitSecret, secretBytes, secretHex, unitNonce, "janedoe@example.com"} {
				if strings.Contains(got, secret) {
					t.Errorf("Sprintf(%s, %T) = %q shows a secret", verb, v, got)
				}
			}
		}
	}
	if got := fmt.Sprintf("%v", tok); !strings.Contains(got, "248289761001") || !strings.Contains(got, unitIssuer) {
		t.Errorf("Sprintf(%%v, tok) = %q, want the subject and issuer", got)
	}
}

// noneSigner makes unsecured JWS (RFC 7515 Appendix A.5), which
// jose.SignCompact refuses: mint builds those with mintRaw.
type noneSigner struct{}

func (noneSigner) Alg() string                 { return "none" }
func (noneSigner) Sign([]byte) ([]byte, error) { return nil, nil }

// flip changes the first character of a base64url string.
func flip(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}
