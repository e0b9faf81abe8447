package fakeprovider

import (
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// TestIDTokenAttacks checks that each attack switch makes the ID token
// wrong in its own way, and only that way, decoding it here.
func TestIDTokenAttacks(t *testing.T) {
	now := time.Unix(1700000000, 0)
	const nonce = "n-0S6_WzA2Mj"
	tests := []struct {
		name   string
		attack func(*OAuth2)
		// check gets the decoded ID token, its raw form, the access token
		// and the JWKS keys.
		check func(t *testing.T, s *Server, h, c map[string]any, raw, at string)
	}{
		{"alg none", func(o *OAuth2) { o.IDTokenAlgNone = true }, func(t *testing.T, s *Server, h, c map[string]any, raw, _ string) {
			if h["alg"] != "none" || !strings.HasSuffix(raw, ".") {
				t.Errorf("header %v, token ends %q; want alg none and an empty signature", h, raw[len(raw)-1:])
			}
			if c["sub"] != "alice" {
				t.Errorf("sub = %v; the claims should be right", c["sub"])
			}
		}},
		{"HS256 with the public key", func(o *OAuth2) { o.IDTokenHS256PublicKey = true }, func(t *testing.T, s *Server, h, c map[string]any, raw, _ string) {
			if h["alg"] != "HS256" {
				t.Fatalf("alg = %v, want HS256", h["alg"])
			}
			// The key is the PEM of the RS256 key the JWKS lists under kid.
			pub, ok := jwksKeys(t, s)[h["kid"].(string)].(*rsa.PublicKey)
			if !ok {
				t.Fatalf("kid %v is not an RSA key of the JWKS", h["kid"])
			}
			der, err := x509.MarshalPKIXPublicKey(pub)
			if err != nil {
				t.Fatal(err)
			}
			key := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
			i := strings.LastIndexByte(raw, '.')
			m := hmac.New(sha256.New, key)
			m.Write([]byte(raw[:i]))
			if got := base64.RawURLEncoding.EncodeToString(m.Sum(nil)); got != raw[i+1:] {
				t.Errorf("HS256 signature is not HMAC-SHA256 keyed with the public key's PEM")
			}
		}},
		{"wrong issuer", func(o *OAuth2) { o.IDTokenWrongIssuer = true }, func(t *testing.T, s *Server, h, c map[string]any, raw, _ string) {
			verifyIDToken(t, jwksKeys(t, s), raw)
			if c["iss"] != WrongIssuer {
				t.Errorf("iss = %v, want %q", c["iss"], WrongIssuer)
			}
		}},
		{"wrong audience", func(o *OAuth2) { o.IDTokenWrongAudience = true }, func(t *testing.T, s *Server, h, c map[string]any, raw, _ string) {
			verifyIDToken(t, jwksKeys(t, s), raw)
			if c["aud"] != "fakeprovider-api" {
				t.Errorf("aud = %v, want fakeprovider-api", c["aud"])
			}
		}},
		{"expired", func(o *OAuth2) { o.IDTokenExpired = true }, func(t *testing.T, s *Server, h, c map[string]any, raw, _ string) {
			verifyIDToken(t, jwksKeys(t, s), raw)
			if exp, _ := c["exp"].(float64); int64(exp) >= now.Unix() {
				t.Errorf("exp = %v, want before %d", c["exp"], now.Unix())
			}
		}},
		{"missing nonce", func(o *OAuth2) { o.IDTokenOmitNonce = true }, func(t *testing.T, s *Server, h, c map[string]any, raw, _ string) {
			verifyIDToken(t, jwksKeys(t, s), raw)
			if _, ok := c["nonce"]; ok {
				t.Errorf("nonce = %v, want none", c["nonce"])
			}
		}},
		{"wrong nonce", func(o *OAuth2) { o.IDTokenWrongNonce = true }, func(t *testing.T, s *Server, h, c map[string]any, raw, _ string) {
			verifyIDToken(t, jwksKeys(t, s), raw)
			if n, _ := c["nonce"].(string); n == nonce || n == "" {
				t.Errorf("nonce = %v, want another one", c["nonce"])
			}
		}},
		{"bad at_hash", func(o *OAuth2) { o.IDTokenBadAtHash = true }, func(t *testing.T, s *Server, h, c map[string]any, raw, at string) {
			verifyIDToken(t, jwksKeys(t, s), raw)
			sum := sha256.Sum256([]byte(at))
			if c["at_hash"] == base64.RawURLEncoding.EncodeToString(sum[:16]) || c["at_hash"] == nil {
				t.Errorf("at_hash = %v, want one that is not the access token's", c["at_hash"])
			}
		}},
		{"unknown kid always", func(o *OAuth2) { o.IDTokenUnknownKid = true }, func(t *testing.T, s *Server, h, c map[string]any, raw, _ string) {
			for i := 0; i < 3; i++ {
				if _, ok := jwksKeys(t, s)[h["kid"].(string)]; ok {
					t.Fatalf("JWKS fetch %d lists kid %v", i, h["kid"])
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := o2Server(t, func(o *OAuth2) {
				o.Now = func() time.Time { return now }
				tt.attack(o)
			})
			_, tok := codeFlow(t, s, nil, "scope", "openid", "nonce", nonce)
			raw := tok["id_token"].(string)
			h, c := decodeJWT(t, raw)
			tt.check(t, s, h, c, raw, tok["access_token"].(string))
			// What the switch does not touch stays right.
			if c["aud"] != "public-client" && tt.name != "wrong audience" {
				t.Errorf("aud = %v, want public-client", c["aud"])
			}
			if c["iss"] != s.URL+"/oauth2" && tt.name != "wrong issuer" {
				t.Errorf("iss = %v, want %q", c["iss"], s.URL+"/oauth2")
			}
		})
	}
}

// TestIDTokenUnknownKidOnce checks the rotation a client learns of from an
// ID token: a JWKS fetched before the token lacks its kid, the next one
// has it, and later tokens use it.
func TestIDTokenUnknownKidOnce(t *testing.T) {
	s := o2Server(t, func(o *OAuth2) { o.IDTokenUnknownKidOnce = true })
	cached := jwksKeys(t, s)
	_, tok := codeFlow(t, s, nil, "scope", "openid")
	h, _ := decodeJWT(t, tok["id_token"].(string))
	kid := h["kid"].(string)
	if _, ok := cached[kid]; ok {
		t.Fatalf("kid %q was in the JWKS before the token", kid)
	}
	fresh := jwksKeys(t, s)
	verifyIDToken(t, fresh, tok["id_token"].(string))
	_, tok = codeFlow(t, s, nil, "scope", "openid")
	verifyIDToken(t, fresh, tok["id_token"].(string))
	if h, _ := decodeJWT(t, tok["id_token"].(string)); h["kid"] != kid {
		t.Errorf("next token's kid = %v, want %q", h["kid"], kid)
	}
	for k := range cached {
		if _, ok := fresh[k]; !ok {
			t.Errorf("old kid %q dropped; it stays unless DropRotatedKeys", k)
		}
	}
}

// TestRefreshChangesSub checks that the switch changes sub in refreshed ID
// tokens only.
func TestRefreshChangesSub(t *testing.T) {
	s := o2Server(t, func(o *OAuth2) { o.RefreshChangesSub = true })
	keys := jwksKeys(t, s)
	_, tok := codeFlow(t, s, nil, "scope", "openid")
	if c := verifyIDToken(t, keys, tok["id_token"].(string)); c["sub"] != "alice" {
		t.Fatalf("first ID token sub = %v, want alice", c["sub"])
	}
	r := post(t, s, OAuth2TokenPath, noneAuth("public-client"), params("grant_type", "refresh_token", "refresh_token", tok["refresh_token"].(string))).wantOK(t)
	if c := verifyIDToken(t, keys, r["id_token"].(string)); c["sub"] != OtherSubject {
		t.Errorf("refreshed ID token sub = %v, want %q", c["sub"], OtherSubject)
	}
}

// TestIssuerAttacks checks the issuer of the metadata and of the
// authorization responses, success and error (RFC 9207 §2).
func TestIssuerAttacks(t *testing.T) {
	tests := []struct {
		name     string
		attack   func(*OAuth2)
		metadata string // "" means the real issuer
		callback string // "-" means none
	}{
		{"honest", func(*OAuth2) {}, "", ""},
		{"wrong metadata issuer", func(o *OAuth2) { o.WrongMetadataIssuer = true }, WrongIssuer, ""},
		{"wrong callback issuer", func(o *OAuth2) { o.WrongCallbackIssuer = true }, "", WrongIssuer},
		{"no callback issuer", func(o *OAuth2) { o.OmitCallbackIssuer = true }, "", "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := o2Server(t, tt.attack)
			real := s.URL + "/oauth2"
			wantMeta, wantCB := tt.metadata, tt.callback
			if wantMeta == "" {
				wantMeta = real
			}
			if wantCB == "" {
				wantCB = real
			}
			for _, path := range []string{OAuth2ServerMetadataPath, OAuth2OpenIDConfigurationPath} {
				if got := get(t, s, path).wantOK(t)["issuer"]; got != wantMeta {
					t.Errorf("%s issuer = %v, want %q", path, got, wantMeta)
				}
			}
			base := params("client_id", "basic-client", "redirect_uri", testRedirect, "state", "s")
			for _, c := range []struct {
				name string
				q    urlenc.Params
				comp urlenc.Component
			}{
				{"code", append(base.Clone(), params("response_type", "code")...), urlenc.Query},
				{"error", append(base.Clone(), params("response_type", "code", "code_challenge_method", "S256")...), urlenc.Query},
				{"implicit", append(base.Clone(), params("response_type", "token")...), urlenc.Fragment},
			} {
				p := redirectParams(t, authorize(t, s, c.q), c.comp)
				got, ok := p.Lookup("iss")
				if !ok {
					got = "-"
				}
				if got != wantCB || p.Count("iss") > 1 {
					t.Errorf("%s response: iss = %v (%d), want %q once", c.name, p.Values("iss"), p.Count("iss"), wantCB)
				}
			}
		})
	}
}

// TestWrongUserInfoSub checks that the switch changes UserInfo's sub.
func TestWrongUserInfoSub(t *testing.T) {
	s := o2Server(t, func(o *OAuth2) { o.WrongUserInfoSub = true })
	_, tok := codeFlow(t, s, nil, "scope", "openid")
	if got := resourceGet(t, s, OAuth2UserInfoPath, "Bearer", tok["access_token"].(string), "").wantOK(t)["sub"]; got != OtherSubject {
		t.Errorf("sub = %v, want %q", got, OtherSubject)
	}
	if c := verifyIDToken(t, jwksKeys(t, s), tok["id_token"].(string)); c["sub"] != "alice" {
		t.Errorf("ID token sub = %v, want alice", c["sub"])
	}
	if r := resourceGet(t, s, OAuth2UserInfoPath, "Bearer", "", ""); r.status != http.StatusUnauthorized {
		t.Errorf("no token: status %d", r.status)
	}
}
