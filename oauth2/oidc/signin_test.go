package oidc_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
)

// The fake provider's client that the tests sign in with: a public client
// (token_endpoint_auth_method none) that accepts any loopback redirect URI.
const (
	testClientID = "public-client"
	testRedirect = "http://127.0.0.1/callback"
)

// tokens is a token endpoint response.
type tokens struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token"`
	IDToken      string `json:"id_token"`
}

// signIn runs the authorization code flow against s with plain HTTP, as
// the public test client with PKCE, asking for scope "openid email
// profile" and sending nonce when it is not empty, and returns the token
// response. It does not use package oauth2, so that the tests of this
// package do not depend on how oauth2 runs the flow.
func signIn(t testing.TB, s *fakeprovider.Server, nonce string) tokens {
	t.Helper()
	verifier := strings.Repeat("v", 43)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{
		"client_id":             {testClientID},
		"redirect_uri":          {testRedirect},
		"response_type":         {"code"},
		"scope":                 {"openid email profile"},
		"state":                 {"state-1"},
		"code_challenge":        {base64.RawURLEncoding.EncodeToString(sum[:])},
		"code_challenge_method": {"S256"},
	}
	if nonce != "" {
		q.Set("nonce", nonce)
	}
	c := *s.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(s.URL + fakeprovider.OAuth2AuthorizePath + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("authorize: status %d, no Location: %v", resp.StatusCode, err)
	}
	code := loc.Query().Get("code")
	if code == "" {
		t.Fatalf("authorize: no code in %s", loc.Redacted())
	}
	return tokenRequest(t, s, url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"redirect_uri":  {testRedirect},
		"client_id":     {testClientID},
		"code_verifier": {verifier},
	})
}

// refresh runs the refresh grant against s.
func refresh(t testing.TB, s *fakeprovider.Server, refreshToken string) tokens {
	t.Helper()
	return tokenRequest(t, s, url.Values{
		"grant_type":    {"refresh_token"},
		"refresh_token": {refreshToken},
		"client_id":     {testClientID},
	})
}

func tokenRequest(t testing.TB, s *fakeprovider.Server, form url.Values) tokens {
	t.Helper()
	resp, err := s.Client().PostForm(s.URL+fakeprovider.OAuth2TokenPath, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("token endpoint: status %d: %s", resp.StatusCode, body)
	}
	var tok tokens
	if err := json.Unmarshal(body, &tok); err != nil {
		t.Fatal(err)
	}
	if tok.IDToken == "" {
		t.Fatalf("token endpoint: no id_token in %s", body)
	}
	return tok
}

// staticToken is a TokenSource of one access token.
type staticToken string

func (s staticToken) Token(context.Context) (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: string(s), TokenType: "Bearer"}, nil
}
