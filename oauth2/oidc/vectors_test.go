package oidc_test

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/oauth2/oidc"
	"github.com/oauthkit/oauth/signer/jose"
)

// coreAppendixA holds the examples of OpenID Connect Core 1.0 Appendix A
// (testdata/README.md), with the line wraps of their values joined.
type coreAppendixA struct {
	idTokens    []string                     // A.2, A.3, A.4, A.6, in order
	claims      []map[string]json.RawMessage // the decoded claims of each
	accessToken string
	code        string
	jwk         []byte // A.7
}

func loadCoreAppendixA(t testing.TB) coreAppendixA {
	t.Helper()
	data, err := os.ReadFile("testdata/oidc-core-appendix-a.txt")
	if err != nil {
		t.Fatal(err)
	}
	var a coreAppendixA
	artworks := strings.Split(string(data), "\n----\n")
	for _, art := range artworks {
		art = strings.TrimSpace(art)
		switch {
		case strings.HasPrefix(art, "GET "):
			// A value starts after "name=" and goes on over the wrapped
			// lines until a line starting with "&".
			for _, m := range regexp.MustCompile(`(?s)(id_token|access_token|code)=(.*?)\n\s*&`).FindAllStringSubmatch(art, -1) {
				v := strings.Join(strings.Fields(m[2]), "")
				switch m[1] {
				case "id_token":
					a.idTokens = append(a.idTokens, v)
				case "access_token":
					a.accessToken = v
				case "code":
					a.code = v
				}
			}
		case strings.Contains(art, `"kty"`):
			a.jwk = []byte(strings.Join(strings.Fields(art), ""))
		case strings.Contains(art, `"iss"`):
			var c map[string]json.RawMessage
			if err := json.Unmarshal([]byte(art), &c); err != nil {
				t.Fatal(err)
			}
			a.claims = append(a.claims, c)
		}
	}
	if len(a.idTokens) != 4 || len(a.claims) != 4 || a.accessToken == "" || a.code == "" || a.jwk == nil {
		t.Fatalf("appendix A: %d ID tokens, %d claim sets, access token %t, code %t, key %t; want 4, 4 and the rest",
			len(a.idTokens), len(a.claims), a.accessToken != "", a.code != "", a.jwk != nil)
	}
	return a
}

// TestOpenIDCoreExamples verifies the ID tokens of OpenID Connect Core 1.0
// Appendix A with the published key, nonce, access token and code: the
// signatures, at_hash and c_hash, and every claim as published.
func TestOpenIDCoreExamples(t *testing.T) {
	a := loadCoreAppendixA(t)
	k, err := jose.ParseJWK(a.jwk)
	if err != nil {
		t.Fatal(err)
	}
	// The examples were issued at 1311280970 and expire at 1311281970.
	now := func() time.Time { return time.Unix(1311281000, 0) }
	static := &oidc.StaticKeySet{PublicKeys: []crypto.PublicKey{k.Key}}
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"keys":[` + string(a.jwk) + `]}`))
	}))
	defer jwks.Close()
	remote := oidc.NewRemoteKeySet(jwks.URL, &oidc.Options{Now: now})
	names := []string{"A.2 id_token", "A.3 id_token token", "A.4 code id_token", "A.6 code id_token token"}
	for i, raw := range a.idTokens {
		for _, ks := range []struct {
			name string
			set  oidc.KeySet
		}{{"static", static}, {"remote", remote}} {
			t.Run(names[i]+"/"+ks.name, func(t *testing.T) {
				v := oidc.NewVerifier("https://server.example.com", ks.set, &oidc.Config{ClientID: "s6BhdRkqt3", Now: now, Leeway: -1})
				tok, err := v.Verify(context.Background(), raw,
					oidc.WithNonce("n-0S6_WzA2Mj"), oidc.WithAccessToken(a.accessToken), oidc.WithCode(a.code))
				if err != nil {
					t.Fatalf("Verify() error = %v", err)
				}
				var got map[string]json.RawMessage
				if err := tok.Claims(&got); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(a.claims[i], got, cmp.Transformer("compact", compactJSON)); diff != "" {
					t.Errorf("claims mismatch (-published +got):\n%s", diff)
				}
				if tok.Subject != "248289761001" || tok.Nonce != "n-0S6_WzA2Mj" || !tok.Expiry.Equal(time.Unix(1311281970, 0)) {
					t.Errorf("typed claims: sub %q, nonce %q, exp %s", tok.Subject, tok.Nonce, tok.Expiry)
				}
				if _, ok := a.claims[i]["at_hash"]; ok {
					if tok.AccessTokenHash != "77QmUPtjPfzWtF2AnpK9RQ" || tok.VerifyAccessToken(a.accessToken) != nil {
						t.Errorf("at_hash = %q, VerifyAccessToken() = %v", tok.AccessTokenHash, tok.VerifyAccessToken(a.accessToken))
					}
					if _, err := v.Verify(context.Background(), raw, oidc.WithAccessToken(a.code)); !errors.Is(err, oidc.ErrAccessTokenHashMismatch) {
						t.Errorf("Verify(WithAccessToken(another)) = %v, want ErrAccessTokenHashMismatch", err)
					}
				}
				if _, ok := a.claims[i]["c_hash"]; ok {
					if tok.CodeHash != "LDktKdoQak3Pk0cnXxCltA" {
						t.Errorf("c_hash = %q", tok.CodeHash)
					}
					if _, err := v.Verify(context.Background(), raw, oidc.WithCode(a.accessToken)); !errors.Is(err, oidc.ErrCodeHashMismatch) {
						t.Errorf("Verify(WithCode(another)) = %v, want ErrCodeHashMismatch", err)
					}
				}
			})
		}
	}
	// The same tokens a second later than exp, without leeway: expired.
	late := oidc.NewVerifier("https://server.example.com", static, &oidc.Config{ClientID: "s6BhdRkqt3", Leeway: -1,
		Now: func() time.Time { return time.Unix(1311281971, 0) }})
	if _, err := late.Verify(context.Background(), a.idTokens[0]); !errors.Is(err, oidc.ErrExpired) {
		t.Errorf("Verify() after exp = %v, want ErrExpired", err)
	}
}

// compactJSON lets cmp compare JSON values by meaning, not layout.
func compactJSON(raw json.RawMessage) any {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	return v
}
