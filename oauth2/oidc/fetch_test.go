package oidc_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oidc"
)

// malformedProvider is a provider whose discovery document is sound and
// whose other answers are a malformed status line (which net/http's error
// quotes) made of the bearer token the request carried, or of "garbage",
// and 100 KiB more.
func malformedProvider(t *testing.T) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/.well-known/openid-configuration" {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{
				"issuer":                                srv.URL,
				"authorization_endpoint":                srv.URL + "/authorize",
				"token_endpoint":                        srv.URL + "/token",
				"jwks_uri":                              srv.URL + "/jwks",
				"userinfo_endpoint":                     srv.URL + "/userinfo",
				"response_types_supported":              []string{"code"},
				"subject_types_supported":               []string{"public"},
				"id_token_signing_alg_values_supported": []string{"RS256"},
			})
			return
		}
		echo := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if echo == "" {
			echo = "garbage"
		}
		c, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close()
		io.WriteString(buf, echo+strings.Repeat("x", 100<<10)+"\r\n\r\n")
		buf.Flush()
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A server that answers a fetch with a malformed status line gets what it
// wrote into net/http's error: the error the package returns holds
// neither the access token a UserInfo request sent nor unbounded server
// text, for UserInfo, discovery and JWK Set fetches alike.
func TestFetchSendErrorScrubbed(t *testing.T) {
	const at = "at-secret-123"
	srv := malformedProvider(t)
	ctx := context.Background()
	p, err := oidc.NewProvider(ctx, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	jwt := enc([]byte(`{"alg":"RS256","kid":"k"}`)) + "." + enc([]byte(`{}`)) + "." + enc([]byte("sig"))
	tests := []struct {
		name string
		call func() error
	}{
		{"userinfo", func() error {
			_, err := p.UserInfo(ctx, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: at}), "")
			return err
		}},
		{"jwks", func() error {
			_, err := oidc.NewRemoteKeySet(srv.URL+"/jwks", nil).VerifySignature(ctx, jwt)
			return err
		}},
		{"discovery", func() error {
			_, err := oidc.NewProvider(ctx, srv.URL+"/other", nil)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil {
				t.Fatal("err = nil, want the malformed response's")
			}
			for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
				if got := fmt.Sprintf(f, err); strings.Contains(got, at) {
					t.Errorf("Sprintf(%q, err) holds the access token: %.200s", f, got)
				}
			}
			if n := len(err.Error()); n > 4<<10 {
				t.Errorf("error text is %d bytes, want it bounded", n)
			}
		})
	}
}
