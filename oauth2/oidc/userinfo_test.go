package oidc_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oidc"
	"github.com/oauthkit/oauth/signer/jose"
)

// A Session holds a token, and is a TokenSource.
var _ oidc.TokenSource = (*oauth2.Session)(nil)

// TestUserInfo asks the fake provider's UserInfo endpoint about the
// signed-in user, and refuses an answer about someone else.
func TestUserInfo(t *testing.T) {
	clk := newClock()
	s := newServer(t, clk, nil)
	p := newProvider(t, s, clk)
	tok := signIn(t, s, testNonce)
	ctx := context.Background()
	got, err := p.UserInfo(ctx, staticToken(tok.AccessToken), "alice")
	if err != nil {
		t.Fatalf("UserInfo() error = %v", err)
	}
	want := &oidc.UserInfo{Subject: "alice", StandardClaims: oidc.StandardClaims{Name: "Alice", Email: "alice@example.com", EmailVerified: true}}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(oidc.UserInfo{})); diff != "" {
		t.Errorf("UserInfo() mismatch (-want +got):\n%s", diff)
	}
	var all map[string]any
	if err := got.Claims(&all); err != nil || all["sub"] != "alice" {
		t.Errorf("Claims() = %v, %v", all, err)
	}
	if n := s.OAuth2.UserInfoRequests(); n != 1 {
		t.Errorf("UserInfoRequests() = %d, want 1", n)
	}
	// A session built on the token works as its source.
	sess := (&oauth2.Config{ClientID: testClientID, Endpoint: p.Endpoint()}).NewSession(&oauth2.Token{AccessToken: tok.AccessToken})
	if _, err := p.UserInfo(ctx, sess, "alice"); err != nil {
		t.Errorf("UserInfo(session) error = %v", err)
	}
}

// TestUserInfoRefusals checks the refusals of UserInfo.
func TestUserInfoRefusals(t *testing.T) {
	ctx := context.Background()
	t.Run("another subject", func(t *testing.T) {
		clk := newClock()
		s := newServer(t, clk, func(o *fakeprovider.OAuth2) { o.WrongUserInfoSub = true })
		p := newProvider(t, s, clk)
		tok := signIn(t, s, testNonce)
		if got, err := p.UserInfo(ctx, staticToken(tok.AccessToken), "alice"); !errors.Is(err, oidc.ErrSubjectMismatch) || got != nil {
			t.Errorf("UserInfo() = %v, %v; want ErrSubjectMismatch", got, err)
		}
		// Without an ID token to compare with, the answer is returned.
		if got, err := p.UserInfo(ctx, staticToken(tok.AccessToken), ""); err != nil || got.Subject != fakeprovider.OtherSubject {
			t.Errorf("UserInfo(no subject) = %v, %v", got, err)
		}
	})
	t.Run("token refused", func(t *testing.T) {
		clk := newClock()
		s := newServer(t, clk, nil)
		p := newProvider(t, s, clk)
		const forged = "at_forged-token-value-0123456789"
		_, err := p.UserInfo(ctx, staticToken(forged), "alice")
		var e *oauth2.Error
		if !errors.As(err, &e) || e.Endpoint != "userinfo" || !errors.Is(err, oauth2.ErrInvalidToken) {
			t.Fatalf("UserInfo() error = %v, want an *oauth2.Error of userinfo matching ErrInvalidToken", err)
		}
		if strings.Contains(err.Error(), forged) || strings.Contains(string(e.Body), forged) {
			t.Errorf("error or body contains the token: %v / %q", err, e.Body)
		}
	})
	t.Run("no endpoint", func(t *testing.T) {
		clk := newClock()
		s := newServer(t, clk, func(o *fakeprovider.OAuth2) { o.DiscoveryOmit = []string{"userinfo_endpoint"} })
		p := newProvider(t, s, clk)
		if _, err := p.UserInfo(ctx, staticToken("at"), "alice"); !errors.Is(err, oauth2.ErrNoEndpoint) {
			t.Errorf("UserInfo() error = %v, want oauth2.ErrNoEndpoint", err)
		}
	})
	for name, tok := range map[string]*oauth2.Token{
		"DPoP token":              {AccessToken: "at", TokenType: "DPoP"},
		"lower-case dpop token":   {AccessToken: "at", TokenType: "dpop"},
		"token bound by DPoPJKT":  {AccessToken: "at", DPoPJKT: "jkt"},
		"bearer type and DPoPJKT": {AccessToken: "at", TokenType: "Bearer", DPoPJKT: "jkt"},
	} {
		t.Run(name, func(t *testing.T) {
			// A DPoP-bound token (oauth2.Token.Type) is never sent as Bearer.
			clk := newClock()
			s := newServer(t, clk, nil)
			p := newProvider(t, s, clk)
			src := tokenFunc(func() *oauth2.Token { return tok })
			_, err := p.UserInfo(ctx, src, "alice")
			// An *oauth2.Error is the endpoint's answer: the token was sent.
			var e *oauth2.Error
			if err == nil || errors.As(err, &e) || s.OAuth2.UserInfoRequests() != 0 {
				t.Errorf("UserInfo(DPoP) error = %v, %d requests; want an error and no request", err, s.OAuth2.UserInfoRequests())
			}
		})
	}
	t.Run("no access token", func(t *testing.T) {
		clk := newClock()
		s := newServer(t, clk, nil)
		p := newProvider(t, s, clk)
		if _, err := p.UserInfo(ctx, staticToken(""), "alice"); !errors.Is(err, oauth2.ErrNoToken) {
			t.Errorf("UserInfo() error = %v, want oauth2.ErrNoToken", err)
		}
	})
}

type tokenFunc func() *oauth2.Token

func (f tokenFunc) Token(context.Context) (*oauth2.Token, error) { return f(), nil }

// opServer is a minimal OpenID provider whose UserInfo endpoint answers
// with a body the test chooses.
func opServer(t testing.TB, userinfo func(iss string) (contentType, body string)) *httptest.Server {
	t.Helper()
	return opServerWrapped(t, userinfo, nil)
}

// opServerWrapped is opServer whose handler is wrap's of the usual one,
// if wrap is not nil.
func opServerWrapped(t testing.TB, userinfo func(iss string) (contentType, body string), wrap func(http.Handler) http.Handler) *httptest.Server {
	t.Helper()
	k := keys(t)
	var s *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{
			"issuer": s.URL, "jwks_uri": s.URL + "/jwks", "userinfo_endpoint": s.URL + "/userinfo",
			"userinfo_signing_alg_values_supported": []string{"ES256"},
		})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"keys": []*jose.JWK{jwkOf(t, k.p256, "ec"), jwkOf(t, k.rsa, "rsa")}})
	})
	mux.HandleFunc("/userinfo", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer good-token" {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		ct, body := userinfo(s.URL)
		w.Header().Set("Content-Type", ct)
		w.Write([]byte(body))
	})
	var h http.Handler = mux
	if wrap != nil {
		h = wrap(h)
	}
	s = httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

// TestUserInfoResponses checks JSON and signed UserInfo responses.
func TestUserInfoResponses(t *testing.T) {
	k := keys(t)
	es := signerFor(t, k, "ES256", nil)
	signed := func(hdr map[string]any, s jose.Signer, edit func(iss string, c map[string]any)) func(string) (string, string) {
		return func(iss string) (string, string) {
			c := map[string]any{"iss": iss, "aud": "client", "sub": "248289761001", "name": "Jane Doe", "email_verified": "true"}
			if edit != nil {
				edit(iss, c)
			}
			return "application/jwt; charset=utf-8", mint(t, s, hdr, c)
		}
	}
	tests := []struct {
		name     string
		userinfo func(iss string) (string, string)
		maxBody  int64
		wantErr  error
	}{
		{"json", func(string) (string, string) {
			return "application/json", `{"sub":"248289761001","name":"Jane Doe","email_verified":"true"}`
		}, 0, nil},
		{"signed", signed(map[string]any{"alg": "ES256", "kid": "ec"}, es, nil), 0, nil},
		{"signed by another issuer", signed(map[string]any{"alg": "ES256", "kid": "ec"}, es, func(_ string, c map[string]any) { c["iss"] = "https://attacker.example" }), 0, oidc.ErrIssuerMismatch},
		{"signed with an alg the metadata does not list", signed(map[string]any{"alg": "RS256", "kid": "rsa"}, signerFor(t, k, "RS256", nil), nil), 0, oidc.ErrInvalidSignature},
		{"signed, alg none", signed(map[string]any{"alg": "none"}, noneSigner{}, nil), 0, oidc.ErrInvalidSignature},
		{"signed, bad signature", func(iss string) (string, string) {
			ct, body := signed(map[string]any{"alg": "ES256", "kid": "ec"}, es, nil)(iss)
			i := strings.LastIndexByte(body, '.') + 1
			return ct, body[:i] + flip(body[i:])
		}, 0, oidc.ErrInvalidSignature},
		{"no sub", func(string) (string, string) { return "application/json", `{"name":"Jane Doe"}` }, 0, oidc.ErrMalformedToken},
		{"sub not a string", func(string) (string, string) { return "application/json", `{"sub":248289761001}` }, 0, oidc.ErrMalformedToken},
		{"duplicate sub", func(string) (string, string) {
			return "application/json", `{"sub":"248289761001","sub":"mallory"}`
		}, 0, oidc.ErrMalformedToken},
		{"no limit", func(string) (string, string) {
			// math.MaxInt64: one byte more must not wrap around.
			return "application/json", `{"sub":"248289761001","name":"Jane Doe","email_verified":true}`
		}, math.MaxInt64, nil},
		{"too large", func(string) (string, string) {
			return "application/json", `{"sub":"248289761001","padding":"` + strings.Repeat("x", 2000) + `"}`
		}, 1000, errWantMaxBytes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := opServer(t, tt.userinfo)
			p, err := oidc.NewProvider(context.Background(), s.URL, &oidc.Options{MaxBodyBytes: tt.maxBody})
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.UserInfo(context.Background(), staticToken("good-token"), "248289761001")
			switch {
			case tt.wantErr == errWantMaxBytes:
				if !errors.As(err, new(*http.MaxBytesError)) {
					t.Fatalf("UserInfo() error = %v, want *http.MaxBytesError", err)
				}
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) || got != nil {
					t.Fatalf("UserInfo() = %v, %v; want %v", got, err, tt.wantErr)
				}
			case err != nil:
				t.Fatalf("UserInfo() error = %v", err)
			case got.Subject != "248289761001" || got.Name != "Jane Doe" || !got.EmailVerified:
				t.Errorf("UserInfo() = %+v", got)
			}
		})
	}
}

// errWantMaxBytes marks the tests that expect a *http.MaxBytesError.
var errWantMaxBytes = errors.New("a *http.MaxBytesError")

// TestUserInfoPrints checks that printing a UserInfo, with every verb and
// inside a struct, shows its subject and none of its other claims, nor the
// response's bytes.
func TestUserInfoPrints(t *testing.T) {
	const body = `{"sub":"248289761001","name":"Jane Doe","email":"janedoe@example.com","email_verified":true}`
	s := opServer(t, func(string) (string, string) { return "application/json", body })
	p, err := oidc.NewProvider(context.Background(), s.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	u, err := p.UserInfo(context.Background(), staticToken("good-token"), "248289761001")
	if err != nil {
		t.Fatal(err)
	}
	type holder struct{ U oidc.UserInfo }
	rawBytes := strings.Trim(fmt.Sprint([]byte(body)), "[]")
	for _, v := range []any{u, *u, holder{*u}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			got := fmt.Sprintf(verb, v)
			for _, claim := range []string{"Jane Doe", "janedoe@example.com", rawBytes[:20], fmt.Sprintf("%x", "janedoe")} {
				if strings.Contains(got, claim) {
					t.Errorf("Sprintf(%s, %T) = %q shows %q", verb, v, got, claim)
				}
			}
		}
	}
	if got := fmt.Sprintf("%v", u); !strings.Contains(got, "248289761001") {
		t.Errorf("Sprintf(%%v, u) = %q, want the subject", got)
	}
}
