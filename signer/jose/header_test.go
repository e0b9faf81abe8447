package jose_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/signer/jose"
)

// TestParseHeaderVectors reads the header of every published JWS and
// compares it with the vector's decoded header, read here with
// encoding/json.
func TestParseHeaderVectors(t *testing.T) {
	for _, v := range loadJWSVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal([]byte(v.Header), &m); err != nil {
				t.Fatal(err)
			}
			want := jose.Header{Algorithm: v.Alg}
			want.KeyID, _ = m["kid"].(string)
			want.Type, _ = m["typ"].(string)
			got, err := jose.ParseHeader(v.Compact)
			if err != nil {
				t.Fatalf("ParseHeader() error = %v", err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParseHeader() mismatch (-want +got):\n%s", diff)
			}
		})
	}
	// RFC 7520 §4.1 names its key: the vector pins the kid, not only the
	// code that reads it.
	if got, err := jose.ParseHeader(jwsVectorByName(t, "RFC 7520 4.1 RS256").Compact); err != nil || got.KeyID != "bilbo.baggins@hobbiton.example" {
		t.Errorf("RFC 7520 4.1: KeyID = %q, %v; want bilbo.baggins@hobbiton.example", got.KeyID, err)
	}
}

// TestParseHeaderHostile checks that ParseHeader refuses what VerifyCompact
// refuses in a header, with the same sentinels, and never echoes the token.
func TestParseHeaderHostile(t *testing.T) {
	enc := func(h string) string { return base64.RawURLEncoding.EncodeToString([]byte(h)) + ".cGF5bG9hZA.c2ln" }
	tests := []struct {
		name    string
		token   string
		want    jose.Header
		wantErr error
	}{
		{"kid and typ", enc(`{"alg":"ES256","kid":"k1","typ":"dpop+jwt"}`), jose.Header{Algorithm: "ES256", KeyID: "k1", Type: "dpop+jwt"}, nil},
		{"alg none is read, not judged", enc(`{"alg":"none"}`), jose.Header{Algorithm: "none"}, nil},
		{"unknown members kept out", enc(`{"alg":"RS256","jku":"https://attacker.example/jwks"}`), jose.Header{Algorithm: "RS256"}, nil},
		{"two parts", "eyJhbGciOiJIUzI1NiJ9.cGF5bG9hZA", jose.Header{}, jose.ErrMalformedJWS},
		{"four parts", enc(`{"alg":"RS256"}`) + ".x", jose.Header{}, jose.ErrMalformedJWS},
		{"bad base64", "eyJhbGciOiJIUzI1NiJ9=.cGF5bG9hZA.c2ln", jose.Header{}, jose.ErrMalformedJWS},
		{"not an object", enc(`["alg","RS256"]`), jose.Header{}, jose.ErrMalformedJWS},
		{"duplicate kid", enc(`{"alg":"RS256","kid":"a","kid":"b"}`), jose.Header{}, jose.ErrMalformedJWS},
		{"crit", enc(`{"alg":"RS256","crit":["exp"],"exp":1}`), jose.Header{}, jose.ErrMalformedJWS},
		{"no alg", enc(`{"kid":"a"}`), jose.Header{}, jose.ErrAlgorithmMismatch},
		{"alg not a string", enc(`{"alg":256}`), jose.Header{}, jose.ErrMalformedJWS},
		{"kid not a string", enc(`{"alg":"RS256","kid":7}`), jose.Header{}, jose.ErrMalformedJWS},
		{"typ not a string", enc(`{"alg":"RS256","typ":["JWT"]}`), jose.Header{}, jose.ErrMalformedJWS},
		{"trailing data", enc(`{"alg":"RS256"} {}`), jose.Header{}, jose.ErrMalformedJWS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := jose.ParseHeader(tt.token)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("ParseHeader() error = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseHeader() mismatch (-want +got):\n%s", diff)
			}
			if err != nil && strings.Contains(err.Error(), tt.token[:8]) {
				t.Errorf("error %q contains the token", err)
			}
		})
	}
}

// FuzzParseHeader checks that ParseHeader never panics, agrees with
// encoding/json on what it accepts, and accepts every header VerifyCompact
// gets past.
func FuzzParseHeader(f *testing.F) {
	for _, v := range loadJWSVectors(f) {
		f.Add(v.Compact)
	}
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("a.b")
	f.Fuzz(func(t *testing.T, token string) {
		h, err := jose.ParseHeader(token)
		if err != nil {
			if !errors.Is(err, jose.ErrMalformedJWS) && !errors.Is(err, jose.ErrAlgorithmMismatch) {
				t.Fatalf("ParseHeader() error = %v, not a JWS error", err)
			}
			if h != (jose.Header{}) {
				t.Fatalf("ParseHeader() = %+v with error %v", h, err)
			}
			return
		}
		raw, derr := base64.RawURLEncoding.DecodeString(token[:strings.IndexByte(token, '.')])
		var m map[string]any
		if derr != nil || json.Unmarshal(raw, &m) != nil {
			t.Fatalf("ParseHeader() accepted a header encoding/json cannot read: %q", raw)
		}
		kid, _ := m["kid"].(string)
		typ, _ := m["typ"].(string)
		if m["alg"] != h.Algorithm || kid != h.KeyID || typ != h.Type {
			t.Fatalf("ParseHeader() = %+v, encoding/json reads %v", h, m)
		}
	})
}
