package oidc

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzParseIDToken checks the claims parser of verified ID tokens: it
// never panics, fails only with ErrMalformedToken, and what it accepts has
// the required claims, agreeing with encoding/json on their values.
func FuzzParseIDToken(f *testing.F) {
	data, err := os.ReadFile("testdata/oidc-core-appendix-a.txt")
	if err != nil {
		f.Fatal(err)
	}
	for _, art := range strings.Split(string(data), "\n----\n") {
		if strings.Contains(art, `"iss"`) && !strings.Contains(art, "GET ") {
			f.Add([]byte(art))
		}
	}
	f.Add([]byte(`{"iss":"https://a.example","sub":"s","aud":["c","d"],"azp":"c","exp":1.5e9,"iat":1500000000.25,"nbf":0,"auth_time":null,"email_verified":"true","address":{"country":"NZ"},"updated_at":1}`))
	f.Add([]byte(`{"iss":"i","sub":"s","aud":"c","exp":-1,"iat":1}`))
	f.Add([]byte(`{"iss":"i","sub":"s","sub":"t","aud":"c","exp":1,"iat":1}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		tok, err := parseIDToken(payload)
		if err != nil {
			if !errors.Is(err, ErrMalformedToken) || tok != nil {
				t.Fatalf("parseIDToken() = %v, %v; want nil and ErrMalformedToken", tok, err)
			}
			return
		}
		if tok.Issuer == "" || tok.Subject == "" || len(tok.Audience) == 0 || tok.Expiry.IsZero() || tok.IssuedAt.IsZero() {
			t.Fatalf("accepted claims without iss, sub, aud, exp or iat: %s", payload)
		}
		var m map[string]any
		if err := tok.Claims(&m); err != nil {
			t.Fatalf("Claims() error = %v for accepted claims %s", err, payload)
		}
		if m["iss"] != tok.Issuer || m["sub"] != tok.Subject {
			t.Fatalf("iss %q, sub %q; encoding/json reads %v, %v", tok.Issuer, tok.Subject, m["iss"], m["sub"])
		}
		if exp, ok := m["exp"].(float64); !ok || tok.Expiry.Unix() != int64(exp) {
			t.Fatalf("exp %s; encoding/json reads %v", tok.Expiry, m["exp"])
		}
		for _, a := range tok.Audience {
			if a == "" {
				t.Fatal("accepted an empty audience")
			}
		}
		if tok.Nonce != "" && m["nonce"] != tok.Nonce {
			t.Fatalf("nonce %q; encoding/json reads %v", tok.Nonce, m["nonce"])
		}
		if _, err := json.Marshal(tok.StandardClaims); err != nil {
			t.Fatal(err)
		}
	})
}
