package main

// Adversarial tests of session 20 (fleet): what another program may
// leave under the key.

import (
	"context"
	"testing"

	"github.com/oauthkit/oauth/oauth2"
)

// A hash that does not hold a token and its version (a token field that
// is not a token's JSON and no version, a version without a token) holds
// none: Load returns no token and a version in place of which a Save
// replaces it (see oauth2.TokenStore), rather than an error that fails
// every renewal, or a version no Save matches.
func TestStoreForeignValue(t *testing.T) {
	tests := []struct {
		name   string
		fields []any
	}{
		{name: "not JSON, no version", fields: []any{"token", `{"access_token":"at`}},
		{name: "version, no token", fields: []any{"version", "v1"}},
		{name: "empty token, a version", fields: []any{"token", "", "version", "v1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			c, key := redisClient(t)
			if err := c.HSet(ctx, key, tt.fields...).Err(); err != nil {
				t.Fatal(err)
			}
			s := &Store{Client: c, Key: key}
			tok, ver, err := s.Load(ctx)
			if tok != nil || err != nil {
				t.Fatalf("Load() = %v, %q, %v; want no token and no error", tok, ver, err)
			}
			want := &oauth2.Token{AccessToken: "a1", RefreshToken: "r1"}
			if _, err := s.Save(ctx, want, ver); err != nil {
				t.Fatalf("Save in place of the version Load returned: %v", err)
			}
			got, _, err := s.Load(ctx)
			if err != nil || got == nil || got.AccessToken != "a1" || got.RefreshToken != "r1" {
				t.Errorf("Load after the Save = %v, %v; want a1/r1", got, err)
			}
		})
	}
}
